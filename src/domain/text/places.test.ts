import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appealPlace, extractPlaces, isCoarsePlace, placeKey, placeSimilarity, specificPlace } from './places.ts';

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

describe('the place of an appeal (repeat-appeal rate)', () => {
  const key = (address: string | null, title: string | null = null) => appealPlace(address, title)?.key ?? null;

  it('gives one compound the same key however the address is written', () => {
    const k = key('A市岳麓区望月湖街道丽发新城小区3栋502');
    expect(k).toBe('place:丽发');
    expect(key('岳麓区 丽发新城 5栋1单元')).toBe(k);
    expect(key('丽发新城小区')).toBe(k);
    expect(key('五一大道18号丽发新城小区１２栋')).toBe(k); // full-width digits, a road in front
    expect(key('A7县春华镇金鼎村五组12号')).toBe(key('金鼎村3组'));
    expect(key('人民中路幸福里小区')).toBe(key('幸福里小区2栋'));
  });

  it('tells different compounds on one road apart', () => {
    expect(key('岳麓区望月湖街道丽发新城小区')).not.toBe(key('岳麓区望月湖街道金星花园'));
    expect(key('人民中路幸福里小区')).not.toBe(key('人民中路锦绣华庭'));
  });

  it('keys a road by its house number', () => {
    expect(key('芙蓉区五一大道18号')).toBe('road:五一大道:18');
    expect(key('五一大道 １８ 号')).toBe('road:五一大道:18');
    expect(key('五一大道十八号')).toBe('road:五一大道:18');
    expect(key('书院路9号附1号')).toBe('road:书院路:9');
    expect(key('五一大道18号')).not.toBe(key('五一大道200号'));
    expect(key('五一大道18号')).not.toBe(key('五一路18号'));
    // A road named after a lake is a road, not the lake.
    expect(key('江北区江北街道望湖路144号')).toBe('road:望湖路:144');
    expect(key('望湖路12号')).not.toBe(key('望湖路144号'));
  });

  it('gives no key to a township, a district, a community or a bare road', () => {
    expect(key('岳麓区望月湖街道')).toBeNull();
    expect(key('A3区东风路街道')).toBeNull();
    expect(key('K9县城关镇')).toBeNull();
    expect(key('芙蓉区车站北路')).toBeNull();
    expect(key('湘江路与五一大道交汇处')).toBeNull();
    expect(key('')).toBeNull();
    expect(key(null)).toBeNull();
    // A township before a road and number does not join it.
    expect(key('K9县城关镇人民路36号')).toBe('road:人民路:36');
  });

  it('falls back to the title when the address names no place', () => {
    expect(appealPlace('岳麓区望月湖街道', '丽发新城小区夜间施工噪音扰民')).toEqual({ key: 'place:丽发', name: '丽发新城', source: 'title' });
    expect(appealPlace('金星花园', '丽发新城小区夜间施工噪音扰民')?.source).toBe('address');
    expect(key('岳麓区望月湖街道', '五一大道烧烤摊噪音扰民')).toBeNull();
    expect(key(null, '我家楼下噪音扰民')).toBeNull();
  });

  it('prefers the finest place of an address and the first of a title', () => {
    expect(specificPlace('金鼎村3组丽发新城小区', 'last')?.key).toBe('place:丽发');
    expect(specificPlace('金鼎村3组丽发新城小区', 'first')?.key).toBe('place:金鼎');
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 60 }), (a, t) => {
        const p = appealPlace(a, t);
        if (p) expect(p.key).toMatch(/^(?:place:.{2,}|road:.+:\d+)$/);
      }),
      { numRuns: 200 },
    );
  });
});
