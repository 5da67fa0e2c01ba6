// Request and response schemas of the knowledge base endpoints.
import { z } from 'zod';
import { ARTICLE_ACTIONS, ARTICLE_STATUSES } from '../../../domain/knowledge/article.ts';
import { Id, Paging, text } from '../../schemas.ts';

/** A date (YYYY-MM-DD, midnight in Asia/Shanghai) or an ISO date-time with offset → epoch ms. */
const When = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .transform((s) => (s.length === 10 ? Date.parse(`${s}T00:00:00+08:00`) : Date.parse(s)));

const Region = z.string().regex(/^\d{6}(\d{3})?$/, '6 or 9 digits');

export const LegalBasisSchema = z.strictObject({
  law: text(2, 100),
  article: text(1, 60).nullable().optional(),
  edition: text(1, 40).nullable().optional(),
  quote: text(1, 2000).nullable().optional(),
});

const LegalBasisOut = z.object({ law: z.string(), article: z.string().nullable().optional(), edition: z.string().nullable().optional(), quote: z.string().nullable().optional() });

const articleFields = {
  title: text(2, 120),
  summary: text(0, 300).nullable().optional(),
  bodyHtml: z.string().min(1).max(100_000),
  categoryId: Id.nullable().optional(),
  regionCode: Region.nullable().optional(),
  keywords: z.array(text(1, 30)).max(30).optional(),
  legalBasis: z.array(LegalBasisSchema).max(20).optional(),
  validFrom: When.nullable().optional(),
  validTo: When.nullable().optional(),
  ownerUnitId: Id.optional(),
};

export const CreateBody = z.strictObject({ ...articleFields, note: text(0, 300).nullable().optional() });

export const UpdateBody = z.strictObject({
  title: articleFields.title.optional(),
  summary: articleFields.summary,
  bodyHtml: articleFields.bodyHtml.optional(),
  categoryId: articleFields.categoryId,
  regionCode: articleFields.regionCode,
  keywords: articleFields.keywords,
  legalBasis: articleFields.legalBasis,
  validFrom: articleFields.validFrom,
  validTo: articleFields.validTo,
  ownerUnitId: articleFields.ownerUnitId,
  note: text(0, 300).nullable().optional(),
  expectedRev: z.number().int().min(1).optional(),
});

export const ActionBody = z.strictObject({
  action: z.enum(ARTICLE_ACTIONS),
  note: text(0, 300).nullable().optional(),
  expectedRev: z.number().int().min(1).optional(),
});

export const ArticleOut = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyHtml: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  regionCode: z.string().nullable(),
  keywords: z.array(z.string()),
  legalBasis: z.array(LegalBasisOut),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  ownerUnitId: z.string(),
  ownerUnitName: z.string().nullable(),
  status: z.enum(ARTICLE_STATUSES),
  statusLabel: z.string(),
  version: z.number(),
  liveVersion: z.number().nullable(),
  rev: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});

export const ListQuery = z.strictObject({
  status: z.enum(ARTICLE_STATUSES).optional(),
  categoryId: Id.optional(),
  q: z.string().trim().max(100).optional(),
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...Paging,
});

export const SearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  regionCode: Region.optional(),
  categoryId: Id.optional(),
  /** One random id per page visit (8–64 chars): the visit's question is kept once, as typed last. */
  session: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});

export const SearchItem = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  snippet: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  regionCode: z.string().nullable(),
  legalBasis: z.array(LegalBasisOut),
  version: z.number(),
  score: z.number(),
  match: z.number(),
  matched: z.array(z.string()),
});

export const SearchResponse = z.object({ queryId: z.string().nullable(), items: z.array(SearchItem), tookMs: z.number() });

export const PublicArticle = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  bodyHtml: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  regionCode: z.string().nullable(),
  legalBasis: z.array(LegalBasisOut),
  version: z.number(),
  publishedAt: z.string(),
  validTo: z.string().nullable(),
});

export const Citation = z.object({ articleId: z.string(), version: z.number(), text: z.string(), legalBasis: z.array(LegalBasisOut) });

export const GapsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(366).default(90),
  minCount: z.coerce.number().int().min(1).max(1000).default(2),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  includeAnswered: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const GapsResponse = z.object({
  since: z.string(),
  items: z.array(
    z.object({
      key: z.string(),
      count: z.number(),
      fromSearches: z.number(),
      fromAppeals: z.number(),
      lastAt: z.string(),
      examples: z.array(z.string()),
      regions: z.array(z.string()),
      bestMatch: z.object({ id: z.string(), title: z.string(), match: z.number() }).nullable(),
    }),
  ),
});

export const SynonymBody = z.strictObject({ phrase: text(1, 20), terms: z.array(text(1, 30)).max(20) });
