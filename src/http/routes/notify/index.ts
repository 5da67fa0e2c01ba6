// Notifications: the staff inbox and preferences, the templates the admin edits, and the outbox.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TEMPLATE_KEYS } from '../../../domain/notify/templates.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, Paging, text } from '../../schemas.ts';

const TemplateOut = z.object({
  key: z.enum(TEMPLATE_KEYS),
  audience: z.string(),
  label: z.string(),
  title: z.string(),
  body: z.string(),
  enabled: z.boolean(),
  custom: z.boolean(),
  variables: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
const KeyParams = z.strictObject({ key: z.enum(TEMPLATE_KEYS) });

export const notifyRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  const n = s.notify;

  app.get('/api/v1/notify/inbox', {
    schema: {
      tags: ['notifications'],
      summary: 'My in-app messages (new, overdue, escalated appeals, risk alerts)',
      querystring: z.strictObject({ unread: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), ...Paging }),
      response: {
        200: z.object({
          items: z.array(z.object({ id: z.string(), template: z.string(), title: z.string(), body: z.string(), appealId: z.string().nullable(), createdAt: z.string(), readAt: z.string().nullable() })),
          total: z.number(),
          unread: z.number(),
          page: z.number(),
          pageSize: z.number(),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => n.inbox(staffOf(req), req.query));

  app.post('/api/v1/notify/inbox/read', {
    schema: {
      tags: ['notifications'],
      summary: 'Mark my messages read (some ids, or all)',
      body: z.strictObject({ ids: z.array(Id).min(1).max(500).optional(), all: z.boolean().optional() }),
      response: { 200: z.object({ updated: z.number() }), ...errorResponses },
    },
  }, async (req) => n.markRead(staffOf(req), req.body));

  app.get('/api/v1/notify/prefs', {
    schema: { tags: ['notifications'], summary: 'My notification preferences (e-mail shown masked)', response: { 200: z.object({ email: z.string().nullable(), emailEnabled: z.boolean() }), ...errorResponses } },
  }, async (req) => n.prefs(staffOf(req)));

  app.put('/api/v1/notify/prefs', {
    schema: {
      tags: ['notifications'],
      summary: 'Set my e-mail copies of inbox messages (the address is stored encrypted)',
      body: z.strictObject({ email: z.string().trim().max(120).regex(/^[^\s<>@,;:"]+@[^\s<>@,;:"]+\.[^\s<>@,;:"]+$/, 'an e-mail address').nullable().optional(), emailEnabled: z.boolean() }),
      response: { 200: z.object({ email: z.string().nullable(), emailEnabled: z.boolean() }), ...errorResponses },
    },
  }, async (req) => n.savePrefs(staffOf(req), req.body));

  app.get('/api/v1/notify/templates', {
    schema: { tags: ['notifications'], summary: 'Message templates (Chinese, with {{variables}}) — admin', response: { 200: z.object({ items: z.array(TemplateOut) }), ...errorResponses } },
  }, async (req) => ({ items: await n.templates(staffOf(req)) }));

  app.put('/api/v1/notify/templates/:key', {
    schema: {
      tags: ['notifications'],
      summary: 'Edit a template (only its declared variables may be used) or switch it off — admin',
      params: KeyParams,
      body: z.strictObject({ title: text(1, 100), body: text(1, 500), enabled: z.boolean() }),
      response: { 200: TemplateOut, ...errorResponses },
    },
  }, async (req) => n.saveTemplate(staffOf(req), req.params.key, req.body));

  app.delete('/api/v1/notify/templates/:key', {
    schema: { tags: ['notifications'], summary: 'Back to the default wording — admin', params: KeyParams, response: { 200: TemplateOut, ...errorResponses } },
  }, async (req) => n.resetTemplate(staffOf(req), req.params.key));

  app.post('/api/v1/notify/templates/:key/preview', {
    schema: {
      tags: ['notifications'],
      summary: 'Render a template (the saved one, or the text given) with sample values — admin',
      params: KeyParams,
      body: z.strictObject({ title: text(1, 100), body: text(1, 500) }).nullable().optional(),
      response: { 200: z.object({ title: z.string(), body: z.string(), unknown: z.array(z.string()) }), ...errorResponses },
    },
  }, async (req) => n.preview(staffOf(req), req.params.key, req.body ?? undefined));

  app.get('/api/v1/notify/outbox', {
    schema: {
      tags: ['notifications'],
      summary: 'Messages and their delivery state (recipients as ids only) — admin',
      querystring: z.strictObject({
        status: z.enum(['pending', 'sent', 'failed', 'skipped']).optional(),
        channel: z.enum(['sms', 'email', 'webhook', 'inbox']).optional(),
        appealId: Id.optional(),
        ...Paging,
      }),
      response: { 200: z.any(), ...errorResponses },
    },
  }, async (req) => n.outbox(staffOf(req), req.query));

  app.post('/api/v1/notify/outbox/:id/retry', {
    schema: { tags: ['notifications'], summary: 'Send a failed or skipped message again — admin', params: IdParams, response: { 200: z.object({ id: z.string(), status: z.string() }), ...errorResponses } },
  }, async (req) => n.retry(staffOf(req), req.params.id));
};
