// The 安全感·满意度 survey: public answering (open rounds), and for staff the rounds, phone-interview
// entry, population margins, results with intervals and the trend across rounds.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { citizenOf, staffOf } from '../../plugins/auth.ts';
import type { PublicGuardSpec } from '../../plugins/security.ts';
import { surveyWorkbook, workbookBuffer } from '../../../services/participation/export.ts';
import { errorResponses, IdParams } from '../../schemas.ts';
import { EstimateView, IdempotencyHeaders, MarginsBody, MarginsItem, PhoneEntryBody, QuestionnaireView, RegionCode, RegionParams, RoundCreate, RoundPatch, RoundResultsView, RoundView, WebResponseBody } from './schema.ts';

export const SURVEY_ANSWER_GUARD: PublicGuardSpec = { captcha: true, limits: ['submit'] };

const Answered = z.object({ id: z.string(), message: z.string(), messageEn: z.string(), replayed: z.boolean() });

export const surveyRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  const sv = s.participation.surveys;

  // --- public -----------------------------------------------------------------------------------

  app.get('/api/v1/surveys/open', {
    schema: { tags: ['participation'], summary: 'Survey rounds open for answers now', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), regionCode: z.string(), regionName: z.string(), opensAt: z.string(), closesAt: z.string() })) }), ...errorResponses } },
  }, async () => sv.publicOpenRounds());

  app.get('/api/v1/surveys/:id', {
    schema: {
      tags: ['participation'],
      summary: 'The questionnaire of an open round, with the regions and age groups to choose from',
      params: IdParams,
      response: {
        200: z.object({ id: z.string(), name: z.string(), regionCode: z.string(), regionName: z.string(), opensAt: z.string(), closesAt: z.string(), questionnaire: QuestionnaireView, regions: z.array(z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable(), level: z.string() })), ageGroups: z.array(z.string()), sexes: z.array(z.object({ value: z.string(), label: z.string(), labelEn: z.string() })) }),
        ...errorResponses,
      },
    },
  }, async (req) => sv.publicRound(req.params.id));

  app.post('/api/v1/surveys/:id/responses', {
    config: { publicGuard: SURVEY_ANSWER_GUARD },
    schema: {
      tags: ['participation'],
      summary: 'Answer the survey (once per phone and round — 409 ALREADY_ANSWERED; the phone is kept only as a one-way key). Send x-captcha.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: WebResponseBody,
      response: { 201: Answered, 200: Answered, ...errorResponses, 422: errorResponses[400] },
    },
  }, async (req, reply) => {
    const r = await sv.answer(citizenOf(req), req.params.id, req.body, req.headers['idempotency-key']);
    return reply.status(r.replayed ? 200 : 201).send(r);
  });

  // --- staff ------------------------------------------------------------------------------------

  app.get('/api/v1/survey/template', {
    schema: { tags: ['participation'], summary: 'The standard questionnaire, age groups and sexes', response: { 200: z.object({ questionnaire: QuestionnaireView, ageGroups: z.array(z.string()), sexes: z.array(z.object({ value: z.string(), label: z.string(), labelEn: z.string() })) }), ...errorResponses } },
  }, async (req) => {
    staffOf(req);
    return sv.template();
  });

  app.get('/api/v1/survey/rounds', {
    schema: { tags: ['participation'], summary: 'Survey rounds of the user’s subtree and of the units above it', response: { 200: z.object({ items: z.array(RoundView) }), ...errorResponses } },
  }, async (req) => sv.listRounds(staffOf(req)));

  app.post('/api/v1/survey/rounds', {
    schema: { tags: ['participation'], summary: 'Create a round (draft) — the standard questionnaire unless one is given', body: RoundCreate, response: { 201: RoundView, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await sv.createRound(staffOf(req), req.body)));

  app.get('/api/v1/survey/rounds/:id', {
    schema: { tags: ['participation'], summary: 'One round', params: IdParams, response: { 200: RoundView, ...errorResponses } },
  }, async (req) => sv.roundDetail(staffOf(req), req.params.id));

  app.patch('/api/v1/survey/rounds/:id', {
    schema: { tags: ['participation'], summary: 'Edit a round; status "open" starts it, "closed" ends it and freezes its margins and results', params: IdParams, body: RoundPatch, response: { 200: RoundView, ...errorResponses } },
  }, async (req) => sv.updateRound(staffOf(req), req.params.id, req.body));

  app.post('/api/v1/survey/rounds/:id/responses', {
    schema: { tags: ['participation'], summary: 'Enter the answers of a phone interview (channel "phone")', params: IdParams, body: PhoneEntryBody, response: { 201: Answered, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await sv.enterResponse(staffOf(req), req.params.id, req.body)));

  app.get('/api/v1/survey/rounds/:id/results', {
    schema: {
      tags: ['participation'],
      summary: 'Post-stratified results of a region (default: the round’s, or the user’s for a higher unit’s round): index with 95% interval, sub-indices, questions, regions, sample',
      params: IdParams,
      querystring: z.strictObject({ regionCode: RegionCode.optional() }),
      response: { 200: RoundResultsView, ...errorResponses },
    },
  }, async (req) => sv.results(staffOf(req), req.params.id, req.query.regionCode));

  app.get('/api/v1/survey/trend', {
    schema: {
      tags: ['participation'],
      summary: 'The index of a region across rounds',
      querystring: z.strictObject({ regionCode: RegionCode.optional() }),
      response: { 200: z.object({ regionCode: z.string(), points: z.array(z.object({ roundId: z.string(), name: z.string(), status: z.string(), opensAt: z.string(), closesAt: z.string(), respondents: z.number(), weighting: z.string(), index: EstimateView, security: EstimateView, satisfaction: EstimateView })) }), ...errorResponses },
    },
  }, async (req) => sv.trend(staffOf(req), req.query.regionCode));

  app.get('/api/v1/survey/margins', {
    schema: { tags: ['participation'], summary: 'Population margins (age group × sex) per region', querystring: z.strictObject({ regionCode: RegionCode.optional() }), response: { 200: z.object({ ageGroups: z.array(z.string()), sexes: z.array(z.string()), items: z.array(MarginsItem) }), ...errorResponses } },
  }, async (req) => sv.margins(staffOf(req), req.query.regionCode));

  app.put('/api/v1/survey/margins/:regionCode', {
    schema: { tags: ['participation'], summary: 'Set the margins of a region: every age group × sex cell (audited)', params: RegionParams, body: MarginsBody, response: { 200: MarginsItem, ...errorResponses } },
  }, async (req) => sv.setMargins(staffOf(req), req.params.regionCode, req.body));

  app.get('/api/v1/survey/rounds/:id/export.xlsx', {
    schema: { tags: ['participation'], summary: 'The results of a round (of the user’s region) as .xlsx', params: IdParams, querystring: z.strictObject({ regionCode: RegionCode.optional() }) },
  }, async (req, reply) => {
    const res = await sv.results(staffOf(req), req.params.id, req.query.regionCode);
    const buf = await workbookBuffer(await surveyWorkbook(s, req.params.id, res.regionCode));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="survey-${req.params.id}-${res.regionCode}.xlsx"`)
      .send(buf);
  });
};
