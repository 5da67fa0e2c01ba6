// DATABASE_READ_URL (issue 9, docs/deployment.md §4): on PostgreSQL the dashboards, rankings and the
// monthly report read through a second pool — here the same test database through read-only
// sessions (default_transaction_read_only=on, application_name=minbiao-read), standing for a
// streaming replica — while writes, transactions and read-your-writes (the appeal just submitted,
// the snapshot just published, the weights just changed) stay on the primary. A query counter on
// the read pool shows which requests used it; the read-only sessions make any write sent through it
// fail. On SQLite the read pool is SQLITE_READ_THREADS worker threads, each with a read-only connection
// on the same file (src/store/sqlite-read-pool.ts), and DATABASE_READ_URL is refused.
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { closedByRating, replied, submit } from '../support/appeals.ts';
import { TEST_DB } from '../support/db.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

/** Counts the queries sent through a Kysely instance, by kind of statement. */
class QueryCounter implements KyselyPlugin {
  kinds: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.kinds.push(args.node.kind);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
  take(): string[] {
    const k = this.kinds;
    this.kinds = [];
    return k;
  }
}

describe(TEST_DB === 'postgres' ? 'read pool on PostgreSQL (read-only sessions standing for a replica)' : 'read pool on SQLite (read-only connections in worker threads)', () => {
  let h: Harness;
  const reads = new QueryCounter();
  let period: string;

  beforeAll(async () => {
    h = await createHarness({ env: FUNCTIONAL_ENV, readOnlyPool: TEST_DB === 'postgres' });
    if (TEST_DB === 'postgres') expect(h.s.ctx.handle.readReplica).toBe(true);
    else expect(h.s.ctx.handle.readThreads).toBe(2);
    // The services read ctx.readDb at each call: the counting wrapper shares the read pool.
    h.s.ctx.readDb = h.s.ctx.readDb.withPlugin(reads);
    await closedByRating(h, {}, 5);
    await closedByRating(h, { title: '楼下烧烤店油烟扰民', categoryId: 'order.noise' }, 2);
    await replied(h);
    h.clock.now += 40 * 86_400_000;
    period = '2026-03';
    reads.take();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('the read pool is a pool of its own whose sessions refuse writes', async () => {
    expect(h.s.ctx.readDb).not.toBe(h.s.ctx.db);
    await expect(h.s.ctx.readDb.insertInto('settings').values({ key: 'x', value: '1', updated_at: 0, updated_by: 'test' } as never).execute()).rejects.toThrow(/read-only transaction|reads only/);
    expect(await h.s.ctx.db.selectFrom('settings').select('key').where('key', '=', 'x').execute()).toEqual([]);
    const health = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toMatchObject(TEST_DB === 'postgres' ? { status: 'ok', database: 'postgres', readReplica: 'ok' } : { status: 'ok', database: 'sqlite', readThreads: 'ok' });
    reads.take();
  });

  it.skipIf(TEST_DB !== 'sqlite')('SQLite: the read threads see what the primary committed, at once, and not a transaction still open', async () => {
    const count = async () => Number((await h.s.ctx.readDb.selectFrom('appeals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await submit(h);
    expect(await count()).toBe(before + 1);
    const setting = () => h.s.ctx.readDb.selectFrom('settings').select('key').where('key', '=', 'test.read-threads').execute();
    await h.s.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('settings').values({ key: 'test.read-threads', value: '1', updated_at: 0, updated_by: 'test' } as never).execute();
      // Another connection: the primary's open transaction neither blocks it nor shows through.
      expect(await setting()).toEqual([]);
    });
    expect(await setting()).toEqual([{ key: 'test.read-threads' }]);
    expect(await count()).toBe(before + 1);
    reads.take();
  });

  it('submitting, handling, tracking and rating never touch the read pool', async () => {
    const a = await submit(h);
    await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: '13812345678' });
    const got = await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect(reads.take()).toEqual([]);
  });

  it('every dashboard, ranking and report endpoint reads through it (selects only)', async () => {
    const urls = [
      `/api/v1/metrics/summary?period=${period}`,
      `/api/v1/metrics/units/a-ps1?period=${period}`,
      `/api/v1/metrics/rankings?period=${period}&peerGroup=police_station:township`,
      `/api/v1/metrics/funnel?period=${period}&peerGroup=police_station:township&metric=satisfaction`,
      `/api/v1/metrics/breakdown?period=${period}&by=category`,
      `/api/v1/metrics/breakdown?period=${period}&by=region`,
      `/api/v1/metrics/drilldown?period=${period}&unitId=a-ps1&metric=satisfaction`,
      `/api/v1/metrics/drilldown?period=${period}&unitId=a-ps1&metric=repeat`,
      `/api/v1/reports/monthly?period=${period}&format=xlsx`,
    ];
    for (const url of urls) {
      const r = await h.api('leaderCity', 'GET', url);
      expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
      const kinds = reads.take();
      expect(kinds.length, url).toBeGreaterThan(0);
      expect(new Set(kinds), url).toEqual(new Set(['SelectQueryNode']));
    }
    const s = await h.api('auditor', 'GET', `/api/v1/metrics/signals?period=${period}`);
    expect(s.statusCode, s.body).toBe(200);
    expect(reads.take().length).toBeGreaterThan(0);
  });

  it('read-your-writes stay on the primary: the weights, one appeal’s explanation, snapshots', async () => {
    const cfg = await h.api('sysadmin', 'GET', '/api/v1/metrics/config');
    expect(cfg.statusCode, cfg.body).toBe(200);
    const put = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', cfg.json().config);
    expect(put.statusCode, put.body).toBe(200);
    const one = await h.s.ctx.db.selectFrom('score_facts').select('appeal_id').limit(1).executeTakeFirstOrThrow();
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/appeals/${one.appeal_id}`)).statusCode).toBe(200);
    const pub = await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period });
    expect(pub.statusCode, pub.body).toBe(201);
    const list = await h.api('leaderCity', 'GET', '/api/v1/metrics/snapshots');
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(pub.json().id);
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/${pub.json().id}`)).statusCode).toBe(200);
    expect(reads.take()).toEqual([]);
  });

  it.skipIf(TEST_DB !== 'postgres')('PostgreSQL itself saw the dashboard queries on the read pool’s sessions', async () => {
    // The read pool's server (the same one here; the replica with MINBIAO_TEST_READ_PG_URL).
    const url = new URL(h.db.config.DATABASE_READ_URL!);
    url.searchParams.set('application_name', 'minbiao-test-monitor');
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      const r = await c.query<{ query: string }>(
        `select query from pg_stat_activity where datname = $1 and application_name = 'minbiao-read' and pid <> pg_backend_pid()`,
        [url.pathname.slice(1)],
      );
      expect(r.rows.length).toBeGreaterThan(0);
      expect(r.rows.every((x) => /^\s*select/i.test(x.query))).toBe(true);
    } finally {
      await c.end();
    }
  });
});

describe('read pool configuration', () => {
  it('DATABASE_READ_URL needs DATABASE_URL (PostgreSQL): refused on SQLite', () => {
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://x@127.0.0.1/y' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_READ_URL: 'mysql://x' })).toThrow(/DATABASE_READ_URL/);
  });

  it.skipIf(TEST_DB !== 'sqlite')('SQLite with SQLITE_READ_THREADS=0: the read pool is the primary', async () => {
    const h = await createHarness({ enrolMfa: false, env: { SQLITE_READ_THREADS: '0' } });
    try {
      expect(h.s.ctx.readDb).toBe(h.s.ctx.db);
      expect(h.s.ctx.handle.readReplica).toBe(false);
      expect(h.s.ctx.handle.readThreads).toBe(0);
      const health = (await h.app.inject({ method: 'GET', url: '/api/health' })).json();
      expect(health.readReplica).toBeUndefined();
      expect(health.readThreads).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
