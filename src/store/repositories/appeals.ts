// The appeal aggregate: its row (the projection of its events) and its append-only events, always
// written together in one transaction with an optimistic version check.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { AppealEvent } from '../../domain/appeal/events.ts';
import { AWAITING_REPLY_STATUSES, type AppealState, type AppealStatus, type Rating } from '../../domain/appeal/types.ts';
import type { AppealTable, Database } from '../schema.ts';
import { AppError } from '../../lib/errors.ts';

export type Executor = Kysely<Database> | Transaction<Database>;

/** Columns that are not part of the event-derived state: identity, text and personal data. */
export interface AppealStatic {
  trackingCode: string;
  regionCode: string;
  intakeUnitId: string;
  intakePath: string;
  title: string;
  body: string;
  addressEnc: string | null;
  citizenNameEnc: string | null;
  citizenPhoneEnc: string | null;
  citizenPhoneIdx: string | null;
  citizenIdEnc?: string | null;
  citizenEmailEnc?: string | null;
  /** PiiCipher.placeIndex of the appeal's place (appealPlaceIndex), null when it names none. */
  placeKey: string | null;
  anonymous: boolean;
  accessPinHash: string | null;
}

const b = (v: boolean): number => (v ? 1 : 0);

export function stateColumns(s: AppealState, unitPath: string | null) {
  return {
    status: s.status,
    type: s.type,
    urgency: s.urgency,
    channel: s.channel,
    category_id: s.categoryId,
    unit_id: s.unitId,
    unit_path: unitPath,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    response_due_at: s.responseDueAt,
    handle_due_at: s.handleDueAt,
    first_contact_at: s.firstContactAt,
    replied_at: s.repliedAt,
    closed_at: s.closedAt,
    reply: s.reply,
    round: s.round,
    return_count: s.returnCount,
    transfer_count: s.transferCount,
    reopen_count: s.reopenCount,
    extension_count: s.extensionCount,
    pending_extension_days: s.pendingExtensionDays,
    supervision_level: s.supervisionLevel,
    response_overdue: b(s.responseOverdue),
    handle_overdue: b(s.handleOverdue),
    merged_into: s.mergedInto,
    redirect_channel: s.redirectChannel,
    unreasonable_pending: b(s.unreasonablePending),
    rating_appeal: s.ratingAppeal,
    last_rating: s.lastRating ? JSON.stringify(s.lastRating) : null,
    last_rating_level: s.lastRating?.level ?? null,
    version: s.version,
  } satisfies Partial<AppealTable>;
}

export function rowToState(r: AppealTable): AppealState {
  return {
    id: r.id,
    status: r.status as AppealStatus,
    version: r.version,
    round: r.round,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    type: r.type as AppealState['type'],
    urgency: r.urgency as AppealState['urgency'],
    channel: r.channel as AppealState['channel'],
    categoryId: r.category_id,
    unitId: r.unit_id,
    responseDueAt: r.response_due_at,
    handleDueAt: r.handle_due_at,
    firstContactAt: r.first_contact_at,
    repliedAt: r.replied_at,
    closedAt: r.closed_at,
    reply: r.reply,
    returnCount: r.return_count,
    transferCount: r.transfer_count,
    reopenCount: r.reopen_count,
    extensionCount: r.extension_count,
    pendingExtensionDays: r.pending_extension_days,
    supervisionLevel: r.supervision_level,
    responseOverdue: r.response_overdue === 1,
    handleOverdue: r.handle_overdue === 1,
    mergedInto: r.merged_into,
    redirectChannel: r.redirect_channel as AppealState['redirectChannel'],
    unreasonablePending: r.unreasonable_pending === 1,
    lastRating: r.last_rating ? (JSON.parse(r.last_rating) as Rating) : null,
    ratingAppeal: r.rating_appeal as AppealState['ratingAppeal'],
  };
}

export function eventToRow(e: AppealEvent, regionCode: string) {
  return {
    appeal_id: e.appealId,
    seq: e.seq,
    region_code: regionCode,
    at: e.at,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    payload: JSON.stringify(e.payload),
  };
}

export function rowToEvent(r: Database['appeal_events']): AppealEvent {
  return {
    appealId: r.appeal_id,
    seq: r.seq,
    at: r.at,
    actor: { kind: r.actor_kind as AppealEvent['actor']['kind'], id: r.actor_id },
    action: r.action as AppealEvent['action'],
    fromStatus: r.from_status as AppealStatus | null,
    toStatus: r.to_status as AppealStatus,
    payload: JSON.parse(r.payload),
  } as AppealEvent;
}

/** The static columns of a new appeal row. */
export function appealRow(id: string, stat: AppealStatic) {
  return {
    id,
    tracking_code: stat.trackingCode,
    region_code: stat.regionCode,
    intake_unit_id: stat.intakeUnitId,
    intake_path: stat.intakePath,
    title: stat.title,
    body: stat.body,
    address_enc: stat.addressEnc,
    citizen_name_enc: stat.citizenNameEnc,
    citizen_phone_enc: stat.citizenPhoneEnc,
    citizen_phone_idx: stat.citizenPhoneIdx,
    citizen_id_enc: stat.citizenIdEnc ?? null,
    citizen_email_enc: stat.citizenEmailEnc ?? null,
    place_key: stat.placeKey,
    anonymous: b(stat.anonymous),
    access_pin_hash: stat.accessPinHash,
  };
}

export class AppealRepository {
  async findRow(db: Executor, id: string): Promise<AppealTable | undefined> {
    return db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByTrackingCode(db: Executor, code: string): Promise<AppealTable | undefined> {
    return db.selectFrom('appeals').selectAll().where('tracking_code', '=', code).executeTakeFirst();
  }

  async insert(db: Executor, id: string, stat: AppealStatic, state: AppealState, event: AppealEvent): Promise<void> {
    await db
      .insertInto('appeals')
      .values({ ...appealRow(id, stat), ...stateColumns(state, null) })
      .execute();
    await db.insertInto('appeal_events').values(eventToRow(event, stat.regionCode)).execute();
  }

  /** Writes the new state if nobody else changed the appeal since `expectedVersion`, and its event. */
  async update(
    db: Executor,
    regionCode: string,
    expectedVersion: number,
    state: AppealState,
    unitPath: string | null,
    event: AppealEvent,
  ): Promise<void> {
    const res = await db
      .updateTable('appeals')
      .set(stateColumns(state, unitPath))
      .where('id', '=', state.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      throw new AppError(409, 'CONCURRENT_UPDATE', '该诉求刚被他人更新,请刷新后重试', 'The appeal was just changed by someone else; reload and retry');
    }
    await db.insertInto('appeal_events').values(eventToRow(event, regionCode)).execute();
  }

  async events(db: Executor, appealId: string): Promise<AppealEvent[]> {
    const rows = await db.selectFrom('appeal_events').selectAll().where('appeal_id', '=', appealId).orderBy('seq').execute();
    return rows.map(rowToEvent);
  }

  async insertRating(
    db: Executor,
    r: {
      appealId: string;
      round: number;
      regionCode: string;
      unitId: string | null;
      rating: Rating;
      actorId: string | null;
      sourceIp: string | null;
      staffSession?: { userId: string; ref: string } | null;
    },
  ): Promise<void> {
    await db
      .insertInto('ratings')
      .values({
        appeal_id: r.appealId,
        round: r.round,
        region_code: r.regionCode,
        unit_id: r.unitId,
        level: r.rating.level,
        solved: r.rating.solved,
        contacted: b(r.rating.contacted),
        channel: r.rating.channel,
        comment: r.rating.comment,
        rated_at: r.rating.ratedAt,
        actor_id: r.actorId,
        source_ip: r.sourceIp,
        staff_user_id: r.staffSession?.userId ?? null,
        staff_session: r.staffSession?.ref ?? null,
      })
      .execute();
  }
}

/** The SQL of isHandleOverdue (domain/appeal/types.ts): marked, or not yet answered and past its deadline. */
export function overdueFilter(now: number) {
  return (eb: ExpressionBuilder<Database, 'appeals'>) =>
    eb.or([eb('handle_overdue', '=', 1), eb.and([eb('status', 'in', AWAITING_REPLY_STATUSES), eb('handle_due_at', '<', now)])]);
}

/** SQL fragment: the appeal is visible to a scope (a list of unit paths). */
export function scopeFilter(paths: readonly string[]) {
  return sql<boolean>`(${sql.join(
    paths.flatMap((p) => [sql`unit_path like ${p + '%'}`, sql`intake_path like ${p + '%'}`]),
    sql` or `,
  )})`;
}
