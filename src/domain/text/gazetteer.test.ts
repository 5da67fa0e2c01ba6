import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { depthFromCode, Gazetteer, parentFromCode, resolveRegion, type Region } from './gazetteer.ts';

// A small made-up city in the shape of GB/T 2260 codes (names are illustrative).
const REGIONS: Region[] = [
  { code: '430000', name: '湖南省', shortNames: ['湖南'] },
  { code: '430100', name: '长沙市', shortNames: ['长沙'], aliases: ['星城'] },
  { code: '430104', name: '岳麓区', shortNames: ['岳麓'] },
  { code: '430103', name: '天心区', shortNames: ['天心'] },
  { code: '430121', name: '长沙县', aliases: ['星沙'] },
  { code: '430104007', name: '望月湖街道', shortNames: ['望月湖'] },
  { code: '430104010', name: '观沙岭街道', shortNames: ['观沙岭'] },
  { code: '430104020', name: '新华街道', shortNames: ['新华'] },
  { code: '430103020', name: '新华街道', shortNames: ['新华'] },
  { code: '430121100', name: '泉塘街道', shortNames: ['泉塘'] },
];

describe('gazetteer', () => {
  const g = new Gazetteer(REGIONS);

  it('infers depth and parent from the code', () => {
    expect(depthFromCode('430000')).toBe(1);
    expect(depthFromCode('430100')).toBe(2);
    expect(depthFromCode('430104')).toBe(3);
    expect(depthFromCode('430104007')).toBe(4);
    expect(parentFromCode('430104007')).toBe('430104');
    expect(parentFromCode('430104')).toBe('430100');
    expect(parentFromCode('430100')).toBe('430000');
    expect(parentFromCode('430000')).toBeNull();
  });

  it('prefers the deepest region of the address (street over district)', () => {
    const r = g.resolve('长沙市岳麓区望月湖街道12栋', '楼下噪音扰民');
    expect(r?.code).toBe('430104007');
    expect(r?.source).toBe('address');
  });

  it('prefers the address over the text', () => {
    expect(resolveRegion(g, '天心区', '我以前住在岳麓区')).toBe('430103');
  });

  it('uses a street named in the text when it lies inside the address region', () => {
    expect(resolveRegion(g, '岳麓区', '观沙岭附近的工地夜间施工')).toBe('430104010');
    // …but not a street of another district.
    expect(resolveRegion(g, '天心区', '观沙岭附近的工地夜间施工')).toBe('430103');
  });

  it('settles an ambiguous name by an ancestor mentioned nearby, else by the common parent', () => {
    expect(resolveRegion(g, '岳麓区新华街道', '')).toBe('430104020');
    expect(resolveRegion(g, '天心区新华街道', '')).toBe('430103020');
    expect(resolveRegion(g, null, '新华街道有人占道经营')).toBe('430100');
  });

  it('matches aliases and short names, longest first', () => {
    expect(resolveRegion(g, null, '星沙泉塘那边的路灯坏了')).toBe('430121100');
    expect(resolveRegion(g, '', '岳麓的学校周边治安')).toBe('430104');
  });

  it('returns null when nothing matches', () => {
    expect(resolveRegion(g, '', '无地址')).toBeNull();
    expect(resolveRegion([], '岳麓区', '')).toBeNull();
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), (a, t) => {
        const r = g.resolve(a, t);
        if (r) expect(g.region(r.code)).toBeDefined();
      }),
      { numRuns: 100 },
    );
  });
});
