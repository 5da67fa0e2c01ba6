// Appeal events: the append-only history from which every appeal row, timeline and figure is derived.
import type {
  Actor,
  AppealStatus,
  AppealType,
  Channel,
  RatingChannel,
  RatingLevel,
  RedirectChannel,
  Solved,
  Urgency,
} from './types.ts';

/** Payload of each action. Deadlines are computed by the caller (they need the calendar) and stored
 *  in the event, so that replaying the events never depends on today's calendar. */
export interface ActionPayloads {
  submit: {
    type: AppealType;
    urgency: Urgency;
    channel: Channel;
    categoryId: string | null;
    responseDueAt: number;
    handleDueAt: number;
  };
  dispatch: {
    unitId: string;
    /** A dispatcher's correction of the category; deadlines then follow the new category. */
    categoryId?: string | null;
    deadlines?: { responseDueAt: number; handleDueAt: number };
    note?: string | null;
  };
  accept: { note?: string | null };
  return: { reason: string };
  transfer: { unitId: string; reason: string };
  contact: { method: 'phone' | 'visit' | 'sms' | 'other'; note?: string | null };
  reply: { text: string };
  request_extension: { days: number; reason: string };
  decide_extension: { approved: boolean; handleDueAt?: number; note?: string | null };
  supervise: { note: string; byUnitId?: string | null; automatic?: boolean };
  mark_overdue: { kind: 'response' | 'handle'; dueAt: number };
  rate: {
    level: RatingLevel;
    solved: Solved;
    contacted: boolean;
    channel: RatingChannel;
    comment?: string | null;
  };
  close: { reason: string };
  reopen: { reason: string; responseDueAt: number; handleDueAt: number };
  merge: { intoId: string; note?: string | null };
  redirect: { channel: RedirectChannel; guidance: string };
  flag_unreasonable: { reason: string };
  decide_unreasonable: { approved: boolean; note?: string | null };
  schedule_callback: { taskId: string; dueAt: number };
  appeal_rating: { reason: string };
  decide_rating_appeal: { upheld: boolean; note?: string | null };
}

export type AppealAction = keyof ActionPayloads;
export const APPEAL_ACTIONS = [
  'submit',
  'dispatch',
  'accept',
  'return',
  'transfer',
  'contact',
  'reply',
  'request_extension',
  'decide_extension',
  'supervise',
  'mark_overdue',
  'rate',
  'close',
  'reopen',
  'merge',
  'redirect',
  'flag_unreasonable',
  'decide_unreasonable',
  'schedule_callback',
  'appeal_rating',
  'decide_rating_appeal',
] as const satisfies readonly AppealAction[];

export const ACTION_LABELS: Record<AppealAction, { zh: string; en: string }> = {
  submit: { zh: '受理', en: 'Submitted' },
  dispatch: { zh: '派单', en: 'Dispatched' },
  accept: { zh: '签收', en: 'Accepted' },
  return: { zh: '退单', en: 'Returned' },
  transfer: { zh: '转办', en: 'Transferred' },
  contact: { zh: '联系群众', en: 'Contacted the citizen' },
  reply: { zh: '答复', en: 'Replied' },
  request_extension: { zh: '申请延期', en: 'Extension requested' },
  decide_extension: { zh: '延期审批', en: 'Extension decided' },
  supervise: { zh: '督办', en: 'Supervised' },
  mark_overdue: { zh: '超期', en: 'Overdue' },
  rate: { zh: '评价', en: 'Rated' },
  close: { zh: '办结', en: 'Closed' },
  reopen: { zh: '重办', en: 'Reopened' },
  merge: { zh: '合并', en: 'Merged' },
  redirect: { zh: '引导至法定途径', en: 'Redirected to statutory channel' },
  flag_unreasonable: { zh: '申请认定不合理诉求', en: 'Flagged as unreasonable' },
  decide_unreasonable: { zh: '不合理诉求审批', en: 'Unreasonable flag decided' },
  schedule_callback: { zh: '安排回访', en: 'Callback scheduled' },
  appeal_rating: { zh: '评价申诉', en: 'Rating appealed' },
  decide_rating_appeal: { zh: '评价申诉复核', en: 'Rating appeal decided' },
};

export type Command = { [A in AppealAction]: { action: A; payload: ActionPayloads[A] } }[AppealAction];

export interface AppealEvent<A extends AppealAction = AppealAction> {
  appealId: string;
  /** 1-based position in the appeal's history: events are totally ordered per appeal. */
  seq: number;
  at: number;
  actor: Actor;
  action: A;
  fromStatus: AppealStatus | null;
  toStatus: AppealStatus;
  payload: ActionPayloads[A];
}
