// Working-day calendar for Asia/Shanghai (UTC+8, no DST).
// Pure: no I/O, no clock reads; all instants are epoch milliseconds.

// The package's pre-built data file, not its functions: chinese-days builds its
// tables at runtime with local-time Date getters, so in a process whose TZ is
// west of UTC (e.g. a CI box in America/*) every date shifts by one day. The
// JSON was generated at build time and is identical to the runtime tables in
// UTC/UTC+8 (checked in calendar.test.ts). The version is pinned in package.json.
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** A local (Asia/Shanghai) calendar day, 'YYYY-MM-DD'. */
export type Ymd = string;

export type WorkdaySource = 'override' | 'official' | 'weekend-rule';

export interface WorkCalendar {
  isWorkday(ymd: Ymd): boolean;
  /**
   * Where the answer comes from: an admin override; the official data (any day of
   * a year chinese-days covers, see officialDataYears); or the Mon–Fri fallback.
   */
  source(ymd: Ymd): WorkdaySource;
}

export const DAY_MS = 86_400_000;
/** Fixed offset of the deployment's time zone, Asia/Shanghai (no DST since 1991). */
export const LOCAL_UTC_OFFSET_MS = 8 * 3_600_000;

// Four-digit years only, so Ymd strings stay fixed-width and sortable.
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface ChineseDaysData {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
  readonly inLieuDays: Readonly<Record<string, string>>;
}

const DATA = chineseDaysData as ChineseDaysData;
/** Days off by State Council notice (statutory holidays and 调休 rest days). */
const OFFICIAL_HOLIDAYS: ReadonlySet<Ymd> = new Set(Object.keys(DATA.holidays));
/** Weekend days that are working days by notice (调休 make-up days, 补班). */
const OFFICIAL_WORKDAYS: ReadonlySet<Ymd> = new Set(Object.keys(DATA.workdays));
// Every published arrangement includes at least New Year's Day, so a year with
// no official holiday is a year the data does not cover.
const OFFICIAL_YEARS: readonly number[] = Object.freeze(
  [...new Set([...OFFICIAL_HOLIDAYS].map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b),
);
const OFFICIAL_YEAR_SET: ReadonlySet<number> = new Set(OFFICIAL_YEARS);

/**
 * Years for which chinese-days has the State Council holiday arrangement
 * (2004–2026 in chinese-days 1.5.7). Days in other years fall back to the
 * Mon–Fri rule; admins must enter overrides for them once a notice is published.
 */
export function officialDataYears(): number[] {
  return [...OFFICIAL_YEARS];
}

export function hasOfficialData(year: number): boolean {
  return OFFICIAL_YEAR_SET.has(year);
}

// ---- day arithmetic (day number = days since 1970-01-01 in local time) ----

function ymdError(ymd: unknown): RangeError {
  return new RangeError(
    `invalid date ${JSON.stringify(ymd)}: expected 'YYYY-MM-DD' (a real calendar day, years ${MIN_YEAR}–${MAX_YEAR})`,
  );
}

export function isValidYmd(ymd: unknown): ymd is Ymd {
  if (typeof ymd !== 'string') return false;
  const m = YMD_RE.exec(ymd);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < MIN_YEAR || mo < 1 || mo > 12 || d < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Local day number (days since 1970-01-01, Asia/Shanghai) of an instant. */
export function localDayNumber(ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`invalid timestamp ${String(ms)}: expected finite epoch milliseconds`);
  }
  return Math.floor((ms + LOCAL_UTC_OFFSET_MS) / DAY_MS);
}

export function dayNumberFromYmd(ymd: Ymd): number {
  if (!isValidYmd(ymd)) throw ymdError(ymd);
  return Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)) - 1, Number(ymd.slice(8, 10))) / DAY_MS;
}

// Deadline loops convert the same few thousand days over and over (millions of
// appeals during seeding); memoise the formatting. Bounded to stay small.
const ymdByDay = new Map<number, Ymd>();
const YMD_CACHE_LIMIT = 100_000;

export function ymdFromDayNumber(day: number): Ymd {
  const hit = ymdByDay.get(day);
  if (hit !== undefined) return hit;
  if (!Number.isSafeInteger(day)) throw new RangeError(`invalid day number ${String(day)}`);
  const date = new Date(day * DAY_MS);
  const y = date.getUTCFullYear();
  if (!(y >= MIN_YEAR && y <= MAX_YEAR)) {
    throw new RangeError(`day number ${day} is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  const ymd =
    String(y) +
    '-' +
    String(date.getUTCMonth() + 1).padStart(2, '0') +
    '-' +
    String(date.getUTCDate()).padStart(2, '0');
  if (ymdByDay.size >= YMD_CACHE_LIMIT) ymdByDay.clear();
  ymdByDay.set(day, ymd);
  return ymd;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((day + 4) % 7) + 7) % 7;
}

/** The local (Asia/Shanghai) calendar day of an instant. */
export function localYmd(ms: number): Ymd {
  return ymdFromDayNumber(localDayNumber(ms));
}

/** First millisecond of the local day. */
export function startOfLocalDay(ymd: Ymd): number {
  return dayNumberFromYmd(ymd) * DAY_MS - LOCAL_UTC_OFFSET_MS;
}

/** Last millisecond (23:59:59.999 local) of the local day. */
export function endOfLocalDay(ymd: Ymd): number {
  return startOfLocalDay(ymd) + DAY_MS - 1;
}

export function addDaysYmd(ymd: Ymd, n: number): Ymd {
  if (!Number.isSafeInteger(n)) throw new RangeError(`invalid day count ${String(n)}: expected an integer`);
  return ymdFromDayNumber(dayNumberFromYmd(ymd) + n);
}

// ---- the calendar ----

/**
 * Admin overrides win; otherwise the official arrangement (holidays and 调休
 * make-up days) from chinese-days; otherwise Mon–Fri. Answers are cached per
 * day: the calendar is immutable, so rebuild it when overrides change.
 */
export function createWorkCalendar(overrides?: ReadonlyMap<Ymd, boolean>): WorkCalendar {
  // Copy so that later changes to the caller's map cannot disagree with the cache.
  const table = new Map<Ymd, boolean>();
  for (const [ymd, work] of overrides ?? []) {
    if (!isValidYmd(ymd)) throw ymdError(ymd);
    if (typeof work !== 'boolean') {
      throw new RangeError(`override for ${ymd} must be true (working day) or false (day off)`);
    }
    table.set(ymd, work);
  }
  const cache = new Map<Ymd, boolean>();

  function compute(ymd: Ymd): boolean {
    const override = table.get(ymd);
    if (override !== undefined) return override;
    if (OFFICIAL_WORKDAYS.has(ymd)) return true;
    if (OFFICIAL_HOLIDAYS.has(ymd)) return false;
    const weekday = weekdayOfDayNumber(dayNumberFromYmd(ymd));
    return weekday >= 1 && weekday <= 5;
  }

  return {
    isWorkday(ymd: Ymd): boolean {
      const hit = cache.get(ymd);
      if (hit !== undefined) return hit;
      if (!isValidYmd(ymd)) throw ymdError(ymd);
      const work = compute(ymd);
      cache.set(ymd, work);
      return work;
    },
    source(ymd: Ymd): WorkdaySource {
      if (!isValidYmd(ymd)) throw ymdError(ymd);
      if (table.has(ymd)) return 'override';
      if (OFFICIAL_WORKDAYS.has(ymd) || OFFICIAL_HOLIDAYS.has(ymd)) return 'official';
      return hasOfficialData(Number(ymd.slice(0, 4))) ? 'official' : 'weekend-rule';
    },
  };
}
