// Live figures: per-group sufficient statistics kept up to date as appeal facts change.
// Because the statistics are integer counts and the figures are computed from them by the same
// function as the full recompute, the two give identical numbers — the score cannot depend on how
// it was computed (issue 3).

import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './config.ts';
import { byUnit, keysOf, type AppealFact, type KeyOf } from './facts.ts';
import { addToStats, emptyStats, figuresFromStats, figuresOfGroups, type UnitFigures, type UnitStats } from './rates.ts';

export class FiguresAccumulator {
  private readonly groups = new Map<string, UnitStats>();
  private readonly keyOf: KeyOf;

  constructor(
    private readonly config: MetricsConfig = DEFAULT_METRICS_CONFIG,
    options: { keyOf?: KeyOf } = {},
  ) {
    this.keyOf = options.keyOf ?? byUnit;
  }

  /**
   * Replaces an appeal's previous fact by its new one: (null, f) adds, (f, null) removes, (old, new)
   * updates. `old` must be the fact exactly as it was last applied. O(1) per group key of the facts.
   */
  apply(oldFact: AppealFact | null, newFact: AppealFact | null): void {
    if (oldFact !== null) {
      for (const k of keysOf(this.keyOf, oldFact)) {
        const s = this.groups.get(k);
        if (s === undefined) throw new Error(`FiguresAccumulator: removing a fact that was never added (${oldFact.appealId} in ${k})`);
        addToStats(s, oldFact, -1);
        // A group without appeals disappears, as it would from a full recompute.
        if (s.volume === 0) this.groups.delete(k);
      }
    }
    if (newFact !== null) {
      for (const k of keysOf(this.keyOf, newFact)) {
        let s = this.groups.get(k);
        if (s === undefined) {
          s = emptyStats();
          this.groups.set(k, s);
        }
        addToStats(s, newFact, 1);
      }
    }
  }

  add(f: AppealFact): void {
    this.apply(null, f);
  }

  remove(f: AppealFact): void {
    this.apply(f, null);
  }

  /** Figures of one group, or null if it has no appeals. */
  figuresOf(key: string): UnitFigures | null {
    const s = this.groups.get(key);
    return s === undefined ? null : figuresFromStats(key, s, this.config);
  }

  /** Figures of every group, sorted by key: equal to computeUnitFigures over the current facts. */
  figures(): UnitFigures[] {
    return figuresOfGroups(this.groups, this.config);
  }

  get size(): number {
    return this.groups.size;
  }
}
