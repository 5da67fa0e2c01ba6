// The database under test: SQLite in a fresh temporary directory, or a fresh PostgreSQL database
// when MINBIAO_TEST_DB=postgres. A PostgreSQL suite that cannot reach its server fails; it never skips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';

export const TEST_DB = (process.env.MINBIAO_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
/**
 * MINBIAO_TEST_READ_POOL=readonly (PostgreSQL only): every test database also gets DATABASE_READ_URL,
 * the same database through sessions with default_transaction_read_only=on, so that a write sent
 * through the read pool (ctx.readDb) fails the test. Stands for a streaming replica (docs/deployment.md §4).
 */
export const TEST_READ_POOL = process.env.MINBIAO_TEST_READ_POOL === 'readonly';
/**
 * MINBIAO_TEST_SQLITE_READ_THREADS (SQLite): the read threads the test servers run with (default: the
 * product's, 2); `0` runs the dashboards' reads on the one connection, as SQLITE_READ_THREADS=0 does.
 */
const SQLITE_READ_THREADS = process.env.MINBIAO_TEST_SQLITE_READ_THREADS;
/** A streaming replica of the server at MINBIAO_TEST_PG_URL (its host and port): the read pool goes there instead. */
const READ_PG_URL = process.env.MINBIAO_TEST_READ_PG_URL;
const PG_ADMIN_URL = process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: Config;
  drop(): Promise<void>;
}

/** The same database through read-only sessions, named so that pg_stat_activity tells them apart. */
export function readOnlyUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('options', '-c default_transaction_read_only=on');
  u.searchParams.set('application_name', 'minbiao-read');
  return u.toString();
}

/** The test database on the replica server (created on the primary, replicated). */
function onReplica(replicaUrl: string, name: string): string {
  const u = new URL(replicaUrl);
  u.pathname = `/${name}`;
  u.searchParams.set('application_name', 'minbiao-read');
  return u.toString();
}

export async function createTestDatabase(extraEnv: Record<string, string> = {}, opts: { readOnlyPool?: boolean } = {}): Promise<TestDatabase> {
  const readOnlyPool = opts.readOnlyPool ?? TEST_READ_POOL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-test-'));
  const base = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MINBIAO_SECRET: 'test-secret-0123456789-abcdefghijklmnop',
    SCHEDULER_ENABLED: 'false',
    // Tests read their own writes at once: dashboards computed per request (figures-cache tests turn it on).
    FIGURES_CACHE_SECONDS: '0',
    ...(SQLITE_READ_THREADS !== undefined ? { SQLITE_READ_THREADS } : {}),
    ...extraEnv,
  };
  if (TEST_DB === 'sqlite') {
    if (readOnlyPool) throw new Error('a read pool (DATABASE_READ_URL) is for PostgreSQL only: set MINBIAO_TEST_DB=postgres');
    return { config: loadConfig(base), drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `minbiao_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`PostgreSQL test database unreachable at ${PG_ADMIN_URL}: ${(e as Error).message}`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: loadConfig({ ...base, DATABASE_URL: url.toString(), ...(READ_PG_URL ? { DATABASE_READ_URL: onReplica(READ_PG_URL, name) } : readOnlyPool ? { DATABASE_READ_URL: readOnlyUrl(url.toString()) } : {}) }),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
