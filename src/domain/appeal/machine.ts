// The appeal state machine (DESIGN.md §4): `decide` checks a command against the current state and
// produces the event; `apply` folds an event into the state. The appeals table is exactly
// `events.reduce(apply)`, which is how it can always be rebuilt from `appeal_events`.
import { DomainError } from '../../lib/errors.ts';
import type { ActionPayloads, AppealAction, AppealEvent, Command } from './events.ts';
import type { Actor, AppealState, AppealStatus } from './types.ts';
import { TERMINAL_STATUSES } from './types.ts';

/** Where each action may start from. `null` means "creates the appeal". */
const ALLOWED_FROM: Record<AppealAction, readonly (AppealStatus | null)[]> = {
  submit: [null],
  dispatch: ['submitted', 'returned'],
  accept: ['dispatched'],
  return: ['dispatched', 'accepted'],
  transfer: ['dispatched', 'accepted', 'contacted'],
  contact: ['accepted', 'contacted', 'replied'],
  reply: ['accepted', 'contacted'],
  request_extension: ['accepted', 'contacted'],
  decide_extension: ['accepted', 'contacted', 'dispatched'],
  supervise: ['submitted', 'returned', 'dispatched', 'accepted', 'contacted', 'replied'],
  mark_overdue: ['submitted', 'returned', 'dispatched', 'accepted', 'contacted'],
  rate: ['replied'],
  close: ['replied'],
  reopen: ['closed'],
  merge: ['submitted', 'returned', 'dispatched'],
  redirect: ['submitted', 'returned', 'dispatched', 'accepted', 'contacted'],
  flag_unreasonable: ['accepted', 'contacted', 'replied'],
  decide_unreasonable: ['accepted', 'contacted', 'replied'],
  schedule_callback: ['replied', 'dispatched', 'accepted', 'contacted'],
  appeal_rating: ['closed'],
  decide_rating_appeal: ['closed'],
};

/** Which actions are possible from a status (for UIs and property tests). */
export function actionsFrom(status: AppealStatus | null): AppealAction[] {
  return (Object.keys(ALLOWED_FROM) as AppealAction[]).filter((a) => ALLOWED_FROM[a].includes(status));
}

function targetStatus(state: AppealState | null, cmd: Command): AppealStatus {
  switch (cmd.action) {
    case 'submit':
      return 'submitted';
    case 'dispatch':
    case 'transfer':
    case 'reopen':
      return 'dispatched';
    case 'accept':
      return 'accepted';
    case 'return':
      return 'returned';
    case 'contact':
      return state!.status === 'accepted' ? 'contacted' : state!.status;
    case 'reply':
      return 'replied';
    case 'rate':
    case 'close':
      return 'closed';
    case 'merge':
      return 'merged';
    case 'redirect':
      return 'redirected';
    case 'decide_unreasonable':
      return cmd.payload.approved ? 'unreasonable' : state!.status;
    default:
      return state!.status;
  }
}

function fail(code: string, zh: string, en: string, details?: Record<string, unknown>): never {
  throw new DomainError(code, zh, en, details);
}

function requireText(value: string | undefined | null, field: string, zhField: string): void {
  if (!value || value.trim().length === 0) {
    fail('REASON_REQUIRED', `${zhField}不能为空`, `${field} is required`, { field });
  }
}

/** Checks the preconditions beyond the from-state table. Throws DomainError. */
function checkGuards(state: AppealState | null, cmd: Command, at: number): void {
  switch (cmd.action) {
    case 'submit': {
      const p = cmd.payload;
      if (p.responseDueAt < at || p.handleDueAt < at) {
        fail('DEADLINE_BEFORE_CREATION', '期限不能早于受理时间', 'Deadlines cannot precede submission');
      }
      return;
    }
    case 'dispatch': {
      const d = cmd.payload.deadlines;
      if (d && (d.responseDueAt < state!.createdAt || d.handleDueAt < state!.createdAt)) {
        fail('DEADLINE_BEFORE_CREATION', '期限不能早于受理时间', 'Deadlines cannot precede submission');
      }
      return;
    }
    case 'return':
      return requireText(cmd.payload.reason, 'reason', '退单理由');
    case 'transfer':
      requireText(cmd.payload.reason, 'reason', '转办理由');
      if (cmd.payload.unitId === state!.unitId) {
        fail('SAME_UNIT', '不能转办给当前承办单位', 'Cannot transfer to the unit already handling it');
      }
      return;
    case 'reply':
      return requireText(cmd.payload.text, 'text', '答复内容');
    case 'request_extension':
      requireText(cmd.payload.reason, 'reason', '延期理由');
      if (state!.pendingExtensionDays !== null) {
        fail('EXTENSION_PENDING', '已有待审批的延期申请', 'An extension request is already pending');
      }
      if (!Number.isInteger(cmd.payload.days) || cmd.payload.days < 1 || cmd.payload.days > 15) {
        fail('INVALID_EXTENSION', '延期天数须为1至15个工作日', 'Extension must be 1 to 15 working days');
      }
      return;
    case 'decide_extension':
      if (state!.pendingExtensionDays === null) {
        fail('NO_PENDING_EXTENSION', '没有待审批的延期申请', 'No extension request is pending');
      }
      if (cmd.payload.approved && (cmd.payload.handleDueAt === undefined || cmd.payload.handleDueAt < state!.handleDueAt)) {
        fail('INVALID_EXTENSION', '延期后的期限无效', 'The extended deadline is invalid');
      }
      return;
    case 'supervise':
      return requireText(cmd.payload.note, 'note', '督办意见');
    case 'mark_overdue': {
      const already = cmd.payload.kind === 'response' ? state!.responseOverdue : state!.handleOverdue;
      if (already) fail('ALREADY_OVERDUE', '该诉求已标记超期', 'Already marked overdue');
      if (cmd.payload.kind === 'response' && state!.firstContactAt !== null) {
        fail('ALREADY_CONTACTED', '已联系群众,不构成响应超期', 'Already contacted: not a response delay');
      }
      return;
    }
    case 'close':
      return requireText(cmd.payload.reason, 'reason', '办结说明');
    case 'reopen': {
      requireText(cmd.payload.reason, 'reason', '重办理由');
      const r = state!.lastRating;
      // 重办 is for appeals the citizen judged unsolved and unsatisfied (DESIGN.md §4).
      if (!r || r.level > 2 || r.solved === 'yes') {
        fail('REOPEN_NOT_ALLOWED', '仅对未解决且不满意的诉求可以重办', 'Only unsolved and unsatisfied appeals can be reopened');
      }
      if (cmd.payload.handleDueAt < at || cmd.payload.responseDueAt < at) {
        fail('DEADLINE_BEFORE_CREATION', '期限不能早于重办时间', 'Deadlines cannot precede the reopening');
      }
      return;
    }
    case 'merge':
      if (cmd.payload.intoId === state!.id) fail('MERGE_SELF', '不能与自身合并', 'Cannot merge an appeal into itself');
      return;
    case 'redirect':
      return requireText(cmd.payload.guidance, 'guidance', '引导说明');
    case 'flag_unreasonable':
      requireText(cmd.payload.reason, 'reason', '认定理由');
      if (state!.unreasonablePending) fail('ALREADY_PENDING', '已在审批中', 'Already awaiting approval');
      return;
    case 'decide_unreasonable':
      if (!state!.unreasonablePending) fail('NOT_PENDING', '没有待审批的不合理诉求认定', 'No unreasonable flag is pending');
      return;
    case 'appeal_rating':
      requireText(cmd.payload.reason, 'reason', '申诉理由');
      if (!state!.lastRating) fail('NO_RATING', '该诉求尚无评价', 'The appeal has no rating');
      if (state!.ratingAppeal !== null) fail('ALREADY_APPEALED', '本轮评价已申诉', 'This rating was already appealed');
      return;
    case 'decide_rating_appeal':
      if (state!.ratingAppeal !== 'pending') fail('NOT_PENDING', '没有待复核的评价申诉', 'No rating appeal is pending');
      return;
    default:
      return;
  }
}

/** Validates a command against the state and returns the event to append (not yet applied). */
export function decide(state: AppealState | null, cmd: Command, ctx: { appealId: string; at: number; actor: Actor }): AppealEvent {
  const from = state ? state.status : null;
  if (!ALLOWED_FROM[cmd.action].includes(from)) {
    fail(
      'ILLEGAL_TRANSITION',
      `当前状态(${from ?? '无'})下不能执行「${cmd.action}」操作`,
      `Action "${cmd.action}" is not allowed in status "${from ?? 'none'}"`,
      { action: cmd.action, status: from },
    );
  }
  if (state && TERMINAL_STATUSES.has(state.status)) {
    fail('TERMINAL', '该诉求已终结', 'The appeal is in a terminal state');
  }
  // Events are totally ordered: time never runs backwards within one appeal.
  const at = state ? Math.max(ctx.at, state.updatedAt) : ctx.at;
  checkGuards(state, cmd, at);
  return {
    appealId: ctx.appealId,
    seq: (state?.version ?? 0) + 1,
    at,
    actor: ctx.actor,
    action: cmd.action,
    fromStatus: from,
    toStatus: targetStatus(state, cmd),
    payload: cmd.payload,
  } as AppealEvent;
}

function initial(event: AppealEvent<'submit'>): AppealState {
  const p = event.payload;
  return {
    id: event.appealId,
    status: 'submitted',
    version: 1,
    round: 1,
    createdAt: event.at,
    updatedAt: event.at,
    type: p.type,
    urgency: p.urgency,
    channel: p.channel,
    categoryId: p.categoryId,
    unitId: null,
    responseDueAt: p.responseDueAt,
    handleDueAt: p.handleDueAt,
    firstContactAt: null,
    repliedAt: null,
    closedAt: null,
    reply: null,
    returnCount: 0,
    transferCount: 0,
    reopenCount: 0,
    extensionCount: 0,
    pendingExtensionDays: null,
    supervisionLevel: 0,
    responseOverdue: false,
    handleOverdue: false,
    mergedInto: null,
    redirectChannel: null,
    unreasonablePending: false,
    lastRating: null,
    ratingAppeal: null,
  };
}

/** Folds one event into the state. Pure and total over events produced by `decide`. */
export function apply(state: AppealState | null, event: AppealEvent): AppealState {
  if (event.action === 'submit') return initial(event as AppealEvent<'submit'>);
  if (!state) throw new Error(`event ${event.action} before submit for ${event.appealId}`);
  const s: AppealState = { ...state, status: event.toStatus, version: event.seq, updatedAt: event.at };
  const e = event as { [A in AppealAction]: AppealEvent<A> }[AppealAction];
  switch (e.action) {
    case 'dispatch':
      s.unitId = e.payload.unitId;
      if (e.payload.categoryId !== undefined) s.categoryId = e.payload.categoryId;
      if (e.payload.deadlines) {
        s.responseDueAt = e.payload.deadlines.responseDueAt;
        s.handleDueAt = e.payload.deadlines.handleDueAt;
      }
      break;
    case 'return':
      s.unitId = null;
      s.returnCount += 1;
      break;
    case 'transfer':
      s.unitId = e.payload.unitId;
      s.transferCount += 1;
      break;
    case 'contact':
      s.firstContactAt ??= e.at;
      break;
    case 'reply':
      s.firstContactAt ??= e.at;
      s.repliedAt = e.at;
      s.reply = e.payload.text;
      break;
    case 'request_extension':
      s.pendingExtensionDays = e.payload.days;
      break;
    case 'decide_extension':
      s.pendingExtensionDays = null;
      if (e.payload.approved && e.payload.handleDueAt !== undefined) {
        s.extensionCount += 1;
        s.handleDueAt = e.payload.handleDueAt;
        if (s.handleDueAt > e.at) s.handleOverdue = false;
      }
      break;
    case 'supervise':
      s.supervisionLevel += 1;
      break;
    case 'mark_overdue':
      if (e.payload.kind === 'response') s.responseOverdue = true;
      else s.handleOverdue = true;
      break;
    case 'rate':
      s.closedAt = e.at;
      s.lastRating = {
        round: s.round,
        level: e.payload.level,
        solved: e.payload.solved,
        contacted: e.payload.contacted,
        channel: e.payload.channel,
        comment: e.payload.comment ?? null,
        ratedAt: e.at,
      };
      s.ratingAppeal = null;
      break;
    case 'close':
      s.closedAt = e.at;
      break;
    case 'reopen':
      s.round += 1;
      s.reopenCount += 1;
      s.responseDueAt = e.payload.responseDueAt;
      s.handleDueAt = e.payload.handleDueAt;
      s.firstContactAt = null;
      s.repliedAt = null;
      s.reply = null;
      s.closedAt = null;
      s.responseOverdue = false;
      s.handleOverdue = false;
      s.pendingExtensionDays = null;
      s.ratingAppeal = null;
      break;
    case 'merge':
      s.mergedInto = e.payload.intoId;
      s.closedAt = e.at;
      break;
    case 'redirect':
      s.redirectChannel = e.payload.channel;
      s.closedAt = e.at;
      break;
    case 'flag_unreasonable':
      s.unreasonablePending = true;
      break;
    case 'decide_unreasonable':
      s.unreasonablePending = false;
      if (e.payload.approved) s.closedAt = e.at;
      break;
    case 'appeal_rating':
      s.ratingAppeal = 'pending';
      break;
    case 'decide_rating_appeal':
      s.ratingAppeal = e.payload.upheld ? 'upheld' : 'rejected';
      break;
    case 'accept':
    case 'schedule_callback':
      break;
  }
  return s;
}

/** Rebuilds an appeal's state from its full history. */
export function replay(events: readonly AppealEvent[]): AppealState {
  let s: AppealState | null = null;
  for (const e of events) s = apply(s, e);
  if (!s) throw new Error('no events');
  return s;
}

/** decide + apply in one step. */
export function execute(
  state: AppealState | null,
  cmd: Command,
  ctx: { appealId: string; at: number; actor: Actor },
): { event: AppealEvent; state: AppealState } {
  const event = decide(state, cmd, ctx);
  return { event, state: apply(state, event) };
}

export type { ActionPayloads };
