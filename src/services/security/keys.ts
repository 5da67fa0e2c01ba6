// Key rotation: with MINBIAO_SECRET = "new:…,old:…" (newest first) new writes already use the new key;
// `minbiao keys rotate` re-encrypts every ciphertext still under an older key (citizens' identities,
// TOTP secrets), batch by batch, each change guarded by the value it replaces. The oldest secret keeps
// keying the phone blind index (so look-ups by phone survive rotation): keep it configured.
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import type { SystemPrincipal } from '../principal.ts';

const BATCH = 500;
const APPEAL_COLUMNS = ['citizen_name_enc', 'citizen_phone_enc', 'citizen_id_enc', 'citizen_email_enc', 'address_enc'] as const;
const MFA_COLUMNS = ['secret_enc', 'pending_secret_enc'] as const;

export interface RotationReport {
  keyId: string;
  dryRun: boolean;
  appeals: number;
  mfaSecrets: number;
  /** Ciphertexts that could not be re-encrypted (unknown key or failed integrity check). */
  failed: number;
}

export class KeyRotationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  /** How many ciphertexts are still under an older key. */
  async stale(): Promise<{ appeals: number; mfaSecrets: number }> {
    const prefix = `${this.ctx.pii.currentKeyId}.%`;
    const a = await this.ctx.db
      .selectFrom('appeals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or(APPEAL_COLUMNS.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', prefix)]))))
      .executeTakeFirst();
    const m = await this.ctx.db
      .selectFrom('user_mfa')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or(MFA_COLUMNS.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', prefix)]))))
      .executeTakeFirst();
    return { appeals: Number(a?.n ?? 0), mfaSecrets: Number(m?.n ?? 0) };
  }

  private reencrypt(box: string | null): string | null {
    if (!box || !this.ctx.pii.isStale(box)) return box;
    return this.ctx.pii.encrypt(this.ctx.pii.decrypt(box));
  }

  async rotate(opts: { dryRun?: boolean; actor?: SystemPrincipal } = {}): Promise<RotationReport> {
    const pii = this.ctx.pii;
    const prefix = `${pii.currentKeyId}.%`;
    const report: RotationReport = { keyId: pii.currentKeyId, dryRun: !!opts.dryRun, appeals: 0, mfaSecrets: 0, failed: 0 };
    if (opts.dryRun) {
      const s = await this.stale();
      return { ...report, appeals: s.appeals, mfaSecrets: s.mfaSecrets };
    }
    let afterId = '';
    for (;;) {
      const rows = await this.ctx.db
        .selectFrom('appeals')
        .select(['id', ...APPEAL_COLUMNS])
        .where('id', '>', afterId)
        .where((eb) => eb.or(APPEAL_COLUMNS.map((c) => eb.and([eb(c, 'is not', null), eb(c, 'not like', prefix)]))))
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      await this.ctx.db.transaction().execute(async (trx) => {
        for (const r of rows) {
          let next: Record<(typeof APPEAL_COLUMNS)[number], string | null>;
          try {
            next = { citizen_name_enc: this.reencrypt(r.citizen_name_enc), citizen_phone_enc: this.reencrypt(r.citizen_phone_enc), citizen_id_enc: this.reencrypt(r.citizen_id_enc), citizen_email_enc: this.reencrypt(r.citizen_email_enc), address_enc: this.reencrypt(r.address_enc) };
          } catch {
            report.failed++;
            continue;
          }
          // Guarded by the old values: a concurrent erasure (retention) wins.
          let q = trx.updateTable('appeals').set(next).where('id', '=', r.id);
          for (const c of APPEAL_COLUMNS) q = r[c] === null ? q.where(c, 'is', null) : q.where(c, '=', r[c]);
          const res = await q.executeTakeFirst();
          if (Number(res.numUpdatedRows) === 1) report.appeals++;
        }
      });
    }
    const mfa = await this.ctx.db.selectFrom('user_mfa').select(['user_id', ...MFA_COLUMNS]).execute();
    for (const r of mfa) {
      if (!pii.isStale(r.secret_enc) && !pii.isStale(r.pending_secret_enc)) continue;
      try {
        await this.ctx.db
          .updateTable('user_mfa')
          .set({ secret_enc: this.reencrypt(r.secret_enc), pending_secret_enc: this.reencrypt(r.pending_secret_enc) })
          .where('user_id', '=', r.user_id)
          .execute();
        report.mfaSecrets++;
      } catch {
        report.failed++;
      }
    }
    await this.audit.record(opts.actor ?? { kind: 'system', job: 'keys' }, {
      action: 'keys.rotate',
      objectType: 'key',
      objectId: pii.currentKeyId,
      outcome: report.failed === 0 ? 'success' : 'failure',
      details: { appeals: report.appeals, mfaSecrets: report.mfaSecrets, failed: report.failed, algorithm: pii.algorithm },
    });
    return report;
  }
}
