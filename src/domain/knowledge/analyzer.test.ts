import { describe, expect, it } from 'vitest';
import { charBigrams, conceptWeights, indexTokens, keyConcept, parseQuery, rankCandidate, snippet, SynonymTable, type CorpusStats } from './analyzer.ts';
import { appliesTo, citationText, inForce, transition } from './article.ts';
import { DEFAULT_SYNONYMS, mergeSynonyms } from './synonyms.ts';

const table = new SynonymTable(DEFAULT_SYNONYMS);

describe('analysis', () => {
  it('indexes search-mode words without stop words or single characters', () => {
    const t = indexTokens('被骗了怎么办?电信网络诈骗要报警');
    expect(t).toEqual(expect.arrayContaining(['电信网络诈骗', '电信', '网络', '诈骗', '报警']));
    expect(t).not.toContain('了');
    expect(t).not.toContain('怎么办');
  });

  it('character bigrams ignore punctuation and spaces between Chinese characters', () => {
    expect(charBigrams('法律 援助,申请')).toEqual(['法律', '律援', '援助', '申请']);
  });

  it('expands colloquial phrases into the formal terms, whatever jieba makes of them', () => {
    const q = parseQuery('被骗了怎么办', table);
    expect(q.concepts).toHaveLength(1);
    expect(q.concepts[0]!.source).toBe('synonym');
    expect(q.concepts[0]!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['诈骗', '电信网络诈骗']));
    const lit = parseQuery('我想打官司', table);
    expect(lit.concepts[0]!.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['诉讼', '起诉', '立案']));
  });

  it('a deployment replaces or removes default synonyms', () => {
    const merged = mergeSynonyms(DEFAULT_SYNONYMS, [{ phrase: '被骗', terms: [] }, { phrase: '出国证件', terms: ['护照'] }]);
    expect(merged.find((e) => e.phrase === '被骗')).toBeUndefined();
    expect(merged.find((e) => e.phrase === '出国证件')?.terms).toEqual(['护照']);
  });

  it('ranks the document covering more of the question first, titles weigh more', () => {
    const stats: CorpusStats = { docs: 100, avgLength: 50, df: new Map([['离婚', 5], ['财产', 20], ['程序', 30], ['孩子', 10]]) };
    const q = parseQuery('离婚财产怎么分', new SynonymTable([]));
    const w = conceptWeights(q, stats);
    const a = rankCandidate(q, w, { title: ['离婚', '财产'], extra: [], body: ['离婚', '财产', '孩子'], grams: new Set() }, stats, { useGrams: false });
    const b = rankCandidate(q, w, { title: ['离婚', '程序'], extra: [], body: ['离婚', '离婚', '离婚', '程序'], grams: new Set() }, stats, { useGrams: false });
    expect(a.match).toBe(1);
    expect(b.match).toBeLessThan(1);
    expect(a.score).toBeGreaterThan(b.score);
  });

  it('an unknown word is the most specific concept (a typo gets partial credit from shared bigrams)', () => {
    const stats: CorpusStats = { docs: 100, avgLength: 50, df: new Map([['法律', 30], ['申请', 40]]) };
    const q = parseQuery('法律援住怎么申请', new SynonymTable([]));
    const w = conceptWeights(q, stats);
    expect(q.concepts.map((c) => c.text)).toEqual(['法律', '援住', '申请']);
    expect(keyConcept(q.concepts, stats.df)).toBe(1);
    const doc = { title: ['法律', '援助', '申请'], extra: [], body: [], grams: new Set(['法律', '律援', '援助']) };
    const withGrams = rankCandidate(q, w, doc, stats, { useGrams: true });
    const without = rankCandidate(q, w, doc, stats, { useGrams: false });
    expect(withGrams.coverage[1]).toBeGreaterThan(0.5);
    expect(withGrams.match).toBeGreaterThan(without.match);
  });

  it('snippets pick the sentence with most matched terms', () => {
    expect(snippet('第一句话。法律援助要去司法局申请。最后一句。', ['法律援助', '申请'])).toBe('法律援助要去司法局申请。');
  });
});

describe('articles', () => {
  it('review needs a second person; illegal moves are refused', () => {
    expect(transition('draft', 'review', { actorId: 'b', lastEditorId: 'a' })).toBe('reviewed');
    expect(() => transition('draft', 'review', { actorId: 'a', lastEditorId: 'a' })).toThrow(/yourself/);
    expect(() => transition('draft', 'publish', { actorId: 'b', lastEditorId: 'a' })).toThrow();
    expect(transition('reviewed', 'publish', { actorId: 'a', lastEditorId: 'a' })).toBe('published');
    expect(transition('published', 'expire', { actorId: 'a', lastEditorId: 'a' })).toBe('expired');
    expect(transition('expired', 'restore', { actorId: 'a', lastEditorId: 'a' })).toBe('draft');
  });

  it('validity and region scope', () => {
    expect(inForce(null, null, 5)).toBe(true);
    expect(inForce(10, null, 5)).toBe(false);
    expect(inForce(null, 5, 5)).toBe(false);
    expect(appliesTo('360602', '360602001')).toBe(true);
    expect(appliesTo('360602', '360603001')).toBe(false);
    expect(appliesTo('361200', '361202001')).toBe(true); // a city-wide article
    expect(appliesTo(null, '360603')).toBe(true);
  });

  it('citation text names the law, the article and its words', () => {
    const t = citationText({ articleId: 'kb-x', title: '标题', version: 3, summary: '摘要。', legalBasis: [{ law: '中华人民共和国人民调解法', article: '第四条', quote: '人民调解委员会调解民间纠纷,不收取任何费用。' }] });
    expect(t).toBe('根据《中华人民共和国人民调解法》第四条的规定:\n《中华人民共和国人民调解法》第四条:“人民调解委员会调解民间纠纷,不收取任何费用。”\n摘要。\n(参见知识库《标题》,编号 kb-x,第3版)');
  });
});
