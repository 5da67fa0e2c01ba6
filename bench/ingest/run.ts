// bench/ingest: appeals accepted per second through POST /api/v1/appeals with 50 concurrent clients,
// against a bare Fastify route inserting the same row into the same database, measured in the same
// run, on SQLite and on PostgreSQL. Prints JSON; the ratio full/bare is the figure (aim ≥ 0.4).
//   node --import tsx/esm bench/ingest/run.ts [--seconds 10] [--concurrency 50] [--no-pg]
import os from 'node:os';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { submissionBody } from '../lib/bare.ts';
import { round, runLoad, type LoadResult } from '../lib/load.ts';
import { flag, pgReachable as reachable, startServerProcess, tempDatabase, type Dialect } from '../lib/setup.ts';

const args = process.argv.slice(2);
const seconds = Number(flag(args, 'seconds', '10'));
const concurrency = Number(flag(args, 'concurrency', '50'));

async function prepare(dialect: Dialect): Promise<{ env: Record<string, string>; region: string; cleanup: () => Promise<void> }> {
  const db = await tempDatabase(dialect, 'bench');
  // The figure is the intake path; the captcha (proof-of-work on the client) and the per-address limits of
  // the public endpoints are measured apart, so they are off here (50 clients share one address).
  const env: Record<string, string> = { ...db.env, NODE_ENV: 'production', CAPTCHA_ENABLED: 'false', RATE_LIMITS_ENABLED: 'false' };
  const s = await createServices(loadConfig({ ...env, LOG_LEVEL: 'silent' }));
  await seedDemo(s, { appeals: 0, seed: 1 });
  const region = (await s.org.regions()).find((r) => r.level === 'township')!.code;
  await s.close();
  return { env, region, cleanup: db.cleanup };
}

async function measure(dialect: Dialect) {
  const out: Record<string, LoadResult | number> = {};
  for (const mode of ['bare', 'full'] as const) {
    const prep = await prepare(dialect);
    const srv = await startServerProcess('bench/ingest/server.ts', [mode], prep.env);
    const url = `http://127.0.0.1:${srv.port}${mode === 'full' ? '/api/v1/appeals' : '/bare'}`;
    await runLoad({ url, concurrency, seconds: Math.min(2, seconds), body: submissionBody(prep.region) }); // warm-up
    out[mode] = await runLoad({ url, concurrency, seconds, body: submissionBody(prep.region) });
    await srv.stop();
    await prep.cleanup();
  }
  out.ratio = round((out.full as LoadResult).perSecond / (out.bare as LoadResult).perSecond, 3);
  return out;
}

const pgReachable = !args.includes('--no-pg') && (await reachable());
const result = {
  bench: 'ingest',
  concurrency,
  seconds,
  machine: { cpus: os.cpus().length, node: process.version },
  sqlite: await measure('sqlite'),
  ...(pgReachable ? { postgres: await measure('postgres') } : { postgres: 'skipped: unreachable or --no-pg' }),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
