// Small pieces used wherever appeals are shown: status tags, deadline countdowns, reference maps.
import { useEffect, useMemo, useState } from 'react';
import { Tag } from 'antd';
import { fmtDateTime, fmtDuration } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import { byId, getCategories, getRegions, getUnits } from '../lib/ref.ts';
import type { AppealListItem, AppealStatus, Category, Region, Unit, Urgency } from '../lib/types.ts';
import { useAsync } from '../lib/useAsync.ts';

export const ACTIVE_STATUSES: AppealStatus[] = ['submitted', 'returned', 'dispatched', 'accepted', 'contacted'];
export const HANDLING_STATUSES: AppealStatus[] = ['dispatched', 'accepted', 'contacted'];

const STATUS_COLOR: Record<AppealStatus, string> = {
  submitted: 'magenta',
  returned: 'volcano',
  dispatched: 'orange',
  accepted: 'gold',
  contacted: 'cyan',
  replied: 'blue',
  closed: 'green',
  merged: 'default',
  redirected: 'purple',
  unreasonable: 'default',
};

export function StatusTag({ status }: { status: AppealStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} className="status-tag" variant="outlined">
      {t(`status.${status}`)}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useI18n();
  if (urgency === 'general') return null;
  return (
    <Tag color={urgency === 'emergency' ? 'red' : 'orange'} variant="solid">
      {t(`urgency.${urgency}`)}
    </Tag>
  );
}

/** A clock that ticks once a minute, for countdowns. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** The deadline that matters now: the response deadline before the first contact, else the handling deadline. */
export function DueCell({ item, now }: { item: Pick<AppealListItem, 'status' | 'handleDueAt' | 'responseDueAt' | 'overdue' | 'responseOverdue'>; now: number }) {
  const { t, lang } = useI18n();
  if (!ACTIVE_STATUSES.includes(item.status)) return <span className="muted">—</span>;
  const due = Date.parse(item.handleDueAt);
  const left = due - now;
  const late = item.overdue || left < 0;
  const cls = late ? 'due due-late' : left < 24 * 3600_000 ? 'due due-soon' : 'due';
  return (
    <span className={cls} title={`${t('appeal.handleDue')} ${fmtDateTime(item.handleDueAt)}`} data-overdue={late ? '1' : '0'}>
      {late ? t('due.over', { d: fmtDuration(Math.abs(left), lang) }) : t('due.left', { d: fmtDuration(left, lang) })}
    </span>
  );
}

export interface RefMaps {
  categories: Category[];
  units: Unit[];
  regions: Region[];
  category: Map<string, Category>;
  unit: Map<string, Unit>;
  region: Map<string, Region>;
  loaded: boolean;
}

/** Categories, regions and (for staff) units as lookup maps. */
export function useRefMaps(withUnits = true): RefMaps {
  const cats = useAsync(() => getCategories(), []);
  const regs = useAsync(() => getRegions(), []);
  const units = useAsync(() => (withUnits ? getUnits() : Promise.resolve([] as Unit[])), [withUnits]);
  return useMemo(
    () => ({
      categories: cats.data ?? [],
      units: units.data ?? [],
      regions: regs.data ?? [],
      category: byId(cats.data),
      unit: byId(units.data),
      region: new Map((regs.data ?? []).map((r) => [r.code, r])),
      loaded: !!cats.data && !!regs.data && !!units.data,
    }),
    [cats.data, regs.data, units.data],
  );
}

export function regionName(ref: RefMaps, code: string): string {
  const r = ref.region.get(code);
  if (!r) return code;
  const parent = r.parentCode ? ref.region.get(r.parentCode) : undefined;
  return parent && parent.level !== 'city' ? `${parent.name} ${r.name}` : r.name;
}

export function categoryName(ref: RefMaps, id: string | null, pick: (zh: string, en: string) => string): string {
  if (!id) return '—';
  const c = ref.category.get(id);
  if (!c) return id;
  const p = c.parentId ? ref.category.get(c.parentId) : undefined;
  return p ? `${pick(p.name, p.nameEn)} / ${pick(c.name, c.nameEn)}` : pick(c.name, c.nameEn);
}

export function unitName(ref: RefMaps, id: string | null | undefined, short = false): string {
  if (!id) return '—';
  const u = ref.unit.get(id);
  return u ? (short ? u.shortName : u.name) : id;
}
