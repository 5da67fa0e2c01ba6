// Request and response schemas of participation: consultations (征集) and the survey.
import { z } from 'zod';
import { ANSWER_OUTCOMES, TASK_STATUSES } from '../../../domain/participation/consultation.ts';
import { MODERATION_REASONS } from '../../../domain/participation/moderation.ts';
import { AGE_GROUPS, SEXES } from '../../../domain/participation/survey.ts';
import { Id, text } from '../../schemas.ts';

export const Instant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
export const RegionCode = z.string().regex(/^\d{6}(\d{3})?$/, '6 or 9 digits');
export const Phone = z.string().trim().min(5).max(20);
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).regex(/^[A-Za-z0-9_.:-]+$/).optional() }).passthrough();

// --- consultations -------------------------------------------------------------------------------

const QuestionId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/);
export const ConsultationQuestion = z.strictObject({
  id: QuestionId,
  kind: z.enum(['single', 'multi', 'text']),
  text: text(2, 200),
  textEn: text(0, 300).nullable().optional(),
  required: z.boolean().default(false),
  options: z.array(text(1, 60)).max(20).default([]),
});

export const ConsultationCreate = z.strictObject({
  title: text(4, 80),
  background: text(10, 5000),
  regionCode: RegionCode.optional(),
  opensAt: Instant,
  closesAt: Instant,
  questions: z.array(ConsultationQuestion).max(10).optional(),
  categoryId: Id.nullable().optional(),
  premoderation: z.boolean().optional(),
  published: z.boolean().optional(),
});

export const ConsultationPatch = z.strictObject({
  title: text(4, 80).optional(),
  background: text(10, 5000).optional(),
  opensAt: Instant.optional(),
  closesAt: Instant.optional(),
  questions: z.array(ConsultationQuestion).max(10).optional(),
  categoryId: Id.nullable().optional(),
  premoderation: z.boolean().optional(),
  published: z.boolean().optional(),
  summary: text(0, 5000).nullable().optional(),
  expectedVersion: z.number().int().min(1).optional(),
});

const QuestionView = z.object({ id: z.string(), kind: z.string(), text: z.string(), textEn: z.string().nullable().optional(), required: z.boolean(), options: z.array(z.string()) });

export const ConsultationView = z.object({
  id: z.string(),
  title: z.string(),
  background: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  unitName: z.string(),
  questions: z.array(QuestionView),
  opensAt: z.string(),
  closesAt: z.string(),
  phase: z.enum(['draft', 'upcoming', 'open', 'closed']),
  phaseLabel: Bilingual,
  premoderation: z.boolean(),
  summary: z.string().nullable(),
  suggestions: z.number(),
});

export const ConsultationStaffView = ConsultationView.extend({
  published: z.boolean(),
  categoryId: z.string().nullable(),
  unitId: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.object({ pending: z.number(), published: z.number(), hidden: z.number(), answered: z.number(), participants: z.number(), supports: z.number() }),
});

const AnswerView = z
  .object({ outcome: z.enum(ANSWER_OUTCOMES), outcomeLabel: Bilingual, reason: z.string(), action: z.string().nullable(), answeredAt: z.string().nullable(), unitName: z.string().nullable() })
  .nullable();

export const SuggestionView = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  supportCount: z.number(),
  createdAt: z.string(),
  masked: z.boolean(),
  answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  answer: AnswerView,
});

export const SuggestionStaffView = SuggestionView.extend({
  status: z.enum(['pending', 'published', 'hidden']),
  flags: z.array(z.object({ kind: z.string(), count: z.number() })),
  modReason: z.string().nullable(),
  modReasonLabel: Bilingual.nullable(),
  modNote: z.string().nullable(),
  hasOriginal: z.boolean(),
  authorPhoneMasked: z.string().nullable(),
  categoryId: z.string().nullable(),
  updatedAt: z.string(),
  tasks: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), dueAt: z.string() })),
});

export const TaskView = z.object({
  id: z.string(),
  suggestionId: z.string(),
  title: z.string(),
  description: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  dueAt: z.string(),
  status: z.enum(TASK_STATUSES),
  statusLabel: Bilingual,
  overdue: z.boolean(),
  doneAt: z.string().nullable(),
  updates: z.array(z.object({ at: z.string(), status: z.string(), note: z.string() })),
});

export const SuggestionSubmit = z.strictObject({
  title: text(4, 60),
  body: text(10, 2000),
  answers: z.record(QuestionId, z.union([text(0, 500), z.array(text(1, 60)).max(20)])).optional(),
  phone: Phone,
});

export const SubmitResult = z.object({
  id: z.string(),
  status: z.enum(['pending', 'published']),
  masked: z.boolean(),
  held: z.boolean(),
  message: z.string(),
  messageEn: z.string(),
  replayed: z.boolean(),
});

export const Moderation = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('approve'), note: text(0, 500).nullable().optional() }),
  z.strictObject({ action: z.literal('hide'), reason: z.enum(MODERATION_REASONS), note: text(2, 500) }),
  z.strictObject({ action: z.literal('restore'), note: text(2, 500) }),
  z.strictObject({ action: z.literal('redact'), title: text(4, 60).optional(), body: text(10, 2000).optional(), note: text(2, 500) }),
]);

export const AnswerBody = z.strictObject({
  outcome: z.enum(ANSWER_OUTCOMES),
  reason: text(4, 2000),
  action: text(0, 2000).nullable().optional(),
  categoryId: Id.nullable().optional(),
});

export const TaskBody = z.strictObject({ title: text(4, 100), description: text(4, 2000), unitId: Id, dueAt: Instant });
export const TaskProgressBody = z.strictObject({ note: text(2, 1000), status: z.enum(TASK_STATUSES) });

export const SuggestionParams = z.strictObject({ id: Id, sid: Id });

export const PublicListQuery = z.strictObject({
  regionCode: RegionCode.optional(),
  phase: z.enum(['upcoming', 'open', 'closed']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const SuggestionListQuery = z.strictObject({
  sort: z.enum(['support', 'new']).default('support'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ManagedSuggestionQuery = z.strictObject({
  status: z.enum(['pending', 'published', 'hidden']).optional(),
  sort: z.enum(['support', 'new']).default('new'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ResultsView = z.object({
  consultation: ConsultationView,
  figures: z.object({
    received: z.number(),
    published: z.number(),
    pending: z.number(),
    hidden: z.number(),
    hiddenByReason: z.array(z.object({ reason: z.string(), label: Bilingual, count: z.number() })),
    participants: z.number(),
    supports: z.number(),
    supporters: z.number(),
    answered: z.number(),
    outcomes: z.object({ adopted: z.number(), partly_adopted: z.number(), not_adopted: z.number() }),
    tasks: z.number(),
    tasksDone: z.number(),
    tasksOverdue: z.number(),
  }),
  top: z.array(SuggestionView),
  answers: z.array(SuggestionView),
  tasks: z.array(TaskView.extend({ suggestionTitle: z.string().nullable() })),
  questions: z.array(
    z.object({ id: z.string(), kind: z.string(), text: z.string(), textEn: z.string().nullable(), answered: z.number(), options: z.array(z.object({ option: z.string(), count: z.number() })) }),
  ),
});

// --- survey --------------------------------------------------------------------------------------

const SurveyOption = z.strictObject({ value: z.string().min(1).max(20), label: text(1, 40), labelEn: text(0, 60), score: z.number().min(0).max(100).nullable() });
export const SurveyQuestion = z.strictObject({
  id: QuestionId,
  kind: z.enum(['scale', 'text']),
  text: text(2, 200),
  textEn: text(0, 300),
  dimension: z.enum(['security', 'satisfaction']).nullable(),
  required: z.boolean(),
  options: z.array(SurveyOption).max(12),
});
export const Questionnaire = z.strictObject({ version: z.literal(1), intro: text(0, 1000), introEn: text(0, 1500), questions: z.array(SurveyQuestion).min(1).max(40) });

export const RoundCreate = z.strictObject({ name: text(4, 80), regionCode: RegionCode.optional(), opensAt: Instant, closesAt: Instant, questionnaire: Questionnaire.optional() });
export const RoundPatch = z.strictObject({ name: text(4, 80).optional(), opensAt: Instant.optional(), closesAt: Instant.optional(), questionnaire: Questionnaire.optional(), status: z.enum(['open', 'closed']).optional() });

export const ResponseBody = z.strictObject({
  regionCode: RegionCode,
  sex: z.enum(SEXES),
  ageGroup: z.enum(AGE_GROUPS),
  answers: z.record(QuestionId, z.string().max(2000)),
});
export const WebResponseBody = ResponseBody.extend({ phone: Phone });
export const PhoneEntryBody = ResponseBody.extend({ phone: Phone.nullable().optional() });

export const QuestionnaireView = z.object({
  version: z.number(),
  intro: z.string(),
  introEn: z.string(),
  questions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['scale', 'text']),
      text: z.string(),
      textEn: z.string(),
      dimension: z.enum(['security', 'satisfaction']).nullable(),
      required: z.boolean(),
      options: z.array(z.object({ value: z.string(), label: z.string(), labelEn: z.string(), score: z.number().nullable() })),
    }),
  ),
});

export const RoundView = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  status: z.enum(['draft', 'open', 'closed']),
  acceptingWeb: z.boolean(),
  opensAt: z.string(),
  closesAt: z.string(),
  closedAt: z.string().nullable(),
  marginsFrozen: z.boolean(),
  questionnaire: QuestionnaireView,
  responses: z.number(),
  canManage: z.boolean(),
  createdAt: z.string(),
});

export const EstimateView = z.object({
  value: z.number().nullable(),
  se: z.number().nullable(),
  interval95: z.tuple([z.number(), z.number()]).nullable(),
  respondents: z.number(),
  unweighted: z.number().nullable(),
  effectiveN: z.number().nullable(),
  designEffect: z.number().nullable(),
  weighting: z.enum(['post-stratified', 'none']),
});

export const RoundResultsView = z.looseObject({
  round: RoundView,
  regionCode: z.string(),
  regionName: z.string(),
  respondents: z.number(),
  weighting: z.enum(['post-stratified', 'none']),
  regionsWithoutMargins: z.array(z.string()),
  index: EstimateView,
  security: EstimateView,
  satisfaction: EstimateView,
  regions: z.array(z.looseObject({ regionCode: z.string(), regionName: z.string(), weighted: z.boolean(), respondents: z.number(), index: EstimateView, security: EstimateView, satisfaction: EstimateView })),
  items: z.array(z.looseObject({ id: z.string(), text: z.string(), textEn: z.string(), dimension: z.string().nullable(), score: EstimateView, topTwo: EstimateView, counts: z.record(z.string(), z.number()) })),
});

export const MarginsBody = z.strictObject({
  source: text(0, 200).nullable().optional(),
  cells: z.array(z.strictObject({ ageGroup: z.enum(AGE_GROUPS), sex: z.enum(SEXES), population: z.number().int().min(0).max(100_000_000) })).min(1).max(50),
});

export const MarginsItem = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  source: z.string().nullable(),
  updatedAt: z.string().nullable(),
  total: z.number(),
  cells: z.array(z.object({ ageGroup: z.string(), sex: z.string(), population: z.number() })),
});

export const RegionParams = z.strictObject({ regionCode: RegionCode });
