// Which appeal events tell whom what (DESIGN.md §7a), and how a failed delivery is retried.
// Pure: the notification service turns these intents into outbox rows inside the event's transaction.
import type { AppealEvent } from '../appeal/events.ts';
import type { Role } from '../access/roles.ts';
import type { TemplateKey } from './templates.ts';

export type Target =
  | { kind: 'citizen' }
  | { kind: 'staff'; unitId: string; roles: readonly Role[] };

export interface Intent {
  template: TemplateKey;
  target: Target;
  /** Variables known from the event (names are resolved by the sender, outside the transaction). */
  vars: Record<string, string | number | null>;
  /** Not to be sent before this time (the rating invitation waits a while after the reply). */
  notBefore?: number;
  /** Checked by the sender at send time: the message is dropped when the appeal moved on. */
  onlyIfStatus?: string;
  onlyIfRound?: number;
}

export interface AppealFacts {
  id: string;
  trackingCode: string;
  title: string;
  type: string;
  urgency: string;
  status: string;
  round: number;
  categoryId: string | null;
  unitId: string | null;
  intakeUnitId: string;
  /** The unit above the intake centre (its 政法委), whose leaders hear of risk alerts; null when not needed. */
  intakeParentId?: string | null;
  handleDueAt: number;
  /** The citizen left a way to be told: a phone number (not anonymous) or an e-mail address. */
  reachable: boolean;
}

export interface RiskFacts {
  level: 'none' | 'low' | 'medium' | 'high';
  reasons: string[];
}

export interface RuleOptions {
  rateReminderMs: number;
}

const ids = (a: AppealFacts) => ({ appealId: a.id, trackingCode: a.trackingCode, title: a.title, type: a.type, urgency: a.urgency, categoryId: a.categoryId, dueAt: a.handleDueAt });

export function intentsFor(event: AppealEvent, a: AppealFacts, risk: RiskFacts | null, opts: RuleOptions): Intent[] {
  const out: Intent[] = [];
  const citizen = (template: TemplateKey, extra: Partial<Intent> = {}, vars: Intent['vars'] = {}) => {
    if (a.reachable) out.push({ template, target: { kind: 'citizen' }, vars: { ...ids(a), ...vars }, ...extra });
  };
  const staff = (template: TemplateKey, unitId: string | null | undefined, roles: readonly Role[], vars: Intent['vars'] = {}) => {
    if (unitId) out.push({ template, target: { kind: 'staff', unitId, roles }, vars: { ...ids(a), ...vars } });
  };
  switch (event.action) {
    case 'submit': {
      citizen('citizen.received');
      staff('staff.new', a.intakeUnitId, ['dispatcher']);
      const emergency = a.urgency === 'emergency';
      if (emergency || (risk && risk.level === 'high')) {
        const reason = [emergency ? '紧急诉求' : null, ...(risk?.reasons ?? [])].filter(Boolean).join('、') || '高风险';
        staff('staff.risk', a.intakeUnitId, ['dispatcher', 'leader'], { reason, level: emergency ? '紧急' : '高' });
        staff('staff.risk', a.intakeParentId, ['leader'], { reason, level: emergency ? '紧急' : '高' });
      }
      break;
    }
    case 'dispatch':
    case 'transfer': {
      const unitId = (event.payload as { unitId: string }).unitId;
      citizen('citizen.dispatched', {}, { unitId });
      staff('staff.assigned', unitId, ['handler'], { unitId });
      break;
    }
    case 'reply': {
      citizen('citizen.replied', {}, { unitId: a.unitId });
      citizen('citizen.rate_request', { notBefore: event.at + opts.rateReminderMs, onlyIfStatus: 'replied', onlyIfRound: a.round }, { unitId: a.unitId });
      break;
    }
    case 'mark_overdue': {
      const kind = (event.payload as { kind: 'response' | 'handle' }).kind;
      const reason = kind === 'response' ? '首次联系期限' : '办理期限';
      if (a.unitId) staff('staff.overdue', a.unitId, ['handler'], { reason, unitId: a.unitId });
      else staff('staff.overdue', a.intakeUnitId, ['dispatcher'], { reason });
      break;
    }
    case 'supervise': {
      const p = event.payload as { note: string; byUnitId?: string | null };
      const reason = p.note.slice(0, 120);
      staff('staff.escalated', a.unitId, ['handler'], { reason, unitId: a.unitId });
      if (p.byUnitId && p.byUnitId !== a.unitId) staff('staff.escalated', p.byUnitId, ['leader', 'dispatcher'], { reason, unitId: a.unitId });
      if (a.intakeUnitId !== p.byUnitId && a.intakeUnitId !== a.unitId) staff('staff.escalated', a.intakeUnitId, ['dispatcher'], { reason, unitId: a.unitId });
      break;
    }
    default:
      break;
  }
  return out;
}

/** Exponential backoff with ±20 % jitter: base·2^(attempt−1), capped. `rand` in [0, 1). */
export function nextAttemptDelay(attempt: number, baseMs: number, capMs: number, rand: number): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * rand));
}
