import { describe, expect, it } from 'vitest';
import { funnelCurve, funnelLimit, funnelLimits, funnelPlot } from './funnel.ts';

describe('funnel plot', () => {
  it('normal limits are p0 ± z·√(p0(1−p0)/n)', () => {
    const l = funnelLimits(0.9, 100, 'normal');
    expect(l.lower95).toBeCloseTo(0.9 - 1.959963984540054 * 0.03, 12);
    expect(l.upper998).toBeCloseTo(0.9 + 3.090232306167813 * 0.03, 9);
  });

  it('exact limits approach the normal ones for large n and are narrower than 99.8 % inside 95 %', () => {
    const e = funnelLimits(0.85, 20000);
    const n = funnelLimits(0.85, 20000, 'normal');
    expect(Math.abs(e.lower95 - n.lower95)).toBeLessThan(5e-4);
    expect(Math.abs(e.upper998 - n.upper998)).toBeLessThan(5e-4);
    for (const size of [5, 20, 100, 1000]) {
      const l = funnelLimits(0.85, size);
      expect(l.lower998).toBeLessThanOrEqual(l.lower95);
      expect(l.lower95).toBeLessThanOrEqual(0.85);
      expect(l.upper95).toBeGreaterThanOrEqual(0.85 - 1e-12);
      expect(l.upper998).toBeGreaterThanOrEqual(l.upper95);
    }
  });

  it('exact limit interpolation matches a hand computation (n = 10, p0 = 0.5, q = 0.975)', () => {
    // F(7) = 0.9453125, F(8) = 0.9892578125 → r = 8, α = (0.98926 − 0.975)/(0.98926 − 0.94531) = 0.3244…
    const alpha = (0.9892578125 - 0.975) / (0.9892578125 - 0.9453125);
    expect(funnelLimit(0.5, 10, 0.975)).toBeCloseTo((8 - alpha) / 10, 12);
  });

  it('places units inside or outside each band', () => {
    const plot = funnelPlot([
      { key: 'small-low', num: 6, den: 10 },
      { key: 'big-low', num: 800, den: 1000 },
      { key: 'typical', num: 450, den: 500 },
      { key: 'big-high', num: 2900, den: 3000 },
    ], { target: 0.9 });
    const by = Object.fromEntries(plot.points.map((p) => [p.key, p]));
    expect(by['small-low']!.band95).toBe('below');
    expect(by['small-low']!.band998).toBe('inside');
    expect(by['big-low']!.band998).toBe('below');
    expect(by.typical!.band95).toBe('inside');
    expect(by['big-high']!.band998).toBe('above');
    expect(plot.curve.length).toBeGreaterThan(20);
    expect(plot.curve[0]!.n).toBe(1);
    expect(plot.curve.at(-1)!.n).toBe(3000);
  });

  it('uses the pooled rate as target by default and skips empty units', () => {
    const plot = funnelPlot([
      { key: 'a', num: 8, den: 10 },
      { key: 'b', num: 2, den: 10 },
      { key: 'c', num: 0, den: 0 },
    ]);
    expect(plot.target).toBe(0.5);
    expect(plot.points.map((p) => p.key)).toEqual(['a', 'b']);
    expect(funnelCurve(0.5, 1, 1, 5)).toHaveLength(1);
  });
});
