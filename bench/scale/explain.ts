// bench/scale/explain: the query plans of the hot paths on PostgreSQL, for docs/deployment.md §6.
// Seeds a demo city, then calls the endpoints users hit most (the leader's dashboard and rankings, the
// dispatcher's queue, a handler's inbox, an appeal's page, citizen tracking, a submission) through the
// real HTTP app, records every SQL statement they run (pg's Client.query, as Kysely sends it), and prints
// EXPLAIN (ANALYZE, BUFFERS) of the slowest distinct SELECTs with their timings, as JSON.
//   node --import tsx/esm bench/scale/explain.ts [--appeals 50000] [--top 12]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const APPEALS = Number(arg('appeals', '50000'));
const TOP = Number(arg('top', '12'));
const PG_ADMIN = process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const log = (m: string) => process.stderr.write(`[bench/explain] ${m}\n`);

interface Captured {
  endpoint: string;
  text: string;
  values: unknown[];
  ms: number;
}

async function main(): Promise<void> {
  const dbName = `minbiao_bench_explain_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const u = new URL(PG_ADMIN);
  u.pathname = `/${dbName}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-explain-'));
  const now = Date.now();
  const s = await createServices(loadConfig({ DATA_DIR: dir, DATABASE_URL: u.toString(), MINBIAO_SECRET: 'bench-secret-0123456789-abcdefghijklmnop', LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', DEMO_MODE: 'true', CAPTCHA_ENABLED: 'false', RATE_LIMITS_ENABLED: 'false', AUTO_DISPATCH: 'off' }), { now: () => now });
  try {
    log(`seeding ${APPEALS} appeals`);
    const seeded = await seedDemo(s, { appeals: APPEALS, seed: 7, now, createUsers: true, analyzeText: false });
    const an = new pg.Client({ connectionString: u.toString() });
    await an.connect();
    await an.query('analyze');
    await an.end();
    const app = await buildApp(s, { logger: false });

    // Record what the endpoints send to PostgreSQL.
    const captured: Captured[] = [];
    let current = '';
    const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: pg.Client, ...a: unknown[]) {
      const first = a[0] as string | { text: string; values?: unknown[] };
      const text = typeof first === 'string' ? first : first?.text;
      const values = (typeof first === 'string' ? (a[1] as unknown[]) : first?.values) ?? [];
      const t = performance.now();
      const r = original.apply(this, a);
      const endpoint = current; // the endpoint that sent it, not the one running when it answers
      if (endpoint && text && r instanceof Promise) void r.then(() => captured.push({ endpoint, text, values, ms: performance.now() - t }), () => undefined);
      return r;
    };

    const login = async (username: string) => {
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'Demo@2026' } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      return (r.json() as { token: string }).token;
    };
    const tokens = { leader: await login('leader'), dispatcher: await login('dispatcher'), handler: await login('handler') };
    const last = new Date(now + 8 * 3600_000 - 31 * 86_400_000).toISOString().slice(0, 7);
    const runs: Record<string, number> = {};
    const call = async (name: string, who: keyof typeof tokens | null, method: 'GET' | 'POST', url: string, payload?: unknown) => {
      current = name;
      runs[name] = 3;
      for (let i = 0; i < 3; i++) {
        const r = await app.inject({ method, url, payload: payload as never, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
        if (r.statusCode >= 400) throw new Error(`${name}: ${r.statusCode} ${r.body.slice(0, 300)}`);
      }
      current = '';
    };
    const someAppeal = await s.ctx.db.selectFrom('appeals').select(['id', 'tracking_code', 'region_code']).where('anonymous', '=', 0).where('status', '=', 'closed').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const phone = s.ctx.pii.decrypt((await s.ctx.db.selectFrom('appeals').select('citizen_phone_enc').where('id', '=', someAppeal.id).executeTakeFirstOrThrow()).citizen_phone_enc);

    await call('leader: summary (dashboard)', 'leader', 'GET', `/api/v1/metrics/summary?period=${last}`);
    await call('leader: rankings', 'leader', 'GET', `/api/v1/metrics/rankings?period=${last}`);
    await call('leader: breakdown by category', 'leader', 'GET', `/api/v1/metrics/breakdown?period=${last}&by=category`);
    await call('dispatcher: queue (first page)', 'dispatcher', 'GET', '/api/v1/appeals?status=submitted&page=1&pageSize=20');
    await call('dispatcher: all appeals (first page)', 'dispatcher', 'GET', '/api/v1/appeals?page=1&pageSize=20');
    await call('handler: inbox (first page)', 'handler', 'GET', '/api/v1/appeals?page=1&pageSize=20');
    await call('dispatcher: appeal page', 'dispatcher', 'GET', `/api/v1/appeals/${someAppeal.id}`);
    await call('dispatcher: appeal timeline', 'dispatcher', 'GET', `/api/v1/appeals/${someAppeal.id}/events`);
    await call('citizen: track', null, 'POST', '/api/v1/track', { trackingCode: someAppeal.tracking_code, secret: phone });
    await call('citizen: submit', null, 'POST', '/api/v1/appeals', { type: 'complaint', title: '小区门口夜间施工噪音扰民', body: '小区门口的工地每天晚上施工到十二点以后,噪音很大,影响居民休息,请有关部门处理。', regionCode: someAppeal.region_code, anonymous: false, phone: '13900001111' });
    current = 'scheduler: deadline scan';
    runs[current] = 1;
    const job = new Scheduler(s);
    await job.tick();
    await job.stop();
    current = '';
    (pg.Client.prototype as unknown as { query: unknown }).query = original;

    // The slowest distinct SELECTs (by their best of the recorded runs).
    const byText = new Map<string, Captured>();
    for (const c of captured) {
      if (!/^\s*select/i.test(c.text)) continue;
      const prior = byText.get(c.text);
      if (!prior || c.ms < prior.ms) byText.set(c.text, c);
    }
    const slowest = [...byText.values()].sort((a, b) => b.ms - a.ms).slice(0, TOP);
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    const plans = [];
    for (const c of slowest) {
      const r = await client.query(`explain (analyze, buffers, costs off, summary on) ${c.text}`, c.values as unknown[]);
      plans.push({ endpoint: c.endpoint, ms: Math.round(c.ms * 100) / 100, sql: c.text.replace(/\s+/g, ' ').slice(0, 600), plan: r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n') });
    }
    await client.end();
    const perEndpoint: Record<string, { statements: number; totalMs: number }> = {};
    for (const c of captured) {
      const e = (perEndpoint[c.endpoint] ??= { statements: 0, totalMs: 0 });
      e.statements++;
      e.totalMs += c.ms;
    }
    // Per call of the endpoint (statements sent outside a named call, e.g. by background work, are left out).
    delete perEndpoint[''];
    for (const [name, e] of Object.entries(perEndpoint)) {
      const n = runs[name] ?? 1;
      e.statements = Math.round(e.statements / n);
      e.totalMs = Math.round((e.totalMs / n) * 10) / 10;
    }
    process.stdout.write(`${JSON.stringify({ appeals: seeded.appeals, events: seeded.events, perEndpoint, plans }, null, 2)}\n`);
    await app.close();
  } catch (e) {
    log(`failed: ${(e as Error).stack ?? String(e)}`);
    throw e;
  } finally {
    await s.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0)).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
