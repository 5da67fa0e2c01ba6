// Staff sign-in and sessions. Sessions live in the database so any instance can serve any request.
// 等保 2.0 identity: password policy and a history of 5, lockout after 5 failures for 15 minutes,
// idle timeout and absolute lifetime, password change forced at first sign-in (and after the maximum
// age), a TOTP second factor (required for the administrative roles) with recovery codes.
import { createHash, randomBytes } from 'node:crypto';
import { checkRoleCombination, ROLES, SEPARATED_ROLES, type Role } from '../domain/access/roles.ts';
import { AppError, errors } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../lib/password.ts';
import { repos, type Executor } from '../store/repositories/index.ts';
import type { UserTable } from '../store/schema.ts';
import type { AuditService } from './audit.ts';
import type { ServiceContext } from './context.ts';
import type { OrgService } from './org.ts';
import { makeStaff, requirePermission, type StaffPrincipal } from './principal.ts';
import { MfaService } from './security/mfa.ts';

const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 15 * 60_000;
/** A new password may not be any of the last 5 (the current one and the 4 before it). */
export const PASSWORD_HISTORY = 5;

/**
 * What a session may do before the account is in order: change the password (first sign-in, reset by
 * an administrator, too old), or enrol the second factor its roles require. Such a session can only
 * reach the endpoints listed in RESTRICTED_ALLOWED (src/http/plugins/auth.ts).
 */
export type SessionRestriction = 'password_change' | 'mfa_enrolment' | null;

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export function toUserView(u: UserTable, mfaEnabled = false): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    roles: parseRoles(u.roles),
    active: u.active === 1,
    mustChangePassword: u.must_change_password === 1,
    mfaEnabled,
    lockedUntil: u.locked_until ? new Date(u.locked_until).toISOString() : null,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

function parseRoles(s: string): Role[] {
  return s.split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Names a session without disclosing its key (sessions.id): for ratings and audit evidence. */
export function sessionRef(sessionId: string): string {
  return `s-${createHash('sha256').update(`rating-source|${sessionId}`).digest('hex').slice(0, 16)}`;
}
// Verifying against this costs as much as a real check, so timing does not reveal which user names exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  unitId: string;
  roles: Role[];
  mustChangePassword?: boolean;
}

export interface UserPatch {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  unitId?: string | undefined;
  active?: boolean | undefined;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: UserView;
  restriction: SessionRestriction;
}

export class AuthService {
  readonly mfa: MfaService;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly audit: AuditService,
  ) {
    this.mfa = new MfaService(ctx, audit);
  }

  /** Roles that must sign in with a second factor (configuration MFA_REQUIRED_ROLES). */
  mfaRequiredFor(roles: readonly Role[]): boolean {
    if (this.ctx.config.DEMO_MODE) return false;
    const required = this.ctx.config.MFA_REQUIRED_ROLES.split(',').map((r) => r.trim()).filter(Boolean);
    return roles.some((r) => required.includes(r));
  }

  restrictionOf(user: UserTable, mfaEnabled: boolean): SessionRestriction {
    if (user.must_change_password === 1) return 'password_change';
    const maxAge = this.ctx.config.PASSWORD_MAX_AGE_DAYS;
    if (!this.ctx.config.DEMO_MODE && maxAge > 0 && user.password_changed_at + maxAge * 86_400_000 < this.ctx.now()) return 'password_change';
    if (!mfaEnabled && this.mfaRequiredFor(parseRoles(user.roles))) return 'mfa_enrolment';
    return null;
  }

  async login(username: string, password: string, meta: { ip: string | null; userAgent: string | null }, otp?: string | null): Promise<LoginResult> {
    const now = this.ctx.now();
    const user = await repos.users.findByUsername(this.ctx.db, username);
    const anon = { kind: 'citizen' as const, ip: meta.ip };
    const fail = async (reason: string, objectId: string | null) => {
      await this.audit.record(anon, { action: 'auth.login', objectType: 'user', objectId, outcome: 'failure', details: { username, reason } });
      return new AppError(401, 'LOGIN_FAILED', '用户名或密码错误', 'Wrong user name or password');
    };
    const countFailure = async (u: UserTable) => {
      const failures = u.failed_logins + 1;
      await repos.users.update(this.ctx.db, u.id, {
        failed_logins: failures >= LOCK_AFTER_FAILURES ? 0 : failures,
        locked_until: failures >= LOCK_AFTER_FAILURES ? now + LOCK_MS : u.locked_until,
      });
      if (failures >= LOCK_AFTER_FAILURES) {
        await this.audit.record(anon, { action: 'auth.lockout', objectType: 'user', objectId: u.id, outcome: 'success', details: { username, minutes: LOCK_MS / 60_000 } });
      }
    };
    if (!user || user.active !== 1) {
      await verifyPassword(password, DUMMY_HASH);
      throw await fail('unknown or inactive user', user?.id ?? null);
    }
    if (user.locked_until && user.locked_until > now) {
      await this.audit.record(anon, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'denied', details: { username, reason: 'locked' } });
      throw new AppError(423, 'ACCOUNT_LOCKED', '登录失败次数过多,账号已锁定15分钟', 'Too many failed attempts: the account is locked for 15 minutes');
    }
    if (!(await verifyPassword(password, user.password_hash))) {
      await countFailure(user);
      throw await fail('wrong password', user.id);
    }
    const mfaEnabled = await this.mfa.isEnabled(user.id);
    let factor: string | null = null;
    if (mfaEnabled) {
      if (!otp) {
        await this.audit.record(anon, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'denied', details: { username, reason: 'second factor required' } });
        throw new AppError(401, 'MFA_REQUIRED', '请输入动态验证码(或恢复码)', 'Enter the one-time code from your authenticator (or a recovery code)');
      }
      factor = await this.mfa.verify(user.id, otp);
      if (!factor) {
        await countFailure(user);
        await this.audit.record(anon, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'failure', details: { username, reason: 'wrong second factor' } });
        throw new AppError(401, 'MFA_FAILED', '动态验证码不正确或已使用', 'The one-time code is wrong or was already used');
      }
    }
    const restriction = this.restrictionOf(user, mfaEnabled);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.users.update(trx, user.id, { failed_logins: 0, locked_until: null });
      await repos.users.insertSession(trx, {
        id: hashToken(token),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.ctx.config.SESSION_MAX_HOURS * 3600_000,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await this.audit.record(anon, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'success', details: { username, factor: factor ?? 'password', restriction } }, trx);
    });
    return { token, csrfToken, user: toUserView(user, mfaEnabled), restriction };
  }

  /**
   * Resolves a session token to a principal; enforces idle timeout and absolute lifetime. `touch: false`
   * only looks (a citizen route that notes a staff session must not keep that session alive).
   */
  async authenticate(token: string, ip: string | null, opts: { touch?: boolean } = {}): Promise<{ principal: StaffPrincipal; csrfToken: string; user: UserView; restriction: SessionRestriction } | null> {
    const now = this.ctx.now();
    const sid = hashToken(token);
    const session = await repos.users.findSession(this.ctx.db, sid);
    if (!session) return null;
    const idleMs = this.ctx.config.SESSION_IDLE_MINUTES * 60_000;
    if (session.expires_at < now || session.last_seen_at + idleMs < now) {
      await repos.users.deleteSession(this.ctx.db, sid);
      return null;
    }
    const row = await this.ctx.db
      .selectFrom('users')
      .leftJoin('user_mfa', 'user_mfa.user_id', 'users.id')
      .selectAll('users')
      .select('user_mfa.enabled_at as mfa_enabled_at')
      .where('users.id', '=', session.user_id)
      .executeTakeFirst();
    if (!row || row.active !== 1) return null;
    const { mfa_enabled_at, ...user } = row;
    const mfaEnabled = mfa_enabled_at !== null && mfa_enabled_at !== undefined;
    // Write the idle clock at most once a minute: reads must not turn into writes.
    if (opts.touch !== false && now - session.last_seen_at > 60_000) await repos.users.touchSession(this.ctx.db, sid, now);
    const root = await this.org.scopeRootFor(user.unit_id);
    const principal = makeStaff({
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      unitId: user.unit_id,
      roles: parseRoles(user.roles),
      scopePath: root.path,
      scopeRootId: root.id,
      sessionId: sid,
      ip,
    });
    return { principal, csrfToken: session.csrf_token, user: toUserView(user, mfaEnabled), restriction: this.restrictionOf(user, mfaEnabled) };
  }

  async logout(p: StaffPrincipal): Promise<void> {
    if (p.sessionId) await repos.users.deleteSession(this.ctx.db, p.sessionId);
    await this.audit.record(p, { action: 'auth.logout', objectType: 'user', objectId: p.userId, outcome: 'success', details: null });
  }

  /** True when `password` is the current one or one of the previous PASSWORD_HISTORY − 1. */
  private async reused(db: Executor, user: UserTable, password: string): Promise<boolean> {
    if (await verifyPassword(password, user.password_hash)) return true;
    const old = await db
      .selectFrom('password_history')
      .select('password_hash')
      .where('user_id', '=', user.id)
      .orderBy('id', 'desc')
      .limit(PASSWORD_HISTORY - 1)
      .execute();
    for (const h of old) if (await verifyPassword(password, h.password_hash)) return true;
    return false;
  }

  /** Stores the new hash and keeps the old one in the history. */
  private async setPassword(trx: Executor, user: UserTable, newPassword: string, mustChange: boolean): Promise<void> {
    const now = this.ctx.now();
    // Ids sort in the order of the changes (several may share a millisecond): user id + a counter.
    const n = await trx.selectFrom('password_history').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', user.id).executeTakeFirst();
    const id = `${user.id}:${String(Number(n?.n ?? 0) + 1).padStart(8, '0')}`;
    await trx.insertInto('password_history').values({ id, user_id: user.id, password_hash: user.password_hash, created_at: now }).execute();
    await repos.users.update(trx, user.id, {
      password_hash: await hashPassword(newPassword),
      must_change_password: mustChange ? 1 : 0,
      password_changed_at: now,
      failed_logins: 0,
      locked_until: null,
    });
  }

  async changePassword(p: StaffPrincipal, oldPassword: string, newPassword: string): Promise<void> {
    const user = await repos.users.find(this.ctx.db, p.userId);
    if (!user || !(await verifyPassword(oldPassword, user.password_hash))) {
      await this.audit.record(p, { action: 'auth.password.change', objectType: 'user', objectId: p.userId, outcome: 'failure', details: { reason: 'wrong current password' } });
      throw new AppError(400, 'WRONG_PASSWORD', '原密码错误', 'The current password is wrong');
    }
    const bad = checkPasswordPolicy(newPassword, user.username);
    if (bad) throw errors.validation(bad.zh, bad.en);
    if (await this.reused(this.ctx.db, user, newPassword)) {
      throw errors.validation(`新密码不能与最近${PASSWORD_HISTORY}次使用过的密码相同`, `The new password must differ from your last ${PASSWORD_HISTORY} passwords`);
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.setPassword(trx, user, newPassword, false);
      // Other sessions of this account end: whoever knew the old password is signed out.
      await trx.deleteFrom('sessions').where('user_id', '=', user.id).where('id', '!=', p.sessionId ?? '').execute();
      await this.audit.record(p, { action: 'auth.password.change', objectType: 'user', objectId: user.id, outcome: 'success', details: null }, trx);
    });
  }

  /** Creates a staff account; `p` null means the CLI / set-up (still audited as the system). */
  async createUser(p: StaffPrincipal | null, input: NewUser): Promise<UserView> {
    if (p) requirePermission(p, 'user.manage');
    const badRoles = checkRoleCombination(input.roles);
    if (badRoles) throw errors.validation(badRoles.zh, badRoles.en);
    if (p && input.roles.some((r) => SEPARATED_ROLES.includes(r)) && !p.permissions.has('security.manage')) {
      throw errors.forbidden('只有安全管理员可以授予管理类角色', 'Only a security administrator can grant administrative roles');
    }
    if (!/^[a-zA-Z0-9_.-]{3,64}$/.test(input.username)) {
      throw errors.validation('用户名须为3至64位字母、数字或 _ . -', 'The user name must be 3–64 letters, digits or _ . -');
    }
    const bad = checkPasswordPolicy(input.password, input.username);
    if (bad) throw errors.validation(bad.zh, bad.en);
    await this.org.require(input.unitId);
    if (await repos.users.findByUsername(this.ctx.db, input.username)) {
      throw errors.conflict('USERNAME_TAKEN', '用户名已存在', 'This user name is taken');
    }
    const now = this.ctx.now();
    const row: UserTable = {
      id: newId(now),
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      unit_id: input.unitId,
      roles: input.roles.join(','),
      active: 1,
      must_change_password: input.mustChangePassword === false ? 0 : 1,
      failed_logins: 0,
      locked_until: null,
      password_changed_at: now,
      created_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.users.insert(trx, row);
      await this.audit.record(p ?? { kind: 'system', job: 'cli' }, { action: 'user.create', objectType: 'user', objectId: row.id, outcome: 'success', details: { username: row.username, roles: input.roles, unitId: row.unit_id } }, trx);
    });
    return toUserView(row);
  }

  async listUsers(p: StaffPrincipal): Promise<UserView[]> {
    requirePermission(p, 'user.manage');
    const enabled = new Set((await this.ctx.db.selectFrom('user_mfa').select('user_id').where('enabled_at', 'is not', null).execute()).map((r) => r.user_id));
    return (await repos.users.list(this.ctx.db)).map((u) => toUserView(u, enabled.has(u.id)));
  }

  /** An account another administrator manages: never one's own, and the 三员 only by the security admin. */
  private async managed(p: StaffPrincipal, id: string, perm: 'user.manage' | 'security.manage'): Promise<UserTable> {
    requirePermission(p, perm);
    const user = await repos.users.find(this.ctx.db, id);
    if (!user) throw errors.notFound(`User ${id}`, '用户');
    if (user.id === p.userId) throw errors.forbidden('不能通过管理功能修改自己的账号', 'You cannot manage your own account here');
    if (parseRoles(user.roles).some((r) => SEPARATED_ROLES.includes(r)) && !p.permissions.has('security.manage')) {
      throw errors.forbidden('只有安全管理员可以管理管理类账号', 'Only a security administrator can manage administrative accounts');
    }
    return user;
  }

  /** Changes an account: name, unit, active (user.manage); roles are a permission change (security.manage). */
  async updateUser(p: StaffPrincipal, id: string, patch: UserPatch): Promise<UserView> {
    if (Object.values(patch).every((v) => v === undefined)) throw errors.validation('没有要修改的内容', 'Nothing to change');
    const user = await this.managed(p, id, patch.roles !== undefined ? 'security.manage' : 'user.manage');
    if (patch.roles !== undefined) {
      const bad = checkRoleCombination(patch.roles);
      if (bad) throw errors.validation(bad.zh, bad.en);
    }
    if (patch.unitId !== undefined) await this.org.require(patch.unitId);
    const before = { roles: parseRoles(user.roles), unitId: user.unit_id, active: user.active === 1, displayName: user.display_name };
    const set: Partial<UserTable> = {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.roles !== undefined ? { roles: patch.roles.join(',') } : {}),
      ...(patch.unitId !== undefined ? { unit_id: patch.unitId } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.users.update(trx, id, set);
      // A change of roles, unit or status takes effect now: the account's sessions end.
      if (patch.roles !== undefined || patch.unitId !== undefined || patch.active === false) await repos.users.deleteSessionsOf(trx, id);
      await this.audit.record(p, {
        action: patch.roles !== undefined ? 'user.permissions.change' : 'user.update',
        objectType: 'user',
        objectId: id,
        outcome: 'success',
        details: { username: user.username, before, after: { ...before, ...patch } },
      }, trx);
    });
    const mfaEnabled = await this.mfa.isEnabled(id);
    return toUserView((await repos.users.find(this.ctx.db, id))!, mfaEnabled);
  }

  /** An administrator sets a temporary password: the user must change it at the next sign-in. */
  async resetPassword(p: StaffPrincipal, id: string, temporaryPassword: string): Promise<void> {
    const user = await this.managed(p, id, 'user.manage');
    const bad = checkPasswordPolicy(temporaryPassword, user.username);
    if (bad) throw errors.validation(bad.zh, bad.en);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.setPassword(trx, user, temporaryPassword, true);
      await repos.users.deleteSessionsOf(trx, id);
      await this.audit.record(p, { action: 'user.password.reset', objectType: 'user', objectId: id, outcome: 'success', details: { username: user.username } }, trx);
    });
  }

  /** The operator's reset from the command line (server access stands for the authority): a temporary
   *  password that must be changed at the next sign-in; sessions end; audited as the system. */
  async resetPasswordByOperator(username: string, temporaryPassword: string): Promise<void> {
    const user = await repos.users.findByUsername(this.ctx.db, username);
    if (!user) throw errors.notFound(`User ${username}`, '用户');
    const bad = checkPasswordPolicy(temporaryPassword, user.username);
    if (bad) throw errors.validation(bad.zh, bad.en);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.setPassword(trx, user, temporaryPassword, true);
      await repos.users.deleteSessionsOf(trx, user.id);
      await this.audit.record({ kind: 'system', job: 'cli' }, { action: 'user.password.reset', objectType: 'user', objectId: user.id, outcome: 'success', details: { username: user.username, by: 'cli' } }, trx);
    });
  }

  async unlock(p: StaffPrincipal, id: string): Promise<void> {
    const user = await this.managed(p, id, 'user.manage');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.users.update(trx, id, { failed_logins: 0, locked_until: null });
      await this.audit.record(p, { action: 'user.unlock', objectType: 'user', objectId: id, outcome: 'success', details: { username: user.username } }, trx);
    });
  }

  /** A security administrator removes a lost second factor: the user enrols again at the next sign-in. */
  async resetMfa(p: StaffPrincipal, id: string): Promise<void> {
    const user = await this.managed(p, id, 'security.manage');
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.mfa.remove(id, trx);
      await repos.users.deleteSessionsOf(trx, id);
      await this.audit.record(p, { action: 'user.mfa.reset', objectType: 'user', objectId: id, outcome: 'success', details: { username: user.username } }, trx);
    });
  }

  /** The user turns the second factor off (only where the roles do not require it). */
  async disableMfa(p: StaffPrincipal, password: string, code: string): Promise<void> {
    const user = await repos.users.find(this.ctx.db, p.userId);
    if (!user) throw errors.unauthenticated();
    if (this.mfaRequiredFor(parseRoles(user.roles))) throw errors.forbidden('您的角色必须启用双因素认证', 'Your roles require the second factor');
    if (!(await verifyPassword(password, user.password_hash)) || !(await this.mfa.verify(user.id, code))) {
      await this.audit.record(p, { action: 'auth.mfa.disable', objectType: 'user', objectId: user.id, outcome: 'failure', details: null });
      throw new AppError(400, 'WRONG_CREDENTIALS', '密码或动态验证码不正确', 'The password or the one-time code is wrong');
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.mfa.remove(user.id, trx);
      await this.audit.record(p, { action: 'auth.mfa.disable', objectType: 'user', objectId: user.id, outcome: 'success', details: null }, trx);
    });
  }
}
