// The appeal (诉求) and its vocabulary — DESIGN.md §4.

export const APPEAL_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'dispute'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];

export const APPEAL_TYPE_LABELS: Record<AppealType, { zh: string; en: string }> = {
  consult: { zh: '咨询', en: 'Consultation' },
  help: { zh: '求助', en: 'Request for help' },
  complaint: { zh: '投诉', en: 'Complaint' },
  report: { zh: '举报', en: 'Report' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  dispute: { zh: '纠纷', en: 'Dispute' },
};

/** Default handling deadline in working days per type (DESIGN.md §4); a category may override. */
export const DEFAULT_HANDLE_DAYS: Record<AppealType, number> = {
  consult: 1,
  help: 3,
  complaint: 5,
  report: 5,
  dispute: 5,
  suggestion: 7,
};

export const CHANNELS = ['web', 'hotline', 'open311', 'import', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['emergency', 'urgent', 'general'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const APPEAL_STATUSES = [
  'submitted', // 受理: awaiting triage and dispatch
  'returned', // 退单: back in the dispatcher's queue with a reason
  'dispatched', // 分派: sent to a unit, awaiting 签收
  'accepted', // 签收
  'contacted', // 联系
  'replied', // 答复: awaiting the citizen's rating or a 回访
  'closed', // 办结 (may be reopened: 重办)
  'merged', // 合并 into another appeal (terminal)
  'redirected', // 引导 to a statutory channel (terminal, not assessed)
  'unreasonable', // 不合理诉求, approved (terminal, not assessed)
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export const STATUS_LABELS: Record<AppealStatus, { zh: string; en: string }> = {
  submitted: { zh: '已受理', en: 'Submitted' },
  returned: { zh: '已退单', en: 'Returned' },
  dispatched: { zh: '已派单', en: 'Dispatched' },
  accepted: { zh: '已签收', en: 'Accepted' },
  contacted: { zh: '已联系', en: 'Contacted' },
  replied: { zh: '已答复', en: 'Replied' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '已合并', en: 'Merged' },
  redirected: { zh: '已引导', en: 'Redirected' },
  unreasonable: { zh: '不合理诉求', en: 'Unreasonable' },
};

export const TERMINAL_STATUSES: ReadonlySet<AppealStatus> = new Set(['merged', 'redirected', 'unreasonable']);
/** States of an appeal not yet closed: waiting for dispatch, in a unit's hands, or awaiting the rating. */
export const OPEN_STATUSES: ReadonlySet<AppealStatus> = new Set(['submitted', 'returned', 'dispatched', 'accepted', 'contacted', 'replied']);
/** States not yet answered, in which the handling deadline can pass (the scheduler marks them overdue). */
export const AWAITING_REPLY_STATUSES: readonly AppealStatus[] = ['submitted', 'returned', 'dispatched', 'accepted', 'contacted'];

/**
 * 超期: marked by the scheduler (kept after the appeal moves on: it was overdue), or not yet answered
 * with its handling deadline already past, before the scheduler's next run marks it.
 */
export function isHandleOverdue(a: { status: string; handleOverdue: boolean; handleDueAt: number }, now: number): boolean {
  return a.handleOverdue || ((AWAITING_REPLY_STATUSES as readonly string[]).includes(a.status) && a.handleDueAt < now);
}

/** States in which a unit holds the appeal and the handling clock runs. */
export const IN_HANDLING_STATUSES: ReadonlySet<AppealStatus> = new Set(['dispatched', 'accepted', 'contacted']);

export const REDIRECT_CHANNELS = ['litigation', 'arbitration', 'petition', 'reconsideration', 'police110'] as const;
export type RedirectChannel = (typeof REDIRECT_CHANNELS)[number];
export const REDIRECT_CHANNEL_LABELS: Record<RedirectChannel, { zh: string; en: string }> = {
  litigation: { zh: '诉讼', en: 'Litigation' },
  arbitration: { zh: '仲裁', en: 'Arbitration' },
  petition: { zh: '信访', en: 'Petition (xinfang)' },
  reconsideration: { zh: '行政复议', en: 'Administrative reconsideration' },
  police110: { zh: '110报警', en: 'Emergency police (110)' },
};

export const RATING_LEVELS = [1, 2, 3, 4, 5] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
export const RATING_LABELS: Record<RatingLevel, { zh: string; en: string; face: string }> = {
  5: { zh: '非常满意', en: 'Very satisfied', face: '😄' },
  4: { zh: '满意', en: 'Satisfied', face: '🙂' },
  3: { zh: '基本满意', en: 'Fairly satisfied', face: '😐' },
  2: { zh: '不满意', en: 'Dissatisfied', face: '🙁' },
  1: { zh: '非常不满意', en: 'Very dissatisfied', face: '😠' },
};
export const SOLVED_VALUES = ['yes', 'partly', 'no'] as const;
export type Solved = (typeof SOLVED_VALUES)[number];
export type RatingChannel = 'web' | 'callback';

export interface Rating {
  round: number;
  level: RatingLevel;
  solved: Solved;
  contacted: boolean;
  channel: RatingChannel;
  comment: string | null;
  ratedAt: number;
}

/** The projection of an appeal's events: what the appeals table row holds. */
export interface AppealState {
  id: string;
  status: AppealStatus;
  /** Number of events applied; equals the last event's seq. */
  version: number;
  round: number;
  createdAt: number;
  updatedAt: number;
  type: AppealType;
  urgency: Urgency;
  channel: Channel;
  categoryId: string | null;
  unitId: string | null;
  responseDueAt: number;
  handleDueAt: number;
  firstContactAt: number | null;
  repliedAt: number | null;
  closedAt: number | null;
  reply: string | null;
  returnCount: number;
  transferCount: number;
  reopenCount: number;
  extensionCount: number;
  pendingExtensionDays: number | null;
  supervisionLevel: number;
  responseOverdue: boolean;
  handleOverdue: boolean;
  mergedInto: string | null;
  redirectChannel: RedirectChannel | null;
  unreasonablePending: boolean;
  lastRating: Rating | null;
  /** 申诉复核 of the current round's rating. */
  ratingAppeal: 'pending' | 'upheld' | 'rejected' | null;
}

export type ActorKind = 'staff' | 'citizen' | 'system';
export interface Actor {
  kind: ActorKind;
  /** User id for staff, null for citizens and the system. */
  id: string | null;
}
