import { describe, expect, it } from 'vitest';
import { computeRoundResults, residualMargins } from './results.ts';
import { standardQuestionnaire } from './survey.ts';
import type { MarginCell } from './weighting.ts';

const all = (v: string) => Object.fromEntries(standardQuestionnaire().questions.filter((q) => q.kind === 'scale').map((q) => [q.id, v]));

describe('nested margins', () => {
  it('a parent region keeps only the residents outside its sub-regions that have margins', () => {
    const cells: MarginCell[] = [
      { regionCode: '360600', ageGroup: '18-29', sex: 'male', population: 1000 },
      { regionCode: '360602', ageGroup: '18-29', sex: 'male', population: 300 },
      { regionCode: '360602001', ageGroup: '18-29', sex: 'male', population: 100 },
    ];
    expect(residualMargins(cells).map((c) => [c.regionCode, c.population])).toEqual([
      ['360600', 700],
      ['360602', 200],
      ['360602001', 100],
    ]);
  });

  it('weights each respondent in the most specific region, counting nobody twice', () => {
    const cells: MarginCell[] = [
      { regionCode: '360600', ageGroup: '18-29', sex: 'male', population: 1000 },
      { regionCode: '360602', ageGroup: '18-29', sex: 'male', population: 250 },
    ];
    // 360602 (N = 250) scores 100; the rest of the city (N = 750) scores 0 → 0.25·100 = 25.
    const r = computeRoundResults(
      standardQuestionnaire(),
      [
        { regionCode: '360602001', sex: 'male', ageGroup: '18-29', channel: 'web', answers: all('5') },
        { regionCode: '360603', sex: 'male', ageGroup: '18-29', channel: 'phone', answers: all('1') },
      ],
      cells,
      '360600',
    );
    expect(r.weighting).toBe('post-stratified');
    expect(r.index.value).toBeCloseTo(25, 10);
    expect(r.regions.map((x) => x.regionCode)).toEqual(['360600', '360602']);
    expect(r.channels).toEqual({ web: 1, phone: 1 });
  });

  it('falls back to the plain mean, and says which regions lack margins', () => {
    const r = computeRoundResults(standardQuestionnaire(), [{ regionCode: '360603001', sex: 'female', ageGroup: '60+', channel: 'web', answers: all('4') }], [], '360600');
    expect(r.weighting).toBe('none');
    expect(r.regionsWithoutMargins).toEqual(['360603']);
    expect(r.index.value).toBe(75);
  });
});
