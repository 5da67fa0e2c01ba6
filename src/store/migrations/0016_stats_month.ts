// score_stats_month: the sums of score_stats per unit and (Beijing) month, for the dashboards' 12-month
// trend and month figures — reading twelve rows per unit instead of every unit × day × stratum row of a
// year (docs/deployment.md §5: the trend was half of the summary's computation, growing with the city).
//
// Kept by triggers on score_stats, so that every path that writes the statistics (the projector's
// additive upsert, the rebuild's bulk insert and clear, the bulk import's upsert) moves the month rows
// in the same statement, and no writer can forget it: an insert adds the row, an update adds the
// difference, a delete subtracts the row. score_stats.day is the Asia/Shanghai day number, so the
// UTC date of day × 86400 s is the Beijing date and its 'YYYY-MM' is the month's label.
import { sql, type Kysely } from 'kysely';
import { STAT_COLUMNS } from '../scoring-schema.ts';
import type { MigrationContext } from './index.ts';

const q = (c: string) => `"${c}"`;

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  let t = db.schema.createTable('score_stats_month').addColumn('unit_id', 'text', (c) => c.notNull()).addColumn('month', 'text', (c) => c.notNull());
  for (const col of STAT_COLUMNS) t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('score_stats_month_pk', ['unit_id', 'month']).execute();
  await db.schema.createIndex('score_stats_month_month').on('score_stats_month').columns(['month', 'unit_id']).execute();

  const cols = STAT_COLUMNS.map(q).join(', ');
  const add = STAT_COLUMNS.map((c) => `${q(c)} = score_stats_month.${q(c)} + excluded.${q(c)}`).join(', ');
  /** One upsert of `sign`·row (or NEW − OLD) into the month of `month`. */
  const upsert = (month: string, values: (c: string) => string) =>
    `insert into score_stats_month (unit_id, month, ${cols}) values (${month === 'OLD' ? 'OLD' : 'NEW'}.unit_id, ${monthOf(ctx.dialect, month)}, ${STAT_COLUMNS.map(values).join(', ')}) on conflict (unit_id, month) do update set ${add}`;
  const plus = (c: string) => `NEW.${q(c)}`;
  const minus = (c: string) => `-OLD.${q(c)}`;
  const delta = (c: string) => `NEW.${q(c)} - OLD.${q(c)}`;
  // An update that moves a row to another unit or day (none does today) is a delete plus an insert.
  const moved = `NEW.unit_id <> OLD.unit_id or NEW.day <> OLD.day`;

  if (ctx.dialect === 'sqlite') {
    await sql.raw(`create trigger score_stats_month_ins after insert on score_stats begin ${upsert('NEW', plus)}; end`).execute(db);
    await sql.raw(`create trigger score_stats_month_del after delete on score_stats begin ${upsert('OLD', minus)}; end`).execute(db);
    await sql.raw(`create trigger score_stats_month_upd after update on score_stats when not (${moved}) begin ${upsert('NEW', delta)}; end`).execute(db);
    await sql.raw(`create trigger score_stats_month_mov after update on score_stats when ${moved} begin ${upsert('OLD', minus)}; ${upsert('NEW', plus)}; end`).execute(db);
  } else {
    await sql
      .raw(
        `create or replace function score_stats_month_keep() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    ${upsert('NEW', plus)};
  elsif tg_op = 'DELETE' then
    ${upsert('OLD', minus)};
  elsif ${moved} then
    ${upsert('OLD', minus)};
    ${upsert('NEW', plus)};
  else
    ${upsert('NEW', delta)};
  end if;
  return null;
end $$`,
      )
      .execute(db);
    await sql.raw(`create trigger score_stats_month_keep after insert or update or delete on score_stats for each row execute function score_stats_month_keep()`).execute(db);
    // TRUNCATE fires no row trigger: the month rows go with it.
    await sql.raw(`create or replace function score_stats_month_truncate() returns trigger language plpgsql as $$ begin truncate score_stats_month; return null; end $$`).execute(db);
    await sql.raw(`create trigger score_stats_month_truncate after truncate on score_stats for each statement execute function score_stats_month_truncate()`).execute(db);
  }

  // The months of the statistics already there.
  const sums = STAT_COLUMNS.map((c) => `sum(${q(c)})`).join(', ');
  await sql.raw(`insert into score_stats_month (unit_id, month, ${cols}) select unit_id, ${monthOf(ctx.dialect, 'score_stats')} as m, ${sums} from score_stats group by unit_id, m`).execute(db);
}

/** 'YYYY-MM' of a score_stats row's Beijing day number (`row`: NEW, OLD or the table). */
function monthOf(dialect: MigrationContext['dialect'], row: string): string {
  return dialect === 'sqlite' ? `strftime('%Y-%m', ${row}.day * 86400, 'unixepoch')` : `to_char(date '1970-01-01' + ${row}.day::int, 'YYYY-MM')`;
}
