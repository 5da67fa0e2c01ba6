import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG } from './config.ts';
import type { AppealFact } from './facts.ts';
import { FiguresAccumulator } from './incremental.ts';
import { computeUnitFigures } from './rates.ts';
import { arbFact } from './testSupport.ts';
import { WORKED_EXAMPLE } from './workedExample.ts';

/** A random history: each step adds, replaces or removes one appeal's fact. */
const arbHistory = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.boolean()), { maxLength: 80 })
  .chain((steps) =>
    fc.tuple(fc.constant(steps), fc.tuple(...steps.map(([id]) => arbFact(`a${id}`)))),
  );

const keyings = [
  { name: 'unit', keyOf: undefined },
  { name: 'subtree', keyOf: (f: AppealFact) => ['root', `root/${f.unitId}`, `cat/${f.categoryId}`] },
];

describe('FiguresAccumulator', () => {
  it('gives the worked example exactly as the full computation does', () => {
    const acc = new FiguresAccumulator();
    for (const f of [...WORKED_EXAMPLE].reverse()) acc.add(f);
    expect(acc.figures()).toEqual(computeUnitFigures(WORKED_EXAMPLE));
  });

  for (const { name, keyOf } of keyings) {
    it(`equals computeUnitFigures on the final facts after any order of adds, replaces and removes (${name})`, () => {
      fc.assert(
        fc.property(arbHistory, ([steps, facts]) => {
          const opts = keyOf ? { keyOf } : {};
          const acc = new FiguresAccumulator(DEFAULT_METRICS_CONFIG, opts);
          const current = new Map<string, AppealFact>();
          steps.forEach(([, remove], i) => {
            const f = facts[i]!;
            const old = current.get(f.appealId) ?? null;
            if (remove && old !== null) {
              acc.apply(old, null);
              current.delete(f.appealId);
            } else {
              acc.apply(old, f);
              current.set(f.appealId, f);
            }
          });
          // Identical numbers, not merely close: toStrictEqual compares every float exactly.
          expect(acc.figures()).toStrictEqual(computeUnitFigures([...current.values()], DEFAULT_METRICS_CONFIG, opts));
          // And the full computation does not depend on input order either.
          const shuffled = [...current.values()].reverse();
          expect(computeUnitFigures(shuffled, DEFAULT_METRICS_CONFIG, opts)).toStrictEqual(computeUnitFigures([...current.values()], DEFAULT_METRICS_CONFIG, opts));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('forgets a group whose last appeal is removed and refuses to remove what was never added', () => {
    const acc = new FiguresAccumulator();
    acc.add(WORKED_EXAMPLE[0]!);
    acc.remove(WORKED_EXAMPLE[0]!);
    expect(acc.figures()).toEqual([]);
    expect(acc.figuresOf('A')).toBeNull();
    expect(() => acc.remove(WORKED_EXAMPLE[1]!)).toThrow(/never added/);
  });
});
