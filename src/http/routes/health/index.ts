import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from '../../../store/database.ts';
import type { Services } from '../../../services/index.ts';

export const healthRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/health', {
    schema: {
      tags: ['system'],
      summary: 'Liveness and database reachability',
      response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), time: z.string() }), 503: z.object({ status: z.literal('unavailable'), database: z.string() }) },
    },
  }, async (_req, reply) => {
    try {
      await ping(s.ctx.db);
      return { status: 'ok' as const, database: s.ctx.handle.dialect, time: new Date().toISOString() };
    } catch {
      return reply.status(503).send({ status: 'unavailable' as const, database: s.ctx.handle.dialect });
    }
  });
};
