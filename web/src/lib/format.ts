// Dates, times and durations in the deployment's time zone (Asia/Shanghai, DESIGN.md).
import type { Lang } from './i18n.tsx';

const TZ = 'Asia/Shanghai';
const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function parts(d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of dtf.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** 2026-03-05 14:07 */
export function fmtDateTime(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '—';
  const p = parts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** 2026-03-05 */
export function fmtDate(v: string | number | null | undefined): string {
  const s = fmtDateTime(v);
  return s === '—' ? s : s.slice(0, 10);
}

/** 03-05 14:07, for dense tables. */
export function fmtShort(v: string | number | null | undefined): string {
  const s = fmtDateTime(v);
  return s === '—' ? s : s.slice(5);
}

/** The calendar day (YYYY-MM-DD) in Shanghai of a moment. */
export function dayKey(v: string | number | Date): string {
  return fmtDate(v instanceof Date ? v.getTime() : v);
}

/** A duration in words: "2天3小时", "45分钟" / "2 d 3 h", "45 min". */
export function fmtDuration(ms: number, lang: Lang): string {
  const m = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (lang === 'zh') {
    if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`;
    if (h > 0) return min > 0 ? `${h}小时${min}分` : `${h}小时`;
    return `${min}分钟`;
  }
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return `${min} min`;
}

export function fmtPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

export function fmtNumber(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The first instant (epoch ms) of a Shanghai calendar day given as YYYY-MM-DD. */
export function shanghaiDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}
