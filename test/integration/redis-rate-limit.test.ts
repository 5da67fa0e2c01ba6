// Rate limits shared by several app instances through Redis (issue 9): two limiters — and two whole
// apps — standing for two processes draw on one budget; the token bucket is atomic under concurrency
// and decides exactly as the in-process one does; and when Redis is unreachable or goes away the
// limits fall back to the process's memory without a single 500.
// Needs the Redis at MINBIAO_TEST_REDIS_URL (default redis://127.0.0.1:6379): the suite FAILS when it
// is unreachable, unless MINBIAO_SKIP_REDIS=1 (ignored when CI=true). Every key carries a prefix
// unique to this run, deleted afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from 'pino';
import { MemoryRateLimiter, perMinute, type RateRule } from '../../src/services/security/rateLimit.ts';
import { createRedisClient, RedisRateLimiter } from '../../src/services/security/redisRateLimit.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const REDIS_URL = process.env.MINBIAO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SKIP = process.env.MINBIAO_SKIP_REDIS === '1' && process.env.CI !== 'true';
const PREFIX = `minbiao-test:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;

/** A logger that keeps the warnings. */
function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log = { warnings, warn: (_o: unknown, msg?: string) => warnings.push(String(msg ?? _o)), info: () => undefined, error: () => undefined, debug: () => undefined };
  return log as unknown as Logger & { warnings: string[] };
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe.skipIf(SKIP)('rate limits shared in Redis', () => {
  const admin = createRedisClient(REDIS_URL);
  const opened: RedisRateLimiter[] = [];
  const limiter = (prefix = PREFIX, log?: Logger) => {
    const l = RedisRateLimiter.fromUrl(REDIS_URL, { prefix, ...(log ? { log } : {}) });
    opened.push(l);
    return l;
  };

  beforeAll(async () => {
    try {
      await admin.connect();
      expect(await admin.ping()).toBe('PONG');
    } catch (e) {
      throw new Error(`Redis unreachable at ${REDIS_URL} (${(e as Error).message}): start it (redis-server --daemonize yes) or set MINBIAO_SKIP_REDIS=1 to skip this suite knowingly`);
    }
  });

  afterAll(async () => {
    for (const l of opened) await l.close();
    if (admin.status === 'ready') {
      const keys = await admin.keys(`${PREFIX}*`);
      if (keys.length) await admin.unlink(...keys);
      expect(await admin.keys(`${PREFIX}*`)).toEqual([]);
      await admin.quit();
    }
  });

  it('two limiters (two processes) draw on one budget, refilled at the rule’s rate; the bucket expires', async () => {
    const a = limiter();
    const b = limiter();
    const rule = perMinute('shared', 5);
    const t0 = 1_800_000_000_000;
    const oks = [];
    for (let i = 0; i < 5; i++) oks.push((await (i % 2 ? b : a).take(rule, '10.0.0.1', t0)).ok);
    expect(oks).toEqual([true, true, true, true, true]);
    const ra = await a.take(rule, '10.0.0.1', t0);
    const rb = await b.take(rule, '10.0.0.1', t0);
    expect([ra.ok, rb.ok]).toEqual([false, false]);
    expect(rb.retryAfterMs).toBe(12_000);
    // Another subject has its own bucket.
    expect((await b.take(rule, '10.0.0.2', t0)).ok).toBe(true);
    // One token back after 12 s, for whichever instance asks first.
    expect((await b.take(rule, '10.0.0.1', t0 + 12_000)).ok).toBe(true);
    expect((await a.take(rule, '10.0.0.1', t0 + 12_000)).ok).toBe(false);
    // A key per rule + subject, expiring when the bucket would be full again (≤ 60 s + 1 s here).
    const key = `${PREFIX}rl:shared:10.0.0.1`;
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(61_000);
  });

  it('is atomic: 60 concurrent takes from two clients on a bucket of 10 grant exactly 10', async () => {
    const a = limiter();
    const b = limiter();
    const rule = perMinute('race', 10);
    const now = 1_800_000_000_000;
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).take(rule, 'one', now)));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
  });

  it('decides exactly as the in-process limiter for the same sequence of requests', async () => {
    const r = limiter();
    const m = new MemoryRateLimiter();
    const rules: RateRule[] = [perMinute('same-a', 3), perMinute('same-b', 7), { name: 'same-c', capacity: 2, refillPerMs: 1 / 9_000 }];
    let now = 1_800_000_000_000;
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      now += Math.floor(rand() * 9_000);
      const rule = rules[Math.floor(rand() * rules.length)]!;
      const key = `k${Math.floor(rand() * 3)}`;
      const cost = rand() < 0.1 ? 2 : 1;
      expect(await r.take(rule, key, now, cost), `step ${i}`).toEqual(await m.take(rule, key, now, cost));
    }
  });

  it('reset() deletes this prefix’s buckets only', async () => {
    const other = `${PREFIX}other:`;
    const a = limiter(`${PREFIX}mine:`);
    const b = limiter(other);
    const rule = perMinute('reset', 1);
    await a.take(rule, 'x', 0);
    await b.take(rule, 'x', 0);
    await a.reset();
    expect((await a.take(rule, 'x', 0)).ok).toBe(true);
    expect((await b.take(rule, 'x', 0)).ok).toBe(false);
  });

  describe('two app instances with REDIS_URL', () => {
    let h1: Harness;
    let h2: Harness;
    beforeAll(async () => {
      const env = { REDIS_URL, REDIS_KEY_PREFIX: `${PREFIX}apps:`, RATE_CAPTCHA_PER_IP_MINUTE: '4' };
      h1 = await createHarness({ env, enrolMfa: false });
      h2 = await createHarness({ env, enrolMfa: false });
    });
    afterAll(async () => {
      await h1?.close();
      await h2?.close();
    });

    it('share one budget per address: the fifth challenge is refused by whichever instance gets it', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await (i % 2 ? h2 : h1).app.inject({ method: 'GET', url: '/api/v1/captcha' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
      for (const h of [h1, h2]) {
        const health = await h.app.inject({ method: 'GET', url: '/api/health' });
        expect(health.statusCode).toBe(200);
        expect(health.json().redis).toBe('ok');
      }
    });
  });

  describe('Redis unreachable', () => {
    it('from the start: the process’s own buckets limit, a warning is logged, the status is "unavailable"', async () => {
      const log = recordingLog();
      const l = RedisRateLimiter.fromUrl(`redis://127.0.0.1:${await closedPort()}`, { prefix: PREFIX, log });
      opened.push(l);
      const rule = perMinute('down', 2);
      const oks = [];
      for (let i = 0; i < 3; i++) oks.push((await l.take(rule, 'ip', 1_000)).ok);
      expect(oks).toEqual([true, true, false]);
      expect(await l.status()).toBe('unavailable');
      expect(log.warnings.some((w) => /fall back to this process's memory/.test(w))).toBe(true);
    });

    it('going away mid-run: the next request falls back, no error reaches the caller', async () => {
      const l = limiter();
      const rule = perMinute('gone', 3);
      expect((await l.take(rule, 'ip', 5_000)).ok).toBe(true);
      l.redis.disconnect();
      const d = await l.take(rule, 'ip', 5_000);
      expect(d.ok).toBe(true); // the fallback's own bucket (Redis's state is not copied)
      expect(await l.status()).toBe('unavailable');
    });

    it('an app whose Redis is down answers (fallback limits), never 500, and its health says so', async () => {
      const h = await createHarness({ env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, RATE_CAPTCHA_PER_IP_MINUTE: '2' }, enrolMfa: false });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 3; i++) codes.push((await h.app.inject({ method: 'GET', url: '/api/v1/captcha' })).statusCode);
        expect(codes).toEqual([200, 200, 429]);
        const health = await h.app.inject({ method: 'GET', url: '/api/health' });
        expect(health.statusCode).toBe(200);
        expect(health.json()).toMatchObject({ status: 'ok', redis: 'unavailable' });
      } finally {
        await h.close();
      }
    });

    it('a Redis that dies and comes back: fallback while it is down, shared again once it is up', async () => {
      const port = await closedPort();
      const start = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const waitUp = async (c: ReturnType<typeof createRedisClient>) => {
        for (let i = 0; i < 100; i++) {
          if (c.status === 'ready' && (await c.ping().catch(() => null)) === 'PONG') return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('redis-server did not come up');
      };
      let server: ChildProcess = start();
      const url = `redis://127.0.0.1:${port}`;
      const a = RedisRateLimiter.fromUrl(url, { prefix: PREFIX });
      const b = RedisRateLimiter.fromUrl(url, { prefix: PREFIX });
      opened.push(a, b);
      try {
        const probe = createRedisClient(url).on('error', () => undefined);
        probe.connect().catch(() => undefined);
        await waitUp(probe);
        probe.disconnect();
        expect(await a.connect()).toBe(true);
        expect(await b.connect()).toBe(true);
        const rule = perMinute('flap', 2);
        expect((await a.take(rule, 'ip', 0)).ok).toBe(true);
        expect((await b.take(rule, 'ip', 0)).ok).toBe(true);
        expect((await a.take(rule, 'ip', 0)).ok).toBe(false); // shared: the budget of 2 is spent

        server.kill('SIGKILL');
        await new Promise((r) => server.once('exit', r));
        // Down: each falls back to its own memory, which has a fresh bucket; nothing throws.
        expect((await a.take(rule, 'ip', 0)).ok).toBe(true);
        expect((await b.take(rule, 'ip', 0)).ok).toBe(true);
        expect(await a.status()).toBe('unavailable');

        server = start();
        await waitUp(a.redis);
        await waitUp(b.redis);
        // Back (an empty Redis: no persistence here): shared again.
        expect((await a.take(rule, 'ip', 0)).ok).toBe(true);
        expect((await b.take(rule, 'ip', 0)).ok).toBe(true);
        expect((await a.take(rule, 'ip', 0)).ok).toBe(false);
        expect((await b.take(rule, 'ip', 0)).ok).toBe(false);
        expect(await b.status()).toBe('ok');
      } finally {
        await a.close();
        await b.close();
        server.kill('SIGKILL');
      }
    });
  });
});
