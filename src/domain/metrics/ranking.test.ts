import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG } from './config.ts';
import type { AppealFact } from './facts.ts';
import { computeUnitFigures } from './rates.ts';
import { rankPeerGroup, simulateRanks } from './ranking.ts';
import { fact, rated } from './testSupport.ts';

describe('simulateRanks', () => {
  const clear = [
    { key: 'best', components: [{ a: 950, b: 50, weight: 1 }] },
    { key: 'mid', components: [{ a: 800, b: 200, weight: 1 }] },
    { key: 'worst', components: [{ a: 500, b: 500, weight: 1 }] },
    { key: 'tiny', components: [{ a: 4, b: 1, weight: 1 }] },
  ];

  it('is deterministic for a seed and independent of input order', () => {
    const a = simulateRanks(clear, { draws: 500, seed: 42 });
    const b = simulateRanks([...clear].reverse(), { draws: 500, seed: 42 });
    expect(b).toEqual(a);
    expect(simulateRanks(clear, { draws: 500, seed: 43 })).not.toEqual(a);
  });

  it('gives clear units narrow rank intervals and a small unit a wide one', () => {
    const r = Object.fromEntries(simulateRanks(clear, { draws: 2000, seed: 1 }).map((u) => [u.key, u]));
    expect(r.best!.rank).toBe(1);
    expect(r.best!.rankInterval95).toEqual([1, 2]);
    // tiny (Beta(4, 1)) falls below 0.5 in 0.5⁴ ≈ 6 % of draws, so worst is sometimes third.
    expect(r.worst!.rankInterval95[1]).toBe(4);
    expect(r.worst!.pWorst).toBeGreaterThan(0.9);
    expect(r.worst!.notDistinguishableFromMedian).toBe(false);
    expect(r.tiny!.rankInterval95[1] - r.tiny!.rankInterval95[0]).toBeGreaterThanOrEqual(2);
    expect(r.tiny!.notDistinguishableFromMedian).toBe(true);
    expect(r.best!.interval95[0]).toBeLessThan(0.95);
    expect(r.best!.interval95[1]).toBeGreaterThan(0.95);
  });

  it('ranks lower-is-better rates the other way round', () => {
    const r = simulateRanks(clear.slice(0, 3), { draws: 200, higherIsBetter: false });
    expect(r.find((u) => u.key === 'worst')!.rank).toBe(1);
  });
});

describe('rankPeerGroup', () => {
  function unitFacts(unitId: string, n: number, good: number): AppealFact[] {
    return Array.from({ length: n }, (_, i) => fact({ appealId: `${unitId}-${i}`, unitId, rating: rated(i < good ? 5 : 2, i < good ? 'yes' : 'no') }));
  }
  // Twenty ordinary units around 88 %, one clearly bad large unit, one unit with 5 ratings.
  const ordinary = Array.from({ length: 20 }, (_, i) => unitFacts(`p${String(i).padStart(2, '0')}`, 300, 255 + i));
  const facts = [...ordinary.flat(), ...unitFacts('big-bad', 500, 350), ...unitFacts('small', 5, 2)];
  const figures = computeUnitFigures([...facts, fact({ appealId: 'x', unitId: 'unrated', status: 'dispatched', respondedOnTime: null, closedOnTime: null })]);
  const ranking = rankPeerGroup(figures, DEFAULT_METRICS_CONFIG, { draws: 1000, seed: 'peer' });

  it('lists units without ratings as unranked', () => {
    expect(ranking.unranked).toEqual([{ key: 'unrated', reason: 'no-valid-ratings' }]);
    expect(ranking.units).toHaveLength(22);
  });

  it('does not name the small unit worst on 5 ratings, while its raw rate is the lowest', () => {
    const small = ranking.units.find((u) => u.key === 'small')!;
    const bigBad = ranking.units.find((u) => u.key === 'big-bad')!;
    expect(small.raw.satisfaction).toBe(0.4);
    expect(small.shrunk.satisfaction.mean).toBeGreaterThan(0.6);
    expect(small.index.notDistinguishableFromMedian).toBe(true);
    expect(bigBad.index.rank).toBe(22);
    expect(bigBad.index.notDistinguishableFromMedian).toBe(false);
    expect(small.index.rank).toBeLessThan(22);
    expect(bigBad.index.pWorst).toBeGreaterThan(small.index.pWorst);
  });

  it('index estimates are 100 × Σ w·posterior means', () => {
    const u = ranking.units[0]!;
    const w = DEFAULT_METRICS_CONFIG.weights;
    expect(u.index.estimate).toBeCloseTo(100 * (w.response * u.shrunk.response.mean + w.resolution * u.shrunk.resolution.mean + w.satisfaction * u.shrunk.satisfaction.mean), 10);
  });
});

describe('sortFloat64', () => {
  it('sorts like a numeric sort', async () => {
    const fc = (await import('fast-check')).default;
    const { sortFloat64 } = await import('./ranking.ts');
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 300 }), (xs) => {
        const expected = [...xs].sort((a, b) => a - b);
        expect(Array.from(sortFloat64(Float64Array.from(xs)))).toEqual(expected);
      }),
    );
    const many = Float64Array.from({ length: 5000 }, (_, i) => (i * 7919) % 13);
    const s = sortFloat64(many);
    for (let i = 1; i < s.length; i++) expect(s[i]! >= s[i - 1]!).toBe(true);
  });
});
