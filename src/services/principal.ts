// Who is acting: a signed-in staff member (with roles, permissions and data scope), a citizen who
// proved the tracking code + phone, or the system (scheduler).
import { permissionsOf, type Permission, type Role } from '../domain/access/roles.ts';
import { errors } from '../lib/errors.ts';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  permissions: Set<Permission>;
  /** Path of the root of the subtree this user may see. */
  scopePath: string;
  scopeRootId: string;
  sessionId: string | null;
  ip: string | null;
}

export interface CitizenPrincipal {
  kind: 'citizen';
  ip: string | null;
  /**
   * A valid staff session came with the citizen's request (the browser of a signed-in staff member).
   * It grants nothing: it is noted on a rating for the auditor's 工作人员会话评价 (staff-session) signal.
   */
  staffSession?: StaffSessionSeen | null;
}

/** Which staff session was seen: the user, and a reference that names the session without being its key. */
export interface StaffSessionSeen {
  userId: string;
  ref: string;
}

export interface SystemPrincipal {
  kind: 'system';
  job: string;
}

export type Principal = StaffPrincipal | CitizenPrincipal | SystemPrincipal;

export function makeStaff(p: Omit<StaffPrincipal, 'kind' | 'permissions'>): StaffPrincipal {
  return { ...p, kind: 'staff', permissions: permissionsOf(p.roles) };
}

export function requirePermission(p: StaffPrincipal, perm: Permission): void {
  if (!p.permissions.has(perm)) {
    throw errors.forbidden(`当前角色无「${perm}」权限`, `Your role lacks the permission "${perm}"`);
  }
}

export const SYSTEM: SystemPrincipal = { kind: 'system', job: 'system' };
