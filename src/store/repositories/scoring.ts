// The evaluation engine's tables: score_facts (one row per appeal), score_stats (per unit × day ×
// stratum sums, updated by deltas), score_snapshots (published assessments; insert-only).
import { CompiledQuery, sql, type QueryResult } from 'kysely';
import { STAT_COLUMNS, type ScoreFactTable, type ScoreSnapshotTable, type StatColumns } from '../scoring-schema.ts';
import type { Executor } from './appeals.ts';

export interface StatKeyRow {
  unit_id: string;
  day: number;
  category_id: string;
  type: string;
  channel: string;
}

/** SELECT list: the sum of every statistic (0 when no rows). */
export function sumSelections() {
  return STAT_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c));
}

function toColumns(r: Record<string, unknown>): StatColumns {
  const out = {} as StatColumns;
  for (const c of STAT_COLUMNS) out[c] = Number(r[c] ?? 0);
  return out;
}

export type GroupedStats = { key: string; sub: string; cols: StatColumns };

/**
 * The incremental path runs a few statements on every appeal event. Building and compiling them with
 * Kysely's builder costs more than running them (measured: `onConflict().columns()` alone ≈ 1 ms under
 * load), so their SQL text is compiled once per dialect and column set and reused with fresh
 * parameters. A statement is cached only after checking that its compiled parameters are exactly the
 * ones we pass, in the same order.
 */
class StatementCache {
  private readonly texts = new Map<string, string>();
  async run<R>(db: Executor, key: string, build: () => { compile(): CompiledQuery<R> }, params: readonly unknown[]): Promise<QueryResult<R>> {
    const text = this.texts.get(key);
    if (text !== undefined) return db.executeQuery<R>(CompiledQuery.raw(text, [...params]));
    const c = build().compile();
    const same = c.parameters.length === params.length && c.parameters.every((v, i) => v === params[i]);
    if (same) {
      if (this.texts.size > 4000) this.texts.clear();
      this.texts.set(key, c.sql);
    }
    return db.executeQuery(c);
  }
}

export type Dialect = 'sqlite' | 'postgres';

export class ScoringRepository {
  private readonly statements = new StatementCache();

  async getFact(db: Executor, appealId: string): Promise<ScoreFactTable | undefined> {
    return db.selectFrom('score_facts').selectAll().where('appeal_id', '=', appealId).executeTakeFirst();
  }

  /** Only the stored fact JSON (everything else in the row is derived from it). */
  async getFactJson(db: Executor, appealId: string, dialect?: Dialect): Promise<string | undefined> {
    const build = () => db.selectFrom('score_facts').select('fact').where('appeal_id', '=', appealId);
    if (dialect === undefined) return (await build().executeTakeFirst())?.fact;
    const r = await this.statements.run<{ fact: string }>(db, `${dialect}|getFact`, build, [appealId]);
    return r.rows[0]?.fact;
  }

  /** Updates the columns that changed (a short statement: the incremental path runs on every event). */
  async updateFact(db: Executor, appealId: string, changed: Partial<ScoreFactTable>, dialect?: Dialect): Promise<void> {
    const keys = Object.keys(changed) as (keyof ScoreFactTable)[];
    if (keys.length === 0) return;
    const build = () => db.updateTable('score_facts').set(changed).where('appeal_id', '=', appealId);
    if (dialect === undefined) {
      await build().execute();
      return;
    }
    await this.statements.run(db, `${dialect}|updateFact|${keys.join(',')}`, build, [...keys.map((k) => changed[k]), appealId]);
  }

  async insertFact(db: Executor, row: ScoreFactTable): Promise<void> {
    await db.insertInto('score_facts').values(row).execute();
  }

  async upsertFact(db: Executor, row: ScoreFactTable): Promise<void> {
    const { appeal_id: _id, ...rest } = row;
    await db
      .insertInto('score_facts')
      .values(row)
      .onConflict((oc) => oc.column('appeal_id').doUpdateSet(rest))
      .execute();
  }

  async insertFacts(db: Executor, rows: ScoreFactTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('score_facts').values(rows.slice(i, i + 400)).execute();
  }

  /** Adds a delta (possibly negative) to one stratum-day row, creating it when needed. */
  async addStats(db: Executor, key: StatKeyRow, delta: StatColumns, dialect?: Dialect): Promise<void> {
    // Only the columns that move: the others keep their value (or their default 0 in a new row).
    const cols = STAT_COLUMNS.filter((c) => delta[c] !== 0);
    if (cols.length === 0) return;
    const build = () => {
      const set = Object.fromEntries(cols.map((c) => [c, sql<number>`${sql.ref(`score_stats.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));
      const values = { unit_id: key.unit_id, day: key.day, category_id: key.category_id, type: key.type, channel: key.channel, ...Object.fromEntries(cols.map((c) => [c, delta[c]])) } as StatKeyRow & StatColumns;
      return db
        .insertInto('score_stats')
        .values(values)
        .onConflict((oc) => oc.columns(['unit_id', 'day', 'category_id', 'type', 'channel']).doUpdateSet(set));
    };
    if (dialect === undefined) {
      await build().execute();
      return;
    }
    await this.statements.run(db, `${dialect}|addStats|${cols.join(',')}`, build, [key.unit_id, key.day, key.category_id, key.type, key.channel, ...cols.map((c) => delta[c])]);
  }

  async insertStats(db: Executor, rows: (StatKeyRow & StatColumns)[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('score_stats').values(rows.slice(i, i + 400)).execute();
  }

  async clear(db: Executor): Promise<void> {
    await db.deleteFrom('score_stats').execute();
    await db.deleteFrom('score_facts').execute();
  }

  /** Sums of score_stats over [startDay, endDay) per unit (sub = ''), or per unit and stratum. */
  async statsByUnit(db: Executor, startDay: number, endDay: number, opts: { strata?: boolean; unitIds?: readonly string[] } = {}): Promise<GroupedStats[]> {
    let q = db.selectFrom('score_stats').where('day', '>=', startDay).where('day', '<', endDay);
    if (opts.unitIds) {
      if (opts.unitIds.length === 0) return [];
      q = q.where('unit_id', 'in', opts.unitIds as string[]);
    }
    if (opts.strata) {
      const rows = await q
        .select(['unit_id', 'category_id', 'type', 'channel', ...sumSelections()])
        .groupBy(['unit_id', 'category_id', 'type', 'channel'])
        .execute();
      return rows.map((r) => ({ key: r.unit_id, sub: `${r.category_id}|${r.type}|${r.channel}`, cols: toColumns(r as Record<string, unknown>) }));
    }
    const rows = await q.select(['unit_id', ...sumSelections()]).groupBy('unit_id').execute();
    return rows.map((r) => ({ key: r.unit_id, sub: '', cols: toColumns(r as Record<string, unknown>) }));
  }

  /** Sums of score_stats over [startDay, endDay) for a set of units, grouped by one key column. */
  async statsGroupedBy(db: Executor, startDay: number, endDay: number, unitIds: readonly string[], by: 'category_id' | 'type' | 'channel' | 'day'): Promise<GroupedStats[]> {
    if (unitIds.length === 0) return [];
    const rows = await db
      .selectFrom('score_stats')
      .where('day', '>=', startDay)
      .where('day', '<', endDay)
      .where('unit_id', 'in', unitIds as string[])
      .select([by, ...sumSelections()])
      .groupBy(by)
      .execute();
    return rows.map((r) => ({ key: String((r as Record<string, unknown>)[by]), sub: '', cols: toColumns(r as Record<string, unknown>) }));
  }

  /** Sums per unit and day (the 12-month trend uses day → month). */
  async statsByUnitDay(db: Executor, startDay: number, endDay: number, unitIds: readonly string[]): Promise<GroupedStats[]> {
    if (unitIds.length === 0) return [];
    const rows = await db
      .selectFrom('score_stats')
      .where('day', '>=', startDay)
      .where('day', '<', endDay)
      .where('unit_id', 'in', unitIds as string[])
      .select(['unit_id', 'day', ...sumSelections()])
      .groupBy(['unit_id', 'day'])
      .execute();
    return rows.map((r) => ({ key: r.unit_id, sub: String(r.day), cols: toColumns(r as Record<string, unknown>) }));
  }

  /** Sums of score_facts rows (the per-appeal contributions) in a period, grouped by a column. */
  async factStatsBy(
    db: Executor,
    startDay: number,
    endDay: number,
    by: 'category_id' | 'region_code' | 'unit_id',
    unitPathPrefix: string | null,
  ): Promise<GroupedStats[]> {
    let q = db.selectFrom('score_facts').where('day', '>=', startDay).where('day', '<', endDay);
    if (unitPathPrefix !== null) q = q.where('unit_path', 'like', `${unitPathPrefix}%`);
    const rows = await q.select([by, ...sumSelections()]).groupBy(by).execute();
    return rows.map((r) => ({ key: String((r as Record<string, unknown>)[by]), sub: '', cols: toColumns(r as Record<string, unknown>) }));
  }

  /** Fact rows of a period (optionally one unit, or a subtree by path prefix). */
  factsInPeriod(db: Executor, startDay: number, endDay: number, filter: { unitId?: string; unitPathPrefix?: string; unitIds?: readonly string[] } = {}) {
    let q = db.selectFrom('score_facts').selectAll().where('day', '>=', startDay).where('day', '<', endDay);
    if (filter.unitId !== undefined) q = q.where('unit_id', '=', filter.unitId);
    if (filter.unitPathPrefix !== undefined) q = q.where('unit_path', 'like', `${filter.unitPathPrefix}%`);
    if (filter.unitIds !== undefined) {
      if (filter.unitIds.length === 0) q = q.where(sql<boolean>`1 = 0`);
      else q = q.where('unit_id', 'in', filter.unitIds as string[]);
    }
    return q;
  }

  /**
   * 重复诉求 by index look-ups (the domain's repeatAppealRates with its defaults, in SQL): for each
   * closed appeal of the period (one unit or a subtree), whether another appeal of the same category
   * was created within `windowMs` after its closure (and by `observedUntil`) from the same citizen
   * (phone blind index) or the same place (region code). Used by the live figures; snapshots run the
   * domain function over replayed facts, and the integration test checks the two agree.
   */
  async repeatFlags(
    db: Executor,
    startDay: number,
    endDay: number,
    filter: { unitId?: string; unitPathPrefix?: string },
    windowMs: number,
    observedUntil: number,
    appealIds?: readonly string[],
  ): Promise<{ appeal_id: string; closed_at: number; by_citizen: number; by_place: number }[]> {
    const bound = sql<number>`case when a.closed_at + ${windowMs} < ${observedUntil} then a.closed_at + ${windowMs} else ${observedUntil} end`;
    let q = db
      .selectFrom('score_facts as a')
      .where('a.day', '>=', startDay)
      .where('a.day', '<', endDay)
      .where('a.status', '=', 'closed')
      .where('a.closed_at', 'is not', null);
    if (filter.unitId !== undefined) q = q.where('a.unit_id', '=', filter.unitId);
    if (filter.unitPathPrefix !== undefined) q = q.where('a.unit_path', 'like', `${filter.unitPathPrefix}%`);
    if (appealIds !== undefined) {
      if (appealIds.length === 0) return [];
      q = q.where('a.appeal_id', 'in', appealIds as string[]);
    }
    const rows = await q
      .select((eb) => [
        'a.appeal_id',
        'a.closed_at',
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('score_facts as b')
                .select(sql<number>`1`.as('one'))
                .whereRef('b.citizen_key', '=', 'a.citizen_key')
                .whereRef('b.category_id', '=', 'a.category_id')
                .whereRef('b.created_at', '>', 'a.closed_at')
                .where('b.created_at', '<=', bound)
                .whereRef('b.appeal_id', '<>', 'a.appeal_id'),
            ),
          )
          .then(1)
          .else(0)
          .end()
          .as('by_citizen'),
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('score_facts as b')
                .select(sql<number>`1`.as('one'))
                .whereRef('b.region_code', '=', 'a.region_code')
                .whereRef('b.category_id', '=', 'a.category_id')
                .whereRef('b.created_at', '>', 'a.closed_at')
                .where('b.created_at', '<=', bound)
                .whereRef('b.appeal_id', '<>', 'a.appeal_id'),
            ),
          )
          .then(1)
          .else(0)
          .end()
          .as('by_place'),
      ])
      .orderBy('a.appeal_id')
      .execute();
    return rows.map((r) => ({ appeal_id: r.appeal_id, closed_at: Number(r.closed_at), by_citizen: Number(r.by_citizen), by_place: Number(r.by_place) }));
  }

  /** The later appeals that repeat one closed appeal (for the drill-down of a page of items). */
  async repeatFollowers(db: Executor, a: { appealId: string; closedAt: number; citizenKey: string | null; regionCode: string; categoryId: string }, windowMs: number, observedUntil: number): Promise<string[]> {
    const end = Math.min(a.closedAt + windowMs, observedUntil);
    const rows = await db
      .selectFrom('score_facts')
      .select('appeal_id')
      .where('category_id', '=', a.categoryId)
      .where('created_at', '>', a.closedAt)
      .where('created_at', '<=', end)
      .where('appeal_id', '<>', a.appealId)
      .where((eb) => (a.citizenKey ? eb.or([eb('citizen_key', '=', a.citizenKey), eb('region_code', '=', a.regionCode)]) : eb('region_code', '=', a.regionCode)))
      .orderBy('appeal_id')
      .execute();
    return rows.map((r) => r.appeal_id);
  }

  /** Appeals created in [start, end) whose region code starts with one of the prefixes, counted per prefix. */
  async countCreatedByRegionPrefix(db: Executor, start: number, end: number, prefixes: readonly string[], asOf?: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (prefixes.length === 0) return out;
    let q = db.selectFrom('appeals').where('created_at', '>=', start).where('created_at', '<', end);
    if (asOf !== undefined) q = q.where('created_at', '<=', asOf);
    const rows = await q.select(['region_code', sql<number>`count(*)`.as('n')]).groupBy('region_code').execute();
    for (const p of prefixes) out.set(p, 0);
    for (const r of rows) {
      for (const p of prefixes) if (r.region_code.startsWith(p)) out.set(p, out.get(p)! + Number(r.n));
    }
    return out;
  }

  async insertSnapshot(db: Executor, row: ScoreSnapshotTable): Promise<void> {
    await db.insertInto('score_snapshots').values(row).execute();
  }

  async findSnapshot(db: Executor, id: string): Promise<ScoreSnapshotTable | undefined> {
    return db.selectFrom('score_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findSnapshotByLabel(db: Executor, label: string): Promise<ScoreSnapshotTable | undefined> {
    return db.selectFrom('score_snapshots').selectAll().where('period_label', '=', label).executeTakeFirst();
  }

  async listSnapshots(db: Executor) {
    return db
      .selectFrom('score_snapshots')
      .select(['id', 'period_label', 'period_kind', 'period_start', 'period_end', 'as_of', 'published_at', 'published_by', 'facts_hash', 'content_hash', 'appeals', 'units'])
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
}

export const scoringRepo = new ScoringRepository();
