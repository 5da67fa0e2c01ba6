// The assembly of the domain's figures engine for one period: sufficient statistics → figures,
// peer-group rankings (shrinkage + simulated rank intervals), case mix O/E, funnel data, 潜绩.
// Pure functions of their inputs; the live API feeds them from score_stats, the snapshot publisher
// and verifier from facts replayed out of appeal_events — the same code either way.
import type { HotspotsResolved, SurveyIndex } from '../../domain/metrics/latent.ts';
import {
  figuresFromStats,
  funnelPlot,
  rankPeerGroup,
  repeatAppealRates,
  sourceGovernance,
  wilsonInterval,
  Z95,
  type AppealFact,
  type BetaPrior,
  type MetricsConfig,
  type RankedUnit,
  type UnitFigures,
} from '../../domain/metrics/index.ts';
import type { StatColumns } from '../../store/scoring-schema.ts';
import type { GroupedStats } from '../../store/repositories/scoring.ts';
import { addColumns, excludedCountsOf, statColumnsOf, statsFromColumns, zeroColumns, type ExcludedCounts, type ScoreFact } from './facts.ts';

export interface UnitInfo {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string;
  type: string;
  level: string;
  regionCode: string;
  population: number;
  peerGroup: string;
  path: string;
}

/** UnitFigures without the per-appeal exclusion list (the drill-down gives it), with counts by reason. */
export type FiguresView = Omit<UnitFigures, 'excluded'> & { excludedCounts: ExcludedCounts };

export function figuresView(key: string, cols: StatColumns, config: MetricsConfig): FiguresView {
  const { excluded: _x, ...rest } = figuresFromStats(key, statsFromColumns(cols), config);
  return { ...rest, excludedCounts: excludedCountsOf(cols) };
}

/** Sums grouped rows per key (strata folded in; integer sums, order-free). */
export function sumByKey(rows: readonly GroupedStats[]): Map<string, StatColumns> {
  const out = new Map<string, StatColumns>();
  for (const r of rows) {
    let c = out.get(r.key);
    if (!c) out.set(r.key, (c = zeroColumns()));
    addColumns(c, r.cols);
  }
  return out;
}

/** The same grouped rows computed from facts in memory (unit × stratum), for the replay path. */
export function groupFacts(facts: readonly AppealFact[], strata = true): GroupedStats[] {
  const m = new Map<string, GroupedStats>();
  for (const f of facts) {
    const sub = strata ? `${f.categoryId}|${f.type}|${f.channel}` : '';
    const k = `${f.unitId}\u0000${sub}`;
    let g = m.get(k);
    if (!g) m.set(k, (g = { key: f.unitId, sub, cols: zeroColumns() }));
    addColumns(g.cols, statColumnsOf(f));
  }
  return [...m.values()];
}

// ---- case mix from stratum sums ----

export type CaseMixMetricName = 'response' | 'resolution' | 'satisfaction' | 'onTimeClosure';

function metricNumDen(c: StatColumns, metric: CaseMixMetricName, config: MetricsConfig): { num: number; den: number } {
  switch (metric) {
    case 'response':
      return { num: c.response_num, den: c.response_den };
    case 'onTimeClosure':
      return { num: c.closure_num, den: c.closure_den };
    case 'resolution': {
      const w = config.solvedWeights;
      return { num: c.solved_yes * w.yes + c.solved_partly * w.partly + c.solved_no * w.no, den: c.solved_yes + c.solved_partly + c.solved_no };
    }
    case 'satisfaction': {
      const w = config.levelWeights;
      return {
        num: c.face_1 * w[1] + c.face_2 * w[2] + c.face_3 * w[3] + c.face_4 * w[4] + c.face_5 * w[5],
        den: c.face_1 + c.face_2 + c.face_3 + c.face_4 + c.face_5,
      };
    }
  }
}

export interface CaseMixView {
  n: number;
  observed: number;
  expected: number;
  ratio: number | null;
  ratio95: [number, number] | null;
  observedRate: number | null;
  expectedRate: number | null;
  adjustedRate: number | null;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Indirect standardisation (the domain's caseMixRatios, from stratum sums instead of single facts):
 * the reference rate of each stratum (category × type × channel) is the pooled rate of every row
 * passed in (the peer group); E_u = Σ_s n_{u,s}·r_s, O_u = Σ scores, O/E with the Wilson interval of
 * O/n divided by E/n. Sums run in sorted key order so the floats never depend on row order.
 */
export function caseMixFromStrata(rows: readonly GroupedStats[], metric: CaseMixMetricName, config: MetricsConfig): Map<string, CaseMixView> {
  const sorted = [...rows].sort((a, b) => cmp(a.key, b.key) || cmp(a.sub, b.sub));
  const ref = new Map<string, { num: number; den: number }>();
  let totNum = 0;
  let totDen = 0;
  for (const r of sorted) {
    const { num, den } = metricNumDen(r.cols, metric, config);
    if (den === 0) continue;
    const s = ref.get(r.sub) ?? { num: 0, den: 0 };
    s.num += num;
    s.den += den;
    ref.set(r.sub, s);
    totNum += num;
    totDen += den;
  }
  const overall = totDen > 0 ? totNum / totDen : null;
  const out = new Map<string, CaseMixView>();
  const acc = new Map<string, { n: number; O: number; E: number }>();
  for (const r of sorted) {
    const { num, den } = metricNumDen(r.cols, metric, config);
    if (den === 0) continue;
    const s = ref.get(r.sub)!;
    const a = acc.get(r.key) ?? { n: 0, O: 0, E: 0 };
    a.n += den;
    a.O += num;
    a.E += den * (s.num / s.den);
    acc.set(r.key, a);
  }
  for (const [key, { n, O, E }] of acc) {
    const ratio = E > 0 ? O / E : null;
    let ratio95: [number, number] | null = null;
    if (E > 0) {
      const [lo, hi] = wilsonInterval(Math.min(O, n), n, Z95);
      ratio95 = [(lo * n) / E, (hi * n) / E];
    }
    out.set(key, {
      n,
      observed: O,
      expected: E,
      ratio,
      ratio95,
      observedRate: n > 0 ? O / n : null,
      expectedRate: n > 0 ? E / n : null,
      adjustedRate: ratio !== null && overall !== null ? ratio * overall : null,
    });
  }
  return out;
}

// ---- rankings ----

export type RankStats = Omit<RankedUnit, 'key'>;

export interface RankingRow {
  key: string;
  unitId: string;
  name: string;
  inScope: boolean;
  volume: number;
  assessed: number;
  rated: number;
  raw: { response: number | null; resolution: number | null; satisfaction: number | null; index: number | null };
  wilson95: { response: [number, number]; resolution: [number, number]; satisfaction: [number, number]; index: [number, number] | null };
  adjusted: Record<'response' | 'resolution' | 'satisfaction', { estimate: number; interval95: [number, number]; shrinkage: number }>;
  index: RankStats;
  rates: null | Record<'response' | 'resolution' | 'satisfaction', RankStats>;
  caseMix: { satisfactionOE: number | null; resolutionOE: number | null };
}

export interface PeerRankingView {
  key: string; // the peer group
  peerGroup: string;
  draws: number;
  seed: string;
  priors: Record<'response' | 'resolution' | 'satisfaction', BetaPrior>;
  units: RankingRow[];
  unranked: { key: string; unitId: string; name: string; reason: 'no-valid-ratings' | 'no-response-data'; volume: number }[];
}

export interface RankingOptions {
  draws: number;
  rankRates: boolean;
  /** Seed base: the period label; the peer group is appended. */
  seedBase: string;
  /**
   * Draw again with this many draws when some unit's "not distinguishable from the median" flag lies
   * within Monte Carlo error of its threshold at `draws` (see isBorderline): fewer draws only where
   * they cannot change a conclusion.
   */
  escalateTo?: number;
}

/**
 * The flag compares the share of draws in which the unit beats the peer median with 2.5 % / 97.5 %.
 * With D draws that share has a Monte Carlo standard error of about √(0.025·0.975/D); a unit within
 * three of them of a threshold could flip with another seed.
 */
export function isBorderline(pBetterThanMedian: number, draws: number): boolean {
  const margin = 3 * Math.sqrt((0.025 * 0.975) / draws);
  return Math.abs(pBetterThanMedian - 0.025) < margin || Math.abs(pBetterThanMedian - 0.975) < margin;
}

const stripKey = ({ key: _k, ...rest }: RankedUnit): RankStats => rest;

/**
 * The ranking of one peer group. `members` are all units of the group (a unit without appeals in the
 * period is listed as unranked); `unitCols` their summed statistics; `strata` their unit × stratum
 * rows (for the case-mix O/E shown beside the rank).
 */
export function rankPeers(
  peerGroup: string,
  members: readonly UnitInfo[],
  unitCols: ReadonlyMap<string, StatColumns>,
  strata: readonly GroupedStats[],
  config: MetricsConfig,
  opts: RankingOptions,
): PeerRankingView {
  const sortedMembers = [...members].sort((a, b) => cmp(a.id, b.id));
  const figures = sortedMembers.map((u) => figuresFromStats(u.id, statsFromColumns(unitCols.get(u.id) ?? zeroColumns()), config));
  const byId = new Map(figures.map((f) => [f.key, f] as const));
  const names = new Map(sortedMembers.map((u) => [u.id, u.shortName || u.name] as const));
  const seed = `${opts.seedBase}|${peerGroup}`;
  let draws = opts.draws;
  let r = rankPeerGroup(figures, config, { draws, seed, rankRates: opts.rankRates });
  if (opts.escalateTo !== undefined && opts.escalateTo > draws && r.units.some((u) => isBorderline(u.index.pBetterThanMedian, draws))) {
    draws = opts.escalateTo;
    r = rankPeerGroup(figures, config, { draws, seed, rankRates: opts.rankRates });
  }
  const memberIds = new Set(sortedMembers.map((u) => u.id));
  const ownStrata = strata.filter((s) => memberIds.has(s.key));
  const sat = caseMixFromStrata(ownStrata, 'satisfaction', config);
  const res = caseMixFromStrata(ownStrata, 'resolution', config);
  const rows: RankingRow[] = r.units.map((u) => {
    const f = byId.get(u.key)!;
    const adj = (k: 'response' | 'resolution' | 'satisfaction') => ({ estimate: u.shrunk[k].mean, interval95: u.shrunk[k].interval95, shrinkage: u.shrunk[k].shrinkage });
    return {
      key: u.key,
      unitId: u.key,
      name: names.get(u.key) ?? u.key,
      inScope: true,
      volume: f.volume,
      assessed: f.assessed,
      rated: f.rated,
      raw: u.raw,
      wilson95: { response: f.response.wilson95, resolution: f.resolution.wilson95, satisfaction: f.satisfaction.wilson95, index: f.index.interval95 },
      adjusted: { response: adj('response'), resolution: adj('resolution'), satisfaction: adj('satisfaction') },
      index: stripKey(u.index),
      rates: u.rates ? { response: stripKey(u.rates.response), resolution: stripKey(u.rates.resolution), satisfaction: stripKey(u.rates.satisfaction) } : null,
      caseMix: { satisfactionOE: sat.get(u.key)?.ratio ?? null, resolutionOE: res.get(u.key)?.ratio ?? null },
    };
  });
  rows.sort((a, b) => a.index.rank - b.index.rank || cmp(a.key, b.key));
  return {
    key: peerGroup,
    peerGroup,
    draws,
    seed,
    priors: r.priors,
    units: rows,
    unranked: r.unranked.map((x) => ({ key: x.key, unitId: x.key, name: names.get(x.key) ?? x.key, reason: x.reason, volume: byId.get(x.key)?.volume ?? 0 })),
  };
}

/** Funnel data of a peer group for one rate. */
export function funnelOf(
  members: readonly UnitInfo[],
  unitCols: ReadonlyMap<string, StatColumns>,
  metric: CaseMixMetricName,
  config: MetricsConfig,
) {
  const pts = [...members]
    .sort((a, b) => cmp(a.id, b.id))
    .map((u) => ({ key: u.id, ...metricNumDen(unitCols.get(u.id) ?? zeroColumns(), metric, config) }));
  return funnelPlot(pts);
}

// ---- 潜绩 ----

export const REPEAT_WINDOW_DAYS = 90;

/** What a later appeal needs to be recognised as a repeat. */
export type LaterAppeal = Pick<AppealFact, 'appealId' | 'createdAt' | 'citizenKey' | 'placeKey' | 'categoryId' | 'unitId' | 'regionCode' | 'type' | 'channel' | 'status' | 'respondedOnTime' | 'closedOnTime' | 'returned' | 'reopened' | 'extended' | 'rating'>;

export interface RepeatView {
  rate: { num: number; den: number; value: number | null; wilson95: [number, number] };
  repeats: number;
  pending: number;
  windowDays: number;
}

export interface SourceGovernanceView {
  per10k: number | null;
  per10kLastYear: number | null;
  change: number | null;
  ratio: number | null;
  ratio95: [number, number | null] | null;
  count: number;
  countLastYear: number;
  population: number;
}

export interface LatentView {
  repeat: RepeatView | null;
  sourceGovernance: SourceGovernanceView | null;
  /** Live views only; a frozen snapshot leaves the slots filled by other modules empty (null) so that it
   *  can be recomputed from its own facts. */
  hotspotsResolved: HotspotsResolved | null;
  surveyIndex: SurveyIndex | null;
  /** Live views only: questions settled by a knowledge-base article in the unit's region (no appeal needed). */
  resolvedBeforeAppeal?: { count: number } | null;
}

/**
 * 重复诉求率 per unit: the period's closed, assessed appeals against the appeals created within 90
 * days after each closure (same citizen and category, or same place — the township region code — and
 * category), as known at `observedUntil`.
 */
export function repeatsByUnit(closed: readonly ScoreFact[], later: readonly AppealFact[], observedUntil: number) {
  return repeatAppealRates(closed, later, { windowDays: REPEAT_WINDOW_DAYS, observedUntil });
}

export function repeatView(r: ReturnType<typeof repeatAppealRates>[number] | undefined): RepeatView | null {
  if (!r) return null;
  return { rate: r.rate, repeats: r.repeats.length, pending: r.pending, windowDays: REPEAT_WINDOW_DAYS };
}

/** The region prefix of a unit's jurisdiction: its region code without trailing "00" pairs. */
export function regionPrefixOf(regionCode: string): string {
  return regionCode.replace(/(00)+$/, '');
}

export function sourceGovernanceView(unit: UnitInfo, count: number, countLastYear: number): SourceGovernanceView | null {
  if (!(unit.population > 0)) return null;
  const sg = sourceGovernance({ key: unit.id, count, population: unit.population, countLastYear, populationLastYear: unit.population });
  return {
    per10k: sg.per10k,
    per10kLastYear: sg.per10kLastYear,
    change: sg.change,
    ratio: sg.ratio,
    ratio95: sg.ratio95 ? [sg.ratio95[0], Number.isFinite(sg.ratio95[1]) ? sg.ratio95[1] : null] : null,
    count,
    countLastYear,
    population: unit.population,
  };
}
