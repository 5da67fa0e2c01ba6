// Identity and authentication (等保 2.0 身份鉴别): password policy and history of 5, forced change at
// first sign-in (the session can do nothing else), maximum password age, lockout, the TOTP second
// factor required for the 三员 with recovery codes, 三员分立 on every role change, and no default
// password surviving set-up. Each property is observed through the HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, timeStep } from '../../src/lib/totp.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo, DEMO_ACCOUNTS } from '../../src/services/demo-seed.ts';
import { createTestDatabase } from '../support/db.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { TEST_PASSWORD } from '../factories/org.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, body?: unknown) =>
  h.app.inject({ method, url, ...(body !== undefined ? { payload: body as object } : {}), headers: token ? { authorization: `Bearer ${token}` } : {} });

async function login(username: string, password: string, otp?: string) {
  return h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(otp ? { otp } : {}) } });
}

async function createUser(username: string, roles: string[], unitId = 'a-ps1', password = 'Init-Passw0rd!') {
  const admin = roles.some((r) => ['sysadmin', 'secadmin', 'auditor'].includes(r)) ? 'secadmin' : 'sysadmin';
  const r = await h.api(admin, 'POST', '/api/v1/users', { username, displayName: username, password, unitId, roles });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string };
}

const auditActions = async (action: string) => h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

describe('passwords', () => {
  it('enforces the policy: length, three classes, not containing the user name', async () => {
    for (const password of ['Ab1!', 'alllowercase1', 'ALLUPPER1234', 'Zhang-li-2026!x'.replace('Zhang', 'policyu')]) {
      const r = await h.api('sysadmin', 'POST', '/api/v1/users', { username: 'policyu', displayName: 'p', password, unitId: 'a-ps1', roles: ['handler'] });
      expect(r.statusCode, password).toBe(400);
    }
  });

  it('forces a password change at first sign-in: the session reaches only me, password and logout', async () => {
    await createUser('firstlogin', ['handler']);
    const r = await login('firstlogin', 'Init-Passw0rd!');
    expect(r.statusCode).toBe(200);
    expect(r.json().restriction).toBe('password_change');
    expect(r.json().user.mustChangePassword).toBe(true);
    const token = r.json().token as string;
    for (const [method, url] of [['GET', '/api/v1/appeals'], ['GET', '/api/v1/tasks'], ['GET', '/api/v1/units'], ['POST', '/api/v1/auth/mfa/setup']] as const) {
      const denied = await inject(method, url, token, method === 'POST' ? {} : undefined);
      expect(denied.statusCode, url).toBe(403);
      expect(denied.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    }
    const me = await inject('GET', '/api/v1/auth/me', token);
    expect(me.statusCode).toBe(200);
    expect(me.json().restriction).toBe('password_change');
    expect((await inject('POST', '/api/v1/auth/password', token, { oldPassword: 'Init-Passw0rd!', newPassword: 'Init-Passw0rd!' })).statusCode).toBe(400);
    expect((await inject('POST', '/api/v1/auth/password', token, { oldPassword: 'Init-Passw0rd!', newPassword: 'Fresh-Passw0rd!' })).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/appeals', token)).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/auth/me', token)).json().restriction).toBeNull();
  });

  it('keeps a history of 5: none of the last five passwords may be chosen again', async () => {
    await createUser('historyu', ['handler']);
    let current = 'Init-Passw0rd!';
    const token = (await login('historyu', current)).json().token as string;
    const used = [current];
    for (let i = 1; i <= 5; i++) {
      const next = `Hist-${i}-Passw0rd!`;
      const r = await inject('POST', '/api/v1/auth/password', token, { oldPassword: current, newPassword: next });
      expect(r.statusCode, r.body).toBe(200);
      used.push(next);
      current = next;
    }
    // The current one and the four before it are refused …
    for (const old of used.slice(-5)) {
      const r = await inject('POST', '/api/v1/auth/password', token, { oldPassword: current, newPassword: old });
      expect(r.statusCode, old).toBe(400);
      expect(r.json().error.messageEn).toMatch(/last 5/);
    }
    // … the sixth back is allowed again.
    expect((await inject('POST', '/api/v1/auth/password', token, { oldPassword: current, newPassword: used[0] })).statusCode).toBe(200);
  }, 240_000);

  it('an administrator’s reset forces a change again and ends the sessions; the reset is audited', async () => {
    const u = await createUser('resetu', ['handler']);
    const t1 = (await login('resetu', 'Init-Passw0rd!')).json().token as string;
    expect((await inject('POST', '/api/v1/auth/password', t1, { oldPassword: 'Init-Passw0rd!', newPassword: 'Mine-Passw0rd!' })).statusCode).toBe(200);
    expect((await h.api('sysadmin', 'POST', `/api/v1/users/${u.id}/password`, { password: 'Temp-Passw0rd!' })).statusCode).toBe(200);
    expect((await inject('GET', '/api/v1/appeals', t1)).statusCode).toBe(401);
    const r = await login('resetu', 'Temp-Passw0rd!');
    expect(r.json().restriction).toBe('password_change');
    expect((await auditActions('user.password.reset')).some((a) => a.object_id === u.id)).toBe(true);
  });

  it('locks an account for 15 minutes after 5 failures, and audits it', async () => {
    await createUser('locku', ['handler']);
    for (let i = 0; i < 5; i++) expect((await login('locku', 'wrong-Passw0rd!')).statusCode).toBe(401);
    const locked = await login('locku', 'Init-Passw0rd!');
    expect(locked.statusCode).toBe(423);
    h.clock.now += 16 * 60_000;
    expect((await login('locku', 'Init-Passw0rd!')).statusCode).toBe(200);
    const fails = await auditActions('auth.login');
    expect(fails.filter((a) => a.outcome === 'failure' && (a.details ?? '').includes('locku')).length).toBeGreaterThanOrEqual(5);
    expect((await auditActions('auth.lockout')).length).toBeGreaterThanOrEqual(1);
  });

  it('forces a change when the password is older than PASSWORD_MAX_AGE_DAYS', async () => {
    const h2 = await createHarness({ env: { PASSWORD_MAX_AGE_DAYS: '90' } });
    try {
      expect((await h2.api('handA1', 'GET', '/api/v1/appeals')).statusCode).toBe(200);
      h2.clock.now += 91 * 86_400_000;
      const r = await h2.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'handA1', password: TEST_PASSWORD } });
      expect(r.json().restriction).toBe('password_change');
      expect((await h2.app.inject({ method: 'GET', url: '/api/v1/appeals', headers: { authorization: `Bearer ${r.json().token}` } })).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    } finally {
      await h2.close();
    }
  }, 120_000);
});

describe('TOTP second factor', () => {
  const code = (secret: string, at: number, offsetSteps = 0) => hotp(base32Decode(secret), timeStep(at) + offsetSteps);

  it('is required for the 三员: enrol (otpauth URI), then every sign-in needs a code; recovery codes work once', async () => {
    await createUser('auditor2', ['auditor'], 'city');
    let r = await login('auditor2', 'Init-Passw0rd!');
    let token = r.json().token as string;
    expect((await inject('POST', '/api/v1/auth/password', token, { oldPassword: 'Init-Passw0rd!', newPassword: 'Audit-Passw0rd!' })).statusCode).toBe(200);
    // Password changed; the second factor is still missing: only enrolment is open.
    const me = await inject('GET', '/api/v1/auth/me', token);
    expect(me.json().restriction).toBe('mfa_enrolment');
    expect(me.json().mfa).toMatchObject({ enabled: false, required: true });
    const denied = await inject('GET', '/api/v1/audit', token);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');

    const setup = await inject('POST', '/api/v1/auth/mfa/setup', token, {});
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUri } = setup.json() as { secret: string; otpauthUri: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.+:auditor2\?secret=[A-Z2-7]{32}&issuer=.+&algorithm=SHA1&digits=6&period=30$/);
    expect((await inject('POST', '/api/v1/auth/mfa/confirm', token, { code: String((Number(code(secret, h.clock.now)) + 1) % 1_000_000).padStart(6, '0') })).statusCode).toBe(400);
    const confirm = await inject('POST', '/api/v1/auth/mfa/confirm', token, { code: code(secret, h.clock.now) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const recovery = confirm.json().recoveryCodes as string[];
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    expect((await inject('GET', '/api/v1/audit', token)).statusCode).toBe(200);

    // Stored: the secret encrypted, the recovery codes hashed.
    const mfaRow = await h.s.ctx.db.selectFrom('user_mfa').selectAll().where('secret_enc', 'is not', null).execute();
    expect(JSON.stringify(mfaRow)).not.toContain(secret);
    const stored = JSON.stringify(await h.s.ctx.db.selectFrom('mfa_recovery_codes').selectAll().execute());
    for (const c of recovery) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace(/-/g, ''));
    }

    await inject('POST', '/api/v1/auth/logout', token, {});
    h.clock.now += 60_000;
    r = await login('auditor2', 'Audit-Passw0rd!');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('MFA_REQUIRED');
    expect((await login('auditor2', 'Audit-Passw0rd!', '000000')).json().error.code).toBe('MFA_FAILED');
    const good = code(secret, h.clock.now);
    r = await login('auditor2', 'Audit-Passw0rd!', good);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().restriction).toBeNull();
    // A code is good once (RFC 6238 §5.2).
    expect((await login('auditor2', 'Audit-Passw0rd!', good)).json().error.code).toBe('MFA_FAILED');
    // A recovery code signs in once.
    expect((await login('auditor2', 'Audit-Passw0rd!', recovery[0]!.toLowerCase())).statusCode).toBe(200);
    expect((await login('auditor2', 'Audit-Passw0rd!', recovery[0]!)).statusCode).toBe(401);
    token = (await login('auditor2', 'Audit-Passw0rd!', recovery[1]!)).json().token as string;
    expect((await inject('GET', '/api/v1/auth/me', token)).json().mfa.recoveryCodesLeft).toBe(8);
    // The 三员 cannot turn it off.
    expect((await inject('POST', '/api/v1/auth/mfa/disable', token, { password: 'Audit-Passw0rd!', code: recovery[2] })).statusCode).toBe(403);
    const logins = (await auditActions('auth.login')).filter((a) => (a.details ?? '').includes('auditor2'));
    expect(logins.some((a) => a.outcome === 'success' && (a.details ?? '').includes('"factor":"recovery"'))).toBe(true);
    expect(logins.some((a) => a.outcome === 'failure' && (a.details ?? '').includes('wrong second factor'))).toBe(true);
  });

  it('a security admin resets a lost factor: the user must enrol again', async () => {
    const user = await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', 'auditor2').executeTakeFirstOrThrow();
    expect((await h.api('sysadmin', 'POST', `/api/v1/users/${user.id}/mfa/reset`)).statusCode).toBe(403);
    expect((await h.api('secadmin', 'POST', `/api/v1/users/${user.id}/mfa/reset`)).statusCode).toBe(200);
    const r = await login('auditor2', 'Audit-Passw0rd!');
    expect(r.statusCode).toBe(200);
    expect(r.json().restriction).toBe('mfa_enrolment');
    expect((await auditActions('user.mfa.reset')).length).toBe(1);
  });

  it('is optional for other staff, who may turn it off with password and code', async () => {
    const token = await h.login('handB1');
    const setup = (await inject('POST', '/api/v1/auth/mfa/setup', token, {})).json() as { secret: string };
    expect((await inject('POST', '/api/v1/auth/mfa/confirm', token, { code: code(setup.secret, h.clock.now) })).statusCode).toBe(200);
    expect((await login('handB1', TEST_PASSWORD)).json().error.code).toBe('MFA_REQUIRED');
    expect((await inject('POST', '/api/v1/auth/mfa/disable', token, { password: TEST_PASSWORD, code: code(setup.secret, h.clock.now, 1) })).statusCode).toBe(200);
    expect((await login('handB1', TEST_PASSWORD)).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('end after the idle timeout and the absolute lifetime; cookie sessions need the CSRF token', async () => {
    const r = await login('handA2', TEST_PASSWORD);
    const { token, csrfToken } = r.json() as { token: string; csrfToken: string };
    const cookie = /mb_session=[^;]+/.exec(String(r.headers['set-cookie']))![0];
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(r.headers['set-cookie'])).toMatch(/SameSite=Strict/i);
    // A state-changing request on the cookie without the CSRF token is refused; with it, it passes.
    const noCsrf = await h.app.inject({ method: 'POST', url: '/api/v1/notify/inbox/read', headers: { cookie }, payload: { all: true } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_FAILED');
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/notify/inbox/read', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { all: true } })).statusCode).toBe(200);
    // Idle for 29 minutes: still signed in; then 31 minutes more: gone.
    h.clock.now += 29 * 60_000;
    expect((await inject('GET', '/api/v1/auth/me', token)).statusCode).toBe(200);
    h.clock.now += 31 * 60_000;
    expect((await inject('GET', '/api/v1/auth/me', token)).statusCode).toBe(401);
    // Used every 20 minutes, a session still ends after SESSION_MAX_HOURS (12).
    const t2 = (await login('handA2', TEST_PASSWORD)).json().token as string;
    for (let i = 0; i < 35; i++) {
      h.clock.now += 20 * 60_000;
      expect((await inject('GET', '/api/v1/auth/me', t2)).statusCode, `after ${(i + 1) * 20} min`).toBe(200);
    }
    h.clock.now += 21 * 60_000; // 12 h 1 min after sign-in
    expect((await inject('GET', '/api/v1/auth/me', t2)).statusCode).toBe(401);
    // Security headers on every answer.
    const head = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(head.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(head.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('三员分立 and permission changes', () => {
  it('refuses combining the 三员 with anything, and lets only the security admin change roles (audited, sessions ended)', async () => {
    expect((await h.api('secadmin', 'POST', '/api/v1/users', { username: 'combo', displayName: 'c', password: 'Combo-Passw0rd!', unitId: 'city', roles: ['sysadmin', 'auditor'] })).statusCode).toBe(400);
    expect((await h.api('secadmin', 'POST', '/api/v1/users', { username: 'combo', displayName: 'c', password: 'Combo-Passw0rd!', unitId: 'city', roles: ['secadmin', 'handler'] })).statusCode).toBe(400);
    expect((await h.api('sysadmin', 'POST', '/api/v1/users', { username: 'combo', displayName: 'c', password: 'Combo-Passw0rd!', unitId: 'city', roles: ['auditor'] })).statusCode).toBe(403);
    const u = await createUser('rolesu', ['handler']);
    const t = (await login('rolesu', 'Init-Passw0rd!')).json().token as string;
    await inject('POST', '/api/v1/auth/password', t, { oldPassword: 'Init-Passw0rd!', newPassword: 'Roles-Passw0rd!' });
    expect((await h.api('sysadmin', 'PATCH', `/api/v1/users/${u.id}`, { roles: ['dispatcher'] })).statusCode).toBe(403);
    expect((await h.api('secadmin', 'PATCH', `/api/v1/users/${u.id}`, { roles: ['handler', 'auditor'] })).statusCode).toBe(400);
    const ok = await h.api('secadmin', 'PATCH', `/api/v1/users/${u.id}`, { roles: ['dispatcher'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().roles).toEqual(['dispatcher']);
    expect((await inject('GET', '/api/v1/appeals', t)).statusCode).toBe(401);
    const change = (await auditActions('user.permissions.change')).find((a) => a.object_id === u.id)!;
    expect(JSON.parse(change.details!)).toMatchObject({ before: { roles: ['handler'] }, after: { roles: ['dispatcher'] } });
    // Nobody manages their own account through the admin endpoints.
    const self = await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow();
    expect((await h.api('secadmin', 'PATCH', `/api/v1/users/${self.id}`, { roles: ['secadmin', 'sysadmin'] })).statusCode).toBe(403);
  });
});

describe('no default passwords', () => {
  it('demo accounts keep their published password only in demo mode; otherwise it is disabled until an operator resets it', async () => {
    const db = await createTestDatabase({ DEMO_MODE: 'true' });
    try {
      const demo = await createServices(db.config);
      await seedDemo(demo, { appeals: 0, seed: 1, createUsers: true });
      await demo.security.atStart();
      const admin = await demo.ctx.db.selectFrom('users').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
      expect(admin.must_change_password).toBe(0);
      const demoLogin = await demo.auth.login('admin', DEMO_ACCOUNTS.find((a) => a.username === 'admin')!.password, { ip: null, userAgent: null });
      expect(demoLogin.restriction).toBeNull(); // demo mode: no second factor, flagged by /auth/me and /security/policy
      await demo.close();

      const { loadConfig } = await import('../../src/config.ts');
      const real = await createServices(loadConfig({ ...process.env, ...envOf(db.config), DEMO_MODE: 'false' }));
      await real.security.atStart();
      for (const a of DEMO_ACCOUNTS) {
        const u = await real.ctx.db.selectFrom('users').selectAll().where('username', '=', a.username).executeTakeFirstOrThrow();
        expect(u.must_change_password, a.username).toBe(1);
      }
      // The published password no longer opens the account at all (not even for a forced change).
      await expect(real.auth.login('dispatcher', DEMO_ACCOUNTS[0]!.password, { ip: null, userAgent: null })).rejects.toMatchObject({ status: 401 });
      // The operator sets a temporary password from the command line; it must be changed at sign-in.
      await real.auth.resetPasswordByOperator('dispatcher', 'Temp#2026-reset');
      const r = await real.auth.login('dispatcher', 'Temp#2026-reset', { ip: null, userAgent: null });
      expect(r.restriction).toBe('password_change');
      // A second start does not retire it again.
      expect(await real.security.retireDemoPasswords()).toEqual([]);
      const retired = await real.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'security.demo_password.retired').execute();
      expect(retired).toHaveLength(DEMO_ACCOUNTS.length);
      // The change of configuration (demo → real) is itself in the audit trail.
      const changes = await real.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'config.change').execute();
      expect(changes.some((c) => (c.details ?? '').includes('DEMO_MODE'))).toBe(true);
      await real.close();
    } finally {
      await db.drop();
    }
    expect(() => loadConfigSync({ NODE_ENV: 'production', DEMO_MODE: 'true', MINBIAO_SECRET: 'x'.repeat(40) })).toThrow(/demo/i);
  });
});

function envOf(c: { DATA_DIR: string; DATABASE_URL?: string | undefined; MINBIAO_SECRET?: string | undefined }): Record<string, string> {
  return { DATA_DIR: c.DATA_DIR, LOG_LEVEL: 'silent', NODE_ENV: 'test', MINBIAO_SECRET: c.MINBIAO_SECRET!, ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}) };
}

import { loadConfig as loadConfigSync } from '../../src/config.ts';
