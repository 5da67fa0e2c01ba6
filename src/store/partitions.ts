// Monthly partitions of the large append-mostly tables on PostgreSQL (DESIGN.md §9, docs/deployment.md §4).
//
// appeals, appeal_events and ratings are range-partitioned by the appeal id: ids are ULIDs whose first ten
// characters are the creation time, so "the month the appeal came in" is an id range, an appeal's events
// and ratings live in the same month as the appeal, and the primary keys ((id), (appeal_id, seq),
// (appeal_id, round)) include the partition key as PostgreSQL requires. audit_log is partitioned by `at`.
// Months are Beijing months (UTC+8), like tracking codes (MB2611-…). Each table has a DEFAULT partition, so
// no row is ever refused for want of a partition; the maintenance job creates the coming months ahead of
// time, and moves rows that reached the default (an import of old history, a clock far off) into the
// month's partition when it creates it. SQLite is not partitioned: every function here is PostgreSQL-only.
import { sql, type Kysely } from 'kysely';
import { idTime, idTimePrefix } from '../lib/ids.ts';

const BEIJING_MS = 8 * 3600_000;

export type PartitionKey = 'id' | 'appeal_id' | 'at';

export interface PartitionedTable {
  table: string;
  key: PartitionKey;
  /** Unique per partition only (PostgreSQL cannot enforce a unique index without the partition key). */
  uniquePerPartition?: string[];
}

export const PARTITIONED: readonly PartitionedTable[] = [
  // Tracking codes carry the Beijing month they were issued in (MB2611-…), the same month as the appeal's
  // id, so a unique index on every monthly partition is unique across the table.
  { table: 'appeals', key: 'id', uniquePerPartition: ['tracking_code'] },
  { table: 'appeal_events', key: 'appeal_id' },
  { table: 'ratings', key: 'appeal_id' },
  { table: 'audit_log', key: 'at' },
];

/** A Beijing calendar month, as 'YYYYMM'. */
export interface Month {
  year: number;
  month: number; // 1..12
}

export function monthOf(ms: number): Month {
  const d = new Date(ms + BEIJING_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function addMonths(m: Month, n: number): Month {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

export const monthLabel = (m: Month) => `${m.year}${String(m.month).padStart(2, '0')}`;

/** The first millisecond of the month, Beijing time. */
export function monthStart(m: Month): number {
  return Date.UTC(m.year, m.month - 1, 1) - BEIJING_MS;
}

/** The time a value of the table's partition key stands for (an id's creation time, or `at`). */
export const keyTime = (t: PartitionedTable, v: string | number): number => (t.key === 'at' ? Number(v) : idTime(String(v)));

/** The lowest id of anything created at or after `ms`. */
export const idFloor = (ms: number) => `${idTimePrefix(ms)}${'0'.repeat(16)}`;

export interface Bounds {
  from: string | number;
  to: string | number;
}

export function boundsOf(key: PartitionKey, m: Month): Bounds {
  const lo = monthStart(m);
  const hi = monthStart(addMonths(m, 1));
  return key === 'at' ? { from: lo, to: hi } : { from: idFloor(lo), to: idFloor(hi) };
}

export const partitionName = (table: string, m: Month) => `${table}_p${monthLabel(m)}`;
export const defaultPartitionName = (table: string) => `${table}_pdefault`;

const literal = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

type AnyDb = Kysely<any>;

export async function isPartitioned(db: AnyDb, table: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_partitioned_table p join pg_class c on c.oid = p.partrelid where c.relname = ${table} and pg_table_is_visible(c.oid)`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

export interface PartitionInfo {
  table: string;
  partition: string;
  /** 'YYYYMM', or 'default'. */
  month: string;
  rows: number;
}

/** The partitions of every partitioned table with their row counts (estimates from the statistics). */
export async function listPartitions(db: AnyDb): Promise<PartitionInfo[]> {
  const r = await sql<{ parent: string; child: string; rows: number }>`
    select p.relname as parent, c.relname as child, greatest(c.reltuples, 0)::bigint as rows
    from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where pg_table_is_visible(p.oid) order by p.relname, c.relname`.execute(db);
  const tables = new Set(PARTITIONED.map((t) => t.table));
  return r.rows
    .filter((x) => tables.has(x.parent))
    .map((x) => ({ table: x.parent, partition: x.child, month: x.child.endsWith('_pdefault') ? 'default' : x.child.slice(-6), rows: Number(x.rows) }));
}

async function partitionExists(db: AnyDb, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = ${name} and pg_table_is_visible(oid)`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

async function uniquePerPartition(db: AnyDb, t: PartitionedTable, part: string): Promise<void> {
  for (const col of t.uniquePerPartition ?? []) {
    await sql.raw(`create unique index if not exists ${part}_${col}_key on ${part} (${col})`).execute(db);
  }
}

/** Creates the default partition of a partitioned table (if missing). */
export async function ensureDefaultPartition(db: AnyDb, t: PartitionedTable): Promise<void> {
  const part = defaultPartitionName(t.table);
  if (!(await partitionExists(db, part))) await sql.raw(`create table ${part} partition of ${t.table} default`).execute(db);
  await uniquePerPartition(db, t, part);
}

/**
 * Creates the month's partition unless it exists. Rows of that month already in the default partition are
 * moved into it in the same transaction (PostgreSQL refuses a new partition while the default holds rows
 * of its range). Returns the number of rows moved, or null when the partition already existed.
 */
export async function ensureMonthPartition(db: AnyDb, t: PartitionedTable, m: Month): Promise<number | null> {
  const part = partitionName(t.table, m);
  if (await partitionExists(db, part)) return null;
  const b = boundsOf(t.key, m);
  const def = defaultPartitionName(t.table);
  const range = `${t.key} >= ${literal(b.from)} and ${t.key} < ${literal(b.to)}`;
  const work = async (trx: AnyDb): Promise<number | null> => {
    // Blocks writers for the moment of the check and the move; the normal case (created ahead of time)
    // finds nothing to move.
    await sql.raw(`lock table ${t.table} in share row exclusive mode`).execute(trx);
    if (await partitionExists(trx, part)) return null;
    const hasDefault = await partitionExists(trx, def);
    const stray = hasDefault ? Number((await sql.raw<{ n: number }>(`select count(*)::int as n from ${def} where ${range}`).execute(trx)).rows[0]?.n ?? 0) : 0;
    if (stray === 0) {
      await sql.raw(`create table ${part} partition of ${t.table} for values from (${literal(b.from)}) to (${literal(b.to)})`).execute(trx);
    } else {
      await sql.raw(`create table ${part} (like ${t.table} including defaults including constraints)`).execute(trx);
      // Moving is not tampering: the same rows, hashes and sequence numbers, in another partition. The
      // audit log's guard refuses deletes of recent rows, so it is switched off on the default partition
      // for this transaction only (ALTER TABLE holds an exclusive lock until the commit).
      if (t.table === 'audit_log') await sql.raw(`alter table ${def} disable trigger user`).execute(trx);
      await sql.raw(`with moved as (delete from ${def} where ${range} returning *) insert into ${part} select * from moved`).execute(trx);
      if (t.table === 'audit_log') await sql.raw(`alter table ${def} enable trigger user`).execute(trx);
      await sql.raw(`alter table ${t.table} attach partition ${part} for values from (${literal(b.from)}) to (${literal(b.to)})`).execute(trx);
    }
    await uniquePerPartition(trx, t, part);
    return stray;
  };
  // Inside a migration the caller's transaction is used; otherwise one of its own.
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export interface EnsureReport {
  created: string[];
  moved: number;
}

/** The table's partitions for the months from `from` to `to` (inclusive), added to the report. */
export async function ensureMonths(db: AnyDb, t: PartitionedTable, from: Month, to: Month, report: EnsureReport = { created: [], moved: 0 }): Promise<EnsureReport> {
  for (let m = from; m.year * 12 + m.month <= to.year * 12 + to.month; m = addMonths(m, 1)) {
    const moved = await ensureMonthPartition(db, t, m);
    if (moved !== null) {
      report.created.push(partitionName(t.table, m));
      report.moved += moved;
    }
  }
  return report;
}

/** Every partitioned table gets the months from `from` to `to` (inclusive). No-op on tables not partitioned. */
export async function ensurePartitions(db: AnyDb, from: Month, to: Month): Promise<EnsureReport> {
  const report: EnsureReport = { created: [], moved: 0 };
  for (const t of PARTITIONED) {
    if (!(await isPartitioned(db, t.table))) continue;
    await ensureDefaultPartition(db, t);
    await ensureMonths(db, t, from, to, report);
  }
  return report;
}

/** The partitions due now: this month and `ahead` months after it. */
export function dueMonths(now: number, ahead: number): { from: Month; to: Month } {
  const m = monthOf(now);
  return { from: m, to: addMonths(m, ahead) };
}

/** How far back the default partition is split into months; older stray rows stay in the default. */
const MAX_SPLIT_MONTHS = 120;

/**
 * Gives every month that has rows in a default partition its own partition (an import of old history, a
 * clock that was wrong). Cheap when the defaults are empty: one min/max per table.
 */
export async function splitDefaults(db: AnyDb): Promise<EnsureReport> {
  const report: EnsureReport = { created: [], moved: 0 };
  for (const t of PARTITIONED) {
    const def = defaultPartitionName(t.table);
    if (!(await isPartitioned(db, t.table)) || !(await partitionExists(db, def))) continue;
    const r = (await sql.raw<{ lo: string | number | null; hi: string | number | null }>(`select min(${t.key}) as lo, max(${t.key}) as hi from ${def}`).execute(db)).rows[0];
    if (!r || r.lo === null || r.hi === null) continue;
    const hi = monthOf(keyTime(t, r.hi));
    const lo = monthOf(keyTime(t, r.lo));
    const span = hi.year * 12 + hi.month - (lo.year * 12 + lo.month);
    if (!Number.isFinite(span)) continue;
    const from = span > MAX_SPLIT_MONTHS ? addMonths(hi, -MAX_SPLIT_MONTHS) : lo;
    await ensureMonths(db, t, from, hi, report);
  }
  return report;
}

/** What the maintenance job does: the coming months ahead of time, and the defaults split. */
export async function maintainPartitions(db: AnyDb, now: number, ahead = 2): Promise<EnsureReport> {
  const { from, to } = dueMonths(now, ahead);
  const a = await ensurePartitions(db, from, to);
  const b = await splitDefaults(db);
  return { created: [...a.created, ...b.created], moved: a.moved + b.moved };
}
