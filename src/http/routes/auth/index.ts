// Staff sign-in (password, then the TOTP second factor where enrolled), sign-out, who am I, password
// change, and enrolment of the second factor.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLE_LABELS } from '../../../domain/access/roles.ts';
import type { Services } from '../../../services/index.ts';
import { SESSION_COOKIE, staffOf } from '../../plugins/auth.ts';
import { errorResponses } from '../../schemas.ts';

const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  unitId: z.string(),
  roles: z.array(z.string()),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  mfaEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

const Restriction = z.enum(['password_change', 'mfa_enrolment']).nullable();
const Ok = z.object({ ok: z.literal(true) });

export const authRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in (sets an httpOnly session cookie; also returns a bearer token for API clients). Accounts with a second factor send `otp` (the 6-digit code or a recovery code); without it the answer is 401 MFA_REQUIRED.',
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(128), otp: z.string().trim().min(1).max(40).optional() }),
      response: {
        200: z.object({ user: UserSchema, csrfToken: z.string(), token: z.string(), restriction: Restriction }),
        ...errorResponses,
        423: errorResponses[400],
        429: errorResponses[400],
      },
    },
  }, async (req, reply) => {
    const r = await s.auth.login(req.body.username, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null }, req.body.otp);
    reply.setCookie(SESSION_COOKIE, r.token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: req.protocol === 'https',
      maxAge: s.ctx.config.SESSION_MAX_HOURS * 3600,
    });
    return { user: r.user, csrfToken: r.csrfToken, token: r.token, restriction: r.restriction };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: Ok, ...errorResponses } } }, async (req, reply) => {
    await s.auth.logout(staffOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, their unit, permissions and data scope; `restriction` says what must be done before anything else (change the password, enrol the second factor)',
      response: {
        200: z.object({
          user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), unitId: z.string(), roles: z.array(z.string()) }),
          roleLabels: z.array(z.string()),
          permissions: z.array(z.string()),
          unit: z.object({ id: z.string(), name: z.string(), type: z.string() }),
          scope: z.object({ rootId: z.string(), rootName: z.string() }),
          csrfToken: z.string().nullable(),
          restriction: Restriction,
          mfa: z.object({ enabled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number() }),
          demo: z.boolean(),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const p = staffOf(req);
    const unit = await s.org.require(p.unitId);
    const root = await s.org.require(p.scopeRootId);
    const session = req.staffSession;
    const enabled = await s.auth.mfa.isEnabled(p.userId);
    return {
      user: { id: p.userId, username: p.username, displayName: p.displayName, unitId: p.unitId, roles: p.roles },
      roleLabels: p.roles.map((r) => ROLE_LABELS[r].zh),
      permissions: [...p.permissions],
      unit: { id: unit.id, name: unit.name, type: unit.type },
      scope: { rootId: root.id, rootName: root.name },
      csrfToken: session?.viaCookie ? session.csrfToken : null,
      restriction: session?.restriction ?? null,
      mfa: { enabled, required: s.auth.mfaRequiredFor(p.roles), recoveryCodesLeft: enabled ? await s.auth.mfa.remainingRecoveryCodes(p.userId) : 0 },
      demo: s.ctx.config.DEMO_MODE,
    };
  });

  app.post('/api/v1/auth/password', {
    schema: {
      tags: ['auth'],
      summary: 'Change my password (policy: ≥ 8 characters, three character classes, not containing the user name, none of the last 5)',
      body: z.strictObject({ oldPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (req) => {
    await s.auth.changePassword(staffOf(req), req.body.oldPassword, req.body.newPassword);
    return { ok: true as const };
  });

  app.post('/api/v1/auth/mfa/setup', {
    schema: {
      tags: ['auth'],
      summary: 'Start enrolling the TOTP second factor: a new secret and its otpauth:// URI (show it as a QR code)',
      response: { 200: z.object({ secret: z.string(), otpauthUri: z.string() }), ...errorResponses },
    },
  }, async (req) => s.auth.mfa.begin(staffOf(req)));

  app.post('/api/v1/auth/mfa/confirm', {
    schema: {
      tags: ['auth'],
      summary: 'Finish the enrolment with a code from the authenticator; answers the 10 recovery codes, shown only this once',
      body: z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, '6 digits') }),
      response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errorResponses },
    },
  }, async (req) => s.auth.mfa.confirm(staffOf(req), req.body.code));

  app.post('/api/v1/auth/mfa/disable', {
    schema: {
      tags: ['auth'],
      summary: 'Turn my second factor off (not allowed for roles that require it)',
      body: z.strictObject({ password: z.string().min(1).max(128), code: z.string().trim().min(6).max(40) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (req) => {
    await s.auth.disableMfa(staffOf(req), req.body.password, req.body.code);
    return { ok: true as const };
  });
};

export { UserSchema };
