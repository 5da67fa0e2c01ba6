// What every service needs: the database, the clock, the personal-data cipher and the logger.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DatabaseHandle, Db } from '../store/database.ts';
import type { PiiCipher } from '../lib/pii.ts';

export interface ServiceContext {
  config: Config;
  handle: DatabaseHandle;
  /** The primary: writes, transactions, and reads that must see what was just written. */
  db: Db;
  /**
   * Read-heavy dashboards, rankings and reports: the replica's pool when DATABASE_READ_URL is set
   * (may lag by seconds), otherwise the same as `db`. Never used inside a transaction or for a write.
   */
  readDb: Db;
  pii: PiiCipher;
  log: Logger;
  /** The clock, injectable so tests and the scheduler's catch-up can run at any time. */
  now(): number;
}
