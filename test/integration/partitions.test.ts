// Monthly partitions on PostgreSQL (src/store/partitions.ts, migration 0011): rows of a month without a
// partition wait in the default and move when the maintenance job creates the month; nothing is lost or
// doubled, the audit chain still verifies, tracking codes stay unique, and existing rows are carried
// over by the migration. On SQLite the same journey runs on plain tables and the CLI says why there is
// nothing to partition.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaintenanceJob } from '../../src/jobs/maintenance.ts';
import { idTime, idTimePrefix, newId } from '../../src/lib/ids.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateTo } from '../../src/store/migrations/index.ts';
import { addMonths, boundsOf, idFloor, listPartitions, monthOf, monthStart } from '../../src/store/partitions.ts';
import { createTestDatabase, TEST_DB } from '../support/db.ts';
import { act, closedByRating, submit } from '../support/appeals.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const PG = TEST_DB === 'postgres';
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('partition arithmetic', () => {
  it('months are Beijing months, and id ranges follow the ids\' time prefix', () => {
    // 2026-02-28 16:30 UTC is 2026-03-01 00:30 in Beijing.
    expect(monthOf(Date.UTC(2026, 1, 28, 16, 30))).toEqual({ year: 2026, month: 3 });
    expect(monthStart({ year: 2026, month: 3 })).toBe(Date.UTC(2026, 1, 28, 16, 0));
    expect(addMonths({ year: 2026, month: 11 }, 3)).toEqual({ year: 2027, month: 2 });
    const t = Date.parse('2026-03-02T09:00:00+08:00');
    const id = newId(t);
    expect(idTime(id)).toBe(t);
    expect(id.startsWith(idTimePrefix(t))).toBe(true);
    const b = boundsOf('id', monthOf(t));
    expect(id >= String(b.from) && id < String(b.to)).toBe(true);
    expect(newId(monthStart({ year: 2026, month: 4 })) >= String(b.to)).toBe(true);
    expect(newId(monthStart({ year: 2026, month: 3 }) - 1) < String(b.from)).toBe(true);
    expect(idFloor(t) <= id).toBe(true);
    expect(Number.isNaN(idTime('not-an-id!'))).toBe(true);
  });
});

describe('monthly partitions', () => {
  let h: Harness;
  beforeAll(async () => {
    // The clock in a month the migration did not create (it creates this real month and two ahead).
    h = await createHarness({ start: Date.parse('2025-06-10T10:00:00+08:00') });
  });
  afterAll(async () => h?.close());

  it.runIf(PG)('the four large tables are partitioned, with a default and the coming months', async () => {
    const parts = await listPartitions(h.s.ctx.db);
    const now = monthOf(Date.now());
    for (const table of ['appeals', 'appeal_events', 'ratings', 'audit_log']) {
      const months = parts.filter((p) => p.table === table).map((p) => p.month);
      expect(months, table).toContain('default');
      for (let i = 0; i <= 2; i++) {
        const m = addMonths(now, i);
        expect(months, table).toContain(`${m.year}${String(m.month).padStart(2, '0')}`);
      }
    }
  });

  it('an appeal of a month without a partition is stored, moved into its month by the maintenance job, and reads the same', async () => {
    const a = await closedByRating(h, { citizenName: '分区测试', phone: '13512340000' });
    const b = await submit(h, { citizenName: '分区测试二', phone: '13512340001' });
    await act(h, 'dispA', b.id, { action: 'dispatch', unitId: 'a-ps1' });
    const before = {
      a: (await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`)).json(),
      events: (await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}/events`)).json(),
      b: (await h.api('dispA', 'GET', `/api/v1/appeals/${b.id}`)).json(),
    };
    const counts = async () => {
      const n = async (t: 'appeals' | 'appeal_events' | 'ratings' | 'audit_log') => Number((await h.s.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { appeals: await n('appeals'), events: await n('appeal_events'), ratings: await n('ratings'), audit: await n('audit_log') };
    };
    const c0 = await counts();
    const where = async (table: string, key: string, value: string) =>
      PG ? (await sql<{ p: string }>`select tableoid::regclass::text as p from ${sql.table(table)} where ${sql.ref(key)} = ${value}`.execute(h.s.ctx.db)).rows.map((r) => r.p) : [];
    if (PG) {
      expect(await where('appeals', 'id', a.id)).toEqual(['appeals_pdefault']);
      expect(new Set(await where('appeal_events', 'appeal_id', a.id))).toEqual(new Set(['appeal_events_pdefault']));
    }

    const job = new MaintenanceJob(h.s);
    const report = await job.tick();
    expect(report.leader).toBe(true);
    if (PG) {
      expect(report.partitions!.created).toEqual(expect.arrayContaining(['appeals_p202506', 'appeal_events_p202506', 'ratings_p202506', 'audit_log_p202506']));
      expect(report.partitions!.moved).toBeGreaterThan(10);
      expect(await where('appeals', 'id', a.id)).toEqual(['appeals_p202506']);
      expect(new Set(await where('appeal_events', 'appeal_id', a.id))).toEqual(new Set(['appeal_events_p202506']));
      expect(await where('ratings', 'appeal_id', a.id)).toEqual(['ratings_p202506']);
      const defaults = (await listPartitions(h.s.ctx.db)).filter((p) => p.month === 'default');
      for (const d of defaults) expect(Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(d.partition)}`.execute(h.s.ctx.db)).rows[0]!.n), d.partition).toBe(0);
      // A second pass has nothing to do.
      expect((await job.tick()).partitions).toEqual({ created: [], moved: 0 });
    } else {
      expect(report.partitions).toBeNull();
    }
    // Nothing lost, nothing doubled; the appeal reads the same; work goes on; the audit chain holds.
    expect(await counts()).toEqual(c0);
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`)).json()).toEqual(before.a);
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}/events`)).json()).toEqual(before.events);
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${b.id}`)).json()).toEqual(before.b);
    await act(h, 'handA1', b.id, { action: 'accept' });
    const tracked = await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: '13512340000' });
    expect(tracked.statusCode, tracked.body).toBe(200);
    expect((await h.s.audit.verify()).ok).toBe(true);
    await job.stop();
  });

  it.runIf(PG)('tracking codes stay unique inside a month, and the audit log stays append-only', async () => {
    const a = await submit(h, { citizenName: '重复码', phone: '13512340002' });
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    const copy = { ...row, id: newId(h.clock.now + 1) };
    await expect(h.s.ctx.db.insertInto('appeals').values(copy).execute()).rejects.toThrow(/duplicate key|unique/i);
    await expect(sql`update audit_log set action = 'tampered'`.execute(h.s.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(h.s.ctx.db)).rejects.toThrow(/cannot be truncated/);
  });
});

describe.runIf(PG)('the migration carries existing rows over', () => {
  it('rows written before 0011 are in their months afterwards, with keys and indexes', async () => {
    const tdb = await createTestDatabase();
    const handle = openDatabase({ databaseUrl: tdb.config.DATABASE_URL, dataDir: tdb.config.dataDir });
    try {
      await migrateTo(handle.db, { dialect: 'postgres' }, '0010_citizen_email');
      const times = [Date.parse('2024-12-31T23:59:59+08:00'), Date.parse('2025-01-01T00:00:00+08:00'), Date.parse('2026-06-03T12:00:00+08:00')];
      for (const [i, t] of times.entries()) {
        const id = newId(t);
        await sql`insert into appeals (id, tracking_code, region_code, status, type, urgency, channel, intake_unit_id, intake_path, title, body, anonymous, created_at, updated_at, response_due_at, handle_due_at, version)
                  values (${id}, ${`MB0000-TEST0${i}`}, '360602', 'submitted', 'help', 'general', 'web', 'x', '/x', '标题', '正文', 0, ${t}, ${t}, ${t}, ${t}, 1)`.execute(handle.db);
        await sql`insert into appeal_events (appeal_id, seq, region_code, at, actor_kind, action, to_status, payload) values (${id}, 1, '360602', ${t}, 'citizen', 'submit', 'submitted', '{}')`.execute(handle.db);
        await sql`insert into audit_log (at, action, outcome, prev_hash, hash) values (${t}, 'test', 'success', 'p', ${`h${i}`})`.execute(handle.db);
      }
      await handle.migrate();
      const rows = (await sql<{ p: string; created_at: number }>`select tableoid::regclass::text as p, created_at from appeals order by created_at`.execute(handle.db)).rows;
      expect(rows.map((r) => r.p)).toEqual(['appeals_p202412', 'appeals_p202501', 'appeals_p202606']);
      const audit = (await sql<{ p: string; seq: number }>`select tableoid::regclass::text as p, seq from audit_log order by seq`.execute(handle.db)).rows;
      expect(audit.map((r) => [r.p, Number(r.seq)])).toEqual([['audit_log_p202412', 1], ['audit_log_p202501', 2], ['audit_log_p202606', 3]]);
      // The sequence carries on after the copied rows.
      const next = await sql<{ seq: number }>`insert into audit_log (at, action, outcome, prev_hash, hash) values (${Date.now()}, 'after', 'success', 'p', 'h') returning seq`.execute(handle.db);
      expect(Number(next.rows[0]!.seq)).toBe(4);
      const events = (await sql<{ n: number }>`select count(*)::int as n from appeal_events`.execute(handle.db)).rows[0]!.n;
      expect(events).toBe(3);
      const idx = (await sql<{ indexname: string }>`select indexname from pg_indexes where tablename = 'appeals'`.execute(handle.db)).rows.map((r) => r.indexname);
      expect(idx).toEqual(expect.arrayContaining(['appeals_pkey', 'appeals_unit_status', 'appeals_created', 'appeals_tracking_code', 'appeals_closed_at']));
    } finally {
      await handle.close();
      await tdb.drop();
    }
  });
});

describe('minbiao partitions', () => {
  it.runIf(!PG)('on SQLite says there is nothing to partition (exit 2)', async () => {
    const tdb = await createTestDatabase();
    try {
      const { DATABASE_URL: _none, ...env } = process.env;
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/minbiao.mjs'), 'partitions'], { env: { ...env, DATA_DIR: tdb.config.dataDir, NODE_ENV: 'test', MINBIAO_SECRET: 'test-secret-0123456789-abcdefghijklmnop' }, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('SQLite 不分区');
    } finally {
      await tdb.drop();
    }
  });

  it.runIf(PG)('lists the partitions and creates the coming months (JSON)', async () => {
    const tdb = await createTestDatabase();
    try {
      const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/minbiao.mjs'), 'partitions', '--ensure', '--json'], { env: { ...process.env, DATABASE_URL: tdb.config.DATABASE_URL!, DATA_DIR: tdb.config.dataDir, NODE_ENV: 'test', MINBIAO_SECRET: 'test-secret-0123456789-abcdefghijklmnop' }, encoding: 'utf8' });
      const r = JSON.parse(out) as { ensured: { created: string[] }; partitions: { table: string; month: string }[] };
      expect(r.ensured.created).toEqual([]);
      expect(r.partitions.filter((p) => p.table === 'appeals').length).toBeGreaterThanOrEqual(4);
    } finally {
      await tdb.drop();
    }
  });
});
