// Participation (issue 7): consultations, suggestions, supports, suggestion history, follow-up tasks;
// survey rounds, responses and population margins. Works on SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('background', 'text', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('category_id', 'text')
    .addColumn('opens_at', ms, (c) => c.notNull())
    .addColumn('closes_at', ms, (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('premoderation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('summary', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('consultations_published_closes').on('consultations').columns(['published', 'closes_at']).execute();
  await db.schema.createIndex('consultations_unit_path').on('consultations').columns(['unit_path']).execute();

  await db.schema
    .createTable('suggestions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('original_enc', 'text')
    .addColumn('answers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('mod_reason', 'text')
    .addColumn('mod_note', 'text')
    .addColumn('author_phone_enc', 'text')
    .addColumn('author_phone_idx', 'text')
    .addColumn('support_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('category_id', 'text')
    .addColumn('answer_outcome', 'text')
    .addColumn('answer_reason', 'text')
    .addColumn('answer_action', 'text')
    .addColumn('answered_at', ms)
    .addColumn('answered_by', 'text')
    .addColumn('answer_unit_id', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('suggestions_consultation_status').on('suggestions').columns(['consultation_id', 'status', 'support_count']).execute();
  await db.schema.createIndex('suggestions_author').on('suggestions').columns(['consultation_id', 'author_phone_idx']).execute();
  await db.schema.createIndex('suggestions_created').on('suggestions').columns(['created_at']).execute();

  await db.schema
    .createTable('suggestion_supports')
    .addColumn('suggestion_id', 'text', (c) => c.notNull())
    .addColumn('supporter_key', 'text', (c) => c.notNull())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('suggestion_supports_pk', ['suggestion_id', 'supporter_key'])
    .execute();
  await db.schema.createIndex('suggestion_supports_consultation').on('suggestion_supports').columns(['consultation_id', 'supporter_key']).execute();

  await db.schema
    .createTable('suggestion_events')
    .addColumn('suggestion_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('suggestion_events_pk', ['suggestion_id', 'seq'])
    .execute();

  await db.schema
    .createTable('consultation_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('suggestion_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('due_at', ms, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_at', ms)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_tasks_consultation').on('consultation_tasks').columns(['consultation_id']).execute();
  await db.schema.createIndex('consultation_tasks_suggestion').on('consultation_tasks').columns(['suggestion_id']).execute();

  await db.schema
    .createTable('consultation_task_updates')
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('consultation_task_updates_pk', ['task_id', 'seq'])
    .execute();

  await db.schema
    .createTable('survey_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('questionnaire', 'text', (c) => c.notNull())
    .addColumn('opens_at', ms, (c) => c.notNull())
    .addColumn('closes_at', ms, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('margins_snapshot', 'text')
    .addColumn('closed_at', ms)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_rounds_closes').on('survey_rounds').columns(['status', 'closes_at']).execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('survey_rounds.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_group', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('respondent_key', 'text')
    .addColumn('entered_by', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addUniqueConstraint('survey_responses_once', ['round_id', 'respondent_key'])
    .execute();
  await db.schema.createIndex('survey_responses_round_region').on('survey_responses').columns(['round_id', 'region_code']).execute();
  await db.schema.createIndex('survey_responses_created').on('survey_responses').columns(['created_at']).execute();

  await db.schema
    .createTable('survey_margins')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('age_group', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('survey_margins_pk', ['region_code', 'age_group', 'sex'])
    .execute();
}
