// A token bucket per key (pure; the caller passes the time): `rate` tokens per minute, holding at
// most `burst` (default one minute's worth). Used to rate-limit each Open311 API key.

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 10_000) {}

  /** Takes one token; when none is left says how long until the next one. */
  take(key: string, ratePerMinute: number, now: number, burst = ratePerMinute): { ok: boolean; remaining: number; retryAfterMs: number } {
    const perMs = ratePerMinute / 60_000;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.evict(now, perMs, burst);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.at) * perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens), retryAfterMs: 0 };
    }
    return { ok: false, remaining: 0, retryAfterMs: Math.ceil((1 - b.tokens) / perMs) };
  }

  reset(key?: string): void {
    if (key === undefined) this.buckets.clear();
    else this.buckets.delete(key);
  }

  /** Forgets buckets that have refilled completely (they hold no state worth keeping). */
  private evict(now: number, perMs: number, burst: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= burst) this.buckets.delete(k);
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
