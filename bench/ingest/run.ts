// bench/ingest: appeals accepted per second through POST /api/v1/appeals with 50 concurrent clients,
// against a bare Fastify route inserting the same row into the same database, measured in the same
// run, on SQLite and on PostgreSQL. Prints JSON; the ratio full/bare is the figure (aim ≥ 0.4).
//   node --import tsx/esm bench/ingest/run.ts [--seconds 10] [--concurrency 50] [--no-pg]
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { round, runLoad, type LoadResult } from '../lib/load.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const seconds = Number(arg('seconds', '10'));
const concurrency = Number(arg('concurrency', '50'));
const PG_ADMIN = process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

async function prepare(dialect: 'sqlite' | 'postgres'): Promise<{ env: Record<string, string>; region: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-bench-'));
  // The figure is the intake path; the captcha (proof-of-work on the client) and the per-address limits of
  // the public endpoints are measured apart, so they are off here (50 clients share one address).
  const env: Record<string, string> = { DATA_DIR: dir, MINBIAO_SECRET: SECRET, NODE_ENV: 'production', CAPTCHA_ENABLED: 'false', RATE_LIMITS_ENABLED: 'false' };
  let dbName: string | null = null;
  if (dialect === 'postgres') {
    dbName = `minbiao_bench_${Date.now().toString(36)}`;
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  const s = await createServices(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  await seedDemo(s, { appeals: 0, seed: 1 });
  const region = (await s.org.regions()).find((r) => r.level === 'township')!.code;
  await s.close();
  return {
    env,
    region,
    cleanup: async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (dbName) {
        const c = new pg.Client({ connectionString: PG_ADMIN });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
    },
  };
}

async function start(mode: 'full' | 'bare', env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', 'bench/ingest/server.ts', mode], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /PORT (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
  return { port, child };
}

const TEXTS = ['小区门口夜市摊贩占道经营,噪音和油烟扰民,希望有关部门管一管。', '我在网上买东西被骗了三千元,对方冒充客服让我转账,请问怎么报案?', '邻居装修把承重墙打掉了,物业不管,担心房屋安全,请求处理。'];
const body = (region: string) => (i: number) => ({
  type: 'complaint',
  title: `诉求压测标题 ${i}`,
  body: TEXTS[i % TEXTS.length]!,
  regionCode: region,
  phone: `138${String(10_000_000 + (i % 89_999_999)).padStart(8, '0')}`,
  citizenName: '测试',
  anonymous: false,
});

async function measure(dialect: 'sqlite' | 'postgres') {
  const out: Record<string, LoadResult | number> = {};
  for (const mode of ['bare', 'full'] as const) {
    const prep = await prepare(dialect);
    const srv = await start(mode, prep.env);
    const url = `http://127.0.0.1:${srv.port}${mode === 'full' ? '/api/v1/appeals' : '/bare'}`;
    await runLoad({ url, concurrency, seconds: Math.min(2, seconds), body: body(prep.region) }); // warm-up
    out[mode] = await runLoad({ url, concurrency, seconds, body: body(prep.region) });
    srv.child.kill('SIGTERM');
    await new Promise((r) => srv.child.once('exit', r));
    await prep.cleanup();
  }
  out.ratio = round((out.full as LoadResult).perSecond / (out.bare as LoadResult).perSecond, 3);
  return out;
}

let pgReachable = !args.includes('--no-pg');
if (pgReachable) {
  try {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.end();
  } catch {
    pgReachable = false;
  }
}
const result = {
  bench: 'ingest',
  concurrency,
  seconds,
  machine: { cpus: os.cpus().length, node: process.version },
  sqlite: await measure('sqlite'),
  ...(pgReachable ? { postgres: await measure('postgres') } : { postgres: 'skipped: unreachable or --no-pg' }),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
