import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, perHour, perMinute } from './rateLimit.ts';

describe('token bucket', () => {
  it('allows a burst of the capacity, then refills at the rate, with a retry-after', async () => {
    const l = new MemoryRateLimiter();
    const rule = perMinute('t', 3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await l.take(rule, 'k', t0)).ok).toBe(true);
    const refused = await l.take(rule, 'k', t0);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfterMs).toBe(20_000);
    expect((await l.take(rule, 'other', t0)).ok).toBe(true);
    expect((await l.take(rule, 'k', t0 + 20_000)).ok).toBe(true);
    expect((await l.take(rule, 'k', t0 + 20_000)).ok).toBe(false);
    expect((await l.take(rule, 'k', t0 + 10 * 60_000)).remaining).toBe(2);
  });

  it('forgets full buckets when it grows too large', async () => {
    const l = new MemoryRateLimiter(10);
    const rule = perHour('t', 5);
    for (let i = 0; i < 20; i++) await l.take(rule, `k${i}`, 0);
    await l.take(rule, 'late', 10 * 3_600_000);
    expect((l as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(2);
  });
});
