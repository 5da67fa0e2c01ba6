// Backup and restore (等保 2.0 数据备份恢复): `minbiao backup` takes a consistent copy while the
// application keeps writing (SQLite backup API; pg_dump on PostgreSQL); `minbiao restore` puts it in
// place of an empty database; every appeal and every event is found again, identical, and the audit
// chain still verifies.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { closedByRating, replied, submit } from '../support/appeals.ts';
import { TEST_DB } from '../support/db.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const run = promisify(execFile);
let h: Harness;
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.close();
  for (const c of cleanup) await c().catch(() => undefined);
});

const baseEnv = (over: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  MINBIAO_SECRET: h.db.config.MINBIAO_SECRET!,
  SCHEDULER_ENABLED: 'false',
  ...over,
});
const minbiao = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, ['bin/minbiao.mjs', ...args], { env, timeout: 120_000 });

async function snapshot(s: Services) {
  const appeals = await s.ctx.db.selectFrom('appeals').selectAll().orderBy('id').execute();
  const events = await s.ctx.db.selectFrom('appeal_events').selectAll().orderBy('appeal_id').orderBy('seq').execute();
  const ratings = await s.ctx.db.selectFrom('ratings').selectAll().orderBy('appeal_id').orderBy('round').execute();
  return { appeals, events, ratings };
}

/** A fresh, empty target: a new data directory (SQLite) or a new database (PostgreSQL). */
async function emptyTarget(): Promise<Record<string, string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-restore-'));
  cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  if (TEST_DB === 'sqlite') return { DATA_DIR: dir };
  const admin = new URL(h.db.config.DATABASE_URL!);
  const name = `minbiao_restore_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  cleanup.push(async () => {
    const d = new pg.Client({ connectionString: admin.toString() });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return { DATA_DIR: dir, DATABASE_URL: url.toString() };
}

describe('backup and restore', () => {
  it('backs up while the application writes, restores into an empty database, and finds every appeal and event', async () => {
    await closedByRating(h);
    await replied(h);
    for (let i = 0; i < 5; i++) await submit(h, { title: `备份样本 ${i}` });
    await submit(h, { anonymous: true, citizenName: null, phone: null });
    const before = await snapshot(h.s);
    expect(before.appeals.length).toBeGreaterThanOrEqual(8);

    const c = h.db.config;
    const sourceEnv = baseEnv({ DATA_DIR: c.DATA_DIR, ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}) });
    const out = path.join(c.DATA_DIR, 'backups', TEST_DB === 'sqlite' ? 'test.db' : 'test.dump');
    // Writes keep coming while the copy is taken (they may or may not be in it).
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 50; i++) await submit(h, { title: `备份期间 ${i}` });
    })();
    const backup = await minbiao(['backup', '--out', out], sourceEnv);
    writing = false;
    await writer;
    expect(fs.existsSync(out)).toBe(true);
    if (TEST_DB === 'sqlite') {
      expect(JSON.parse(backup.stdout.trim().split('\n').at(-1)!)).toMatchObject({ file: out });
      expect(fs.statSync(out).mode & 0o077).toBe(0);
    }
    // The backup itself is in the audit trail of the source.
    expect((await h.s.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'system.backup').execute()).length).toBe(1);

    const target = await emptyTarget();
    const targetEnv = baseEnv(target);
    const restored = await minbiao(['restore', out], targetEnv);
    expect(restored.stdout).toMatch(/restored/);

    const s2 = await createServices(loadConfig(targetEnv));
    try {
      const after = await snapshot(s2);
      const byId = new Map(after.appeals.map((a) => [a.id, a]));
      for (const a of before.appeals) expect(byId.get(a.id), a.id).toEqual(a);
      const eventKey = (e: { appeal_id: string; seq: number }) => `${e.appeal_id}#${e.seq}`;
      const events = new Map(after.events.map((e) => [eventKey(e), e]));
      for (const e of before.events) expect(events.get(eventKey(e)), eventKey(e)).toEqual(e);
      expect(after.ratings).toEqual(expect.arrayContaining(before.ratings));
      // Consistent: every restored appeal has its events, and the audit chain verifies (with the restore recorded).
      const withEvents = new Set(after.events.map((e) => e.appeal_id));
      for (const a of after.appeals) expect(withEvents.has(a.id)).toBe(true);
      expect((await s2.audit.verify()).ok).toBe(true);
      expect((await s2.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'system.restore').execute()).length).toBe(1);
      // And the personal data is readable with the same key.
      const named = after.appeals.find((a) => a.citizen_phone_enc)!;
      expect(s2.ctx.pii.decrypt(named.citizen_phone_enc)).toMatch(/^1\d{10}$/);
    } finally {
      await s2.close();
    }

    // Restoring over a database that is in use is refused without --force.
    const again = await minbiao(['restore', out], targetEnv).catch((e: { code: number; stderr: string }) => e);
    if (TEST_DB === 'postgres') {
      expect((again as { code?: number }).code).toBe(1);
      expect((again as { stderr: string }).stderr).toMatch(/not empty/);
    }
  }, 240_000);
});
