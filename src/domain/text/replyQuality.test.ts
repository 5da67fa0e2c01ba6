import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generalIdf, segmentWords } from './segment.ts';
import { DAY_MS } from './duplicates.ts';
import { appealPoints, scoreReply } from './replyQuality.ts';

// jieba and its IDF table load once per worker (≈1 s, longer on a busy machine): not part of any test.
beforeAll(() => {
  segmentWords('预热分词');
  generalIdf('预热');
}, 60_000);


const APPEAL = {
  appealTitle: '丽华小区旁工地夜间施工噪音扰民',
  appealText:
    '丽华小区旁边的工地每天晚上十一点以后还在施工，打桩机噪音很大。请问夜间施工是否办理了夜间施工许可？什么时候能停止夜间施工？希望城管部门尽快查处。',
};
const GOOD =
  '您好！感谢您对我们工作的监督。您反映的丽华小区旁工地夜间施工噪音扰民问题已收悉。经调查核实，该工地于2024年5月3日办理了夜间施工许可，许可时段为22时至次日2时，仅限混凝土浇筑作业。现场检查发现其超出许可时段施工，区城管执法局已依据《中华人民共和国噪声污染防治法》第四十三条责令其整改，并处罚款2万元。该工地承诺自5月10日起停止夜间打桩作业。我局将持续跟踪查处。如有疑问，请致电城管执法局，联系电话12319。';
const BAD = '已收悉。这个事情不归我们管，请自行解决。';

describe('scoreReply', () => {
  it('ranks a concrete, courteous, well-founded reply far above a dismissive one', () => {
    const good = scoreReply({ ...APPEAL, reply: GOOD });
    const bad = scoreReply({ ...APPEAL, reply: BAD });
    expect(good.overall).toBeGreaterThan(75);
    expect(bad.overall).toBeLessThan(25);
    expect(good.parts.basis).toBe(1);
    expect(good.citations).toEqual(['《中华人民共和国噪声污染防治法》']);
    expect(good.hints.map((h) => h.code)).not.toContain('NO_BASIS');
  });

  it('gives concrete hints in Chinese and English', () => {
    const bad = scoreReply({ ...APPEAL, reply: BAD });
    const codes = bad.hints.map((h) => h.code);
    expect(codes).toEqual(expect.arrayContaining(['TOO_SHORT', 'OFF_TOPIC', 'UNANSWERED', 'NO_BASIS', 'RUDE']));
    for (const h of bad.hints) {
      expect(h.zh.length).toBeGreaterThan(0);
      expect(h.en.length).toBeGreaterThan(0);
    }
    expect(bad.hints.find((h) => h.code === 'RUDE')!.zh).toContain('不归我们管');
  });

  it('detects the questions and requests of an appeal and which are answered', () => {
    const pts = appealPoints(APPEAL.appealTitle, APPEAL.appealText);
    expect(pts.map((p) => p.kind)).toEqual(['question', 'question', 'request']);
    const r = scoreReply({ ...APPEAL, reply: '您好，该工地已办理夜间施工许可，许可时段为22时至次日2时。' });
    expect(r.points[0]!.answered).toBe(true);
    expect(r.parts.completeness).toBeLessThan(1);
  });

  it('scores timeliness when both times are known', () => {
    const t = Date.UTC(2024, 4, 1);
    expect(scoreReply({ ...APPEAL, reply: GOOD, appealTime: t, replyTime: t + 3 * DAY_MS }).parts.timeliness).toBe(1);
    const late = scoreReply({ ...APPEAL, reply: GOOD, appealTime: t, replyTime: t + 20 * DAY_MS });
    expect(late.parts.timeliness).toBeLessThan(0.5);
    expect(late.hints.map((h) => h.code)).toContain('LATE');
    expect(scoreReply({ ...APPEAL, reply: GOOD }).parts.timeliness).toBeNull();
  });

  it('never throws and stays within 0–100 on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (a, r) => {
        const q = scoreReply({ appealText: a, reply: r, appealTime: 0, replyTime: Number.NaN });
        expect(q.overall).toBeGreaterThanOrEqual(0);
        expect(q.overall).toBeLessThanOrEqual(100);
      }),
      { numRuns: 100 },
    );
    expect(scoreReply({ appealText: '', reply: '' }).overall).toBe(0);
  });
});
