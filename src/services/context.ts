// What every service needs: the database, the clock, the personal-data cipher and the logger.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DatabaseHandle, Db } from '../store/database.ts';
import type { PiiCipher } from '../lib/pii.ts';

export interface ServiceContext {
  config: Config;
  handle: DatabaseHandle;
  db: Db;
  pii: PiiCipher;
  log: Logger;
  /** The clock, injectable so tests and the scheduler's catch-up can run at any time. */
  now(): number;
}
