// Org units: the tree (scoped), creation and changes by the system admin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { UNIT_LEVELS, UNIT_TYPES, UNIT_TYPE_LABELS } from '../../../services/org.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';

const UnitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  shortName: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  level: z.string(),
  regionCode: z.string(),
  population: z.number(),
  peerGroup: z.string(),
  active: z.boolean(),
});

const view = (u: Awaited<ReturnType<Services['org']['require']>>) => ({
  id: u.id,
  parentId: u.parentId,
  name: u.name,
  shortName: u.shortName,
  type: u.type,
  typeLabel: UNIT_TYPE_LABELS[u.type]?.zh ?? u.type,
  level: u.level,
  regionCode: u.regionCode,
  population: u.population,
  peerGroup: u.peerGroup,
  active: u.active,
});

export const unitRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/units', {
    schema: { tags: ['org'], summary: 'Units the user may see (their scope; the whole tree for admins)', response: { 200: z.object({ items: z.array(UnitSchema) }), ...errorResponses } },
  }, async (req) => ({ items: (await s.org.visibleTo(staffOf(req))).map(view) }));

  app.get('/api/v1/units/:id', {
    schema: { tags: ['org'], summary: 'One unit', params: IdParams, response: { 200: UnitSchema, ...errorResponses } },
  }, async (req) => {
    const visible = await s.org.visibleTo(staffOf(req));
    const u = visible.find((x) => x.id === req.params.id);
    if (!u) throw (await import('../../../lib/errors.ts')).errors.notFound(`Unit ${req.params.id}`, '单位');
    return view(u);
  });

  app.post('/api/v1/units', {
    schema: {
      tags: ['org'],
      summary: 'Create a unit (system admin)',
      body: z.strictObject({
        id: Id.optional(),
        parentId: Id.nullable(),
        name: text(2, 60),
        shortName: text(1, 30).optional(),
        type: z.enum(UNIT_TYPES),
        level: z.enum(UNIT_LEVELS),
        regionCode: z.string().regex(/^\d{6}(\d{3})?$/, '6 or 9 digits'),
        population: z.number().int().min(0).max(200_000_000).optional(),
        peerGroup: text(1, 60).optional(),
      }),
      response: { 201: UnitSchema, ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(view(await s.org.create(staffOf(req), req.body))));

  app.patch('/api/v1/units/:id', {
    schema: {
      tags: ['org'],
      summary: 'Change a unit (system admin)',
      params: IdParams,
      body: z.strictObject({
        name: text(2, 60).optional(),
        shortName: text(1, 30).optional(),
        population: z.number().int().min(0).max(200_000_000).optional(),
        peerGroup: text(1, 60).optional(),
        active: z.boolean().optional(),
      }),
      response: { 200: UnitSchema, ...errorResponses },
    },
  }, async (req) => view(await s.org.update(staffOf(req), req.params.id, req.body)));
};
