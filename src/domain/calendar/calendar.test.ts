import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addDaysYmd,
  createWorkCalendar,
  dayNumberFromYmd,
  endOfLocalDay,
  hasOfficialData,
  isValidYmd,
  localYmd,
  officialDataYears,
  startOfLocalDay,
  weekdayOfDayNumber,
  ymdFromDayNumber,
  type Ymd,
} from './index.ts';

const cal = createWorkCalendar();

/** Every day from `from` to `to` inclusive. */
function days(from: Ymd, to: Ymd): Ymd[] {
  const out: Ymd[] = [];
  for (let d = from; d <= to; d = addDaysYmd(d, 1)) out.push(d);
  return out;
}

function expectOff(from: Ymd, to: Ymd): void {
  for (const d of days(from, to)) expect(cal.isWorkday(d), `${d} should be a day off`).toBe(false);
}

function expectWork(...ymds: Ymd[]): void {
  for (const d of ymds) expect(cal.isWorkday(d), `${d} should be a working day`).toBe(true);
}

describe('local day helpers (Asia/Shanghai, UTC+8)', () => {
  it('maps instants to the local day, not the UTC day', () => {
    // 23:30 local on Sep 30 and 00:30 local on Oct 1 are both on Sep 30 in UTC.
    const lateEvening = Date.parse('2025-09-30T23:30:00+08:00');
    const afterMidnight = Date.parse('2025-10-01T00:30:00+08:00');
    expect(new Date(lateEvening).toISOString().slice(0, 10)).toBe('2025-09-30');
    expect(new Date(afterMidnight).toISOString().slice(0, 10)).toBe('2025-09-30');
    expect(localYmd(lateEvening)).toBe('2025-09-30');
    expect(localYmd(afterMidnight)).toBe('2025-10-01');
  });

  it('computes the first and last millisecond of a local day', () => {
    expect(startOfLocalDay('2025-10-01')).toBe(Date.parse('2025-10-01T00:00:00.000+08:00'));
    expect(endOfLocalDay('2025-10-01')).toBe(Date.parse('2025-10-01T23:59:59.999+08:00'));
    expect(localYmd(startOfLocalDay('2025-10-01'))).toBe('2025-10-01');
    expect(localYmd(endOfLocalDay('2025-10-01'))).toBe('2025-10-01');
    expect(localYmd(endOfLocalDay('2025-10-01') + 1)).toBe('2025-10-02');
    expect(localYmd(startOfLocalDay('2025-10-01') - 1)).toBe('2025-09-30');
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDaysYmd('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysYmd('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDaysYmd('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDaysYmd('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDaysYmd('2025-10-01', 0)).toBe('2025-10-01');
    expect(addDaysYmd('2025-01-01', 365)).toBe('2026-01-01');
  });

  it('round-trips day numbers and knows the weekday', () => {
    expect(dayNumberFromYmd('1970-01-01')).toBe(0);
    expect(ymdFromDayNumber(dayNumberFromYmd('2026-02-14'))).toBe('2026-02-14');
    expect(weekdayOfDayNumber(dayNumberFromYmd('2025-10-11'))).toBe(6); // Saturday
    expect(weekdayOfDayNumber(dayNumberFromYmd('2025-09-28'))).toBe(0); // Sunday
    expect(weekdayOfDayNumber(dayNumberFromYmd('1969-12-31'))).toBe(3); // Wednesday
  });

  it('rejects malformed dates and timestamps with RangeError', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-1', '2025-00-10', '20251001', 'garbage', '']) {
      expect(isValidYmd(bad)).toBe(false);
      expect(() => startOfLocalDay(bad)).toThrow(RangeError);
      expect(() => cal.isWorkday(bad)).toThrow(RangeError);
      expect(() => cal.source(bad)).toThrow(RangeError);
    }
    expect(isValidYmd('2024-02-29')).toBe(true);
    expect(() => localYmd(Number.NaN)).toThrow(RangeError);
    expect(() => localYmd(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => addDaysYmd('2025-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDaysYmd('2025-01-01', Number.NaN)).toThrow(RangeError);
  });
});

describe('official data coverage', () => {
  it('covers 2004–2026 in chinese-days 1.5.7', () => {
    const years = officialDataYears();
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
    expect(years).toEqual(Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i));
    expect(hasOfficialData(2026)).toBe(true);
    expect(hasOfficialData(2027)).toBe(false);
    // A copy: callers cannot corrupt the module's list.
    years.push(1999);
    expect(officialDataYears()).not.toContain(1999);
  });

  it('falls back to Mon–Fri for years without data, without throwing', () => {
    // chinese-days itself returns plain Mon–Fri for 2027 (no error); we label it.
    expect(chineseDays.isWorkday('2027-10-01')).toBe(true);
    expect(cal.isWorkday('2027-01-01')).toBe(true); // Friday; surely a holiday once announced
    expect(cal.source('2027-01-01')).toBe('weekend-rule');
    expect(cal.isWorkday('2027-10-01')).toBe(true);
    expect(cal.isWorkday('2027-10-02')).toBe(false); // Saturday
    expect(cal.isWorkday('2030-02-04')).toBe(true); // Monday
    expect(cal.isWorkday('2003-01-01')).toBe(true); // Wednesday, before the data starts
    expect(cal.source('2003-01-01')).toBe('weekend-rule');
  });

  // chinese-days builds its tables with local-time Date getters, so its own
  // functions are only right when the process TZ is at or east of UTC.
  const libraryReliable = new Date(2025, 0, 1).getTimezoneOffset() <= 0 && new Date(2025, 6, 1).getTimezoneOffset() <= 0;
  it.skipIf(!libraryReliable)('agrees with chinese-days isWorkday on every day 2003–2028', () => {
    let checked = 0;
    for (const d of days('2003-01-01', '2028-12-31')) {
      if (cal.isWorkday(d) !== chineseDays.isWorkday(d)) throw new Error(`disagreement on ${d}`);
      checked++;
    }
    expect(checked).toBe(9497);
  });
});

describe('real holiday arrangements (State Council notices)', () => {
  it('2025 Spring Festival: Jan 28–Feb 4 off; Sun Jan 26 and Sat Feb 8 are make-up working days', () => {
    expectOff('2025-01-28', '2025-02-04');
    expectWork('2025-01-26', '2025-01-27', '2025-02-05', '2025-02-07', '2025-02-08');
    expect(cal.isWorkday('2025-01-25')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2025-02-09')).toBe(false); // ordinary Sunday
    expect(cal.source('2025-01-26')).toBe('official');
  });

  it('2025 Labour Day: May 1–5 off; Sun Apr 27 is a working day', () => {
    expectOff('2025-05-01', '2025-05-05');
    expectWork('2025-04-27', '2025-04-30', '2025-05-06');
    expect(cal.isWorkday('2025-04-26')).toBe(false);
  });

  it('2025 National Day + Mid-Autumn: Oct 1–8 off; Sun Sep 28 and Sat Oct 11 working', () => {
    expectOff('2025-10-01', '2025-10-08');
    expectWork('2025-09-28', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10', '2025-10-11');
    expect(cal.isWorkday('2025-09-27')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2025-10-12')).toBe(false); // ordinary Sunday
    expect(cal.source('2025-10-06')).toBe('official'); // Mid-Autumn day itself
    expect(cal.source('2025-10-09')).toBe('official'); // ordinary weekday in a covered year
  });

  it('2026 New Year: Jan 1–3 off; Sun Jan 4 working', () => {
    expectOff('2026-01-01', '2026-01-03');
    expectWork('2026-01-04', '2026-01-05');
  });

  it('2026 Spring Festival: Feb 15–23 off (9 days); Sat Feb 14 and Sat Feb 28 working', () => {
    expectOff('2026-02-15', '2026-02-23');
    expectWork('2026-02-13', '2026-02-14', '2026-02-24', '2026-02-27', '2026-02-28');
    expect(cal.isWorkday('2026-03-01')).toBe(false); // ordinary Sunday
  });

  it('2026 Labour Day: May 1–5 off; Sat May 9 working', () => {
    expectOff('2026-05-01', '2026-05-05');
    expectWork('2026-04-30', '2026-05-06', '2026-05-09');
  });

  it('2026 Mid-Autumn Sep 25–27 and National Day Oct 1–7 off; Sun Sep 20 and Sat Oct 10 working', () => {
    expectOff('2026-09-25', '2026-09-27');
    expectOff('2026-10-01', '2026-10-07');
    expectWork('2026-09-20', '2026-09-24', '2026-09-28', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10');
    expect(cal.isWorkday('2026-09-19')).toBe(false);
    expect(cal.isWorkday('2026-10-11')).toBe(false);
  });
});

describe('admin overrides', () => {
  const overrides = new Map<Ymd, boolean>([
    ['2025-10-09', false], // Thursday: local typhoon day off
    ['2025-10-18', true], // Saturday: declared a working day
    ['2025-10-01', true], // even official holidays can be overridden
    ['2027-10-01', false], // a year without official data
  ]);
  const withOverrides = createWorkCalendar(overrides);

  it('turns a weekday into a holiday and a Saturday into a working day', () => {
    expect(withOverrides.isWorkday('2025-10-09')).toBe(false);
    expect(withOverrides.isWorkday('2025-10-18')).toBe(true);
    expect(withOverrides.source('2025-10-09')).toBe('override');
    expect(withOverrides.source('2025-10-18')).toBe('override');
  });

  it('wins over the official data and fills uncovered years', () => {
    expect(withOverrides.isWorkday('2025-10-01')).toBe(true);
    expect(withOverrides.isWorkday('2027-10-01')).toBe(false);
    expect(withOverrides.source('2027-10-01')).toBe('override');
    expect(withOverrides.source('2027-10-04')).toBe('weekend-rule');
    // Untouched days still follow the official data.
    expect(withOverrides.isWorkday('2025-10-02')).toBe(false);
    expect(withOverrides.isWorkday('2025-10-11')).toBe(true);
  });

  it('does not change after the caller mutates its map', () => {
    const mine = new Map<Ymd, boolean>([['2025-10-10', false]]);
    const c = createWorkCalendar(mine);
    mine.set('2025-10-10', true);
    mine.set('2025-10-13', false);
    expect(c.isWorkday('2025-10-10')).toBe(false);
    expect(c.isWorkday('2025-10-13')).toBe(true);
  });

  it('rejects malformed override keys and values', () => {
    expect(() => createWorkCalendar(new Map([['2025-10-32', true]]))).toThrow(RangeError);
    expect(() => createWorkCalendar(new Map([['2025/10/09', true]]))).toThrow(RangeError);
    expect(() => createWorkCalendar(new Map([['2025-10-09', 1 as unknown as boolean]]))).toThrow(RangeError);
  });

  it('leaves other calendars alone', () => {
    expect(cal.isWorkday('2025-10-09')).toBe(true);
    expect(cal.source('2025-10-09')).toBe('official');
  });
});
