// Funnel plot data: a unit's rate against its volume, with the band inside which a unit doing
// exactly as well as the peer target would fall by chance. Small units get wide bands, so only the
// units that are really outside are marked (Spiegelhalter, Statistics in Medicine 2005; 24:1185).

import { binomialCdf, binomialQuantile, zForLevel } from './special.ts';

export type FunnelMethod = 'exact' | 'normal';
export type BandPosition = 'inside' | 'above' | 'below';

export interface FunnelLimits {
  n: number;
  /** 95 % control limits (≈ 2 standard errors). */
  lower95: number;
  upper95: number;
  /** 99.8 % control limits (≈ 3 standard errors). */
  lower998: number;
  upper998: number;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * The limit at tail probability q for volume n and target p0.
 * exact: r = the q-quantile of Binomial(n, p0), interpolated so the limits are smooth in n:
 *        α = (F(r) − q) / (F(r) − F(r − 1)),  limit = (r − α)/n.
 * normal: p0 + Φ⁻¹(q)·√(p0(1 − p0)/n).
 */
export function funnelLimit(p0: number, n: number, q: number, method: FunnelMethod = 'exact'): number {
  if (!(n > 0)) return Number.NaN;
  if (p0 <= 0 || p0 >= 1) return clamp01(p0);
  if (method === 'normal') return clamp01(p0 + zForLevel(2 * Math.abs(q - 0.5)) * Math.sign(q - 0.5) * Math.sqrt((p0 * (1 - p0)) / n));
  const nn = Math.round(n);
  const r = binomialQuantile(q, nn, p0);
  const Fr = binomialCdf(r, nn, p0);
  const Frm1 = binomialCdf(r - 1, nn, p0);
  const alpha = Fr - Frm1 > 0 ? (Fr - q) / (Fr - Frm1) : 0;
  return clamp01((r - alpha) / nn);
}

export function funnelLimits(p0: number, n: number, method: FunnelMethod = 'exact'): FunnelLimits {
  return {
    n,
    lower95: funnelLimit(p0, n, 0.025, method),
    upper95: funnelLimit(p0, n, 0.975, method),
    lower998: funnelLimit(p0, n, 0.001, method),
    upper998: funnelLimit(p0, n, 0.999, method),
  };
}

export interface FunnelPoint {
  key: string;
  num: number;
  n: number;
  value: number;
  /** (value − p0) / √(p0(1 − p0)/n): how many standard errors from the target. */
  z: number;
  limits: FunnelLimits;
  band95: BandPosition;
  band998: BandPosition;
}

function position(v: number, lo: number, hi: number): BandPosition {
  return v < lo ? 'below' : v > hi ? 'above' : 'inside';
}

export interface FunnelPlot {
  /** p0: the given target, or the pooled peer rate Σnum / Σden. */
  target: number;
  method: FunnelMethod;
  points: FunnelPoint[];
  /** The limits on a log-spaced grid of volumes, to draw the funnel. */
  curve: FunnelLimits[];
}

/** The funnel plot of a peer group. Units without data (den = 0) are left out. */
export function funnelPlot(
  units: readonly { key: string; num: number; den: number }[],
  options: { target?: number; method?: FunnelMethod; curvePoints?: number } = {},
): FunnelPlot {
  const method = options.method ?? 'exact';
  const withData = units.filter((u) => u.den > 0);
  let target = options.target;
  if (target === undefined) {
    let num = 0;
    let den = 0;
    for (const u of withData) {
      num += u.num;
      den += u.den;
    }
    target = den > 0 ? num / den : 0;
  }
  const p0 = target;
  const se1 = Math.sqrt(p0 * (1 - p0));
  const points = withData.map((u) => {
    const limits = funnelLimits(p0, u.den, method);
    const value = u.num / u.den;
    return {
      key: u.key,
      num: u.num,
      n: u.den,
      value,
      z: se1 > 0 ? (value - p0) / (se1 / Math.sqrt(u.den)) : 0,
      limits,
      band95: position(value, limits.lower95, limits.upper95),
      band998: position(value, limits.lower998, limits.upper998),
    };
  });
  const maxN = Math.max(10, ...withData.map((u) => u.den));
  return { target: p0, method, points, curve: funnelCurve(p0, 1, maxN, options.curvePoints ?? 60, method) };
}

/** Limits at `count` volumes spaced evenly on a log scale from nMin to nMax (rounded, distinct). */
export function funnelCurve(p0: number, nMin: number, nMax: number, count = 60, method: FunnelMethod = 'exact'): FunnelLimits[] {
  const ns = new Set<number>();
  const lo = Math.log(Math.max(1, nMin));
  const hi = Math.log(Math.max(nMin, nMax));
  for (let i = 0; i < count; i++) ns.add(Math.max(1, Math.round(Math.exp(lo + ((hi - lo) * i) / Math.max(1, count - 1)))));
  return [...ns].sort((a, b) => a - b).map((n) => funnelLimits(p0, n, method));
}
