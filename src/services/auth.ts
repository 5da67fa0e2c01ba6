// Staff sign-in and sessions. Sessions live in the database so any instance can serve any request.
import { createHash, randomBytes } from 'node:crypto';
import { checkRoleCombination, ROLES, type Role } from '../domain/access/roles.ts';
import { AppError, errors } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../lib/password.ts';
import { repos } from '../store/repositories/index.ts';
import type { UserTable } from '../store/schema.ts';
import type { AuditService } from './audit.ts';
import type { ServiceContext } from './context.ts';
import type { OrgService } from './org.ts';
import { makeStaff, requirePermission, type StaffPrincipal } from './principal.ts';

const LOCK_AFTER_FAILURES = 5;
const LOCK_MS = 15 * 60_000;

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export function toUserView(u: UserTable): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    unitId: u.unit_id,
    roles: parseRoles(u.roles),
    active: u.active === 1,
    mustChangePassword: u.must_change_password === 1,
    lockedUntil: u.locked_until ? new Date(u.locked_until).toISOString() : null,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

function parseRoles(s: string): Role[] {
  return s.split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  unitId: string;
  roles: Role[];
  mustChangePassword?: boolean;
}

export class AuthService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly audit: AuditService,
  ) {}

  async login(username: string, password: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ token: string; csrfToken: string; user: UserView }> {
    const now = this.ctx.now();
    const user = await repos.users.findByUsername(this.ctx.db, username);
    const fail = async (reason: string) => {
      await this.audit.record({ kind: 'citizen', ip: meta.ip }, { action: 'auth.login', objectType: 'user', objectId: user?.id ?? null, outcome: 'failure', details: { username, reason } });
      return new AppError(401, 'LOGIN_FAILED', '用户名或密码错误', 'Wrong user name or password');
    };
    if (!user || user.active !== 1) {
      // Same work as a real check, so timing does not reveal which user names exist.
      await verifyPassword(password, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      throw await fail('unknown or inactive user');
    }
    if (user.locked_until && user.locked_until > now) {
      await this.audit.record({ kind: 'citizen', ip: meta.ip }, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'denied', details: { reason: 'locked' } });
      throw new AppError(423, 'ACCOUNT_LOCKED', '登录失败次数过多,账号已锁定15分钟', 'Too many failed attempts: the account is locked for 15 minutes');
    }
    if (!(await verifyPassword(password, user.password_hash))) {
      const failures = user.failed_logins + 1;
      await repos.users.update(this.ctx.db, user.id, {
        failed_logins: failures >= LOCK_AFTER_FAILURES ? 0 : failures,
        locked_until: failures >= LOCK_AFTER_FAILURES ? now + LOCK_MS : user.locked_until,
      });
      throw await fail('wrong password');
    }
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
      await this.audit.record({ kind: 'citizen', ip: meta.ip }, { action: 'auth.login', objectType: 'user', objectId: user.id, outcome: 'success', details: { username } }, trx);
    });
    return { token, csrfToken, user: toUserView(user) };
  }

  /** Resolves a session token to a principal; enforces idle timeout and absolute lifetime. */
  async authenticate(token: string, ip: string | null): Promise<{ principal: StaffPrincipal; csrfToken: string; user: UserView } | null> {
    const now = this.ctx.now();
    const sid = hashToken(token);
    const session = await repos.users.findSession(this.ctx.db, sid);
    if (!session) return null;
    const idleMs = this.ctx.config.SESSION_IDLE_MINUTES * 60_000;
    if (session.expires_at < now || session.last_seen_at + idleMs < now) {
      await repos.users.deleteSession(this.ctx.db, sid);
      return null;
    }
    const user = await repos.users.find(this.ctx.db, session.user_id);
    if (!user || user.active !== 1) return null;
    // Write the idle clock at most once a minute: reads must not turn into writes.
    if (now - session.last_seen_at > 60_000) await repos.users.touchSession(this.ctx.db, sid, now);
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
    return { principal, csrfToken: session.csrf_token, user: toUserView(user) };
  }

  async logout(p: StaffPrincipal): Promise<void> {
    if (p.sessionId) await repos.users.deleteSession(this.ctx.db, p.sessionId);
    await this.audit.record(p, { action: 'auth.logout', objectType: 'user', objectId: p.userId, outcome: 'success', details: null });
  }

  async changePassword(p: StaffPrincipal, oldPassword: string, newPassword: string): Promise<void> {
    const user = await repos.users.find(this.ctx.db, p.userId);
    if (!user || !(await verifyPassword(oldPassword, user.password_hash))) {
      throw new AppError(400, 'WRONG_PASSWORD', '原密码错误', 'The current password is wrong');
    }
    const bad = checkPasswordPolicy(newPassword, user.username);
    if (bad) throw errors.validation(bad.zh, bad.en);
    if (await verifyPassword(newPassword, user.password_hash)) throw errors.validation('新密码不能与原密码相同', 'The new password must differ from the current one');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.users.update(trx, user.id, { password_hash: await hashPassword(newPassword), must_change_password: 0, password_changed_at: this.ctx.now() });
      await this.audit.record(p, { action: 'auth.password.change', objectType: 'user', objectId: user.id, outcome: 'success', details: null }, trx);
    });
  }

  /** Creates a staff account; `p` null means the CLI / set-up (still audited as the system). */
  async createUser(p: StaffPrincipal | null, input: NewUser): Promise<UserView> {
    if (p) requirePermission(p, 'user.manage');
    const badRoles = checkRoleCombination(input.roles);
    if (badRoles) throw errors.validation(badRoles.zh, badRoles.en);
    if (p && input.roles.some((r) => ['sysadmin', 'secadmin', 'auditor'].includes(r)) && !p.permissions.has('security.manage')) {
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
    return (await repos.users.list(this.ctx.db)).map(toUserView);
  }
}
