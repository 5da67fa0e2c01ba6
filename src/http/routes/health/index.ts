import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from '../../../store/database.ts';
import type { Services } from '../../../services/index.ts';

export const healthRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/health', {
    schema: {
      tags: ['system'],
      summary: 'Liveness and database reachability (and Redis, when the rate limits are shared there)',
      description: '503 when the database does not answer. Redis being unreachable does not make the instance unhealthy: the rate limits fall back to the process\'s memory and `redis` says "unavailable".',
      response: {
        200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), readReplica: z.enum(['ok', 'unavailable']).optional(), readThreads: z.enum(['ok', 'unavailable']).optional(), redis: z.enum(['ok', 'unavailable']).optional(), time: z.string() }),
        503: z.object({ status: z.literal('unavailable'), database: z.string() }),
      },
    },
  }, async (_req, reply) => {
    const limiter = s.security.limiter;
    const redis = limiter.status ? await limiter.status() : undefined;
    const readPool = () => ping(s.ctx.readDb).then(() => 'ok' as const, () => 'unavailable' as const);
    // The dashboards' read pool: a replica on PostgreSQL, read threads on SQLite (either may be absent).
    const readReplica = s.ctx.handle.readReplica ? await readPool() : undefined;
    const readThreads = s.ctx.handle.readThreads > 0 ? await readPool() : undefined;
    try {
      await ping(s.ctx.db);
      return { status: 'ok' as const, database: s.ctx.handle.dialect, ...(readReplica ? { readReplica } : {}), ...(readThreads ? { readThreads } : {}), ...(redis ? { redis } : {}), time: new Date().toISOString() };
    } catch {
      return reply.status(503).send({ status: 'unavailable' as const, database: s.ctx.handle.dialect });
    }
  });
};
