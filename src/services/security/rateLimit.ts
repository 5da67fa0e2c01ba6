// Rate limits of the public endpoints: token buckets per key (source address, phone blind index,
// tracking code). The store is behind an interface: in memory per process here; shared by several
// instances in Redis when REDIS_URL is set (redisRateLimit.ts, DESIGN.md §9).

export interface RateRule {
  /** Names the bucket family in keys and messages. */
  name: string;
  /** Burst size: the bucket's capacity. */
  capacity: number;
  /** Tokens added per millisecond. */
  refillPerMs: number;
}

export interface RateDecision {
  ok: boolean;
  remaining: number;
  /** When refused: how long until one token is back. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Where the buckets live: this process's memory, or Redis (shared by every instance). */
  readonly store: 'memory' | 'redis';
  take(rule: RateRule, key: string, now: number, cost?: number): Promise<RateDecision>;
  reset(): Promise<void>;
  /** A shared store's reachability (for /api/health). */
  status?(): Promise<'ok' | 'unavailable'>;
  close?(): Promise<void>;
}

export const perHour = (name: string, n: number): RateRule => ({ name, capacity: n, refillPerMs: n / 3_600_000 });
export const perDay = (name: string, n: number): RateRule => ({ name, capacity: n, refillPerMs: n / 86_400_000 });
export const perMinute = (name: string, n: number): RateRule => ({ name, capacity: n, refillPerMs: n / 60_000 });

/** Token buckets in a Map; full buckets are dropped when it grows past `maxKeys` (they carry no state). */
export class MemoryRateLimiter implements RateLimiter {
  readonly store = 'memory' as const;
  private readonly buckets = new Map<string, { tokens: number; at: number; rule: RateRule }>();

  constructor(private readonly maxKeys = 200_000) {}

  async take(rule: RateRule, key: string, now: number, cost = 1): Promise<RateDecision> {
    const k = `${rule.name}|${key}`;
    const b = this.buckets.get(k) ?? { tokens: rule.capacity, at: now, rule };
    const tokens = Math.min(rule.capacity, b.tokens + Math.max(0, now - b.at) * rule.refillPerMs);
    if (tokens < cost) {
      this.buckets.set(k, { tokens, at: now, rule });
      return { ok: false, remaining: Math.floor(tokens), retryAfterMs: Math.ceil((cost - tokens) / rule.refillPerMs) };
    }
    this.buckets.set(k, { tokens: tokens - cost, at: now, rule });
    if (this.buckets.size > this.maxKeys) this.sweep(now);
    return { ok: true, remaining: Math.floor(tokens - cost), retryAfterMs: 0 };
  }

  async reset(): Promise<void> {
    this.buckets.clear();
  }

  private sweep(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + Math.max(0, now - b.at) * b.rule.refillPerMs >= b.rule.capacity) this.buckets.delete(k);
    }
  }
}
