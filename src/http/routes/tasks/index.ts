// 回访 (callback) and rectification tasks; recording a callback answer as a rating.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, IdParams, Paging, text } from '../../schemas.ts';
import { RatingFields } from '../appeals/schema.ts';

export const taskRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/tasks', {
    schema: {
      tags: ['tasks'],
      summary: 'Tasks in the user’s scope',
      querystring: z.strictObject({ kind: z.enum(['callback', 'rectification']).optional(), status: z.enum(['open', 'done', 'unreachable']).optional(), ...Paging }),
      response: { 200: z.object({ items: z.array(z.any()), total: z.number(), page: z.number(), pageSize: z.number() }), ...errorResponses },
    },
  }, async (req) => s.queries.tasks(staffOf(req), req.query));

  app.post('/api/v1/tasks/:id/callback', {
    schema: {
      tags: ['tasks'],
      summary: 'Record the answer of a 回访 call (reached: the citizen’s rating; not reached: a note)',
      params: IdParams,
      body: z.discriminatedUnion('reached', [
        z.strictObject({ reached: z.literal(true), rating: z.strictObject(RatingFields) }),
        z.strictObject({ reached: z.literal(false), note: text(2, 500) }),
      ]),
      response: { 200: z.object({ taskId: z.string(), status: z.string() }), ...errorResponses },
    },
  }, async (req) => s.handling.completeCallback(staffOf(req), req.params.id, req.body));
};
