// Opens the database: better-sqlite3 (WAL, one file in DATA_DIR) by default, PostgreSQL when DATABASE_URL is set,
// with a second pool on a read replica when DATABASE_READ_URL is set too (docs/deployment.md §4).
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrations/index.ts';
import { withStatementCache } from './sqlite-statements.ts';
import { SqliteReadPoolDialect } from './sqlite-read-pool.ts';
import { DataVersion, withDataVersion } from './data-version.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  /** The primary: every write, every read inside a transaction, and every read that must see the caller's own writes. */
  db: Db;
  /**
   * The read-heavy dashboards, rankings and reports (may lag the primary by the replica's delay).
   * A second pool on DATABASE_READ_URL, or the primary itself when there is no replica.
   */
  readDb: Db;
  /** True when readDb is a pool of its own (DATABASE_READ_URL). */
  readReplica: boolean;
  /** SQLite: read-only connections in worker threads serving readDb (0: readDb is the primary). */
  readThreads: number;
  /** Moves after every write this process commits through `db` (caches of derived figures compare it). */
  version: DataVersion;
  dialect: Dialect;
  /** The SQLite file (for backups and tests), null on PostgreSQL. */
  file: string | null;
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; every bigint here is epoch milliseconds or a count, far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PostgreSQL only: a read replica (or any read-only URL) for `readDb`. */
  readUrl?: string | undefined;
  dataDir: string;
  /** SQLite file name inside dataDir (default minbiao.db). */
  fileName?: string;
  poolSize?: number;
  /**
   * SQLite only: worker threads, each with a read-only connection, that serve `readDb`
   * (src/store/sqlite-read-pool.ts). 0 (the default here; the server passes SQLITE_READ_THREADS): readDb is the primary.
   */
  readThreads?: number;
}

function pgKysely(url: string, max: number, version: DataVersion): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  // A dropped idle connection must not crash the process.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: withDataVersion(new PostgresDialect({ pool }), version) });
}

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  if (opts.databaseUrl) {
    const version = new DataVersion();
    const db = pgKysely(opts.databaseUrl, opts.poolSize ?? 10, version);
    const readDb = opts.readUrl ? pgKysely(opts.readUrl, opts.poolSize ?? 10, version) : db;
    return {
      db,
      readDb,
      readReplica: readDb !== db,
      readThreads: 0,
      version,
      dialect: 'postgres',
      file: null,
      migrate: () => migrateToLatest(db, { dialect: 'postgres' }),
      close: async () => {
        await db.destroy();
        if (readDb !== db) await readDb.destroy();
      },
    };
  }
  if (opts.readUrl) throw new Error('DATABASE_READ_URL needs DATABASE_URL: a read replica is for PostgreSQL only');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, opts.fileName ?? 'minbiao.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash may lose the last commits).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // 剩余信息保护: deleted or overwritten content is zeroed on disk, not left in freed pages.
  sqlite.pragma('secure_delete = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  // Compiled statements are kept and reused (src/store/sqlite-statements.ts).
  const version = new DataVersion();
  const db = new Kysely<Database>({ dialect: withDataVersion(new SqliteDialect({ database: withStatementCache(sqlite) }), version) });
  // The threads open their connections at the first read, after the migrations have made the schema.
  const readThreads = opts.readThreads ?? 0;
  const readDb = readThreads > 0 ? new Kysely<Database>({ dialect: new SqliteReadPoolDialect(file, readThreads) }) : db;
  return {
    db,
    readDb,
    readReplica: false,
    readThreads,
    version,
    dialect: 'sqlite',
    file,
    migrate: () => migrateToLatest(db, { dialect: 'sqlite' }),
    close: async () => {
      if (readDb !== db) await readDb.destroy();
      await db.destroy();
    },
  };
}

export async function ping(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return true;
}
