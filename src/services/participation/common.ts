// Shared pieces of the participation services: the citizen's phone, derived keys, regions, scope.
import { createHash } from 'node:crypto';
import { regionPrefix, regionWithin } from '../../domain/participation/weighting.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { normalizePhone } from '../../lib/pii.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService, Unit } from '../org.ts';
import type { StaffPrincipal } from '../principal.ts';

const MOBILE_RE = /^1[3-9]\d{9}$/;

/** The citizen's mobile number, normalised; a 400 naming the field when it is not one. */
export function requireMobile(phone: string | null | undefined): string {
  const n = normalizePhone(phone);
  if (!n || !MOBILE_RE.test(n)) throw errors.validation('请填写正确的手机号码', 'Enter a valid mobile phone number', { field: 'phone' });
  return n;
}

/**
 * A per-purpose key of a person: derived from the keyed phone blind index and a scope (a round, a
 * consultation), so that supports and survey answers cannot be joined with appeals by the index.
 */
export function scopedKey(ctx: ServiceContext, phone: string, scope: string): string {
  const idx = ctx.pii.blindIndex(phone)!;
  return createHash('sha256').update(`${scope}\u0000${idx}`).digest('base64url').slice(0, 32);
}

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
export const isoOf = (ms: number): string => new Date(ms).toISOString();

export function parseJson<T>(s: string | null | undefined, fallback: T): T {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** Region names (code → name) from the regions table, with the units' regions as a fallback. */
export async function regionNames(org: OrgService): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const u of await org.all()) if (u.type === 'committee' && !m.has(u.regionCode)) m.set(u.regionCode, u.name.replace(/^中共/, '').replace(/委政法委员会$|委政法委$/, ''));
  for (const r of await org.regions()) m.set(r.code, r.name);
  return m;
}

/** Refuses a region code the deployment does not know (when it has a regions table). */
export async function requireKnownRegion(org: OrgService, code: string): Promise<void> {
  if (!/^\d{6}(\d{3})?$/.test(code)) throw errors.validation('行政区划代码应为6位或9位数字', 'The region code must have 6 or 9 digits', { field: 'regionCode' });
  const regions = await org.regions();
  const units = await org.all();
  if (regions.length === 0 && units.length === 0) return;
  if (regions.some((r) => r.code === code) || units.some((u) => u.regionCode === code)) return;
  throw errors.validation('行政区划代码不在本地区范围内', 'The region code is not part of this deployment', { field: 'regionCode' });
}

/** The unit at the root of a staff member's data scope. */
export async function scopeRootOf(org: OrgService, p: StaffPrincipal): Promise<Unit> {
  return org.require(p.scopeRootId);
}

/** True when the unit path lies in the staff member's subtree. */
export const inSubtree = (p: StaffPrincipal, unitPath: string): boolean => unitPath.startsWith(p.scopePath);

/** The region of the staff member's scope must contain `code`. */
export async function requireRegionInScope(org: OrgService, p: StaffPrincipal, code: string): Promise<void> {
  const root = await scopeRootOf(org, p);
  if (root.parentId !== null && !regionWithin(code, root.regionCode)) {
    throw new AppError(403, 'REGION_SCOPE', `区域 ${code} 不在您的管辖范围内`, `Region ${code} is outside your jurisdiction`, { field: 'regionCode' });
  }
}

export { regionPrefix, regionWithin };
