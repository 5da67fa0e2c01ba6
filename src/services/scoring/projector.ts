// Keeps score_facts and score_stats in step with the appeals, inside the transaction of every
// appeal change (AppealWriter projector), and rebuilds them from events after a bulk load.
//
// Per event: read the appeal's stored fact, derive the new one, and if it changed write it and move
// its contribution between the stratum-day rows of score_stats (subtract the old, add the new).
// Everything is an integer count, so the maintained sums equal a full recompute exactly.
import { repos, type Executor } from '../../store/repositories/index.ts';
import { scoringRepo, type Dialect, type StatDelta, type StatKeyRow } from '../../store/repositories/scoring.ts';
import type { ScoreFactTable, StatColumns } from '../../store/scoring-schema.ts';
import type { Applied, Projector } from '../appeals/writer.ts';
import type { Services } from '../index.ts';
import {
  addColumns,
  deriveFact,
  NO_FACT_CHANGE,
  factRow,
  factsFromEvents,
  parseFact,
  StratumSums,
  roundStartAfter,
  roundStartFromEvents,
  statColumnsOf,
  statKeyOf,
  statKeyString,
  zeroColumns,
  type AppealStatics,
  type ScoreFact,
  type StatKey,
} from './facts.ts';

/** Timing hook for the benchmark: cumulative time spent in the projector. */
export const projectorTiming = { calls: 0, ns: 0n, cpuUs: 0, enabled: false, wallUsSamples: [] as number[], cpuUsSamples: [] as number[] };

/** The new fact of an appeal after an event, given its previously stored fact (if any). */
async function nextFact(trx: Executor, applied: Applied, prev: ScoreFact | null): Promise<ScoreFact> {
  const { row, state, event } = applied;
  const roundStartedAt = roundStartAfter(event, state, prev?.roundStartedAt ?? null) ?? roundStartFromEvents(await repos.appeals.events(trx, state.id));
  const statics: AppealStatics = { regionCode: row.region_code, intakeUnitId: row.intake_unit_id, intakePath: row.intake_path, citizenKey: row.citizen_phone_idx, placeKey: row.place_key };
  return deriveFact(state, statics, row.unit_path, roundStartedAt);
}

const keyRow = (k: StatKey): StatKeyRow => ({ unit_id: k.unit_id, day: k.day, category_id: k.category_id, type: k.type, channel: k.channel });

/**
 * Applies one appeal's change of fact to score_facts and score_stats: the fact row's changed columns,
 * and the contribution moved between stratum-day rows (subtract the old, add the new; one row when the
 * stratum is the same) — one statement on PostgreSQL, two on SQLite (scoringRepo.writeFactChange). The
 * old row's statistics and stratum are derived again from its stored fact (they are a function of it),
 * so only the fact is read.
 */
export async function applyFactChange(trx: Executor, dialect: Dialect, prev: { json: string; fact: ScoreFact } | undefined, fact: ScoreFact): Promise<boolean> {
  const next = factRow(fact);
  if (prev !== undefined && prev.json === next.fact) return false;
  const newCols = statColumnsOf(fact);
  const newKey = statKeyOf(fact);
  if (prev === undefined) {
    await scoringRepo.writeFactChange(trx, dialect, { kind: 'insert', row: next }, [{ key: keyRow(newKey), delta: newCols }]);
    return true;
  }
  const old = factRow(prev.fact, prev.json);
  const changed: Partial<ScoreFactTable> = {};
  for (const k of Object.keys(next) as (keyof ScoreFactTable)[]) if (next[k] !== old[k]) (changed as Record<string, unknown>)[k] = next[k];
  const oldCols = statColumnsOf(prev.fact);
  const oldKey = statKeyOf(prev.fact);
  const stats: StatDelta[] =
    statKeyString(oldKey) === statKeyString(newKey)
      ? [{ key: keyRow(newKey), delta: addColumns({ ...newCols }, oldCols, -1) }]
      : [
          { key: keyRow(oldKey), delta: addColumns(zeroColumns(), oldCols, -1) },
          { key: keyRow(newKey), delta: newCols },
        ];
  await scoringRepo.writeFactChange(trx, dialect, { kind: 'update', appealId: fact.appealId, changed }, stats);
  return true;
}

/** The projector to register on the AppealWriter. */
export function scoreProjector(dialect: Dialect): Projector {
  return async (trx, applied) => {
    if (NO_FACT_CHANGE.has(applied.event.action)) return;
    const t0 = projectorTiming.enabled ? process.hrtime.bigint() : 0n;
    const c0 = projectorTiming.enabled ? process.cpuUsage() : null;
    const json = applied.event.action === 'submit' ? undefined : await scoringRepo.getFactJson(trx, applied.state.id, dialect);
    const prev = json === undefined ? undefined : { json, fact: parseFact(json) };
    const fact = await nextFact(trx, applied, prev?.fact ?? null);
    await applyFactChange(trx, dialect, prev, fact);
    if (projectorTiming.enabled) {
      const ns = process.hrtime.bigint() - t0;
      const c = process.cpuUsage(c0!);
      projectorTiming.calls++;
      projectorTiming.ns += ns;
      projectorTiming.cpuUs += c.user + c.system;
      projectorTiming.wallUsSamples.push(Number(ns) / 1000);
      projectorTiming.cpuUsSamples.push(c.user + c.system);
    }
  };
}

export interface RebuildReport {
  appeals: number;
  statRows: number;
  ms: number;
}

/**
 * Rebuilds score_facts and score_stats from appeal_events (the full recompute), replacing what was
 * there. Used after the demo seeder's bulk load, by `minbiao score rebuild`, and by the tests.
 */
export async function rebuildScoreFacts(s: Services, opts: { onProgress?: (done: number) => void } = {}): Promise<RebuildReport> {
  const t0 = Date.now();
  await s.org.refresh();
  const unitPaths = new Map((await s.org.all()).map((u) => [u.id, u.path] as const));
  const db = s.ctx.db;
  await scoringRepo.clear(db);
  const sums = new StratumSums();
  let appeals = 0;
  for await (const batch of factsFromEvents(db, { unitPaths, batchSize: 2000 })) {
    for (const f of batch) sums.add(f);
    await db.transaction().execute((trx) => scoringRepo.insertFacts(trx, batch.map((f) => factRow(f))));
    appeals += batch.length;
    opts.onProgress?.(appeals);
  }
  const statRows = sums.rows();
  await db.transaction().execute((trx) => scoringRepo.insertStats(trx, statRows));
  return { appeals, statRows: statRows.length, ms: Date.now() - t0 };
}

/**
 * After an upgrade (migration 0002 on a database that already holds appeals) the read model is empty:
 * build it once from the events. Two indexed `limit 1` probes when there is nothing to do.
 */
export async function ensureScoreFacts(s: Services): Promise<RebuildReport | null> {
  const anyAppeal = await s.ctx.db.selectFrom('appeals').select('id').limit(1).executeTakeFirst();
  if (!anyAppeal) return null;
  const anyFact = await s.ctx.db.selectFrom('score_facts').select('appeal_id').limit(1).executeTakeFirst();
  if (anyFact) return null;
  s.ctx.log.info('score_facts is empty: rebuilding the figures from appeal_events');
  return rebuildScoreFacts(s);
}
