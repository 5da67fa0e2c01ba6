// Text intelligence over HTTP (issue 4): what the analysis found about an appeal, the risk list
// (矛盾易发点), the draft-reply check (每一份文书), hotspots (热点), and the classifier for admins.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';

const Any = z.any();
const Signal = z.object({ kind: z.string(), words: z.array(z.string()), weight: z.number() });
const Linked = z.object({ id: z.string(), trackingCode: z.string(), title: z.string(), status: z.string(), createdAt: z.string() });

const Insight = z.object({
  appealId: z.string(),
  predicted: z.object({ categoryId: z.string(), name: z.string(), confidence: z.number() }).nullable(),
  ranked: z.array(z.object({ categoryId: z.string(), name: z.string(), probability: z.number() })),
  route: z.enum(['auto', 'triage']),
  routeReason: z.string(),
  autoUnit: z.object({ id: z.string(), name: z.string() }).nullable(),
  risk: z.object({ level: z.string(), score: z.number(), signals: z.array(Signal) }),
  repeatOf: Linked.nullable(),
  sameIssueAs: Linked.nullable(),
  similarity: z.number().nullable(),
  sameIssue: z.array(Linked),
  hotspots: z.array(z.object({ id: z.string(), label: z.string(), status: z.string() })),
});

const ReplyQualitySchema = z.object({
  overall: z.number(),
  parts: z.object({ relevance: z.number(), completeness: z.number(), basis: z.number(), tone: z.number(), specificity: z.number(), timeliness: z.number().nullable() }),
  points: z.array(z.object({ text: z.string(), kind: z.string(), answered: z.boolean(), overlap: z.number() })),
  citations: z.array(z.string()),
  hints: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
});

const HotspotSchema = z.object({
  id: z.string(),
  label: z.string(),
  place: z.string().nullable(),
  problem: z.string(),
  keywords: z.array(z.string()),
  heat: z.number(),
  heatParts: z.record(z.string(), z.number()),
  appeals: z.number(),
  citizens: z.number(),
  trend: z.array(z.object({ day: z.string(), count: z.number() })),
  ownerUnit: z.object({ id: z.string(), name: z.string() }).nullable(),
  regionCode: z.string().nullable(),
  status: z.enum(['active', 'resolved']),
  firstAt: z.string(),
  lastAt: z.string(),
  resolvedAt: z.string().nullable(),
});

export const textRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/classify', {
    config: { publicGuard: { limits: ['track'] } },
    schema: {
      tags: ['text'],
      summary: 'Suggest categories for a text while the citizen writes (public; at most three, most likely first; nothing is stored)',
      body: z.strictObject({ title: z.string().max(100).default(''), body: z.string().max(5000).default('') }),
      response: { 200: z.object({ items: z.array(z.object({ categoryId: z.string(), name: z.string(), nameEn: z.string(), probability: z.number() })) }), ...errorResponses },
    },
  }, async (req) => ({ items: await s.text.suggestCategories(req.body.title, req.body.body) }));

  app.get('/api/v1/appeals/:id/insight', {
    schema: { tags: ['text'], summary: 'What the text intelligence found at intake: category and confidence, route and why, risk with its trigger words, repeats and the same issue, hotspots', params: IdParams, response: { 200: Insight, ...errorResponses } },
  }, async (req) => s.text.insight(staffOf(req), req.params.id));

  app.post('/api/v1/appeals/:id/reply-check', {
    schema: {
      tags: ['text'],
      summary: 'Score a draft reply before sending it: relevance, completeness (each question answered), legal or policy basis, tone — with concrete hints. Nothing is stored.',
      params: IdParams,
      body: z.strictObject({ text: text(1, 10_000) }),
      response: { 200: ReplyQualitySchema, ...errorResponses },
    },
  }, async (req) => s.text.checkReply(staffOf(req), req.params.id, req.body.text));

  app.get('/api/v1/risk-alerts', {
    schema: {
      tags: ['text'],
      summary: '矛盾易发点: appeals with medium or high risk in the user’s scope, newest first, with the words that triggered them',
      querystring: z.strictObject({ level: z.enum(['high', 'medium']).optional(), open: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: { 200: z.object({ items: z.array(Any) }), ...errorResponses },
    },
  }, async (req) => ({ items: await s.text.riskAlerts(staffOf(req), { level: req.query.level, open: req.query.open === 'true', limit: req.query.limit }) }));

  app.get('/api/v1/hotspots', {
    schema: {
      tags: ['text'],
      summary: 'Hotspots (热点) owned by units in the user’s scope, hottest first',
      querystring: z.strictObject({ status: z.enum(['active', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({ items: z.array(HotspotSchema) }), ...errorResponses },
    },
  }, async (req) => ({ items: await s.text.hotspots.list(staffOf(req), req.query) }));

  app.get('/api/v1/hotspots/:id', {
    schema: { tags: ['text'], summary: 'One hotspot with the ids of its appeals', params: z.strictObject({ id: Id }), response: { 200: HotspotSchema.extend({ appealIds: z.array(z.string()) }), ...errorResponses } },
  }, async (req) => s.text.hotspots.get(staffOf(req), req.params.id));

  app.post('/api/v1/hotspots/refresh', {
    schema: { tags: ['text'], summary: 'Detect hotspots now (the scheduler does it every few minutes)', response: { 200: z.object({ detected: z.number(), created: z.number(), updated: z.number(), resolved: z.number(), appealsIndexed: z.number() }), ...errorResponses } },
  }, async (req) => {
    const p = staffOf(req);
    s.text.requireHotspotRefresh(p);
    return s.text.hotspots.refresh();
  });

  app.get('/api/v1/text/model', {
    schema: { tags: ['text'], summary: 'The active classifier: training rows, labels, k-fold cross-validated accuracy, macro-F1, per-class F1 and the confusion matrix; the auto-dispatch threshold', response: { 200: Any, ...errorResponses } },
  }, async (req) => s.text.classification.summary(staffOf(req)));

  app.post('/api/v1/text/model/retrain', {
    schema: { tags: ['text'], summary: 'Retrain now from the confirmed categories (the scheduler does it nightly) and cross-validate', response: { 200: Any, ...errorResponses } },
  }, async (req) => s.text.classification.retrain(staffOf(req)));
};
