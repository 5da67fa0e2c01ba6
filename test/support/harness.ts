// An app on a fresh database with a small org, categories and one user per role, plus helpers to
// call the API as any of them. The clock is controllable so deadlines and the scheduler can be tested.
// Security is on as in production: the admin roles sign in with a TOTP code (the harness enrols them
// and computes codes from the clock), and citizen calls to captcha-guarded endpoints carry a solved
// captcha (solved here unless the test sends its own x-captcha header). Rate limits are high unless a
// test asks for lower ones through `env`.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { base32Decode, hotp, timeStep } from '../../src/lib/totp.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { makeStaff } from '../../src/services/principal.ts';
import { repos } from '../../src/store/repositories/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { solvedCaptcha } from './captcha.ts';
import { seedTestOrg, TEST_PASSWORD, type TestOrg } from '../factories/org.ts';

export interface Harness {
  app: FastifyInstance;
  s: Services;
  db: TestDatabase;
  org: TestOrg;
  scheduler: Scheduler;
  clock: { now: number };
  tokens: Record<string, string>;
  /** TOTP secrets (base32) of the users the harness enrolled. */
  totpSecrets: Record<string, string>;
  api(user: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  login(user: string, password?: string): Promise<string>;
  /** The next unused TOTP code of an enrolled user at the harness clock. */
  otp(user: string): string;
  /** A solved captcha for the x-captcha header. */
  captcha(): Promise<string>;
  close(): Promise<void>;
}

/** Generous limits so that functional tests are not throttled; the rate-limit tests set their own. */
export const TEST_SECURITY_ENV: Record<string, string> = {
  CAPTCHA_MAX_NUMBER: '2000',
  RATE_SUBMIT_PER_IP_HOUR: '1000000',
  RATE_SUBMIT_PER_PHONE_DAY: '1000000',
  RATE_TRACK_PER_IP_HOUR: '1000000',
  RATE_TRACK_PER_CODE_HOUR: '1000000',
  RATE_LOGIN_PER_IP_MINUTE: '1000000',
  RATE_CAPTCHA_PER_IP_MINUTE: '1000000',
  // Tests move the clock by months; the maximum password age is tested on its own (security-identity).
  PASSWORD_MAX_AGE_DAYS: '0',
  // Functional tests drive every appeal by hand; the automatic dispatch is tested on its own (text-intelligence).
  AUTO_DISPATCH: 'off',
  // The scheduler's hotspot refresh and retraining are run explicitly by the tests that need them.
  HOTSPOT_REFRESH_MINUTES: '0',
  TEXT_RETRAIN_HOURS: '0',
};

/** Functional tests of one feature: the captcha, the second factor and the rate limits are off (they have their own tests). */
export const FUNCTIONAL_ENV: Record<string, string> = { CAPTCHA_ENABLED: 'false', MFA_REQUIRED_ROLES: 'none', RATE_LIMITS_ENABLED: 'false' };

export async function createHarness(opts: { start?: number; env?: Record<string, string>; enrolMfa?: boolean; readOnlyPool?: boolean } = {}): Promise<Harness> {
  const db = await createTestDatabase({ ...TEST_SECURITY_ENV, ...opts.env }, opts.readOnlyPool !== undefined ? { readOnlyPool: opts.readOnlyPool } : {});
  const clock = { now: opts.start ?? Date.parse('2026-03-02T09:00:00+08:00') };
  const s = await createServices(db.config, { now: () => clock.now });
  const org = await seedTestOrg(s);
  const app = await buildApp(s, { serveWeb: false, logger: false });
  await app.ready();
  const tokens: Record<string, string> = {};
  const totpSecrets: Record<string, string> = {};
  const lastStep: Record<string, number> = {};

  const otp = (user: string): string => {
    const secret = totpSecrets[user];
    if (!secret) throw new Error(`${user} has no second factor`);
    const now = timeStep(clock.now);
    const step = Math.max(now, (lastStep[user] ?? -1) + 1);
    if (step > now + 1) throw new Error(`no unused TOTP step left for ${user} at this clock`);
    lastStep[user] = step;
    return hotp(base32Decode(secret), step);
  };

  // The roles that require a second factor enrol it, as their users would at first sign-in.
  if (opts.enrolMfa !== false) {
    for (const u of Object.values(org.users)) {
      if (!s.auth.mfaRequiredFor(u.roles)) continue;
      const row = (await repos.users.findByUsername(s.ctx.db, u.username))!;
      const p = makeStaff({ userId: row.id, username: row.username, displayName: row.display_name, unitId: row.unit_id, roles: u.roles, scopePath: '/', scopeRootId: row.unit_id, sessionId: null, ip: '127.0.0.1' });
      const { secret } = await s.auth.mfa.begin(p);
      totpSecrets[u.username] = secret;
      await s.auth.mfa.confirm(p, otp(u.username));
    }
  }

  const login = async (user: string, password = TEST_PASSWORD) => {
    const body: Record<string, string> = { username: user, password };
    if (totpSecrets[user]) body.otp = otp(user);
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body });
    if (r.statusCode !== 200) throw new Error(`login ${user} failed: ${r.body}`);
    tokens[user] = r.json().token;
    return tokens[user]!;
  };

  const captchaRoutes = app.routeRegistry
    .filter((r) => r.guard?.captcha)
    .map((r) => ({ method: r.method, re: new RegExp(`^${r.url.replace(/:[^/]+/g, '[^/]+')}$`) }));
  const needsCaptcha = (method: string, url: string) => captchaRoutes.some((r) => r.method === method && r.re.test(url.split('?')[0]!));

  const api: Harness['api'] = async (user, method, url, body, headers = {}) => {
    if (user && !tokens[user]) await login(user);
    const send = async () => {
      const extra: Record<string, string> = {};
      if (!user && !('x-captcha' in headers) && needsCaptcha(method, url)) extra['x-captcha'] = await solvedCaptcha(app);
      return app.inject({
        method,
        url,
        ...(body !== undefined ? { payload: body as object } : {}),
        headers: { ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}), ...extra, ...headers },
      });
    };
    const r = await send();
    // Tests move the clock by hours or days, which ends sessions by idle timeout: sign in again.
    if (user && r.statusCode === 401) {
      await login(user);
      return send();
    }
    return r;
  };
  return {
    app,
    s,
    db,
    org,
    scheduler: new Scheduler(s),
    clock,
    tokens,
    totpSecrets,
    api,
    login,
    otp,
    captcha: () => solvedCaptcha(app),
    close: async () => {
      await app.close();
      await s.close();
      await db.drop();
    },
  };
}
