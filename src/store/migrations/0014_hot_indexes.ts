// Indexes chosen from the plans of the hot queries (bench/scale/explain.ts, docs/deployment.md §6):
// - the repeat-appeal figure asks, per closed appeal, whether the same place *and category* saw a new
//   appeal within 90 days: (region_code, category_id, created_at) answers it from the index alone,
//   where (region_code, created_at) fetched every appeal of the street in the window from the heap;
// - the appeal list's data scope is a path prefix (`unit_path LIKE '/…/%' OR intake_path LIKE …`):
//   without an index usable for a prefix every page load read every appeal (every partition on
//   PostgreSQL). PostgreSQL needs text_pattern_ops for LIKE under a non-C collation; SQLite's LIKE is
//   case-insensitive, so its index must be NOCASE for the prefix optimisation;
// - the scheduler's rectification scan reads the last 30 days of ratings (it read every low rating in
//   history on every tick): ratings (rated_at).
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('score_facts_place').on('score_facts').columns(['region_code', 'category_id', 'created_at']).execute();
  await db.schema.createIndex('ratings_rated_at').on('ratings').columns(['rated_at']).execute();
  if (ctx.dialect === 'postgres') {
    await sql`create index appeals_unit_path on appeals (unit_path text_pattern_ops)`.execute(db);
    await sql`create index appeals_intake_path on appeals (intake_path text_pattern_ops)`.execute(db);
  } else {
    await sql`create index appeals_unit_path on appeals (unit_path collate nocase)`.execute(db);
    await sql`create index appeals_intake_path on appeals (intake_path collate nocase)`.execute(db);
  }
}
