// Working-day calendar overrides (system admin): years the package lacks, or local changes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { requirePermission } from '../../../services/principal.ts';
import { errorResponses, text } from '../../schemas.ts';

const DateParams = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD') });

export const calendarRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/calendar/overrides', {
    schema: {
      tags: ['calendar'],
      summary: 'Overrides and the years covered by official holiday data',
      response: {
        200: z.object({
          officialYears: z.array(z.number()),
          overrides: z.array(z.object({ date: z.string(), workday: z.boolean(), note: z.string().nullable(), updatedBy: z.string().nullable(), updatedAt: z.string() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => {
    requirePermission(staffOf(req), 'org.read');
    return s.calendar.overrides();
  });

  app.put('/api/v1/calendar/overrides/:date', {
    schema: {
      tags: ['calendar'],
      summary: 'Declare a day a working day or a holiday',
      params: DateParams,
      body: z.strictObject({ workday: z.boolean(), note: text(0, 100).nullable().default(null) }),
      response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
    },
  }, async (req) => {
    await s.calendar.setOverride(staffOf(req), req.params.date, req.body.workday, req.body.note);
    return { ok: true as const };
  });

  app.delete('/api/v1/calendar/overrides/:date', {
    schema: { tags: ['calendar'], summary: 'Remove an override', params: DateParams, response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses } },
  }, async (req) => {
    await s.calendar.removeOverride(staffOf(req), req.params.date);
    return { ok: true as const };
  });
};
