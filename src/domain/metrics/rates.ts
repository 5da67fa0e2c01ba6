// The 民标 figures of one group of appeals (a unit, a subtree, a region, a category, a peer group).
//
// Everything is computed from integer sufficient statistics (UnitStats) in a fixed order, so the
// same set of appeals gives bit-identical figures whether it was added at once (computeUnitFigures)
// or one event at a time (incremental.ts).

import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './config.ts';
import {
  byUnit,
  exclusionOf,
  isAnswered,
  keysOf,
  validRatingOf,
  type AppealFact,
  type ExclusionReason,
  type KeyOf,
  type RatingLevel,
  type Solved,
} from './facts.ts';
import { wilsonInterval, Z95 } from './wilson.ts';

/** A proportion with its Wilson 95 % interval. value is null when den = 0 (nothing to judge). */
export interface Rate {
  num: number;
  den: number;
  value: number | null;
  wilson95: [number, number];
}

/** A rate whose items score in [0, 1] (解决率, 满意率): sumSq = Σ score² gives the within-unit variance. */
export interface ScoreRate extends Rate {
  sumSq: number;
}

/** An appeal (scope 'appeal') or only its rating (scope 'rating') left out of the assessment. */
export interface ExcludedEntry {
  appealId: string;
  reason: ExclusionReason;
  scope: 'appeal' | 'rating';
}

export type FaceCounts = Record<RatingLevel, number>;

export interface UnitFigures {
  key: string;
  /** All appeals of the group in the period, excluded ones included. */
  volume: number;
  /** Appeals that enter the assessment: volume − appeals excluded as a whole. */
  assessed: number;
  /** Every exclusion with its reason, sorted by appeal id. */
  excluded: ExcludedEntry[];
  /** Valid ratings: on assessed appeals and not voided by an upheld 申诉复核. */
  rated: number;
  /** 评价覆盖率: valid ratings / assessed appeals the unit has answered. */
  ratingCoverage: Rate;
  /** 响应率: first contact within the response deadline / assessed appeals whose response is decided. */
  response: Rate;
  /** 解决率: Σ solved score / valid ratings. */
  resolution: ScoreRate;
  /** 满意率: Σ face score / valid ratings. */
  satisfaction: ScoreRate;
  /** 按期办结率: replied within the (extended) handling deadline / assessed appeals whose deadline is decided. */
  onTimeClosure: Rate;
  /** 回退率: assessed appeals returned (退单) at least once / assessed. Lower is better. */
  returnRate: Rate;
  /** 重办率: assessed appeals reopened (重办) at least once / assessed. Lower is better. */
  reopenRate: Rate;
  /** 延期率: assessed appeals with an approved extension (延期) / assessed. Lower is better. */
  extensionRate: Rate;
  /** Event totals behind the three auxiliary rates (an appeal may be returned twice). */
  eventCounts: { returns: number; reopens: number; extensions: number };
  /** 表情包 distribution of the valid ratings. */
  faces: FaceCounts;
  solved: Record<Solved, number>;
  ratingChannels: { web: number; callback: number };
  /** 民标指数 = 100 × (w₁·响应率 + w₂·解决率 + w₃·满意率); null when any of the three has no data. */
  index: { value: number | null; interval95: [number, number] | null };
}

/** Integer sufficient statistics of a group: adding and removing appeals commutes exactly. */
export interface UnitStats {
  volume: number;
  assessed: number;
  /** "appealId\u0000scope\u0000reason" → multiplicity. */
  excluded: Map<string, number>;
  answered: number;
  responseNum: number;
  responseDen: number;
  closureNum: number;
  closureDen: number;
  faces: [number, number, number, number, number]; // index level − 1
  solvedYes: number;
  solvedPartly: number;
  solvedNo: number;
  ratedWeb: number;
  ratedCallback: number;
  returnedAppeals: number;
  reopenedAppeals: number;
  extendedAppeals: number;
  returns: number;
  reopens: number;
  extensions: number;
}

export function emptyStats(): UnitStats {
  return {
    volume: 0,
    assessed: 0,
    excluded: new Map(),
    answered: 0,
    responseNum: 0,
    responseDen: 0,
    closureNum: 0,
    closureDen: 0,
    faces: [0, 0, 0, 0, 0],
    solvedYes: 0,
    solvedPartly: 0,
    solvedNo: 0,
    ratedWeb: 0,
    ratedCallback: 0,
    returnedAppeals: 0,
    reopenedAppeals: 0,
    extendedAppeals: 0,
    returns: 0,
    reopens: 0,
    extensions: 0,
  };
}

/** What one appeal contributes to its group's figures: the drill-down line of the appeal. */
export interface FactContribution {
  appealId: string;
  excluded: ExcludedEntry | null;
  /** Counted in 响应率: 'hit' on time, 'miss' late or never, 'pending' not yet decided, null not assessed. */
  response: 'hit' | 'miss' | 'pending' | null;
  onTimeClosure: 'hit' | 'miss' | 'pending' | null;
  answered: boolean;
  /** Scores of the valid rating, null when there is none. */
  resolutionScore: number | null;
  satisfactionScore: number | null;
  returned: boolean;
  reopened: boolean;
  extended: boolean;
}

function hasTime(t: number | null | undefined): boolean {
  return t !== undefined && t !== null;
}

/**
 * 响应率 outcome. A contact is judged by respondedOnTime. An appeal never contacted is a miss once the
 * response deadline has passed (responseOverdue) or the unit has already replied; until then it is
 * pending and stays out of the denominator, so open appeals do not count against a unit early.
 */
export function responseOutcome(f: AppealFact): 'hit' | 'miss' | 'pending' {
  if (f.respondedOnTime === true) return 'hit';
  if (f.respondedOnTime === false) return 'miss';
  if (f.responseOverdue === true || isAnswered(f)) return 'miss';
  return 'pending';
}

/** 按期办结 outcome: judged by closedOnTime once replied; a miss once the handling deadline passed unreplied. */
export function closureOutcome(f: AppealFact): 'hit' | 'miss' | 'pending' {
  if (f.closedOnTime === true) return 'hit';
  if (f.closedOnTime === false) return 'miss';
  if (f.handleOverdue === true) return 'miss';
  return 'pending';
}

function excludedEntryOf(f: AppealFact): ExcludedEntry | null {
  const reason = exclusionOf(f);
  if (reason !== null) return { appealId: f.appealId, reason, scope: 'appeal' };
  if (f.rating !== null && f.rating.excluded === 'upheld-appeal') {
    return { appealId: f.appealId, reason: 'upheld-rating-appeal', scope: 'rating' };
  }
  return null;
}

/** The drill-down of one appeal: exactly what it adds to each figure of its group. */
export function contributionOf(f: AppealFact, config: MetricsConfig = DEFAULT_METRICS_CONFIG): FactContribution {
  const excluded = excludedEntryOf(f);
  const assessed = exclusionOf(f) === null;
  const rating = validRatingOf(f);
  return {
    appealId: f.appealId,
    excluded,
    response: assessed ? responseOutcome(f) : null,
    onTimeClosure: assessed ? closureOutcome(f) : null,
    answered: assessed && isAnswered(f),
    resolutionScore: rating ? config.solvedWeights[rating.solved] : null,
    satisfactionScore: rating ? config.levelWeights[rating.level] : null,
    returned: assessed && f.returned > 0,
    reopened: assessed && f.reopened > 0,
    extended: assessed && f.extended > 0,
  };
}

function excludedKey(e: ExcludedEntry): string {
  return `${e.appealId}\u0000${e.scope}\u0000${e.reason}`;
}

/** Adds (sign = 1) or removes (sign = −1) one appeal's contribution. O(1). */
export function addToStats(s: UnitStats, f: AppealFact, sign: 1 | -1): void {
  s.volume += sign;
  const ex = excludedEntryOf(f);
  if (ex !== null) {
    const k = excludedKey(ex);
    const m = (s.excluded.get(k) ?? 0) + sign;
    if (m === 0) s.excluded.delete(k);
    else s.excluded.set(k, m);
  }
  if (exclusionOf(f) !== null) return;
  s.assessed += sign;
  if (isAnswered(f)) s.answered += sign;
  const resp = responseOutcome(f);
  if (resp !== 'pending') {
    s.responseDen += sign;
    if (resp === 'hit') s.responseNum += sign;
  }
  const clo = closureOutcome(f);
  if (clo !== 'pending') {
    s.closureDen += sign;
    if (clo === 'hit') s.closureNum += sign;
  }
  if (f.returned > 0) s.returnedAppeals += sign;
  if (f.reopened > 0) s.reopenedAppeals += sign;
  if (f.extended > 0) s.extendedAppeals += sign;
  s.returns += sign * f.returned;
  s.reopens += sign * f.reopened;
  s.extensions += sign * f.extended;
  const r = validRatingOf(f);
  if (r === null) return;
  s.faces[r.level - 1] = s.faces[r.level - 1]! + sign;
  if (r.solved === 'yes') s.solvedYes += sign;
  else if (r.solved === 'partly') s.solvedPartly += sign;
  else s.solvedNo += sign;
  if (r.channel === 'callback') s.ratedCallback += sign;
  else s.ratedWeb += sign;
}

/** A rate from a numerator and denominator, with its Wilson 95 % interval. */
export function makeRate(num: number, den: number): Rate {
  return { num, den, value: den > 0 ? num / den : null, wilson95: wilsonInterval(num, den, Z95) };
}

function scoreRate(counts: readonly number[], weights: readonly number[]): ScoreRate {
  let den = 0;
  let num = 0;
  let sumSq = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    const w = weights[i]!;
    den += c;
    num += c * w;
    sumSq += c * w * w;
  }
  return { ...makeRate(num, den), sumSq };
}

/**
 * Interval of Σ wᵢ·pᵢ (the index) by MOVER (Zou & Donner 2008) from the Wilson limits (lᵢ, uᵢ):
 *   L = θ̂ − √Σ wᵢ²(p̂ᵢ − lᵢ)²,   U = θ̂ + √Σ wᵢ²(uᵢ − p̂ᵢ)².
 * It treats the three rates as independent; 解决率 and 满意率 come from the same ratings and are
 * positively correlated, so this interval is somewhat too narrow — ranking.ts gives the
 * simulation-based interval that the published ranking uses.
 */
function indexOf(parts: { w: number; r: Rate }[]): { value: number | null; interval95: [number, number] | null } {
  let value = 0;
  let lo2 = 0;
  let hi2 = 0;
  for (const { w, r } of parts) {
    if (r.value === null) return { value: null, interval95: null };
    value += w * r.value;
    lo2 += (w * (r.value - r.wilson95[0])) ** 2;
    hi2 += (w * (r.wilson95[1] - r.value)) ** 2;
  }
  return {
    value: 100 * value,
    interval95: [100 * Math.max(0, value - Math.sqrt(lo2)), 100 * Math.min(1, value + Math.sqrt(hi2))],
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The figures of a group from its sufficient statistics. */
export function figuresFromStats(key: string, s: UnitStats, config: MetricsConfig = DEFAULT_METRICS_CONFIG): UnitFigures {
  const excluded: ExcludedEntry[] = [];
  for (const [k, m] of s.excluded) {
    const [appealId, scope, reason] = k.split('\u0000') as [string, 'appeal' | 'rating', ExclusionReason];
    for (let i = 0; i < m; i++) excluded.push({ appealId, reason, scope });
  }
  excluded.sort((a, b) => compareStrings(a.appealId, b.appealId) || compareStrings(a.scope, b.scope) || compareStrings(a.reason, b.reason));
  const lw = config.levelWeights;
  const sw = config.solvedWeights;
  const rated = s.faces[0] + s.faces[1] + s.faces[2] + s.faces[3] + s.faces[4];
  const response = makeRate(s.responseNum, s.responseDen);
  const resolution = scoreRate([s.solvedYes, s.solvedPartly, s.solvedNo], [sw.yes, sw.partly, sw.no]);
  const satisfaction = scoreRate(s.faces, [lw[1], lw[2], lw[3], lw[4], lw[5]]);
  const w = config.weights;
  return {
    key,
    volume: s.volume,
    assessed: s.assessed,
    excluded,
    rated,
    ratingCoverage: makeRate(rated, s.answered),
    response,
    resolution,
    satisfaction,
    onTimeClosure: makeRate(s.closureNum, s.closureDen),
    returnRate: makeRate(s.returnedAppeals, s.assessed),
    reopenRate: makeRate(s.reopenedAppeals, s.assessed),
    extensionRate: makeRate(s.extendedAppeals, s.assessed),
    eventCounts: { returns: s.returns, reopens: s.reopens, extensions: s.extensions },
    faces: { 1: s.faces[0], 2: s.faces[1], 3: s.faces[2], 4: s.faces[3], 5: s.faces[4] },
    solved: { yes: s.solvedYes, partly: s.solvedPartly, no: s.solvedNo },
    ratingChannels: { web: s.ratedWeb, callback: s.ratedCallback },
    index: indexOf([
      { w: w.response, r: response },
      { w: w.resolution, r: resolution },
      { w: w.satisfaction, r: satisfaction },
    ]),
  };
}

export interface FiguresOptions {
  /** The grouping: unit (default), or subtree / region / category / peer group; may return several keys. */
  keyOf?: KeyOf;
}

/** Groups → statistics, the one path shared by the full and the incremental computation. */
export function statsByKey(facts: Iterable<AppealFact>, keyOf: KeyOf = byUnit): Map<string, UnitStats> {
  const groups = new Map<string, UnitStats>();
  for (const f of facts) {
    for (const k of keysOf(keyOf, f)) {
      let s = groups.get(k);
      if (s === undefined) {
        s = emptyStats();
        groups.set(k, s);
      }
      addToStats(s, f, 1);
    }
  }
  return groups;
}

/** Figures of every group, sorted by key. */
export function figuresOfGroups(groups: Map<string, UnitStats>, config: MetricsConfig): UnitFigures[] {
  const keys = [...groups.keys()].sort(compareStrings);
  return keys.map((k) => figuresFromStats(k, groups.get(k)!, config));
}

/** The 民标 figures of every unit (or other group) over a set of appeal facts, sorted by key. */
export function computeUnitFigures(
  facts: Iterable<AppealFact>,
  config: MetricsConfig = DEFAULT_METRICS_CONFIG,
  options: FiguresOptions = {},
): UnitFigures[] {
  return figuresOfGroups(statsByKey(facts, options.keyOf ?? byUnit), config);
}
