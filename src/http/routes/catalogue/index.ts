// The 派单目录 (dispatch catalogue: category × region → unit) that automatic dispatch and the
// dispatcher's suggested unit follow; admins keep it up to date.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id } from '../../schemas.ts';

const Entry = z.object({ categoryId: z.string(), regionCode: z.string(), unitId: z.string() });

export const catalogueRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/dispatch-catalogue', {
    schema: { tags: ['org'], summary: 'The dispatch catalogue (派单目录): which unit handles a category in a region', response: { 200: z.object({ items: z.array(Entry) }), ...errorResponses } },
  }, async (req) => ({ items: await s.org.catalogue(staffOf(req)) }));

  app.put('/api/v1/dispatch-catalogue', {
    schema: {
      tags: ['org'],
      summary: 'Set the unit for a category in a region (unitId null removes the entry; the region above then applies). Audited.',
      body: z.strictObject({ categoryId: Id, regionCode: z.string().regex(/^\d{6}(\d{3})?$/, '6 or 9 digits'), unitId: Id.nullable() }),
      response: { 200: z.object({ categoryId: z.string(), regionCode: z.string(), unitId: z.string().nullable() }), ...errorResponses },
    },
  }, async (req) => s.org.setCatalogueEntry(staffOf(req), req.body, async (id) => (await s.categories.get(id)) !== undefined));
};
