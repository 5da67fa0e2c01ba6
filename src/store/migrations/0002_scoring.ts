// The evaluation engine's storage (issue 3): score_facts (one row per appeal: its current AppealFact
// and what it adds to each sufficient statistic), score_stats (the sums per unit × day × stratum,
// maintained incrementally inside every appeal transaction) and score_snapshots (published, frozen).
import type { Kysely } from 'kysely';
import { STAT_COLUMNS } from '../scoring-schema.ts';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;

  let facts = db.schema
    .createTable('score_facts')
    .addColumn('appeal_id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('closed_at', ms)
    .addColumn('period_at', ms, (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('citizen_key', 'text')
    .addColumn('fact', 'text', (c) => c.notNull());
  for (const col of STAT_COLUMNS) facts = facts.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await facts.execute();
  await db.schema.createIndex('score_facts_day_unit').on('score_facts').columns(['day', 'unit_id']).execute();
  await db.schema.createIndex('score_facts_unit_day').on('score_facts').columns(['unit_id', 'day']).execute();
  await db.schema.createIndex('score_facts_citizen').on('score_facts').columns(['citizen_key', 'created_at']).execute();
  await db.schema.createIndex('score_facts_region_created').on('score_facts').columns(['region_code', 'created_at']).execute();
  await db.schema.createIndex('score_facts_created').on('score_facts').columns(['created_at']).execute();

  let stats = db.schema
    .createTable('score_stats')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull());
  for (const col of STAT_COLUMNS) stats = stats.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  await stats.addPrimaryKeyConstraint('score_stats_pk', ['unit_id', 'day', 'category_id', 'type', 'channel']).execute();
  await db.schema.createIndex('score_stats_day').on('score_stats').columns(['day', 'unit_id']).execute();

  await db.schema
    .createTable('score_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_label', 'text', (c) => c.notNull().unique())
    .addColumn('period_kind', 'text', (c) => c.notNull())
    .addColumn('period_start', ms, (c) => c.notNull())
    .addColumn('period_end', ms, (c) => c.notNull())
    .addColumn('as_of', ms, (c) => c.notNull())
    .addColumn('published_at', ms, (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('facts_hash', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('appeals', 'integer', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
}
