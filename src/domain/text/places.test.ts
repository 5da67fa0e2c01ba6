import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPlaces, isCoarsePlace, placeKey, placeSimilarity } from './places.ts';

describe('places', () => {
  it('finds proper place names and trims prefixes and verbs', () => {
    expect(extractPlaces('反映A2区丽华小区夜间施工噪音扰民')).toEqual(['丽华小区']);
    expect(extractPlaces('投诉岳麓区幸福路井盖缺失')).toContain('幸福路');
    expect(extractPlaces('A7县春华镇金鼎村自来水到户的问题')).toEqual(['春华镇金鼎村']);
  });

  it('joins adjacent names into one compound', () => {
    expect(extractPlaces('伊景园滨河苑捆绑销售车位')).toEqual(['伊景园滨河苑']);
  });

  it('drops generic names and expressions', () => {
    expect(extractPlaces('本小区的路灯坏了')).toEqual([]);
    expect(extractPlaces('老板跑路了')).toEqual([]);
    expect(extractPlaces('')).toEqual([]);
  });

  it('recognises known names from a gazetteer', () => {
    expect(extractPlaces('麓谷那边的问题', { knownNames: ['麓谷'] })).toEqual(['麓谷']);
  });

  it('keys and compares places loosely', () => {
    expect(placeKey('丽华小区')).toBe('丽华');
    expect(placeSimilarity(placeKey('丽发新城小区'), placeKey('丽发新城'))).toBe(1);
    expect(placeSimilarity('幸福', '丽华')).toBe(0);
    expect(isCoarsePlace('望月湖街道')).toBe(true);
    expect(isCoarsePlace('丽华小区')).toBe(false);
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        for (const p of extractPlaces(s)) expect(p.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 100 },
    );
  });
});
