// Appeals: submission (citizens and hotline operators), the scoped list, the detail with its
// timeline, every action of the life cycle, and unmasking the citizen's identity with a reason.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import type { StaffActionInput } from '../../../services/appeals/handling.ts';
import { citizenOf, staffOf } from '../../plugins/auth.ts';
import { errorResponses, IdParams, text } from '../../schemas.ts';
import { ActionBody, Detail, ListItem, ListQuery, SubmitBody, SubmitResponse } from './schema.ts';

const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/).optional() }).passthrough();

export const appealRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/appeals', {
    schema: {
      tags: ['appeals'],
      summary: 'Submit an appeal (citizen, or a hotline operator when signed in). Send an Idempotency-Key header to make retries safe.',
      headers: IdempotencyHeaders,
      body: SubmitBody,
      response: { 201: SubmitResponse, 200: SubmitResponse, ...errorResponses, 422: errorResponses[400] },
    },
  }, async (req, reply) => {
    const p = req.staff ?? citizenOf(req);
    const r = await s.intake.submit(p, req.body, req.headers['idempotency-key']);
    return reply.status(r.replayed ? 200 : 201).send(r);
  });

  app.get('/api/v1/appeals', {
    schema: {
      tags: ['appeals'],
      summary: 'Appeals in the user’s data scope, with filters and paging',
      querystring: ListQuery,
      response: { 200: z.object({ items: z.array(ListItem), total: z.number(), totalCapped: z.boolean().optional(), page: z.number(), pageSize: z.number() }), ...errorResponses },
    },
  }, async (req) => s.queries.list(staffOf(req), req.query));

  app.get('/api/v1/appeals/:id', {
    schema: { tags: ['appeals'], summary: 'One appeal with its timeline (personal data masked)', params: IdParams, response: { 200: Detail, ...errorResponses } },
  }, async (req) => s.queries.detail(staffOf(req), req.params.id));

  app.get('/api/v1/appeals/:id/events', {
    schema: { tags: ['appeals'], summary: 'The append-only events of an appeal', params: IdParams, response: { 200: z.object({ items: z.array(z.any()) }), ...errorResponses } },
  }, async (req) => ({ items: await s.queries.events(staffOf(req), req.params.id) }));

  app.post('/api/v1/appeals/:id/actions', {
    schema: {
      tags: ['appeals'],
      summary: 'Act on an appeal: dispatch, accept, return, transfer, contact, reply, request_extension, decide_extension, supervise, close, reopen, merge, redirect, flag_unreasonable, decide_unreasonable, appeal_rating, decide_rating_appeal, rate (回访)',
      params: IdParams,
      body: ActionBody,
      response: { 200: Detail, ...errorResponses },
    },
  }, async (req) => {
    const p = staffOf(req);
    const { expectedVersion, ...input } = req.body;
    await s.handling.act(p, req.params.id, input as StaffActionInput, expectedVersion);
    return s.queries.detailAfterAction(req.params.id);
  });

  app.post('/api/v1/appeals/:id/unmask', {
    schema: {
      tags: ['appeals'],
      summary: 'Show the citizen’s identity in clear for a stated reason (audited)',
      params: IdParams,
      body: z.strictObject({ reason: text(4, 200) }),
      response: { 200: z.object({ name: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(), idNumber: z.string().nullable(), email: z.string().nullable() }), ...errorResponses },
    },
  }, async (req) => s.queries.unmask(staffOf(req), req.params.id, req.body.reason));
};
