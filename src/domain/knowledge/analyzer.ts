// Text analysis and ranking for the knowledge base (释疑解惑).
//
// Index side: every article field is segmented by jieba in search mode (whole words plus the
// dictionary words inside them: 电信网络诈骗 → 电信 / 网络 / 诈骗 / 电信网络诈骗), normalised, stop words
// and single characters dropped, and stored space-separated — the database's own full-text index
// (SQLite FTS5, PostgreSQL tsvector 'simple') then only has to split on spaces. Character bigrams of
// the title, summary and keywords go into a separate column for typo tolerance.
//
// Query side: the query is cut into *concepts* (groups of terms): each word of jieba's precise cut with
// its search-mode sub-words at lower weight, and each colloquial phrase found in the synonym table with
// the formal terms it stands for. A document's score is BM25 over the combined fields, summed per concept
// (the best term of a concept counts fully, the others a quarter, so one expanded synonym does not
// outweigh the rest of the question), times a coverage factor: answers that address more of the
// question's concepts rank first. `match` (0..1) is that coverage — the UI's "good answer" signal and
// the gap detector's "weak match" test.
import { createRequire } from 'node:module';
import { normalizeText, STOP_WORDS } from '../text/segment.ts';
import { DOMAIN_WORDS, type SynonymEntry } from './synonyms.ts';

const requireCjs = createRequire(import.meta.url);

interface Cutter {
  cut(s: string, hmm?: boolean | null): string[];
  cutForSearch(s: string, hmm?: boolean | null): string[];
}

let cutter: Cutter | null = null;

/** The knowledge base's own jieba (the shared dictionary plus legal and service vocabulary). */
export function kbJieba(): Cutter {
  if (!cutter) {
    const { Jieba } = requireCjs('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = requireCjs('@node-rs/jieba/dict') as { dict: Uint8Array };
    const j = Jieba.withDict(dict);
    j.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 20000 n`).join('\n'), 'utf8'));
    cutter = j;
  }
  return cutter;
}

/** Words that say nothing about what a question is about. */
export const KB_STOP_WORDS: ReadonlySet<string> = new Set([
  ...STOP_WORDS,
  ...'怎么办 怎么样 咋办 咋整 怎么弄 怎么搞 请问 问下 问一下 咨询 能否 能不能 可不可以 是否 要不要 该怎么 应该 哪里 去哪 去哪里 哪儿 多久 多长时间 什么样 有没有 需不需要 知道 告诉 帮忙 帮帮 急 急急 在线等 谢谢 麻烦'.split(' '),
]);

const NON_WORD = /[^\p{L}\p{N}]+/gu;
const CJK_RUN = /[\p{L}\p{N}]+/gu;

function clean(tok: string): string {
  return tok.replace(NON_WORD, '');
}

function keep(tok: string): boolean {
  if (!tok) return false;
  if (KB_STOP_WORDS.has(tok)) return false;
  // A single CJK character is too ambiguous to index (打, 钱, 房); single Latin letters too.
  return [...tok].length >= 2;
}

/** Search-mode tokens of a text, for the index (duplicates kept: they are term frequencies). */
export function indexTokens(text: string): string[] {
  const norm = normalizeText(text);
  if (!norm.trim()) return [];
  const out: string[] = [];
  for (const raw of kbJieba().cutForSearch(norm, true)) {
    const t = clean(raw);
    if (keep(t)) out.push(t);
  }
  return out;
}

/** Distinct character bigrams of the letter/digit runs of a text (spaces between CJK removed). */
export function charBigrams(text: string): string[] {
  const norm = normalizeText(text).replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '');
  const out = new Set<string>();
  for (const m of norm.matchAll(CJK_RUN)) {
    const chars = Array.from(m[0]);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}

export interface ArticleText {
  title: string;
  summary: string;
  body: string;
  keywords: readonly string[];
  /** Law names and article numbers, the category name: searchable, weighted between title and body. */
  extra: string;
}

export interface AnalyzedArticle {
  title: string[];
  extra: string[];
  body: string[];
  grams: string[];
}

export function analyzeArticle(a: ArticleText): AnalyzedArticle {
  return {
    title: indexTokens(a.title),
    extra: indexTokens(`${a.keywords.join(' ')} ${a.extra} ${a.summary}`),
    body: indexTokens(a.body),
    grams: gramsOf(a.title, a.summary, a.keywords),
  };
}

/** The bigram column: title, summary and keywords (the words a question is most likely to echo). */
export function gramsOf(title: string, summary: string, keywords: readonly string[]): string[] {
  return charBigrams(`${title} ${summary} ${keywords.join(' ')}`);
}

// ---------------------------------------------------------------- query

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Concept {
  /** What the person wrote for this concept (a word, or a colloquial phrase). */
  text: string;
  source: 'word' | 'synonym';
  terms: QueryTerm[];
}

export interface ParsedQuery {
  norm: string;
  concepts: Concept[];
  /** Bigrams of the raw query for the typo fallback. */
  grams: string[];
  /** The topic of the question without corpus statistics (see questionKey; the search engine refines it). */
  key: string;
}

const MAX_CONCEPTS = 16;
const SUBWORD_WEIGHT = 0.5;
const SYNONYM_WEIGHT = 0.9;
/** Pieces of a formal term (离婚诉讼 → 诉讼) say little on their own. */
const SYNONYM_SUBWORD_WEIGHT = 0.3;

/** A compiled synonym table: phrases longest first for greedy substring matching. */
export class SynonymTable {
  private readonly entries: SynonymEntry[];
  constructor(entries: readonly SynonymEntry[]) {
    this.entries = entries
      .map((e) => ({ phrase: normalizeText(e.phrase).replace(/\s+/g, ''), terms: e.terms }))
      .filter((e) => e.phrase.length > 0)
      .sort((a, b) => b.phrase.length - a.phrase.length);
  }
  get size(): number {
    return this.entries.length;
  }
  /** Non-overlapping matches, longest phrase first. */
  find(norm: string): { phrase: string; terms: string[]; start: number; end: number }[] {
    const taken = new Uint8Array(norm.length);
    const out: { phrase: string; terms: string[]; start: number; end: number }[] = [];
    for (const e of this.entries) {
      let from = 0;
      for (;;) {
        const at = norm.indexOf(e.phrase, from);
        if (at < 0) break;
        from = at + 1;
        let free = true;
        for (let i = at; i < at + e.phrase.length; i++) if (taken[i]) free = false;
        if (!free) continue;
        for (let i = at; i < at + e.phrase.length; i++) taken[i] = 1;
        out.push({ phrase: e.phrase, terms: e.terms, start: at, end: at + e.phrase.length });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }
}

function termsOfWord(word: string, weight: number, subWeight = SUBWORD_WEIGHT): QueryTerm[] {
  const out: QueryTerm[] = [{ term: word, weight }];
  // Dictionary words inside a long word (中华人民共和国 → 中华 / 人民 / 共和国) at lower weight.
  if ([...word].length >= 3) {
    for (const sub of kbJieba().cutForSearch(word, false)) {
      const t = clean(sub);
      if (t !== word && keep(t) && !out.some((x) => x.term === t)) out.push({ term: t, weight: weight * subWeight });
    }
  }
  return out;
}

export function parseQuery(q: string, synonyms: SynonymTable): ParsedQuery {
  const norm = normalizeText(q).replace(/\s+/g, ' ').trim().slice(0, 200);
  const compact = norm.replace(/\s+/g, '');
  const concepts: Concept[] = [];
  const seen = new Set<string>();
  const add = (c: Concept) => {
    const sig = c.terms.map((t) => t.term).sort().join('|');
    if (!c.terms.length || seen.has(sig)) return;
    seen.add(sig);
    concepts.push(c);
  };
  // Colloquial phrases first; their span is removed so its pieces do not become concepts of their own.
  let rest = compact;
  const matches = synonyms.find(compact);
  for (const m of matches) {
    const terms: QueryTerm[] = [];
    const push = (t: QueryTerm) => {
      const existing = terms.find((x) => x.term === t.term);
      if (existing) existing.weight = Math.max(existing.weight, t.weight);
      else terms.push(t);
    };
    for (const w of kbJieba().cut(m.phrase, true)) {
      const t = clean(w);
      if (keep(t)) push({ term: t, weight: 1 });
    }
    for (const formal of m.terms) for (const t of termsOfWord(clean(normalizeText(formal)), SYNONYM_WEIGHT, SYNONYM_SUBWORD_WEIGHT)) if (keep(t.term)) push(t);
    add({ text: m.phrase, source: 'synonym', terms });
  }
  if (matches.length) {
    const chars = [...compact];
    // Replace matched spans (by UTF-16 index) with a separator.
    let out = '';
    let idx = 0;
    for (const ch of chars) {
      const inMatch = matches.some((m) => idx >= m.start && idx < m.end);
      out += inMatch ? ' ' : ch;
      idx += ch.length;
    }
    rest = out;
  }
  for (const part of rest.split(' ')) {
    if (!part) continue;
    for (const w of kbJieba().cut(part, true)) {
      const t = clean(w);
      if (!keep(t)) continue;
      add({ text: t, source: 'word', terms: termsOfWord(t, 1) });
    }
  }
  const limited = concepts.slice(0, MAX_CONCEPTS);
  const key = questionKey(limited, new Map());
  return { norm, concepts: limited, grams: charBigrams(norm), key };
}

/**
 * The topic of a question, to group similar questions in the gap list: its most specific concept —
 * one the knowledge base does not know yet (document frequency 0) before a known one, a colloquial
 * phrase before a word, a longer word before a shorter one, an earlier one before a later one.
 */
export function questionKey(concepts: readonly Concept[], df: ReadonlyMap<string, number>): string {
  return concepts[keyConcept(concepts, df)]?.text ?? '';
}

/** Index of the concept questionKey picks (-1 when there is none). */
export function keyConcept(concepts: readonly Concept[], df: ReadonlyMap<string, number>): number {
  let best = -1;
  let bestRank: number[] = [];
  concepts.forEach((c, i) => {
    const known = c.source === 'synonym' ? Math.max(0, ...c.terms.map((t) => df.get(t.term) ?? 0)) : (df.get(c.terms[0]?.term ?? c.text) ?? 0);
    const rank = [known === 0 ? 1 : 0, c.source === 'synonym' ? 1 : 0, Math.min([...c.text].length, 6), -i];
    if (best < 0 || compareRanks(rank, bestRank) > 0) {
      best = i;
      bestRank = rank;
    }
  });
  return best;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** All distinct terms of a parsed query (for the word pass of the index). */
export function queryTerms(q: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const c of q.concepts) for (const t of c.terms) out.add(t.term);
  return [...out];
}

// ---------------------------------------------------------------- ranking

export interface CorpusStats {
  docs: number;
  avgLength: number;
  /** Document frequency of a word, or of a bigram (key prefixed with '#'). */
  df: ReadonlyMap<string, number>;
}

export interface CandidateTokens {
  title: readonly string[];
  extra: readonly string[];
  body: readonly string[];
  /** Bigrams of title, summary and keywords. */
  grams: ReadonlySet<string>;
}

export interface RankOptions {
  /** Score the character bigrams too (the typo fallback). */
  useGrams: boolean;
  k1?: number;
  b?: number;
}

export interface Ranked {
  score: number;
  /** Share (0..1) of the question's concepts the document answers. */
  match: number;
  matched: string[];
  /** Per concept: 1 answered, 0..1 partly (a typo's neighbouring bigrams), 0 not at all. */
  coverage: number[];
}

export const FIELD_WEIGHTS = { title: 3, extra: 2, body: 1 } as const;
const GRAM_WEIGHT = 0.35;

export function idf(docs: number, df: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

function countInto(map: Map<string, number>, tokens: readonly string[], w: number): void {
  for (const t of tokens) map.set(t, (map.get(t) ?? 0) + w);
}

/**
 * Weights of each concept: its most informative known term. A word the knowledge base has never seen
 * is as specific as a word can be (a typo, or the very topic nobody has written about): the IDF of df 0.
 */
export function conceptWeights(q: ParsedQuery, stats: CorpusStats): number[] {
  const known: number[] = [];
  const raw = q.concepts.map((c) => {
    let best = 0;
    for (const t of c.terms) {
      const df = stats.df.get(t.term) ?? 0;
      if (df > 0) best = Math.max(best, t.weight * idf(stats.docs, df));
    }
    if (best > 0) known.push(best);
    return best;
  });
  const unknown = idf(stats.docs, 0);
  return raw.map((w) => (w > 0 ? w : unknown));
}

export function rankCandidate(q: ParsedQuery, weights: readonly number[], doc: CandidateTokens, stats: CorpusStats, opts: RankOptions): Ranked {
  const k1 = opts.k1 ?? 1.2;
  const b = opts.b ?? 0.75;
  const tf = new Map<string, number>();
  const inTitle = new Set(doc.title);
  countInto(tf, doc.title, FIELD_WEIGHTS.title);
  countInto(tf, doc.extra, FIELD_WEIGHTS.extra);
  countInto(tf, doc.body, FIELD_WEIGHTS.body);
  const len = doc.title.length + doc.extra.length + doc.body.length;
  const norm = k1 * (1 - b + (b * len) / Math.max(1, stats.avgLength));
  let score = 0;
  let covered = 0;
  let total = 0;
  let titled = 0;
  const matched: string[] = [];
  const coverage: number[] = [];
  q.concepts.forEach((c, i) => {
    const w = weights[i] ?? 1;
    total += w;
    let best = 0;
    let sum = 0;
    let bestTerm = '';
    let titleHit = false;
    for (const t of c.terms) {
      const f = tf.get(t.term);
      if (!f) continue;
      if (inTitle.has(t.term) && t.weight >= 0.5) titleHit = true;
      const s = t.weight * idf(stats.docs, stats.df.get(t.term) ?? 1) * ((f * (k1 + 1)) / (f + norm));
      sum += s;
      if (s > best) {
        best = s;
        bestTerm = t.term;
      }
    }
    if (best > 0) {
      score += best + 0.1 * (sum - best);
      covered += w;
      coverage.push(1);
      if (titleHit) titled += w;
      matched.push(bestTerm);
    } else if (opts.useGrams && c.source === 'word') {
      // A word the index does not know (often a typo: 援住 for 援助): partial credit by the share of
      // the question's bigrams overlapping it (律援, 援住, 住怎) that the document has.
      const gramsOfWord = q.grams.filter((g) => [...g].some((ch) => c.text.includes(ch)));
      const hits = gramsOfWord.filter((g) => doc.grams.has(g)).length;
      const credit = hits > 0 ? 0.5 + (0.5 * hits) / gramsOfWord.length : 0;
      covered += credit * w;
      coverage.push(credit);
    } else coverage.push(0);
  });
  if (opts.useGrams) {
    for (const g of q.grams) {
      if (!doc.grams.has(g)) continue;
      const df = stats.df.get(`#${g}`) ?? 1;
      score += GRAM_WEIGHT * idf(stats.docs, df);
    }
  }
  const match = total > 0 ? Math.min(1, covered / total) : 0;
  // An article whose title names what was asked is most likely the answer.
  const titleShare = total > 0 ? titled / total : 0;
  return { score: score * (0.4 + 0.6 * match) * (1 + 0.35 * titleShare), match, matched, coverage };
}

/** The sentence of `text` that mentions most of the matched terms, cut to about `max` characters. */
export function snippet(text: string, terms: readonly string[], max = 90): string {
  const sentences = text.split(/(?<=[。！？!?；;\n])/).map((s) => s.trim()).filter(Boolean);
  let best = sentences[0] ?? '';
  let bestHits = -1;
  for (const s of sentences) {
    const hits = terms.reduce((n, t) => n + (s.includes(t) ? 1 : 0), 0);
    if (hits > bestHits) {
      best = s;
      bestHits = hits;
    }
  }
  const chars = [...best];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : best;
}
