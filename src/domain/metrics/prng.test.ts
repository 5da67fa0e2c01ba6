import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';

describe('Rng', () => {
  it('is deterministic per seed (numbers and text)', () => {
    const a = new Rng('2026-10/peer');
    const b = new Rng('2026-10/peer');
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
  });

  it('draws with the right moments', () => {
    const rng = new Rng(99);
    const n = 40_000;
    const mean = (f: () => number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = f();
        s += v;
        s2 += v * v;
      }
      return { m: s / n, v: s2 / n - (s / n) ** 2 };
    };
    const u = mean(() => rng.next());
    expect(u.m).toBeCloseTo(0.5, 2);
    const z = mean(() => rng.normal());
    expect(z.m).toBeCloseTo(0, 1);
    expect(z.v).toBeCloseTo(1, 1);
    const g = mean(() => rng.gamma(0.4));
    expect(g.m).toBeCloseTo(0.4, 1);
    const be = mean(() => rng.beta(2, 6));
    expect(be.m).toBeCloseTo(0.25, 2);
    expect(be.v).toBeCloseTo((2 * 6) / (64 * 9), 3);
    const bi = mean(() => rng.binomial(50, 0.3));
    expect(bi.m).toBeCloseTo(15, 0);
  });
});
