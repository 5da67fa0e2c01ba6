// The knowledge base (释疑解惑): articles with review, versions and validity; public search for the
// submission page with "this solved it"; matching articles and citations beside each appeal; the gaps
// (questions asked often that no article answers); synonyms; housekeeping run by the notifier job.
import { randomBytes } from 'node:crypto';
import { inScope } from '../../domain/access/scope.ts';
import {
  appliesTo,
  ARTICLE_STATUS_LABELS,
  citationText,
  FIELD_LABELS,
  inForce,
  transition,
  type ArticleAction,
  type ArticleStatus,
  type LegalBasis,
} from '../../domain/knowledge/article.ts';
import { analyzeArticle, gramsOf, snippet } from '../../domain/knowledge/analyzer.ts';
import { sanitizeHtml } from '../../domain/knowledge/sanitize.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { KbArticleTable, KbArticleVersionTable, KbQueryTable } from '../../store/knowledge-schema.ts';
import { repos, type Executor } from '../../store/repositories/index.ts';
import { knowledgeRepo, type KbDocRow, type NewKbDoc } from '../../store/repositories/knowledge.ts';
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type Principal, type StaffPrincipal } from '../principal.ts';
import type { AppealHandlingService } from '../appeals/handling.ts';
import { KnowledgeSearch, type SearchHit } from './search.ts';

export interface ArticleInput {
  title: string;
  summary?: string | null | undefined;
  bodyHtml: string;
  categoryId?: string | null | undefined;
  regionCode?: string | null | undefined;
  keywords?: string[] | undefined;
  legalBasis?: LegalBasis[] | undefined;
  validFrom?: number | null | undefined;
  validTo?: number | null | undefined;
  ownerUnitId?: string | undefined;
}

export interface ArticleView {
  id: string;
  title: string;
  summary: string;
  bodyHtml: string;
  categoryId: string | null;
  categoryName: string | null;
  regionCode: string | null;
  keywords: string[];
  legalBasis: LegalBasis[];
  validFrom: string | null;
  validTo: string | null;
  ownerUnitId: string;
  ownerUnitName: string | null;
  status: ArticleStatus;
  statusLabel: string;
  version: number;
  liveVersion: number | null;
  rev: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  reviewedBy: string | null;
  publishedAt: string | null;
}

export interface PublicArticle {
  id: string;
  title: string;
  summary: string;
  bodyHtml: string;
  categoryId: string | null;
  categoryName: string | null;
  regionCode: string | null;
  legalBasis: LegalBasis[];
  version: number;
  publishedAt: string;
  validTo: string | null;
}

export interface SearchItem {
  id: string;
  title: string;
  summary: string;
  snippet: string;
  categoryId: string | null;
  categoryName: string | null;
  regionCode: string | null;
  legalBasis: LegalBasis[];
  version: number;
  score: number;
  /** Share (0..1) of the question this article answers: ≥ 0.5 is a good answer. */
  match: number;
  matched: string[];
}

export interface GapItem {
  key: string;
  count: number;
  fromSearches: number;
  fromAppeals: number;
  lastAt: string;
  examples: string[];
  regions: string[];
  bestMatch: { id: string; title: string; match: number } | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const json = <T>(s: string): T => JSON.parse(s) as T;
const DAY = 86_400_000;

/** Digits that may be a phone or ID number, and e-mail addresses, are masked before a question is stored. */
export function maskPersonal(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '***@***')
    .replace(/\d[\d\s-]{5,}\d[xX]?/g, (m) => '*'.repeat(Math.min(m.length, 18)))
    .slice(0, 200);
}

function shanghaiDay(t: number): number {
  const d = new Date(t + 8 * 3600_000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

function articleId(): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const b = randomBytes(8);
  let s = '';
  for (let i = 0; i < 8; i++) s += CROCKFORD[b[i]! % 32];
  return `KB-${s}`;
}

interface Content {
  title: string;
  summary: string;
  body_html: string;
  body_text: string;
  category_id: string | null;
  region_code: string | null;
  keywords: string;
  legal_basis: string;
  valid_from: number | null;
  valid_to: number | null;
  owner_unit_id: string;
}

export class KnowledgeService {
  readonly engine: KnowledgeSearch;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly audit: AuditService,
    private readonly handling: AppealHandlingService,
  ) {
    this.engine = new KnowledgeSearch(ctx);
  }

  // ------------------------------------------------------------ editing and workflow

  private async content(input: ArticleInput, base: Content | null, p: StaffPrincipal | null): Promise<Content> {
    const title = input.title.trim();
    if (title.length < 2) throw errors.validation('标题至少2个字', 'The title needs at least 2 characters', { field: 'title' });
    const { html, text } = sanitizeHtml(input.bodyHtml);
    if (text.length < 10) throw errors.validation('正文至少10个字', 'The body needs at least 10 characters', { field: 'bodyHtml' });
    const categoryId = input.categoryId === undefined ? (base?.category_id ?? null) : input.categoryId;
    if (categoryId) await this.categories.require(categoryId);
    const regionCode = input.regionCode === undefined ? (base?.region_code ?? null) : input.regionCode;
    if (regionCode && !/^\d{6}(\d{3})?$/.test(regionCode)) {
      throw errors.validation('适用地区应为6位或9位行政区划代码', 'The region must be a 6- or 9-digit region code', { field: 'regionCode' });
    }
    const validFrom = input.validFrom === undefined ? (base?.valid_from ?? null) : input.validFrom;
    const validTo = input.validTo === undefined ? (base?.valid_to ?? null) : input.validTo;
    if (validFrom !== null && validTo !== null && validTo <= validFrom) {
      throw errors.validation('失效日期应晚于生效日期', 'validTo must be after validFrom', { field: 'validTo' });
    }
    const ownerUnitId = input.ownerUnitId ?? base?.owner_unit_id ?? p?.unitId;
    if (!ownerUnitId) throw errors.validation('请指定责任单位', 'An owner unit is required', { field: 'ownerUnitId' });
    const owner = await this.org.require(ownerUnitId);
    if (p && !inScope(p.scopePath, owner.path)) throw errors.forbidden('只能为本单位及下级单位编写文章', 'Articles may be owned only by units in your scope');
    const keywords = [...new Set((input.keywords ?? (base ? json<string[]>(base.keywords) : [])).map((k) => k.trim()).filter(Boolean))].slice(0, 30);
    const legalBasis = (input.legalBasis ?? (base ? json<LegalBasis[]>(base.legal_basis) : [])).map((b) => ({
      law: b.law.trim().replace(/^《|》$/g, ''),
      ...(b.article ? { article: b.article.trim() } : {}),
      ...(b.edition ? { edition: b.edition.trim() } : {}),
      ...(b.quote ? { quote: b.quote.trim() } : {}),
    }));
    const summary = (input.summary ?? '').trim() || (input.summary === undefined && base ? base.summary : firstSentences(text, 120));
    return {
      title,
      summary,
      body_html: html,
      body_text: text,
      category_id: categoryId,
      region_code: regionCode,
      keywords: JSON.stringify(keywords),
      legal_basis: JSON.stringify(legalBasis),
      valid_from: validFrom,
      valid_to: validTo,
      owner_unit_id: owner.id,
    };
  }

  async create(p: StaffPrincipal, input: ArticleInput, note?: string | null): Promise<ArticleView> {
    requirePermission(p, 'kb.manage');
    const c = await this.content(input, null, p);
    const owner = await this.org.require(c.owner_unit_id);
    const now = this.ctx.now();
    const id = articleId();
    const row: KbArticleTable = {
      id,
      ...c,
      owner_path: owner.path,
      status: 'draft',
      version: 1,
      live_version: null,
      rev: 1,
      created_at: now,
      created_by: p.userId,
      updated_at: now,
      updated_by: p.userId,
      reviewed_at: null,
      reviewed_by: null,
      published_at: null,
      published_by: null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await knowledgeRepo.insertArticle(trx, row);
      await knowledgeRepo.insertVersion(trx, versionRow(row, now, p.userId, Object.keys(FIELD_LABELS), note ?? '新建'));
      await knowledgeRepo.appendLog(trx, { article_id: id, at: now, actor_id: p.userId, actor_name: p.username, action: 'create', from_status: null, to_status: 'draft', version: 1, note: note ?? null });
      await this.audit.record(p, { action: 'kb.create', objectType: 'kb_article', objectId: id, outcome: 'success', details: { title: c.title } }, trx);
    });
    return this.view(row);
  }

  async update(p: StaffPrincipal, id: string, input: Partial<ArticleInput>, opts: { expectedRev?: number | undefined; note?: string | null | undefined } = {}): Promise<ArticleView> {
    requirePermission(p, 'kb.manage');
    const a = await this.requireArticle(id);
    this.requireScope(p, a);
    if (a.status === 'expired') throw errors.conflict('KB_EXPIRED', '文章已失效,请先恢复为草稿再编辑', 'The article is expired: restore it to a draft before editing');
    if (opts.expectedRev !== undefined && opts.expectedRev !== a.rev) throw concurrent();
    const c = await this.content({ title: input.title ?? a.title, bodyHtml: input.bodyHtml ?? a.body_html, ...withoutUndefined(input) }, a, p);
    const changes = changedFields(a, c);
    if (changes.length === 0) throw errors.validation('没有要修改的内容', 'Nothing to change');
    const owner = await this.org.require(c.owner_unit_id);
    const now = this.ctx.now();
    const version = a.version + 1;
    const next: KbArticleTable = { ...a, ...c, owner_path: owner.path, version, status: 'draft', updated_at: now, updated_by: p.userId, reviewed_at: null, reviewed_by: null };
    await this.ctx.db.transaction().execute(async (trx) => {
      const ok = await knowledgeRepo.updateArticle(trx, id, a.rev, {
        ...c,
        owner_path: owner.path,
        version,
        status: 'draft',
        updated_at: now,
        updated_by: p.userId,
        reviewed_at: null,
        reviewed_by: null,
      });
      if (!ok) throw concurrent();
      await knowledgeRepo.insertVersion(trx, versionRow(next, now, p.userId, changes, opts.note ?? null));
      await knowledgeRepo.appendLog(trx, { article_id: id, at: now, actor_id: p.userId, actor_name: p.username, action: 'edit', from_status: a.status, to_status: 'draft', version, note: opts.note ?? `修改:${changes.map((f) => FIELD_LABELS[f] ?? f).join('、')}` });
      await this.audit.record(p, { action: 'kb.edit', objectType: 'kb_article', objectId: id, outcome: 'success', details: { version, changes } }, trx);
    });
    return this.view({ ...next, rev: a.rev + 1 });
  }

  async act(p: StaffPrincipal, id: string, action: ArticleAction, opts: { expectedRev?: number | undefined; note?: string | null | undefined } = {}): Promise<ArticleView> {
    requirePermission(p, action === 'restore' ? 'kb.manage' : 'kb.publish');
    const a = await this.requireArticle(id);
    this.requireScope(p, a);
    if (opts.expectedRev !== undefined && opts.expectedRev !== a.rev) throw concurrent();
    const to = transition(a.status as ArticleStatus, action, { actorId: p.userId, lastEditorId: a.updated_by });
    const now = this.ctx.now();
    if (action === 'publish' && a.valid_to !== null && a.valid_to <= now) {
      throw errors.conflict('KB_VALIDITY_ENDED', '文章的有效期已过,不能发布;请修改失效日期', 'The article’s validity has ended: change validTo before publishing');
    }
    const patch: Partial<KbArticleTable> = { status: to };
    if (action === 'review') Object.assign(patch, { reviewed_at: now, reviewed_by: p.userId });
    if (action === 'reject') Object.assign(patch, { reviewed_at: null, reviewed_by: null });
    if (action === 'publish') Object.assign(patch, { live_version: a.version, published_at: now, published_by: p.userId });
    if (action === 'expire') Object.assign(patch, { live_version: null });
    // Prepared outside the transaction: it reads the category cache (never ctx.db inside a transaction).
    const live = action === 'publish' ? await this.docOf({ ...a, ...patch } as KbArticleTable, now) : null;
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await knowledgeRepo.updateArticle(trx, id, a.rev, patch))) throw concurrent();
      if (live) {
        await knowledgeRepo.deleteDoc(trx, this.ctx.handle.dialect, id, docGrams);
        await knowledgeRepo.insertDoc(trx, this.ctx.handle.dialect, live.doc, live.grams);
      }
      if (action === 'expire') await knowledgeRepo.deleteDoc(trx, this.ctx.handle.dialect, id, docGrams);
      await knowledgeRepo.appendLog(trx, { article_id: id, at: now, actor_id: p.userId, actor_name: p.username, action, from_status: a.status, to_status: to, version: a.version, note: opts.note ?? null });
      await this.audit.record(p, { action: `kb.${action}`, objectType: 'kb_article', objectId: id, outcome: 'success', details: { from: a.status, to, version: a.version } }, trx);
    });
    if (action === 'publish' || action === 'expire') this.engine.invalidate();
    return this.view({ ...a, ...patch, rev: a.rev + 1 });
  }

  private async docOf(a: Pick<KbArticleTable, 'id' | 'version' | 'title' | 'summary' | 'body_html' | 'body_text' | 'category_id' | 'region_code' | 'keywords' | 'legal_basis' | 'valid_from' | 'valid_to' | 'owner_unit_id'>, now: number): Promise<{ doc: NewKbDoc; grams: string[] }> {
    const keywords = json<string[]>(a.keywords);
    const basis = json<LegalBasis[]>(a.legal_basis);
    const category = a.category_id ? await this.categories.get(a.category_id) : undefined;
    const parent = category?.parentId ? await this.categories.get(category.parentId) : undefined;
    const extra = [category?.name, parent?.name, ...basis.map((b) => `${b.law} ${b.article ?? ''}`)].filter(Boolean).join(' ');
    const analyzed = analyzeArticle({ title: a.title, summary: a.summary, body: a.body_text, keywords, extra });
    return {
      doc: {
        article_id: a.id,
        version: a.version,
        title: a.title,
        summary: a.summary,
        body_html: a.body_html,
        body_text: a.body_text,
        category_id: a.category_id,
        region_code: a.region_code,
        keywords: a.keywords,
        legal_basis: a.legal_basis,
        valid_from: a.valid_from,
        valid_to: a.valid_to,
        owner_unit_id: a.owner_unit_id,
        published_at: now,
        title_t: analyzed.title.join(' '),
        extra_t: analyzed.extra.join(' '),
        body_t: analyzed.body.join(' '),
        length: analyzed.title.length + analyzed.extra.length + analyzed.body.length,
      },
      grams: analyzed.grams,
    };
  }

  /** Articles written, reviewed and published in one go by the system (the starter base, imports). */
  async importPublished(p: Principal, input: ArticleInput & { id?: string }, opts: { now?: number } = {}): Promise<string> {
    const c = await this.content(input, null, null);
    const owner = await this.org.require(c.owner_unit_id);
    const now = opts.now ?? this.ctx.now();
    const id = input.id ?? articleId();
    const actor = p.kind === 'staff' ? p.userId : `system:${p.kind === 'system' ? p.job : 'citizen'}`;
    const row: KbArticleTable = {
      id,
      ...c,
      owner_path: owner.path,
      status: c.valid_to !== null && c.valid_to <= now ? 'expired' : 'published',
      version: 1,
      live_version: null,
      rev: 1,
      created_at: now,
      created_by: actor,
      updated_at: now,
      updated_by: actor,
      reviewed_at: now,
      reviewed_by: actor,
      published_at: now,
      published_by: actor,
    };
    if (row.status === 'published') row.live_version = 1;
    const prepared = row.status === 'published' ? await this.docOf(row, now) : null;
    await this.ctx.db.transaction().execute(async (trx) => {
      await knowledgeRepo.insertArticle(trx, row);
      await knowledgeRepo.insertVersion(trx, versionRow(row, now, actor, Object.keys(FIELD_LABELS), '导入'));
      await knowledgeRepo.appendLog(trx, { article_id: id, at: now, actor_id: null, actor_name: actor, action: 'import', from_status: null, to_status: row.status, version: 1, note: null });
      if (prepared) await knowledgeRepo.insertDoc(trx, this.ctx.handle.dialect, prepared.doc, prepared.grams);
    });
    this.engine.invalidate();
    return id;
  }

  /** Live documents whose validity ended are taken off the public index (run by the notifier job). */
  async expireDue(limit = 100): Promise<number> {
    const now = this.ctx.now();
    const due = await knowledgeRepo.docsPastValidity(this.ctx.db, now, limit);
    let n = 0;
    for (const { article_id: id } of due) {
      const a = await knowledgeRepo.getArticle(this.ctx.db, id);
      await this.ctx.db.transaction().execute(async (trx) => {
        await knowledgeRepo.deleteDoc(trx, this.ctx.handle.dialect, id, docGrams);
        if (!a) return;
        const to = a.status === 'published' ? 'expired' : a.status;
        await knowledgeRepo.updateArticle(trx, id, a.rev, { status: to, live_version: null });
        await knowledgeRepo.appendLog(trx, { article_id: id, at: now, actor_id: null, actor_name: 'system:kb-expiry', action: 'expire', from_status: a.status, to_status: to, version: a.live_version ?? a.version, note: '有效期届满,自动下线' });
      });
      n++;
    }
    if (n) this.engine.invalidate();
    return n;
  }

  // ------------------------------------------------------------ reading (staff)

  async list(
    p: StaffPrincipal,
    f: { status?: ArticleStatus | undefined; categoryId?: string | undefined; q?: string | undefined; mine?: boolean | undefined; page: number; pageSize: number },
  ): Promise<{ items: ArticleView[]; total: number; page: number; pageSize: number }> {
    requirePermission(p, 'kb.manage');
    let q = this.ctx.db.selectFrom('kb_articles');
    // Editors see the articles of their scope in every state, and everything published.
    q = f.mine ? q.where('owner_path', 'like', `${p.scopePath}%`) : q.where((eb) => eb.or([eb('owner_path', 'like', `${p.scopePath}%`), eb('live_version', 'is not', null)]));
    if (f.status) q = q.where('status', '=', f.status);
    if (f.categoryId) q = q.where('category_id', '=', f.categoryId);
    if (f.q) q = q.where('title', 'like', `%${f.q.replace(/[\\%_]/g, '')}%`);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
    const items = [];
    for (const r of rows) items.push(await this.view(r));
    return { items, total: Number(total?.n ?? 0), page: f.page, pageSize: f.pageSize };
  }

  async detail(p: StaffPrincipal, id: string) {
    requirePermission(p, 'kb.manage');
    const a = await this.requireArticle(id);
    if (!inScope(p.scopePath, a.owner_path) && a.live_version === null) throw errors.notFound(`Article ${id}`, '知识库文章');
    const [versions, log] = await Promise.all([knowledgeRepo.versions(this.ctx.db, id), knowledgeRepo.log(this.ctx.db, id)]);
    return {
      article: await this.view(a),
      versions: versions.map((v) => ({
        version: v.version,
        title: v.title,
        changedAt: new Date(v.changed_at).toISOString(),
        changedBy: v.changed_by,
        changes: json<string[]>(v.changes).map((f) => ({ field: f, label: FIELD_LABELS[f] ?? f })),
        note: v.note,
      })),
      log: log.map((l) => ({ seq: l.seq, at: new Date(l.at).toISOString(), actor: l.actor_name, action: l.action, from: l.from_status, to: l.to_status, version: l.version, note: l.note })),
    };
  }

  async version(p: StaffPrincipal, id: string, version: number) {
    requirePermission(p, 'kb.manage');
    // The same visibility as the detail: another unit's never-published article does not exist for you.
    const a = await this.requireArticle(id);
    if (!inScope(p.scopePath, a.owner_path) && a.live_version === null) throw errors.notFound(`Article ${id}`, '知识库文章');
    const v = await knowledgeRepo.getVersion(this.ctx.db, id, version);
    if (!v) throw errors.notFound(`Article ${id} version ${version}`, '该版本');
    return {
      version: v.version,
      title: v.title,
      summary: v.summary,
      bodyHtml: v.body_html,
      categoryId: v.category_id,
      regionCode: v.region_code,
      keywords: json<string[]>(v.keywords),
      legalBasis: json<LegalBasis[]>(v.legal_basis),
      validFrom: iso(v.valid_from),
      validTo: iso(v.valid_to),
      ownerUnitId: v.owner_unit_id,
      changedAt: new Date(v.changed_at).toISOString(),
      changedBy: v.changed_by,
      changes: json<string[]>(v.changes),
      note: v.note,
    };
  }

  // ------------------------------------------------------------ the public side

  /** A published article in force, as the public sees it (its live version). */
  async publicArticle(id: string, regionCode?: string | null): Promise<PublicArticle> {
    const doc = await knowledgeRepo.getDocByArticle(this.ctx.db, id);
    if (!doc || !inForce(doc.valid_from, doc.valid_to, this.ctx.now()) || !appliesTo(doc.region_code, regionCode)) throw errors.notFound(`Article ${id}`, '知识库文章');
    return {
      id: doc.article_id,
      title: doc.title,
      summary: doc.summary,
      bodyHtml: doc.body_html,
      categoryId: doc.category_id,
      categoryName: await this.categoryName(doc.category_id),
      regionCode: doc.region_code,
      legalBasis: json<LegalBasis[]>(doc.legal_basis),
      version: doc.version,
      publishedAt: new Date(Number(doc.published_at)).toISOString(),
      validTo: iso(doc.valid_to),
    };
  }

  private async toItems(hits: SearchHit[]): Promise<SearchItem[]> {
    const out: SearchItem[] = [];
    for (const h of hits) {
      out.push({
        id: h.doc.article_id,
        title: h.doc.title,
        summary: h.doc.summary,
        snippet: snippet(h.doc.body_text, h.matched),
        categoryId: h.doc.category_id,
        categoryName: await this.categoryName(h.doc.category_id),
        regionCode: h.doc.region_code,
        legalBasis: json<LegalBasis[]>(h.doc.legal_basis),
        version: h.doc.version,
        score: h.score,
        match: h.match,
        matched: h.matched,
      });
    }
    return out;
  }

  /** The citizen's search on the submission page. A `session` (one per page visit) keeps one question per visit. */
  async publicSearch(input: { q: string; regionCode?: string | null | undefined; categoryId?: string | null | undefined; session?: string | undefined; limit?: number | undefined }): Promise<{ queryId: string | null; items: SearchItem[]; tookMs: number }> {
    const t0 = performance.now();
    const r = await this.engine.search(input.q, { regionCode: input.regionCode, categoryId: input.categoryId, limit: input.limit ?? 5 });
    const items = await this.toItems(r.hits);
    let queryId: string | null = null;
    // Questions are kept per page visit (session): an API client without one leaves no trace.
    if (r.parsed.concepts.length > 0 && input.session) {
      const now = this.ctx.now();
      const top = r.hits[0];
      const row: KbQueryTable = {
        id: newId(now),
        at: now,
        source: 'search',
        session: input.session ? `s:${input.session}` : null,
        appeal_id: null,
        query: maskPersonal(input.q.trim()),
        key: r.key,
        region_code: input.regionCode ?? null,
        category_id: input.categoryId ?? top?.doc.category_id ?? null,
        results: r.hits.length,
        top_article_id: top?.doc.article_id ?? null,
        top_match: Math.round((top?.match ?? 0) * 1000),
        clicked_article_id: null,
        resolved: 0,
        updated_at: now,
      };
      if (row.session) {
        const prior = await knowledgeRepo.getQueryBySession(this.ctx.db, row.session);
        // A visit whose question was already answered keeps its outcome.
        if (prior && (prior.resolved || prior.clicked_article_id)) queryId = prior.id;
        else {
          await knowledgeRepo.upsertQuery(this.ctx.db, row);
          queryId = prior?.id ?? row.id;
        }
      } else {
        await knowledgeRepo.upsertQuery(this.ctx.db, row);
        queryId = row.id;
      }
    }
    return { queryId, items, tookMs: Math.round((performance.now() - t0) * 10) / 10 };
  }

  /** The citizen opened an article from a search. */
  async click(queryId: string, articleId: string): Promise<void> {
    const q = await knowledgeRepo.getQuery(this.ctx.db, queryId);
    if (!q || q.source !== 'search') throw errors.notFound(`Query ${queryId}`, '检索记录');
    if (!(await knowledgeRepo.getDocByArticle(this.ctx.db, articleId))) throw errors.notFound(`Article ${articleId}`, '知识库文章');
    await this.ctx.db.updateTable('kb_queries').set({ clicked_article_id: articleId, updated_at: this.ctx.now() }).where('id', '=', queryId).execute();
  }

  /**
   * "这解决了我的问题": a consultation resolved without an appeal. Counted once per search visit (the
   * query id), within a day of the search, for an article that is live: the evaluation engine counts
   * kb_resolutions by region, category and day.
   */
  async resolve(input: { queryId: string; articleId: string }): Promise<{ resolutionId: string; counted: boolean; message: string; messageEn: string }> {
    const now = this.ctx.now();
    const q = await knowledgeRepo.getQuery(this.ctx.db, input.queryId);
    if (!q || q.source !== 'search' || now - q.at > DAY) throw errors.notFound(`Query ${input.queryId}`, '检索记录');
    const doc = await knowledgeRepo.getDocByArticle(this.ctx.db, input.articleId);
    if (!doc || !inForce(doc.valid_from, doc.valid_to, now)) throw errors.notFound(`Article ${input.articleId}`, '知识库文章');
    const id = newId(now);
    let counted = false;
    await this.ctx.db.transaction().execute(async (trx) => {
      counted = await knowledgeRepo.insertResolution(trx, {
        id,
        at: now,
        day: shanghaiDay(now),
        region_code: q.region_code ?? doc.region_code,
        category_id: doc.category_id,
        article_id: doc.article_id,
        article_version: doc.version,
        query_id: q.id,
        channel: 'web',
      });
      await trx.updateTable('kb_queries').set({ resolved: 1, clicked_article_id: doc.article_id, updated_at: now }).where('id', '=', q.id).execute();
    });
    const existing = counted ? id : ((await this.ctx.db.selectFrom('kb_resolutions').select('id').where('query_id', '=', q.id).executeTakeFirst())?.id ?? id);
    return { resolutionId: existing, counted, message: '感谢反馈!很高兴这篇解答帮到了您。如仍有疑问,可以继续提交诉求。', messageEn: 'Thank you! Glad the answer helped. You can still submit an appeal if you need to.' };
  }

  /** Resolved consultations per category and per region in a period (for leaders and the figures). */
  /** For the figures (潜绩): questions settled by an article in a region (and its subregions) in a period. */
  async resolvedCount(regionCode: string, period: { start: number; end: number }): Promise<number> {
    const prefix = regionCode.replace(/(00)+$/, '');
    const r = await this.ctx.db
      .selectFrom('kb_resolutions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('at', '>=', period.start)
      .where('at', '<', period.end)
      .where('region_code', 'like', `${prefix}%`)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async resolutionStats(p: StaffPrincipal, from: number, to: number) {
    requirePermission(p, 'metrics.read');
    const root = await this.org.require(p.scopeRootId);
    const prefix = root.regionCode.replace(/(00)+$/, '');
    const base = this.ctx.db.selectFrom('kb_resolutions').where('at', '>=', from).where('at', '<', to).where((eb) => eb.or([eb('region_code', 'like', `${prefix}%`), eb('region_code', 'is', null)]));
    const byCategory = await base.select(['category_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('category_id').execute();
    const byRegion = await base.select(['region_code', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('region_code').execute();
    const total = byCategory.reduce((s, r) => s + Number(r.n), 0);
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total,
      byCategory: byCategory.map((r) => ({ categoryId: r.category_id, count: Number(r.n) })).sort((a, b) => b.count - a.count),
      byRegion: byRegion.map((r) => ({ regionCode: r.region_code, count: Number(r.n) })).sort((a, b) => b.count - a.count),
    };
  }

  // ------------------------------------------------------------ beside each appeal

  async forAppeal(p: StaffPrincipal, appealId: string, limit = 5): Promise<{ appealId: string; query: string; items: (SearchItem & { citation: string })[] }> {
    const row = await this.handling.visibleRow(p, appealId);
    const query = appealQuery(row.title, row.body);
    const r = await this.engine.search(query, { regionCode: row.region_code, categoryId: row.category_id, limit, minMatch: 0.15 });
    const items = await this.toItems(r.hits);
    return { appealId, query, items: items.map((it) => ({ ...it, citation: citationText({ articleId: it.id, title: it.title, version: it.version, legalBasis: it.legalBasis, summary: it.summary }) })) };
  }

  /** The text to insert into a reply, citing an article's legal basis; the citation is recorded. */
  async cite(p: StaffPrincipal, articleId: string, appealId?: string | null): Promise<{ articleId: string; version: number; text: string; legalBasis: LegalBasis[] }> {
    requirePermission(p, 'appeal.read');
    if (appealId) await this.handling.visibleRow(p, appealId);
    const doc = await knowledgeRepo.getDocByArticle(this.ctx.db, articleId);
    if (!doc || !inForce(doc.valid_from, doc.valid_to, this.ctx.now())) {
      throw new AppError(409, 'KB_NOT_PUBLISHED', '该文章未发布或已失效,不能引用', 'The article is not published or no longer in force and cannot be cited');
    }
    const legalBasis = json<LegalBasis[]>(doc.legal_basis);
    const text = citationText({ articleId: doc.article_id, title: doc.title, version: doc.version, legalBasis, summary: doc.summary });
    await knowledgeRepo.insertCitation(this.ctx.db, { id: newId(this.ctx.now()), at: this.ctx.now(), article_id: doc.article_id, article_version: doc.version, appeal_id: appealId ?? null, user_id: p.userId, unit_id: p.unitId });
    return { articleId: doc.article_id, version: doc.version, text, legalBasis };
  }

  // ------------------------------------------------------------ gaps

  /** Consultation appeals since the last run become questions for the gap list (run by the notifier job). */
  async processAppealQuestions(limit = 200): Promise<number> {
    const db = this.ctx.db;
    const now = this.ctx.now();
    const cursor = (await repos.settings.get<{ at: number; id: string }>(db, 'kb.questions.cursor')) ?? { at: now - 90 * DAY, id: '' };
    const rows = await db
      .selectFrom('appeals')
      .select(['id', 'title', 'body', 'region_code', 'category_id', 'created_at'])
      .where('type', '=', 'consult')
      .where((eb) => eb.or([eb('created_at', '>', cursor.at), eb.and([eb('created_at', '=', cursor.at), eb('id', '>', cursor.id)])]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    for (const a of rows) {
      const r = await this.engine.search(appealQuery(a.title, a.body), { regionCode: a.region_code, categoryId: a.category_id, limit: 1, minMatch: 0 });
      const top = r.hits[0];
      await knowledgeRepo.upsertQuery(db, {
        id: newId(Number(a.created_at)),
        at: Number(a.created_at),
        source: 'appeal',
        session: null,
        appeal_id: a.id,
        query: maskPersonal(a.title),
        key: (await this.engine.keyOf(a.title)) || r.key,
        region_code: a.region_code,
        category_id: a.category_id,
        results: r.hits.length,
        top_article_id: top?.doc.article_id ?? null,
        top_match: Math.round((top?.match ?? 0) * 1000),
        clicked_article_id: null,
        resolved: 0,
        updated_at: now,
      });
    }
    const last = rows[rows.length - 1];
    if (last) await repos.settings.set(db, 'kb.questions.cursor', { at: Number(last.created_at), id: last.id }, now, 'system:kb');
    return rows.length;
  }

  /** Questions asked often (searches nobody clicked, consultations) whose best answer is weak. */
  async gaps(p: StaffPrincipal, f: { days: number; minCount: number; limit: number; includeAnswered?: boolean | undefined }): Promise<{ items: GapItem[]; since: string }> {
    requirePermission(p, 'kb.manage');
    const now = this.ctx.now();
    const since = now - f.days * DAY;
    const root = await this.org.require(p.scopeRootId);
    const prefix = root.regionCode.replace(/(00)+$/, '');
    const base = this.ctx.db
      .selectFrom('kb_queries')
      .where('at', '>=', since)
      .where('resolved', '=', 0)
      .where('clicked_article_id', 'is', null)
      .where('top_match', '<', 500)
      .where('key', '<>', '')
      .where((eb) => eb.or([eb('region_code', 'like', `${prefix}%`), eb('region_code', 'is', null)]));
    const groups = await base
      .select((eb) => [
        'key',
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('at').as('last'),
        eb.fn.sum<number>(eb.case().when('source', '=', 'appeal').then(1).else(0).end()).as('appeals'),
      ])
      .groupBy('key')
      .having((eb) => eb.fn.countAll(), '>=', f.minCount)
      .orderBy('n', 'desc')
      .orderBy('key')
      .limit(Math.min(200, f.limit * 3))
      .execute();
    const items: GapItem[] = [];
    for (const g of groups) {
      if (items.length >= f.limit) break;
      const examples = await base.select(['query', 'region_code']).where('key', '=', g.key).orderBy('at', 'desc').limit(20).execute();
      const distinct = [...new Set(examples.map((e) => e.query))].slice(0, 3);
      // Articles may have been written since: is the topic itself answered now?
      const best = (await this.engine.search(g.key, { limit: 1, minMatch: 0 })).hits[0];
      const bestMatch = best ? { id: best.doc.article_id, title: best.doc.title, match: best.match } : null;
      if (bestMatch && bestMatch.match >= 0.5 && !f.includeAnswered) continue;
      const n = Number(g.n);
      const appeals = Number(g.appeals ?? 0);
      items.push({
        key: g.key,
        count: n,
        fromSearches: n - appeals,
        fromAppeals: appeals,
        lastAt: new Date(Number(g.last)).toISOString(),
        examples: distinct,
        regions: [...new Set(examples.map((e) => e.region_code).filter((x): x is string => !!x))].slice(0, 5),
        bestMatch,
      });
    }
    return { items, since: new Date(since).toISOString() };
  }

  // ------------------------------------------------------------ synonyms

  async synonymList(p: StaffPrincipal): Promise<{ phrase: string; terms: string[]; custom: boolean }[]> {
    requirePermission(p, 'kb.manage');
    const custom = new Set((await this.ctx.db.selectFrom('kb_synonyms').select('phrase').execute()).map((r) => r.phrase));
    return (await this.engine.synonymEntries()).map((e) => ({ phrase: e.phrase, terms: e.terms, custom: custom.has(e.phrase) })).sort((a, b) => (a.phrase < b.phrase ? -1 : 1));
  }

  async saveSynonym(p: StaffPrincipal, phrase: string, terms: string[]): Promise<void> {
    requirePermission(p, 'kb.publish');
    const now = this.ctx.now();
    const clean = [...new Set(terms.map((t) => t.trim()).filter(Boolean))];
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('kb_synonyms')
        .values({ phrase, terms: JSON.stringify(clean), updated_at: now, updated_by: p.userId })
        .onConflict((oc) => oc.column('phrase').doUpdateSet({ terms: JSON.stringify(clean), updated_at: now, updated_by: p.userId }))
        .execute();
      await this.audit.record(p, { action: 'kb.synonym', objectType: 'kb_synonym', objectId: phrase, outcome: 'success', details: { terms: clean } }, trx);
    });
    this.engine.invalidateSynonyms();
  }

  async deleteSynonym(p: StaffPrincipal, phrase: string): Promise<void> {
    requirePermission(p, 'kb.publish');
    await this.ctx.db.deleteFrom('kb_synonyms').where('phrase', '=', phrase).execute();
    await this.audit.record(p, { action: 'kb.synonym.delete', objectType: 'kb_synonym', objectId: phrase, outcome: 'success', details: null });
    this.engine.invalidateSynonyms();
  }

  // ------------------------------------------------------------ helpers

  private async requireArticle(id: string): Promise<KbArticleTable> {
    const a = await knowledgeRepo.getArticle(this.ctx.db, id);
    if (!a) throw errors.notFound(`Article ${id}`, '知识库文章');
    return { ...a, valid_from: numOrNull(a.valid_from), valid_to: numOrNull(a.valid_to) };
  }

  private requireScope(p: StaffPrincipal, a: KbArticleTable): void {
    if (!inScope(p.scopePath, a.owner_path)) throw errors.forbidden('该文章不属于本单位及下级单位', 'The article is owned by a unit outside your scope');
  }

  private async categoryName(id: string | null): Promise<string | null> {
    return id ? ((await this.categories.get(id))?.name ?? null) : null;
  }

  private async view(a: KbArticleTable): Promise<ArticleView> {
    const status = a.status as ArticleStatus;
    return {
      id: a.id,
      title: a.title,
      summary: a.summary,
      bodyHtml: a.body_html,
      categoryId: a.category_id,
      categoryName: await this.categoryName(a.category_id),
      regionCode: a.region_code,
      keywords: json<string[]>(a.keywords),
      legalBasis: json<LegalBasis[]>(a.legal_basis),
      validFrom: iso(numOrNull(a.valid_from)),
      validTo: iso(numOrNull(a.valid_to)),
      ownerUnitId: a.owner_unit_id,
      ownerUnitName: (await this.org.get(a.owner_unit_id))?.name ?? null,
      status,
      statusLabel: ARTICLE_STATUS_LABELS[status]?.zh ?? status,
      version: a.version,
      liveVersion: a.live_version,
      rev: a.rev,
      createdAt: new Date(Number(a.created_at)).toISOString(),
      updatedAt: new Date(Number(a.updated_at)).toISOString(),
      updatedBy: a.updated_by,
      reviewedBy: a.reviewed_by,
      publishedAt: iso(numOrNull(a.published_at)),
    };
  }
}

const numOrNull = (v: number | null) => (v === null ? null : Number(v));

function docGrams(d: KbDocRow): string[] {
  return gramsOf(d.title, d.summary, JSON.parse(d.keywords) as string[]);
}

function concurrent(): AppError {
  return new AppError(409, 'CONCURRENT_UPDATE', '文章已被他人修改,请刷新后重试', 'The article was changed by someone else; reload and retry');
}

function firstSentences(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max).join('');
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('!'), cut.lastIndexOf('?'));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut}…`;
}

/** What an appeal asks, for matching: its title and the start of its text. */
export function appealQuery(title: string, body: string): string {
  return `${title} ${[...body].slice(0, 160).join('')}`;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const CONTENT_FIELDS: [keyof Content, string][] = [
  ['title', 'title'],
  ['summary', 'summary'],
  ['body_html', 'bodyHtml'],
  ['category_id', 'categoryId'],
  ['region_code', 'regionCode'],
  ['keywords', 'keywords'],
  ['legal_basis', 'legalBasis'],
  ['valid_from', 'validFrom'],
  ['valid_to', 'validTo'],
  ['owner_unit_id', 'ownerUnitId'],
];

function changedFields(a: KbArticleTable, c: Content): string[] {
  return CONTENT_FIELDS.filter(([col]) => {
    const x = a[col] as unknown;
    const y = c[col] as unknown;
    return (x === null ? null : typeof x === 'number' || typeof y === 'number' ? Number(x) : x) !== (y === null ? null : typeof y === 'number' ? Number(y) : y);
  }).map(([, f]) => f);
}

function versionRow(a: KbArticleTable, at: number, by: string | null, changes: string[], note: string | null): KbArticleVersionTable {
  return {
    article_id: a.id,
    version: a.version,
    title: a.title,
    summary: a.summary,
    body_html: a.body_html,
    category_id: a.category_id,
    region_code: a.region_code,
    keywords: a.keywords,
    legal_basis: a.legal_basis,
    valid_from: a.valid_from,
    valid_to: a.valid_to,
    owner_unit_id: a.owner_unit_id,
    changed_at: at,
    changed_by: by,
    changes: JSON.stringify(changes),
    note,
  };
}
