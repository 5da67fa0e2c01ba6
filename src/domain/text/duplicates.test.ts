import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, estimatedSimilarity, minhash, NearDuplicateIndex } from './duplicates.ts';

const T0 = Date.UTC(2024, 0, 1);
const A = '丽华小区3栋楼下的烧烤店每天营业到凌晨两点，油烟和噪音严重影响居民休息，请相关部门尽快处理。';
const A_EDIT = '丽华小区3栋楼下烧烤店每天营业到凌晨两点多，油烟和噪音严重影响居民休息，请尽快处理！';
const B = '幸福路与建设路交叉口的红绿灯坏了一个星期，早晚高峰非常拥堵，希望交警部门尽快维修。';

describe('NearDuplicateIndex', () => {
  it('estimates similarity: near-copies high, unrelated texts low', () => {
    expect(estimatedSimilarity(A, A)).toBe(1);
    expect(estimatedSimilarity(A, A_EDIT)).toBeGreaterThan(0.5);
    expect(estimatedSimilarity(A, B)).toBeLessThan(0.15);
  });

  it('finds an edited repeat by the same phone and a copy by another citizen', () => {
    const idx = new NearDuplicateIndex();
    idx.add('a1', A, T0, 'phone-1');
    idx.add('b1', B, T0, 'phone-2');
    const same = idx.query(A_EDIT, T0 + DAY_MS, 'phone-1');
    expect(same[0]).toMatchObject({ id: 'a1', kind: 'repeat' });
    const other = idx.query(A_EDIT, T0 + DAY_MS, 'phone-9');
    expect(other[0]).toMatchObject({ id: 'a1', kind: 'same-issue' });
    expect(idx.query('完全无关的一句话：公园的长椅坏了', T0, 'phone-9')).toEqual([]);
  });

  it('catches a reworded repeat of the same citizen below the same-issue threshold', () => {
    const idx = new NearDuplicateIndex();
    idx.add('a1', A, T0, 'phone-1');
    const reworded = '我再反映一次：丽华小区3栋楼下烧烤店营业到凌晨两点，油烟噪音扰民。';
    const sim = estimatedSimilarity(A, reworded);
    expect(sim).toBeLessThan(0.5);
    expect(idx.query(reworded, T0 + 5 * DAY_MS, 'phone-1').map((m) => m.kind)).toEqual(sim >= 0.3 ? ['repeat'] : []);
  });

  it('ignores appeals outside the 90-day window and evicts them', () => {
    const idx = new NearDuplicateIndex();
    idx.add('old', A, T0, 'p');
    expect(idx.query(A, T0 + 91 * DAY_MS, 'p')).toEqual([]);
    expect(idx.query(A, T0 + 89 * DAY_MS, 'p')).toHaveLength(1);
    idx.add('new', B, T0 + 200 * DAY_MS);
    idx.compact();
    expect(idx.size).toBe(1);
  });

  it('grows and compacts without losing live entries; LSH finds what a full scan finds', () => {
    const idx = new NearDuplicateIndex();
    const texts: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const t = `编号${i}：${['幸福路', '建设路', '人民路', '解放路'][i % 4]}第${i % 97}号附近${['井盖缺失', '路灯不亮', '占道经营', '垃圾堆放'][i % 7 % 4]}，已经${i % 13}天没人处理，居民${i % 29}户受影响`;
      texts.push(t);
      idx.add(`m${i}`, t, T0 + i * 60_000, `p${i % 50}`);
    }
    expect(idx.size).toBe(1500);
    const q = texts[1234]!;
    const lsh = idx.query(q, T0 + 1234 * 60_000, undefined, 50);
    const scan = idx.scan(q, T0 + 1234 * 60_000, undefined, 50);
    expect(lsh[0]!.id).toBe('m1234');
    const strong = scan.filter((m) => m.similarity >= 0.7).map((m) => m.id);
    for (const id of strong) expect(lsh.map((m) => m.id)).toContain(id);
  });

  it('check() excludes the appeal itself and then indexes it', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.check('x', A, T0, 'p')).toEqual([]);
    expect(idx.check('y', A, T0 + 1, 'p')[0]).toMatchObject({ id: 'x', kind: 'repeat' });
  });

  it('treats text without letters or digits as matching nothing', () => {
    const idx = new NearDuplicateIndex();
    idx.add('e', '！！！。。。', T0);
    expect(minhash('😀😀').empty).toBe(true);
    expect(idx.query('？？？', T0)).toEqual([]);
  });

  it('never throws on hostile input', () => {
    const idx = new NearDuplicateIndex();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 0, max: 400 }), fc.option(fc.string({ maxLength: 8 })), (s, d, phone) => {
        idx.add(`id${d}`, s, T0 + d * DAY_MS, phone);
        for (const m of idx.query(s, T0 + d * DAY_MS, phone)) {
          expect(m.similarity).toBeGreaterThanOrEqual(0);
          expect(m.similarity).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
    expect(() => idx.add('bad', 'x', Number.NaN)).toThrow();
  });
});
