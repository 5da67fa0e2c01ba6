import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generalIdf, segmentWords } from './segment.ts';
import { DAY_MS } from './duplicates.ts';
import { cleanTitle, heatScore, HotspotDetector, shanghaiDay, type HotspotMessage } from './hotspots.ts';

// jieba and its IDF table load once per worker (≈1 s, longer on a busy machine): not part of any test.
beforeAll(() => {
  segmentWords('预热分词');
  generalIdf('预热');
}, 60_000);


const T0 = Date.UTC(2024, 4, 1, 2); // 10:00 in Shanghai

function stream(): HotspotMessage[] {
  const out: HotspotMessage[] = [];
  const noise: [string, string][] = [
    ['丽华小区旁工地夜间施工噪音扰民', '丽华小区旁边的工地每天晚上十一点以后还在施工，打桩机噪音很大，孩子睡不着。'],
    ['投诉丽华小区附近工地夜间施工', '丽华小区附近工地夜间施工，噪音扰民严重，晚上根本无法休息。'],
    ['丽华小区夜间施工噪音太大', '丽华小区东门外的工地半夜施工，机器轰鸣，噪音扰民，希望城管查处。'],
    ['丽华小区工地半夜施工扰民', '工地夜间施工噪音扰民，丽华小区居民都睡不好，已经持续一个月。'],
    ['再次反映丽华小区夜间施工噪音', '丽华小区旁的工地夜间施工噪音问题还没解决，晚上依然施工到凌晨。'],
    ['丽华小区周边夜间施工扰民', '夜里一两点工地还在浇筑混凝土，丽华小区的居民被施工噪音吵醒。'],
  ];
  noise.forEach(([title, text], i) => out.push({ id: `n${i}`, time: T0 + i * DAY_MS, title, text, likes: i, citizenKey: `c${i}` }));
  const covers: [string, string][] = [
    ['幸福路井盖缺失', '幸福路与建设路交叉口有一个井盖丢失，晚上很危险，已经有人摔倒。'],
    ['幸福路井盖丢失很危险', '幸福路上井盖缺失一个星期了，没有任何警示标志，请尽快补上。'],
    ['幸福路井盖缺失无人管', '幸福路的井盖缺失，电动车差点掉进去，希望市政部门处理。'],
  ];
  covers.forEach(([title, text], i) => out.push({ id: `w${i}`, time: T0 + (2 + i) * DAY_MS, title, text, citizenKey: `d${i}` }));
  const misc: [string, string][] = [
    ['咨询公积金提取', '请问异地购房可以提取住房公积金吗？需要哪些材料？'],
    ['建议增加公交班次', '早高峰12路公交车太挤，建议增加班次。'],
    ['学校门口乱停车', '实验小学门口放学时乱停车严重，影响交通。'],
  ];
  misc.forEach(([title, text], i) => out.push({ id: `x${i}`, time: T0 + i * DAY_MS, title, text, citizenKey: `e${i}` }));
  return out.sort((a, b) => a.time - b.time);
}

describe('HotspotDetector', () => {
  it('groups appeals by topic and place and labels them "地点 · 问题"', () => {
    const d = new HotspotDetector();
    for (const m of stream()) d.add(m);
    const top = d.top(5, T0 + 7 * DAY_MS);
    expect(top.length).toBeGreaterThanOrEqual(2);
    const first = top[0]!;
    expect(first.place).toBe('丽华小区');
    expect(first.label.startsWith('丽华小区 · ')).toBe(true);
    expect(first.label).toMatch(/施工|噪音/);
    expect(first.messageIds.sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
    expect(first.citizens).toBe(6);
    expect(first.keywords.join()).toMatch(/施工|噪音/);
    const second = top[1]!;
    expect(second.place).toBe('幸福路');
    expect(second.messageIds.sort()).toEqual(['w0', 'w1', 'w2']);
    // Singletons are not hotspots.
    expect(top.flatMap((h) => h.messageIds)).not.toContain('x0');
    expect(first.heat).toBeGreaterThan(second.heat);
  });

  it('reports a daily trend in Shanghai calendar days', () => {
    const d = new HotspotDetector();
    for (const m of stream()) d.add(m);
    const h = d.top(1, T0 + 7 * DAY_MS)[0]!;
    expect(h.trend).toHaveLength(6);
    expect(h.trend[0]).toEqual({ day: '2024-05-01', count: 1 });
    expect(shanghaiDay(Date.UTC(2024, 4, 1, 16, 30))).toBe(shanghaiDay(Date.UTC(2024, 4, 2, 1)));
  });

  it('forgets what fell out of the window', () => {
    const d = new HotspotDetector({ windowMs: 30 * DAY_MS });
    for (const m of stream()) d.add(m);
    expect(d.top(5, T0 + 100 * DAY_MS)).toEqual([]);
  });

  it('keeps different places apart even with the same words', () => {
    const d = new HotspotDetector();
    d.add({ id: 'a', time: T0, title: '丽华小区麻将馆扰民', text: '丽华小区一楼麻将馆通宵营业扰民', citizenKey: '1' });
    d.add({ id: 'b', time: T0 + 1, title: '幸福家园小区麻将馆扰民', text: '幸福家园小区一楼麻将馆通宵营业扰民', citizenKey: '2' });
    const r = d.add({ id: 'c', time: T0 + 2, title: '丽华小区麻将馆通宵扰民', text: '丽华小区的麻将馆通宵营业，吵得睡不着', citizenKey: '3' });
    expect(r.created).toBe(false);
    const top = d.top(5, T0 + DAY_MS);
    expect(top).toHaveLength(1);
    expect(top[0]!.messageIds.sort()).toEqual(['a', 'c']);
  });

  it('heat grows with citizens, support, growth and severity', () => {
    const base = { messages: 5, citizens: 5, likes: 0, growth: 1, severity: 0 };
    expect(heatScore({ ...base, citizens: 10, messages: 10 })).toBeGreaterThan(heatScore(base));
    expect(heatScore({ ...base, likes: 100 })).toBeGreaterThan(heatScore(base));
    expect(heatScore({ ...base, growth: 3 })).toBeGreaterThan(heatScore(base));
    expect(heatScore({ ...base, severity: 1 })).toBeGreaterThan(heatScore(base));
    // Repeats by the same citizens count less than new citizens.
    expect(heatScore({ ...base, messages: 10 })).toBeLessThan(heatScore({ ...base, messages: 10, citizens: 10 }));
  });

  it('cleans titles down to the problem', () => {
    expect(cleanTitle('反映A2区丽华小区夜间施工噪音扰民的问题？', ['丽华小区'])).toBe('夜间施工噪音扰民');
    expect(cleanTitle('A5区汇金路五矿万境存在一系列问题', ['汇金路'])).toBe('五矿万境存在一系列问题');
  });

  it('never throws on hostile messages', () => {
    const d = new HotspotDetector();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.option(fc.string({ maxLength: 40 })), fc.integer({ min: 0, max: 200 }), fc.double(), (text, title, day, likes) => {
        d.add({ id: `${day}-${text.length}`, time: T0 + day * DAY_MS, title, text, likes });
      }),
      { numRuns: 100 },
    );
    expect(() => d.top(10, T0 + 200 * DAY_MS)).not.toThrow();
    expect(() => d.add({ id: 'nan', time: Number.NaN, text: '' })).not.toThrow();
  });
});
