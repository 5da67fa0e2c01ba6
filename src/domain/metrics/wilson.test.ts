import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialCdf } from './special.ts';
import { wilsonInterval } from './wilson.ts';

describe('Wilson interval', () => {
  it('matches published values (Newcombe 1998)', () => {
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('contains the estimate, stays in [0, 1], narrows with n, and allows fractional x', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const x = share * n; // fractional
        const [lo, hi] = wilsonInterval(x, n);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(x / n + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(x / n - 1e-12);
        const [lo4, hi4] = wilsonInterval(4 * x, 4 * n);
        expect(hi4 - lo4).toBeLessThanOrEqual(hi - lo + 1e-12);
      }),
    );
  });

  it('covers about 95 % (exact coverage, computed from the binomial distribution)', () => {
    for (const [n, p] of [
      [20, 0.1],
      [50, 0.85],
      [200, 0.95],
    ] as const) {
      let coverage = 0;
      for (let x = 0; x <= n; x++) {
        const [lo, hi] = wilsonInterval(x, n);
        if (lo <= p && p <= hi) coverage += binomialCdf(x, n, p) - binomialCdf(x - 1, n, p);
      }
      expect(coverage).toBeGreaterThan(0.9);
      expect(coverage).toBeLessThan(0.99);
    }
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
  });
});
