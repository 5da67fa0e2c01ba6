// Composition of the text intelligence (issue 4): classifier, intake analyzer, hotspots, reply checks,
// and the reading of what was found about an appeal (for the dispatcher's and handler's pages).
import { assessRisk, NearDuplicateIndex, scoreReply, type ReplyQuality, type RiskSignal } from '../../domain/text/index.ts';
import type { AppealInsightTable } from '../../store/text-schema.ts';
import { errors } from '../../lib/errors.ts';
import type { AppealHandlingService } from '../appeals/handling.ts';
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type StaffPrincipal } from '../principal.ts';
import { AppealAnalyzer, insightRow, predictedOf } from './analyzer.ts';
import { appealText, ClassificationService } from './classification.ts';
import { HotspotService } from './hotspots.ts';
import { canSee } from '../appeals/handling.ts';

export interface AppealInsightView {
  appealId: string;
  predicted: { categoryId: string; name: string; confidence: number } | null;
  ranked: { categoryId: string; name: string; probability: number }[];
  route: 'auto' | 'triage';
  routeReason: string;
  autoUnit: { id: string; name: string } | null;
  risk: { level: string; score: number; signals: RiskSignal[] };
  repeatOf: LinkedAppeal | null;
  sameIssueAs: LinkedAppeal | null;
  similarity: number | null;
  /** Other appeals on the same matter (same issue id), newest first, those the user may see. */
  sameIssue: LinkedAppeal[];
  hotspots: { id: string; label: string; status: string }[];
}

interface LinkedAppeal {
  id: string;
  trackingCode: string;
  title: string;
  status: string;
  createdAt: string;
}

export interface RiskAlertView {
  appealId: string;
  trackingCode: string;
  title: string;
  status: string;
  urgency: string;
  createdAt: string;
  level: string;
  score: number;
  signals: RiskSignal[];
}

/** Repeats and same-issue appeals are looked for this far back (as at intake). */
const DUPLICATE_WINDOW_MS = 90 * 86_400_000;

export class TextServices {
  readonly classification: ClassificationService;
  readonly analyzer: AppealAnalyzer;
  readonly hotspots: HotspotService;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    audit: AuditService,
    private readonly handling: AppealHandlingService,
  ) {
    this.classification = new ClassificationService(ctx, categories, audit);
    this.analyzer = new AppealAnalyzer(ctx, org, categories, this.classification);
    this.hotspots = new HotspotService(ctx, org);
  }

  /** What the analysis found about an appeal the user may see. */
  async insight(p: StaffPrincipal, appealId: string): Promise<AppealInsightView> {
    await this.handling.visibleRow(p, appealId);
    const r = await this.ctx.db.selectFrom('appeal_insights').selectAll().where('appeal_id', '=', appealId).executeTakeFirst();
    if (!r) throw errors.notFound(`Insight of ${appealId}`, '智能分析结果');
    const name = async (id: string) => (await this.categories.get(id))?.name ?? id;
    const ranked = JSON.parse(r.ranked) as { categoryId: string; probability: number }[];
    const linked = async (id: string | null): Promise<LinkedAppeal | null> => {
      if (!id) return null;
      const a = await this.ctx.db.selectFrom('appeals').select(['id', 'tracking_code', 'title', 'status', 'created_at', 'unit_path', 'intake_path']).where('id', '=', id).executeTakeFirst();
      if (!a || !canSee(p, a)) return null;
      return { id: a.id, trackingCode: a.tracking_code, title: a.title, status: a.status, createdAt: new Date(Number(a.created_at)).toISOString() };
    };
    const issue = await this.ctx.db
      .selectFrom('appeal_insights')
      .innerJoin('appeals', 'appeals.id', 'appeal_insights.appeal_id')
      .select(['appeals.id', 'appeals.tracking_code', 'appeals.title', 'appeals.status', 'appeals.created_at', 'appeals.unit_path', 'appeals.intake_path'])
      .where('appeal_insights.issue_id', '=', r.issue_id)
      .where('appeals.id', '!=', appealId)
      .orderBy('appeals.created_at', 'desc')
      .limit(50)
      .execute();
    const unit = r.auto_unit_id ? await this.org.get(r.auto_unit_id) : undefined;
    return {
      appealId,
      predicted: r.predicted_category_id ? { categoryId: r.predicted_category_id, name: await name(r.predicted_category_id), confidence: r.confidence ?? 0 } : null,
      ranked: await Promise.all(ranked.map(async (x) => ({ ...x, name: await name(x.categoryId) }))),
      route: r.route === 'auto' ? 'auto' : 'triage',
      routeReason: r.route_reason,
      autoUnit: unit ? { id: unit.id, name: unit.name } : null,
      risk: { level: r.risk_level, score: Math.round(r.risk_score * 100) / 100, signals: JSON.parse(r.risk_signals) as RiskSignal[] },
      repeatOf: await linked(r.repeat_of),
      sameIssueAs: await linked(r.same_issue_as),
      similarity: r.similarity === null ? null : Math.round(r.similarity * 100) / 100,
      sameIssue: issue.filter((a) => canSee(p, a)).map((a) => ({ id: a.id, trackingCode: a.tracking_code, title: a.title, status: a.status, createdAt: new Date(Number(a.created_at)).toISOString() })),
      hotspots: await this.hotspots.ofAppeal(appealId),
    };
  }

  /** 矛盾易发点: appeals with medium or high risk in the user's scope, newest first, with their trigger words. */
  async riskAlerts(p: StaffPrincipal, q: { level?: 'high' | 'medium' | undefined; open?: boolean | undefined; limit: number }): Promise<RiskAlertView[]> {
    requirePermission(p, 'appeal.read');
    let query = this.ctx.db
      .selectFrom('appeal_insights')
      .innerJoin('appeals', 'appeals.id', 'appeal_insights.appeal_id')
      .select(['appeals.id', 'appeals.tracking_code', 'appeals.title', 'appeals.status', 'appeals.urgency', 'appeals.created_at', 'appeals.unit_path', 'appeals.intake_path', 'appeal_insights.risk_level', 'appeal_insights.risk_score', 'appeal_insights.risk_signals'])
      .where('appeal_insights.risk_level', 'in', q.level === 'high' ? ['high'] : ['high', 'medium'])
      .where((eb) => eb.or([eb('appeals.unit_path', 'like', `${p.scopePath}%`), eb('appeals.intake_path', 'like', `${p.scopePath}%`)]));
    if (q.open) query = query.where('appeals.status', 'not in', ['closed', 'merged', 'redirected', 'unreasonable']);
    const rows = await query.orderBy('appeal_insights.created_at', 'desc').limit(q.limit).execute();
    return rows
      .filter((a) => canSee(p, a))
      .map((a) => ({
        appealId: a.id,
        trackingCode: a.tracking_code,
        title: a.title,
        status: a.status,
        urgency: a.urgency,
        createdAt: new Date(Number(a.created_at)).toISOString(),
        level: a.risk_level,
        score: Math.round(a.risk_score * 100) / 100,
        signals: JSON.parse(a.risk_signals) as RiskSignal[],
      }));
  }

  /**
   * Insights for appeals stored without one (bulk-loaded demo or imported history, or appeals from
   * before this module): category prediction, risk, repeat and same-issue links. Never dispatches —
   * those appeals were routed when they came in. Returns how many were added.
   */
  async backfill(opts: { batch?: number } = {}): Promise<number> {
    const batch = opts.batch ?? 2000;
    const index = new NearDuplicateIndex();
    const issueOf = new Map<string, string>();
    // Only the 90 days before the oldest appeal without an insight matter (the duplicate window):
    // after an import, the rest of the history need not be read again.
    const oldest = await this.ctx.db
      .selectFrom('appeals')
      .leftJoin('appeal_insights', 'appeal_insights.appeal_id', 'appeals.id')
      .select((eb) => eb.fn.min('appeals.created_at').as('t'))
      .where('appeal_insights.appeal_id', 'is', null)
      .executeTakeFirst();
    if (oldest?.t === null || oldest?.t === undefined) return 0;
    let after = Number(oldest.t) - DUPLICATE_WINDOW_MS - 1;
    let afterId = '';
    let added = 0;
    const model = await this.classification.active();
    for (;;) {
      const rows = await this.ctx.db
        .selectFrom('appeals')
        .leftJoin('appeal_insights', 'appeal_insights.appeal_id', 'appeals.id')
        .select(['appeals.id', 'appeals.title', 'appeals.body', 'appeals.created_at', 'appeals.citizen_phone_idx', 'appeals.region_code', 'appeals.status', 'appeal_insights.appeal_id as has', 'appeal_insights.issue_id'])
        .where((eb) => eb.or([eb('appeals.created_at', '>', after), eb.and([eb('appeals.created_at', '=', after), eb('appeals.id', '>', afterId)])]))
        .orderBy('appeals.created_at')
        .orderBy('appeals.id')
        .limit(batch)
        .execute();
      if (rows.length === 0) break;
      const out: AppealInsightTable[] = [];
      const phoneCount = new Map<string, number>();
      for (const r of rows) {
        const t = Number(r.created_at);
        const text = appealText(r.title, r.body);
        const matches = index.check(r.id, text, t, r.citizen_phone_idx);
        const prior = r.citizen_phone_idx ? (phoneCount.get(r.citizen_phone_idx) ?? 0) : 0;
        if (r.citizen_phone_idx) phoneCount.set(r.citizen_phone_idx, prior + 1);
        if (r.has) {
          issueOf.set(r.id, r.issue_id ?? r.id);
          continue;
        }
        const repeat = matches.find((m) => m.kind === 'repeat') ?? null;
        const same = repeat ? null : (matches.find((m) => m.kind === 'same-issue') ?? null);
        const linked = repeat ?? same;
        const issueId = linked ? (issueOf.get(linked.id) ?? linked.id) : r.id;
        issueOf.set(r.id, issueId);
        const p = model ? model.model.predict(text) : null;
        out.push(
          insightRow(
            r.id,
            r.region_code,
            {
              predicted: p && model ? predictedOf(p, model.id) : null,
              route: { kind: 'triage', reason: '历史诉求，补算的智能分析' },
              risk: assessRisk({ text, priorAppeals: prior }),
              repeatOf: repeat?.id ?? null,
              sameIssueAs: same?.id ?? null,
              similarity: linked?.similarity ?? null,
            },
            issueId,
            t,
          ),
        );
      }
      for (let i = 0; i < out.length; i += 200) await this.ctx.db.insertInto('appeal_insights').values(out.slice(i, i + 200)).execute();
      added += out.length;
      const last = rows[rows.length - 1]!;
      after = Number(last.created_at);
      afterId = last.id;
      if (rows.length < batch) break;
    }
    return added;
  }

  /** For the citizen's form: the categories the text most likely belongs to (public; nothing stored). */
  async suggestCategories(title: string, body: string): Promise<{ categoryId: string; name: string; nameEn: string; probability: number }[]> {
    if ((title + body).trim().length < 4) return [];
    const p = await this.classification.predict(title, body);
    if (!p) return [];
    const out: { categoryId: string; name: string; nameEn: string; probability: number }[] = [];
    for (const r of p.ranked.slice(0, 3)) {
      if (r.probability < 0.1) continue;
      const c = await this.categories.get(r.label);
      if (c?.active) out.push({ categoryId: c.id, name: c.name, nameEn: c.nameEn, probability: Math.round(r.probability * 100) / 100 });
    }
    return out;
  }

  /** Hotspot detection on demand: staff who read the figures of their scope (leaders, dispatchers). */
  requireHotspotRefresh(p: StaffPrincipal): void {
    requirePermission(p, 'appeal.supervise');
  }

  /** 每一份文书: scores a draft reply against the appeal before it is sent (nothing is stored). */
  async checkReply(p: StaffPrincipal, appealId: string, text: string): Promise<ReplyQuality> {
    requirePermission(p, 'appeal.handle');
    const row = await this.handling.visibleRow(p, appealId);
    return scoreReply({ appealTitle: row.title, appealText: row.body, reply: text, appealTime: Number(row.created_at), replyTime: this.ctx.now() });
  }
}
