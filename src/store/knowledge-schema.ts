// Tables of the knowledge base and the notifications (issue 10). Same conventions as schema.ts:
// times are epoch milliseconds, booleans 0/1, JSON as text, identical rows on SQLite and PostgreSQL.
import type { Generated } from 'kysely';

type Bool = number;

/** The working copy of an article (what editors see) with its review status. */
export interface KbArticleTable {
  id: string;
  title: string;
  summary: string;
  body_html: string;
  body_text: string;
  category_id: string | null;
  /** null = the whole deployment; else a region code whose subtree the article applies to. */
  region_code: string | null;
  /** JSON string[] */
  keywords: string;
  /** JSON LegalBasis[] */
  legal_basis: string;
  valid_from: number | null;
  valid_to: number | null;
  owner_unit_id: string;
  owner_path: string;
  status: string;
  /** Content version of the working copy. */
  version: number;
  /** The version the public sees (null: none). */
  live_version: number | null;
  /** Bumped on every change: optimistic concurrency for editors. */
  rev: number;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  /** Author of the current version (the four-eyes rule compares the reviewer with this). */
  updated_by: string | null;
  reviewed_at: number | null;
  reviewed_by: string | null;
  published_at: number | null;
  published_by: string | null;
}

/** Every content version, kept forever: who changed which fields, when, and why. */
export interface KbArticleVersionTable {
  article_id: string;
  version: number;
  title: string;
  summary: string;
  body_html: string;
  category_id: string | null;
  region_code: string | null;
  keywords: string;
  legal_basis: string;
  valid_from: number | null;
  valid_to: number | null;
  owner_unit_id: string;
  changed_at: number;
  changed_by: string | null;
  /** JSON string[]: the fields that differ from the previous version. */
  changes: string;
  note: string | null;
}

/** Workflow history: review, publish, expire … */
export interface KbArticleLogTable {
  article_id: string;
  seq: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  version: number;
  note: string | null;
}

/** The published (live) version of each public article, as searched. */
export interface KbDocTable {
  doc_id: Generated<number>;
  article_id: string;
  version: number;
  title: string;
  summary: string;
  body_html: string;
  body_text: string;
  category_id: string | null;
  region_code: string | null;
  keywords: string;
  legal_basis: string;
  valid_from: number | null;
  valid_to: number | null;
  owner_unit_id: string;
  published_at: number;
  /** Space-separated index tokens of each field (also the input of the full-text index). */
  title_t: string;
  extra_t: string;
  body_t: string;
  /** Number of tokens over all fields (BM25 length normalisation). */
  length: number;
}

/** Document frequency of every indexed word (and bigram, prefixed '#') over kb_docs. */
export interface KbTermTable {
  term: string;
  df: number;
}

export interface KbSynonymTable {
  phrase: string;
  /** JSON string[]; an empty list removes a default entry. */
  terms: string;
  updated_at: number;
  updated_by: string | null;
}

/** Questions asked: public searches (one row per page visit) and consultation appeals. Feeds the gaps. */
export interface KbQueryTable {
  id: string;
  at: number;
  source: string; // 'search' | 'appeal'
  session: string | null;
  appeal_id: string | null;
  query: string;
  key: string;
  region_code: string | null;
  category_id: string | null;
  results: number;
  top_article_id: string | null;
  /** Share of the question the best answer covers, in thousandths (0..1000). */
  top_match: number;
  clicked_article_id: string | null;
  resolved: Bool;
  updated_at: number;
}

/** A consultation resolved by an article ("这解决了我的问题"), counted by the evaluation engine. */
export interface KbResolutionTable {
  id: string;
  at: number;
  /** Calendar day in Asia/Shanghai as yyyymmdd. */
  day: number;
  region_code: string | null;
  category_id: string | null;
  article_id: string;
  article_version: number;
  query_id: string | null;
  channel: string;
}

export interface KbCitationTable {
  id: string;
  at: number;
  article_id: string;
  article_version: number;
  appeal_id: string | null;
  user_id: string;
  unit_id: string;
}

/** The transactional outbox: one row per message and channel, written with the event. */
export interface NotifyOutboxTable {
  id: string;
  /** Unique per message: what providers receive to deduplicate retried deliveries. */
  delivery_key: string;
  created_at: number;
  template: string;
  audience: string; // 'citizen' | 'staff'
  channel: string; // 'sms' | 'email' | 'webhook' | 'inbox'
  recipient_kind: string; // 'appeal' (the citizen of an appeal) | 'user' | 'endpoint'
  recipient_id: string;
  appeal_id: string | null;
  region_code: string | null;
  /** JSON: template variables (never personal data: the phone is read and decrypted at send time). */
  vars: string;
  status: string; // 'pending' | 'sent' | 'failed' | 'skipped'
  attempts: number;
  next_attempt_at: number;
  expires_at: number;
  last_error: string | null;
  sent_at: number | null;
  provider_ref: string | null;
  only_if_status: string | null;
  only_if_round: number | null;
}

export interface NotifyInboxTable {
  id: string;
  user_id: string;
  delivery_key: string;
  created_at: number;
  template: string;
  title: string;
  body: string;
  appeal_id: string | null;
  read_at: number | null;
}

export interface NotifyTemplateTable {
  key: string;
  title: string;
  body: string;
  enabled: Bool;
  updated_at: number;
  updated_by: string | null;
}

export interface NotifyPrefTable {
  user_id: string;
  email_enc: string | null;
  email_enabled: Bool;
  updated_at: number;
}

export interface KnowledgeNotifyTables {
  kb_articles: KbArticleTable;
  kb_article_versions: KbArticleVersionTable;
  kb_article_log: KbArticleLogTable;
  kb_docs: KbDocTable;
  kb_terms: KbTermTable;
  kb_synonyms: KbSynonymTable;
  kb_queries: KbQueryTable;
  kb_resolutions: KbResolutionTable;
  kb_citations: KbCitationTable;
  notify_outbox: NotifyOutboxTable;
  notify_inbox: NotifyInboxTable;
  notify_templates: NotifyTemplateTable;
  notify_prefs: NotifyPrefTable;
}
