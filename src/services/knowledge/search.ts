// Searching the knowledge base: the database's full-text index finds candidates, the analyzer ranks them.
//
// Why this split: SQLite FTS5 and PostgreSQL's GIN-indexed tsvector are well-kept, fast inverted
// indexes over the same pre-tokenised text (jieba tokens separated by spaces), so retrieval is theirs.
// Their rankings differ (FTS5 has BM25; PostgreSQL's ts_rank has no IDF), so the final order is computed
// here, identically on both databases, by BM25 over concepts with synonyms and a coverage factor
// (src/domain/knowledge/analyzer.ts) using document frequencies kept in kb_terms.
import { appliesTo, inForce } from '../../domain/knowledge/article.ts';
import {
  conceptWeights,
  idf,
  gramsOf,
  parseQuery,
  keyConcept,
  questionKey,
  queryTerms,
  rankCandidate,
  SynonymTable,
  type CorpusStats,
  type ParsedQuery,
} from '../../domain/knowledge/analyzer.ts';
import { DEFAULT_SYNONYMS, mergeSynonyms, type SynonymEntry } from '../../domain/knowledge/synonyms.ts';
import { knowledgeRepo, type KbDocRow } from '../../store/repositories/knowledge.ts';
import type { ServiceContext } from '../context.ts';

export interface SearchOptions {
  /** Only articles that apply in this region (and deployment-wide ones). */
  regionCode?: string | null | undefined;
  /** Rank articles of this category (or its parent) a little higher. */
  categoryId?: string | null | undefined;
  limit?: number;
  /** Drop hits covering less than this share of the question (0..1). */
  minMatch?: number;
  /** Force the bigram fallback on or off (default: automatic). */
  grams?: boolean;
  /** Drop hits scoring below this share of the best one (default 0.2): a far second is noise. */
  relative?: number;
}

export interface SearchHit {
  doc: KbDocRow;
  score: number;
  match: number;
  matched: string[];
}

export interface SearchResult {
  parsed: ParsedQuery;
  /** The question's topic for the gap list (its most specific concept, unknown ones first). */
  key: string;
  hits: SearchHit[];
  usedGrams: boolean;
  candidates: number;
}

const WORD_CANDIDATES = 60;
const GRAM_CANDIDATES = 40;
/** Fewer AND matches than this: widen to OR. */
const MIN_AND_HITS = 10;
const STATS_TTL_MS = 30_000;
const SYNONYMS_TTL_MS = 60_000;

export class KnowledgeSearch {
  private stats: { docs: number; avgLength: number; at: number } | null = null;
  private synonyms: { table: SynonymTable; entries: SynonymEntry[]; at: number } | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  /** Call after the set of live documents changed (publish, expire). */
  invalidate(): void {
    this.stats = null;
  }

  invalidateSynonyms(): void {
    this.synonyms = null;
  }

  async synonymEntries(): Promise<SynonymEntry[]> {
    return (await this.synonymTable()).entries;
  }

  private async synonymTable(): Promise<{ table: SynonymTable; entries: SynonymEntry[] }> {
    if (!this.synonyms || Date.now() - this.synonyms.at > SYNONYMS_TTL_MS) {
      const rows = await this.ctx.db.selectFrom('kb_synonyms').selectAll().execute();
      const custom = rows.map((r) => ({ phrase: r.phrase, terms: JSON.parse(r.terms) as string[] }));
      const entries = mergeSynonyms(DEFAULT_SYNONYMS, custom);
      this.synonyms = { table: new SynonymTable(entries), entries, at: Date.now() };
    }
    return this.synonyms;
  }

  private async corpus(): Promise<{ docs: number; avgLength: number }> {
    if (!this.stats || Date.now() - this.stats.at > STATS_TTL_MS) {
      this.stats = { ...(await knowledgeRepo.corpusStats(this.ctx.db)), at: Date.now() };
    }
    return this.stats;
  }

  async parse(q: string): Promise<ParsedQuery> {
    return parseQuery(q, (await this.synonymTable()).table);
  }

  /** The topic of a question (for the gap list), with the knowledge base's own term statistics. */
  async keyOf(q: string): Promise<string> {
    const parsed = await this.parse(q);
    return questionKey(parsed.concepts, await knowledgeRepo.dfOf(this.ctx.db, queryTerms(parsed)));
  }

  async search(q: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const parsed = await this.parse(q);
    const limit = opts.limit ?? 5;
    const empty: SearchResult = { parsed, key: parsed.key, hits: [], usedGrams: false, candidates: 0 };
    if (parsed.concepts.length === 0 && parsed.grams.length === 0) return empty;
    const db = this.ctx.db;
    const dialect = this.ctx.handle.dialect;
    const corpus = await this.corpus();
    if (corpus.docs === 0) return empty;

    const terms = queryTerms(parsed);
    const df = await knowledgeRepo.dfOf(db, [...terms, ...parsed.grams.map((g) => `#${g}`)]);
    const stats: CorpusStats = { docs: corpus.docs, avgLength: corpus.avgLength, df };
    const weights = conceptWeights(parsed, stats);
    // An answer that misses the question's own topic (its key concept) is at best a weak answer.
    const keyIdx = keyConcept(parsed.concepts, df);

    // Retrieval, in two stages. First the documents that speak of every concept the index knows (AND
    // across concepts, OR within one: its most telling terms); when that finds too few, the documents
    // with any of the question's rarest terms. Very common terms are left to the ranking.
    const telling = (c: ParsedQuery['concepts'][number]) =>
      c.terms
        .filter((t) => (df.get(t.term) ?? 0) > 0)
        .sort((a, b) => b.weight * idf(corpus.docs, df.get(b.term)!) - a.weight * idf(corpus.docs, df.get(a.term)!))
        .slice(0, 4)
        .map((t) => t.term);
    const groups = parsed.concepts.map(telling).filter((g) => g.length > 0);
    let wordIds: number[] = [];
    if (groups.length > 1) wordIds = await knowledgeRepo.matchWords(db, dialect, groups, true, WORD_CANDIDATES);
    if (wordIds.length < MIN_AND_HITS) {
      const known = terms.filter((t) => (df.get(t) ?? 0) > 0);
      const rare = known.filter((t) => (df.get(t) ?? 0) <= Math.max(50, corpus.docs * 0.2));
      const pool = (rare.length > 0 ? rare : known).sort((a, b) => (df.get(a) ?? 0) - (df.get(b) ?? 0)).slice(0, 12);
      const more = await knowledgeRepo.matchWords(db, dialect, [pool], false, WORD_CANDIDATES);
      wordIds = [...new Set([...wordIds, ...more])];
    }

    const unknownWord = parsed.concepts.some((c) => c.source === 'word' && c.terms.every((t) => (df.get(t.term) ?? 0) === 0));
    let useGrams = opts.grams ?? (unknownWord || wordIds.length < 10);

    const rows = new Map<number, Awaited<ReturnType<typeof knowledgeRepo.rankRows>>[number]>();
    const load = async (ids: number[]) => {
      const missing = ids.filter((id) => !rows.has(id));
      for (const r of await knowledgeRepo.rankRows(db, missing)) rows.set(Number(r.doc_id), r);
    };
    await load(wordIds);

    const now = this.ctx.now();
    const rank = () => {
      const out: { id: number; score: number; match: number; matched: string[] }[] = [];
      for (const [id, r] of rows) {
        if (!inForce(r.valid_from === null ? null : Number(r.valid_from), r.valid_to === null ? null : Number(r.valid_to), now)) continue;
        if (!appliesTo(r.region_code, opts.regionCode)) continue;
        const keywords = JSON.parse(r.keywords) as string[];
        const ranked = rankCandidate(
          parsed,
          weights,
          {
            title: split(r.title_t),
            extra: split(r.extra_t),
            body: split(r.body_t),
            grams: useGrams ? new Set(gramsOf(r.title, r.summary, keywords)) : EMPTY,
          },
          stats,
          { useGrams },
        );
        if (ranked.score <= 0) continue;
        let score = ranked.score;
        if (opts.categoryId && r.category_id) {
          if (r.category_id === opts.categoryId) score *= 1.2;
          else if (parentOf(r.category_id) === parentOf(opts.categoryId)) score *= 1.08;
        }
        if (r.region_code && opts.regionCode) score *= 1.05; // a local answer beats a general one
        const match = keyIdx >= 0 && (ranked.coverage[keyIdx] ?? 0) < 0.5 ? Math.min(ranked.match, 0.45) : ranked.match;
        out.push({ id, score, match, matched: ranked.matched });
      }
      return out.sort((a, b) => b.score - a.score || a.id - b.id);
    };

    let ranked = rank();
    if (!useGrams && opts.grams === undefined && (ranked.length === 0 || ranked[0]!.match < 0.5)) useGrams = true;
    if (useGrams) {
      const grams = parsed.grams.filter((g) => (df.get(`#${g}`) ?? 0) > 0);
      await load(await knowledgeRepo.matchGrams(db, dialect, grams, GRAM_CANDIDATES));
      ranked = rank();
    }
    const minMatch = opts.minMatch ?? 0.2;
    const floor = (ranked[0]?.score ?? 0) * (opts.relative ?? 0.2);
    const top = ranked.filter((h) => h.match >= minMatch && h.score >= floor).slice(0, limit);
    const full = new Map((await knowledgeRepo.docsByIds(db, top.map((h) => h.id))).map((d) => [Number(d.doc_id), d]));
    const hits: SearchHit[] = [];
    for (const h of top) {
      const doc = full.get(h.id);
      if (doc) hits.push({ doc: { ...doc, doc_id: Number(doc.doc_id) }, score: round(h.score), match: round(h.match), matched: h.matched });
    }
    return { parsed, key: questionKey(parsed.concepts, df), hits, usedGrams: useGrams, candidates: rows.size };
  }
}

const EMPTY: ReadonlySet<string> = new Set();
const split = (s: string) => (s ? s.split(' ') : []);
const parentOf = (categoryId: string) => categoryId.split('.')[0];
const round = (x: number) => Math.round(x * 1000) / 1000;
