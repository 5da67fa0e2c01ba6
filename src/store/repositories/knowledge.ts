// The knowledge base's tables: articles (working copy, versions, workflow log), the live documents with
// their full-text index (SQLite FTS5 virtual table kb_fts / PostgreSQL tsvector columns on kb_docs),
// term statistics, synonyms, the question log, resolutions and citations.
import { sql } from 'kysely';
import type { Dialect } from '../database.ts';
import type {
  KbArticleLogTable,
  KbArticleTable,
  KbArticleVersionTable,
  KbCitationTable,
  KbDocTable,
  KbQueryTable,
  KbResolutionTable,
} from '../knowledge-schema.ts';
import type { Executor } from './appeals.ts';

export type KbDocRow = Omit<KbDocTable, 'doc_id'> & { doc_id: number };
export type NewKbDoc = Omit<KbDocTable, 'doc_id'>;

const CHUNK = 400;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A token is letters and digits only (the analyzer guarantees it); anything else is refused here too. */
const SAFE_TOKEN = /^[\p{L}\p{N}]+$/u;
export function safeTokens(tokens: readonly string[]): string[] {
  return tokens.filter((t) => SAFE_TOKEN.test(t));
}

export class KnowledgeRepository {
  // ------------------------------------------------------------ articles

  async insertArticle(db: Executor, row: KbArticleTable): Promise<void> {
    await db.insertInto('kb_articles').values(row).execute();
  }

  getArticle(db: Executor, id: string): Promise<KbArticleTable | undefined> {
    return db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Updates when the row is still at `rev`; returns false when someone else changed it first. */
  async updateArticle(db: Executor, id: string, rev: number, patch: Partial<KbArticleTable>): Promise<boolean> {
    const r = await db
      .updateTable('kb_articles')
      .set({ ...patch, rev: rev + 1 })
      .where('id', '=', id)
      .where('rev', '=', rev)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertVersion(db: Executor, row: KbArticleVersionTable): Promise<void> {
    await db.insertInto('kb_article_versions').values(row).execute();
  }

  versions(db: Executor, articleId: string): Promise<KbArticleVersionTable[]> {
    return db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', articleId).orderBy('version', 'desc').execute();
  }

  getVersion(db: Executor, articleId: string, version: number): Promise<KbArticleVersionTable | undefined> {
    return db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', articleId).where('version', '=', version).executeTakeFirst();
  }

  async appendLog(db: Executor, row: Omit<KbArticleLogTable, 'seq'>): Promise<void> {
    const last = await db
      .selectFrom('kb_article_log')
      .select((eb) => eb.fn.max('seq').as('m'))
      .where('article_id', '=', row.article_id)
      .executeTakeFirst();
    await db
      .insertInto('kb_article_log')
      .values({ ...row, seq: Number(last?.m ?? 0) + 1 })
      .execute();
  }

  log(db: Executor, articleId: string): Promise<KbArticleLogTable[]> {
    return db.selectFrom('kb_article_log').selectAll().where('article_id', '=', articleId).orderBy('seq').execute();
  }

  // ------------------------------------------------------------ live documents and the index

  getDocByArticle(db: Executor, articleId: string): Promise<KbDocRow | undefined> {
    return db.selectFrom('kb_docs').selectAll().where('article_id', '=', articleId).executeTakeFirst() as Promise<KbDocRow | undefined>;
  }

  docsByIds(db: Executor, ids: readonly number[]): Promise<KbDocRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('kb_docs').selectAll().where('doc_id', 'in', ids as number[]).execute() as Promise<KbDocRow[]>;
  }

  /** What the ranking needs of each candidate (not the bodies). */
  rankRows(db: Executor, ids: readonly number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('kb_docs')
      .select(['doc_id', 'article_id', 'title', 'summary', 'keywords', 'category_id', 'region_code', 'valid_from', 'valid_to', 'title_t', 'extra_t', 'body_t'])
      .where('doc_id', 'in', ids as number[])
      .execute();
  }

  /** Adds a live document to the index and the term statistics. */
  async insertDoc(db: Executor, dialect: Dialect, doc: NewKbDoc, grams: readonly string[]): Promise<number> {
    const inserted = await db.insertInto('kb_docs').values(doc).returning('doc_id').executeTakeFirstOrThrow();
    const docId = Number(inserted.doc_id);
    const gramText = safeTokens(grams).join(' ');
    if (dialect === 'postgres') {
      await sql`update kb_docs set
          tsv = setweight(to_tsvector('simple', title_t), 'A') || setweight(to_tsvector('simple', extra_t), 'B') || to_tsvector('simple', body_t),
          gsv = to_tsvector('simple', ${gramText})
        where doc_id = ${docId}`.execute(db);
    } else {
      await sql`insert into kb_fts(rowid, title, extra, body, grams) values (${docId}, ${doc.title_t}, ${doc.extra_t}, ${doc.body_t}, ${gramText})`.execute(db);
    }
    await this.addTerms(db, termsOfDoc(doc, grams), 1);
    return docId;
  }

  /** Removes an article's live document from the index and the statistics; returns it (or undefined). */
  async deleteDoc(db: Executor, dialect: Dialect, articleId: string, gramsOf: (d: KbDocRow) => string[]): Promise<KbDocRow | undefined> {
    const doc = await this.getDocByArticle(db, articleId);
    if (!doc) return undefined;
    if (dialect === 'sqlite') await sql`delete from kb_fts where rowid = ${doc.doc_id}`.execute(db);
    await db.deleteFrom('kb_docs').where('doc_id', '=', doc.doc_id).execute();
    await this.addTerms(db, termsOfDoc(doc, gramsOf(doc)), -1);
    return doc;
  }

  /** Adds `delta` to the document frequency of each term (each counted once). */
  async addTerms(db: Executor, terms: readonly string[], delta: 1 | -1): Promise<void> {
    if (delta > 0) {
      for (const part of chunks(terms)) {
        await db
          .insertInto('kb_terms')
          .values(part.map((term) => ({ term, df: 1 })))
          .onConflict((oc) => oc.column('term').doUpdateSet({ df: (eb) => eb('kb_terms.df', '+', eb.ref('excluded.df')) }))
          .execute();
      }
    } else {
      for (const part of chunks(terms)) {
        await db.updateTable('kb_terms').set((eb) => ({ df: eb('df', '-', 1) })).where('term', 'in', part).execute();
      }
      await db.deleteFrom('kb_terms').where('df', '<=', 0).execute();
    }
  }

  /** Bulk load (benchmarks, rebuilds): documents and their terms, without per-document statistics writes. */
  async bulkInsertDocs(db: Executor, dialect: Dialect, docs: readonly { doc: NewKbDoc; grams: readonly string[] }[]): Promise<void> {
    for (const part of chunks(docs, 200)) {
      const ids = await db.insertInto('kb_docs').values(part.map((p) => p.doc)).returning('doc_id').execute();
      if (dialect === 'postgres') {
        const values = part.map((p, i) => sql`(${Number(ids[i]!.doc_id)}::bigint, ${safeTokens(p.grams).join(' ')})`);
        await sql`update kb_docs d set
            tsv = setweight(to_tsvector('simple', d.title_t), 'A') || setweight(to_tsvector('simple', d.extra_t), 'B') || to_tsvector('simple', d.body_t),
            gsv = to_tsvector('simple', v.g)
          from (values ${sql.join(values)}) as v(id, g) where d.doc_id = v.id`.execute(db);
      } else {
        for (let i = 0; i < part.length; i++) {
          const p = part[i]!;
          await sql`insert into kb_fts(rowid, title, extra, body, grams) values (${Number(ids[i]!.doc_id)}, ${p.doc.title_t}, ${p.doc.extra_t}, ${p.doc.body_t}, ${safeTokens(p.grams).join(' ')})`.execute(db);
        }
      }
    }
  }

  async bulkSetTerms(db: Executor, df: ReadonlyMap<string, number>): Promise<void> {
    const rows = [...df].map(([term, n]) => ({ term, df: n }));
    for (const part of chunks(rows, 500)) {
      await db
        .insertInto('kb_terms')
        .values(part)
        .onConflict((oc) => oc.column('term').doUpdateSet({ df: (eb) => eb('kb_terms.df', '+', eb.ref('excluded.df')) }))
        .execute();
    }
  }

  async dfOf(db: Executor, terms: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks([...new Set(terms)])) {
      const rows = await db.selectFrom('kb_terms').select(['term', 'df']).where('term', 'in', part).execute();
      for (const r of rows) out.set(r.term, Number(r.df));
    }
    return out;
  }

  async corpusStats(db: Executor): Promise<{ docs: number; avgLength: number }> {
    const r = await db
      .selectFrom('kb_docs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('length').as('len')])
      .executeTakeFirst();
    const n = Number(r?.n ?? 0);
    return { docs: n, avgLength: n ? Number(r?.len ?? 0) / n : 1 };
  }

  /**
   * Candidate documents whose words match `groups` — every group (AND) when `all`, else any term (OR) —
   * best first by the database's own ranking (FTS5 bm25 with column weights title 3, extra 2, body 1;
   * PostgreSQL ts_rank with weights A/B/D, length-normalised).
   */
  async matchWords(db: Executor, dialect: Dialect, groups: readonly (readonly string[])[], all: boolean, limit: number): Promise<number[]> {
    const gs = groups.map((g) => safeTokens(g)).filter((g) => g.length > 0);
    if (gs.length === 0) return [];
    if (dialect === 'postgres') {
      const q = all ? gs.map((g) => `(${g.join(' | ')})`).join(' & ') : [...new Set(gs.flat())].join(' | ');
      const r = await sql<{ doc_id: number }>`select doc_id from kb_docs, to_tsquery('simple', ${q}) q
        where tsv @@ q order by ts_rank('{0.33, 0.2, 0.67, 1.0}', tsv, q, 1) desc, doc_id limit ${limit}`.execute(db);
      return r.rows.map((x) => Number(x.doc_id));
    }
    const or = (g: readonly string[]) => `(${g.map((t) => `"${t}"`).join(' OR ')})`;
    const expr = `{title extra body} : (${all ? gs.map(or).join(' AND ') : or([...new Set(gs.flat())])})`;
    const r = await sql<{ doc_id: number }>`select rowid as doc_id from kb_fts where kb_fts match ${expr}
      order by bm25(kb_fts, 3.0, 2.0, 1.0, 0.0), rowid limit ${limit}`.execute(db);
    return r.rows.map((x) => Number(x.doc_id));
  }

  /** Candidate documents sharing character bigrams with the question (the typo fallback). */
  async matchGrams(db: Executor, dialect: Dialect, grams: readonly string[], limit: number): Promise<number[]> {
    const gs = safeTokens(grams);
    if (gs.length === 0) return [];
    if (dialect === 'postgres') {
      const q = gs.join(' | ');
      const r = await sql<{ doc_id: number }>`select doc_id from kb_docs, to_tsquery('simple', ${q}) q
        where gsv @@ q order by ts_rank(gsv, q) desc, doc_id limit ${limit}`.execute(db);
      return r.rows.map((x) => Number(x.doc_id));
    }
    const expr = `grams : (${gs.map((t) => `"${t}"`).join(' OR ')})`;
    const r = await sql<{ doc_id: number }>`select rowid as doc_id from kb_fts where kb_fts match ${expr}
      order by bm25(kb_fts, 0.0, 0.0, 0.0, 1.0), rowid limit ${limit}`.execute(db);
    return r.rows.map((x) => Number(x.doc_id));
  }

  /** Live documents whose validity ended (to be expired by the job). */
  docsPastValidity(db: Executor, now: number, limit: number): Promise<{ article_id: string }[]> {
    return db.selectFrom('kb_docs').select('article_id').where('valid_to', 'is not', null).where('valid_to', '<=', now).limit(limit).execute();
  }

  // ------------------------------------------------------------ questions, resolutions, citations

  async upsertQuery(db: Executor, row: KbQueryTable): Promise<void> {
    if (row.session) {
      const { id: _id, session: _s, at: _at, ...rest } = row;
      await db
        .insertInto('kb_queries')
        .values(row)
        .onConflict((oc) => oc.column('session').doUpdateSet(rest))
        .execute();
    } else if (row.appeal_id) {
      await db.insertInto('kb_queries').values(row).onConflict((oc) => oc.column('appeal_id').doNothing()).execute();
    } else {
      await db.insertInto('kb_queries').values(row).execute();
    }
  }

  getQuery(db: Executor, id: string): Promise<KbQueryTable | undefined> {
    return db.selectFrom('kb_queries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getQueryBySession(db: Executor, session: string): Promise<KbQueryTable | undefined> {
    return db.selectFrom('kb_queries').selectAll().where('session', '=', session).executeTakeFirst();
  }

  async insertResolution(db: Executor, row: KbResolutionTable): Promise<boolean> {
    const r = await db
      .insertInto('kb_resolutions')
      .values(row)
      .onConflict((oc) => oc.column('query_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async insertCitation(db: Executor, row: KbCitationTable): Promise<void> {
    await db.insertInto('kb_citations').values(row).execute();
  }
}

/** Distinct words of a document's fields and its bigrams (prefixed '#'): what its df contribution is. */
export function termsOfDoc(doc: Pick<KbDocTable, 'title_t' | 'extra_t' | 'body_t'>, grams: readonly string[]): string[] {
  const set = new Set<string>();
  for (const f of [doc.title_t, doc.extra_t, doc.body_t]) for (const t of f.split(' ')) if (t) set.add(t);
  for (const g of grams) set.add(`#${g}`);
  return [...set];
}

export const knowledgeRepo = new KnowledgeRepository();
