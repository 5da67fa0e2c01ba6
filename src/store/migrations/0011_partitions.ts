// PostgreSQL: appeals, appeal_events, ratings and audit_log become monthly range-partitioned tables
// (src/store/partitions.ts says how and why). Existing rows are copied into partitions covering their
// months; the copy runs inside the migration's transaction, so a large database needs a maintenance
// window (docs/deployment.md §4 gives the figures). SQLite keeps its plain tables.
import { sql, type Kysely } from 'kysely';
import { addMonths, ensureDefaultPartition, ensureMonths, keyTime, monthOf, PARTITIONED, type PartitionedTable } from '../partitions.ts';
import type { MigrationContext } from './index.ts';

/** The primary key of each table once partitioned: it must contain the partition key. */
const PRIMARY_KEYS: Record<string, { name: string; columns: string }> = {
  appeals: { name: 'appeals_pkey', columns: 'id' },
  appeal_events: { name: 'appeal_events_pk', columns: 'appeal_id, seq' },
  ratings: { name: 'ratings_pk', columns: 'appeal_id, round' },
  audit_log: { name: 'audit_log_pkey', columns: 'seq, at' },
};

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  const now = Date.now();
  for (const t of PARTITIONED) await partition(db, t, now);
}

async function partition(db: Kysely<unknown>, t: PartitionedTable, now: number): Promise<void> {
  const old = `${t.table}_unpartitioned`;
  // The table's own secondary indexes, re-created on the partitioned table after the copy.
  const indexes = (
    await sql<{ name: string; def: string }>`select indexname as name, indexdef as def from pg_indexes where tablename = ${t.table} and schemaname = current_schema()`.execute(db)
  ).rows.filter((i) => i.name !== PRIMARY_KEYS[t.table]!.name && !(t.uniquePerPartition ?? []).some((c) => i.name === `${t.table}_${c}_key`));
  const triggers = (
    await sql<{ def: string }>`select pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = ${t.table}::regclass and not tgisinternal`.execute(db)
  ).rows.map((r) => r.def);
  const range = (
    await sql.raw<{ lo: string | number | null; hi: string | number | null }>(`select min(${t.key}) as lo, max(${t.key}) as hi from ${t.table}`).execute(db)
  ).rows[0];

  await sql.raw(`alter table ${t.table} rename to ${old}`).execute(db);
  if (t.table === 'audit_log') {
    // The serial's sequence belongs to the old column; it must outlive the old table.
    await sql.raw(`alter sequence audit_log_seq_seq owned by none`).execute(db);
  }
  await sql.raw(`create table ${t.table} (like ${old} including defaults including generated including storage) partition by range (${t.key})`).execute(db);
  const pk = PRIMARY_KEYS[t.table]!;

  // Months: from the oldest row (or this month) to two months ahead; anything else lands in the default.
  const lo = range?.lo ?? null;
  const hi = range?.hi ?? null;
  const first = monthOf(Math.min(lo === null ? now : keyTime(t, lo), now));
  const last = addMonths(monthOf(Math.max(hi === null ? now : keyTime(t, hi), now)), 2);
  await ensureDefaultPartition(db, t);
  await ensureMonths(db, t, first, last);

  await sql.raw(`insert into ${t.table} select * from ${old}`).execute(db);
  await sql.raw(`drop table ${old}`).execute(db);
  await sql.raw(`alter table ${t.table} add constraint ${pk.name} primary key (${pk.columns})`).execute(db);
  for (const i of indexes) await sql.raw(i.def.replace(/ ON (ONLY )?[\w."]+ USING /, ` ON ${t.table} USING `)).execute(db);
  for (const c of t.uniquePerPartition ?? []) await sql.raw(`create index ${t.table}_${c} on ${t.table} (${c})`).execute(db);
  // Captured before the rename, the definitions already name the table; its row triggers reach every partition.
  for (const def of triggers) await sql.raw(def).execute(db);
  if (t.table === 'audit_log') await sql.raw(`alter sequence audit_log_seq_seq owned by audit_log.seq`).execute(db);
}
