// Row types of every table, shared by both dialects. Times are epoch milliseconds (bigint columns),
// booleans are 0/1 integers and JSON is text, so that SQLite and PostgreSQL return identical rows.
import type { ColumnType, Generated } from 'kysely';
import type { ScoringTables } from './scoring-schema.ts';
import type { KnowledgeNotifyTables } from './knowledge-schema.ts';
import type { SecurityTables } from './security-schema.ts';
import type { ParticipationTables } from './participation-schema.ts';
import type { InteropTables } from './interop-schema.ts';
import type { TextTables } from './text-schema.ts';

type Bool = number;

export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  name: string;
  short_name: string;
  type: string;
  level: string;
  region_code: string;
  population: number;
  peer_group: string;
  /** Materialised path '/root/…/id/' for subtree scope checks with a prefix match. */
  path: string;
  active: Bool;
  created_at: number;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  unit_id: string;
  /** Comma-separated role names. */
  roles: string;
  active: Bool;
  must_change_password: Bool;
  failed_logins: number;
  locked_until: number | null;
  password_changed_at: number;
  created_at: number;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface CategoryTable {
  id: string;
  parent_id: string | null;
  name: string;
  name_en: string;
  default_unit_type: string | null;
  handle_days: number | null;
  urgency: string;
  default_type: string | null;
  sort: number;
  active: Bool;
}

export interface RegionTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: string;
  short_names: string;
  aliases: string;
}

export interface DispatchCatalogueTable {
  category_id: string;
  region_code: string;
  unit_id: string;
}

export interface CalendarOverrideTable {
  ymd: string;
  is_workday: Bool;
  note: string | null;
  updated_by: string | null;
  updated_at: number;
}

export interface AppealTable {
  id: string;
  tracking_code: string;
  region_code: string;
  status: string;
  type: string;
  urgency: string;
  channel: string;
  category_id: string | null;
  unit_id: string | null;
  unit_path: string | null;
  intake_unit_id: string;
  intake_path: string;
  title: string;
  body: string;
  address_enc: string | null;
  citizen_name_enc: string | null;
  citizen_phone_enc: string | null;
  citizen_phone_idx: string | null;
  /** Keyed index of the place the appeal is about (PiiCipher.placeIndex of places.ts appealPlace), null when none is named. */
  place_key: string | null;
  /** Resident ID number (optional), encrypted. */
  citizen_id_enc: string | null;
  citizen_email_enc: string | null;
  anonymous: Bool;
  /** For anonymous appeals: hash of the PIN shown once at submission, used instead of a phone check. */
  access_pin_hash: string | null;
  created_at: number;
  updated_at: number;
  response_due_at: number;
  handle_due_at: number;
  first_contact_at: number | null;
  replied_at: number | null;
  closed_at: number | null;
  reply: string | null;
  round: number;
  return_count: number;
  transfer_count: number;
  reopen_count: number;
  extension_count: number;
  pending_extension_days: number | null;
  supervision_level: number;
  response_overdue: Bool;
  handle_overdue: Bool;
  merged_into: string | null;
  redirect_channel: string | null;
  unreasonable_pending: Bool;
  rating_appeal: string | null;
  last_rating: string | null;
  last_rating_level: number | null;
  version: number;
}

export interface AppealEventTable {
  appeal_id: string;
  seq: number;
  region_code: string;
  at: number;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  payload: string;
}

export interface RatingTable {
  appeal_id: string;
  round: number;
  region_code: string;
  unit_id: string | null;
  level: number;
  solved: string;
  contacted: Bool;
  channel: string;
  comment: string | null;
  rated_at: number;
  actor_id: string | null;
  source_ip: string | null;
  /** A citizen's rating that came with a valid staff session: that staff member (anti-gaming evidence). */
  staff_user_id?: string | null;
  /** … and a reference naming that session (not its key). */
  staff_session?: string | null;
}

export interface TaskTable {
  id: string;
  kind: string;
  appeal_id: string;
  region_code: string;
  unit_id: string | null;
  round: number;
  status: string;
  created_at: number;
  due_at: number;
  done_at: number | null;
  done_by: string | null;
  result: string | null;
}

export interface JobLeaseTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface IdempotencyKeyTable {
  key: string;
  scope: string;
  request_hash: string;
  response: string;
  created_at: number;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: string | null;
}

export interface Database extends ScoringTables, KnowledgeNotifyTables, SecurityTables, ParticipationTables, InteropTables, TextTables {
  org_units: OrgUnitTable;
  users: UserTable;
  sessions: SessionTable;
  categories: CategoryTable;
  regions: RegionTable;
  dispatch_catalogue: DispatchCatalogueTable;
  calendar_overrides: CalendarOverrideTable;
  appeals: AppealTable;
  appeal_events: AppealEventTable;
  ratings: RatingTable;
  tasks: TaskTable;
  job_leases: JobLeaseTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  settings: SettingTable;
}

export type { ColumnType };
