// Staff accounts (system or security admin). Roles follow 三员分立.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../../domain/access/roles.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, text } from '../../schemas.ts';
import { UserSchema } from '../auth/index.ts';

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
};
