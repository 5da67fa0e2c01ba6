// Tables of the security layer (issue 6, migration 0003). Same conventions as schema.ts.

export interface PasswordHistoryTable {
  id: string;
  user_id: string;
  password_hash: string;
  created_at: number;
}

export interface UserMfaTable {
  user_id: string;
  secret_enc: string | null;
  pending_secret_enc: string | null;
  enabled_at: number | null;
  last_step: number;
  updated_at: number;
}

export interface MfaRecoveryCodeTable {
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface CaptchaSpentTable {
  challenge: string;
  expires_at: number;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  legacy_max_seq: number;
  mac: string | null;
  updated_at: number;
}

export interface SecurityTables {
  password_history: PasswordHistoryTable;
  user_mfa: UserMfaTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  captcha_spent: CaptchaSpentTable;
  audit_head: AuditHeadTable;
}
