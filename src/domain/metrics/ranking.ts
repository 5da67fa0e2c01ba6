// Ranks with honest intervals: draw every unit's true rate from its posterior many times (seeded),
// rank the units in each draw, and report the spread of each unit's rank. A unit whose interval
// contains the peer median is flagged as not distinguishable from it — it should not be named
// "best" or "worst" in a 通报.

import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './config.ts';
import { Rng } from './prng.ts';
import type { UnitFigures } from './rates.ts';
import { shrinkRates, type BetaPrior, type RateObservation, type ShrinkOptions, type ShrunkRate } from './shrinkage.ts';

/** One Beta posterior entering a unit's score with a weight. */
export interface PosteriorComponent {
  a: number;
  b: number;
  weight: number;
}

/** A unit to rank: its score is scale × Σ weight·θ with each θ ~ Beta(a, b), independent. */
export interface RankSubject {
  key: string;
  components: readonly PosteriorComponent[];
}

export interface RankOptions {
  /** Number of simulated draws (default 2000). */
  draws?: number;
  /** Seed of the PRNG (default 1); the same seed gives the same intervals. */
  seed?: number | string;
  /** Multiplies the score (100 for the 民标指数). Default 1. */
  scale?: number;
  /** Rank 1 is the highest score (default) or the lowest (for 回退率 and the like). */
  higherIsBetter?: boolean;
}

export interface RankedUnit {
  key: string;
  /** Posterior mean of the score: scale × Σ weight·a/(a + b). */
  estimate: number;
  /** 95 % interval of the score from the draws (2.5 % and 97.5 % quantiles). */
  interval95: [number, number];
  /** Rank of the estimate among the units (1 = best; equal estimates share the best rank). */
  rank: number;
  /** Median of the simulated ranks. */
  medianRank: number;
  /** 95 % interval of the simulated ranks. */
  rankInterval95: [number, number];
  /** Share of draws in which the unit is best / worst. */
  pBest: number;
  pWorst: number;
  /** 95 % interval of (unit's score − median of all units' scores), draw by draw. */
  diffFromMedian95: [number, number];
  /** Share of draws in which the unit is better than the peer median. */
  pBetterThanMedian: number;
  /**
   * True when diffFromMedian95 contains 0: in at least 2.5 % of the draws the unit is on each side
   * of the peer median, so the data cannot tell it apart from a middling unit.
   */
  notDistinguishableFromMedian: boolean;
}

/**
 * In-place ascending sort of a Float64Array (quicksort, median of three, insertion sort for short
 * runs). V8's TypedArray#sort boxes every element; this one allocates nothing, which matters when
 * thousands of draws are sorted for every unit.
 */
export function sortFloat64(a: Float64Array, from = 0, to = a.length): Float64Array {
  let lo = from;
  let hi = to - 1;
  const stack: number[] = [];
  for (;;) {
    while (hi - lo > 16) {
      const mid = (lo + hi) >>> 1;
      // Median of three to the middle, then Hoare partition around it.
      if (a[mid]! < a[lo]!) swap(a, mid, lo);
      if (a[hi]! < a[lo]!) swap(a, hi, lo);
      if (a[hi]! < a[mid]!) swap(a, hi, mid);
      const pivot = a[mid]!;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (a[i]! < pivot) i++;
        while (a[j]! > pivot) j--;
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      // Recurse into the smaller side later, loop on the larger: the stack stays O(log n).
      if (j - lo < hi - i) {
        stack.push(i, hi);
        hi = j;
      } else {
        stack.push(lo, j);
        lo = i;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const v = a[i]!;
      let j = i - 1;
      while (j >= lo && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
    if (stack.length === 0) return a;
    lo = stack[stack.length - 2]!;
    hi = stack[stack.length - 1]!;
    stack.length -= 2;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Type-7 quantile (linear interpolation) of sorted values. */
function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Number of values in ascending `sorted` that are ≤ v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values in ascending `sorted` that are < v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function byKey<T extends { key: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/**
 * Draws every component of every unit: result[i][c][d] is draw d of unit i's component c.
 * The PRNG is consumed draw by draw, unit by unit (sorted by key), component by component, so the
 * same seed and the same posteriors always give the same numbers.
 */
function drawComponents(units: readonly RankSubject[], draws: number, rng: Rng): Float64Array[][] {
  const out = units.map((u) => u.components.map(() => new Float64Array(draws)));
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < units.length; i++) {
      const cs = units[i]!.components;
      for (let c = 0; c < cs.length; c++) out[i]![c]![d] = rng.beta(cs[c]!.a, cs[c]!.b);
    }
  }
  return out;
}

/** Type-7 quantile of integer ranks 1..K given as counts (counts[r] = draws with rank r). */
function quantileOfCounts(counts: Int32Array, total: number, q: number): number {
  const h = (total - 1) * q;
  const lo = Math.floor(h);
  const at = (pos: number) => {
    let cum = 0;
    for (let r = 1; r < counts.length; r++) {
      cum += counts[r]!;
      if (cum > pos) return r;
    }
    return counts.length - 1;
  };
  const vlo = at(lo);
  const vhi = h > lo ? at(lo + 1) : vlo;
  return vlo + (h - lo) * (vhi - vlo);
}

/** Ranks, intervals and the median flag from simulated scores (values[i][d]) and point estimates. */
function rankFromDraws(keys: readonly string[], estimates: readonly number[], values: readonly Float64Array[], higherIsBetter: boolean): RankedUnit[] {
  const K = keys.length;
  if (K === 0) return [];
  const draws = values[0]!.length;
  const sign = higherIsBetter ? 1 : -1;
  // Ranks are integers 1..K: a histogram per unit instead of 2000 stored ranks to sort.
  const rankCounts = keys.map(() => new Int32Array(K + 1));
  const diffs = keys.map(() => new Float64Array(draws));
  const best = new Int32Array(K);
  const worst = new Int32Array(K);
  const better = new Int32Array(K);
  const sorted = new Float64Array(K);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < K; i++) sorted[i] = values[i]![d]!;
    sortFloat64(sorted);
    const med = quantileSorted(sorted, 0.5);
    for (let i = 0; i < K; i++) {
      const v = values[i]![d]!;
      const below = lowerBound(sorted, v); // strictly lower scores
      const above = K - upperBound(sorted, v); // strictly higher scores
      // Rank = 1 + the number of units strictly better in this draw (ties share the better rank).
      const rank = 1 + (higherIsBetter ? above : below);
      rankCounts[i]![rank]!++;
      if (rank === 1) best[i]!++;
      if ((higherIsBetter ? below : above) === 0) worst[i]!++;
      const diff = v - med;
      diffs[i]![d] = diff;
      if (sign * diff > 0) better[i]!++;
    }
  }
  return keys.map((key, i) => {
    const v = sortFloat64(values[i]!.slice());
    const df = sortFloat64(diffs[i]!);
    const est = estimates[i]!;
    const dlo = quantileSorted(df, 0.025);
    const dhi = quantileSorted(df, 0.975);
    const rc = rankCounts[i]!;
    return {
      key,
      estimate: est,
      interval95: [quantileSorted(v, 0.025), quantileSorted(v, 0.975)],
      rank: 1 + estimates.filter((e) => sign * (e - est) > 0).length,
      medianRank: quantileOfCounts(rc, draws, 0.5),
      rankInterval95: [quantileOfCounts(rc, draws, 0.025), quantileOfCounts(rc, draws, 0.975)],
      pBest: best[i]! / draws,
      pWorst: worst[i]! / draws,
      diffFromMedian95: [dlo, dhi],
      pBetterThanMedian: better[i]! / draws,
      notDistinguishableFromMedian: dlo <= 0 && dhi >= 0,
    };
  });
}

/** scale × Σ weight·draws, per unit. */
function combine(units: readonly RankSubject[], draws: Float64Array[][], scale: number, weights?: readonly number[]): Float64Array[] {
  return units.map((u, i) => {
    const n = draws[i]![0]?.length ?? 0;
    const out = new Float64Array(n);
    u.components.forEach((c, k) => {
      const w = scale * (weights ? weights[k]! : c.weight);
      if (w === 0) return;
      const dk = draws[i]![k]!;
      for (let d = 0; d < n; d++) out[d] = out[d]! + w * dk[d]!;
    });
    return out;
  });
}

function estimateOf(u: RankSubject, scale: number, weights?: readonly number[]): number {
  return scale * u.components.reduce((s, c, k) => s + ((weights ? weights[k]! : c.weight) * c.a) / (c.a + c.b), 0);
}

/** Simulated ranks of the subjects (returned sorted by key; the draws never depend on input order). */
export function simulateRanks(subjects: readonly RankSubject[], options: RankOptions = {}): RankedUnit[] {
  const draws = options.draws ?? 2000;
  const scale = options.scale ?? 1;
  const units = byKey(subjects);
  const sim = drawComponents(units, draws, new Rng(options.seed ?? 1));
  return rankFromDraws(
    units.map((u) => u.key),
    units.map((u) => estimateOf(u, scale)),
    combine(units, sim, scale),
    options.higherIsBetter !== false,
  );
}

export type CoreRate = 'response' | 'resolution' | 'satisfaction';
const CORE_RATES: readonly CoreRate[] = ['response', 'resolution', 'satisfaction'];

export interface PeerRankedUnit {
  key: string;
  raw: { response: number | null; resolution: number | null; satisfaction: number | null; index: number | null };
  shrunk: Record<CoreRate, ShrunkRate>;
  /** The 民标指数 ranking: 100 × Σ wᵢ·θᵢ with each θᵢ drawn from the unit's shrunk posterior. */
  index: RankedUnit;
  /** Each rate's own ranking (null when rankPeerGroup was asked for the index only). */
  rates: Record<CoreRate, RankedUnit> | null;
}

export interface PeerRanking {
  priors: Record<CoreRate, BetaPrior>;
  units: PeerRankedUnit[];
  /** Units not ranked, with why: a unit with no valid rating has no 解决率 or 满意率 of its own. */
  unranked: { key: string; reason: 'no-valid-ratings' | 'no-response-data' }[];
}

function observation(f: UnitFigures, rate: CoreRate): RateObservation {
  const r = f[rate];
  return { key: f.key, num: r.num, den: r.den, sumSq: 'sumSq' in r ? (r as { sumSq: number }).sumSq : r.num };
}

/**
 * The full fair comparison of one peer group: shrink the three rates toward the peer means, then rank
 * the 民标指数 and each rate by simulation. Only units with data on all three rates are ranked and
 * inform the priors.
 */
export function rankPeerGroup(
  figures: readonly UnitFigures[],
  config: MetricsConfig = DEFAULT_METRICS_CONFIG,
  options: RankOptions & ShrinkOptions & { rankRates?: boolean } = {},
): PeerRanking {
  const unranked: PeerRanking['unranked'] = [];
  const ranked: UnitFigures[] = [];
  for (const f of [...figures].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))) {
    if (f.rated === 0) unranked.push({ key: f.key, reason: 'no-valid-ratings' });
    else if (f.response.den === 0) unranked.push({ key: f.key, reason: 'no-response-data' });
    else ranked.push(f);
  }
  const shrinkOpts: ShrinkOptions = {};
  if (options.maxStrength !== undefined) shrinkOpts.maxStrength = options.maxStrength;
  if (options.minStrength !== undefined) shrinkOpts.minStrength = options.minStrength;
  const priors = {} as Record<CoreRate, BetaPrior>;
  const shrunk = {} as Record<CoreRate, ShrunkRate[]>;
  for (const rate of CORE_RATES) {
    const s = shrinkRates(
      ranked.map((f) => observation(f, rate)),
      shrinkOpts,
    );
    priors[rate] = s.prior;
    shrunk[rate] = s.units;
  }
  const w = config.weights;
  // One set of posterior draws serves the index and the three rates, so their rank intervals agree.
  const subjects: RankSubject[] = ranked.map((f, i) => ({
    key: f.key,
    components: CORE_RATES.map((rate) => ({ a: shrunk[rate][i]!.a, b: shrunk[rate][i]!.b, weight: w[rate] })),
  }));
  const sim = drawComponents(subjects, options.draws ?? 2000, new Rng(options.seed ?? 1));
  const keys = subjects.map((u) => u.key);
  const index = rankFromDraws(keys, subjects.map((u) => estimateOf(u, 100)), combine(subjects, sim, 100), true);
  const perRate = {} as Record<CoreRate, RankedUnit[]>;
  // Each rate's ranking costs as much as the index's; a caller that shows only the index can skip them.
  if (options.rankRates !== false) CORE_RATES.forEach((rate, k) => {
    const only = CORE_RATES.map((_, j) => (j === k ? 1 : 0));
    perRate[rate] = rankFromDraws(keys, subjects.map((u) => estimateOf(u, 1, only)), combine(subjects, sim, 1, only), true);
  });
  // `ranked` is sorted by key, and so is every result above.
  const units = ranked.map((f, i) => ({
    key: f.key,
    raw: { response: f.response.value, resolution: f.resolution.value, satisfaction: f.satisfaction.value, index: f.index.value },
    shrunk: { response: shrunk.response[i]!, resolution: shrunk.resolution[i]!, satisfaction: shrunk.satisfaction[i]! },
    index: index[i]!,
    rates:
      options.rankRates === false
        ? null
        : { response: perRate.response[i]!, resolution: perRate.resolution[i]!, satisfaction: perRate.satisfaction[i]! },
  }));
  return { priors, units, unranked };
}
