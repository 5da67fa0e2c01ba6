// Shapes of the API's answers (see /api/docs). Times are ISO strings.

export type AppealStatus =
  | 'submitted'
  | 'returned'
  | 'dispatched'
  | 'accepted'
  | 'contacted'
  | 'replied'
  | 'closed'
  | 'merged'
  | 'redirected'
  | 'unreasonable';

export type AppealType = 'consult' | 'help' | 'complaint' | 'report' | 'suggestion' | 'dispute';
export type Urgency = 'emergency' | 'urgent' | 'general';
export type Solved = 'yes' | 'partly' | 'no';
export type RatingLevel = 1 | 2 | 3 | 4 | 5;
export type RedirectChannel = 'litigation' | 'arbitration' | 'petition' | 'reconsideration' | 'police110';

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
  defaultUnitType: string | null;
  handleDays: number | null;
  urgency: string;
  defaultType: string | null;
  sort: number;
  active: boolean;
}

export interface Region {
  code: string;
  name: string;
  parentCode: string | null;
  level: string;
}

export interface Unit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string;
  type: string;
  typeLabel: string;
  level: string;
  regionCode: string;
  population: number;
  peerGroup: string;
  active: boolean;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: string[];
  active: boolean;
  mustChangePassword: boolean;
  mfaEnabled?: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface Me {
  user: { id: string; username: string; displayName: string; unitId: string; roles: string[] };
  roleLabels: string[];
  permissions: string[];
  unit: { id: string; name: string; type: string };
  scope: { rootId: string; rootName: string };
  csrfToken: string | null;
  restriction?: 'password_change' | 'mfa_enrolment' | null;
  mfa?: { enabled: boolean; required: boolean; recoveryCodesLeft: number };
  demo?: boolean;
}

export interface SubmitResult {
  id: string;
  trackingCode: string;
  accessPin: string | null;
  status: string;
  responseDueAt: string;
  handleDueAt: string;
  replayed: boolean;
}

export interface TrackingView {
  trackingCode: string;
  title: string;
  status: AppealStatus;
  statusLabel: string;
  statusLabelEn: string;
  createdAt: string;
  handleDueAt: string;
  unitName: string | null;
  reply: string | null;
  canRate: boolean;
  rated: boolean;
  steps: { at: string; text: string; textEn: string }[];
}

export interface AppealListItem {
  id: string;
  trackingCode: string;
  title: string;
  status: AppealStatus;
  statusLabel: string;
  type: AppealType;
  typeLabel: string;
  urgency: Urgency;
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

export interface Page<T> {
  items: T[];
  total: number;
  /** More than `total` match: the server stops counting there. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
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
  lastRating: { round: number; level: number; solved: string; contacted: boolean; channel: string; comment: string | null; ratedAt: number } | null;
  timeline: TimelineEntry[];
  tasks: { id: string; kind: string; round: number; status: string; createdAt: string; dueAt: string; doneAt: string | null }[];
}

export interface TaskItem {
  id: string;
  kind: string;
  appealId: string;
  appealTitle: string;
  trackingCode: string;
  appealStatus: AppealStatus;
  unitId: string | null;
  round: number;
  status: string;
  createdAt: string;
  dueAt: string;
  doneAt: string | null;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: string;
  ip: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface CalendarOverrides {
  officialYears: number[];
  overrides: { date: string; workday: boolean; note: string | null; updatedBy: string | null; updatedAt: string }[];
}
