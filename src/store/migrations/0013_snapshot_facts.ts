// The frozen per-appeal facts of every published snapshot (score_snapshot_facts): what each appeal
// counted for when the period was published — its fact, its contribution to every statistic and its
// 90-day repeat outcome — so that the drill-down of a published figure lists what was counted then,
// whatever happens to the appeals later. Insert-only, like score_snapshots.
import type { Kysely } from 'kysely';
import { STAT_COLUMNS } from '../scoring-schema.ts';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;
  let t = db.schema
    .createTable('score_snapshot_facts')
    .addColumn('snapshot_id', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('period_at', ms, (c) => c.notNull())
    .addColumn('fact', 'text', (c) => c.notNull())
    // 重复诉求 as judged at publication: 'repeat' | 'no-repeat' | 'pending', null when not judged (not closed, excluded).
    .addColumn('repeat_outcome', 'text')
    // The later appeals that repeat it (JSON array of ids), when repeat_outcome = 'repeat'.
    .addColumn('repeat_followers', 'text');
  for (const col of STAT_COLUMNS) t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await t.addPrimaryKeyConstraint('score_snapshot_facts_pk', ['snapshot_id', 'appeal_id']).execute();
  await db.schema.createIndex('score_snapshot_facts_unit').on('score_snapshot_facts').columns(['snapshot_id', 'unit_id']).execute();
}
