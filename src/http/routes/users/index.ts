// Staff accounts (system or security admin). Roles follow 三员分立; changing roles is a permission
// change reserved to the security admin; every change is audited.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../domain/access/roles.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';
import { UserSchema } from '../auth/index.ts';

const Ok = z.object({ ok: z.literal(true) });

export const userRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/users', {
    schema: { tags: ['users'], summary: 'Staff accounts', response: { 200: z.object({ items: z.array(UserSchema) }), ...errorResponses } },
  }, async (req) => ({ items: await s.auth.listUsers(staffOf(req)) }));

  app.post('/api/v1/users', {
    schema: {
      tags: ['users'],
      summary: 'Create a staff account (must change the password at first sign-in)',
      body: z.strictObject({
        username: z.string().min(3).max(64),
        displayName: text(1, 40),
        password: z.string().min(1).max(128),
        unitId: Id,
        roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
      }),
      response: { 201: UserSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await s.auth.createUser(staffOf(req), { ...req.body, mustChangePassword: true })));

  app.patch('/api/v1/users/:id', {
    schema: {
      tags: ['users'],
      summary: 'Change an account: name, unit, active (system admin); roles (security admin). Its sessions end.',
      params: IdParams,
      body: z.strictObject({
        displayName: text(1, 40).optional(),
        unitId: Id.optional(),
        active: z.boolean().optional(),
        roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
      }),
      response: { 200: UserSchema, ...errorResponses },
    },
  }, async (req) => s.auth.updateUser(staffOf(req), req.params.id, req.body));

  app.post('/api/v1/users/:id/password', {
    schema: {
      tags: ['users'],
      summary: 'Set a temporary password (the user must change it at the next sign-in)',
      params: IdParams,
      body: z.strictObject({ password: z.string().min(1).max(128) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (req) => {
    await s.auth.resetPassword(staffOf(req), req.params.id, req.body.password);
    return { ok: true as const };
  });

  app.post('/api/v1/users/:id/unlock', {
    schema: { tags: ['users'], summary: 'Lift a lockout after failed sign-ins', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (req) => {
    await s.auth.unlock(staffOf(req), req.params.id);
    return { ok: true as const };
  });

  app.post('/api/v1/users/:id/mfa/reset', {
    schema: { tags: ['users'], summary: 'Remove a lost second factor (security admin); the user enrols again', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (req) => {
    await s.auth.resetMfa(staffOf(req), req.params.id);
    return { ok: true as const };
  });
};
