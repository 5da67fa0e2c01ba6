// The deployment's regions (for the citizen's region picker and the gazetteer).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';

export const regionRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/regions', {
    schema: {
      tags: ['org'],
      summary: 'Regions of the deployment (districts and streets)',
      response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable(), level: z.string() })) }) },
    },
  }, async () => ({ items: (await s.org.regions()).map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, level: r.level })) }));
};
