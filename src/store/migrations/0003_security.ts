// Security (issue 6): password history, TOTP second factor with recovery codes, spent captcha
// challenges, the sealed head of the audit chain, and the database-level guard that keeps the audit
// trail append-only (no update ever; no delete of a record younger than six months).
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

/** 184 days: a record younger than this (≥ 6 months) cannot be deleted, whatever the caller. */
export const AUDIT_MIN_RETENTION_MS = 184 * 24 * 3600_000;
const GENESIS = '0'.repeat(64);

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const ms = 'bigint' as const;

  await db.schema
    .createTable('password_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('user_mfa')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    // The TOTP secret, encrypted like personal data (SM4 + HMAC-SM3, key id for rotation).
    .addColumn('secret_enc', 'text')
    .addColumn('pending_secret_enc', 'text')
    .addColumn('enabled_at', ms)
    // The last accepted time step: a code is accepted once (RFC 6238 §5.2).
    .addColumn('last_step', ms, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('used_at', ms)
    .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('captcha_spent')
    .addColumn('challenge', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('captcha_spent_expires').on('captcha_spent').columns(['expires_at']).execute();

  // The head of the audit chain (one row), sealed with a keyed MAC: deleting records at the end of the
  // chain, which no link can show, is caught by comparing the chain with its head.
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', ms, (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    // Records up to this seq were written before the chain was keyed (plain SM3 links only).
    .addColumn('legacy_max_seq', ms, (c) => c.notNull())
    .addColumn('mac', 'text')
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, seq, hash, legacy_max_seq, mac, updated_at)
    select 1, coalesce(max(seq), 0), coalesce((select hash from audit_log order by seq desc limit 1), ${GENESIS}), coalesce(max(seq), 0), null, 0 from audit_log`.execute(db);

  // Retention scans closed appeals by closing time.
  await db.schema.createIndex('appeals_closed_at').on('appeals').columns(['closed_at']).execute();

  if (ctx.dialect === 'sqlite') {
    await sql.raw(`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`).execute(db);
    await sql.raw(`create trigger audit_log_retention before delete on audit_log
      when old.at > cast(strftime('%s', 'now') as integer) * 1000 - ${AUDIT_MIN_RETENTION_MS}
      begin select raise(abort, 'audit records younger than 6 months cannot be deleted'); end`).execute(db);
  } else {
    await sql.raw(`create or replace function audit_log_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then raise exception 'audit_log is append-only'; end if;
        if tg_op = 'TRUNCATE' then raise exception 'audit_log cannot be truncated'; end if;
        if old.at > (extract(epoch from now()) * 1000)::bigint - ${AUDIT_MIN_RETENTION_MS} then
          raise exception 'audit records younger than 6 months cannot be deleted';
        end if;
        return old;
      end $$`).execute(db);
    await sql.raw(`create trigger audit_log_guard before update or delete on audit_log for each row execute function audit_log_guard()`).execute(db);
    await sql.raw(`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_guard()`).execute(db);
  }
}
