// API keys of client systems (Open311 and other integrations): issued by a security administrator
// per client system, shown once and stored only as a SHA-256 hash, revocable, rate-limited per key
// (token bucket, shared by every instance when the limits are in Redis), and every use — accepted,
// refused or throttled — is written to the audit trail.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ApiKeyTable } from '../../store/interop-schema.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import { perMinute, type RateLimiter } from '../security/rateLimit.ts';
import { requirePermission, type Principal, type StaffPrincipal } from '../principal.ts';

export const API_KEY_PREFIX = 'mb311_';
const KEY_RE = /^mb311_[A-Za-z0-9_-]{32}$/;

export interface ApiKeyView {
  id: string;
  name: string;
  keyPrefix: string;
  tokenMode: boolean;
  ratePerMinute: number;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  useCount: number;
}

export interface NewApiKey {
  name: string;
  ratePerMinute?: number | undefined;
  tokenMode?: boolean | undefined;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function toApiKeyView(r: ApiKeyTable): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    keyPrefix: r.key_prefix,
    tokenMode: r.token_mode === 1,
    ratePerMinute: r.rate_per_minute,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by,
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
    useCount: r.use_count,
  };
}

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Why a key was refused: 403 for a missing/unknown/revoked key (as GeoReport v2 does), 429 when throttled. */
export class ApiKeyError extends AppError {
  constructor(status: 403 | 429, code: string, zh: string, en: string, readonly retryAfterSeconds?: number) {
    super(status, code, zh, en);
  }
}

export class ApiKeyService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    /** The public endpoints' limiter: per process, or shared by every instance in Redis. */
    private readonly limiter: RateLimiter,
  ) {}

  private cliOrCheck(p: StaffPrincipal | null): Principal {
    if (p) {
      requirePermission(p, 'security.manage');
      return p;
    }
    return { kind: 'system', job: 'cli' };
  }

  /** Issues a key; the clear key is in the answer only. `p` null = the command line (operator on the host). */
  async create(p: StaffPrincipal | null, input: NewApiKey): Promise<ApiKeyView & { key: string }> {
    const actor = this.cliOrCheck(p);
    const name = input.name.trim();
    if (name.length < 2 || name.length > 60) throw errors.validation('客户端系统名称应为2到60个字', 'The client system name must have 2 to 60 characters', { field: 'name' });
    const rate = input.ratePerMinute ?? 60;
    if (!Number.isInteger(rate) || rate < 1 || rate > 6000) throw errors.validation('限流应为每分钟1到6000次', 'The rate limit must be 1 to 6000 requests per minute', { field: 'ratePerMinute' });
    const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const now = this.ctx.now();
    const row: ApiKeyTable = {
      id: newId(now),
      name,
      key_prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      key_hash: hashApiKey(key),
      token_mode: input.tokenMode ? 1 : 0,
      rate_per_minute: rate,
      created_at: now,
      created_by: p?.username ?? 'cli',
      revoked_at: null,
      revoked_by: null,
      last_used_at: null,
      use_count: 0,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('api_keys').values(row).execute();
      await this.audit.record(actor, { action: 'apikey.create', objectType: 'api_key', objectId: row.id, outcome: 'success', details: { name, keyPrefix: row.key_prefix, ratePerMinute: rate, tokenMode: !!input.tokenMode } }, trx);
    });
    return { ...toApiKeyView(row), key };
  }

  async list(p: StaffPrincipal | null): Promise<ApiKeyView[]> {
    this.cliOrCheck(p);
    const rows = await this.ctx.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toApiKeyView);
  }

  /** Revokes by id (or by the key prefix shown in lists). Revoking twice is harmless. */
  async revoke(p: StaffPrincipal | null, idOrPrefix: string): Promise<ApiKeyView> {
    const actor = this.cliOrCheck(p);
    const row = await this.ctx.db
      .selectFrom('api_keys')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('key_prefix', '=', idOrPrefix)]))
      .executeTakeFirst();
    if (!row) throw errors.notFound(`API key ${idOrPrefix}`, '接口密钥');
    if (row.revoked_at !== null) return toApiKeyView(row);
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('api_keys').set({ revoked_at: now, revoked_by: p?.username ?? 'cli' }).where('id', '=', row.id).execute();
      await this.audit.record(actor, { action: 'apikey.revoke', objectType: 'api_key', objectId: row.id, outcome: 'success', details: { name: row.name } }, trx);
    });
    return toApiKeyView({ ...row, revoked_at: now, revoked_by: p?.username ?? 'cli' });
  }

  /**
   * Checks a key for one use of `endpoint`: known, not revoked, within its rate. Every outcome is
   * audited (the key's id and prefix, never the key).
   */
  async authenticate(key: string | undefined, use: { endpoint: string; ip: string | null }): Promise<ApiKeyTable> {
    const now = this.ctx.now();
    const anon: Principal = { kind: 'system', job: 'apikey:unknown' };
    if (!key) {
      await this.audit.record(anon, { action: 'apikey.use', objectType: 'api_key', objectId: null, outcome: 'denied', details: { endpoint: use.endpoint, reason: 'missing', ip: use.ip } });
      throw new ApiKeyError(403, 'API_KEY_REQUIRED', '缺少 api_key,无法提交', 'api_key is required -- can\'t proceed with create_request.');
    }
    const hash = hashApiKey(key);
    const row = KEY_RE.test(key) ? await this.ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst() : undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(hash)) || row.revoked_at !== null) {
      await this.audit.record(row ? { kind: 'system', job: `apikey:${row.name}` } : anon, {
        action: 'apikey.use',
        objectType: 'api_key',
        objectId: row?.id ?? null,
        outcome: 'denied',
        details: { endpoint: use.endpoint, reason: row ? 'revoked' : 'unknown', keyPrefix: key.slice(0, API_KEY_PREFIX.length + 6), ip: use.ip },
      });
      throw new ApiKeyError(403, 'API_KEY_INVALID', 'api_key 无效或已吊销,无法提交', 'Invalid api_key received -- can\'t proceed with create_request.');
    }
    // One bucket per key: a burst of one minute's worth, refilled at the key's rate.
    const bucket = await this.limiter.take(perMinute('apikey', row.rate_per_minute), row.id, now);
    if (!bucket.ok) {
      const retry = Math.max(1, Math.ceil(bucket.retryAfterMs / 1000));
      await this.audit.record({ kind: 'system', job: `apikey:${row.name}` }, { action: 'apikey.use', objectType: 'api_key', objectId: row.id, outcome: 'denied', details: { endpoint: use.endpoint, reason: 'rate-limited', ip: use.ip } });
      throw new ApiKeyError(429, 'RATE_LIMITED', `请求过于频繁,请 ${retry} 秒后重试`, `Too many requests for this api_key; retry in ${retry} s`, retry);
    }
    await this.ctx.db
      .updateTable('api_keys')
      .set((eb) => ({ last_used_at: now, use_count: eb('use_count', '+', 1) }))
      .where('id', '=', row.id)
      .execute();
    return row;
  }

  /** The audit record of a successful use, written once the use's outcome is known. */
  async recordUse(row: ApiKeyTable, use: { endpoint: string; ip: string | null; objectId?: string | null; details?: Record<string, unknown> }): Promise<void> {
    await this.audit.record({ kind: 'system', job: `apikey:${row.name}` }, {
      action: 'apikey.use',
      objectType: 'api_key',
      objectId: row.id,
      outcome: 'success',
      details: { endpoint: use.endpoint, ip: use.ip, ...(use.objectId ? { appealId: use.objectId } : {}), ...(use.details ?? {}) },
    });
  }

  /** A refused use after authentication (e.g. an invalid request): still audited. */
  async recordFailure(row: ApiKeyTable, use: { endpoint: string; ip: string | null; reason: string }): Promise<void> {
    await this.audit.record({ kind: 'system', job: `apikey:${row.name}` }, { action: 'apikey.use', objectType: 'api_key', objectId: row.id, outcome: 'failure', details: { endpoint: use.endpoint, ip: use.ip, reason: use.reason.slice(0, 300) } });
  }
}
