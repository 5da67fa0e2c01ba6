// The simulation study of issue 3: do the adjusted (empirical-Bayes) figures rank units closer to the
// truth than the raw rates that published rankings use? Units get known true rates and realistic,
// very uneven volumes; we observe binomial outcomes, rank both ways and compare with the truth.

import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';
import { shrinkRates } from './shrinkage.ts';

/** Ranks with ties averaged (1 = smallest). */
function averageRanks(v: readonly number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's ρ: Pearson correlation of the average ranks. */
function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const n = x.length;
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The unit named worst: the lowest estimate; among equal estimates the first (as a sorted table would). */
function namedWorst(est: readonly number[]): number {
  let w = 0;
  for (let i = 1; i < est.length; i++) if (est[i]! < est[w]!) w = i;
  return w;
}

interface SimulationSettings {
  replications: number;
  units: number;
  /** True rates ~ Beta(mean·strength, (1 − mean)·strength). */
  trueMean: number;
  trueStrength: number;
  /** Share of small units (5–20 rated appeals); the rest log-normal around `medianVolume`, up to 5000. */
  smallShare: number;
  medianVolume: number;
  seed: number;
}

function runSimulation(s: SimulationSettings) {
  const rng = new Rng(s.seed);
  let rhoRaw = 0;
  let rhoEb = 0;
  let falseWorstRaw = 0;
  let falseWorstEb = 0;
  let trueWorstRaw = 0;
  let trueWorstEb = 0;
  let smallNamedRaw = 0;
  let smallNamedEb = 0;
  let minVolume = Infinity;
  let maxVolume = 0;
  for (let rep = 0; rep < s.replications; rep++) {
    const theta: number[] = [];
    const n: number[] = [];
    const obs = [];
    for (let i = 0; i < s.units; i++) {
      const t = rng.beta(s.trueMean * s.trueStrength, (1 - s.trueMean) * s.trueStrength);
      const small = rng.next() < s.smallShare;
      const vol = small ? 5 + rng.int(16) : Math.min(5000, Math.max(21, Math.round(Math.exp(Math.log(s.medianVolume) + 1.0 * rng.normal()))));
      minVolume = Math.min(minVolume, vol);
      maxVolume = Math.max(maxVolume, vol);
      theta.push(t);
      n.push(vol);
      obs.push({ key: `u${String(i).padStart(3, '0')}`, num: rng.binomial(vol, t), den: vol });
    }
    const raw = obs.map((o) => o.num / o.den);
    const eb = shrinkRates(obs).units.map((u) => u.mean);
    rhoRaw += spearman(raw, theta);
    rhoEb += spearman(eb, theta);
    const median = [...theta].sort((a, b) => a - b)[Math.floor(s.units / 2)]!;
    const trueWorst = namedWorst(theta);
    const wr = namedWorst(raw);
    const we = namedWorst(eb);
    if (theta[wr]! >= median) falseWorstRaw++;
    if (theta[we]! >= median) falseWorstEb++;
    if (wr === trueWorst) trueWorstRaw++;
    if (we === trueWorst) trueWorstEb++;
    if (n[wr]! <= 20) smallNamedRaw++;
    if (n[we]! <= 20) smallNamedEb++;
  }
  const R = s.replications;
  return {
    settings: s,
    volumes: { min: minVolume, max: maxVolume },
    spearman: { raw: rhoRaw / R, eb: rhoEb / R },
    /** Share of replications in which the unit named worst is truly at or above the peer median. */
    falselyWorst: { raw: falseWorstRaw / R, eb: falseWorstEb / R },
    /** Share in which the unit named worst is the truly worst one. */
    correctWorst: { raw: trueWorstRaw / R, eb: trueWorstEb / R },
    /** Share in which the unit named worst has 20 rated appeals or fewer. */
    worstIsSmallUnit: { raw: smallNamedRaw / R, eb: smallNamedEb / R },
  };
}

describe('simulation study: raw vs empirical-Bayes ranking', () => {
  it('the adjusted ranking is closer to the truth and names a falsely "worst" unit less often', () => {
    const result = runSimulation({
      replications: 400,
      units: 40,
      trueMean: 0.88,
      trueStrength: 40,
      smallShare: 0.25,
      medianVolume: 300,
      seed: 20261001,
    });
    console.log(JSON.stringify({ simulation: 'minbiao-eb-vs-raw', ...result }));
    expect(result.volumes.min).toBeLessThanOrEqual(6);
    expect(result.volumes.max).toBeGreaterThanOrEqual(2000);
    expect(result.spearman.eb).toBeGreaterThan(result.spearman.raw);
    expect(result.falselyWorst.eb).toBeLessThan(result.falselyWorst.raw);
  });
});
