import { describe, expect, it } from 'vitest';
import { DAY_MS, latentFigures, repeatAppealRates, sourceGovernance } from './latent.ts';
import { fact } from './testSupport.ts';

describe('repeat-appeal rate (重复诉求率)', () => {
  const closed = [
    fact({ appealId: 'c1', unitId: 'A', citizenKey: 'p1', placeKey: 'x', closedAt: 0 }),
    fact({ appealId: 'c2', unitId: 'A', citizenKey: 'p2', placeKey: 'y', closedAt: 0 }),
    fact({ appealId: 'c3', unitId: 'A', citizenKey: 'p3', placeKey: 'z', closedAt: 0 }),
    fact({ appealId: 'c4', unitId: 'B', citizenKey: 'p4', closedAt: 0 }),
    fact({ appealId: 'c5', unitId: 'B', status: 'redirected', citizenKey: 'p1', closedAt: 0 }), // not assessed
  ];
  const later = [
    fact({ appealId: 'l1', unitId: 'Z', citizenKey: 'p1', createdAt: 10 * DAY_MS }), // same citizen, same category
    fact({ appealId: 'l2', unitId: 'Z', citizenKey: 'q', placeKey: 'y', createdAt: 90 * DAY_MS }), // same place, on the last day
    fact({ appealId: 'l3', unitId: 'Z', citizenKey: 'p3', createdAt: 91 * DAY_MS }), // too late
    fact({ appealId: 'l4', unitId: 'Z', citizenKey: 'p4', categoryId: 'fraud', createdAt: DAY_MS }), // another matter
  ];

  it('finds repeats by citizen or by place + category within 90 days of closure', () => {
    const [a, b] = repeatAppealRates(closed, later);
    expect(a!.key).toBe('A');
    expect(a!.rate).toMatchObject({ num: 2, den: 3 });
    expect(a!.repeats).toEqual([
      { appealId: 'c1', followedBy: ['l1'], via: 'citizen' },
      { appealId: 'c2', followedBy: ['l2'], via: 'place' },
    ]);
    expect(b!.rate).toMatchObject({ num: 0, den: 1 });
  });

  it('takes an injected similarity and leaves undecided windows out', () => {
    const [, b] = repeatAppealRates(closed, later, { isSimilar: () => true });
    expect(b!.rate.num).toBe(1);
    const [a] = repeatAppealRates(closed, later, { observedUntil: 50 * DAY_MS });
    // c1 already has its repeat; c2 and c3 wait for the rest of their window.
    expect(a!.rate).toMatchObject({ num: 1, den: 1 });
    expect(a!.pending).toBe(2);
  });

  it('counts the same place only within the same township, the same specific place and the same category', () => {
    // Four noise complaints closed on day 0 in township 430104001, each followed by a stranger's complaint.
    const street = '430104001';
    const closedNoise = [
      fact({ appealId: 'n1', unitId: 'S', regionCode: street, citizenKey: 'a1', placeKey: 'compound-x', closedAt: 0 }),
      fact({ appealId: 'n2', unitId: 'S', regionCode: street, citizenKey: 'a2', placeKey: 'compound-y', closedAt: 0 }),
      fact({ appealId: 'n3', unitId: 'S', regionCode: street, citizenKey: 'a3', placeKey: null, closedAt: 0 }),
      fact({ appealId: 'n4', unitId: 'S', regionCode: street, citizenKey: 'a4', placeKey: 'compound-z', closedAt: 0 }),
      fact({ appealId: 'n5', unitId: 'S', regionCode: street, citizenKey: 'a5', placeKey: null, closedAt: 0 }),
    ];
    const strangers = [
      // Same compound, same township, same category: a repeat of n1.
      fact({ appealId: 'm1', regionCode: street, citizenKey: 'b1', placeKey: 'compound-x', createdAt: 5 * DAY_MS }),
      // Same street, another compound: not a repeat of n2 (it was one before: the township was the place).
      fact({ appealId: 'm2', regionCode: street, citizenKey: 'b2', placeKey: 'compound-w', createdAt: 5 * DAY_MS }),
      // No place named on either side: nothing joins n3 to it but a citizen, and the citizen differs.
      fact({ appealId: 'm3', regionCode: street, citizenKey: 'b3', placeKey: null, createdAt: 5 * DAY_MS }),
      // The same place key in another township is another place.
      fact({ appealId: 'm4', regionCode: '430104002', citizenKey: 'b4', placeKey: 'compound-z', createdAt: 5 * DAY_MS }),
      // Without a place, the same citizen still repeats.
      fact({ appealId: 'm5', regionCode: '430199001', citizenKey: 'a5', placeKey: null, createdAt: 5 * DAY_MS }),
    ];
    const [s] = repeatAppealRates(closedNoise, strangers);
    expect(s!.repeats).toEqual([
      { appealId: 'n1', followedBy: ['m1'], via: 'place' },
      { appealId: 'n5', followedBy: ['m5'], via: 'citizen' },
    ]);
    expect(s!.rate).toMatchObject({ num: 2, den: 5 });
    // Another category at the same compound is another matter.
    const [t] = repeatAppealRates([closedNoise[0]!], [{ ...strangers[0]!, categoryId: 'fraud' }]);
    expect(t!.rate).toMatchObject({ num: 0, den: 1 });
  });
});

describe('source governance (源头治理)', () => {
  it('compares appeals per 10,000 residents with a year earlier', () => {
    const s = sourceGovernance({ key: 'A', count: 120, population: 80_000, countLastYear: 150, populationLastYear: 78_000 });
    expect(s.per10k).toBeCloseTo(15, 12);
    expect(s.per10kLastYear).toBeCloseTo((150 / 78_000) * 10_000, 12);
    expect(s.ratio).toBeCloseTo(15 / s.per10kLastYear!, 12);
    expect(s.ratio95![0]).toBeLessThan(s.ratio!);
    expect(s.ratio95![1]).toBeGreaterThan(s.ratio!);
    expect(s.change!).toBeLessThan(0);
  });

  it('has null figures without a population', () => {
    expect(sourceGovernance({ key: 'A', count: 5, population: 0, countLastYear: 5, populationLastYear: 0 })).toMatchObject({ per10k: null, ratio: null });
  });

  it('assembles the 潜绩 with empty slots for modules still to come', () => {
    const l = latentFigures({ sourceGovernance: [sourceGovernance({ key: 'A', count: 1, population: 1, countLastYear: 1, populationLastYear: 1 })] });
    expect(l).toEqual([{ key: 'A', repeat: null, sourceGovernance: expect.any(Object), hotspotsResolved: null, surveyIndex: null }]);
  });
});
