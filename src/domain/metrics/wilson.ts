// Wilson score interval for a proportion: honest at small n and at 0 % / 100 %, unlike p ± 1.96·SE.

/** z of a two-sided 95 % interval, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for x successes in n trials at normal quantile z:
 *
 *   centre = (p̂ + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · √( p̂(1−p̂)/n + z²/4n² ),   p̂ = x / n
 *
 * x may be fractional: a rate whose items score in [0, 1] (partly solved = 0.5, 基本满意 = 0.9) is
 * treated as x = Σ scores "successes". For such scores s, Var(s) = E[s²] − μ² ≤ μ − μ² = μ(1−μ),
 * so the binomial variance used here is an upper bound and the interval is conservative (too wide,
 * never too narrow), with exact coverage when every score is 0 or 1.
 *
 * n = 0 gives [0, 1]: nothing is known.
 */
export function wilsonInterval(x: number, n: number, z: number = Z95): [number, number] {
  if (!(n >= 0) || !(x >= 0) || x > n * (1 + 1e-12)) {
    throw new RangeError(`wilsonInterval: need 0 ≤ x ≤ n (got x=${x}, n=${n})`);
  }
  if (n === 0) return [0, 1];
  const p = Math.min(1, x / n);
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // The exact ends at 0 and 1 (rounding would otherwise leave 1e-17 off them).
  const lo = x === 0 ? 0 : Math.max(0, centre - half);
  const hi = x >= n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}
