import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG, makeMetricsConfig } from './config.ts';
import { computeUnitFigures, contributionOf, responseOutcome } from './rates.ts';
import { arbFact, fact, rated } from './testSupport.ts';
import { wilsonInterval } from './wilson.ts';
import { WORKED_EXAMPLE } from './workedExample.ts';

describe('computeUnitFigures — the worked example of docs/metrics.md', () => {
  const [a] = computeUnitFigures(WORKED_EXAMPLE);

  it('counts volume, assessed and lists every exclusion with its reason', () => {
    expect(a!.key).toBe('A');
    expect(a!.volume).toBe(10);
    expect(a!.assessed).toBe(8);
    expect(a!.excluded).toEqual([
      { appealId: 'a06', reason: 'upheld-rating-appeal', scope: 'rating' },
      { appealId: 'a09', reason: 'redirected', scope: 'appeal' },
      { appealId: 'a10', reason: 'unreasonable', scope: 'appeal' },
    ]);
    expect(a!.rated).toBe(6);
  });

  it('computes the three rates with their denominators', () => {
    expect(a!.response).toMatchObject({ num: 6, den: 7 });
    expect(a!.response.value).toBeCloseTo(6 / 7, 15);
    expect(a!.resolution).toMatchObject({ num: 4.5, den: 6 });
    expect(a!.resolution.value).toBe(0.75);
    expect(a!.satisfaction.num).toBeCloseTo(4.8, 12);
    expect(a!.satisfaction.den).toBe(6);
    expect(a!.satisfaction.value).toBeCloseTo(0.8, 12);
    expect(a!.response.wilson95).toEqual(wilsonInterval(6, 7));
  });

  it('computes the 民标指数 = 100 × (0.1·6/7 + 0.5·0.75 + 0.4·0.8)', () => {
    expect(a!.index.value).toBeCloseTo(100 * (0.1 * (6 / 7) + 0.5 * 0.75 + 0.4 * 0.8), 10);
    expect(a!.index.value).toBeCloseTo(78.0714, 4);
    const [lo, hi] = a!.index.interval95!;
    expect(lo).toBeLessThan(a!.index.value!);
    expect(hi).toBeGreaterThan(a!.index.value!);
  });

  it('computes the auxiliaries', () => {
    expect(a!.ratingCoverage).toMatchObject({ num: 6, den: 7 });
    expect(a!.onTimeClosure).toMatchObject({ num: 6, den: 7 });
    expect(a!.returnRate).toMatchObject({ num: 1, den: 8 });
    expect(a!.reopenRate).toMatchObject({ num: 1, den: 8 });
    expect(a!.extensionRate).toMatchObject({ num: 1, den: 8 });
    expect(a!.faces).toEqual({ 1: 0, 2: 1, 3: 2, 4: 1, 5: 2 });
    expect(a!.solved).toEqual({ yes: 4, partly: 1, no: 1 });
  });

  it('follows the configured weights', () => {
    const cfg = makeMetricsConfig({ weights: { response: 0.2, resolution: 0.4, satisfaction: 0.4 }, levelWeights: { 3: 0.5 }, solvedWeights: { partly: 0 } });
    const [b] = computeUnitFigures(WORKED_EXAMPLE, cfg);
    expect(b!.satisfaction.num).toBeCloseTo(4, 12);
    expect(b!.resolution.num).toBe(4);
    expect(b!.index.value).toBeCloseTo(100 * (0.2 * (6 / 7) + 0.4 * (4 / 6) + 0.4 * (4 / 6)), 10);
  });
});

describe('rules', () => {
  it('judges a never-contacted appeal by the overdue mark or the reply', () => {
    expect(responseOutcome(fact({ appealId: 'x', status: 'dispatched', respondedOnTime: null }))).toBe('pending');
    expect(responseOutcome(fact({ appealId: 'x', status: 'dispatched', respondedOnTime: null, responseOverdue: true }))).toBe('miss');
    expect(responseOutcome(fact({ appealId: 'x', status: 'replied', respondedOnTime: null }))).toBe('miss');
  });

  it('has no index while a rate has no data, and [0, 1] intervals for empty rates', () => {
    const [u] = computeUnitFigures([fact({ appealId: 'x', status: 'dispatched', respondedOnTime: null, closedOnTime: null })]);
    expect(u!.satisfaction.value).toBeNull();
    expect(u!.satisfaction.wilson95).toEqual([0, 1]);
    expect(u!.index).toEqual({ value: null, interval95: null });
  });

  it('groups by any key, a fact counting once in each of several keys', () => {
    const facts = [
      fact({ appealId: '1', unitId: 'p1', rating: rated(5, 'yes') }),
      fact({ appealId: '2', unitId: 'p2', rating: rated(1, 'no') }),
    ];
    const figs = computeUnitFigures(facts, DEFAULT_METRICS_CONFIG, { keyOf: (f) => ['city', `district/${f.unitId}`, 'city'] });
    expect(figs.map((g) => [g.key, g.rated])).toEqual([
      ['city', 2],
      ['district/p1', 1],
      ['district/p2', 1],
    ]);
  });

  it('drill-down: the contributions of the appeals add up to the figures', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }).chain((ids) => fc.tuple(...ids.map((_, i) => arbFact(`f${i}`)))), (facts) => {
        const figs = computeUnitFigures(facts, DEFAULT_METRICS_CONFIG, { keyOf: () => 'all' });
        if (facts.length === 0) {
          expect(figs).toEqual([]);
          return;
        }
        const g = figs[0]!;
        const cs = facts.map((f) => contributionOf(f));
        const count = (p: (c: (typeof cs)[number]) => boolean) => cs.filter(p).length;
        expect(g.response.num).toBe(count((c) => c.response === 'hit'));
        expect(g.response.den).toBe(count((c) => c.response === 'hit' || c.response === 'miss'));
        expect(g.onTimeClosure.den).toBe(count((c) => c.onTimeClosure === 'hit' || c.onTimeClosure === 'miss'));
        expect(g.rated).toBe(count((c) => c.satisfactionScore !== null));
        expect(g.satisfaction.num).toBeCloseTo(cs.reduce((s, c) => s + (c.satisfactionScore ?? 0), 0), 9);
        expect(g.resolution.num).toBeCloseTo(cs.reduce((s, c) => s + (c.resolutionScore ?? 0), 0), 9);
        expect(g.excluded.length).toBe(count((c) => c.excluded !== null));
        expect(g.assessed + g.excluded.filter((e) => e.scope === 'appeal').length).toBe(g.volume);
        expect(g.ratingCoverage.num).toBeLessThanOrEqual(g.ratingCoverage.den);
      }),
    );
  });
});
