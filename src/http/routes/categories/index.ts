// The category tree: public (the citizen's form needs it); changes by the system admin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPEAL_TYPES, URGENCIES } from '../../../domain/appeal/types.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';

const CategorySchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  nameEn: z.string(),
  defaultUnitType: z.string().nullable(),
  handleDays: z.number().nullable(),
  urgency: z.string(),
  defaultType: z.string().nullable(),
  sort: z.number(),
  active: z.boolean(),
});

export const categoryRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/categories', {
    schema: { tags: ['categories'], summary: 'The category tree (flat list with parentId)', response: { 200: z.object({ items: z.array(CategorySchema) }) } },
  }, async () => ({ items: (await s.categories.all()).filter((c) => c.active) }));

  app.post('/api/v1/categories', {
    schema: {
      tags: ['categories'],
      summary: 'Create a category (system admin)',
      body: z.strictObject({
        id: Id,
        parentId: Id.nullable(),
        name: text(1, 40),
        nameEn: text(1, 80),
        defaultUnitType: z.string().max(40).nullable().default(null),
        handleDays: z.number().int().min(1).max(60).nullable().default(null),
        urgency: z.enum(URGENCIES).default('general'),
        defaultType: z.enum(APPEAL_TYPES).nullable().default(null),
        sort: z.number().int().min(0).max(100_000).default(0),
      }),
      response: { 201: CategorySchema, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await s.categories.create(staffOf(req), req.body)));

  app.patch('/api/v1/categories/:id', {
    schema: {
      tags: ['categories'],
      summary: 'Change a category: name, deadline, urgency, default unit type (system admin)',
      params: IdParams,
      body: z.strictObject({
        name: text(1, 40).optional(),
        nameEn: text(1, 80).optional(),
        handleDays: z.number().int().min(1).max(60).nullable().optional(),
        urgency: z.enum(URGENCIES).optional(),
        defaultUnitType: z.string().max(40).nullable().optional(),
        active: z.boolean().optional(),
        sort: z.number().int().min(0).max(100_000).optional(),
      }),
      response: { 200: CategorySchema, ...errorResponses },
    },
  }, async (req) => s.categories.update(staffOf(req), req.params.id, req.body));
};
