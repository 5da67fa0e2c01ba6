// Rate limits shared by several app instances (issue 9, docs/deployment.md §3): the same token buckets
// as MemoryRateLimiter, kept in Redis and updated atomically by one Lua script (EVALSHA through
// ioredis' defineCommand), one hash per rule + subject, expiring once the bucket would be full again.
//
// When Redis cannot be reached (not started, down, or slower than the command timeout) the limiter
// fails open to the in-process limiter: the request is still limited, per process, and never refused
// with a 500 because of Redis; a warning is logged (at most once a minute) and `/api/health` reports
// redis "unavailable". Every call tries Redis again, so the shared budget is back as soon as Redis is.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MemoryRateLimiter, type RateDecision, type RateLimiter, type RateRule } from './rateLimit.ts';

/**
 * KEYS[1]: the bucket. ARGV: capacity, tokens per ms, now (ms), cost.
 * The bucket's time never moves back (an instance whose clock is behind adds no tokens).
 * Returns {ok 0|1, floor(tokens left), ms until `cost` tokens are back (0 when ok)}.
 */
const TAKE_LUA = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = tokens + (now - at) * rate
  at = now
end
if tokens > capacity then tokens = capacity end
local ok = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  ok = 1
else
  retry = math.ceil((cost - tokens) / rate)
end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'a', string.format('%.17g', at))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
return {ok, math.floor(tokens), retry}
`;

type TakeCommand = (key: string, capacity: string, rate: string, now: string, cost: string) => Promise<[number, number, number]>;

export interface RedisRateLimiterOptions {
  /** Prefix of every key (default `minbiao:`); the buckets are `${prefix}rl:${rule}:${subject}`. */
  prefix?: string;
  log?: Logger;
  /** Used while Redis is unreachable (default: a MemoryRateLimiter). */
  fallback?: RateLimiter;
  /** A command slower than this counts as Redis unreachable for that request (default 500 ms). */
  commandTimeoutMs?: number;
  /** First connection's timeout (default 2 s). */
  connectTimeoutMs?: number;
}

export type RedisStatus = 'ok' | 'unavailable';

/** An ioredis client for the limiter: lazy, no offline queue (a command fails at once while disconnected), bounded waits. */
export function createRedisClient(url: string, opts: { commandTimeoutMs?: number; connectTimeoutMs?: number } = {}): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: opts.commandTimeoutMs ?? 500,
    connectTimeout: opts.connectTimeoutMs ?? 2000,
    // Reconnect in the background, at most every 2 s, for as long as the process lives.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
}

export class RedisRateLimiter implements RateLimiter {
  readonly store = 'redis' as const;
  readonly prefix: string;
  readonly fallback: RateLimiter;
  private readonly take_: TakeCommand;
  private firstConnect: Promise<boolean> | null = null;
  private lastWarnAt = 0;
  private degraded = false;

  constructor(
    readonly redis: Redis,
    private readonly opts: RedisRateLimiterOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'minbiao:';
    this.fallback = opts.fallback ?? new MemoryRateLimiter();
    if (!('minbiaoRateTake' in redis)) redis.defineCommand('minbiaoRateTake', { numberOfKeys: 1, lua: TAKE_LUA });
    this.take_ = (redis as unknown as { minbiaoRateTake: TakeCommand }).minbiaoRateTake.bind(redis);
    // Connection errors are handled per call (fallback); without a listener ioredis prints each one.
    redis.on('error', (e: Error) => this.warn(e, 'redis error'));
    redis.on('ready', () => {
      if (this.degraded) opts.log?.info('redis reachable again: rate limits are shared across instances');
      this.degraded = false;
    });
  }

  static fromUrl(url: string, opts: RedisRateLimiterOptions = {}): RedisRateLimiter {
    return new RedisRateLimiter(createRedisClient(url, opts), opts);
  }

  private bucketKey(rule: RateRule, key: string): string {
    return `${this.prefix}rl:${rule.name}:${key}`;
  }

  /** Connects (once; ioredis reconnects by itself afterwards). False when Redis is not reachable now. */
  async connect(): Promise<boolean> {
    const st = this.redis.status;
    if (st === 'ready') return true;
    if (st === 'wait') this.firstConnect ??= this.redis.connect().then(() => true, () => false);
    if (this.firstConnect) {
      const ok = await this.firstConnect;
      return ok && this.redis.status === 'ready';
    }
    return false;
  }

  async take(rule: RateRule, key: string, now: number, cost = 1): Promise<RateDecision> {
    if (await this.connect()) {
      try {
        const [ok, remaining, retryAfterMs] = await this.take_(this.bucketKey(rule, key), String(rule.capacity), String(rule.refillPerMs), String(now), String(cost));
        return { ok: ok === 1, remaining: Number(remaining), retryAfterMs: Number(retryAfterMs) };
      } catch (e) {
        this.warn(e as Error, 'redis rate limit failed');
      }
    } else {
      this.warn(null, 'redis unreachable');
    }
    return this.fallback.take(rule, key, now, cost);
  }

  /** Deletes this prefix's buckets (tests, `minbiao` maintenance) and the fallback's. */
  async reset(): Promise<void> {
    await this.fallback.reset();
    if (!(await this.connect())) return;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}rl:*`, 'COUNT', 500);
      if (keys.length) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** For /api/health: does Redis answer now? */
  async status(): Promise<RedisStatus> {
    if (!(await this.connect())) return 'unavailable';
    try {
      return (await this.redis.ping()) === 'PONG' ? 'ok' : 'unavailable';
    } catch {
      return 'unavailable';
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
  }

  private warn(e: Error | null, what: string): void {
    this.degraded = true;
    const now = Date.now();
    if (now - this.lastWarnAt < 60_000) return;
    this.lastWarnAt = now;
    this.opts.log?.warn({ err: e ?? undefined }, `${what}: rate limits fall back to this process's memory (N instances allow N times the rate) until Redis is back`);
  }
}
