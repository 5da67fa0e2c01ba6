// The core schema: org model, users and sessions, categories, the appeal with its events and ratings,
// tasks, and the plumbing tables (leases, idempotency, audit, settings). Works on SQLite and PostgreSQL.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;

  await db.schema
    .createTable('org_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('peer_group', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('org_units_parent').on('org_units').column('parent_id').execute();
  await db.schema.createIndex('org_units_path').on('org_units').column('path').execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', ms)
    .addColumn('password_changed_at', ms, (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('last_seen_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('categories.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('default_unit_type', 'text')
    .addColumn('handle_days', 'integer')
    .addColumn('urgency', 'text', (c) => c.notNull().defaultTo('general'))
    .addColumn('default_type', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('short_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();

  await db.schema
    .createTable('dispatch_catalogue')
    .addColumn('category_id', 'text', (c) => c.notNull().references('categories.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addPrimaryKeyConstraint('dispatch_catalogue_pk', ['category_id', 'region_code'])
    .execute();

  await db.schema
    .createTable('calendar_overrides')
    .addColumn('ymd', 'text', (c) => c.primaryKey())
    .addColumn('is_workday', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('unit_path', 'text')
    .addColumn('intake_unit_id', 'text', (c) => c.notNull())
    .addColumn('intake_path', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('address_enc', 'text')
    .addColumn('citizen_name_enc', 'text')
    .addColumn('citizen_phone_enc', 'text')
    .addColumn('citizen_phone_idx', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('access_pin_hash', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('response_due_at', ms, (c) => c.notNull())
    .addColumn('handle_due_at', ms, (c) => c.notNull())
    .addColumn('first_contact_at', ms)
    .addColumn('replied_at', ms)
    .addColumn('closed_at', ms)
    .addColumn('reply', 'text')
    .addColumn('round', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('transfer_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('extension_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_extension_days', 'integer')
    .addColumn('supervision_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handle_overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into', 'text')
    .addColumn('redirect_channel', 'text')
    .addColumn('unreasonable_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_appeal', 'text')
    .addColumn('last_rating', 'text')
    .addColumn('last_rating_level', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // Chosen from the queries the product runs: the unit inbox, the dispatcher queue, scope by path,
  // the scheduler's deadline scans, look-up by phone blind index, and period scans for figures.
  await db.schema.createIndex('appeals_unit_status').on('appeals').columns(['unit_id', 'status', 'handle_due_at']).execute();
  await db.schema.createIndex('appeals_intake_status').on('appeals').columns(['intake_unit_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('appeals_status_handle_due').on('appeals').columns(['status', 'handle_due_at']).execute();
  await db.schema.createIndex('appeals_status_response_due').on('appeals').columns(['status', 'response_due_at']).execute();
  await db.schema.createIndex('appeals_created').on('appeals').columns(['created_at']).execute();
  await db.schema.createIndex('appeals_phone_idx').on('appeals').columns(['citizen_phone_idx', 'created_at']).execute();
  await db.schema.createIndex('appeals_region_created').on('appeals').columns(['region_code', 'created_at']).execute();

  await db.schema
    .createTable('appeal_events')
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('appeal_events_pk', ['appeal_id', 'seq'])
    .execute();
  await db.schema.createIndex('appeal_events_at').on('appeal_events').columns(['at']).execute();

  await db.schema
    .createTable('ratings')
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('solved', 'text', (c) => c.notNull())
    .addColumn('contacted', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('rated_at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('source_ip', 'text')
    .addPrimaryKeyConstraint('ratings_pk', ['appeal_id', 'round'])
    .execute();
  await db.schema.createIndex('ratings_unit_time').on('ratings').columns(['unit_id', 'rated_at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text')
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('due_at', ms, (c) => c.notNull())
    .addColumn('done_at', ms)
    .addColumn('done_by', 'text')
    .addColumn('result', 'text')
    .addUniqueConstraint('tasks_once_per_round', ['kind', 'appeal_id', 'round'])
    .execute();
  await db.schema.createIndex('tasks_unit_status').on('tasks').columns(['unit_id', 'status', 'due_at']).execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  const auditTable = db.schema.createTable('audit_log');
  await (ctx.dialect === 'postgres'
    ? auditTable.addColumn('seq', 'bigserial', (c) => c.primaryKey())
    : auditTable.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
  )
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  void sql;
}
