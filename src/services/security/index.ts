// The security layer's services (issue 6, docs/security.md): captcha and rate limits of the public
// endpoints, retention of citizens' identities, key rotation, and the checks made at every start.
import { verifyPassword } from '../../lib/password.ts';
import { repos } from '../../store/repositories/index.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import { CaptchaService } from './captcha.ts';
import { KeyRotationService } from './keys.ts';
import { MemoryRateLimiter, type RateLimiter } from './rateLimit.ts';
import { RetentionService } from './retention.ts';

/** The passwords published for demo mode (README, the sign-in page): never valid outside it. */
export const DEMO_PASSWORDS = ['Demo@2026'];

const CONFIG_KEY = 'security.config';

export class SecurityServices {
  readonly captcha: CaptchaService;
  readonly retention: RetentionService;
  readonly keys: KeyRotationService;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    /** In this process's memory, or shared by every instance in Redis (REDIS_URL). */
    readonly limiter: RateLimiter = new MemoryRateLimiter(),
  ) {
    this.captcha = new CaptchaService(ctx);
    this.retention = new RetentionService(ctx, audit);
    this.keys = new KeyRotationService(ctx, audit);
  }

  /** The security-relevant configuration, as recorded in the audit trail when it changes. */
  configSnapshot(): Record<string, unknown> {
    const c = this.ctx.config;
    return {
      NODE_ENV: c.NODE_ENV,
      DEMO_MODE: c.DEMO_MODE,
      database: c.dialect,
      cipher: this.ctx.pii.algorithm,
      currentKeyId: this.ctx.pii.currentKeyId,
      SESSION_IDLE_MINUTES: c.SESSION_IDLE_MINUTES,
      SESSION_MAX_HOURS: c.SESSION_MAX_HOURS,
      MFA_REQUIRED_ROLES: c.MFA_REQUIRED_ROLES,
      PASSWORD_MAX_AGE_DAYS: c.PASSWORD_MAX_AGE_DAYS,
      CAPTCHA_ENABLED: c.CAPTCHA_ENABLED,
      CAPTCHA_MAX_NUMBER: c.CAPTCHA_MAX_NUMBER,
      CAPTCHA_TTL_SECONDS: c.CAPTCHA_TTL_SECONDS,
      RATE_LIMITS_ENABLED: c.RATE_LIMITS_ENABLED,
      RATE_SUBMIT_PER_IP_HOUR: c.RATE_SUBMIT_PER_IP_HOUR,
      RATE_SUBMIT_PER_PHONE_DAY: c.RATE_SUBMIT_PER_PHONE_DAY,
      RATE_TRACK_PER_IP_HOUR: c.RATE_TRACK_PER_IP_HOUR,
      RATE_TRACK_PER_CODE_HOUR: c.RATE_TRACK_PER_CODE_HOUR,
      RATE_LOGIN_PER_IP_MINUTE: c.RATE_LOGIN_PER_IP_MINUTE,
      RATE_CAPTCHA_PER_IP_MINUTE: c.RATE_CAPTCHA_PER_IP_MINUTE,
      PII_RETENTION_DAYS: c.PII_RETENTION_DAYS,
      BODY_LIMIT_BYTES: c.BODY_LIMIT_BYTES,
    };
  }

  /** A change of the security configuration since the last start is a configuration change: audited. */
  async recordConfig(): Promise<Record<string, [unknown, unknown]> | null> {
    const now = this.ctx.now();
    const current = this.configSnapshot();
    const before = (await repos.settings.get<Record<string, unknown>>(this.ctx.db, CONFIG_KEY)) ?? null;
    const changed: Record<string, [unknown, unknown]> = {};
    for (const k of new Set([...Object.keys(current), ...Object.keys(before ?? {})])) {
      if (JSON.stringify(before?.[k]) !== JSON.stringify(current[k])) changed[k] = [before?.[k] ?? null, current[k] ?? null];
    }
    if (before && Object.keys(changed).length === 0) return null;
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.settings.set(trx, CONFIG_KEY, current, now, 'system:start');
      await this.audit.record({ kind: 'system', job: 'start' }, { action: before ? 'config.change' : 'config.initial', objectType: 'config', objectId: 'security', outcome: 'success', details: before ? { changed } : current }, trx);
    });
    return changed;
  }

  /**
   * Outside demo mode, an account still holding a published demo password must change it at its next
   * sign-in (a database seeded in demo mode and then run for real keeps no default password).
   */
  async retireDemoPasswords(): Promise<string[]> {
    if (this.ctx.config.DEMO_MODE) return [];
    const { DEMO_ACCOUNTS } = await import('../demo-seed.ts');
    const retired: string[] = [];
    for (const a of DEMO_ACCOUNTS) {
      const u = await repos.users.findByUsername(this.ctx.db, a.username);
      if (!u || u.password_hash.startsWith('!')) continue;
      let demo = false;
      for (const pw of DEMO_PASSWORDS) if (await verifyPassword(pw, u.password_hash)) demo = true;
      if (!demo) continue;
      // The published password must not open the account at all: whoever signed in first could set
      // their own password and second factor. The hash is made unusable; an operator sets a new
      // temporary password with `minbiao users reset-password` (or an administrator, if one is left).
      await this.ctx.db.transaction().execute(async (trx) => {
        await repos.users.update(trx, u.id, { password_hash: '!retired-demo-password', must_change_password: 1 });
        await repos.users.deleteSessionsOf(trx, u.id);
        await this.audit.record({ kind: 'system', job: 'start' }, { action: 'security.demo_password.retired', objectType: 'user', objectId: u.id, outcome: 'success', details: { username: u.username } }, trx);
      });
      retired.push(u.username);
    }
    return retired;
  }

  /** Run when the server starts. */
  async atStart(): Promise<void> {
    const c = this.ctx.config;
    await this.recordConfig();
    const retired = await this.retireDemoPasswords();
    if (retired.length) this.ctx.log.warn({ users: retired }, 'demo passwords disabled: set new ones with `minbiao users reset-password --username NAME`');
    if (c.DEMO_MODE) this.ctx.log.warn('DEMO MODE: demo accounts with published passwords, no second factor required — never use for real appeals');
    if (c.NODE_ENV === 'production' && !c.CAPTCHA_ENABLED) this.ctx.log.warn('CAPTCHA_ENABLED=false: the public endpoints have no captcha');
    if (c.NODE_ENV === 'production' && !c.RATE_LIMITS_ENABLED) this.ctx.log.warn('RATE_LIMITS_ENABLED=false: the public endpoints have no rate limits');
    if (this.limiter.store === 'redis') {
      // Connects now, so that the first requests already share the budget; a Redis down is not fatal.
      if ((await this.limiter.status?.()) === 'ok') this.ctx.log.info('rate limits shared in Redis');
      else this.ctx.log.warn('REDIS_URL set but Redis unreachable: rate limits are per process until it answers');
    }
  }

  /** Housekeeping: spent captcha challenges, ended sessions, old idempotency keys. */
  async housekeeping(): Promise<{ captcha: number; sessions: number; idempotency: number }> {
    const now = this.ctx.now();
    const captcha = await this.captcha.purge();
    const idle = this.ctx.config.SESSION_IDLE_MINUTES * 60_000;
    const s = await this.ctx.db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', now - idle)])).executeTakeFirst();
    // A retry of a submission comes within minutes; a month is ample.
    const i = await this.ctx.db.deleteFrom('idempotency_keys').where('created_at', '<', now - 30 * 86_400_000).executeTakeFirst();
    return { captcha, sessions: Number(s.numDeletedRows), idempotency: Number(i.numDeletedRows) };
  }
}
