// The 群众安全感·政法队伍满意度 survey: rounds with a configurable questionnaire (the standard
// template by default), answers from the web (once per phone and round) or entered from phone
// interviews, population margins per region, and post-stratified results with intervals and trend.
// `surveyIndexFor` gives the evaluation engine the 潜绩 slot `surveyIndex` (docs/participation.md §5).
import { createHash } from 'node:crypto';
import type { SurveyIndex } from '../../domain/metrics/latent.ts';
import { screenText } from '../../domain/participation/moderation.ts';
import { computeRoundResults, type ResponseRow, type RoundResults } from '../../domain/participation/results.ts';
import {
  AGE_GROUPS,
  SEXES,
  SEX_LABELS,
  checkAnswers,
  checkQuestionnaire,
  standardQuestionnaire,
  type Answers,
  type Questionnaire,
} from '../../domain/participation/survey.ts';
import type { MarginCell } from '../../domain/participation/weighting.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { repos } from '../../store/repositories/index.ts';
import { SurveyRepository } from '../../store/repositories/surveys.ts';
import type { SurveyMarginTable, SurveyRoundTable } from '../../store/participation-schema.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type CitizenPrincipal, type StaffPrincipal } from '../principal.ts';
import { isUniqueViolation as isUniqueViolationLike } from '../appeals/intake.ts';
import { inSubtree, iso, isoOf, parseJson, regionNames, regionWithin, requireKnownRegion, requireMobile, requireRegionInScope, scopedKey, scopeRootOf } from './common.ts';

export const surveyRepo = new SurveyRepository();

export type RoundStatus = 'draft' | 'open' | 'closed';

export interface RoundInput {
  name: string;
  regionCode?: string | undefined;
  opensAt: number;
  closesAt: number;
  questionnaire?: Questionnaire | undefined;
}

export interface RoundPatch {
  name?: string | undefined;
  opensAt?: number | undefined;
  closesAt?: number | undefined;
  questionnaire?: Questionnaire | undefined;
  status?: 'open' | 'closed' | undefined;
}

export interface ResponseInput {
  regionCode: string;
  sex: string;
  ageGroup: string;
  answers: Answers;
  phone?: string | null | undefined;
}

/** What the evaluation engine receives for the 潜绩 slot `surveyIndex` (a superset of SurveyIndex). */
export interface SurveyIndexFigure extends SurveyIndex {
  regionCode: string;
  roundName: string;
  /** When the round's fieldwork ended (ISO). */
  closedAt: string;
  weighting: 'post-stratified' | 'none';
  security: number | null;
  satisfaction: number | null;
}

/** An assessment period as the evaluation engine has it (ScorePeriod fits). */
export interface PeriodLike {
  start: number;
  end: number;
  label?: string;
}

const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export class SurveyService {
  /** Results of closed rounds never change: kept per round and region. */
  private readonly closedCache = new Map<string, RoundResults>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly audit: AuditService,
  ) {}

  template() {
    return { questionnaire: standardQuestionnaire(), ageGroups: [...AGE_GROUPS], sexes: SEXES.map((s) => ({ value: s, label: SEX_LABELS[s].zh, labelEn: SEX_LABELS[s].en })) };
  }

  // --- rounds (staff) ---------------------------------------------------------------------------

  async createRound(p: StaffPrincipal, input: RoundInput) {
    requirePermission(p, 'survey.manage');
    const owner = await scopeRootOf(this.org, p);
    const regionCode = input.regionCode ?? owner.regionCode;
    await requireKnownRegion(this.org, regionCode);
    await requireRegionInScope(this.org, p, regionCode);
    this.checkDates(input.opensAt, input.closesAt);
    const questionnaire = input.questionnaire ?? standardQuestionnaire();
    const problem = checkQuestionnaire(questionnaire);
    if (problem) throw errors.validation(problem.zh, problem.en, { field: 'questionnaire' });
    const now = this.ctx.now();
    const row: SurveyRoundTable = {
      id: newId(now),
      name: input.name.trim(),
      region_code: regionCode,
      unit_id: owner.id,
      unit_path: owner.path,
      questionnaire: JSON.stringify(questionnaire),
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      status: 'draft',
      margins_snapshot: null,
      closed_at: null,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await surveyRepo.insertRound(trx, row);
      await this.audit.record(p, { action: 'survey.round.create', objectType: 'survey_round', objectId: row.id, outcome: 'success', details: { name: row.name, regionCode } }, trx);
    });
    return this.roundView(row);
  }

  async updateRound(p: StaffPrincipal, id: string, patch: RoundPatch) {
    const r = await this.requireManaged(p, id);
    if (Object.values(patch).every((v) => v === undefined)) throw errors.validation('没有要修改的内容', 'Nothing to change');
    if (r.status === 'closed') throw errors.conflict('ROUND_CLOSED', '调查已结束,结果已冻结,不能再修改', 'The round is closed and its results frozen: it cannot change');
    const now = this.ctx.now();
    const set: Partial<SurveyRoundTable> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.opensAt !== undefined || patch.closesAt !== undefined) {
      this.checkDates(patch.opensAt ?? r.opens_at, patch.closesAt ?? r.closes_at);
      if (patch.opensAt !== undefined) set.opens_at = patch.opensAt;
      if (patch.closesAt !== undefined) set.closes_at = patch.closesAt;
    }
    if (patch.questionnaire !== undefined) {
      if (r.status !== 'draft') throw errors.conflict('QUESTIONNAIRE_FROZEN', '调查已开始,问卷不能再修改', 'The round has started: the questionnaire can no longer change');
      const problem = checkQuestionnaire(patch.questionnaire);
      if (problem) throw errors.validation(problem.zh, problem.en, { field: 'questionnaire' });
      set.questionnaire = JSON.stringify(patch.questionnaire);
    }
    if (patch.status !== undefined && patch.status !== r.status) {
      if (patch.status === 'open' && r.status !== 'draft') throw this.badMove(r.status, patch.status);
      if (patch.status === 'closed' && r.status !== 'open') throw this.badMove(r.status, patch.status);
      set.status = patch.status;
      if (patch.status === 'closed') {
        set.closed_at = now;
        // The margins in force are frozen with the round: its published results never change.
        const margins = (await surveyRepo.margins(this.ctx.db)).filter((m) => regionWithin(m.region_code, r.region_code) || regionWithin(r.region_code, m.region_code));
        set.margins_snapshot = JSON.stringify(margins.map(toCell));
      }
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await surveyRepo.updateRound(trx, id, set);
      await this.audit.record(p, { action: patch.status === 'closed' ? 'survey.round.close' : patch.status === 'open' ? 'survey.round.open' : 'survey.round.update', objectType: 'survey_round', objectId: id, outcome: 'success', details: { fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined) } }, trx);
    });
    return this.roundView((await surveyRepo.findRound(this.ctx.db, id))!);
  }

  async listRounds(p: StaffPrincipal) {
    this.requireReader(p);
    const rows = (await surveyRepo.allRounds(this.ctx.db)).filter((r) => this.visibility(p, r) !== null);
    return { items: await Promise.all(rows.map((r) => this.roundView(r, p))) };
  }

  async roundDetail(p: StaffPrincipal, id: string) {
    this.requireReader(p);
    return this.roundView(await this.requireVisible(p, id), p);
  }

  /** A phone interview entered by staff (channel "phone"). */
  async enterResponse(p: StaffPrincipal, id: string, input: ResponseInput) {
    requirePermission(p, 'survey.manage');
    const r = await this.requireVisible(p, id);
    if (r.status !== 'open') throw errors.conflict('ROUND_NOT_OPEN', '调查未在进行中,不能录入', 'The round is not open: answers cannot be entered');
    await requireRegionInScope(this.org, p, input.regionCode);
    return this.store(r, input, 'phone', p.userId, p);
  }

  // --- citizens ---------------------------------------------------------------------------------

  async publicOpenRounds() {
    const rows = await surveyRepo.openRounds(this.ctx.db, this.ctx.now());
    const names = await regionNames(this.org);
    return { items: rows.map((r) => ({ id: r.id, name: r.name, regionCode: r.region_code, regionName: names.get(r.region_code) ?? r.region_code, opensAt: isoOf(r.opens_at), closesAt: isoOf(r.closes_at) })) };
  }

  async publicRound(id: string) {
    const r = await this.requireOpenForWeb(id);
    const names = await regionNames(this.org);
    const regions = (await this.org.regions())
      .filter((x) => regionWithin(x.code, r.region_code))
      .map((x) => ({ code: x.code, name: x.name, parentCode: x.parent_code, level: x.level }));
    return {
      id: r.id,
      name: r.name,
      regionCode: r.region_code,
      regionName: names.get(r.region_code) ?? r.region_code,
      opensAt: isoOf(r.opens_at),
      closesAt: isoOf(r.closes_at),
      questionnaire: parseJson<Questionnaire>(r.questionnaire, standardQuestionnaire()),
      regions,
      ageGroups: [...AGE_GROUPS],
      sexes: SEXES.map((s) => ({ value: s, label: SEX_LABELS[s].zh, labelEn: SEX_LABELS[s].en })),
    };
  }

  async answer(p: CitizenPrincipal, id: string, input: ResponseInput & { phone: string }, idempotencyKey?: string | undefined) {
    const requestHash = createHash('sha256').update(JSON.stringify([id, input])).digest('hex');
    if (idempotencyKey) {
      const prior = await repos.idempotency.find(this.ctx.db, `survey:${idempotencyKey}`);
      if (prior) {
        if (prior.request_hash !== requestHash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一份不同的答卷', 'This idempotency key was used for a different answer');
        return { ...(JSON.parse(prior.response) as { id: string; message: string; messageEn: string }), replayed: true };
      }
    }
    const r = await this.requireOpenForWeb(id);
    return this.store(r, input, 'web', null, p, idempotencyKey ? { key: `survey:${idempotencyKey}`, hash: requestHash } : undefined);
  }

  // --- margins ----------------------------------------------------------------------------------

  async margins(p: StaffPrincipal, regionCode?: string) {
    this.requireReader(p);
    const rows = await surveyRepo.margins(this.ctx.db);
    const names = await regionNames(this.org);
    const byRegion = new Map<string, SurveyMarginTable[]>();
    for (const m of rows) {
      if (regionCode && !regionWithin(m.region_code, regionCode)) continue;
      const g = byRegion.get(m.region_code);
      if (g) g.push(m);
      else byRegion.set(m.region_code, [m]);
    }
    return {
      ageGroups: [...AGE_GROUPS],
      sexes: [...SEXES],
      items: [...byRegion].map(([code, cells]) => ({
        regionCode: code,
        regionName: names.get(code) ?? code,
        source: cells[0]?.source ?? null,
        updatedAt: iso(Math.max(...cells.map((c) => c.updated_at))),
        total: cells.reduce((a, c) => a + c.population, 0),
        cells: cells.map((c) => ({ ageGroup: c.age_group, sex: c.sex, population: c.population })),
      })),
    };
  }

  /** Replaces a region's margins: every age group × sex cell must be given (0 allowed). */
  async setMargins(p: StaffPrincipal, regionCode: string, input: { source?: string | null | undefined; cells: { ageGroup: string; sex: string; population: number }[] }) {
    if (!p.permissions.has('survey.manage') && !p.permissions.has('org.manage')) requirePermission(p, 'survey.manage');
    await requireKnownRegion(this.org, regionCode);
    await requireRegionInScope(this.org, p, regionCode);
    const seen = new Set<string>();
    for (const c of input.cells) {
      if (!(AGE_GROUPS as readonly string[]).includes(c.ageGroup)) throw errors.validation(`年龄组「${c.ageGroup}」无效`, `Unknown age group "${c.ageGroup}"`, { field: 'cells' });
      if (!(SEXES as readonly string[]).includes(c.sex)) throw errors.validation(`性别「${c.sex}」无效`, `Unknown sex "${c.sex}"`, { field: 'cells' });
      const k = `${c.sex}|${c.ageGroup}`;
      if (seen.has(k)) throw errors.validation(`重复的单元格:${c.sex} ${c.ageGroup}`, `Duplicate cell: ${c.sex} ${c.ageGroup}`, { field: 'cells' });
      seen.add(k);
    }
    if (seen.size !== AGE_GROUPS.length * SEXES.length) {
      throw errors.validation(`须填写全部 ${AGE_GROUPS.length * SEXES.length} 个单元格(年龄组 × 性别)`, `All ${AGE_GROUPS.length * SEXES.length} cells (age group × sex) are required`, { field: 'cells' });
    }
    if (input.cells.every((c) => c.population === 0)) throw errors.validation('人口数不能全部为 0', 'The populations cannot all be 0', { field: 'cells' });
    const now = this.ctx.now();
    const before = await surveyRepo.margins(this.ctx.db, [regionCode]);
    await this.ctx.db.transaction().execute(async (trx) => {
      await surveyRepo.replaceMargins(
        trx,
        regionCode,
        input.cells.map((c) => ({ region_code: regionCode, age_group: c.ageGroup, sex: c.sex, population: c.population, source: input.source?.trim() || null, updated_at: now, updated_by: p.userId })),
      );
      await this.audit.record(p, {
        action: 'survey.margins.set',
        objectType: 'region',
        objectId: regionCode,
        outcome: 'success',
        details: { before: before.map((m) => [m.sex, m.age_group, m.population]), after: input.cells.map((c) => [c.sex, c.ageGroup, c.population]), source: input.source ?? null },
      }, trx);
    });
    this.closedCache.clear();
    return (await this.margins(p, regionCode)).items.find((i) => i.regionCode === regionCode)!;
  }

  // --- results ----------------------------------------------------------------------------------

  async results(p: StaffPrincipal, id: string, regionCode?: string) {
    this.requireReader(p);
    const r = await this.requireVisible(p, id);
    const region = await this.allowedRegion(p, r, regionCode);
    return this.resultsView(r, region, true);
  }

  /** Results without a principal (CLI export, demo). */
  async resultsForSystem(id: string, regionCode?: string) {
    const r = await surveyRepo.findRound(this.ctx.db, id);
    if (!r) throw errors.notFound(`Survey round ${id}`, '调查');
    return this.resultsView(r, regionCode ?? r.region_code, true);
  }

  /** The index of every round covering the region, oldest first. */
  async trend(p: StaffPrincipal, regionCode?: string) {
    this.requireReader(p);
    const root = await scopeRootOf(this.org, p);
    const region = regionCode ?? root.regionCode;
    await requireRegionInScope(this.org, p, region);
    const rounds = (await surveyRepo.allRounds(this.ctx.db))
      .filter((r) => r.status !== 'draft' && this.visibility(p, r) !== null && (regionWithin(region, r.region_code) || regionWithin(r.region_code, region)))
      .sort((a, b) => a.closes_at - b.closes_at);
    const points = [];
    for (const r of rounds) {
      const res = await this.compute(r, region);
      points.push({
        roundId: r.id,
        name: r.name,
        status: r.status,
        opensAt: isoOf(r.opens_at),
        closesAt: isoOf(r.closes_at),
        respondents: res.respondents,
        weighting: res.weighting,
        index: res.index,
        security: res.security,
        satisfaction: res.satisfaction,
      });
    }
    return { regionCode: region, points };
  }

  /**
   * The survey index (0–100) of a unit's region for an assessment period: the latest round that
   * covers the region and whose fieldwork ended by the period's end, restricted to the respondents
   * inside the region; null when there is none or it has no respondent there.
   */
  async surveyIndexFor(regionCode: string, period: PeriodLike): Promise<SurveyIndexFigure | null> {
    return (await this.surveyIndexesFor([regionCode], period)).get(regionCode) ?? null;
  }

  /** `surveyIndexFor` for many regions at once (one read of the rounds). */
  async surveyIndexesFor(regionCodes: readonly string[], period: PeriodLike): Promise<Map<string, SurveyIndexFigure>> {
    const rounds = (await surveyRepo.allRounds(this.ctx.db))
      .filter((r) => r.status !== 'draft' && endOf(r) <= period.end)
      .sort((a, b) => endOf(b) - endOf(a) || (a.id < b.id ? 1 : -1));
    const out = new Map<string, SurveyIndexFigure>();
    for (const code of new Set(regionCodes)) {
      const r = rounds.find((x) => regionWithin(code, x.region_code));
      if (!r) continue;
      const res = await this.compute(r, code);
      if (res.respondents === 0 || res.index.value === null) continue;
      out.set(code, {
        value: r2(res.index.value)!,
        respondents: res.respondents,
        interval95: res.index.interval95 ? [r2(res.index.interval95[0])!, r2(res.index.interval95[1])!] : null,
        surveyId: r.id,
        regionCode: code,
        roundName: r.name,
        closedAt: isoOf(endOf(r)),
        weighting: res.weighting,
        security: r2(res.security.value),
        satisfaction: r2(res.satisfaction.value),
      });
    }
    return out;
  }

  /**
   * Open-text answers ("what most needs fixing") written since `since`, oldest first, personal data
   * masked, for the hotspot detector (docs/participation.md §6).
   */
  async *listSurveyOpenTexts(since: number, opts: { batchSize?: number } = {}): AsyncGenerator<SurveyOpenText> {
    const size = opts.batchSize ?? 500;
    const qs = new Map<string, Questionnaire>();
    let after: { createdAt: number; id: string } | null = null;
    for (;;) {
      const rows = await surveyRepo.responsesSince(this.ctx.db, since, after, size);
      for (const row of rows) {
        let q = qs.get(row.round_id);
        if (!q) {
          const round = await surveyRepo.findRound(this.ctx.db, row.round_id);
          q = parseJson<Questionnaire>(round?.questionnaire, standardQuestionnaire());
          qs.set(row.round_id, q);
        }
        const answers = parseJson<Answers>(row.answers, {});
        for (const x of q.questions) {
          const t = x.kind === 'text' ? answers[x.id] : undefined;
          if (!t) continue;
          yield { id: `survey:${row.id}:${x.id}`, source: 'survey', roundId: row.round_id, questionId: x.id, time: row.created_at, title: null, text: t, likes: 0, citizenKey: null, regionCode: row.region_code, place: null };
        }
      }
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  /** Everything an export needs about a round (no personal data: answers are anonymous). */
  async exportData(id: string) {
    const r = await surveyRepo.findRound(this.ctx.db, id);
    if (!r) throw errors.notFound(`Survey round ${id}`, '调查');
    const results = await this.resultsView(r, r.region_code, true);
    const responses = await surveyRepo.responses(this.ctx.db, r.id);
    return { round: await this.roundView(r), results, responses: responses.map((x) => ({ id: x.id, regionCode: x.region_code, sex: x.sex, ageGroup: x.age_group, channel: x.channel, createdAt: isoOf(x.created_at), answers: parseJson<Answers>(x.answers, {}) })) };
  }

  // --- internals --------------------------------------------------------------------------------

  private async store(r: SurveyRoundTable, input: ResponseInput, channel: 'web' | 'phone', enteredBy: string | null, p: CitizenPrincipal | StaffPrincipal, idem?: { key: string; hash: string }) {
    if (!(SEXES as readonly string[]).includes(input.sex)) throw errors.validation('请选择性别', 'Choose a sex', { field: 'sex' });
    if (!(AGE_GROUPS as readonly string[]).includes(input.ageGroup)) throw errors.validation('请选择年龄段', 'Choose an age group', { field: 'ageGroup' });
    await requireKnownRegion(this.org, input.regionCode);
    if (!regionWithin(input.regionCode, r.region_code)) throw errors.validation('所选地区不在本次调查范围内', 'The region is outside this survey', { field: 'regionCode' });
    const q = parseJson<Questionnaire>(r.questionnaire, standardQuestionnaire());
    const checked = checkAnswers(q, input.answers);
    if (!checked.ok) throw errors.validation(checked.zh, checked.en, { field: `answers.${checked.field}` });
    // Open answers are never published, but personal data is masked before it is stored all the same.
    const answers: Answers = {};
    for (const [k, v] of Object.entries(checked.answers)) answers[k] = q.questions.find((x) => x.id === k)?.kind === 'text' ? screenText(v).text : v;
    const phone = channel === 'web' ? requireMobile(input.phone) : input.phone ? requireMobile(input.phone) : null;
    const now = this.ctx.now();
    const id = newId(now);
    const result = { id, message: '提交成功,感谢您参与调查!', messageEn: 'Thank you: your answers have been recorded.', replayed: false };
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await surveyRepo.insertResponse(trx, {
          id,
          round_id: r.id,
          region_code: input.regionCode,
          sex: input.sex,
          age_group: input.ageGroup,
          channel,
          answers: JSON.stringify(answers),
          respondent_key: phone ? scopedKey(this.ctx, phone, `survey:${r.id}`) : null,
          entered_by: enteredBy,
          created_at: now,
        });
        if (idem) await repos.idempotency.insert(trx, { key: idem.key, scope: 'survey.answer', request_hash: idem.hash, response: JSON.stringify(result), created_at: now });
        await this.audit.record(p, { action: channel === 'web' ? 'survey.answer' : 'survey.enter', objectType: 'survey_response', objectId: id, outcome: 'success', details: { roundId: r.id, regionCode: input.regionCode, channel } }, trx);
      });
    } catch (e) {
      if (isUniqueViolationLike(e)) throw errors.conflict('ALREADY_ANSWERED', '该手机号已参加过本轮调查', 'This phone number has already answered this round');
      throw e;
    }
    return result;
  }

  private async compute(r: SurveyRoundTable, regionCode: string): Promise<RoundResults> {
    const key = `${r.id}|${regionCode}`;
    const cached = r.status === 'closed' ? this.closedCache.get(key) : undefined;
    if (cached) return cached;
    const q = parseJson<Questionnaire>(r.questionnaire, standardQuestionnaire());
    const rows = await surveyRepo.responses(this.ctx.db, r.id, regionCode.length === 6 ? regionCode.replace(/(00)+$/, '') : regionCode);
    const responses: ResponseRow[] = rows.map((x) => ({ regionCode: x.region_code, sex: x.sex, ageGroup: x.age_group, channel: x.channel, answers: parseJson<Answers>(x.answers, {}) }));
    const margins: MarginCell[] = r.margins_snapshot !== null ? parseJson<MarginCell[]>(r.margins_snapshot, []) : (await surveyRepo.margins(this.ctx.db)).map(toCell);
    const res = computeRoundResults(q, responses, margins, regionCode);
    if (r.status === 'closed') {
      if (this.closedCache.size > 2000) this.closedCache.clear();
      this.closedCache.set(key, res);
    }
    return res;
  }

  private async resultsView(r: SurveyRoundTable, regionCode: string, withOpenAnswers: boolean) {
    const res = await this.compute(r, regionCode);
    const names = await regionNames(this.org);
    const q = parseJson<Questionnaire>(r.questionnaire, standardQuestionnaire());
    let openAnswers: { regionCode: string; questionId: string; text: string; at: string }[] = [];
    if (withOpenAnswers) {
      const textIds = q.questions.filter((x) => x.kind === 'text').map((x) => x.id);
      const rows = await surveyRepo.responses(this.ctx.db, r.id, regionCode.length === 6 ? regionCode.replace(/(00)+$/, '') : regionCode);
      openAnswers = rows
        .flatMap((x) => {
          const a = parseJson<Answers>(x.answers, {});
          return textIds.filter((id) => a[id]).map((id) => ({ regionCode: x.region_code, questionId: id, text: a[id]!, at: isoOf(x.created_at) }));
        })
        .slice(-200)
        .reverse();
    }
    return {
      round: await this.roundView(r),
      regionName: names.get(regionCode) ?? regionCode,
      marginsFrozen: r.margins_snapshot !== null,
      ...res,
      regions: res.regions.map((x) => ({ ...x, regionName: names.get(x.regionCode) ?? x.regionCode })),
      items: res.items.map((it) => {
        const x = q.questions.find((qq) => qq.id === it.id)!;
        return { ...it, text: x.text, textEn: x.textEn, options: x.options };
      }),
      openAnswers,
    };
  }

  private async roundView(r: SurveyRoundTable, p?: StaffPrincipal) {
    const names = await regionNames(this.org);
    const now = this.ctx.now();
    return {
      id: r.id,
      name: r.name,
      regionCode: r.region_code,
      regionName: names.get(r.region_code) ?? r.region_code,
      unitId: r.unit_id,
      unitName: (await this.org.get(r.unit_id))?.name ?? r.unit_id,
      status: r.status as RoundStatus,
      acceptingWeb: r.status === 'open' && r.opens_at <= now && now < r.closes_at,
      opensAt: isoOf(r.opens_at),
      closesAt: isoOf(r.closes_at),
      closedAt: iso(r.closed_at),
      marginsFrozen: r.margins_snapshot !== null,
      questionnaire: parseJson<Questionnaire>(r.questionnaire, standardQuestionnaire()),
      responses: await surveyRepo.countResponses(this.ctx.db, r.id),
      canManage: p ? p.permissions.has('survey.manage') && inSubtree(p, r.unit_path) : false,
      createdAt: isoOf(r.created_at),
    };
  }

  private checkDates(opensAt: number, closesAt: number): void {
    if (!(closesAt > opensAt)) throw errors.validation('截止时间须晚于开始时间', 'The close time must be after the open time', { field: 'closesAt' });
    if (closesAt - opensAt > 366 * 86_400_000) throw errors.validation('一轮调查最长一年', 'A round runs for at most a year', { field: 'closesAt' });
  }

  private badMove(from: string, to: string): AppError {
    return errors.conflict('ROUND_STATUS', `调查状态不能从「${from}」改为「${to}」`, `A round cannot move from ${from} to ${to}`);
  }

  private requireReader(p: StaffPrincipal): void {
    if (!p.permissions.has('survey.manage') && !p.permissions.has('metrics.read') && !p.permissions.has('org.manage')) requirePermission(p, 'survey.manage');
  }

  /** 'all': the round belongs to the user's subtree; 'region': it belongs to an ancestor (a city round seen by a district). */
  private visibility(p: StaffPrincipal, r: SurveyRoundTable): 'all' | 'region' | null {
    if (inSubtree(p, r.unit_path)) return 'all';
    if (p.scopePath.startsWith(r.unit_path)) return 'region';
    return null;
  }

  private async requireVisible(p: StaffPrincipal, id: string): Promise<SurveyRoundTable> {
    const r = await surveyRepo.findRound(this.ctx.db, id);
    if (!r || this.visibility(p, r) === null) throw errors.notFound(`Survey round ${id}`, '调查');
    return r;
  }

  private async requireManaged(p: StaffPrincipal, id: string): Promise<SurveyRoundTable> {
    requirePermission(p, 'survey.manage');
    const r = await this.requireVisible(p, id);
    if (this.visibility(p, r) !== 'all') throw errors.forbidden('该调查由上级单位组织,您只能录入和查看', 'This round belongs to a higher unit: you may enter answers and read results only');
    return r;
  }

  private async allowedRegion(p: StaffPrincipal, r: SurveyRoundTable, regionCode?: string): Promise<string> {
    if (this.visibility(p, r) === 'all') return regionCode ?? r.region_code;
    const root = await scopeRootOf(this.org, p);
    const region = regionCode ?? root.regionCode;
    await requireRegionInScope(this.org, p, region);
    return region;
  }

  private async requireOpenForWeb(id: string): Promise<SurveyRoundTable> {
    const r = await surveyRepo.findRound(this.ctx.db, id);
    if (!r || r.status === 'draft') throw errors.notFound(`Survey ${id}`, '调查');
    const now = this.ctx.now();
    if (r.status !== 'open' || now < r.opens_at || now >= r.closes_at) throw errors.conflict('SURVEY_NOT_OPEN', '该调查不在答题时间内', 'This survey is not open for answers');
    return r;
  }
}

export interface SurveyOpenText {
  id: string;
  source: 'survey';
  roundId: string;
  questionId: string;
  time: number;
  title: null;
  text: string;
  likes: number;
  citizenKey: null;
  regionCode: string;
  place: null;
}

const toCell = (m: SurveyMarginTable): MarginCell => ({ regionCode: m.region_code, ageGroup: m.age_group, sex: m.sex, population: m.population });
const endOf = (r: SurveyRoundTable) => Math.min(r.closes_at, r.closed_at ?? Number.POSITIVE_INFINITY);
