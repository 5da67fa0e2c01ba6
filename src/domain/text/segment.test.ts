import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { charNgrams, countCjk, generalIdf, isPreSegmented, normalizeText, segmentWords, splitSentences, STOP_WORDS, tokenize } from './segment.ts';

// jieba and its IDF table load once per worker (≈1 s, longer on a busy machine): not part of any test.
beforeAll(() => {
  segmentWords('预热分词');
  generalIdf('预热');
}, 60_000);


const RAW = '我家住在丽华小区，最近楼下工地夜间施工，噪音很大，严重影响休息。';
const SEGMENTED = '丽华 小区 楼下 工地 夜间 施工 噪音 很大 严重 影响 休息';

describe('segment', () => {
  it('detects pre-segmented text', () => {
    expect(isPreSegmented(SEGMENTED)).toBe(true);
    expect(isPreSegmented(RAW)).toBe(false);
    expect(isPreSegmented('Hello world, this is English')).toBe(false);
    expect(isPreSegmented('')).toBe(false);
  });

  it('segments raw text with jieba and drops stop words and punctuation', () => {
    const words = segmentWords(RAW);
    expect(words).toEqual(expect.arrayContaining(['小区', '施工', '噪音', '休息']));
    expect(words).not.toContain('的');
    expect(words).not.toContain('，');
    for (const w of words) expect(STOP_WORDS.has(w)).toBe(false);
  });

  it('splits pre-segmented text on whitespace', () => {
    expect(segmentWords(SEGMENTED)).toEqual(['丽华', '小区', '楼下', '工地', '夜间', '施工', '噪音', '很大', '严重', '影响', '休息']);
  });

  it('gives the same character n-grams for raw and segmented forms of a phrase', () => {
    expect(charNgrams('夜间 施工 噪音')).toEqual(charNgrams('夜间施工噪音'));
    expect(charNgrams('夜间施工', [2])).toEqual(['夜间', '间施', '施工']);
  });

  it('normalises full-width forms and case', () => {
    expect(normalizeText('ＡＢＣ１２３？')).toBe('abc123?');
    expect(countCjk('abc中文')).toBe(2);
  });

  it('splits sentences on Chinese punctuation', () => {
    expect(splitSentences('路灯坏了。什么时候修？请尽快！')).toEqual(['路灯坏了。', '什么时候修?', '请尽快!']);
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const t = tokenize(s);
        expect(Array.isArray(t.words)).toBe(true);
        expect(Array.isArray(t.chars)).toBe(true);
        splitSentences(s);
      }),
      { numRuns: 100 },
    );
    expect(tokenize('😀🚓\uD800abc中文').chars.length).toBeGreaterThan(0);
    expect(segmentWords('噪音'.repeat(20000)).length).toBeGreaterThan(0);
  });
});
