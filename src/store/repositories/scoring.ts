// The evaluation engine's tables: score_facts (one row per appeal), score_stats (per unit × day ×
// stratum sums, updated by deltas), score_snapshots (published assessments; insert-only).
import { CompiledQuery, sql } from 'kysely';
import { STAT_COLUMNS, type ScoreFactTable, type ScoreSnapshotFactTable, type ScoreSnapshotTable, type StatColumns } from '../scoring-schema.ts';
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

export type Dialect = 'sqlite' | 'postgres';

const STAT_KEY_COLUMNS = ['unit_id', 'day', 'category_id', 'type', 'channel'] as const;
const ident = (c: string) => `"${c}"`;

/** One stratum-day row's change: the delta (possibly negative) of every statistic. */
export interface StatDelta {
  key: StatKeyRow;
  delta: StatColumns;
}

/** How an appeal's score_facts row changes: a new row, or the columns that changed. */
export type FactWrite = { kind: 'insert'; row: ScoreFactTable } | { kind: 'update'; appealId: string; changed: Partial<ScoreFactTable> };

/**
 * SQL text of the incremental path, written out once per dialect and shape (column set, row count) and
 * reused: building it with Kysely costs more than running it. Placeholders are numbered from `first`
 * on PostgreSQL, `?` on SQLite.
 */
class IncrementalSql {
  private readonly texts = new Map<string, string>();
  constructor(private readonly dialect: Dialect) {}

  private ph(i: number): string {
    return this.dialect === 'postgres' ? `$${i}` : '?';
  }

  private cached(key: string, make: () => string): string {
    let t = this.texts.get(key);
    if (t === undefined) {
      if (this.texts.size > 4000) this.texts.clear();
      t = make();
      this.texts.set(key, t);
    }
    return t;
  }

  /** `insert … values (…), (…) on conflict (key) do update set c = c + excluded.c` over the columns that move. */
  upsertStats(cols: readonly string[], rows: number, first: number): string {
    return this.cached(`stats|${cols.join(',')}|${rows}|${first}`, () => {
      const all = [...STAT_KEY_COLUMNS, ...cols];
      let i = first;
      const values = Array.from({ length: rows }, () => `(${all.map(() => this.ph(i++)).join(', ')})`).join(', ');
      const set = cols.map((c) => `${ident(c)} = ${ident('score_stats')}.${ident(c)} + ${ident('excluded')}.${ident(c)}`).join(', ');
      return `insert into ${ident('score_stats')} (${all.map(ident).join(', ')}) values ${values} on conflict (${STAT_KEY_COLUMNS.map(ident).join(', ')}) do update set ${set}`;
    });
  }

  insertFact(cols: readonly string[]): string {
    return this.cached(`insertFact|${cols.join(',')}`, () => `insert into ${ident('score_facts')} (${cols.map(ident).join(', ')}) values (${cols.map((_, i) => this.ph(i + 1)).join(', ')})`);
  }

  updateFact(cols: readonly string[]): string {
    return this.cached(`updateFact|${cols.join(',')}`, () => `update ${ident('score_facts')} set ${cols.map((c, i) => `${ident(c)} = ${this.ph(i + 1)}`).join(', ')} where ${ident('appeal_id')} = ${this.ph(cols.length + 1)}`);
  }

  getFact(): string {
    return this.cached('getFact', () => `select ${ident('fact')} from ${ident('score_facts')} where ${ident('appeal_id')} = ${this.ph(1)}`);
  }
}

export class ScoringRepository {
  private readonly incremental = { sqlite: new IncrementalSql('sqlite'), postgres: new IncrementalSql('postgres') };

  /**
   * Writes one appeal's change of fact and moves its contribution between stratum-day rows, in as few
   * statements as the dialect allows: on PostgreSQL one (the fact write as a data-modifying CTE in
   * front of one multi-row upsert of score_stats), on SQLite two (no round trips there: each statement
   * is a call into the library). Each stratum row is one `insert … on conflict do update set c = c + δ`
   * row: nothing is read back. The rows must have distinct keys (PostgreSQL refuses to touch one row
   * twice in a statement); only the columns that move in some row are written.
   */
  async writeFactChange(db: Executor, dialect: Dialect, write: FactWrite, stats: readonly StatDelta[]): Promise<void> {
    const gen = this.incremental[dialect];
    let factSql: string;
    let factParams: unknown[];
    if (write.kind === 'insert') {
      const cols = Object.keys(write.row) as (keyof ScoreFactTable)[];
      factSql = gen.insertFact(cols);
      factParams = cols.map((c) => write.row[c]);
    } else {
      const cols = Object.keys(write.changed) as (keyof ScoreFactTable)[];
      if (cols.length === 0) {
        factSql = '';
        factParams = [];
      } else {
        factSql = gen.updateFact(cols);
        factParams = [...cols.map((c) => write.changed[c]), write.appealId];
      }
    }
    const moving = stats.filter((r) => STAT_COLUMNS.some((c) => r.delta[c] !== 0));
    const cols = STAT_COLUMNS.filter((c) => moving.some((r) => r.delta[c] !== 0));
    const statParams: unknown[] = [];
    if (cols.length > 0) {
      for (const r of moving) {
        statParams.push(r.key.unit_id, r.key.day, r.key.category_id, r.key.type, r.key.channel);
        for (const c of cols) statParams.push(r.delta[c]);
      }
    }
    if (dialect === 'postgres' && factSql !== '' && cols.length > 0) {
      // A data-modifying CTE always runs to completion, referenced or not.
      const text = `with ${ident('fact_write')} as (${factSql}) ${gen.upsertStats(cols, moving.length, factParams.length + 1)}`;
      await db.executeQuery(CompiledQuery.raw(text, [...factParams, ...statParams]));
      return;
    }
    if (factSql !== '') await db.executeQuery(CompiledQuery.raw(factSql, factParams));
    if (cols.length > 0) await db.executeQuery(CompiledQuery.raw(gen.upsertStats(cols, moving.length, 1), statParams));
  }

  async getFact(db: Executor, appealId: string): Promise<ScoreFactTable | undefined> {
    return db.selectFrom('score_facts').selectAll().where('appeal_id', '=', appealId).executeTakeFirst();
  }

  /** Only the stored fact JSON (everything else in the row is derived from it). */
  async getFactJson(db: Executor, appealId: string, dialect: Dialect): Promise<string | undefined> {
    const r = await db.executeQuery<{ fact: string }>(CompiledQuery.raw(this.incremental[dialect].getFact(), [appealId]));
    return r.rows[0]?.fact;
  }

  async insertFacts(db: Executor, rows: ScoreFactTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('score_facts').values(rows.slice(i, i + 400)).execute();
  }

  async insertStats(db: Executor, rows: (StatKeyRow & StatColumns)[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('score_stats').values(rows.slice(i, i + 400)).execute();
  }

  /** Adds rows to score_stats (insert, or add to the stratum-day row already there): a bulk writer's
   *  batch at once, the same change as writeFactChange's for one fact. */
  async addStats(db: Executor, rows: (StatKeyRow & StatColumns)[]): Promise<void> {
    const set = Object.fromEntries(STAT_COLUMNS.map((c) => [c, sql<number>`${sql.ref(`score_stats.${c}`)} + ${sql.ref(`excluded.${c}`)}`]));
    for (let i = 0; i < rows.length; i += 400) {
      await db
        .insertInto('score_stats')
        .values(rows.slice(i, i + 400))
        .onConflict((oc) => oc.columns([...STAT_KEY_COLUMNS]).doUpdateSet(set))
        .execute();
    }
  }

  async clear(db: Executor): Promise<void> {
    await db.deleteFrom('score_stats').execute();
    // The triggers left the month rows at zero; they go too.
    await db.deleteFrom('score_stats_month').execute();
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
  async statsGroupedBy(db: Executor, startDay: number, endDay: number, unitIds: readonly string[], by: 'category_id' | 'type' | 'channel'): Promise<GroupedStats[]> {
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

  /** Sums of score_stats_month over some months ('YYYY-MM') and a set of units, per month or per unit. */
  async monthStats(db: Executor, months: readonly string[], unitIds: readonly string[], by: 'month' | 'unit_id'): Promise<GroupedStats[]> {
    if (unitIds.length === 0 || months.length === 0) return [];
    const rows = await db
      .selectFrom('score_stats_month')
      .where('month', 'in', months as string[])
      .where('unit_id', 'in', unitIds as string[])
      .select([by, ...sumSelections()])
      .groupBy(by)
      .execute();
    return rows.map((r) => ({ key: String((r as Record<string, unknown>)[by]), sub: '', cols: toColumns(r as Record<string, unknown>) }));
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
   * (phone blind index) or about the same place: the same township (region code) and the same place
   * index (place_key: one compound, village, school, or road and number). A fact without a place index
   * is repeated only by its citizen. Used by the live figures; snapshots run the domain function over
   * replayed facts, and the integration test checks the two agree.
   */
  async repeatFlags(
    db: Executor,
    startDay: number,
    endDay: number,
    filter: { unitId?: string; unitPathPrefix?: string },
    windowMs: number,
    observedUntil: number,
    opts: { dayByDay?: boolean } = {},
  ): Promise<{ appeal_id: string; closed_at: number; by_citizen: number; by_place: number }[]> {
    if (opts.dayByDay && endDay - startDay > 1) {
      // A month of a large city is tens of thousands of probes: as one statement on SQLite it would
      // hold its connection's thread for its whole length (better-sqlite3 is synchronous — 67 ms of the
      // city summary's 84 ms at 200,000 appeals): the whole process without read threads, where every
      // request arriving meanwhile, even one answered from the figures cache, would wait; else one read
      // thread, with the other dashboards' reads queued behind it. A day at a time, with a turn of the
      // event loop between days. The rows come by day, then appeal id.
      const out: { appeal_id: string; closed_at: number; by_citizen: number; by_place: number }[] = [];
      for (let day = startDay; day < endDay; day++) {
        if (day > startDay) await new Promise<void>((resolve) => setImmediate(resolve));
        out.push(...(await this.repeatFlags(db, day, day + 1, filter, windowMs, observedUntil)));
      }
      return out;
    }
    const bound = sql<number>`case when a.closed_at + ${windowMs} < ${observedUntil} then a.closed_at + ${windowMs} else ${observedUntil} end`;
    let q = db
      .selectFrom('score_facts as a')
      .where('a.day', '>=', startDay)
      .where('a.day', '<', endDay)
      .where('a.status', '=', 'closed')
      .where('a.closed_at', 'is not', null);
    if (filter.unitId !== undefined) q = q.where('a.unit_id', '=', filter.unitId);
    if (filter.unitPathPrefix !== undefined) q = q.where('a.unit_path', 'like', `${filter.unitPathPrefix}%`);
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
                // a.place_key null: the equality is never true, so no probe matches.
                .whereRef('b.place_key', '=', 'a.place_key')
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
  async repeatFollowers(
    db: Executor,
    a: { appealId: string; closedAt: number; citizenKey: string | null; regionCode: string; placeKey: string | null; categoryId: string },
    windowMs: number,
    observedUntil: number,
  ): Promise<string[]> {
    const end = Math.min(a.closedAt + windowMs, observedUntil);
    if (!a.citizenKey && !a.placeKey) return [];
    const citizenKey = a.citizenKey;
    const placeKey = a.placeKey;
    const rows = await db
      .selectFrom('score_facts')
      .select('appeal_id')
      .where('category_id', '=', a.categoryId)
      .where('created_at', '>', a.closedAt)
      .where('created_at', '<=', end)
      .where('appeal_id', '<>', a.appealId)
      .where((eb) =>
        eb.or([
          ...(citizenKey ? [eb('citizen_key', '=', citizenKey)] : []),
          ...(placeKey ? [eb.and([eb('place_key', '=', placeKey), eb('region_code', '=', a.regionCode)])] : []),
        ]),
      )
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

  async insertSnapshotFacts(db: Executor, rows: readonly ScoreSnapshotFactTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 300) await db.insertInto('score_snapshot_facts').values(rows.slice(i, i + 300)).execute();
  }

  async hasSnapshotFacts(db: Executor, snapshotId: string): Promise<boolean> {
    return (await db.selectFrom('score_snapshot_facts').select('appeal_id').where('snapshot_id', '=', snapshotId).limit(1).executeTakeFirst()) !== undefined;
  }

  /** Every per-appeal row frozen with a snapshot. */
  async snapshotFacts(db: Executor, snapshotId: string): Promise<ScoreSnapshotFactTable[]> {
    return db.selectFrom('score_snapshot_facts').selectAll().where('snapshot_id', '=', snapshotId).execute();
  }

  /** The 90-day repeat outcome frozen with a snapshot, per appeal of the units (appeals without one left out). */
  async snapshotRepeatOutcomes(db: Executor, snapshotId: string, unitIds: readonly string[]): Promise<Map<string, string>> {
    if (unitIds.length === 0) return new Map();
    const rs = await db
      .selectFrom('score_snapshot_facts')
      .select(['appeal_id', 'repeat_outcome'])
      .where('snapshot_id', '=', snapshotId)
      .where('unit_id', 'in', unitIds as string[])
      .where('repeat_outcome', 'is not', null)
      .execute();
    return new Map(rs.map((r) => [r.appeal_id, r.repeat_outcome!] as const));
  }

  /** Sums of a snapshot's frozen per-appeal contributions over a set of units. */
  async snapshotStats(db: Executor, snapshotId: string, unitIds: readonly string[]): Promise<StatColumns> {
    if (unitIds.length === 0) return toColumns({});
    const r = await db
      .selectFrom('score_snapshot_facts')
      .select(sumSelections())
      .where('snapshot_id', '=', snapshotId)
      .where('unit_id', 'in', unitIds as string[])
      .executeTakeFirst();
    return toColumns((r ?? {}) as Record<string, unknown>);
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
