// Interoperability (issue 8): API keys for client systems, Open311 submissions, hotline import
// profiles, jobs, imported work-order numbers (exactly-once) and rejected rows. Both dialects.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;
  const real = ctx.dialect === 'postgres' ? ('double precision' as const) : ('real' as const);

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('revoked_at', ms)
    .addColumn('revoked_by', 'text')
    .addColumn('last_used_at', ms)
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('open311_requests')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('service_request_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('api_key_id', 'text', (c) => c.notNull())
    .addColumn('service_code', 'text', (c) => c.notNull())
    .addColumn('lat', real)
    .addColumn('lng', real)
    .addColumn('address_id', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('media_url', 'text')
    .addColumn('email_enc', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('open311_requests_appeal').on('open311_requests').column('appeal_id').execute();

  await db.schema
    .createTable('import_profiles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('profile', 'text')
    .addColumn('profile_name', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('started_at', ms)
    .addColumn('finished_at', ms)
    .addColumn('bytes_total', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_done', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('header', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('import_jobs_created').on('import_jobs').column('created_at').execute();

  await db.schema
    .createTable('imported_sources')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('row_hash', 'text', (c) => c.notNull())
    .addColumn('imported_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('imported_sources_pk', ['source', 'source_id'])
    .execute();

  await db.schema
    .createTable('import_rejects')
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raw_enc', 'text')
    .addPrimaryKeyConstraint('import_rejects_pk', ['job_id', 'row_no'])
    .execute();
}
