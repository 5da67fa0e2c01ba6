// Knowledge base (释疑解惑) and notifications (issue 10): articles with versions and workflow log, the
// searchable live documents with their full-text index (SQLite FTS5 / PostgreSQL tsvector), term
// statistics, synonyms, the question log, resolved consultations, citations; the notification outbox,
// the staff inbox, editable templates and per-user preferences.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;
  const pg = ctx.dialect === 'postgres';

  await db.schema
    .createTable('kb_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('valid_from', ms)
    .addColumn('valid_to', ms)
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('owner_path', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('live_version', 'integer')
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('reviewed_at', ms)
    .addColumn('reviewed_by', 'text')
    .addColumn('published_at', ms)
    .addColumn('published_by', 'text')
    .execute();
  await db.schema.createIndex('kb_articles_owner').on('kb_articles').columns(['owner_path', 'status']).execute();
  await db.schema.createIndex('kb_articles_status_valid').on('kb_articles').columns(['status', 'valid_to']).execute();
  await db.schema.createIndex('kb_articles_updated').on('kb_articles').columns(['updated_at']).execute();

  await db.schema
    .createTable('kb_article_versions')
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('valid_from', ms)
    .addColumn('valid_to', ms)
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('changed_at', ms, (c) => c.notNull())
    .addColumn('changed_by', 'text')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('kb_article_versions_pk', ['article_id', 'version'])
    .execute();

  await db.schema
    .createTable('kb_article_log')
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('kb_article_log_pk', ['article_id', 'seq'])
    .execute();

  const docs = db.schema.createTable('kb_docs');
  await (pg ? docs.addColumn('doc_id', 'bigserial', (c) => c.primaryKey()) : docs.addColumn('doc_id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('article_id', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('valid_from', ms)
    .addColumn('valid_to', ms)
    .addColumn('owner_unit_id', 'text', (c) => c.notNull())
    .addColumn('published_at', ms, (c) => c.notNull())
    .addColumn('title_t', 'text', (c) => c.notNull())
    .addColumn('extra_t', 'text', (c) => c.notNull())
    .addColumn('body_t', 'text', (c) => c.notNull())
    .addColumn('length', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_docs_category').on('kb_docs').columns(['category_id']).execute();
  if (pg) {
    // The same pre-tokenised text as SQLite's FTS5 columns: the 'simple' configuration only splits on
    // spaces and lower-cases, so the lexemes are exactly jieba's tokens. Weights: title A, extra B, body D.
    await sql`alter table kb_docs add column tsv tsvector`.execute(db);
    await sql`alter table kb_docs add column gsv tsvector`.execute(db);
    await sql`create index kb_docs_tsv on kb_docs using gin (tsv)`.execute(db);
    await sql`create index kb_docs_gsv on kb_docs using gin (gsv)`.execute(db);
  } else {
    // Contentless (the text lives in kb_docs) with deletes, ranked by FTS5's bm25().
    await sql`create virtual table kb_fts using fts5(title, extra, body, grams, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  }

  await db.schema
    .createTable('kb_terms')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('df', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kb_synonyms')
    .addColumn('phrase', 'text', (c) => c.primaryKey())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('kb_queries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('session', 'text', (c) => c.unique())
    .addColumn('appeal_id', 'text', (c) => c.unique())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text')
    .addColumn('category_id', 'text')
    .addColumn('results', 'integer', (c) => c.notNull())
    .addColumn('top_article_id', 'text')
    .addColumn('top_match', 'integer', (c) => c.notNull())
    .addColumn('clicked_article_id', 'text')
    .addColumn('resolved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_queries_at').on('kb_queries').columns(['at']).execute();
  await db.schema.createIndex('kb_queries_key').on('kb_queries').columns(['key', 'at']).execute();

  await db.schema
    .createTable('kb_resolutions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text')
    .addColumn('category_id', 'text')
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('article_version', 'integer', (c) => c.notNull())
    .addColumn('query_id', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_resolutions_day').on('kb_resolutions').columns(['day', 'region_code', 'category_id']).execute();
  await db.schema.createIndex('kb_resolutions_region').on('kb_resolutions').columns(['region_code', 'at']).execute();
  await db.schema.createIndex('kb_resolutions_article').on('kb_resolutions').columns(['article_id']).execute();

  await db.schema
    .createTable('kb_citations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('article_version', 'integer', (c) => c.notNull())
    .addColumn('appeal_id', 'text')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kb_citations_article').on('kb_citations').columns(['article_id', 'at']).execute();
  await db.schema.createIndex('kb_citations_appeal').on('kb_citations').columns(['appeal_id']).execute();

  await db.schema
    .createTable('notify_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient_kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('vars', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', ms)
    .addColumn('provider_ref', 'text')
    .addColumn('only_if_status', 'text')
    .addColumn('only_if_round', 'integer')
    .execute();
  await db.schema.createIndex('notify_outbox_due').on('notify_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('notify_outbox_appeal').on('notify_outbox').columns(['appeal_id']).execute();

  await db.schema
    .createTable('notify_inbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('appeal_id', 'text')
    .addColumn('read_at', ms)
    .execute();
  await db.schema.createIndex('notify_inbox_user').on('notify_inbox').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('notify_templates')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('notify_prefs')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('email_enc', 'text')
    .addColumn('email_enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
}
