// The filters of the appeal list (GET /api/v1/appeals), in one place for the list and its export
// (services/interop/export.ts), so both select the same appeals. The data scope is the caller's.
import { sql, type SelectQueryBuilder } from 'kysely';
import { normalizePhone, type PiiCipher } from '../../lib/pii.ts';
import { overdueFilter } from '../../store/repositories/appeals.ts';
import type { Database } from '../../store/schema.ts';
import type { StaffPrincipal } from '../principal.ts';

export interface AppealFilters {
  status?: string[] | undefined;
  unitId?: string | undefined;
  categoryId?: string | undefined;
  type?: string | undefined;
  urgency?: string | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
  phone?: string | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  /** 'inbox': appeals held by the user's own unit; 'queue': awaiting dispatch in the user's scope. */
  view?: 'all' | 'inbox' | 'queue' | undefined;
  sort?: 'created_desc' | 'created_asc' | 'due_asc' | undefined;
  page: number;
  pageSize: number;
}

export function whereAppealFilters<O>(
  q: SelectQueryBuilder<Database, 'appeals', O>,
  p: StaffPrincipal,
  f: Omit<AppealFilters, 'page' | 'pageSize'>,
  now: number,
  pii: PiiCipher,
): SelectQueryBuilder<Database, 'appeals', O> {
  if (f.view === 'inbox') q = q.where('unit_id', '=', p.unitId);
  if (f.view === 'queue') q = q.where('status', 'in', ['submitted', 'returned']);
  if (f.status && f.status.length > 0) q = q.where('status', 'in', f.status);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  if (f.categoryId) q = q.where('category_id', '=', f.categoryId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.urgency) q = q.where('urgency', '=', f.urgency);
  if (f.overdue !== undefined) q = f.overdue ? q.where(overdueFilter(now)) : q.where((eb) => eb.not(overdueFilter(now)(eb)));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) => eb.or([sql<boolean>`title like ${like} escape '\\'`, sql<boolean>`tracking_code like ${like} escape '\\'`]));
  }
  if (f.phone) q = q.where('citizen_phone_idx', '=', pii.blindIndex(normalizePhone(f.phone)) ?? '-');
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<', f.createdTo);
  return q;
}
