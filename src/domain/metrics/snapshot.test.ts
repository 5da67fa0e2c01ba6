import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG } from './config.ts';
import { computeUnitFigures } from './rates.ts';
import { buildSnapshot, canonicalJson, canonicalNumber, diffSnapshots, hashFacts, verifySnapshotSeal } from './snapshot.ts';
import { arbFact } from './testSupport.ts';
import { WORKED_EXAMPLE } from './workedExample.ts';

const period = { kind: 'month' as const, label: '2026-10', start: Date.UTC(2026, 8, 30, 16), end: Date.UTC(2026, 9, 31, 16) };

describe('canonical JSON', () => {
  it('sorts keys, drops undefined, formats numbers one way', () => {
    expect(canonicalJson({ b: 1, a: [0.1 + 0.2, -0, 3], c: undefined, d: null })).toBe('{"a":[0.3,0,3],"b":1,"d":null}');
    expect(canonicalNumber(1 / 3)).toBe('0.333333333333333');
    expect(canonicalNumber(1e-7)).toBe('1e-7');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(new Map())).toThrow(TypeError);
  });

  it('is a fixed point: parse ∘ canonical ∘ parse ∘ canonical = parse ∘ canonical', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = canonicalJson(v);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });
});

describe('snapshots', () => {
  it('hashes facts independently of their order', () => {
    fc.assert(
      fc.property(fc.tuple(arbFact('a'), arbFact('b'), arbFact('c')), (facts) => {
        expect(hashFacts(facts)).toBe(hashFacts([...facts].reverse()));
      }),
      { numRuns: 50 },
    );
    const changed = WORKED_EXAMPLE.map((f) => (f.appealId === 'a04' ? { ...f, reopened: 2 } : f));
    expect(hashFacts(changed)).not.toBe(hashFacts(WORKED_EXAMPLE));
    expect(hashFacts(WORKED_EXAMPLE)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('freezes an assessment with a seal, and the recompute from the same facts has no differences', () => {
    const figs = computeUnitFigures(WORKED_EXAMPLE);
    const snap = buildSnapshot(period, DEFAULT_METRICS_CONFIG, figs, hashFacts(WORKED_EXAMPLE));
    expect(verifySnapshotSeal(snap)).toBe(true);
    const again = buildSnapshot(period, DEFAULT_METRICS_CONFIG, computeUnitFigures([...WORKED_EXAMPLE].reverse()), hashFacts([...WORKED_EXAMPLE].reverse()));
    expect(again.contentHash).toBe(snap.contentHash);
    expect(diffSnapshots(snap, again)).toEqual([]);
    expect(verifySnapshotSeal({ ...snap, factsHash: 'sha256:0' })).toBe(false);
  });

  it('lists the figures that differ, addressed by unit key', () => {
    const before = buildSnapshot(period, DEFAULT_METRICS_CONFIG, computeUnitFigures(WORKED_EXAMPLE), hashFacts(WORKED_EXAMPLE));
    // A later edit: the upheld rating appeal of a06 is reversed, so its 非常不满意 counts again.
    const edited = WORKED_EXAMPLE.map((f) => (f.appealId === 'a06' ? { ...f, rating: { ...f.rating!, excluded: undefined } } : f));
    const after = buildSnapshot(period, DEFAULT_METRICS_CONFIG, computeUnitFigures(edited), hashFacts(edited));
    const paths = diffSnapshots(before, after).map((d) => d.path);
    expect(paths).toContain('factsHash');
    expect(paths).toContain('contentHash');
    expect(paths).toContain('figures[A].satisfaction.value');
    expect(paths).toContain('figures[A].rated');
    expect(paths).toContain('figures[A].excluded[a06]');
    const sat = diffSnapshots(before, after).find((d) => d.path === 'figures[A].satisfaction.value')!;
    expect(sat.a).toBeCloseTo(0.8, 12);
    expect(sat.b).toBeCloseTo(4.8 / 7, 12);
  });
});
