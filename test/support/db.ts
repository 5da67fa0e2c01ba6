// The database under test: SQLite in a fresh temporary directory, or a fresh PostgreSQL database
// when MINBIAO_TEST_DB=postgres. A PostgreSQL suite that cannot reach its server fails; it never skips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.ts';

export const TEST_DB = (process.env.MINBIAO_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
const PG_ADMIN_URL = process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  config: Config;
  drop(): Promise<void>;
}

export async function createTestDatabase(extraEnv: Record<string, string> = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-test-'));
  const base = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MINBIAO_SECRET: 'test-secret-0123456789-abcdefghijklmnop',
    SCHEDULER_ENABLED: 'false',
    ...extraEnv,
  };
  if (TEST_DB === 'sqlite') {
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
    config: loadConfig({ ...base, DATABASE_URL: url.toString() }),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
