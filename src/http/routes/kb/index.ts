// Knowledge base (释疑解惑): the public search and article pages of the submission page, "this solved
// it", and the staff side — editing with review and versions, matching articles beside an appeal,
// citations for replies, the gaps, synonyms and resolved-consultation figures.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';
import {
  ActionBody,
  ArticleOut,
  Citation,
  CreateBody,
  GapsQuery,
  GapsResponse,
  ListQuery,
  PublicArticle,
  SearchItem,
  SearchQuery,
  SearchResponse,
  SynonymBody,
  UpdateBody,
} from './schema.ts';

export const kbRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  const kb = s.knowledge;

  // ---------------------------------------------------------------- public

  app.get('/api/v1/kb/search', {
    schema: {
      tags: ['knowledge'],
      summary: 'Search the knowledge base (public; the submission page asks while the citizen types: “您的问题可能已有答案”)',
      querystring: SearchQuery,
      response: { 200: SearchResponse, ...errorResponses },
    },
  }, async (req) => kb.publicSearch(req.query));

  app.get('/api/v1/kb/articles/:id/public', {
    schema: {
      tags: ['knowledge'],
      summary: 'A published article in force, as the public sees it',
      params: IdParams,
      querystring: z.strictObject({ regionCode: z.string().regex(/^\d{6}(\d{3})?$/).optional() }),
      response: { 200: PublicArticle, ...errorResponses },
    },
  }, async (req) => kb.publicArticle(req.params.id, req.query.regionCode));

  app.post('/api/v1/kb/queries/:id/click', {
    config: { publicGuard: { limits: ['track'] } },
    schema: {
      tags: ['knowledge'],
      summary: 'The citizen opened an article from a search (public)',
      params: IdParams,
      body: z.strictObject({ articleId: Id }),
      response: { 200: z.object({ ok: z.boolean() }), ...errorResponses },
    },
  }, async (req) => {
    await kb.click(req.params.id, req.body.articleId);
    return { ok: true };
  });

  app.post('/api/v1/kb/resolutions', {
    config: { publicGuard: { captcha: true, limits: ['track'] } },
    schema: {
      tags: ['knowledge'],
      summary: '“这解决了我的问题”: a consultation resolved by an article without an appeal (public; counted once per search visit)',
      body: z.strictObject({ queryId: Id, articleId: Id }),
      response: { 201: z.object({ resolutionId: z.string(), counted: z.boolean(), message: z.string(), messageEn: z.string() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await kb.resolve(req.body)));

  // ---------------------------------------------------------------- staff: articles

  app.get('/api/v1/kb/articles', {
    schema: { tags: ['knowledge'], summary: 'Articles: those of units in scope in every state, and all published', querystring: ListQuery, response: { 200: z.object({ items: z.array(ArticleOut), total: z.number(), page: z.number(), pageSize: z.number() }), ...errorResponses } },
  }, async (req) => kb.list(staffOf(req), req.query));

  app.post('/api/v1/kb/articles', {
    schema: { tags: ['knowledge'], summary: 'Write a new article (a draft); the body is sanitised to a safe HTML subset', body: CreateBody, response: { 201: ArticleOut, ...errorResponses } },
  }, async (req, reply) => {
    const { note, ...input } = req.body;
    return reply.status(201).send(await kb.create(staffOf(req), input, note));
  });

  app.get('/api/v1/kb/articles/:id', {
    schema: {
      tags: ['knowledge'],
      summary: 'An article’s working copy with its versions (who changed what) and workflow history',
      params: IdParams,
      response: {
        200: z.object({
          article: ArticleOut,
          versions: z.array(z.object({ version: z.number(), title: z.string(), changedAt: z.string(), changedBy: z.string().nullable(), changes: z.array(z.object({ field: z.string(), label: z.string() })), note: z.string().nullable() })),
          log: z.array(z.object({ seq: z.number(), at: z.string(), actor: z.string().nullable(), action: z.string(), from: z.string().nullable(), to: z.string(), version: z.number(), note: z.string().nullable() })),
        }),
        ...errorResponses,
      },
    },
  }, async (req) => kb.detail(staffOf(req), req.params.id));

  app.patch('/api/v1/kb/articles/:id', {
    schema: { tags: ['knowledge'], summary: 'Edit an article: a new version in draft (the published version stays public until the new one is published)', params: IdParams, body: UpdateBody, response: { 200: ArticleOut, ...errorResponses } },
  }, async (req) => {
    const { note, expectedRev, ...patch } = req.body;
    return kb.update(staffOf(req), req.params.id, patch, { note, expectedRev });
  });

  app.get('/api/v1/kb/articles/:id/versions/:version', {
    schema: { tags: ['knowledge'], summary: 'One version of an article', params: z.strictObject({ id: Id, version: z.coerce.number().int().min(1) }), response: { 200: z.any(), ...errorResponses } },
  }, async (req) => kb.version(staffOf(req), req.params.id, req.params.version));

  app.post('/api/v1/kb/articles/:id/actions', {
    schema: {
      tags: ['knowledge'],
      summary: 'Workflow: review (not by the author of the version), reject, publish, expire, restore',
      params: IdParams,
      body: ActionBody,
      response: { 200: ArticleOut, ...errorResponses },
    },
  }, async (req) => kb.act(staffOf(req), req.params.id, req.body.action, { note: req.body.note, expectedRev: req.body.expectedRev }));

  app.post('/api/v1/kb/articles/:id/cite', {
    schema: {
      tags: ['knowledge'],
      summary: 'The citation text (legal basis with its words) to insert into a reply; the citation is recorded',
      params: IdParams,
      body: z.strictObject({ appealId: Id.nullable().optional() }),
      response: { 200: Citation, ...errorResponses },
    },
  }, async (req) => kb.cite(staffOf(req), req.params.id, req.body.appealId));

  // ---------------------------------------------------------------- staff: beside the appeal, gaps

  app.get('/api/v1/kb/for-appeal/:id', {
    schema: {
      tags: ['knowledge'],
      summary: 'Articles matching an appeal (in the user’s data scope), with their legal basis and citation text',
      params: IdParams,
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(20).default(5) }),
      response: { 200: z.object({ appealId: z.string(), query: z.string(), items: z.array(SearchItem.extend({ citation: z.string() })) }), ...errorResponses },
    },
  }, async (req) => kb.forAppeal(staffOf(req), req.params.id, req.query.limit));

  app.get('/api/v1/kb/gaps', {
    schema: { tags: ['knowledge'], summary: 'Questions asked often that no article answers well (searches without a click, consultation appeals)', querystring: GapsQuery, response: { 200: GapsResponse, ...errorResponses } },
  }, async (req) => kb.gaps(staffOf(req), req.query));

  app.get('/api/v1/kb/resolutions/stats', {
    schema: {
      tags: ['knowledge'],
      summary: 'Consultations resolved by the knowledge base in a period, by category and region (in scope)',
      querystring: z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
      response: { 200: z.any(), ...errorResponses },
    },
  }, async (req) => kb.resolutionStats(staffOf(req), Date.parse(req.query.from), Date.parse(req.query.to)));

  // ---------------------------------------------------------------- synonyms

  app.get('/api/v1/kb/synonyms', {
    schema: { tags: ['knowledge'], summary: 'Colloquial phrases and the formal terms they stand for in search (defaults and the deployment’s own)', response: { 200: z.object({ items: z.array(z.object({ phrase: z.string(), terms: z.array(z.string()), custom: z.boolean() })) }), ...errorResponses } },
  }, async (req) => ({ items: await kb.synonymList(staffOf(req)) }));

  app.put('/api/v1/kb/synonyms', {
    schema: { tags: ['knowledge'], summary: 'Add or replace a synonym entry (an empty list disables a default one)', body: SynonymBody, response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
  }, async (req) => {
    await kb.saveSynonym(staffOf(req), req.body.phrase, req.body.terms);
    return { ok: true };
  });

  app.delete('/api/v1/kb/synonyms', {
    schema: { tags: ['knowledge'], summary: 'Remove the deployment’s own entry for a phrase (the default, if any, applies again)', querystring: z.strictObject({ phrase: text(1, 20) }), response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
  }, async (req) => {
    await kb.deleteSynonym(staffOf(req), req.query.phrase);
    return { ok: true };
  });
};
