// Staff roles (DESIGN.md §2) and what each may do. Data scope (which appeals) is separate: see scope.ts.
import type { AppealAction } from '../appeal/events.ts';

export const ROLES = ['handler', 'dispatcher', 'leader', 'sysadmin', 'secadmin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  handler: { zh: '承办人', en: 'Handler' },
  dispatcher: { zh: '派单员', en: 'Dispatcher' },
  leader: { zh: '领导', en: 'Leader' },
  sysadmin: { zh: '系统管理员', en: 'System administrator' },
  secadmin: { zh: '安全管理员', en: 'Security administrator' },
  auditor: { zh: '安全审计员', en: 'Auditor' },
};

/** 三员分立: no account may hold two of these, nor a business role beside one (least privilege). */
export const SEPARATED_ROLES: readonly Role[] = ['sysadmin', 'secadmin', 'auditor'];

export const PERMISSIONS = [
  'appeal.read',
  'appeal.create', // hotline entry by an operator
  'appeal.handle', // the unit's own work: accept, contact, reply, extension request, return …
  'appeal.dispatch', // triage, dispatch, transfer, merge, redirect, approvals, close, reopen
  'appeal.supervise',
  'appeal.callback', // record a 回访 answer as a rating
  'rating.review', // decide a unit's appeal against a rating (申诉复核)
  'pii.unmask',
  'metrics.read',
  'metrics.publish', // publish (freeze) and verify a period's assessment
  'metrics.configure', // the weights of the 民标 figures
  'metrics.audit', // anti-gaming signals, snapshot verification (auditor)
  'org.read',
  'org.manage',
  'user.manage',
  'category.manage',
  'calendar.manage',
  'security.manage',
  'audit.read',
  'task.read',
  'kb.manage', // write knowledge articles of units in scope (草稿), see the gaps
  'kb.publish', // review, publish and expire knowledge articles; synonyms
  'notify.manage', // notification templates and the outbox
  'consultation.manage', // open, moderate and answer consultations (征集); follow-up tasks
  'survey.manage', // survey rounds, phone-interview entry, population margins
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  handler: ['appeal.read', 'appeal.handle', 'pii.unmask', 'metrics.read', 'org.read', 'task.read', 'kb.manage'],
  dispatcher: [
    'appeal.read',
    'appeal.create',
    'appeal.dispatch',
    'appeal.supervise',
    'appeal.callback',
    'pii.unmask',
    'metrics.read',
    'org.read',
    'task.read',
    'consultation.manage',
    'survey.manage',
    'kb.manage',
    'kb.publish',
  ],
  leader: ['appeal.read', 'appeal.supervise', 'rating.review', 'metrics.read', 'metrics.publish', 'org.read', 'task.read', 'consultation.manage', 'survey.manage', 'kb.manage', 'kb.publish'],
  sysadmin: ['org.read', 'org.manage', 'user.manage', 'category.manage', 'calendar.manage', 'metrics.configure', 'notify.manage'],
  secadmin: ['org.read', 'security.manage', 'user.manage'],
  auditor: ['org.read', 'audit.read', 'metrics.audit'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => GRANTS[r]));
}

/** Returns a reason (zh, en) when the combination breaks 三员分立, else null. */
export function checkRoleCombination(roles: readonly Role[]): { zh: string; en: string } | null {
  if (roles.length === 0) return { zh: '至少需要一个角色', en: 'At least one role is required' };
  const separated = roles.filter((r) => SEPARATED_ROLES.includes(r));
  if (separated.length > 0 && roles.length > 1) {
    return {
      zh: '三员分立:系统管理员、安全管理员、审计员不能兼任其他角色',
      en: 'Separation of duties: system admin, security admin and auditor cannot be combined with other roles',
    };
  }
  return null;
}

/** Which permission each appeal action needs from a staff actor. */
export const ACTION_PERMISSION: Record<AppealAction, Permission | 'system'> = {
  submit: 'appeal.create',
  dispatch: 'appeal.dispatch',
  accept: 'appeal.handle',
  return: 'appeal.handle',
  transfer: 'appeal.dispatch',
  contact: 'appeal.handle',
  reply: 'appeal.handle',
  request_extension: 'appeal.handle',
  decide_extension: 'appeal.dispatch',
  supervise: 'appeal.supervise',
  mark_overdue: 'system',
  rate: 'appeal.callback',
  close: 'appeal.dispatch',
  reopen: 'appeal.dispatch',
  merge: 'appeal.dispatch',
  redirect: 'appeal.dispatch',
  flag_unreasonable: 'appeal.handle',
  decide_unreasonable: 'appeal.dispatch',
  schedule_callback: 'system',
  appeal_rating: 'appeal.handle',
  decide_rating_appeal: 'rating.review',
};
