// Assessment periods: day, ISO week, month, quarter, year or a custom range of days, in the
// deployment's calendar (Asia/Shanghai). Every period is a whole number of local days, so the
// per-day statistics (score_stats) answer any of them.
import {
  dayNumberFromYmd,
  isValidYmd,
  localDayNumber,
  weekdayOfDayNumber,
  ymdFromDayNumber,
  DAY_MS,
  LOCAL_UTC_OFFSET_MS,
} from '../../domain/calendar/calendar.ts';
import type { AssessmentPeriod } from '../../domain/metrics/index.ts';
import { AppError } from '../../lib/errors.ts';

export interface ScorePeriod extends AssessmentPeriod {
  /** First local day (inclusive) and last local day (inclusive), as YYYY-MM-DD. */
  from: string;
  to: string;
  /** Local day numbers: [startDay, endDay). */
  startDay: number;
  endDay: number;
}

/** The longest custom range accepted. */
export const MAX_CUSTOM_DAYS = 366;

const dayStart = (day: number) => day * DAY_MS - LOCAL_UTC_OFFSET_MS;

function make(kind: AssessmentPeriod['kind'], label: string, startDay: number, endDay: number): ScorePeriod {
  return {
    kind,
    label,
    start: dayStart(startDay),
    end: dayStart(endDay),
    from: ymdFromDayNumber(startDay),
    to: ymdFromDayNumber(endDay - 1),
    startDay,
    endDay,
  };
}

function invalid(spec: string): AppError {
  return new AppError(
    400,
    'PERIOD_INVALID',
    `考评周期「${spec}」格式不正确(示例:2026-10、2026-Q4、2026、2026-W43、2026-10-15、2026-10-01..2026-10-20)`,
    `Invalid period "${spec}" (examples: 2026-10, 2026-Q4, 2026, 2026-W43, 2026-10-15, 2026-10-01..2026-10-20)`,
    { field: 'period' },
  );
}

const dayOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS;

export function monthPeriod(year: number, month: number): ScorePeriod {
  const label = `${year}-${String(month).padStart(2, '0')}`;
  return make('month', label, dayOf(year, month, 1), month === 12 ? dayOf(year + 1, 1, 1) : dayOf(year, month + 1, 1));
}

/** Monday of ISO week 1 of a year: the week holding 4 January. */
function isoWeek1Monday(year: number): number {
  const jan4 = dayOf(year, 1, 4);
  const wd = (weekdayOfDayNumber(jan4) + 6) % 7; // 0 = Monday
  return jan4 - wd;
}

/** Parses a period spec; `now` gives the default (the current month). */
export function parsePeriod(spec: string | undefined | null, now: number): ScorePeriod {
  if (spec === undefined || spec === null || spec.trim() === '') {
    const ymd = ymdFromDayNumber(localDayNumber(now));
    return monthPeriod(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)));
  }
  const s = spec.trim();
  const yearOk = (y: number) => y >= 2000 && y <= 2099;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (!yearOk(y) || mo < 1 || mo > 12) throw invalid(spec);
    return monthPeriod(y, mo);
  }
  if ((m = /^(\d{4})-Q([1-4])$/i.exec(s))) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    if (!yearOk(y)) throw invalid(spec);
    return make('quarter', `${y}-Q${q}`, dayOf(y, 3 * q - 2, 1), q === 4 ? dayOf(y + 1, 1, 1) : dayOf(y, 3 * q + 1, 1));
  }
  if ((m = /^(\d{4})$/.exec(s))) {
    const y = Number(m[1]);
    if (!yearOk(y)) throw invalid(spec);
    return make('year', String(y), dayOf(y, 1, 1), dayOf(y + 1, 1, 1));
  }
  if ((m = /^(\d{4})-W(\d{2})$/i.exec(s))) {
    const y = Number(m[1]);
    const w = Number(m[2]);
    if (!yearOk(y) || w < 1) throw invalid(spec);
    const weeks = (isoWeek1Monday(y + 1) - isoWeek1Monday(y)) / 7;
    if (w > weeks) throw invalid(spec);
    const start = isoWeek1Monday(y) + 7 * (w - 1);
    return make('week', `${y}-W${String(w).padStart(2, '0')}`, start, start + 7);
  }
  if (isValidYmd(s)) {
    const d = dayNumberFromYmd(s);
    if (!yearOk(Number(s.slice(0, 4)))) throw invalid(spec);
    return make('day', s, d, d + 1);
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s))) {
    const [a, b] = [m[1]!, m[2]!];
    if (!isValidYmd(a) || !isValidYmd(b) || !yearOk(Number(a.slice(0, 4))) || !yearOk(Number(b.slice(0, 4)))) throw invalid(spec);
    const from = dayNumberFromYmd(a);
    const to = dayNumberFromYmd(b);
    if (to < from || to - from + 1 > MAX_CUSTOM_DAYS) throw invalid(spec);
    return make('custom', `${a}..${b}`, from, to + 1);
  }
  throw invalid(spec);
}

/** The 12 months ending with the month that holds the period's last day, oldest first. */
export function trailingMonths(p: ScorePeriod, count = 12): ScorePeriod[] {
  const last = ymdFromDayNumber(p.endDay - 1);
  let y = Number(last.slice(0, 4));
  let mo = Number(last.slice(5, 7));
  const out: ScorePeriod[] = [];
  for (let i = 0; i < count; i++) {
    out.push(monthPeriod(y, mo));
    mo -= 1;
    if (mo === 0) {
      mo = 12;
      y -= 1;
    }
  }
  return out.reverse();
}

/** The same days a year earlier (29 February maps to 28 February). */
export function yearEarlier(p: ScorePeriod): { startDay: number; endDay: number; start: number; end: number } {
  const shift = (day: number) => {
    const ymd = ymdFromDayNumber(day);
    const y = Number(ymd.slice(0, 4)) - 1;
    const mo = Number(ymd.slice(5, 7));
    let d = Number(ymd.slice(8, 10));
    if (mo === 2 && d === 29) d = 28;
    return dayOf(y, mo, d);
  };
  const startDay = shift(p.startDay);
  const endDay = shift(p.endDay - 1) + 1;
  return { startDay, endDay, start: dayStart(startDay), end: dayStart(endDay) };
}

/** The calendar month label (YYYY-MM) of an instant. */
export function monthLabelOf(ms: number): string {
  return ymdFromDayNumber(localDayNumber(ms)).slice(0, 7);
}

/** The domain's AssessmentPeriod (what a snapshot stores) of a ScorePeriod. */
export function assessmentPeriodOf(p: ScorePeriod): AssessmentPeriod {
  return { kind: p.kind, label: p.label, start: p.start, end: p.end };
}

/** The ScorePeriod of a stored AssessmentPeriod (a snapshot's), from its bounds. */
export function periodFromAssessment(a: AssessmentPeriod): ScorePeriod {
  const startDay = localDayNumber(a.start);
  const endDay = localDayNumber(a.end);
  return { ...make(a.kind, a.label, startDay, endDay), start: a.start, end: a.end };
}
