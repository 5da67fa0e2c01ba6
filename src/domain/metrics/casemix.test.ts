import { describe, expect, it } from 'vitest';
import { caseMixRatios } from './casemix.ts';
import type { AppealFact } from './facts.ts';
import { fact, rated } from './testSupport.ts';

/** n appeals of a unit in one stratum, `good` of them 非常满意 and the rest 非常不满意. */
function batch(unitId: string, categoryId: string, channel: AppealFact['channel'], n: number, good: number): AppealFact[] {
  return Array.from({ length: n }, (_, i) =>
    fact({ appealId: `${unitId}-${categoryId}-${channel}-${i}`, unitId, categoryId, channel, rating: rated(i < good ? 5 : 1, 'yes') }),
  );
}

describe('case mix (indirect standardisation)', () => {
  // Labour disputes by hotline are hard (50 % satisfied), consultations on the web easy (90 %).
  // Unit H gets mostly hard cases, unit E mostly easy ones; each does exactly as well as the
  // reference in each stratum — so both have O/E = 1 although their raw rates differ a lot.
  const facts = [
    ...batch('H', 'labour', 'hotline', 80, 40),
    ...batch('H', 'consult', 'web', 20, 18),
    ...batch('E', 'labour', 'hotline', 20, 10),
    ...batch('E', 'consult', 'web', 80, 72),
  ];
  const { reference, units } = caseMixRatios(facts, 'satisfaction');

  it('computes reference rates per stratum', () => {
    expect(reference.strata.map((s) => [s.stratum, s.rate])).toEqual([
      ['consult|complaint|web', 0.9],
      ['labour|complaint|hotline', 0.5],
    ]);
    expect(reference.overallRate).toBeCloseTo(0.7, 12);
  });

  it('gives O/E = 1 to both units despite raw rates of 58 % and 82 %', () => {
    const [e, h] = units;
    expect(h!.key).toBe('H');
    expect(h!.observedRate).toBeCloseTo(0.58, 12);
    expect(e!.observedRate).toBeCloseTo(0.82, 12);
    expect(h!.expected).toBeCloseTo(80 * 0.5 + 20 * 0.9, 12);
    expect(h!.ratio).toBeCloseTo(1, 12);
    expect(e!.ratio).toBeCloseTo(1, 12);
    expect(h!.adjustedRate).toBeCloseTo(0.7, 12);
    expect(h!.ratio95![0]).toBeLessThan(1);
    expect(h!.ratio95![1]).toBeGreaterThan(1);
  });

  it('shows a unit that does worse than its mix predicts', () => {
    const worse = [...facts, ...batch('W', 'consult', 'web', 100, 60)];
    const w = caseMixRatios(worse, 'satisfaction').units.find((u) => u.key === 'W')!;
    expect(w.ratio!).toBeLessThan(1);
    expect(w.ratio95![1]).toBeLessThan(1);
  });
});
