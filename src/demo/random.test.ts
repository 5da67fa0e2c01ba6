import { describe, expect, it } from 'vitest';
import { Rng, WeightedTable } from './random.ts';

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 50 }, () => a.uint32());
    expect(Array.from({ length: 50 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.uint32())).not.toEqual(xs);
  });

  it('forks depend on the label, not on how much the parent has drawn', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    for (let i = 0; i < 100; i++) b.next();
    expect(a.fork('citizen').next()).toBe(b.fork('citizen').next());
    expect(a.fork('citizen').next()).not.toBe(a.fork('text').next());
    expect(a.fork(7).next()).toBe(Rng.fromKey(a.fork(7).key).next());
  });

  it('draws in range with plausible moments', () => {
    const r = new Rng(1);
    let sum = 0;
    let sq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
    const p = Array.from({ length: 2000 }, () => r.poisson(4));
    expect(Math.abs(p.reduce((s, x) => s + x, 0) / p.length - 4)).toBeLessThan(0.2);
  });

  it('weighted table follows its weights', () => {
    const r = new Rng(9);
    const t = new WeightedTable(['a', 'b', 'c'], [1, 0, 3]);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 8000; i++) counts[t.pick(r)]! += 1;
    expect(counts.b).toBe(0);
    expect(counts.c! / counts.a!).toBeGreaterThan(2.6);
    expect(counts.c! / counts.a!).toBeLessThan(3.4);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
