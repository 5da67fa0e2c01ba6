// The post-stratification against examples computed by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { assignWeightingRegion, postStratifiedEstimate, regionWithin, unweightedEstimate, Z95, type MarginCell, type Observation } from './weighting.ts';

// Region A (population N = 1000) in four cells:
//
//   cell            N_h   W_h = N_h/N   respondents' scores y    n_h   ȳ_h   s_h² (n−1 denominator)
//   male   18-39    300   0.3           80, 100                  2     90    ((−10)² + 10²)/1            = 200
//   male   40+      200   0.2           60                       1     60    — (one respondent)
//   female 18-39    300   0.3           40, 60, 80, 100          4     70    (30²+10²+10²+30²)/3 = 2000/3 ≈ 666.67
//   female 40+      200   0.2           50, 70                   2     60    (10² + 10²)/1               = 200
//
// Unweighted mean: (80+100+60+40+60+80+100+50+70)/9 = 640/9 = 71.111…
// Post-stratified mean: Σ W_h ȳ_h = 0.3·90 + 0.2·60 + 0.3·70 + 0.2·60 = 27 + 12 + 21 + 12 = 72
// Respondent weights w = N_h/n_h: 300/2 = 150, 200/1 = 200, 300/4 = 75, 200/2 = 100; Σw = 2·150+200+4·75+2·100 = 1000
// Pooled within-cell variance (cells with n_h ≥ 2): (1·200 + 3·2000/3 + 1·200) / (1 + 3 + 1) = 2400/5 = 480
// v = Σ W_h² s_h² / n_h:
//   male 18-39:   0.09 · 200 / 2      = 9
//   male 40+:     0.04 · 480 / 1      = 19.2   (the pooled variance: one respondent only)
//   female 18-39: 0.09 · (2000/3) / 4 = 15
//   female 40+:   0.04 · 200 / 2      = 4
//   v = 47.2, SE = √47.2 = 6.870226…, 95% interval 72 ± 1.959964·6.870226 = 72 ± 13.465396 = [58.5346, 85.4654]
// Kish: Σw² = 2·150² + 200² + 4·75² + 2·100² = 45000 + 40000 + 22500 + 20000 = 127500
//   n_eff = 1000² / 127500 = 7.843137…, deff = 9 / 7.843137 = 1.1475
const A: MarginCell[] = [
  { regionCode: '361202', ageGroup: '18-39', sex: 'male', population: 300 },
  { regionCode: '361202', ageGroup: '40+', sex: 'male', population: 200 },
  { regionCode: '361202', ageGroup: '18-39', sex: 'female', population: 300 },
  { regionCode: '361202', ageGroup: '40+', sex: 'female', population: 200 },
];
const obsA: Observation[] = [
  ...[80, 100].map((y) => ({ regionCode: '361202', ageGroup: '18-39', sex: 'male', y })),
  ...[60].map((y) => ({ regionCode: '361202', ageGroup: '40+', sex: 'male', y })),
  ...[40, 60, 80, 100].map((y) => ({ regionCode: '361202', ageGroup: '18-39', sex: 'female', y })),
  ...[50, 70].map((y) => ({ regionCode: '361202', ageGroup: '40+', sex: 'female', y })),
];

describe('post-stratified estimate (hand-computed)', () => {
  it('one region, four cells', () => {
    const e = postStratifiedEstimate(obsA, A);
    expect(e.weighting).toBe('post-stratified');
    expect(e.respondents).toBe(9);
    expect(e.unweighted).toBeCloseTo(640 / 9, 10);
    expect(e.value).toBeCloseTo(72, 10);
    expect(e.pooledVariance).toBeCloseTo(480, 10);
    expect(e.se! ** 2).toBeCloseTo(47.2, 10);
    expect(e.se).toBeCloseTo(6.870226, 6);
    expect(e.interval95![0]).toBeCloseTo(58.5346, 4);
    expect(e.interval95![1]).toBeCloseTo(85.4654, 4);
    expect(e.effectiveN).toBeCloseTo(1_000_000 / 127_500, 10);
    expect(e.designEffect).toBeCloseTo(1.1475, 4);
    const w = Object.fromEntries(e.strata.map((h) => [`${h.sex} ${h.ageGroup}`, h.weight]));
    expect(w).toEqual({ 'male 18-39': 150, 'male 40+': 200, 'female 18-39': 75, 'female 40+': 100 });
    expect(e.strata.reduce((s, h) => s + h.weight * h.respondents, 0)).toBeCloseTo(1000, 10);
    expect(e.emptyCells).toEqual([]);
    expect(e.unmatched).toBe(0);
  });

  // Two regions. Region B (N_B = 1000): male 18-39 600 with one respondent scoring 50, female 18-39
  // 400 with nobody. The empty cell's population goes to B's other cell (ratio adjustment), so B keeps
  // its share N_B/N = 1000/2000 = 0.5 and A's cells halve:
  //   W: A m18-39 0.15, A m40+ 0.10, A f18-39 0.15, A f40+ 0.10, B m18-39 0.5·600/600 = 0.5
  //   ȳ_PS = 0.15·90 + 0.10·60 + 0.15·70 + 0.10·60 + 0.5·50 = 13.5 + 6 + 10.5 + 6 + 25 = 61
  //   pooled s² is still 480 (B's only cell has one respondent and contributes nothing to it)
  //   v = 0.0225·200/2 + 0.01·480/1 + 0.0225·(2000/3)/4 + 0.01·200/2 + 0.25·480/1
  //     = 2.25 + 4.8 + 3.75 + 1 + 120 = 131.8;  SE = √131.8 = 11.480418…
  it('two regions, with an empty cell absorbed inside its region', () => {
    const B: MarginCell[] = [
      { regionCode: '361203', ageGroup: '18-39', sex: 'male', population: 600 },
      { regionCode: '361203', ageGroup: '18-39', sex: 'female', population: 400 },
    ];
    const e = postStratifiedEstimate([...obsA, { regionCode: '361203', ageGroup: '18-39', sex: 'male', y: 50 }], [...A, ...B]);
    expect(e.value).toBeCloseTo(61, 10);
    expect(e.se! ** 2).toBeCloseTo(131.8, 10);
    expect(e.emptyCells).toEqual([{ regionCode: '361203', ageGroup: '18-39', sex: 'female', population: 400 }]);
    expect(e.respondents).toBe(10);
    // The weights still add up to the population of the two regions: B's respondent stands for 1000.
    const bw = e.strata.find((h) => h.regionCode === '361203')!;
    expect(bw.weight).toBeCloseTo(1000, 10);
    expect(e.strata.reduce((s, h) => s + h.weight * h.respondents, 0)).toBeCloseTo(2000, 10);
  });

  it('respondents without a score or without a margin cell are left out, and counted', () => {
    const e = postStratifiedEstimate(
      [...obsA, { regionCode: '361202', ageGroup: '18-39', sex: 'male', y: null }, { regionCode: '361202', ageGroup: '60+', sex: 'male', y: 0 }],
      A,
    );
    expect(e.value).toBeCloseTo(72, 10);
    expect(e.respondents).toBe(9);
    expect(e.unmatched).toBe(1);
  });

  it('regions of the margins without respondents are not part of the estimate', () => {
    const other: MarginCell[] = [{ regionCode: '361204', ageGroup: '18-39', sex: 'male', population: 5000 }];
    expect(postStratifiedEstimate(obsA, [...A, ...other]).value).toBeCloseTo(72, 10);
  });

  it('no variance when no stratum has two respondents', () => {
    const e = postStratifiedEstimate([{ regionCode: '361202', ageGroup: '18-39', sex: 'male', y: 80 }], A);
    expect(e.value).toBe(80);
    expect(e.se).toBeNull();
    expect(e.interval95).toBeNull();
  });

  it('without margins: the plain mean and s²/n', () => {
    // ys 40, 60, 80: mean 60, s² = (400 + 0 + 400)/2 = 400, SE = √(400/3) = 11.547005
    const e = unweightedEstimate([40, 60, 80].map((y) => ({ regionCode: 'x', ageGroup: 'a', sex: 'male', y })));
    expect(e.value).toBe(60);
    expect(e.se).toBeCloseTo(11.547005, 6);
    expect(e.interval95![0]).toBeCloseTo(60 - Z95 * 11.547005, 5);
    expect(e.weighting).toBe('none');
  });

  it('the interval stays within 0..100', () => {
    const e = unweightedEstimate([100, 100, 90].map((y) => ({ regionCode: 'x', ageGroup: 'a', sex: 'male', y })));
    expect(e.interval95![1]).toBe(100);
  });
});

describe('regions', () => {
  it('assigns a respondent to the most specific region with margins', () => {
    expect(assignWeightingRegion('361202001', ['361200', '361202'])).toBe('361202');
    expect(assignWeightingRegion('361203004', ['361200', '361202'])).toBe('361200');
    expect(assignWeightingRegion('361301001', ['361200', '361202'])).toBeNull();
    expect(regionWithin('361202001', '361200')).toBe(true);
    expect(regionWithin('361202001', '361203')).toBe(false);
  });
});
