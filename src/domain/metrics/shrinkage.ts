// Empirical-Bayes beta-binomial shrinkage within a peer group: a unit with 8 ratings is not ranked
// on the luck of those 8 — its rate is pulled toward the peer mean in proportion to how little it
// tells us, while a unit with 3,000 ratings keeps essentially its own rate (DESIGN.md §6).

import { betaQuantile } from './special.ts';

/** One unit's rate: num successes (may be fractional: a sum of [0, 1] scores) out of den items. */
export interface RateObservation {
  key: string;
  num: number;
  den: number;
  /** Σ score² over the items; equals num for 0/1 outcomes (the default). Used for the within-unit variance. */
  sumSq?: number;
}

/** The fitted prior Beta(α, β) = the peer group's distribution of true rates. */
export interface BetaPrior {
  alpha: number;
  beta: number;
  /** μ = α / (α + β): the pooled peer rate. */
  mean: number;
  /** M = α + β: how many appeals' worth of evidence the prior carries. */
  strength: number;
  /** τ²: estimated variance of the true rates between units (0 when none is detectable). */
  betweenVariance: number;
  /** σ²: estimated per-item variance within a unit. */
  withinVariance: number;
  /** Units with at least one item that informed the fit. */
  units: number;
  /** A guard that fixed the fit, or null when the moment estimate was used as is. */
  guard: null | 'no-between-unit-variance' | 'too-few-units' | 'extreme-mean' | 'strength-floor';
}

export interface ShrinkOptions {
  /** Largest prior strength M (used when no between-unit variance is detectable). Default: N = Σ den. */
  maxStrength?: number;
  /** Smallest prior strength M. Default 1: the prior always counts at least one appeal. */
  minStrength?: number;
}

/**
 * Method-of-moments fit of the prior. With N = Σnᵢ, p̄ = Σxᵢ/N and S = Σ nᵢ(pᵢ − p̄)²,
 *
 *   E[S] = τ²(N − Σnᵢ²/N) + (k − 1)σ²      (independent units, Var pᵢ = τ² + σ²/nᵢ)
 *   σ̂²  = Σ(sumSqᵢ − xᵢ²/nᵢ) / (N − k)     (pooled within-unit variance; = p̄(1−p̄)-like for 0/1 data)
 *   τ̂²  = (S − (k − 1)σ̂²) / (N − Σnᵢ²/N)
 *   M   = p̄(1 − p̄)/τ̂² − 1,  α = p̄M,  β = (1 − p̄)M
 *
 * Guards: τ̂² ≤ 0 (the spread between units is no more than chance) → M = maxStrength, i.e. full
 * pooling bounded by the data's own size; fewer than 2 informative units → M = minStrength (no
 * shrinkage to speak of); p̄ of exactly 0 or 1 → p̄ = (Σx + ½)/(N + 1) so the prior is proper.
 */
export function fitBetaPrior(obs: readonly RateObservation[], options: ShrinkOptions = {}): BetaPrior {
  const used = obs.filter((o) => o.den > 0);
  const k = used.length;
  let N = 0;
  let X = 0;
  let sumN2 = 0;
  let withinSS = 0;
  for (const o of used) {
    N += o.den;
    X += o.num;
    sumN2 += o.den * o.den;
    const sq = o.sumSq ?? o.num;
    withinSS += Math.max(0, sq - (o.num * o.num) / o.den);
  }
  const minStrength = Math.max(options.minStrength ?? 1, 1e-6); // a proper prior needs α, β > 0
  const maxStrength = Math.max(minStrength, options.maxStrength ?? N);
  let guard: BetaPrior['guard'] = null;
  let mean = N > 0 ? X / N : 0.5;
  if (mean <= 0 || mean >= 1) {
    mean = (X + 0.5) / (N + 1);
    guard = 'extreme-mean';
  }
  const binVar = mean * (1 - mean);
  let S = 0;
  for (const o of used) S += o.den * (o.num / o.den - X / Math.max(N, 1)) ** 2;
  // Within variance: pooled when some unit has two items or more; else the 0/1 bound μ(1−μ).
  const sigma2 = N - k > 0 ? withinSS / (N - k) : binVar;
  let tau2 = 0;
  let strength: number;
  if (k < 2) {
    strength = minStrength;
    guard = 'too-few-units';
  } else {
    const denom = N - sumN2 / N;
    tau2 = denom > 0 ? (S - (k - 1) * sigma2) / denom : 0;
    if (!(tau2 > 0)) {
      tau2 = 0;
      strength = maxStrength;
      guard = guard ?? 'no-between-unit-variance';
    } else {
      strength = binVar / tau2 - 1;
      if (strength > maxStrength) strength = maxStrength;
      if (!(strength >= minStrength)) {
        strength = minStrength;
        guard = guard ?? 'strength-floor';
      }
    }
  }
  return {
    alpha: mean * strength,
    beta: (1 - mean) * strength,
    mean,
    strength,
    betweenVariance: tau2,
    withinVariance: sigma2,
    units: k,
    guard,
  };
}

export interface ShrunkRate {
  key: string;
  num: number;
  den: number;
  /** The unit's own rate num/den, null without data. */
  raw: number | null;
  /** Posterior Beta(a, b) = Beta(α + x, β + n − x). */
  a: number;
  b: number;
  /** Posterior mean (α + x)/(M + n): the 调整后 (shrunk) rate. */
  mean: number;
  /** Equal-tailed 95 % credible interval: the 2.5 % and 97.5 % quantiles of the posterior. */
  interval95: [number, number];
  /** B = M/(M + n): the share of the estimate that comes from the peer mean. */
  shrinkage: number;
}

/** The posterior of one unit under a prior. */
export function posteriorOf(o: RateObservation, prior: BetaPrior): ShrunkRate {
  const a = prior.alpha + o.num;
  const b = prior.beta + (o.den - o.num);
  return {
    key: o.key,
    num: o.num,
    den: o.den,
    raw: o.den > 0 ? o.num / o.den : null,
    a,
    b,
    mean: a / (a + b),
    interval95: [betaQuantile(0.025, a, b), betaQuantile(0.975, a, b)],
    shrinkage: prior.strength / (prior.strength + o.den),
  };
}

/** Fits the peer group's prior and returns every unit's shrunk rate (in input order). */
export function shrinkRates(
  obs: readonly RateObservation[],
  options: ShrinkOptions = {},
): { prior: BetaPrior; units: ShrunkRate[] } {
  const prior = fitBetaPrior(obs, options);
  return { prior, units: obs.map((o) => posteriorOf(o, prior)) };
}
