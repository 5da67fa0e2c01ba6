// Crash safety (等保 2.0 数据完整性, DESIGN.md §10 "nothing accepted is ever lost"): the real server runs
// as a child process; clients stream citizen submissions with idempotency keys; the process is killed
// with SIGKILL in the middle; after a restart every acknowledged submission is there exactly once, and
// clients retrying the unacknowledged ones with the same keys create no duplicate.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/index.ts';
import { seedTestOrg } from '../factories/org.ts';
import { submitBody } from '../support/appeals.ts';
import { solvedCaptchaHttp } from '../support/captcha.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TEST_SECURITY_ENV } from '../support/harness.ts';

let db: TestDatabase;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const c = db.config;
  env = {
    ...process.env,
    ...TEST_SECURITY_ENV,
    NODE_ENV: 'test',
    DATA_DIR: c.DATA_DIR,
    MINBIAO_SECRET: c.MINBIAO_SECRET!,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}),
  };
  const s = await createServices(loadConfig(env));
  await seedTestOrg(s);
  await s.close();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.drop();
});

/** Starts `minbiao serve` and resolves with its URL once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.resolve('bin/minbiao.mjs'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /is running:\s+(http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}\n${err}`));
    });
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

interface Attempt {
  key: string;
  body: ReturnType<typeof submitBody>;
}

async function post(url: string, a: Attempt): Promise<Response> {
  return fetch(new URL('/api/v1/appeals', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': a.key, 'x-captcha': await solvedCaptchaHttp(url) },
    body: JSON.stringify(a.body),
  });
}

describe('crash safety', () => {
  it('SIGKILL mid-stream loses no acknowledged submission and duplicates none', async () => {
    const first = await startServer();
    const acked = new Map<string, string>();
    const attempted: Attempt[] = [];
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const key = `crash-${w}-${i}-${Math.random().toString(36).slice(2, 8)}`;
        const a: Attempt = { key, body: submitBody({ title: `崩溃测试 ${key}`, phone: `139${String(w * 10_000 + i).padStart(8, '0')}` }) };
        attempted.push(a);
        try {
          const r = await post(first.url, a);
          if (r.status === 201 || r.status === 200) acked.set(key, ((await r.json()) as { id: string }).id);
          else throw new Error(`unexpected ${r.status}: ${await r.text()}`);
        } catch (e) {
          if (!killed) throw e;
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    // Kill once a good number of submissions are acknowledged, while the others are in flight.
    while (acked.size < 60) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    const unacked = attempted.filter((a) => !acked.has(a.key));
    expect(unacked.length).toBeGreaterThan(0);

    const second = await startServer();
    try {
      // Clients retry everything they are unsure of — and, to be thorough, everything they got an answer for.
      for (const a of attempted) {
        const r = await post(second.url, a);
        expect([200, 201], await r.clone().text()).toContain(r.status);
        const body = (await r.json()) as { id: string; replayed: boolean };
        if (acked.has(a.key)) {
          expect(r.status).toBe(200);
          expect(body).toMatchObject({ id: acked.get(a.key), replayed: true });
        }
      }
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }

    const s = await createServices(loadConfig(env));
    try {
      const rows = await s.ctx.db.selectFrom('appeals').select(['id', 'title']).where('title', 'like', '崩溃测试 %').execute();
      const byTitle = new Map<string, number>();
      for (const r of rows) byTitle.set(r.title, (byTitle.get(r.title) ?? 0) + 1);
      for (const a of attempted) expect(byTitle.get(a.body.title), a.key).toBe(1);
      expect(rows).toHaveLength(attempted.length);
      const ids = new Set(rows.map((r) => r.id));
      for (const id of acked.values()) expect(ids.has(id)).toBe(true);
      const events = await s.ctx.db.selectFrom('appeal_events').select('appeal_id').where('action', '=', 'submit').execute();
      expect(events.filter((e) => ids.has(e.appeal_id))).toHaveLength(rows.length);
      expect((await s.audit.verify()).ok).toBe(true);
    } finally {
      await s.close();
    }
  }, 240_000);
});
