// Tables of interoperability (issue 8): API keys of client systems (Open311), the Open311 submissions
// with what the appeal row does not hold (coordinates, attributes, media), hotline import profiles,
// jobs, the source work-order numbers already imported, and rejected rows. Same conventions as
// schema.ts: times are epoch ms (bigint), booleans 0/1, JSON as text.

type Bool = number;

export interface ApiKeyTable {
  id: string;
  /** The client system (e.g. "市12345热线", "随手拍App"). */
  name: string;
  /** The first characters of the key, shown to admins to tell keys apart (never enough to use it). */
  key_prefix: string;
  /** SHA-256 of the whole key: the key itself is shown once and never stored. */
  key_hash: string;
  /** 1: answer POST requests with a token (GeoReport "batch" behaviour) instead of the request id. */
  token_mode: Bool;
  /** Token bucket: sustained requests per minute (the burst equals one minute's worth). */
  rate_per_minute: number;
  created_at: number;
  created_by: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  last_used_at: number | null;
  use_count: number;
}

export interface Open311RequestTable {
  /** The token of the submission (GET tokens/{token}). */
  token: string;
  appeal_id: string;
  /** = the appeal's tracking code. */
  service_request_id: string;
  region_code: string;
  api_key_id: string;
  service_code: string;
  lat: number | null;
  lng: number | null;
  address_id: string | null;
  /** JSON { code: value | value[] } of the attribute[…] fields. */
  attributes: string;
  media_url: string | null;
  /** The submitter's e-mail, encrypted like all personal data (never returned). */
  email_enc: string | null;
  created_at: number;
}

export interface ImportProfileTable {
  name: string;
  /** JSON ImportProfile (column mapping, source name, defaults). */
  profile: string;
  updated_at: number;
  updated_by: string | null;
}

export interface ImportJobTable {
  id: string;
  file_name: string;
  format: string;
  /** uploaded → running → done | failed */
  status: string;
  /** JSON ImportProfile actually used. */
  profile: string | null;
  profile_name: string | null;
  created_at: number;
  created_by: string | null;
  started_at: number | null;
  finished_at: number | null;
  bytes_total: number;
  bytes_done: number;
  rows_read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Header row of the file (JSON string[]), read at upload for the mapping step. */
  header: string | null;
  error: string | null;
}

export interface ImportedSourceTable {
  /** The source system (profile's `source`, default "hotline"). */
  source: string;
  /** Its work-order number (工单编号): the idempotency key of the row. */
  source_id: string;
  appeal_id: string;
  region_code: string;
  job_id: string;
  /** SHA-256 of the mapped row: a re-run with the same content is a duplicate, different content is refused. */
  row_hash: string;
  imported_at: number;
}

export interface ImportRejectTable {
  job_id: string;
  /** Line of the data row in the file (header = 1). */
  row_no: number;
  source_id: string | null;
  reason: string;
  /** JSON of the raw cells, encrypted (it holds names and phone numbers). */
  raw_enc: string | null;
}

export interface InteropTables {
  api_keys: ApiKeyTable;
  open311_requests: Open311RequestTable;
  import_profiles: ImportProfileTable;
  import_jobs: ImportJobTable;
  imported_sources: ImportedSourceTable;
  import_rejects: ImportRejectTable;
}
