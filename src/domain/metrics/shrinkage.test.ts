import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';
import { fitBetaPrior, posteriorOf, shrinkRates } from './shrinkage.ts';

describe('empirical-Bayes shrinkage', () => {
  it('recovers the prior of simulated peer groups (method of moments)', () => {
    const rng = new Rng(7);
    const obs = [];
    // True rates ~ Beta(45, 5): mean 0.9, strength 50.
    for (let i = 0; i < 400; i++) {
      const n = 20 + rng.int(400);
      const p = rng.beta(45, 5);
      obs.push({ key: `u${i}`, num: rng.binomial(n, p), den: n });
    }
    const prior = fitBetaPrior(obs);
    expect(prior.guard).toBeNull();
    expect(prior.mean).toBeCloseTo(0.9, 2);
    expect(prior.strength).toBeGreaterThan(35);
    expect(prior.strength).toBeLessThan(70);
  });

  it('pulls a small unit strongly and a large one hardly at all', () => {
    const { prior, units } = shrinkRates([
      { key: 'small', num: 3, den: 6 },
      { key: 'large', num: 2700, den: 3000 },
      { key: 'b', num: 900, den: 1000 },
      { key: 'c', num: 400, den: 500 },
      { key: 'd', num: 190, den: 200 },
    ]);
    const [small, large] = units;
    expect(small!.shrinkage).toBeGreaterThan(0.5);
    expect(Math.abs(small!.mean - prior.mean)).toBeLessThan(Math.abs(0.5 - prior.mean));
    expect(large!.shrinkage).toBeLessThan(0.05);
    expect(large!.mean).toBeCloseTo(0.9, 2);
  });

  it('guards: no spread between units → full pooling bounded by N; one unit → its own rate; all perfect → proper prior', () => {
    const same = fitBetaPrior([
      { key: 'a', num: 90, den: 100 },
      { key: 'b', num: 45, den: 50 },
      { key: 'c', num: 180, den: 200 },
    ]);
    expect(same.guard).toBe('no-between-unit-variance');
    expect(same.strength).toBe(350);
    expect(same.mean).toBeCloseTo(0.9, 12);

    const one = shrinkRates([{ key: 'a', num: 7, den: 10 }]);
    expect(one.prior.guard).toBe('too-few-units');
    expect(one.units[0]!.mean).toBeCloseTo(0.7, 12);

    const perfect = fitBetaPrior([
      { key: 'a', num: 10, den: 10 },
      { key: 'b', num: 20, den: 20 },
    ]);
    expect(perfect.guard).toBe('extreme-mean');
    expect(perfect.alpha).toBeGreaterThan(0);
    expect(perfect.beta).toBeGreaterThan(0);
  });

  it('uses the within-unit variance of scored rates (0.9 for 基本满意)', () => {
    // Unit b's items all score 0.9 (基本满意): little within-unit noise, so more of the spread is real.
    const withSq = fitBetaPrior([
      { key: 'a', num: 10, den: 10, sumSq: 10 },
      { key: 'b', num: 9, den: 10, sumSq: 8.1 },
      { key: 'c', num: 8.1, den: 10, sumSq: 7.29 },
    ]);
    const asIfBinary = fitBetaPrior([
      { key: 'a', num: 10, den: 10 },
      { key: 'b', num: 9, den: 10 },
      { key: 'c', num: 8.1, den: 10 },
    ]);
    expect(asIfBinary.strength).toBe(30); // spread no more than 0/1 noise would give: pooled up to N
    expect(withSq.withinVariance).toBeLessThan(asIfBinary.withinVariance);
    expect(withSq.strength).toBeLessThan(asIfBinary.strength);
  });

  it('posterior: mean between raw and prior mean, interval in [0, 1] around the mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (mean, strength, n, share) => {
          const prior = { alpha: mean * strength, beta: (1 - mean) * strength, mean, strength, betweenVariance: 0, withinVariance: 0, units: 2, guard: null };
          const x = Math.round(share * n);
          const p = posteriorOf({ key: 'u', num: x, den: n }, prior);
          const raw = n > 0 ? x / n : mean;
          expect(p.mean).toBeGreaterThanOrEqual(Math.min(raw, mean) - 1e-12);
          expect(p.mean).toBeLessThanOrEqual(Math.max(raw, mean) + 1e-12);
          expect(p.interval95[0]).toBeGreaterThanOrEqual(0);
          expect(p.interval95[1]).toBeLessThanOrEqual(1);
          expect(p.interval95[0]).toBeLessThanOrEqual(p.interval95[1]);
          // (A very skewed posterior, a or b < 1, can have its mean outside the central 95 %.)
          if (p.a >= 1 && p.b >= 1) {
            expect(p.interval95[0]).toBeLessThanOrEqual(p.mean);
            expect(p.interval95[1]).toBeGreaterThanOrEqual(p.mean);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
