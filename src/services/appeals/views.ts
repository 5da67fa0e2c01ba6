// How appeals are shown: ISO times, labels, and personal data masked (unmasking is a separate, audited call).
import { ACTION_LABELS, type AppealEvent } from '../../domain/appeal/events.ts';
import { APPEAL_TYPE_LABELS, isHandleOverdue, REDIRECT_CHANNEL_LABELS, STATUS_LABELS, type AppealStatus, type AppealType, type Rating, type RedirectChannel } from '../../domain/appeal/types.ts';
import { maskAddress, maskIdNumber, maskEmail, maskName, maskPhone, type PiiCipher } from '../../lib/pii.ts';
import type { AppealTable } from '../../store/schema.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface AppealListItem {
  id: string;
  trackingCode: string;
  title: string;
  status: string;
  statusLabel: string;
  type: string;
  typeLabel: string;
  urgency: string;
  channel: string;
  categoryId: string | null;
  unitId: string | null;
  intakeUnitId: string;
  regionCode: string;
  createdAt: string;
  responseDueAt: string;
  handleDueAt: string;
  overdue: boolean;
  responseOverdue: boolean;
  supervisionLevel: number;
  round: number;
  lastRatingLevel: number | null;
  version: number;
}

export function toListItem(r: AppealTable, now: number): AppealListItem {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    title: r.title,
    status: r.status,
    statusLabel: STATUS_LABELS[r.status as AppealStatus]?.zh ?? r.status,
    type: r.type,
    typeLabel: APPEAL_TYPE_LABELS[r.type as AppealType]?.zh ?? r.type,
    urgency: r.urgency,
    channel: r.channel,
    categoryId: r.category_id,
    unitId: r.unit_id,
    intakeUnitId: r.intake_unit_id,
    regionCode: r.region_code,
    createdAt: iso(r.created_at)!,
    responseDueAt: iso(r.response_due_at)!,
    handleDueAt: iso(r.handle_due_at)!,
    overdue: isHandleOverdue({ status: r.status, handleOverdue: r.handle_overdue === 1, handleDueAt: r.handle_due_at }, now),
    responseOverdue: r.response_overdue === 1,
    supervisionLevel: r.supervision_level,
    round: r.round,
    lastRatingLevel: r.last_rating_level,
    version: r.version,
  };
}

export interface AppealDetail extends AppealListItem {
  body: string;
  address: string | null;
  citizen: { anonymous: boolean; name: string | null; phone: string | null; idNumber: string | null; email: string | null };
  firstContactAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  reply: string | null;
  returnCount: number;
  transferCount: number;
  reopenCount: number;
  extensionCount: number;
  pendingExtensionDays: number | null;
  mergedInto: string | null;
  redirectChannel: string | null;
  redirectChannelLabel: string | null;
  unreasonablePending: boolean;
  ratingAppeal: string | null;
  lastRating: Rating | null;
}

export function toDetail(r: AppealTable, pii: PiiCipher, now: number): AppealDetail {
  return {
    ...toListItem(r, now),
    body: r.body,
    address: maskAddress(pii.decrypt(r.address_enc)),
    citizen: {
      anonymous: r.anonymous === 1,
      name: maskName(pii.decrypt(r.citizen_name_enc)),
      phone: maskPhone(pii.decrypt(r.citizen_phone_enc)),
      idNumber: maskIdNumber(pii.decrypt(r.citizen_id_enc)),
      // An anonymous citizen's address is for notices only: staff are not shown even its mask.
      email: r.anonymous === 1 ? null : maskEmail(pii.decrypt(r.citizen_email_enc)),
    },
    firstContactAt: iso(r.first_contact_at),
    repliedAt: iso(r.replied_at),
    closedAt: iso(r.closed_at),
    reply: r.reply,
    returnCount: r.return_count,
    transferCount: r.transfer_count,
    reopenCount: r.reopen_count,
    extensionCount: r.extension_count,
    pendingExtensionDays: r.pending_extension_days,
    mergedInto: r.merged_into,
    redirectChannel: r.redirect_channel,
    redirectChannelLabel: r.redirect_channel ? (REDIRECT_CHANNEL_LABELS[r.redirect_channel as RedirectChannel]?.zh ?? null) : null,
    unreasonablePending: r.unreasonable_pending === 1,
    ratingAppeal: r.rating_appeal,
    lastRating: r.last_rating ? (JSON.parse(r.last_rating) as Rating) : null,
  };
}

export interface TimelineEntry {
  seq: number;
  at: string;
  action: string;
  actionLabel: string;
  actionLabelEn: string;
  actorKind: string;
  actorId: string | null;
  fromStatus: string | null;
  toStatus: string;
  payload: Record<string, unknown>;
}

export function toTimeline(events: AppealEvent[]): TimelineEntry[] {
  return events.map((e) => ({
    seq: e.seq,
    at: iso(e.at)!,
    action: e.action,
    actionLabel: ACTION_LABELS[e.action].zh,
    actionLabelEn: ACTION_LABELS[e.action].en,
    actorKind: e.actor.kind,
    actorId: e.actor.id,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    payload: e.payload as unknown as Record<string, unknown>,
  }));
}
