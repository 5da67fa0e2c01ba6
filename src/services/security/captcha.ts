// The proof-of-work captcha of the public endpoints (ALTCHA-compatible, src/lib/altcha.ts): challenges
// signed with a key derived from MINBIAO_SECRET, each solution accepted once (spent challenges are
// kept in the database until they expire, so every instance refuses a replay).
import { AppError } from '../../lib/errors.ts';
import { createChallenge, verifyPayload, type AltchaChallenge } from '../../lib/altcha.ts';
import type { ServiceContext } from '../context.ts';
import { isUniqueViolation } from '../appeals/intake.ts';

export const CAPTCHA_HEADER = 'x-captcha';

export class CaptchaService {
  private readonly key: Buffer;

  constructor(private readonly ctx: ServiceContext) {
    this.key = ctx.pii.purposeKey('captcha');
  }

  get enabled(): boolean {
    return this.ctx.config.CAPTCHA_ENABLED;
  }

  challenge(): AltchaChallenge {
    return createChallenge(this.key, { maxNumber: this.ctx.config.CAPTCHA_MAX_NUMBER, expiresAt: this.ctx.now() + this.ctx.config.CAPTCHA_TTL_SECONDS * 1000 });
  }

  /** Checks the solution sent in the x-captcha header and spends it. Throws a 400 the client can act on. */
  async spend(encoded: string | string[] | undefined): Promise<void> {
    if (!encoded || Array.isArray(encoded)) {
      throw new AppError(400, 'CAPTCHA_REQUIRED', '请先完成人机验证', 'Solve the captcha first (GET /api/v1/captcha, send the solution in the x-captcha header)');
    }
    const r = verifyPayload(this.key, encoded, this.ctx.now());
    if (!r.ok) {
      throw new AppError(400, r.reason === 'expired' ? 'CAPTCHA_EXPIRED' : 'CAPTCHA_INVALID', r.reason === 'expired' ? '人机验证已过期,请重试' : '人机验证未通过,请重试', r.reason === 'expired' ? 'The captcha expired: retry' : `The captcha solution is not valid (${r.reason})`);
    }
    try {
      await this.ctx.db.insertInto('captcha_spent').values({ challenge: r.challenge, expires_at: r.expiresAt }).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(400, 'CAPTCHA_USED', '人机验证已使用,请重试', 'This captcha solution was already used: solve a new one');
      throw e;
    }
  }

  /** Forgets spent challenges that have expired anyway. */
  async purge(): Promise<number> {
    const r = await this.ctx.db.deleteFrom('captcha_spent').where('expires_at', '<', this.ctx.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
