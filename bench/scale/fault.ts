// The fault test of issue 9, scripted and repeatable: three app instances behind nginx on loopback,
// sharing one PostgreSQL database; a load of citizen submissions with idempotency keys and client
// retries; one instance killed (SIGKILL, no graceful shutdown) during the load and restarted.
// Afterwards: every acknowledged submission is stored exactly once, every key that was sent is stored
// exactly once, a staff session opened before the kill still works, and the scheduler kept running
// (its lease is held and renewed after the kill). Prints JSON; exits 1 when any check fails.
//   node --import tsx/esm bench/scale/fault.ts [--submissions 1500] [--concurrency 24] [--pg postgres://postgres@127.0.0.1:5432/test]
// Needs nginx (Debian: apt-get install -y nginx-light) and PostgreSQL.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const SUBMISSIONS = Number(arg('submissions', '1500'));
const CONCURRENCY = Number(arg('concurrency', '24'));
const PG_ADMIN = arg('pg', process.env.MINBIAO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const DB = `minbiao_fault_${process.pid}`;
const DB_URL = PG_ADMIN.replace(/\/[^/]*$/, `/${DB}`);
const BASE_PORT = 3400 + (process.pid % 200) * 5;
const LB_PORT = BASE_PORT;
const PORTS = [BASE_PORT + 1, BASE_PORT + 2, BASE_PORT + 3];
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = {
  ...process.env,
  DATABASE_URL: DB_URL,
  MINBIAO_SECRET: 'fault-test-secret-0123456789-abcdefghijklmnop',
  CAPTCHA_ENABLED: 'false',
  RATE_LIMITS_ENABLED: 'false',
  SCHEDULER_INTERVAL_SECONDS: '2',
  NOTIFY_INTERVAL_SECONDS: '2',
  HOTSPOT_REFRESH_MINUTES: '0',
  TEXT_RETRAIN_HOURS: '0',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  // The demo accounts (published passwords, no forced change) sign the load's staff session in.
  DEMO_MODE: 'true',
};

function findNginx(): string {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(p)) return p;
  throw new Error('nginx not found: apt-get install -y nginx-light');
}

function startInstance(port: number): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/minbiao.mjs'), 'serve'], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitHealthy(port: number, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await request(port, 'GET', '/api/health').catch(() => null);
    if (r && r.status === 200) return;
    await sleep(250);
  }
  throw new Error(`instance on ${port} did not become healthy`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
function request(port: number, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { agent, host: '127.0.0.1', port, path: url, method, timeout: 15_000, headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function main() {
  const nginxBin = findNginx();
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  admin.on('error', (e) => log(`admin connection: ${e.message}`));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-fault-'));
  const instances: (ChildProcess | null)[] = [];
  let nginx: ChildProcess | null = null;
  const checks: Record<string, boolean> = {};
  const report: Record<string, unknown> = { submissions: SUBMISSIONS, concurrency: CONCURRENCY, instances: PORTS.length };
  try {
    log('seeding the demo org into a fresh PostgreSQL database …');
    execFileSync(process.execPath, [path.join(ROOT, 'bin/minbiao.mjs'), 'seed', '--demo', '--appeals', '300', '--users'], { env: { ...env, DEMO_MODE: 'true' }, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const p of PORTS) instances.push(startInstance(p));
    await Promise.all(PORTS.map((p) => waitHealthy(p)));
    const conf = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream minbiao { ${PORTS.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join(' ')} keepalive 32; }
  server {
    listen 127.0.0.1:${LB_PORT};
    location / {
      proxy_pass http://minbiao;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      # Safe to retry elsewhere only for idempotent requests; submissions carry an Idempotency-Key and the client retries.
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}`;
    fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
    nginx = spawn(nginxBin, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitHealthy(LB_PORT);

    // A staff session opened before the fault.
    const login = await request(LB_PORT, 'POST', '/api/v1/auth/login', { username: 'dispatcher', password: 'Demo@2026' });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.json)}`);
    const token = login.json.token as string;
    const regions = await request(LB_PORT, 'GET', '/api/v1/regions', undefined, { authorization: `Bearer ${token}` });
    if (regions.status !== 200) throw new Error(`regions: ${regions.status} ${JSON.stringify(regions.json)}`);
    const regionCodes: string[] = (regions.json.items as { code: string }[]).filter((r) => r.code.length === 9).map((r) => r.code);

    // The load: each submission has its own key and is retried (same key) until acknowledged.
    const keys = Array.from({ length: SUBMISSIONS }, () => randomUUID());
    const acked = new Map<string, string>(); // key → appeal id
    let retries = 0;
    let failures = 0;
    const statuses: Record<string, number> = {};
    let next = 0;
    const t0 = performance.now();
    let killedAt = 0;
    let restartedAt = 0;
    const killAfter = Math.floor(SUBMISSIONS / 3);
    const worker = async () => {
      for (;;) {
        const n = next++;
        if (n >= SUBMISSIONS) return;
        if (n === killAfter) {
          // Kill the first instance hard (it is likely the scheduler's lease holder), restart it 3 s later.
          killedAt = Date.now();
          instances[0]!.kill('SIGKILL');
          log(`killed instance :${PORTS[0]} after ${n} submissions`);
          void (async () => {
            await sleep(3000);
            instances[0] = startInstance(PORTS[0]!);
            await waitHealthy(PORTS[0]!).catch(() => undefined);
            restartedAt = Date.now();
            log(`restarted instance :${PORTS[0]}`);
          })();
        }
        const key = keys[n]!;
        const body = {
          type: 'complaint',
          title: `FAULT-${n} 小区夜间噪音扰民`,
          body: `第${n}号测试诉求：小区旁边工地夜间施工噪音很大，影响休息，请尽快处理。`,
          regionCode: regionCodes[n % regionCodes.length],
          anonymous: false,
          citizenName: '测试',
          phone: `139${String(10_000_000 + n).slice(-8)}`,
        };
        for (let attempt = 0; ; attempt++) {
          const r = await request(LB_PORT, 'POST', '/api/v1/appeals', body, { 'idempotency-key': key }).catch((e: Error) => ({ status: 0, json: { error: e.message } }));
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status === 201 || r.status === 200) {
            acked.set(key, r.json.id as string);
            break;
          }
          if (attempt >= 30) {
            failures++;
            break;
          }
          retries++;
          await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)));
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - t0) / 1000;
    while (!restartedAt) await sleep(200);

    // Checks against the database.
    const db = new pg.Client({ connectionString: DB_URL });
    await db.connect();
    const stored = await db.query<{ id: string; title: string }>(`SELECT id, title FROM appeals WHERE title LIKE 'FAULT-%'`);
    const byTitle = new Map<string, number>();
    for (const r of stored.rows) byTitle.set(r.title, (byTitle.get(r.title) ?? 0) + 1);
    const storedIds = new Set(stored.rows.map((r) => r.id));
    const ackIds = [...acked.values()];
    checks.everyAcknowledgedStored = ackIds.every((id) => storedIds.has(id));
    checks.acknowledgedIdsDistinct = new Set(ackIds).size === ackIds.length;
    checks.storedExactlyOncePerSubmission = [...byTitle.values()].every((c) => c === 1) && stored.rows.length === acked.size;
    checks.noSubmissionGaveUp = failures === 0;
    const events = await db.query<{ n: string }>(`SELECT count(*) AS n FROM appeal_events e JOIN appeals a ON a.id = e.appeal_id WHERE a.title LIKE 'FAULT-%' AND e.action = 'submit'`);
    checks.oneSubmitEventEach = Number(events.rows[0]!.n) === stored.rows.length;

    // The session opened before the kill works through any instance (sessions live in the database).
    let sessionOk = true;
    for (let i = 0; i < 6; i++) {
      const r = await request(LB_PORT, 'GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${token}` });
      if (r.status !== 200) sessionOk = false;
    }
    checks.sessionSurvivedTheKill = sessionOk;

    // The scheduler: the lease is held and renewed after the kill (by a surviving or restarted instance).
    const until = Date.now() + 45_000;
    let lease: { holder: string; expires_at: string } | undefined;
    for (;;) {
      lease = (await db.query<{ holder: string; expires_at: string }>(`SELECT holder, expires_at FROM job_leases WHERE name = 'scheduler'`)).rows[0];
      if (lease && Number(lease.expires_at) > Date.now() && Number(lease.expires_at) - 30_000 > killedAt) break;
      if (Date.now() > until) break;
      await sleep(1000);
    }
    checks.schedulerRunningAfterKill = !!lease && Number(lease.expires_at) > Date.now();
    await db.end();

    Object.assign(report, {
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round((acked.size / seconds) * 10) / 10,
      acknowledged: acked.size,
      stored: stored.rows.length,
      clientRetries: retries,
      gaveUp: failures,
      statuses,
      killedAfter: killAfter,
      restartMs: restartedAt - killedAt,
      schedulerLeaseHolder: lease?.holder ?? null,
      checks,
      ok: Object.values(checks).every(Boolean),
    });
  } finally {
    nginx?.kill('SIGTERM');
    for (const i of instances) i?.kill('SIGTERM');
    await sleep(1500);
    agent.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((e: unknown) => {
  log(String(e instanceof Error ? e.stack : e));
  process.exit(1);
});
