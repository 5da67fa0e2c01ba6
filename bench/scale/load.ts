// bench/scale: the product at growing volume (issue 9's proof). For each database and each size of a
// generated city (the demo seeder, a year of history, text analysis off):
//   - seeding, in its own process (bench/scale/seed.ts): time, rate, memory; then the full recompute of
//     the figures from the appeal events and the month's ranking of every peer group, against a bare SQL
//     aggregate of the same month;
//   - the real server in its own process (bench/scale/server.ts), with bare baselines in the same process;
//   - reads under `--concurrency` (50) clients signed in as the demo leader: the leader's dashboard
//     (GET /api/v1/metrics/summary, and the overdue count the dashboard also asks for), the month's
//     ranking (GET /api/v1/metrics/rankings) and the first page of the appeal list (GET /api/v1/appeals),
//     against a constant route and a bare SQL aggregate route;
//   - citizen submissions (POST /api/v1/appeals) under 50 clients against bench/ingest's bare insert, and
//     the product's intake without text analysis (the ceiling of an acknowledge-first intake);
//   - the server's memory (VmRSS, VmHWM, heap) idle, after the reads and after the writes.
// Every load is run in `--rounds` slices interleaved with its baselines (the machine is shared: the
// ratios are the figures, not the absolute times). Prints JSON on stdout, progress on stderr.
//   node --import tsx/esm bench/scale/load.ts [--sizes 10000,50000,100000] [--pg-sizes 10000,50000]
//     [--no-pg] [--no-sqlite] [--seconds 6] [--rounds 2] [--concurrency 50] [--sqlite-read-threads 2]
// (larger cities by flag, e.g. --sizes 10000,50000,200000 --pg-sizes 10000,50000,100000 took 40 minutes here.)
import os from 'node:os';
import { spawn } from 'node:child_process';
import { addMonths, monthOf } from '../../src/store/partitions.ts';
import { submissionBody } from '../lib/bare.ts';
import { round, runLoad, summarize, type LoadResult } from '../lib/load.ts';
import { flag, pgReachable, postgresMemory, procMemory, startServerProcess, tempDatabase, type Dialect } from '../lib/setup.ts';

const args = process.argv.slice(2);
// Defaults sized to finish in about twenty minutes on the shared 2-core machine: seeding (≈ 700 appeals/s
// under load, both databases) and the recompute dominate, and the dashboard's latency under 50 readers
// grows with the city so each slice drains longer. --sizes alone sets both curves.
const sizes = flag(args, 'sizes', '10000,50000,100000').split(',').map(Number);
const pgSizes = flag(args, 'pg-sizes', args.includes('--sizes') ? sizes.join(',') : '10000,50000').split(',').map(Number);
const seconds = Number(flag(args, 'seconds', '6'));
const rounds = Number(flag(args, 'rounds', '2'));
const concurrency = Number(flag(args, 'concurrency', '50'));
// SQLite's read threads (SQLITE_READ_THREADS) the server runs with; several values serve the same city
// once each (reads only after the first), e.g. --sqlite-read-threads 2,0 to compare with and without.
const sqliteReadThreads = flag(args, 'sqlite-read-threads', '2').split(',').map(Number);
const NOW = Date.now();
const ACTIVE = 'submitted,returned,dispatched,accepted,contacted';
const log = (m: string) => process.stderr.write(`[bench/scale] ${m}\n`);

/** The last whole (Beijing) month: a full month of seeded history. */
const m = addMonths(monthOf(NOW), -1);
const MONTH = `${m.year}-${String(m.month).padStart(2, '0')}`;

async function seedProcess(env: Record<string, string>, appeals: number): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', 'bench/scale/seed.ts', '--appeals', String(appeals), '--now', String(NOW), '--month', MONTH], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`seeding exited ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

async function getJson<T>(url: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: T; ms: number }> {
  const t = performance.now();
  const res = await fetch(url, body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  return { status: res.status, json, ms: round(performance.now() - t, 1) };
}

interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
  body?: (i: number) => unknown;
  /** Run after each of this target's slices (and its warm-up), outside the timing. */
  after?: () => Promise<unknown>;
}

/** Each target loaded for `seconds` in all, in `rounds` slices interleaved with the others; latencies pooled. */
async function interleaved(targets: Target[]): Promise<Record<string, LoadResult>> {
  const pooled = new Map(targets.map((t) => [t.name, { lat: [] as number[], ok: 0, errors: 0, seconds: 0, statuses: {} as Record<string, number> }]));
  for (const t of targets) {
    await runLoad({ url: t.url, concurrency, seconds: 1, ...(t.headers ? { headers: () => t.headers! } : {}), ...(t.body ? { body: t.body } : {}) }); // warm-up
    await t.after?.();
  }
  for (let r = 0; r < rounds; r++) {
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const p = pooled.get(t.name)!;
      const res = await runLoad({ url: t.url, concurrency, seconds: seconds / rounds, latencies: p.lat, ...(t.headers ? { headers: () => t.headers! } : {}), ...(t.body ? { body: t.body } : {}) });
      await t.after?.();
      p.ok += res.ok;
      p.errors += res.errors;
      p.seconds += res.seconds;
      for (const [k, v] of Object.entries(res.statuses)) p.statuses[k] = (p.statuses[k] ?? 0) + v;
    }
  }
  return Object.fromEntries([...pooled].map(([name, p]) => [name, summarize(p.lat, p.ok, p.errors, p.seconds, p.statuses)]));
}

async function runSize(dialect: Dialect, appeals: number) {
  const db = await tempDatabase(dialect, 'scale');
  // The demo accounts sign the readers in with their published password and no second factor (demo
  // mode, as test/browser does; it is refused with NODE_ENV=production, which changes nothing else on
  // these paths). The captcha and the per-address limits are off as in bench/ingest (50 clients, one address).
  const env: Record<string, string> = { ...db.env, NODE_ENV: 'development', DEMO_MODE: 'true', CAPTCHA_ENABLED: 'false', RATE_LIMITS_ENABLED: 'false' };
  try {
    log(`${dialect} · ${appeals} appeals · seeding …`);
    const seed = await seedProcess(env, appeals);
    // SQLite: the same city served once per read-thread count (the first with the submissions too).
    const variants = dialect === 'sqlite' ? sqliteReadThreads : [null];
    const runs = [];
    for (const [i, threads] of variants.entries()) {
      runs.push(await loadServer(dialect, appeals, seed, threads === null ? env : { ...env, SQLITE_READ_THREADS: String(threads) }, threads, i === 0));
    }
    const [first, ...others] = runs;
    return others.length > 0 ? { ...first, otherReadThreads: others } : first;
  } finally {
    await db.cleanup();
  }
}

/** One server process on a seeded city: the reads under load, then (withWrites) the submissions. */
async function loadServer(dialect: Dialect, appeals: number, seed: Record<string, unknown>, env: Record<string, string>, sqliteThreads: number | null, withWrites: boolean) {
  log(`${dialect} · ${appeals} · starting the server${sqliteThreads === null ? '' : ` (SQLITE_READ_THREADS=${sqliteThreads})`}`);
  const srv = await startServerProcess('bench/scale/server.ts', [], env);
  try {
    const api = `http://127.0.0.1:${srv.port}`;
    const bench = `http://127.0.0.1:${srv.ports.BENCH}`;
    const pid = srv.child.pid!;
    // PostgreSQL's own processes too (PSS, the whole server on this machine), on that dialect.
  const memory = async () => ({ ...procMemory(pid), ...(await getJson<Record<string, number>>(`${bench}/memory`)).json, ...(dialect === 'postgres' ? { postgres: postgresMemory() } : {}) });
    const idle = await memory();

    const login = await getJson<{ token: string }>(`${api}/api/v1/auth/login`, {}, { username: 'leader', password: 'Demo@2026' });
    if (login.status !== 200) throw new Error(`leader sign-in: ${login.status} ${JSON.stringify(login.json)}`);
    const auth = { authorization: `Bearer ${login.json.token}` };
    const me = await getJson<{ scope: { rootId: string } }>(`${api}/api/v1/auth/me`, auth);
    const groups = await getJson<{ items: { peerGroup: string; units: number }[] }>(`${api}/api/v1/metrics/peer-groups?period=${MONTH}`, auth);
    // The dashboard's default: the police stations' group.
    const peerGroup = groups.json.items.find((g) => g.peerGroup.startsWith('police_station'))?.peerGroup ?? groups.json.items[0]!.peerGroup;
    const [y, mo] = MONTH.split('-').map(Number) as [number, number];
    const start = Date.UTC(y, mo - 1, 1) - 8 * 3600_000;
    const end = Date.UTC(y, mo, 1) - 8 * 3600_000;
    const url = {
      bare: `${bench}/bare`,
      aggregate: `${bench}/aggregate?start=${start}&end=${end}`,
      dashboard: `${api}/api/v1/metrics/summary?period=${MONTH}&unitId=${encodeURIComponent(me.json.scope.rootId)}`,
      dashboardOverdueCount: `${api}/api/v1/appeals?status=${ACTIVE}&overdue=true&pageSize=0`,
      rankings: `${api}/api/v1/metrics/rankings?period=${MONTH}&peerGroup=${encodeURIComponent(peerGroup)}`,
      appealList: `${api}/api/v1/appeals`,
    };
    // One request each before any load: the first (cold) answer, and that the endpoint answers at all.
    const first: Record<string, { status: number; ms: number }> = {};
    for (const [name, u] of Object.entries(url)) {
      const r = await getJson<{ total?: number; cached?: boolean }>(u, auth);
      if (r.status !== 200) throw new Error(`${name}: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
      first[name] = { status: r.status, ms: r.ms };
    }
    log(`${dialect} · ${appeals} · reads under ${concurrency} clients …`);
    const reads = await interleaved(Object.entries(url).map(([name, u]) => ({ name, url: u, headers: auth })));
    const afterReads = await memory();

    const p99 = (k: string) => reads[k]!.p99ms;
    const readRatios = {
      dashboardP99OverBareP99: round(p99('dashboard') / p99('bare'), 2),
      dashboardP99OverAggregateP99: round(p99('dashboard') / p99('aggregate'), 2),
      dashboardOverdueCountP99OverAggregateP99: round(p99('dashboardOverdueCount') / p99('aggregate'), 2),
      rankingsP99OverBareP99: round(p99('rankings') / p99('bare'), 2),
      rankingsP99OverAggregateP99: round(p99('rankings') / p99('aggregate'), 2),
      appealListP99OverBareP99: round(p99('appealList') / p99('bare'), 2),
      appealListP99OverAggregateP99: round(p99('appealList') / p99('aggregate'), 2),
      aggregateP99OverBareP99: round(p99('aggregate') / p99('bare'), 2),
    };
    if (!withWrites) {
      const result = { dialect, appeals, sqliteReadThreads: sqliteThreads, loadAverage1m: round(os.loadavg()[0]!, 1), firstRequestMs: Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.ms])), reads, ratios: readRatios, aims: { dashboardP99Under100ms: p99('dashboard') < 100 }, serverMemory: { idle, afterReads } };
      log(`result ${JSON.stringify(result)}`);
      return result;
    }

    const regions = await getJson<{ items: { code: string; level?: string }[] }>(`${api}/api/v1/regions`, auth);
    const region = regions.json.items.find((r) => r.code.length === 9)?.code ?? regions.json.items.at(-1)!.code;
    log(`${dialect} · ${appeals} · submissions under ${concurrency} clients …`);
    const writes = await interleaved([
      { name: 'bareInsert', url: `${bench}/bare-insert`, body: submissionBody(region), after: () => fetch(`${bench}/bare-cleanup`, { method: 'POST' }) },
      { name: 'submission', url: `${api}/api/v1/appeals`, body: submissionBody(region) },
      // The product's intake with no text analysis (bench/scale/server.ts): the ceiling of an intake
      // that would acknowledge first and analyse behind.
      { name: 'submissionWithoutAnalysis', url: `${bench}/intake-without-analysis`, body: submissionBody(region) },
    ]);
    const afterWrites = await memory();

    const result = {
      dialect,
      appeals,
      sqliteReadThreads: sqliteThreads,
      loadAverage1m: round(os.loadavg()[0]!, 1),
      seed,
      firstRequestMs: Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.ms])),
      reads,
      writes,
      ratios: {
        ...readRatios,
        submissionOverBareInsertRate: round(writes.submission!.perSecond / writes.bareInsert!.perSecond, 3),
        submissionWithoutAnalysisOverBareInsertRate: round(writes.submissionWithoutAnalysis!.perSecond / writes.bareInsert!.perSecond, 3),
      },
      aims: {
        dashboardP99Under100ms: p99('dashboard') < 100,
        submissionAtLeastHalfOfBare: writes.submission!.perSecond >= writes.bareInsert!.perSecond / 2,
      },
      serverMemory: { idle, afterReads, afterWrites },
    };
    log(`result ${JSON.stringify(result)}`);
    return result;
  } finally {
    await srv.stop();
  }
}

const dialects: Dialect[] = [...(args.includes('--no-sqlite') ? [] : (['sqlite'] as const)), ...(!args.includes('--no-pg') && (await pgReachable()) ? (['postgres'] as const) : [])];
const loadAtStart = os.loadavg().map((x) => round(x, 1));
const t0 = performance.now();
const results = [];
for (const dialect of dialects) for (const n of dialect === 'postgres' ? pgSizes : sizes) results.push(await runSize(dialect, n));
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'scale',
      command: `node --import tsx/esm bench/scale/load.ts ${args.join(' ')}`.trim(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg().map((x) => round(x, 1)) },
      month: MONTH,
      concurrency,
      secondsPerTarget: seconds,
      rounds,
      dialects,
      totalSeconds: Math.round((performance.now() - t0) / 1000),
      results,
    },
    null,
    2,
  )}\n`,
);
