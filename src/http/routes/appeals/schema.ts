// Request and response schemas of the appeal endpoints.
import { z } from 'zod';
import { APPEAL_TYPES, CHANNELS, REDIRECT_CHANNELS, URGENCIES } from '../../../domain/appeal/types.ts';
import { Id, Paging, text } from '../../schemas.ts';

export const SubmitBody = z.strictObject({
  type: z.enum(APPEAL_TYPES),
  categoryId: Id.nullable().optional(),
  title: text(4, 100),
  body: text(10, 5000),
  regionCode: z.string().regex(/^\d{6}(\d{3})?$/, '6 or 9 digits'),
  address: text(0, 200).nullable().optional(),
  anonymous: z.boolean().default(false),
  citizenName: text(0, 40).nullable().optional(),
  phone: z.string().max(20).nullable().optional(),
  /** 居民身份证号, optional (some matters need it, e.g. legal aid); kept encrypted, shown masked. */
  idNumber: z.string().max(18).nullable().optional(),
  /** Optional: progress notices are also sent here (the only channel of an anonymous citizen who gives one). */
  email: z.string().max(254).nullable().optional(),
  urgency: z.enum(URGENCIES).optional(),
  channel: z.enum(CHANNELS).optional(),
});

export const SubmitResponse = z.object({
  id: z.string(),
  trackingCode: z.string(),
  accessPin: z.string().nullable(),
  status: z.string(),
  responseDueAt: z.string(),
  handleDueAt: z.string(),
  replayed: z.boolean(),
});

const reason = text(2, 1000);
const note = text(0, 1000).nullable().optional();
const level = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const solved = z.enum(['yes', 'partly', 'no']);
const expectedVersion = z.number().int().min(1).optional();

export const ActionBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('dispatch'), unitId: Id, categoryId: Id.nullable().optional(), note, expectedVersion }),
  z.strictObject({ action: z.literal('accept'), note, expectedVersion }),
  z.strictObject({ action: z.literal('return'), reason, expectedVersion }),
  z.strictObject({ action: z.literal('transfer'), unitId: Id, reason, expectedVersion }),
  z.strictObject({ action: z.literal('contact'), method: z.enum(['phone', 'visit', 'sms', 'other']), note, expectedVersion }),
  z.strictObject({ action: z.literal('reply'), text: text(10, 10000), expectedVersion }),
  z.strictObject({ action: z.literal('request_extension'), days: z.number().int().min(1).max(15), reason, expectedVersion }),
  z.strictObject({ action: z.literal('decide_extension'), approved: z.boolean(), note, expectedVersion }),
  z.strictObject({ action: z.literal('supervise'), note: reason, expectedVersion }),
  z.strictObject({ action: z.literal('close'), reason, expectedVersion }),
  z.strictObject({ action: z.literal('reopen'), reason, expectedVersion }),
  z.strictObject({ action: z.literal('merge'), intoId: Id, note, expectedVersion }),
  z.strictObject({ action: z.literal('redirect'), channel: z.enum(REDIRECT_CHANNELS), guidance: reason, expectedVersion }),
  z.strictObject({ action: z.literal('flag_unreasonable'), reason, expectedVersion }),
  z.strictObject({ action: z.literal('decide_unreasonable'), approved: z.boolean(), note, expectedVersion }),
  z.strictObject({ action: z.literal('appeal_rating'), reason, expectedVersion }),
  z.strictObject({ action: z.literal('decide_rating_appeal'), upheld: z.boolean(), note, expectedVersion }),
  z.strictObject({ action: z.literal('rate'), level, solved, contacted: z.boolean(), comment: text(0, 500).nullable().optional(), expectedVersion }),
]);

export const RatingFields = {
  level,
  solved,
  contacted: z.boolean(),
  comment: text(0, 500).nullable().optional(),
};

const csv = (inner: z.ZodString) =>
  z
    .string()
    .max(300)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(inner).max(20));

export const ListQuery = z.strictObject({
  status: csv(z.string().max(20)).optional(),
  unitId: Id.optional(),
  categoryId: Id.optional(),
  type: z.enum(APPEAL_TYPES).optional(),
  urgency: z.enum(URGENCIES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  q: z.string().trim().max(100).optional(),
  phone: z.string().max(20).optional(),
  createdFrom: z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)).optional(),
  createdTo: z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)).optional(),
  view: z.enum(['all', 'inbox', 'queue']).optional(),
  sort: z.enum(['created_desc', 'created_asc', 'due_asc']).optional(),
  ...Paging,
  /** 0: only the total (the dashboard's counters), no page is read. */
  pageSize: z.coerce.number().int().min(0).max(500).default(20),
});

export const ListItem = z.object({
  id: z.string(),
  trackingCode: z.string(),
  title: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  urgency: z.string(),
  channel: z.string(),
  categoryId: z.string().nullable(),
  unitId: z.string().nullable(),
  intakeUnitId: z.string(),
  regionCode: z.string(),
  createdAt: z.string(),
  responseDueAt: z.string(),
  handleDueAt: z.string(),
  overdue: z.boolean(),
  responseOverdue: z.boolean(),
  supervisionLevel: z.number(),
  round: z.number(),
  lastRatingLevel: z.number().nullable(),
  version: z.number(),
});

export const TimelineEntry = z.object({
  seq: z.number(),
  at: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  actionLabelEn: z.string(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export const Detail = ListItem.extend({
  body: z.string(),
  address: z.string().nullable(),
  citizen: z.object({ anonymous: z.boolean(), name: z.string().nullable(), phone: z.string().nullable(), idNumber: z.string().nullable(), email: z.string().nullable() }),
  firstContactAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reply: z.string().nullable(),
  returnCount: z.number(),
  transferCount: z.number(),
  reopenCount: z.number(),
  extensionCount: z.number(),
  pendingExtensionDays: z.number().nullable(),
  mergedInto: z.string().nullable(),
  redirectChannel: z.string().nullable(),
  redirectChannelLabel: z.string().nullable(),
  unreasonablePending: z.boolean(),
  ratingAppeal: z.string().nullable(),
  lastRating: z
    .object({ round: z.number(), level: z.number(), solved: z.string(), contacted: z.boolean(), channel: z.string(), comment: z.string().nullable(), ratedAt: z.number() })
    .nullable(),
  timeline: z.array(TimelineEntry),
  tasks: z.array(z.object({ id: z.string(), kind: z.string(), round: z.number(), status: z.string(), createdAt: z.string(), dueAt: z.string(), doneAt: z.string().nullable() })),
});
