// The evaluation engine as a use case: figures for a scope and period, fair rankings per peer group,
// funnel data, drill-down to the appeals and events, 潜绩, anti-gaming signals for the auditor, the
// configurable weights, and frozen snapshots (publish / verify). Data scope is enforced here.
import type { HotspotsResolved, SurveyIndex } from '../../domain/metrics/latent.ts';
import { createHash } from 'node:crypto';
import { sql, type SelectQueryBuilder } from 'kysely';
import { ACTION_LABELS } from '../../domain/appeal/events.ts';
import { RATING_LABELS, type RatingLevel } from '../../domain/appeal/types.ts';
import {
  antiGamingSignals,
  assertValidMetricsConfig,
  buildSnapshot,
  canonicalJson,
  contributionOf,
  DAY_MS,
  DEFAULT_METRICS_CONFIG,
  diffSnapshots,
  hashFacts,
  makeRate,
  verifySnapshotSeal,
  type AppealFact,
  type MetricsConfig,
  type MetricsSnapshot,
  type SignalKind,
} from '../../domain/metrics/index.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { repos } from '../../store/repositories/index.ts';
import { scoringRepo, type GroupedStats } from '../../store/repositories/scoring.ts';
import { STAT_COLUMNS, type ScoreFactTable, type ScoreSnapshotTable, type StatColumns } from '../../store/scoring-schema.ts';
import type { AppealTable } from '../../store/schema.ts';
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import { UNIT_TYPE_LABELS, type OrgService } from '../org.ts';
import { requirePermission, type Principal, type StaffPrincipal } from '../principal.ts';
import { PERIOD_RULE, PUBLISH_DRAWS, recomputeFromEvents, REPEAT_PLACE, snapshotFactRows, sourceCountsFor, type AssessmentParameters, type SnapshotFigures } from './assessment.ts';
import {
  caseMixFromStrata,
  figuresView,
  funnelOf,
  rankPeers,
  repeatView,
  REPEAT_WINDOW_DAYS,
  sourceGovernanceView,
  sumByKey,
  type CaseMixMetricName,
  type CaseMixView,
  type FiguresView,
  type LatentView,
  type PeerRankingView,
  type RankingRow,
  type UnitInfo,
} from './engine.ts';
import { EXCLUSION_LABELS, explainLines, whyFor, type DrillMetric } from './explain.ts';
import { FiguresCache } from './figures-cache.ts';
import { addColumns, parseFact, statColumnsOf, zeroColumns, type ScoreFact } from './facts.ts';
import { assessmentPeriodOf, monthLabelOf, parsePeriod, periodFromAssessment, trailingMonths, type ScorePeriod } from './period.ts';

export const METRICS_CONFIG_KEY = 'metrics.config';
/** Draws of the live rankings (the published ones use PUBLISH_DRAWS): see docs/metrics.md §13. */
export const LIVE_DRAWS = 1000;
/** …redrawn with this many when a "not distinguishable from the median" flag is borderline at LIVE_DRAWS. */
export const ESCALATED_DRAWS = 4000;
/** Publishing reads events up to this long before "now", so no transaction still in flight is missed. */
export const PUBLISH_GRACE_MS = 1000;

const LEVEL_LABELS: Record<string, { zh: string; en: string }> = {
  province: { zh: '省级', en: 'province' },
  city: { zh: '市级', en: 'city' },
  county: { zh: '县区级', en: 'county' },
  township: { zh: '乡镇街道级', en: 'township' },
};

const SIGNAL_LABELS: Record<SignalKind, { zh: string; en: string }> = {
  'staff-network': { zh: '单位内网评价', en: 'Rated from the staff network' },
  'staff-session': { zh: '工作人员会话评价', en: 'Rated in a staff session' },
  'shared-rating-source': { zh: '同源多评', en: 'One source rated many citizens’ appeals' },
  'fast-rating': { zh: '秒评', en: 'Rated seconds after the reply' },
  'identical-comments': { zh: '雷同留言', en: 'Identical comments' },
  'exclusion-share': { zh: '不参评占比异常', en: 'Unusual share of excluded appeals' },
  'callback-jump': { zh: '回访跳升', en: 'Callback ratings far above web ratings' },
  'contact-disputed': { zh: '联系存疑', en: 'Contact disputed by the citizen' },
};

/**
 * 重复诉求 of one closed appeal from its probe flags: a repeat when the same citizen or the same place
 * appealed again within the window; pending while the window is still open; otherwise no repeat.
 */
function repeatKindOf(f: { closed_at: number; by_citizen: number; by_place: number }, now: number): 'repeat' | 'pending' | 'no-repeat' {
  if (f.by_citizen || f.by_place) return 'repeat';
  return f.closed_at + REPEAT_WINDOW_DAYS * DAY_MS > now ? 'pending' : 'no-repeat';
}

/** A period as part of a cache key: a custom period and a month with the same label stay apart. */
const periodKey = (p: ScorePeriod) => `${p.kind}|${p.label}|${p.start}|${p.end}`;

export function peerGroupLabel(peerGroup: string): { zh: string; en: string } {
  const [type = '', level = ''] = peerGroup.split(':');
  const t = UNIT_TYPE_LABELS[type] ?? { zh: type, en: type };
  const l = LEVEL_LABELS[level] ?? { zh: level, en: level };
  return { zh: `${t.zh}(${l.zh})`, en: `${t.en} (${l.en})` };
}

export interface UnitRef {
  unitId: string;
  name: string;
  shortName: string;
  type: string;
  typeLabel: string;
  level: string;
  peerGroup: string;
  regionCode: string;
  population: number;
}

export interface TrendPoint {
  period: string;
  from: string;
  to: string;
  volume: number;
  rated: number;
  index: number | null;
  response: number | null;
  resolution: number | null;
  satisfaction: number | null;
}

export type SnapshotMeta = {
  id: string;
  period: ScorePeriod;
  publishedAt: number;
  publishedBy: string | null;
  asOf: number;
  factsHash: string;
  contentHash: string;
  appeals: number;
  units: number;
};

export type VerifyResult = {
  ok: boolean;
  sealOk: boolean;
  factsHashMatches: boolean;
  recomputedFactsHash: string;
  appeals: number;
  differenceCount: number;
  differences: { path: string; a: unknown; b: unknown }[];
  /**
   * The per-appeal facts stored for the drill-down: their hash equals the published factsHash and every
   * row's statistics are those of its fact (null: the snapshot was published without them).
   */
  storedFactsOk: boolean | null;
  /**
   * The snapshot had no stored facts (published before migration 0013) and this verification stored
   * them: the facts replayed from the events, which it found equal to the published factsHash.
   */
  storedFactsBackfilled: boolean;
};

export type DrillOutcome = string;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function scopeError(): AppError {
  return new AppError(403, 'METRICS_SCOPE', '无权查看该单位或该类单位的评价数据(超出本人数据范围)', 'These figures are outside your data scope');
}

const toRef = (u: UnitInfo): UnitRef => ({
  unitId: u.id,
  name: u.name,
  shortName: u.shortName,
  type: u.type,
  typeLabel: UNIT_TYPE_LABELS[u.type]?.zh ?? u.type,
  level: u.level,
  peerGroup: u.peerGroup,
  regionCode: u.regionCode,
  population: u.population,
});

/** A small LRU of computed rankings, keyed by a hash of everything they depend on. */
class RankingCache {
  private readonly map = new Map<string, PeerRankingView>();
  constructor(private readonly max = 64) {}
  get(k: string): PeerRankingView | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: PeerRankingView): void {
    this.map.set(k, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  clear(): void {
    this.map.clear();
  }
}

/** The 潜绩 slots filled by other modules (hotspots: text intelligence; survey: participation). */
export interface LatentSources {
  hotspotsResolved(unit: { id: string; path: string }, period: { start: number; end: number }, subtree: boolean): Promise<HotspotsResolved | null>;
  surveyIndex(regionCode: string, period: { start: number; end: number; label?: string }): Promise<SurveyIndex | null>;
  /** Questions citizens settled with a knowledge-base article instead of an appeal (「已解决我的问题」). */
  kbResolved(regionCode: string, period: { start: number; end: number }): Promise<number>;
}

/** Facts as `f` (score_facts, or a snapshot's frozen score_snapshot_facts) joined with appeals as `a`. */
type DrillBase = SelectQueryBuilder<{ f: ScoreFactTable & { repeat_followers: string | null }; a: AppealTable }, 'f' | 'a', {}>;

/**
 * Reads: the dashboards' figures, rankings, funnel, breakdowns, drill-down and signals read
 * `ctx.readDb` (the replica when DATABASE_READ_URL is set: they may lag the primary by its delay).
 * The weights, one appeal's explanation, the snapshots (published, then read back at once) and
 * everything inside publish/verify read the primary `ctx.db`.
 */
export class ScoringService {
  private readonly cache = new RankingCache();
  /** Whole answers of the dashboards' two hot calls (docs/deployment.md §5): see figures-cache.ts. */
  private readonly summaries: FiguresCache<Awaited<ReturnType<ScoringService['computeSummary']>>>;
  private readonly rankingAnswers: FiguresCache<Awaited<ReturnType<ScoringService['ranking']>>>;
  private sources: LatentSources | null = null;

  /** Called once by the composition root, after the modules that fill the 潜绩 slots exist. */
  setLatentSources(sources: LatentSources): void {
    this.sources = sources;
  }

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly audit: AuditService,
  ) {
    const staleMs = ctx.config.FIGURES_CACHE_SECONDS * 1000;
    const options = {
      staleMs,
      hardMs: Math.max(60_000, 12 * staleMs),
      now: () => ctx.now(),
      version: () => ctx.handle.version.value,
      onError: (err: unknown, key: string) => ctx.log.warn({ err, key }, 'could not refresh a dashboard answer'),
    };
    this.summaries = new FiguresCache(options);
    this.rankingAnswers = new FiguresCache(options);
  }

  // ---------------------------------------------------------------- configuration

  /** The deployment's weights (settings 'metrics.config'), or the defaults. */
  async config(): Promise<MetricsConfig> {
    const stored = await repos.settings.get<MetricsConfig>(this.ctx.db, METRICS_CONFIG_KEY);
    return stored ?? (JSON.parse(JSON.stringify(DEFAULT_METRICS_CONFIG)) as MetricsConfig);
  }

  async getConfig(p: StaffPrincipal) {
    if (!p.permissions.has('metrics.configure') && !p.permissions.has('metrics.audit')) requirePermission(p, 'metrics.read');
    const row = await this.ctx.db.selectFrom('settings').select(['updated_at', 'updated_by']).where('key', '=', METRICS_CONFIG_KEY).executeTakeFirst();
    return { config: await this.config(), defaults: DEFAULT_METRICS_CONFIG, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null };
  }

  async putConfig(p: StaffPrincipal, input: MetricsConfig) {
    requirePermission(p, 'metrics.configure');
    const config = assertValidMetricsConfig(input);
    const clean: MetricsConfig = {
      weights: { response: config.weights.response, resolution: config.weights.resolution, satisfaction: config.weights.satisfaction },
      levelWeights: { 1: config.levelWeights[1], 2: config.levelWeights[2], 3: config.levelWeights[3], 4: config.levelWeights[4], 5: config.levelWeights[5] },
      solvedWeights: { yes: config.solvedWeights.yes, partly: config.solvedWeights.partly, no: config.solvedWeights.no },
    };
    const before = await this.config();
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.settings.set(trx, METRICS_CONFIG_KEY, clean, this.ctx.now(), p.userId);
      await this.audit.record(p, { action: 'metrics.config.update', objectType: 'setting', objectId: METRICS_CONFIG_KEY, outcome: 'success', details: { before, after: clean } }, trx);
    });
    this.cache.clear();
    this.summaries.clear();
    this.rankingAnswers.clear();
    return this.getConfig(p);
  }

  // ---------------------------------------------------------------- org and scope

  async units(): Promise<UnitInfo[]> {
    return (await this.org.all())
      .map((u) => ({ id: u.id, parentId: u.parentId, name: u.name, shortName: u.shortName, type: u.type, level: u.level, regionCode: u.regionCode, population: u.population, peerGroup: u.peerGroup, path: u.path }))
      .sort((a, b) => cmp(a.id, b.id));
  }

  private async unitMap(): Promise<Map<string, UnitInfo>> {
    return new Map((await this.units()).map((u) => [u.id, u] as const));
  }

  private requireRead(p: StaffPrincipal): void {
    requirePermission(p, 'metrics.read');
  }

  private inScope(p: StaffPrincipal, u: { path: string }): boolean {
    return u.path.startsWith(p.scopePath);
  }

  /** A unit the principal may see figures of: 404 when unknown, 403 outside the data scope. */
  private async requireUnit(p: StaffPrincipal, unitId: string | undefined): Promise<UnitInfo> {
    this.requireRead(p);
    const units = await this.unitMap();
    const u = units.get(unitId ?? p.scopeRootId);
    if (!u) throw errors.notFound(`Unit ${unitId}`, '单位');
    if (!this.inScope(p, u)) throw scopeError();
    return u;
  }

  /** Peer groups the principal may see rankings of: those with a unit in their subtree (all for the auditor). */
  private async visiblePeerGroups(p: StaffPrincipal): Promise<Set<string>> {
    const units = await this.units();
    if (p.permissions.has('metrics.audit')) return new Set(units.map((u) => u.peerGroup));
    this.requireRead(p);
    return new Set(units.filter((u) => this.inScope(p, u)).map((u) => u.peerGroup));
  }

  private async requirePeerGroup(p: StaffPrincipal, peerGroup: string | undefined): Promise<string> {
    const visible = await this.visiblePeerGroups(p);
    const own = (await this.unitMap()).get(p.unitId)?.peerGroup;
    const g = peerGroup ?? own ?? '';
    if (!visible.has(g)) {
      const exists = (await this.units()).some((u) => u.peerGroup === g);
      if (!exists) throw errors.notFound(`Peer group ${g}`, '同类单位组');
      throw scopeError();
    }
    return g;
  }

  private subtreeIds(units: Iterable<UnitInfo>, root: UnitInfo): string[] {
    return [...units].filter((u) => u.path.startsWith(root.path)).map((u) => u.id);
  }

  /** The repeat probes of a period's closed appeals (one unit or a subtree), observed until `now`. */
  private repeatFlags(period: ScorePeriod, filter: { unitId?: string; unitPathPrefix?: string }, now: number) {
    // Split by day on SQLite, whose synchronous driver holds its connection's thread for a statement's
    // length: the process itself when there are no read threads, else one read thread, whose queue
    // the other dashboards' reads then do not wait behind for the whole month.
    return scoringRepo.repeatFlags(this.ctx.readDb, period.startDay, period.endDay, filter, REPEAT_WINDOW_DAYS * DAY_MS, now, { dayByDay: this.ctx.handle.dialect === 'sqlite' });
  }

  period(spec: string | undefined): ScorePeriod {
    return parsePeriod(spec, this.ctx.now());
  }

  // ---------------------------------------------------------------- figures

  private async sumOf(period: ScorePeriod, unitIds: readonly string[]): Promise<StatColumns> {
    const rows = await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { unitIds });
    const c = zeroColumns();
    for (const r of rows) addColumns(c, r.cols);
    return c;
  }

  /** Figures of a group of units (their own appeals) over a period: from the maintained statistics. */
  async figuresOfUnits(period: ScorePeriod, unitIds: readonly string[], key: string): Promise<FiguresView> {
    return figuresView(key, await this.sumOf(period, unitIds), await this.config());
  }

  private async trend(period: ScorePeriod, unitIds: readonly string[], config: MetricsConfig): Promise<TrendPoint[]> {
    const months = trailingMonths(period, 12);
    // Twelve rows per unit from the month sums, not every day × stratum row of the year.
    const rows = await scoringRepo.monthStats(this.ctx.readDb, months.map((m) => m.label), unitIds, 'month');
    const byMonth = new Map(months.map((m) => [m.label, zeroColumns()] as const));
    for (const r of rows) {
      const c = byMonth.get(r.key);
      if (c) addColumns(c, r.cols);
    }
    return months.map((m) => {
      const f = figuresView(m.label, byMonth.get(m.label)!, config);
      return { period: m.label, from: m.from, to: m.to, volume: f.volume, rated: f.rated, index: f.index.value, response: f.response.value, resolution: f.resolution.value, satisfaction: f.satisfaction.value };
    });
  }

  /** 潜绩 of one unit's (or a subtree's) appeals, observed until now. */
  private async latent(period: ScorePeriod, unit: UnitInfo, filter: { unitId?: string; unitPathPrefix?: string }): Promise<LatentView> {
    const now = this.ctx.now();
    const flags = await this.repeatFlags(period, filter, now);
    let repeat: LatentView['repeat'] = null;
    if (flags.length > 0) {
      const kinds = flags.map((f) => repeatKindOf(f, now));
      const num = kinds.filter((k) => k === 'repeat').length;
      const pending = kinds.filter((k) => k === 'pending').length;
      repeat = { rate: makeRate(num, flags.length - pending), repeats: num, pending, windowDays: REPEAT_WINDOW_DAYS };
    }
    const sc = (await sourceCountsFor(this.ctx.readDb, period, [unit])).get(unit.id)!;
    const subtree = filter.unitPathPrefix !== undefined;
    const hotspotsResolved = this.sources ? await this.sources.hotspotsResolved(unit, period, subtree) : null;
    const surveyIndex = this.sources ? await this.sources.surveyIndex(unit.regionCode, period) : null;
    const resolvedBeforeAppeal = this.sources ? { count: await this.sources.kbResolved(unit.regionCode, period) } : null;
    return { repeat, sourceGovernance: sourceGovernanceView(unit, sc.count, sc.countLastYear), hotspotsResolved, surveyIndex, resolvedBeforeAppeal };
  }

  /**
   * The leader's dashboard: figures of a subtree. Served from the figures cache (the same answer for
   * everyone allowed to see this subtree, so the key holds no user); `asOf` says when it was computed.
   */
  async summary(p: StaffPrincipal, q: { period?: string | undefined; unitId?: string | undefined }) {
    const unit = await this.requireUnit(p, q.unitId);
    const period = this.period(q.period);
    const answer = await this.summaries.get(`${unit.id}|${periodKey(period)}`, () => this.computeSummary(unit, period));
    return { ...answer.value, asOf: answer.asOf, cached: answer.cached };
  }

  private async computeSummary(unit: UnitInfo, period: ScorePeriod) {
    const config = await this.config();
    const units = await this.units();
    const subtree = this.subtreeIds(units, unit);
    const perUnit = sumByKey(
      period.kind === 'month'
        ? await scoringRepo.monthStats(this.ctx.readDb, [period.label], subtree, 'unit_id')
        : await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { unitIds: subtree }),
    );
    const total = zeroColumns();
    for (const c of perUnit.values()) addColumns(total, c);
    const figures = figuresView(unit.id, total, config);
    const children = units
      .filter((u) => u.parentId === unit.id)
      .map((child) => {
        const c = zeroColumns();
        for (const id of this.subtreeIds(units, child)) {
          const x = perUnit.get(id);
          if (x) addColumns(c, x);
        }
        const f = figuresView(child.id, c, config);
        return { unit: toRef(child), volume: f.volume, assessed: f.assessed, rated: f.rated, index: f.index.value, response: f.response.value, resolution: f.resolution.value, satisfaction: f.satisfaction.value };
      });
    const faces = ([5, 4, 3, 2, 1] as RatingLevel[]).map((level) => ({ level, labelZh: RATING_LABELS[level].zh, labelEn: RATING_LABELS[level].en, face: RATING_LABELS[level].face, count: figures.faces[level] }));
    return {
      period,
      scope: toRef(unit),
      figures,
      faces,
      trend: await this.trend(period, subtree, config),
      children,
      latent: await this.latent(period, unit, { unitPathPrefix: unit.path }),
      weights: config.weights,
    };
  }

  /** The ranking of a peer group for a period, from the maintained statistics; cached by its inputs. */
  async ranking(
    period: ScorePeriod,
    peerGroup: string,
    opts: { draws?: number; rankRates?: boolean; allStrata?: readonly GroupedStats[]; units?: readonly UnitInfo[] } = {},
  ): Promise<{ view: PeerRankingView; cached: boolean; computedMs: number; unitCols: Map<string, StatColumns>; strata: GroupedStats[] }> {
    const t0 = performance.now();
    const members = (opts.units ?? (await this.units())).filter((u) => u.peerGroup === peerGroup);
    const memberIds = new Set(members.map((u) => u.id));
    const strata = opts.allStrata
      ? opts.allStrata.filter((g) => memberIds.has(g.key))
      : await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { strata: true, unitIds: members.map((u) => u.id) });
    const unitCols = sumByKey(strata);
    const config = await this.config();
    const draws = opts.draws ?? LIVE_DRAWS;
    // Live rankings start at 1000 draws and redraw at 4000 only when a flag sits within Monte Carlo
    // error of its threshold; an explicit `draws` is used as given.
    const escalateTo = opts.draws === undefined ? ESCALATED_DRAWS : undefined;
    const rankRates = opts.rankRates ?? false;
    const sortedStrata = [...strata].sort((a, b) => cmp(a.key, b.key) || cmp(a.sub, b.sub));
    const key = createHash('sha256')
      .update(canonicalJson({ label: period.label, peerGroup, members: members.map((m) => m.id), config, draws, escalateTo: escalateTo ?? null, rankRates, strata: sortedStrata }))
      .digest('hex');
    const hit = this.cache.get(key);
    if (hit) return { view: hit, cached: true, computedMs: performance.now() - t0, unitCols, strata };
    const view = rankPeers(peerGroup, members, unitCols, strata, config, { draws, rankRates, seedBase: period.label, ...(escalateTo !== undefined ? { escalateTo } : {}) });
    this.cache.set(key, view);
    return { view, cached: false, computedMs: performance.now() - t0, unitCols, strata };
  }

  /** Every peer group's ranking for a period (the CLI's table and the benchmark). */
  async allRankings(period: ScorePeriod, opts: { draws?: number; rankRates?: boolean; peerGroups?: readonly string[] } = {}): Promise<PeerRankingView[]> {
    const units = await this.units();
    const groups = opts.peerGroups ?? [...new Set(units.map((u) => u.peerGroup))].sort(cmp);
    // One read of the month's statistics for every group.
    const wanted = units.filter((u) => groups.includes(u.peerGroup)).map((u) => u.id);
    const allStrata = await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { strata: true, ...(opts.peerGroups ? { unitIds: wanted } : {}) });
    const out: PeerRankingView[] = [];
    for (const g of groups) {
      out.push((await this.ranking(period, g, { ...(opts.draws !== undefined ? { draws: opts.draws } : {}), ...(opts.rankRates !== undefined ? { rankRates: opts.rankRates } : {}), allStrata, units })).view);
    }
    return out;
  }

  private scopedRows(p: StaffPrincipal, rows: RankingRow[], units: Map<string, UnitInfo>): RankingRow[] {
    return rows.map((r) => ({ ...r, inScope: p.permissions.has('metrics.audit') || (units.has(r.unitId) && this.inScope(p, units.get(r.unitId)!)) }));
  }

  async peerGroups(p: StaffPrincipal) {
    const visible = await this.visiblePeerGroups(p);
    const units = await this.units();
    return {
      items: [...visible].sort(cmp).map((g) => {
        const members = units.filter((u) => u.peerGroup === g);
        const l = peerGroupLabel(g);
        return { peerGroup: g, labelZh: l.zh, labelEn: l.en, units: members.length, unitsInScope: members.filter((u) => this.inScope(p, u)).length };
      }),
    };
  }

  async rankings(p: StaffPrincipal, q: { period?: string | undefined; peerGroup?: string | undefined; rates?: boolean | undefined }) {
    const g = await this.requirePeerGroup(p, q.peerGroup);
    const period = this.period(q.period);
    const rankRates = q.rates ?? false;
    const answer = await this.rankingAnswers.get(`${g}|${periodKey(period)}|${rankRates}`, () => this.ranking(period, g, { rankRates }));
    const r = { ...answer.value, cached: answer.value.cached || answer.cached };
    const l = peerGroupLabel(g);
    const units = await this.unitMap();
    return {
      period,
      peerGroup: g,
      labelZh: l.zh,
      labelEn: l.en,
      draws: r.view.draws,
      seed: r.view.seed,
      priors: r.view.priors,
      units: this.scopedRows(p, r.view.units, units),
      unranked: r.view.unranked.map(({ unitId, name, reason, volume }) => ({ unitId, name, reason, volume })),
      computedMs: Math.round(r.computedMs * 10) / 10,
      cached: r.cached,
      asOf: answer.asOf,
    };
  }

  async funnel(p: StaffPrincipal, q: { period?: string | undefined; peerGroup?: string | undefined; metric?: CaseMixMetricName | undefined }) {
    const g = await this.requirePeerGroup(p, q.peerGroup);
    const period = this.period(q.period);
    const metric = q.metric ?? 'satisfaction';
    const units = await this.unitMap();
    const members = [...units.values()].filter((u) => u.peerGroup === g);
    const unitCols = sumByKey(await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { unitIds: members.map((u) => u.id) }));
    const plot = funnelOf(members, unitCols, metric, await this.config());
    return {
      period,
      peerGroup: g,
      metric,
      target: plot.target,
      method: plot.method,
      points: plot.points.map(({ key, ...rest }) => ({ unitId: key, name: units.get(key)?.shortName ?? key, inScope: p.permissions.has('metrics.audit') || this.inScope(p, units.get(key)!), ...rest })),
      curve: plot.curve,
    };
  }

  async unitFigures(p: StaffPrincipal, unitId: string, q: { period?: string | undefined }) {
    const unit = await this.requireUnit(p, unitId);
    const period = this.period(q.period);
    const config = await this.config();
    const units = await this.units();
    const r = await this.ranking(period, unit.peerGroup);
    const own = r.unitCols.get(unit.id) ?? zeroColumns();
    const hasChildren = units.some((u) => u.parentId === unit.id);
    const subtree = hasChildren ? figuresView(unit.id, await this.sumOf(period, this.subtreeIds(units, unit)), config) : null;
    const exRows = await this.ctx.readDb
      .selectFrom('score_facts as f')
      .innerJoin('appeals as a', 'a.id', 'f.appeal_id')
      .select(['f.appeal_id', 'a.tracking_code', 'a.title', 'f.excl_redirected', 'f.excl_unreasonable', 'f.excl_merged', 'f.excl_upheld', 'f.excl_rating'])
      .where('f.unit_id', '=', unit.id)
      .where('f.day', '>=', period.startDay)
      .where('f.day', '<', period.endDay)
      .where((eb) => eb.or([eb('f.excl_redirected', '=', 1), eb('f.excl_unreasonable', '=', 1), eb('f.excl_merged', '=', 1), eb('f.excl_upheld', '=', 1), eb('f.excl_rating', '=', 1)]))
      .orderBy('f.appeal_id')
      .execute();
    const excluded = exRows.map((x) => {
      const reason = x.excl_redirected ? 'redirected' : x.excl_unreasonable ? 'unreasonable' : x.excl_merged ? 'merged' : 'upheld-rating-appeal';
      const l = EXCLUSION_LABELS[reason];
      return { appealId: x.appeal_id, trackingCode: x.tracking_code, title: x.title, reason, scope: x.excl_rating ? ('rating' as const) : ('appeal' as const), reasonZh: l.zh, reasonEn: l.en };
    });
    const unitMap = new Map(units.map((u) => [u.id, u] as const));
    const row = r.view.units.find((x) => x.unitId === unit.id);
    const unranked = r.view.unranked.find((x) => x.unitId === unit.id);
    const caseMix = {} as Record<'response' | 'resolution' | 'satisfaction', CaseMixView>;
    for (const m of ['response', 'resolution', 'satisfaction'] as const) {
      caseMix[m] = caseMixFromStrata(r.strata, m, config).get(unit.id) ?? { n: 0, observed: 0, expected: 0, ratio: null, ratio95: null, observedRate: null, expectedRate: null, adjustedRate: null };
    }
    return {
      period,
      unit: toRef(unit),
      figures: figuresView(unit.id, own, config),
      subtree,
      excluded,
      ranking: row ? this.scopedRows(p, [row], unitMap)[0]! : null,
      unranked: unranked ? { reason: unranked.reason } : null,
      caseMix,
      latent: await this.latent(period, unit, { unitId: unit.id }),
      trend: await this.trend(period, [unit.id], config),
    };
  }

  async breakdown(p: StaffPrincipal, q: { period?: string | undefined; unitId?: string | undefined; by?: 'child' | 'unit' | 'category' | 'region' | 'peerGroup' | undefined }) {
    const unit = await this.requireUnit(p, q.unitId);
    const period = this.period(q.period);
    const config = await this.config();
    const units = await this.units();
    const by = q.by ?? 'child';
    const ids = this.subtreeIds(units, unit);
    const items: { key: string; labelZh: string; labelEn: string; figures: FiguresView }[] = [];
    if (by === 'category') {
      const cats = new Map((await this.categories.all()).map((c) => [c.id, c] as const));
      for (const r of await scoringRepo.statsGroupedBy(this.ctx.readDb, period.startDay, period.endDay, ids, 'category_id')) {
        const c = cats.get(r.key);
        items.push({ key: r.key, labelZh: c?.name ?? (r.key || '未分类'), labelEn: c?.nameEn ?? (r.key || 'Uncategorised'), figures: figuresView(r.key, r.cols, config) });
      }
    } else if (by === 'region') {
      const regions = new Map((await this.org.regions()).map((r) => [r.code, r] as const));
      for (const r of await scoringRepo.factStatsBy(this.ctx.readDb, period.startDay, period.endDay, 'region_code', unit.path)) {
        const name = regions.get(r.key)?.name ?? r.key;
        items.push({ key: r.key, labelZh: name, labelEn: r.key, figures: figuresView(r.key, r.cols, config) });
      }
    } else {
      const perUnit = sumByKey(await scoringRepo.statsByUnit(this.ctx.readDb, period.startDay, period.endDay, { unitIds: ids }));
      const groups = new Map<string, { labelZh: string; labelEn: string; cols: StatColumns }>();
      const add = (k: string, zh: string, en: string, c: StatColumns | undefined) => {
        let g = groups.get(k);
        if (!g) groups.set(k, (g = { labelZh: zh, labelEn: en, cols: zeroColumns() }));
        if (c) addColumns(g.cols, c);
      };
      if (by === 'child') {
        for (const child of units.filter((u) => u.parentId === unit.id)) {
          add(child.id, child.name, child.id, undefined);
          for (const id of this.subtreeIds(units, child)) add(child.id, child.name, child.id, perUnit.get(id));
        }
      } else if (by === 'unit') {
        for (const u of units.filter((x) => ids.includes(x.id))) add(u.id, u.name, u.id, perUnit.get(u.id));
      } else {
        for (const u of units.filter((x) => ids.includes(x.id))) {
          const l = peerGroupLabel(u.peerGroup);
          add(u.peerGroup, l.zh, l.en, perUnit.get(u.id));
        }
      }
      for (const [k, g] of groups) items.push({ key: k, labelZh: g.labelZh, labelEn: g.labelEn, figures: figuresView(k, g.cols, config) });
    }
    items.sort((a, b) => cmp(a.key, b.key));
    return { period, unitId: unit.id, by, items };
  }

  // ---------------------------------------------------------------- drill-down

  async drilldown(
    p: StaffPrincipal,
    q: { period?: string | undefined; unitId: string; subtree?: boolean | undefined; metric: DrillMetric; outcome?: string | undefined; page?: number | undefined; pageSize?: number | undefined },
  ) {
    const unit = await this.requireUnit(p, q.unitId);
    const period = this.period(q.period);
    const config = await this.config();
    const subtree = q.subtree ?? false;
    const units = await this.units();
    const ids = subtree ? this.subtreeIds(units, unit) : [unit.id];
    let base = this.ctx.readDb
      .selectFrom('score_facts as f')
      .innerJoin('appeals as a', 'a.id', 'f.appeal_id')
      .where('f.day', '>=', period.startDay)
      .where('f.day', '<', period.endDay);
    base = subtree ? base.where('f.unit_path', 'like', `${unit.path}%`) : base.where('f.unit_id', '=', unit.id);
    const now = this.ctx.now();
    const W = REPEAT_WINDOW_DAYS * DAY_MS;
    return this.drill(q, {
      period,
      unitId: unit.id,
      subtree,
      config,
      cols: await this.sumOf(period, ids),
      base: base as unknown as DrillBase,
      frozen: false,
      repeatKinds: async () => {
        const flags = await this.repeatFlags(period, subtree ? { unitPathPrefix: unit.path } : { unitId: unit.id }, now);
        return new Map(flags.map((f) => [f.appeal_id, repeatKindOf(f, now)] as const));
      },
      followers: (fact) =>
        scoringRepo.repeatFollowers(
          this.ctx.readDb,
          { appealId: fact.appealId, closedAt: fact.closedAt ?? 0, citizenKey: fact.citizenKey ?? null, regionCode: fact.regionCode, placeKey: fact.placeKey ?? null, categoryId: fact.categoryId },
          W,
          now,
        ),
    });
  }

  /**
   * The drill-down of a published snapshot: the appeals behind one of its figures as they were counted
   * at publication (its frozen per-appeal facts, its repeat outcomes, its weights and its org), whatever
   * happened to them since. Readers of snapshots; a unit outside the reader's scope (in the snapshot's
   * org) is refused as in the live drill-down.
   */
  async snapshotDrilldown(
    p: StaffPrincipal,
    id: string,
    q: { unitId?: string | undefined; subtree?: boolean | undefined; metric: DrillMetric; outcome?: string | undefined; page?: number | undefined; pageSize?: number | undefined },
  ) {
    this.requireSnapshotReader(p);
    const { row, snapshot } = await this.loadSnapshot(id);
    const units = snapshot.figures.parameters.units;
    const unit = units.find((u) => u.id === (q.unitId ?? p.scopeRootId));
    if (!unit) throw errors.notFound(`Unit ${q.unitId}`, '单位');
    if (!p.permissions.has('metrics.audit') && !this.inScope(p, unit)) throw scopeError();
    if (Number(row.appeals) > 0 && !(await scoringRepo.hasSnapshotFacts(this.ctx.db, id))) {
      throw new AppError(409, 'SNAPSHOT_FACTS_MISSING', '该快照发布时未保存逐件诉求数据,暂无法下钻;请先核验该快照,核验通过后将补存逐件数据', 'This snapshot was published without its per-appeal facts; verify it — a verification that passes stores them, and the drill-down then works', { snapshotId: id });
    }
    const subtree = q.subtree ?? false;
    const ids = subtree ? this.subtreeIds(units, unit) : [unit.id];
    const base = this.ctx.db
      .selectFrom('score_snapshot_facts as f')
      .innerJoin('appeals as a', 'a.id', 'f.appeal_id')
      .where('f.snapshot_id', '=', id)
      .where('f.unit_id', 'in', ids);
    return {
      snapshotId: id,
      ...(await this.drill(q, {
        period: periodFromAssessment(snapshot.period),
        unitId: unit.id,
        subtree,
        config: snapshot.config,
        cols: await scoringRepo.snapshotStats(this.ctx.db, id, ids),
        base: base as unknown as DrillBase,
        frozen: true,
        repeatKinds: () => scoringRepo.snapshotRepeatOutcomes(this.ctx.db, id, ids),
        followers: async (_fact, r) => (r.repeat_followers ? (JSON.parse(r.repeat_followers) as string[]) : []),
      })),
    };
  }

  /** The appeals behind one figure (live or frozen): filter by metric and outcome, page, explain each. */
  private async drill(
    q: { metric: DrillMetric; outcome?: string | undefined; page?: number | undefined; pageSize?: number | undefined },
    src: {
      period: ScorePeriod;
      unitId: string;
      subtree: boolean;
      config: MetricsConfig;
      cols: StatColumns;
      /** Facts as `f` (score_facts or score_snapshot_facts) joined with appeals as `a`, narrowed to the unit(s). */
      base: DrillBase;
      /** A published snapshot: each item's status as frozen and its repeat followers as stored (`f`
       *  is score_snapshot_facts); live, the appeal's status now (`f` is score_facts). */
      frozen: boolean;
      repeatKinds: () => Promise<Map<string, string>>;
      followers: (fact: ScoreFact, row: { repeat_followers?: string | null }) => Promise<string[]>;
    },
  ) {
    const { period, config, subtree } = src;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const fig = figuresView(src.unitId, src.cols, config);
    const metric = q.metric;
    const outcome = q.outcome;
    const bad = () =>
      errors.validation(`指标「${metric}」不支持筛选条件「${outcome}」`, `Outcome "${outcome}" is not valid for metric "${metric}"`, { field: 'outcome' });
    let base = src.base;

    let figure: { num: number; den: number };
    const rated = (eb: any) => eb(eb('f.face_1', '+', eb('f.face_2', '+', eb('f.face_3', '+', eb('f.face_4', '+', eb.ref('f.face_5'))))), '=', 1);
    const oneOf = (col: string, allowed: Record<string, (eb: any) => any>) => {
      if (outcome === undefined) return;
      const f = allowed[outcome];
      if (!f) throw bad();
      base = base.where((eb: any) => f(eb));
      void col;
    };
    let repeatKinds: Map<string, string> | null = null;
    switch (metric) {
      case 'volume':
        figure = { num: fig.volume, den: fig.volume };
        if (outcome !== undefined) throw bad();
        break;
      case 'assessed':
        figure = { num: fig.assessed, den: fig.volume };
        if (outcome !== undefined) throw bad();
        base = base.where('f.assessed', '=', 1);
        break;
      case 'excluded': {
        const c = fig.excludedCounts;
        figure = { num: c.redirected + c.unreasonable + c.merged + c['upheld-rating-appeal'] + c.ratingVoided, den: fig.volume };
        if (outcome === 'appeal') base = base.where('f.assessed', '=', 0);
        else if (outcome === 'rating') base = base.where('f.excl_rating', '=', 1);
        else if (outcome === undefined) base = base.where((eb) => eb.or([eb('f.assessed', '=', 0), eb('f.excl_rating', '=', 1)]));
        else throw bad();
        break;
      }
      case 'response':
      case 'onTimeClosure': {
        const [num, den] = metric === 'response' ? (['f.response_num', 'f.response_den'] as const) : (['f.closure_num', 'f.closure_den'] as const);
        figure = metric === 'response' ? { num: fig.response.num, den: fig.response.den } : { num: fig.onTimeClosure.num, den: fig.onTimeClosure.den };
        if (outcome === undefined) base = base.where('f.assessed', '=', 1);
        else
          oneOf(metric, {
            hit: (eb) => eb(num, '=', 1),
            miss: (eb) => eb.and([eb(den, '=', 1), eb(num, '=', 0)]),
            pending: (eb) => eb.and([eb('f.assessed', '=', 1), eb(den, '=', 0)]),
          });
        break;
      }
      case 'resolution':
        figure = { num: fig.resolution.num, den: fig.resolution.den };
        if (outcome === undefined) base = base.where((eb) => rated(eb));
        else oneOf(metric, { yes: (eb) => eb('f.solved_yes', '=', 1), partly: (eb) => eb('f.solved_partly', '=', 1), no: (eb) => eb('f.solved_no', '=', 1) });
        break;
      case 'satisfaction':
        figure = { num: fig.satisfaction.num, den: fig.satisfaction.den };
        if (outcome === undefined) base = base.where((eb) => rated(eb));
        else oneOf(metric, Object.fromEntries([1, 2, 3, 4, 5].map((l) => [String(l), (eb: any) => eb(`f.face_${l}`, '=', 1)])));
        break;
      case 'ratingCoverage':
        figure = { num: fig.ratingCoverage.num, den: fig.ratingCoverage.den };
        if (outcome === undefined) base = base.where('f.answered', '=', 1);
        else oneOf(metric, { rated: (eb) => eb.and([eb('f.answered', '=', 1), rated(eb)]), unrated: (eb) => eb.and([eb('f.answered', '=', 1), eb.not(rated(eb))]) });
        break;
      case 'returnRate':
      case 'reopenRate':
      case 'extensionRate': {
        const col = metric === 'returnRate' ? 'f.returned_appeals' : metric === 'reopenRate' ? 'f.reopened_appeals' : 'f.extended_appeals';
        const r = fig[metric];
        figure = { num: r.num, den: r.den };
        if (outcome !== undefined) throw bad();
        base = base.where(col, '=', 1);
        break;
      }
      case 'repeat': {
        if (outcome !== undefined && !['repeat', 'no-repeat', 'pending'].includes(outcome)) throw bad();
        repeatKinds = await src.repeatKinds();
        const kinds = [...repeatKinds.values()];
        figure = { num: kinds.filter((k) => k === 'repeat').length, den: kinds.filter((k) => k !== 'pending').length };
        const chosen = [...repeatKinds].filter(([, k]) => outcome === undefined || k === outcome).map(([id]) => id);
        base = base.where('f.status', '=', 'closed').where('f.appeal_id', 'in', chosen.length > 0 ? chosen : ['\u0000']);
        break;
      }
    }
    const totalRow = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await base
      .select(['f.appeal_id', 'f.fact', 'f.unit_id', 'f.period_at', 'a.tracking_code', 'a.title', sql.ref<string>(src.frozen ? 'f.status' : 'a.status').as('status'), 'a.created_at'])
      .$if(src.frozen, (qb) => qb.select('f.repeat_followers'))
      .orderBy('f.appeal_id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const items = [];
    for (const r of rows) {
      const fact = parseFact(r.fact);
      const c = contributionOf(fact, config);
      const why = whyFor(metric, fact, c, config);
      const rk = repeatKinds?.get(r.appeal_id);
      const score =
        metric === 'resolution'
          ? c.resolutionScore
          : metric === 'satisfaction'
            ? c.satisfactionScore
            : metric === 'response'
              ? c.response === 'hit' ? 1 : c.response === 'miss' ? 0 : null
              : metric === 'onTimeClosure'
                ? c.onTimeClosure === 'hit' ? 1 : c.onTimeClosure === 'miss' ? 0 : null
                : metric === 'repeat'
                  ? rk === 'repeat' ? 1 : rk === 'no-repeat' ? 0 : null
                  : 1;
      const repeatWhy =
        rk === 'repeat'
          ? {
              zh: '办结后 90 天内出现同一群众、或同一地点(同一街镇内的同一小区、村、学校或道路门牌)的同类诉求(重复诉求)',
              en: 'A repeat followed within 90 days of closure: same category, from the same citizen or about the same place (one compound, village, school or road number in the same township)',
            }
          : rk === 'pending'
            ? { zh: '90 天观察期未满,尚未发现重复,暂不计入', en: 'The 90-day window is still open and no repeat was seen: not counted yet' }
            : { zh: '办结后 90 天内未出现重复诉求', en: 'No repeat within 90 days of closure' };
      items.push({
        appealId: r.appeal_id,
        trackingCode: r.tracking_code,
        title: r.title,
        status: r.status,
        unitId: r.unit_id,
        createdAt: Number(r.created_at),
        periodAt: Number(r.period_at),
        score,
        contribution: c,
        whyZh: metric === 'repeat' ? repeatWhy.zh : why.zh,
        whyEn: metric === 'repeat' ? repeatWhy.en : why.en,
        ...(metric === 'repeat'
          ? {
              followedBy: await src.followers(fact, r),
            }
          : {}),
      });
    }
    return { period, unitId: src.unitId, subtree, metric, outcome: outcome ?? null, figure, total: Number(totalRow?.n ?? 0), page, pageSize, items };
  }

  /** How one appeal counts, with its events. */
  async explainAppeal(p: StaffPrincipal, appealId: string) {
    this.requireRead(p);
    const row = await scoringRepo.getFact(this.ctx.db, appealId);
    const appeal = await repos.appeals.findRow(this.ctx.db, appealId);
    if (!row || !appeal) throw errors.notFound(`Appeal ${appealId}`, '诉求');
    if (!row.unit_path.startsWith(p.scopePath)) throw scopeError();
    const config = await this.config();
    const fact = parseFact(row.fact);
    const c = contributionOf(fact, config);
    const events = await repos.appeals.events(this.ctx.db, appealId);
    return {
      appealId,
      trackingCode: appeal.tracking_code,
      title: appeal.title,
      unitId: fact.unitId,
      periodAt: fact.periodAt,
      periodRule: fact.closedAt !== null && fact.closedAt !== undefined ? ('closed' as const) : ('open-round-start' as const),
      month: monthLabelOf(fact.periodAt),
      fact,
      contribution: c,
      lines: explainLines(fact, c, config),
      events: events.map((e) => ({ seq: e.seq, at: e.at, action: e.action, actionZh: ACTION_LABELS[e.action].zh, fromStatus: e.fromStatus, toStatus: e.toStatus, actorKind: e.actor.kind })),
    };
  }

  // ---------------------------------------------------------------- anti-gaming

  async signals(p: StaffPrincipal, q: { period?: string | undefined; peerGroup?: string | undefined }) {
    requirePermission(p, 'metrics.audit');
    const period = this.period(q.period);
    const config = await this.config();
    const units = await this.unitMap();
    const groups = q.peerGroup ? [q.peerGroup] : [...new Set([...units.values()].map((u) => u.peerGroup))].sort(cmp);
    if (q.peerGroup && ![...units.values()].some((u) => u.peerGroup === q.peerGroup)) throw errors.notFound(`Peer group ${q.peerGroup}`, '同类单位组');
    const staffIps = new Set(
      (await this.ctx.readDb.selectFrom('sessions').select('ip').distinct().where('ip', 'is not', null).execute()).map((r) => r.ip as string),
    );
    const items = [];
    for (const g of groups) {
      const memberIds = [...units.values()].filter((u) => u.peerGroup === g).map((u) => u.id);
      const rows = await scoringRepo.factsInPeriod(this.ctx.readDb, period.startDay, period.endDay, { unitIds: memberIds }).execute();
      if (rows.length === 0) continue;
      const facts = rows.map((r) => parseFact(r.fact) as ScoreFact & AppealFact);
      // Where each rating came from (not part of the events): the ratings table and the staff sessions' IPs.
      const rated = facts.filter((f) => f.rating !== null);
      // … and whether a staff session came with a citizen's rating (ratings.staff_session).
      const sources = new Map<string, { ip: string | null; session: string | null; staffUserId: string | null }>();
      for (let i = 0; i < rated.length; i += 500) {
        const chunk = rated.slice(i, i + 500);
        const rs = await this.ctx.readDb
          .selectFrom('ratings')
          .select(['appeal_id', 'round', 'source_ip', 'staff_session', 'staff_user_id'])
          .where('appeal_id', 'in', chunk.map((f) => f.appealId))
          .execute();
        for (const r of rs) sources.set(`${r.appeal_id}#${r.round}`, { ip: r.source_ip, session: r.staff_session ?? null, staffUserId: r.staff_user_id ?? null });
      }
      const staffSessionIds = new Set<string>();
      const staffUserOfSession = new Map<string, string>();
      for (const f of rated) {
        const src = sources.get(`${f.appealId}#${f.round}`);
        const ip = src?.ip ?? null;
        const session = src?.session ?? null;
        if (session !== null) {
          staffSessionIds.add(session);
          if (src?.staffUserId) staffUserOfSession.set(session, src.staffUserId);
        }
        f.ratingSource = { ip, sessionId: session, staffNetwork: f.rating!.channel === 'web' && ip !== null && staffIps.has(ip) };
      }
      const sig = antiGamingSignals(facts, { config, staffSessionIds });
      if (sig.length === 0) continue;
      const allIds = [...new Set(sig.flatMap((s) => s.appealIds))];
      const titles = new Map<string, { trackingCode: string; title: string }>();
      for (let i = 0; i < allIds.length; i += 500) {
        const rs = await this.ctx.readDb.selectFrom('appeals').select(['id', 'tracking_code', 'title']).where('id', 'in', allIds.slice(i, i + 500)).execute();
        for (const r of rs) titles.set(r.id, { trackingCode: r.tracking_code, title: r.title });
      }
      for (const s of sig) {
        items.push({
          unitId: s.key,
          unitName: units.get(s.key)?.name ?? s.key,
          peerGroup: g,
          kind: s.kind,
          kindZh: SIGNAL_LABELS[s.kind].zh,
          kindEn: SIGNAL_LABELS[s.kind].en,
          measure: s.measure,
          threshold: s.threshold,
          messageZh: s.messageZh,
          messageEn: s.messageEn,
          detail: s.detail,
          appeals: s.appealIds.map((id) => ({ appealId: id, trackingCode: titles.get(id)?.trackingCode ?? '', title: titles.get(id)?.title ?? '' })),
          evidence: s.evidence,
          ...(s.kind === 'staff-session' ? { staffSessions: await this.staffSessionsOf(s.evidence, staffUserOfSession) } : {}),
        });
      }
    }
    return { period, items };
  }

  /** Who was signed in to each session behind a staff-session signal (evidence labels are `session <ref>`). */
  private async staffSessionsOf(evidence: readonly { label: string; appealIds: string[] }[], userOf: ReadonlyMap<string, string>) {
    const refs = evidence.map((e) => e.label.replace(/^session /, ''));
    const userIds = [...new Set(refs.map((r) => userOf.get(r)).filter((u): u is string => u !== undefined))];
    const names = new Map(
      userIds.length === 0 ? [] : (await this.ctx.db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u] as const),
    );
    return refs.map((ref, i) => {
      const u = names.get(userOf.get(ref) ?? '');
      return { session: ref, userId: userOf.get(ref) ?? null, username: u?.username ?? null, displayName: u?.display_name ?? null, appealIds: evidence[i]!.appealIds };
    });
  }

  // ---------------------------------------------------------------- snapshots

  private metaOf(r: Pick<ScoreSnapshotTable, 'id' | 'period_label' | 'period_kind' | 'period_start' | 'period_end' | 'as_of' | 'published_at' | 'published_by' | 'facts_hash' | 'content_hash' | 'appeals' | 'units'>): SnapshotMeta {
    return {
      id: r.id,
      period: periodFromAssessment({ kind: r.period_kind as ScorePeriod['kind'], label: r.period_label, start: Number(r.period_start), end: Number(r.period_end) }),
      publishedAt: Number(r.published_at),
      publishedBy: r.published_by,
      asOf: Number(r.as_of),
      factsHash: r.facts_hash,
      contentHash: r.content_hash,
      appeals: Number(r.appeals),
      units: Number(r.units),
    };
  }

  private requireSnapshotReader(p: StaffPrincipal): void {
    if (!p.permissions.has('metrics.audit')) this.requireRead(p);
  }

  async listSnapshots(p: StaffPrincipal) {
    this.requireSnapshotReader(p);
    return { items: (await scoringRepo.listSnapshots(this.ctx.db)).map((r) => this.metaOf(r)) };
  }

  /** The stored snapshot (no scope filter: for the CLI and the verifier). */
  async loadSnapshot(id: string): Promise<{ row: ScoreSnapshotTable; snapshot: MetricsSnapshot<SnapshotFigures> }> {
    const row = await scoringRepo.findSnapshot(this.ctx.db, id);
    if (!row) throw errors.notFound(`Snapshot ${id}`, '考评快照');
    return { row, snapshot: JSON.parse(row.body) as MetricsSnapshot<SnapshotFigures> };
  }

  async findSnapshotByPeriod(spec: string): Promise<ScoreSnapshotTable | undefined> {
    return scoringRepo.findSnapshotByLabel(this.ctx.db, this.period(spec).label);
  }

  async getSnapshot(p: StaffPrincipal, id: string) {
    this.requireSnapshotReader(p);
    const { row, snapshot } = await this.loadSnapshot(id);
    const all = p.permissions.has('metrics.audit');
    const units = new Map(snapshot.figures.parameters.units.map((u) => [u.id, u] as const));
    const visibleUnit = (id2: string) => all || (units.has(id2) && units.get(id2)!.path.startsWith(p.scopePath));
    const groups = new Set(snapshot.figures.parameters.units.filter((u) => visibleUnit(u.id)).map((u) => u.peerGroup));
    const sealOk = verifySnapshotSeal(snapshot) && snapshot.contentHash === row.content_hash && snapshot.factsHash === row.facts_hash;
    const { units: _u, ...parameters } = snapshot.figures.parameters;
    return {
      meta: this.metaOf(row),
      sealOk,
      config: snapshot.config,
      parameters,
      units: snapshot.figures.units.filter((u) => visibleUnit(u.key)),
      rankings: snapshot.figures.rankings.filter((g) => groups.has(g.key)).map((g) => ({ ...g, units: g.units.map((r) => ({ ...r, inScope: visibleUnit(r.unitId) })) })),
      latent: snapshot.figures.latent.filter((l) => visibleUnit(l.key)),
    };
  }

  /** Publishes (freezes) a period's assessment: recomputed from events as of now, stored once. */
  async publish(p: Principal, spec: string): Promise<SnapshotMeta> {
    if (p.kind === 'staff') requirePermission(p, 'metrics.publish');
    else if (p.kind !== 'system') throw errors.forbidden();
    const now = this.ctx.now();
    const period = this.period(spec);
    if (period.end > now) {
      throw new AppError(409, 'PERIOD_NOT_ENDED', `考评周期 ${period.label} 尚未结束,不能发布`, `The period ${period.label} has not ended yet`);
    }
    const exists = () => new AppError(409, 'SNAPSHOT_EXISTS', `考评周期 ${period.label} 已发布,发布后不可更改`, `The period ${period.label} is already published and cannot change`);
    if (await scoringRepo.findSnapshotByLabel(this.ctx.db, period.label)) throw exists();
    const config = await this.config();
    const units = await this.units();
    const parameters: AssessmentParameters = {
      draws: PUBLISH_DRAWS,
      rankRates: true,
      seedBase: period.label,
      periodRule: PERIOD_RULE,
      caseMixStrata: 'category|type|channel',
      repeatWindowDays: REPEAT_WINDOW_DAYS,
      repeatPlace: REPEAT_PLACE,
      asOf: now - PUBLISH_GRACE_MS,
      units,
    };
    const r = await recomputeFromEvents(this.ctx.db, period, config, parameters);
    const snapshot = buildSnapshot(assessmentPeriodOf(period), config, r.figures, r.factsHash);
    const row: ScoreSnapshotTable = {
      id: newId(now),
      period_label: period.label,
      period_kind: period.kind,
      period_start: period.start,
      period_end: period.end,
      as_of: parameters.asOf,
      published_at: now,
      published_by: p.kind === 'staff' ? p.username : `system:${p.job}`,
      facts_hash: snapshot.factsHash,
      content_hash: snapshot.contentHash,
      appeals: r.figures.appeals,
      units: r.figures.units.length,
      body: canonicalJson(snapshot),
    };
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await scoringRepo.insertSnapshot(trx, row);
        // What each appeal counted for: the drill-down of the published figures, frozen with them.
        await scoringRepo.insertSnapshotFacts(trx, snapshotFactRows(row.id, r, parameters.asOf));
        await this.audit.record(
          p,
          { action: 'metrics.snapshot.publish', objectType: 'score_snapshot', objectId: row.id, outcome: 'success', details: { period: period.label, factsHash: row.facts_hash, contentHash: row.content_hash, appeals: row.appeals } },
          trx,
        );
      });
    } catch (e) {
      if (await scoringRepo.findSnapshotByLabel(this.ctx.db, period.label)) throw exists();
      throw e;
    }
    return this.metaOf(row);
  }

  /** Recomputes a snapshot from events as of its asOf, with its own parameters and config, and lists every difference. */
  async verify(p: Principal, id: string): Promise<VerifyResult> {
    if (p.kind === 'staff') {
      if (!p.permissions.has('metrics.audit')) requirePermission(p, 'metrics.publish');
    } else if (p.kind !== 'system') throw errors.forbidden();
    const { row, snapshot } = await this.loadSnapshot(id);
    const sealOk = verifySnapshotSeal(snapshot) && snapshot.contentHash === row.content_hash && snapshot.factsHash === row.facts_hash;
    const period = periodFromAssessment(snapshot.period);
    const r = await recomputeFromEvents(this.ctx.db, period, snapshot.config, snapshot.figures.parameters);
    const rebuilt = buildSnapshot(snapshot.period, snapshot.config, r.figures, r.factsHash);
    const differences = diffSnapshots(snapshot, rebuilt).filter((d) => d.path !== 'contentHash');
    const stored = await scoringRepo.snapshotFacts(this.ctx.db, id);
    const storedFacts = stored.map((f) => parseFact(f.fact));
    let storedFactsOk =
      stored.length === 0 && Number(row.appeals) > 0
        ? null
        : hashFacts(storedFacts) === snapshot.factsHash &&
          stored.every((f, i) => {
            const cols = statColumnsOf(storedFacts[i]!);
            return STAT_COLUMNS.every((c) => Number(f[c]) === cols[c]);
          });
    // A snapshot published before its facts were stored becomes drillable once the events are shown to
    // reproduce it exactly: the replayed facts are then the published ones (their hash is sealed).
    let storedFactsBackfilled = false;
    if (storedFactsOk === null && sealOk && differences.length === 0 && r.factsHash === snapshot.factsHash) {
      storedFactsBackfilled = await this.backfillSnapshotFacts(p, row.id, snapshot.period.label, r, snapshot.figures.parameters.asOf);
      storedFactsOk = storedFactsBackfilled ? true : null;
    }
    const result: VerifyResult = {
      ok: sealOk && differences.length === 0 && storedFactsOk !== false,
      sealOk,
      factsHashMatches: r.factsHash === snapshot.factsHash,
      recomputedFactsHash: r.factsHash,
      appeals: r.facts.length,
      differenceCount: differences.length,
      differences: differences.slice(0, 200),
      storedFactsOk,
      storedFactsBackfilled,
    };
    await this.audit.record(p, {
      action: 'metrics.snapshot.verify',
      objectType: 'score_snapshot',
      objectId: id,
      outcome: result.ok ? 'success' : 'failure',
      details: { period: snapshot.period.label, differences: differences.length, sealOk, storedFactsOk },
    });
    return result;
  }

  /** Stores a verified snapshot's replayed facts (insert-only); false when another verification did first. */
  private async backfillSnapshotFacts(p: Principal, snapshotId: string, label: string, r: Awaited<ReturnType<typeof recomputeFromEvents>>, asOf: number): Promise<boolean> {
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await scoringRepo.insertSnapshotFacts(trx, snapshotFactRows(snapshotId, r, asOf));
        await this.audit.record(p, { action: 'metrics.snapshot.facts.backfill', objectType: 'score_snapshot', objectId: snapshotId, outcome: 'success', details: { period: label, appeals: r.facts.length } }, trx);
      });
      return true;
    } catch (e) {
      if (await scoringRepo.hasSnapshotFacts(this.ctx.db, snapshotId)) return false;
      throw e;
    }
  }
}

export type { LatentView };
