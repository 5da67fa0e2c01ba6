// Text intelligence (issue 4): appeal insights, classifier models, hotspots. Both dialects.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;
  const real = ctx.dialect === 'postgres' ? ('double precision' as const) : ('real' as const);

  await db.schema
    .createTable('appeal_insights')
    .addColumn('appeal_id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('predicted_category_id', 'text')
    .addColumn('confidence', real)
    .addColumn('ranked', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('model_id', 'text')
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('route_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('auto_unit_id', 'text')
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('risk_score', real, (c) => c.notNull())
    .addColumn('risk_signals', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('repeat_of', 'text')
    .addColumn('same_issue_as', 'text')
    .addColumn('similarity', real)
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_insights_risk').on('appeal_insights').columns(['risk_level', 'created_at']).execute();
  await db.schema.createIndex('appeal_insights_issue').on('appeal_insights').column('issue_id').execute();

  await db.schema
    .createTable('text_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('training_rows', 'integer', (c) => c.notNull())
    .addColumn('confirmed_rows', 'integer', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('hotspots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('heat', real, (c) => c.notNull())
    .addColumn('heat_parts', 'text', (c) => c.notNull())
    .addColumn('appeals', 'integer', (c) => c.notNull())
    .addColumn('citizens', 'integer', (c) => c.notNull())
    .addColumn('trend', 'text', (c) => c.notNull())
    .addColumn('owner_unit_id', 'text')
    .addColumn('owner_unit_path', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_at', ms, (c) => c.notNull())
    .addColumn('last_at', ms, (c) => c.notNull())
    .addColumn('resolved_at', ms)
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotspots_status').on('hotspots').columns(['status', 'heat']).execute();

  await db.schema
    .createTable('hotspot_appeals')
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotspot_appeals_pk', ['hotspot_id', 'appeal_id'])
    .execute();
  await db.schema.createIndex('hotspot_appeals_appeal').on('hotspot_appeals').column('appeal_id').execute();
}
