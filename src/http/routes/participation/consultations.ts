// Consultations (征集): the public pages (list, detail, suggestions, submit, support, results) and the
// staff side (open, edit, moderate, answer, follow-up tasks). Public writes carry the captcha and
// rate limits of the security plugin (x-captcha header).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { citizenOf, staffOf } from '../../plugins/auth.ts';
import type { PublicGuardSpec } from '../../plugins/security.ts';
import { consultationWorkbook, workbookBuffer } from '../../../services/participation/export.ts';
import { errorResponses, IdParams, text } from '../../schemas.ts';
import {
  AnswerBody,
  ConsultationCreate,
  ConsultationPatch,
  ConsultationStaffView,
  ConsultationView,
  IdempotencyHeaders,
  ManagedSuggestionQuery,
  Moderation,
  Phone,
  PublicListQuery,
  ResultsView,
  SubmitResult,
  SuggestionListQuery,
  SuggestionParams,
  SuggestionStaffView,
  SuggestionSubmit,
  SuggestionView,
  TaskBody,
  TaskProgressBody,
  TaskView,
} from './schema.ts';

/** A suggestion is a public write like an appeal: captcha, per-address and per-phone limits. */
export const SUGGEST_GUARD: PublicGuardSpec = { captcha: true, limits: ['submit'] };
/** A support is small and frequent: captcha and the per-address limit of look-ups. */
export const SUPPORT_GUARD: PublicGuardSpec = { captcha: true, limits: ['track'] };

const page = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

export const consultationRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  const c = s.participation.consultations;

  // --- public -----------------------------------------------------------------------------------

  app.get('/api/v1/consultations', {
    schema: { tags: ['participation'], summary: 'Published consultations (征集), newest first', querystring: PublicListQuery, response: { 200: page(ConsultationView), ...errorResponses } },
  }, async (req) => c.listPublic(req.query));

  app.get('/api/v1/consultations/:id', {
    schema: { tags: ['participation'], summary: 'One published consultation', params: IdParams, response: { 200: ConsultationView, ...errorResponses } },
  }, async (req) => c.publicDetail(req.params.id));

  app.get('/api/v1/consultations/:id/suggestions', {
    schema: { tags: ['participation'], summary: 'Public suggestions with their answers, by support or newest', params: IdParams, querystring: SuggestionListQuery, response: { 200: page(SuggestionView), ...errorResponses } },
  }, async (req) => c.publicSuggestions(req.params.id, req.query));

  app.post('/api/v1/consultations/:id/suggestions', {
    config: { publicGuard: SUGGEST_GUARD },
    schema: {
      tags: ['participation'],
      summary: 'Make a suggestion (phone required, kept encrypted; personal data in the text is masked; abuse and spam wait for a moderator). Send x-captcha; an Idempotency-Key makes retries safe.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: SuggestionSubmit,
      response: { 201: SubmitResult, 200: SubmitResult, ...errorResponses, 422: errorResponses[400] },
    },
  }, async (req, reply) => {
    const r = await c.submit(citizenOf(req), req.params.id, req.body, req.headers['idempotency-key']);
    return reply.status(r.replayed ? 200 : 201).send(r);
  });

  app.post('/api/v1/consultations/:id/suggestions/:sid/support', {
    config: { publicGuard: SUPPORT_GUARD },
    schema: {
      tags: ['participation'],
      summary: 'Support a suggestion, once per person (phone) — 409 ALREADY_SUPPORTED otherwise',
      params: SuggestionParams,
      body: z.strictObject({ phone: Phone }),
      response: { 200: z.object({ suggestionId: z.string(), supportCount: z.number() }), ...errorResponses },
    },
  }, async (req) => c.support(citizenOf(req), req.params.id, req.params.sid, req.body.phone));

  app.get('/api/v1/consultations/:id/results', {
    schema: { tags: ['participation'], summary: 'The public results page: participation, top suggestions, answers, what was done', params: IdParams, response: { 200: ResultsView, ...errorResponses } },
  }, async (req) => c.results(req.params.id));

  // --- staff ------------------------------------------------------------------------------------

  app.get('/api/v1/consultations/managed', {
    schema: { tags: ['participation'], summary: 'Consultations opened in the user’s subtree (drafts included)', response: { 200: z.object({ items: z.array(ConsultationStaffView) }), ...errorResponses } },
  }, async (req) => c.listManaged(staffOf(req)));

  app.post('/api/v1/consultations', {
    schema: { tags: ['participation'], summary: 'Open a consultation (topic, background, region, dates, optional questions)', body: ConsultationCreate, response: { 201: ConsultationStaffView, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await c.create(staffOf(req), req.body)));

  app.get('/api/v1/consultations/:id/manage', {
    schema: { tags: ['participation'], summary: 'A consultation with its moderation counts (staff)', params: IdParams, response: { 200: ConsultationStaffView, ...errorResponses } },
  }, async (req) => c.managedDetail(staffOf(req), req.params.id));

  app.patch('/api/v1/consultations/:id', {
    schema: { tags: ['participation'], summary: 'Edit, publish or conclude (summary) a consultation', params: IdParams, body: ConsultationPatch, response: { 200: ConsultationStaffView, ...errorResponses } },
  }, async (req) => c.update(staffOf(req), req.params.id, req.body));

  app.get('/api/v1/consultations/:id/suggestions/managed', {
    schema: { tags: ['participation'], summary: 'Every suggestion, held and hidden ones included, with flags and masked phone (staff)', params: IdParams, querystring: ManagedSuggestionQuery, response: { 200: page(SuggestionStaffView), ...errorResponses } },
  }, async (req) => {
    const { status, ...rest } = req.query;
    return c.managedSuggestions(staffOf(req), req.params.id, { ...rest, status: status ? [status] : undefined });
  });

  app.get('/api/v1/consultations/:id/suggestions/:sid/history', {
    schema: { tags: ['participation'], summary: 'The append-only history of a suggestion: screening, moderation, answers, tasks', params: SuggestionParams, response: { 200: z.object({ items: z.array(z.object({ seq: z.number(), at: z.string(), actorKind: z.string(), actorId: z.string().nullable(), action: z.string(), payload: z.record(z.string(), z.unknown()) })) }), ...errorResponses } },
  }, async (req) => c.suggestionHistory(staffOf(req), req.params.id, req.params.sid));

  app.post('/api/v1/consultations/:id/suggestions/:sid/moderation', {
    schema: { tags: ['participation'], summary: 'Moderate: approve a held suggestion, hide (with a reason), restore, or redact the public text (audited; nothing is deleted)', params: SuggestionParams, body: Moderation, response: { 200: SuggestionStaffView, ...errorResponses } },
  }, async (req) => c.moderate(staffOf(req), req.params.id, req.params.sid, req.body));

  app.post('/api/v1/consultations/:id/suggestions/:sid/answer', {
    schema: { tags: ['participation'], summary: 'Answer publicly: adopted / partly adopted / not adopted, the reason and what will be done', params: SuggestionParams, body: AnswerBody, response: { 200: SuggestionStaffView, ...errorResponses } },
  }, async (req) => c.answer(staffOf(req), req.params.id, req.params.sid, req.body));

  app.post('/api/v1/consultations/:id/suggestions/:sid/tasks', {
    schema: { tags: ['participation'], summary: 'Turn an adopted suggestion into a tracked task with a responsible unit and a deadline', params: SuggestionParams, body: TaskBody, response: { 201: TaskView, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await c.createTask(staffOf(req), req.params.id, req.params.sid, req.body)));

  app.post('/api/v1/consultations/:id/suggestions/:sid/unmask', {
    schema: { tags: ['participation'], summary: 'The author’s phone and the original text in clear, for a stated reason (audited)', params: SuggestionParams, body: z.strictObject({ reason: text(4, 200) }), response: { 200: z.object({ phone: z.string().nullable(), originalTitle: z.string().nullable(), originalBody: z.string().nullable() }), ...errorResponses } },
  }, async (req) => c.unmaskAuthor(staffOf(req), req.params.id, req.params.sid, req.body.reason));

  app.post('/api/v1/consultation-tasks/:id/progress', {
    schema: { tags: ['participation'], summary: 'Public progress of a follow-up task (a note, and the status: open, in_progress, done, cancelled)', params: IdParams, body: TaskProgressBody, response: { 200: TaskView, ...errorResponses } },
  }, async (req) => c.taskProgress(staffOf(req), req.params.id, req.body));

  app.get('/api/v1/consultations/:id/export.xlsx', {
    schema: { tags: ['participation'], summary: 'A consultation with every suggestion, its moderation, answer and tasks as .xlsx (staff)', params: IdParams },
  }, async (req, reply) => {
    await c.managedDetail(staffOf(req), req.params.id);
    const buf = await workbookBuffer(await consultationWorkbook(s, req.params.id));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="consultation-${req.params.id}.xlsx"`)
      .send(buf);
  });
};
