// Case mix (indirect standardisation): a unit that receives mostly hard cases — labour disputes by
// hotline rather than consultations on the web — should be compared with what its peers achieve on
// the same mix, not with the peers' overall rate.

import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './config.ts';
import { byUnit, keysOf, type AppealFact, type KeyOf } from './facts.ts';
import { contributionOf } from './rates.ts';
import { wilsonInterval, Z95 } from './wilson.ts';

/** The figures that can be standardised, each item's score in [0, 1]. */
export type CaseMixMetric = 'response' | 'resolution' | 'satisfaction' | 'onTimeClosure';

/** A stratum: category × type × channel. */
export function stratumOf(f: AppealFact): string {
  return `${f.categoryId}|${f.type}|${f.channel}`;
}

/** The item score an appeal contributes to a metric, or null when it is not in that metric's denominator. */
export function metricScore(f: AppealFact, metric: CaseMixMetric, config: MetricsConfig = DEFAULT_METRICS_CONFIG): number | null {
  const c = contributionOf(f, config);
  switch (metric) {
    case 'response':
      return c.response === 'hit' ? 1 : c.response === 'miss' ? 0 : null;
    case 'onTimeClosure':
      return c.onTimeClosure === 'hit' ? 1 : c.onTimeClosure === 'miss' ? 0 : null;
    case 'resolution':
      return c.resolutionScore;
    case 'satisfaction':
      return c.satisfactionScore;
  }
}

export interface StratumRate {
  stratum: string;
  num: number;
  den: number;
  rate: number;
}

export interface CaseMixResult {
  key: string;
  /** n: the unit's items in the metric's denominator. */
  n: number;
  /** O = Σ the unit's scores. */
  observed: number;
  /** E = Σ over the unit's items of its stratum's reference rate. */
  expected: number;
  /** O/E; null when E = 0. Above 1: better than peers on the same mix (for a higher-is-better metric). */
  ratio: number | null;
  /** 95 % interval of O/E: the Wilson interval of O/n divided by E/n (E treated as known). */
  ratio95: [number, number] | null;
  observedRate: number | null;
  /** E/n: the rate the unit would have if it did as well as the reference in each of its strata. */
  expectedRate: number | null;
  /** (O/E) × the reference's overall rate: the 病例组合调整率, comparable across units (may exceed 1). */
  adjustedRate: number | null;
  /** The unit's items per stratum, for the drill-down. */
  strata: { stratum: string; n: number; observed: number; referenceRate: number }[];
}

export interface CaseMixOptions {
  keyOf?: KeyOf;
  /** How appeals are stratified (default category × type × channel). */
  stratumOf?: (f: AppealFact) => string;
  config?: MetricsConfig;
}

/**
 * Indirectly standardised observed/expected ratios. The reference is every fact passed in (the peer
 * group or the deployment): r_s = Σ scores in stratum s / items in s. For unit u with n_{u,s} items
 * in stratum s:  E_u = Σ_s n_{u,s}·r_s,  O_u = Σ its scores,  ratio = O_u / E_u.
 */
export function caseMixRatios(facts: readonly AppealFact[], metric: CaseMixMetric, options: CaseMixOptions = {}): {
  reference: { overallRate: number | null; strata: StratumRate[] };
  units: CaseMixResult[];
} {
  const config = options.config ?? DEFAULT_METRICS_CONFIG;
  const keyOf = options.keyOf ?? byUnit;
  const strat = options.stratumOf ?? stratumOf;
  // Sort once so floating-point sums do not depend on input order.
  const sorted = [...facts].sort((a, b) => (a.appealId < b.appealId ? -1 : a.appealId > b.appealId ? 1 : 0));
  const ref = new Map<string, { num: number; den: number }>();
  const perUnit = new Map<string, Map<string, { num: number; den: number }>>();
  let totNum = 0;
  let totDen = 0;
  for (const f of sorted) {
    const score = metricScore(f, metric, config);
    if (score === null) continue;
    const s = strat(f);
    const r = ref.get(s) ?? { num: 0, den: 0 };
    r.num += score;
    r.den += 1;
    ref.set(s, r);
    totNum += score;
    totDen += 1;
    for (const k of keysOf(keyOf, f)) {
      let u = perUnit.get(k);
      if (u === undefined) {
        u = new Map();
        perUnit.set(k, u);
      }
      const c = u.get(s) ?? { num: 0, den: 0 };
      c.num += score;
      c.den += 1;
      u.set(s, c);
    }
  }
  const overallRate = totDen > 0 ? totNum / totDen : null;
  const units: CaseMixResult[] = [];
  for (const key of [...perUnit.keys()].sort()) {
    const u = perUnit.get(key)!;
    let n = 0;
    let O = 0;
    let E = 0;
    const strata: CaseMixResult['strata'] = [];
    for (const s of [...u.keys()].sort()) {
      const c = u.get(s)!;
      const r = ref.get(s)!;
      const rate = r.num / r.den;
      n += c.den;
      O += c.num;
      E += c.den * rate;
      strata.push({ stratum: s, n: c.den, observed: c.num, referenceRate: rate });
    }
    const ratio = E > 0 ? O / E : null;
    let ratio95: [number, number] | null = null;
    if (E > 0) {
      const [lo, hi] = wilsonInterval(Math.min(O, n), n, Z95);
      ratio95 = [(lo * n) / E, (hi * n) / E];
    }
    units.push({
      key,
      n,
      observed: O,
      expected: E,
      ratio,
      ratio95,
      observedRate: n > 0 ? O / n : null,
      expectedRate: n > 0 ? E / n : null,
      adjustedRate: ratio !== null && overallRate !== null ? ratio * overallRate : null,
      strata,
    });
  }
  const strata = [...ref.keys()].sort().map((s) => {
    const r = ref.get(s)!;
    return { stratum: s, num: r.num, den: r.den, rate: r.num / r.den };
  });
  return { reference: { overallRate, strata }, units };
}
