// 潜绩 — latent results: what a unit's counts do not show. A unit that "closes" appeals quickly
// but sees the same citizen or the same street corner come back has not solved anything.

import { byUnit, exclusionOf, keysOf, type AppealFact, type KeyOf } from './facts.ts';
import { makeRate, type Rate } from './rates.ts';
import { wilsonInterval, Z95 } from './wilson.ts';

export const DAY_MS = 86_400_000;

/** Is `later` about the same matter as `earlier`? (injected: e.g. SimHash similarity of the texts.) */
export type SimilarityPredicate = (earlier: AppealFact, later: AppealFact) => boolean;

/** The default: the same category. */
export const sameCategory: SimilarityPredicate = (a, b) => a.categoryId === b.categoryId;

export interface RepeatOptions {
  keyOf?: KeyOf;
  /** The follow-up window after closure, in days (default 90). */
  windowDays?: number;
  isSimilar?: SimilarityPredicate;
  /**
   * The time up to which later appeals are known. A closed appeal whose window has not ended by then
   * is left out (its outcome is not yet known). Omitted: every closed appeal is judged.
   */
  observedUntil?: number;
}

export interface RepeatMatch {
  appealId: string;
  /** The later appeals that repeat it, sorted by id. */
  followedBy: string[];
  /** How the first match was found: the same citizen, or the same place (in the same township) and category. */
  via: 'citizen' | 'place';
}

export interface RepeatFigures {
  key: string;
  /** 重复诉求率: closed appeals with a repeat within the window / closed appeals judged. */
  rate: Rate;
  repeats: RepeatMatch[];
  /** Closed appeals whose window is still open at observedUntil. */
  pending: number;
}

/**
 * 重复诉求率 (repeat-appeal rate). For each assessed appeal of the unit closed at time c, it is a
 * repeat if some other appeal b was created in (c, c + window] and either
 *   - b has the same citizenKey and isSimilar(a, b), or
 *   - b is about the same place — the same township (regionCode) and the same placeKey (one compound,
 *     village, school, or road and house number) — and has the same category.
 * An appeal without a placeKey (no specific place named) can only be repeated by the same citizen: two
 * appeals that only share a township or a street are not the same matter (docs/metrics.md).
 * `closed` are the period's appeals to judge; `later` are all appeals that may follow them (they may
 * belong to any unit and should cover the window after the period's end).
 */
export function repeatAppealRates(
  closed: readonly AppealFact[],
  later: readonly AppealFact[],
  options: RepeatOptions = {},
): RepeatFigures[] {
  const windowMs = (options.windowDays ?? 90) * DAY_MS;
  const isSimilar = options.isSimilar ?? sameCategory;
  const keyOf = options.keyOf ?? byUnit;
  const byCitizen = new Map<string, AppealFact[]>();
  const byPlace = new Map<string, AppealFact[]>();
  for (const b of later) {
    if (b.citizenKey) push(byCitizen, b.citizenKey, b);
    if (b.placeKey) push(byPlace, placeGroup(b), b);
  }
  const groups = new Map<string, { num: number; den: number; pending: number; repeats: RepeatMatch[] }>();
  const sorted = [...closed].sort((x, y) => cmp(x.appealId, y.appealId));
  for (const a of sorted) {
    if (exclusionOf(a) !== null || a.status !== 'closed' || a.closedAt === undefined || a.closedAt === null) continue;
    const c = a.closedAt;
    const end = c + windowMs;
    const pending = options.observedUntil !== undefined && end > options.observedUntil;
    const seenUntil = options.observedUntil === undefined ? end : Math.min(end, options.observedUntil);
    const inWindow = (b: AppealFact) => b.appealId !== a.appealId && b.createdAt > c && b.createdAt <= seenUntil;
    const viaCitizen = a.citizenKey ? (byCitizen.get(a.citizenKey) ?? []).filter((b) => inWindow(b) && isSimilar(a, b)) : [];
    const viaPlace = a.placeKey ? (byPlace.get(placeGroup(a)) ?? []).filter(inWindow) : [];
    const followers = [...new Set([...viaCitizen, ...viaPlace].map((b) => b.appealId))].sort(cmp);
    for (const k of keysOf(keyOf, a)) {
      let g = groups.get(k);
      if (g === undefined) {
        g = { num: 0, den: 0, pending: 0, repeats: [] };
        groups.set(k, g);
      }
      // A repeat already seen counts even while the window is open; only the undecided ones wait.
      if (pending && followers.length === 0) {
        g.pending++;
        continue;
      }
      g.den++;
      if (followers.length > 0) {
        g.num++;
        g.repeats.push({ appealId: a.appealId, followedBy: followers, via: viaCitizen.length > 0 ? 'citizen' : 'place' });
      }
    }
  }
  return [...groups.keys()].sort(cmp).map((key) => {
    const g = groups.get(key)!;
    return { key, rate: makeRate(g.num, g.den), repeats: g.repeats, pending: g.pending };
  });
}

export interface SourceGovernanceInput {
  key: string;
  /** Appeals received in the period from the unit's jurisdiction. */
  count: number;
  population: number;
  /** The same period a year earlier. */
  countLastYear: number;
  populationLastYear: number;
}

export interface SourceGovernance {
  key: string;
  /** 万人诉求量: appeals per 10,000 residents in the period. */
  per10k: number | null;
  per10kLastYear: number | null;
  /** per10k − per10kLastYear; negative means fewer appeals at the source (better). */
  change: number | null;
  /** per10k / per10kLastYear, with a 95 % interval. */
  ratio: number | null;
  ratio95: [number, number] | null;
}

/**
 * 源头治理 — appeals per 10,000 residents against the same period a year earlier.
 * The interval of the rate ratio R = (X₁/P₁)/(X₀/P₀) conditions on the total: X₁ | X₁ + X₀ is
 * binomial with π = R·P₁ / (R·P₁ + P₀), so the Wilson interval (π_lo, π_hi) of X₁/(X₁ + X₀) maps to
 * R = π/(1 − π) · P₀/P₁ (Poisson counts assumed).
 */
export function sourceGovernance(input: SourceGovernanceInput): SourceGovernance {
  const per = (c: number, p: number) => (p > 0 ? (c / p) * 10_000 : null);
  const per10k = per(input.count, input.population);
  const per10kLastYear = per(input.countLastYear, input.populationLastYear);
  let ratio: number | null = null;
  let ratio95: [number, number] | null = null;
  if (per10k !== null && per10kLastYear !== null && per10kLastYear > 0) {
    ratio = per10k / per10kLastYear;
    const total = input.count + input.countLastYear;
    const [lo, hi] = wilsonInterval(input.count, total, Z95);
    const k = input.populationLastYear / input.population;
    ratio95 = [(lo / (1 - lo)) * k, hi >= 1 ? Infinity : (hi / (1 - hi)) * k];
  }
  return {
    key: input.key,
    per10k,
    per10kLastYear,
    change: per10k !== null && per10kLastYear !== null ? per10k - per10kLastYear : null,
    ratio,
    ratio95,
  };
}

/** 热点化解 — filled once the hotspot module exists: hotspots whose volume halved within 60 days of the unit's intervention. */
export interface HotspotsResolved {
  hotspots: number;
  resolved: number;
  rate: Rate;
  hotspotIds: string[];
}

/** 安全感·满意度 survey index of the unit's region — filled by the survey module (a later issue). */
export interface SurveyIndex {
  /** 0–100. */
  value: number;
  respondents: number;
  interval95: [number, number] | null;
  surveyId: string;
}

/** The 潜绩 of a unit; a slot is null until its source exists. */
export interface LatentFigures {
  key: string;
  repeat: RepeatFigures | null;
  sourceGovernance: SourceGovernance | null;
  hotspotsResolved: HotspotsResolved | null;
  surveyIndex: SurveyIndex | null;
}

/** Puts the latent figures of each unit together (units present in any input). */
export function latentFigures(parts: {
  repeat?: readonly RepeatFigures[];
  sourceGovernance?: readonly SourceGovernance[];
  hotspotsResolved?: ReadonlyMap<string, HotspotsResolved>;
  surveyIndex?: ReadonlyMap<string, SurveyIndex>;
}): LatentFigures[] {
  const keys = new Set<string>();
  const rep = new Map((parts.repeat ?? []).map((r) => [r.key, r] as const));
  const sg = new Map((parts.sourceGovernance ?? []).map((r) => [r.key, r] as const));
  for (const k of rep.keys()) keys.add(k);
  for (const k of sg.keys()) keys.add(k);
  for (const k of parts.hotspotsResolved?.keys() ?? []) keys.add(k);
  for (const k of parts.surveyIndex?.keys() ?? []) keys.add(k);
  return [...keys].sort(cmp).map((key) => ({
    key,
    repeat: rep.get(key) ?? null,
    sourceGovernance: sg.get(key) ?? null,
    hotspotsResolved: parts.hotspotsResolved?.get(key) ?? null,
    surveyIndex: parts.surveyIndex?.get(key) ?? null,
  }));
}

/** Same township, same place, same category. */
function placeGroup(f: AppealFact): string {
  return `${f.regionCode}\u0000${f.placeKey}\u0000${f.categoryId}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const arr = m.get(k);
  if (arr === undefined) m.set(k, [v]);
  else arr.push(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
