// Post-stratified estimates of the 群众安全感·政法队伍满意度 survey (pure; docs/participation.md §4).
//
// Every respondent belongs to a stratum h = (weighting region r, age group a, sex s). The admin enters
// the population N_h of every age × sex cell of a region (the margins). The estimate of a mean score is
//
//     ȳ_PS = Σ_h W_h · ȳ_h,     W_h = (N_r / N) · (N_h / N_r*)
//
// where ȳ_h is the plain mean of the n_h respondents of the stratum, N_r the population of region r,
// N the population of the regions that have respondents, and N_r* the population of the cells of r
// that have respondents (an empty cell's share is spread over the other cells of its region in
// proportion: the ratio adjustment). Equivalently each respondent carries the weight w_i = W_h·N / n_h
// and ȳ_PS = Σ w_i y_i / Σ w_i.
//
// Variance (the stratified-sampling / linearisation variance of the post-stratified mean, conditional
// on the achieved cell sizes, populations large enough to ignore the finite-population correction):
//
//     v(ȳ_PS) = Σ_h W_h² · s_h² / n_h,     s_h² = Σ_{i∈h} (y_i − ȳ_h)² / (n_h − 1)
//
// A stratum with a single respondent has no s_h²: it borrows the pooled within-stratum variance
// s_p² = Σ_h (n_h − 1)·s_h² / Σ_h (n_h − 1) over the strata with n_h ≥ 2. The 95% interval is
// ȳ_PS ± 1.96·√v, clipped to [0, 100]. Kish's effective sample size n_eff = (Σw)² / Σw² and the design
// effect of weighting deff = n / n_eff are reported beside it.
//
// Without margins the estimate is the plain mean with v = s² / n (simple random sampling).

export const Z95 = 1.959963984540054;

export interface MarginCell {
  /** The weighting region (GB/T 2260 code) whose margins these are. */
  regionCode: string;
  ageGroup: string;
  sex: string;
  population: number;
}

export interface Observation {
  /** The weighting region the respondent is counted in (see `assignWeightingRegion`). */
  regionCode: string;
  ageGroup: string;
  sex: string;
  /** The respondent's score 0..100, or null when the respondent gave no scored answer. */
  y: number | null;
}

export interface StratumSummary {
  regionCode: string;
  ageGroup: string;
  sex: string;
  population: number;
  respondents: number;
  mean: number | null;
  /** Within-stratum sample variance (n−1 denominator); null when fewer than two respondents. */
  variance: number | null;
  /** W_h: the stratum's share of the population after the ratio adjustment for empty cells. */
  share: number;
  /** w_i of each respondent of the stratum. */
  weight: number;
}

export interface Estimate {
  /** 'post-stratified' when every observation met a margin cell; 'none' when no margins apply. */
  weighting: 'post-stratified' | 'none';
  value: number | null;
  se: number | null;
  interval95: [number, number] | null;
  /** Respondents with a score that entered the estimate. */
  respondents: number;
  /** Unweighted mean of those respondents (for comparison). */
  unweighted: number | null;
  /** Kish effective sample size (Σw)²/Σw²; equals n without weighting. */
  effectiveN: number | null;
  /** n / n_eff. */
  designEffect: number | null;
  /** Pooled within-stratum variance used for single-respondent strata. */
  pooledVariance: number | null;
  strata: StratumSummary[];
  /** Cells with population but no respondent (their share went to the other cells of the region). */
  emptyCells: { regionCode: string; ageGroup: string; sex: string; population: number }[];
  /** Respondents whose cell has no population in the margins: left out of the weighted estimate. */
  unmatched: number;
}

const key = (r: string, a: string, s: string) => `${r}\u0000${a}\u0000${s}`;

function ci(value: number, se: number): [number, number] {
  return [Math.max(0, value - Z95 * se), Math.min(100, value + Z95 * se)];
}

/** Plain mean and its simple-random-sampling interval (no margins). */
export function unweightedEstimate(obs: readonly Observation[]): Estimate {
  const ys = obs.map((o) => o.y).filter((y): y is number => y !== null);
  const n = ys.length;
  if (n === 0) return emptyEstimate('none');
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const s2 = n >= 2 ? ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (n - 1) : null;
  const se = s2 === null ? null : Math.sqrt(s2 / n);
  return {
    weighting: 'none',
    value: mean,
    se,
    interval95: se === null ? null : ci(mean, se),
    respondents: n,
    unweighted: mean,
    effectiveN: n,
    designEffect: 1,
    pooledVariance: s2,
    strata: [],
    emptyCells: [],
    unmatched: 0,
  };
}

function emptyEstimate(weighting: Estimate['weighting']): Estimate {
  return {
    weighting,
    value: null,
    se: null,
    interval95: null,
    respondents: 0,
    unweighted: null,
    effectiveN: null,
    designEffect: null,
    pooledVariance: null,
    strata: [],
    emptyCells: [],
    unmatched: 0,
  };
}

/**
 * The post-stratified mean of `obs` with the margins `cells`. Regions of `cells` without any
 * respondent are left out (the estimate describes the regions that were surveyed); observations whose
 * region has no margins at all must not be passed (use `unweightedEstimate` for those).
 */
export function postStratifiedEstimate(obs: readonly Observation[], cells: readonly MarginCell[]): Estimate {
  const pop = new Map<string, MarginCell>();
  for (const c of cells) pop.set(key(c.regionCode, c.ageGroup, c.sex), c);

  // Group the scored respondents by stratum.
  const groups = new Map<string, number[]>();
  let unmatched = 0;
  for (const o of obs) {
    if (o.y === null) continue;
    const k = key(o.regionCode, o.ageGroup, o.sex);
    const c = pop.get(k);
    if (!c || !(c.population > 0)) {
      unmatched++;
      continue;
    }
    const g = groups.get(k);
    if (g) g.push(o.y);
    else groups.set(k, [o.y]);
  }
  if (groups.size === 0) return { ...emptyEstimate('post-stratified'), unmatched };

  // Region totals: all cells (N_r) and the cells that have respondents (N_r*).
  const regionAll = new Map<string, number>();
  const regionCovered = new Map<string, number>();
  for (const c of cells) regionAll.set(c.regionCode, (regionAll.get(c.regionCode) ?? 0) + Math.max(0, c.population));
  for (const k of groups.keys()) {
    const c = pop.get(k)!;
    regionCovered.set(c.regionCode, (regionCovered.get(c.regionCode) ?? 0) + c.population);
  }
  let total = 0;
  for (const r of regionCovered.keys()) total += regionAll.get(r) ?? 0;

  const emptyCells: Estimate['emptyCells'] = [];
  for (const c of cells) {
    if (c.population > 0 && regionCovered.has(c.regionCode) && !groups.has(key(c.regionCode, c.ageGroup, c.sex))) {
      emptyCells.push({ regionCode: c.regionCode, ageGroup: c.ageGroup, sex: c.sex, population: c.population });
    }
  }

  const strata: StratumSummary[] = [];
  let pooledNum = 0;
  let pooledDen = 0;
  let n = 0;
  let sumY = 0;
  for (const [k, ys] of groups) {
    const c = pop.get(k)!;
    const nh = ys.length;
    const mean = ys.reduce((a, b) => a + b, 0) / nh;
    const variance = nh >= 2 ? ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (nh - 1) : null;
    if (variance !== null) {
      pooledNum += (nh - 1) * variance;
      pooledDen += nh - 1;
    }
    const share = ((regionAll.get(c.regionCode) ?? 0) / total) * (c.population / regionCovered.get(c.regionCode)!);
    strata.push({ regionCode: c.regionCode, ageGroup: c.ageGroup, sex: c.sex, population: c.population, respondents: nh, mean, variance, share, weight: (share * total) / nh });
    n += nh;
    for (const y of ys) sumY += y;
  }
  strata.sort((a, b) => (a.regionCode + a.ageGroup + a.sex < b.regionCode + b.ageGroup + b.sex ? -1 : 1));
  const pooled = pooledDen > 0 ? pooledNum / pooledDen : null;

  let value = 0;
  let v = 0;
  let varianceKnown = true;
  let sw = 0;
  let sw2 = 0;
  for (const h of strata) {
    value += h.share * h.mean!;
    const s2 = h.variance ?? pooled;
    if (s2 === null) varianceKnown = false;
    else v += (h.share * h.share * s2) / h.respondents;
    sw += h.weight * h.respondents;
    sw2 += h.weight * h.weight * h.respondents;
  }
  const se = varianceKnown ? Math.sqrt(v) : null;
  const effectiveN = (sw * sw) / sw2;
  return {
    weighting: 'post-stratified',
    value,
    se,
    interval95: se === null ? null : ci(value, se),
    respondents: n,
    unweighted: sumY / n,
    effectiveN,
    designEffect: n / effectiveN,
    pooledVariance: pooled,
    strata,
    emptyCells,
    unmatched,
  };
}

/**
 * The weighting region of a respondent: the longest region code among `marginRegions` whose prefix
 * (the code without trailing "00" pairs) starts the respondent's region code; null when none does.
 */
export function assignWeightingRegion(regionCode: string, marginRegions: readonly string[]): string | null {
  let best: string | null = null;
  let bestLen = -1;
  for (const r of marginRegions) {
    const p = regionPrefix(r);
    if (regionCode.startsWith(p) && p.length > bestLen) {
      best = r;
      bestLen = p.length;
    }
  }
  return best;
}

/** A region code without its trailing "00" pairs: 361200 → 3612, 361202 → 361202, 361202001 stays. */
export function regionPrefix(code: string): string {
  return code.length === 6 ? code.replace(/(00)+$/, '') : code;
}

/** True when `code` lies inside the region `within` (same code, or a sub-region of it). */
export function regionWithin(code: string, within: string): boolean {
  return code.startsWith(regionPrefix(within));
}
