// The staff second factor: TOTP (RFC 6238) enrolment with an otpauth:// URI, verification at sign-in
// (each code good once), and ten single-use recovery codes stored only as hashes.
import { createHash, getHashes, randomBytes } from 'node:crypto';
import { AppError, errors } from '../../lib/errors.ts';
import { base32Decode, base32Encode, newTotpSecret, otpauthUri, verifyTotp } from '../../lib/totp.ts';
import type { Executor } from '../../store/repositories/index.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import type { StaffPrincipal } from '../principal.ts';

const HASH = getHashes().includes('sm3') ? 'sm3' : 'sha256';
export const RECOVERY_CODE_COUNT = 10;
export const MFA_ISSUER = 'MinBiao 民标';

/** 16 base32 characters (80 bits) shown as XXXX-XXXX-XXXX-XXXX. */
function newRecoveryCode(): string {
  return base32Encode(randomBytes(10)).match(/.{4}/g)!.join('-');
}

export const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');
const recoveryHash = (userId: string, code: string) => createHash(HASH).update(`mb-recovery:${userId}:${normaliseRecoveryCode(code)}`).digest('hex');

export const isRecoveryCodeShape = (s: string) => /^[A-Z2-7]{16}$/.test(normaliseRecoveryCode(s));

export class MfaService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    const r = await this.ctx.db.selectFrom('user_mfa').select('enabled_at').where('user_id', '=', userId).executeTakeFirst();
    return !!r?.enabled_at;
  }

  /** Step 1: a new secret (kept pending until a code from it is confirmed). */
  async begin(p: StaffPrincipal): Promise<{ secret: string; otpauthUri: string }> {
    const now = this.ctx.now();
    const existing = await this.ctx.db.selectFrom('user_mfa').selectAll().where('user_id', '=', p.userId).executeTakeFirst();
    if (existing?.enabled_at) throw errors.conflict('MFA_ALREADY_ENABLED', '已启用双因素认证', 'The second factor is already enabled');
    const secret = newTotpSecret();
    const enc = this.ctx.pii.encrypt(secret);
    if (existing) {
      await this.ctx.db.updateTable('user_mfa').set({ pending_secret_enc: enc, updated_at: now }).where('user_id', '=', p.userId).execute();
    } else {
      await this.ctx.db.insertInto('user_mfa').values({ user_id: p.userId, secret_enc: null, pending_secret_enc: enc, enabled_at: null, last_step: 0, updated_at: now }).execute();
    }
    await this.audit.record(p, { action: 'auth.mfa.setup', objectType: 'user', objectId: p.userId, outcome: 'success', details: null });
    return { secret, otpauthUri: otpauthUri({ issuer: MFA_ISSUER, account: p.username, secret }) };
  }

  /** Step 2: a code from the authenticator turns the factor on; the recovery codes are shown once. */
  async confirm(p: StaffPrincipal, code: string): Promise<{ recoveryCodes: string[] }> {
    const now = this.ctx.now();
    const row = await this.ctx.db.selectFrom('user_mfa').selectAll().where('user_id', '=', p.userId).executeTakeFirst();
    if (!row?.pending_secret_enc) throw errors.conflict('MFA_NOT_STARTED', '请先开始绑定', 'Start the enrolment first');
    const secret = base32Decode(this.ctx.pii.decrypt(row.pending_secret_enc)!);
    const step = verifyTotp(secret, code.trim(), now);
    if (step === null) {
      await this.audit.record(p, { action: 'auth.mfa.enable', objectType: 'user', objectId: p.userId, outcome: 'failure', details: { reason: 'wrong code' } });
      throw new AppError(400, 'MFA_CODE_WRONG', '动态验证码不正确', 'The one-time code is wrong');
    }
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('user_mfa').set({ secret_enc: row.pending_secret_enc, pending_secret_enc: null, enabled_at: now, last_step: step, updated_at: now }).where('user_id', '=', p.userId).execute();
      await trx.deleteFrom('mfa_recovery_codes').where('user_id', '=', p.userId).execute();
      await trx.insertInto('mfa_recovery_codes').values(codes.map((c) => ({ user_id: p.userId, code_hash: recoveryHash(p.userId, c), created_at: now, used_at: null }))).execute();
      await this.audit.record(p, { action: 'auth.mfa.enable', objectType: 'user', objectId: p.userId, outcome: 'success', details: null }, trx);
    });
    return { recoveryCodes: codes };
  }

  /** At sign-in: a TOTP code (once per step) or an unused recovery code. */
  async verify(userId: string, otp: string): Promise<'totp' | 'recovery' | null> {
    const now = this.ctx.now();
    const row = await this.ctx.db.selectFrom('user_mfa').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!row?.enabled_at || !row.secret_enc) return null;
    const code = otp.trim();
    if (/^\d{6}$/.test(code)) {
      const step = verifyTotp(base32Decode(this.ctx.pii.decrypt(row.secret_enc)!), code, now, { afterStep: Number(row.last_step) });
      if (step === null) return null;
      // Conditional: two sign-ins racing with the same code cannot both win.
      const res = await this.ctx.db.updateTable('user_mfa').set({ last_step: step }).where('user_id', '=', userId).where('last_step', '<', step).executeTakeFirst();
      return Number(res.numUpdatedRows) === 1 ? 'totp' : null;
    }
    if (!isRecoveryCodeShape(code)) return null;
    const res = await this.ctx.db
      .updateTable('mfa_recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', recoveryHash(userId, code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1 ? 'recovery' : null;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    const r = await this.ctx.db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Removes the factor (the user with password + code, or a security admin's reset). */
  async remove(userId: string, db: Executor = this.ctx.db): Promise<void> {
    await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await db.deleteFrom('user_mfa').where('user_id', '=', userId).execute();
  }
}
