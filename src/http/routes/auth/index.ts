// Staff sign-in, sign-out, who am I, password change.
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
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

export const authRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in (sets an httpOnly session cookie; also returns a bearer token for API clients)',
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) }),
      response: { 200: z.object({ user: UserSchema, csrfToken: z.string(), token: z.string() }), ...errorResponses, 423: errorResponses[400] },
    },
  }, async (req, reply) => {
    const r = await s.auth.login(req.body.username, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
    reply.setCookie(SESSION_COOKIE, r.token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: req.protocol === 'https',
      maxAge: s.ctx.config.SESSION_MAX_HOURS * 3600,
    });
    return { user: r.user, csrfToken: r.csrfToken, token: r.token };
  });

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out', response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses } } }, async (req, reply) => {
    await s.auth.logout(staffOf(req));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/v1/auth/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, their unit, permissions and data scope',
      response: {
        200: z.object({
          user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), unitId: z.string(), roles: z.array(z.string()) }),
          roleLabels: z.array(z.string()),
          permissions: z.array(z.string()),
          unit: z.object({ id: z.string(), name: z.string(), type: z.string() }),
          scope: z.object({ rootId: z.string(), rootName: z.string() }),
          csrfToken: z.string().nullable(),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    const p = staffOf(req);
    const unit = await s.org.require(p.unitId);
    const root = await s.org.require(p.scopeRootId);
    const token = req.cookies?.[SESSION_COOKIE];
    const csrf = token ? ((await s.auth.authenticate(token, req.ip))?.csrfToken ?? null) : null;
    return {
      user: { id: p.userId, username: p.username, displayName: p.displayName, unitId: p.unitId, roles: p.roles },
      roleLabels: p.roles.map((r) => ROLE_LABELS[r].zh),
      permissions: [...p.permissions],
      unit: { id: unit.id, name: unit.name, type: unit.type },
      scope: { rootId: root.id, rootName: root.name },
      csrfToken: csrf,
    };
  });

  app.post('/api/v1/auth/password', {
    schema: {
      tags: ['auth'],
      summary: 'Change my password',
      body: z.strictObject({ oldPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) }),
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (req) => {
    await s.auth.changePassword(staffOf(req), req.body.oldPassword, req.body.newPassword);
    return { ok: true as const };
  });
};

export { UserSchema };
