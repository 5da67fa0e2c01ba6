// What the text intelligence does at intake (DESIGN.md §7): predict the category, resolve the region
// from the address and text, look for the same citizen's repeat and other citizens' appeals on the
// same matter, score the risk, and decide the route — dispatched automatically by the 派单目录 when the
// model is confident and nothing needs a person, otherwise the triage queue with the reason why.
// Runs before the intake transaction (lookups only); `record` writes the insight inside it.
import { assessRisk, NearDuplicateIndex, type Prediction, type RiskAssessment } from '../../domain/text/index.ts';
import type { AppealInsightTable } from '../../store/text-schema.ts';
import type { Urgency } from '../../domain/appeal/types.ts';
import { repos, type Executor } from '../../store/repositories/index.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import type { SystemPrincipal } from '../principal.ts';
import type { AppealWriter } from '../appeals/writer.ts';
import { RegionResolver } from '../interop/regions.ts';
import { AppealTail } from './appeal-tail.ts';
import { appealText, type ClassificationService } from './classification.ts';

const WINDOW_MS = 90 * 86_400_000;
const AUTO_DISPATCHER: SystemPrincipal = { kind: 'system', job: 'auto-dispatch' };

export interface AnalysisInput {
  title: string;
  body: string;
  address: string | null;
  regionCode: string;
  /** The category the citizen or operator chose, if any. */
  categoryId: string | null;
  phoneIdx: string | null;
  at: number;
}

export type Route = { kind: 'auto'; unitId: string; reason: string } | { kind: 'triage'; reason: string };

export interface Analysis {
  predicted: { categoryId: string; confidence: number; ranked: { categoryId: string; probability: number }[]; modelId: string } | null;
  /** The category to store: the chosen one, else the predicted one when the model is confident. */
  categoryId: string | null;
  /** Raised to emergency (2 h) on high risk, else null (no change). */
  urgency: Urgency | null;
  risk: RiskAssessment;
  repeatOf: string | null;
  sameIssueAs: string | null;
  similarity: number | null;
  route: Route;
  /** The most specific region found in address and text within the appeal's region. */
  routingRegion: string;
}

export class AppealAnalyzer {
  private readonly index = new NearDuplicateIndex();
  private readonly tail: AppealTail;
  private readonly regions: RegionResolver;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly classifier: ClassificationService,
  ) {
    this.tail = new AppealTail(ctx, WINDOW_MS);
    this.regions = new RegionResolver(org);
  }

  async analyze(input: AnalysisInput): Promise<Analysis> {
    const text = appealText(input.title, input.body);
    const prediction = await this.classifier.predict(input.title, input.body).catch((e: unknown) => {
      this.ctx.log.error({ err: e }, 'classification failed; the appeal goes to triage');
      return null;
    });
    const predicted = prediction ? predictedOf(prediction, prediction.modelId) : null;

    // Repeats and same-issue appeals of the last 90 days.
    const index = await this.duplicateIndex();
    const matches = index.query(text, input.at, input.phoneIdx, 10);
    const repeat = matches.find((m) => m.kind === 'repeat') ?? null;
    const same = repeat ? null : (matches.find((m) => m.kind === 'same-issue') ?? null);
    const priorAppeals = input.phoneIdx ? await this.countByPhone(input.phoneIdx, input.at) : 0;
    const risk = assessRisk({ text, priorAppeals });

    const routingRegion = await this.routingRegion(input);
    const confident = predicted !== null && predicted.confidence >= this.classifier.threshold;
    const categoryId = input.categoryId ?? (confident ? predicted.categoryId : null);
    const route = await this.route(input, predicted, confident, categoryId, routingRegion, repeat?.id ?? null);
    return {
      predicted,
      categoryId,
      urgency: risk.level === 'high' ? 'emergency' : null,
      risk,
      repeatOf: repeat?.id ?? null,
      sameIssueAs: same?.id ?? null,
      similarity: (repeat ?? same)?.similarity ?? null,
      route,
      routingRegion,
    };
  }

  /**
   * Loads what the first analysis would otherwise load while a citizen waits: the classifier (trained
   * from the seed sentences when the deployment has none), the tokenizer's dictionary, the gazetteer
   * and the near-duplicate index of the last 90 days. A lookup only: nothing is stored.
   */
  async warm(): Promise<void> {
    const region = (await this.org.regions())[0];
    if (!region) return;
    await this.analyze({ title: '小区楼下深夜噪音扰民', body: '晚上十一点以后仍有施工噪音,影响休息。', address: null, regionCode: region.code, categoryId: null, phoneIdx: null, at: this.ctx.now() });
  }

  private async route(input: AnalysisInput, predicted: Analysis['predicted'], confident: boolean, categoryId: string | null, region: string, repeatOf: string | null): Promise<Route> {
    if (!this.classifier.autoDispatch) return { kind: 'triage', reason: '未启用智能分派' };
    if (!predicted) return { kind: 'triage', reason: '没有可用的分类模型' };
    if (!confident) return { kind: 'triage', reason: `模型置信度 ${predicted.confidence.toFixed(2)} 低于阈值 ${this.classifier.threshold}` };
    if (input.categoryId && input.categoryId !== predicted.categoryId) return { kind: 'triage', reason: '所选类别与模型判断不一致' };
    if (repeatOf) return { kind: 'triage', reason: '疑似重复诉求，待人工确认是否合并' };
    const unitId = await this.catalogueUnit(categoryId!, region);
    if (!unitId) return { kind: 'triage', reason: '派单目录中没有该类别和区域的承办单位' };
    return { kind: 'auto', unitId, reason: `智能分派：类别置信度 ${predicted.confidence.toFixed(2)}` };
  }

  /** The 派单目录 entry for the category in the region or the nearest region above it. */
  async catalogueUnit(categoryId: string, regionCode: string): Promise<string | null> {
    const regions = new Map((await this.org.regions()).map((r) => [r.code, r] as const));
    let code: string | null = regionCode;
    for (let hops = 0; code && hops < 6; hops++) {
      const unitId = await repos.org.catalogueUnit(this.ctx.db, categoryId, code);
      if (unitId) {
        const u = await this.org.get(unitId);
        if (u?.active) return unitId;
      }
      code = regions.get(code)?.parent_code ?? (code.length > 6 ? code.slice(0, 6) : null);
    }
    return null;
  }

  /** The gazetteer's region when it lies within the region given (a street names the unit better). */
  private async routingRegion(input: AnalysisInput): Promise<string> {
    const found = await this.regions.resolve(input.address, `${input.title}。${input.body}`);
    return found && found !== input.regionCode && found.startsWith(input.regionCode) ? found : input.regionCode;
  }

  private async countByPhone(phoneIdx: string, at: number): Promise<number> {
    const r = await this.ctx.db
      .selectFrom('appeals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('citizen_phone_idx', '=', phoneIdx)
      .where('created_at', '>', at - WINDOW_MS)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** The near-duplicate index of the last 90 days, caught up with appeals stored since (by any instance). */
  private async duplicateIndex(): Promise<NearDuplicateIndex> {
    const idx = this.index;
    await this.tail.catchUp((a) => idx.check(a.id, appealText(a.title, a.body), a.createdAt, a.phoneIdx));
    return idx;
  }

  /** Writes the insight inside the intake transaction. */
  async record(trx: Executor, appealId: string, regionCode: string, a: Analysis, at: number): Promise<void> {
    let issueId = appealId;
    const linked = a.repeatOf ?? a.sameIssueAs;
    if (linked) {
      const prior = await trx.selectFrom('appeal_insights').select('issue_id').where('appeal_id', '=', linked).executeTakeFirst();
      issueId = prior?.issue_id ?? linked;
    }
    await trx.insertInto('appeal_insights').values(insightRow(appealId, regionCode, a, issueId, at)).execute();
  }

  /** After the intake transaction: dispatch by the catalogue as the system. A failure leaves the appeal
   *  in the triage queue (where it would have been anyway) and is logged. */
  async afterSubmit(writer: AppealWriter, appealId: string, a: Analysis): Promise<string> {
    if (a.route.kind !== 'auto') return 'submitted';
    const unitId = a.route.unitId;
    const note = a.route.reason;
    try {
      const applied = await writer.apply(AUTO_DISPATCHER, appealId, () => ({ action: 'dispatch', payload: { unitId, note } }));
      return applied.state.status;
    } catch (e) {
      this.ctx.log.warn({ err: e, appealId }, 'automatic dispatch failed; the appeal stays in triage');
      await this.ctx.db.updateTable('appeal_insights').set({ route: 'triage', route_reason: '自动分派失败，转人工', auto_unit_id: null }).where('appeal_id', '=', appealId).execute();
      return 'submitted';
    }
  }
}

/** A prediction as an insight keeps it: the best category, its confidence, the three most probable. */
export function predictedOf(p: Prediction, modelId: string): NonNullable<Analysis['predicted']> {
  return { categoryId: p.label, confidence: p.confidence, ranked: p.ranked.slice(0, 3).map((r) => ({ categoryId: r.label, probability: r.probability })), modelId };
}

/** The appeal_insights row of an analysis (at intake, or back-filled for stored appeals). */
export function insightRow(
  appealId: string,
  regionCode: string,
  a: Pick<Analysis, 'predicted' | 'route' | 'risk' | 'repeatOf' | 'sameIssueAs' | 'similarity'>,
  issueId: string,
  at: number,
): AppealInsightTable {
  return {
    appeal_id: appealId,
    region_code: regionCode,
    predicted_category_id: a.predicted?.categoryId ?? null,
    confidence: a.predicted?.confidence ?? null,
    ranked: JSON.stringify(a.predicted?.ranked ?? []),
    model_id: a.predicted?.modelId ?? null,
    route: a.route.kind,
    route_reason: a.route.reason,
    auto_unit_id: a.route.kind === 'auto' ? a.route.unitId : null,
    risk_level: a.risk.level,
    risk_score: a.risk.score,
    risk_signals: JSON.stringify(a.risk.signals),
    repeat_of: a.repeatOf,
    same_issue_as: a.sameIssueAs,
    similarity: a.similarity,
    issue_id: issueId,
    created_at: at,
  };
}
