import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  computeDeadlines,
  createWorkCalendar,
  DEFAULT_DEADLINE_POLICY,
  endOfLocalDay,
  extendDeadline,
  localYmd,
  URGENCIES,
  workingDaysBetween,
  type DeadlinePolicy,
  type Urgency,
  type WorkCalendar,
  type Ymd,
} from './index.ts';

const cal = createWorkCalendar();

/** A local (UTC+8) wall-clock time. */
const at = (localIso: string): number => Date.parse(`${localIso}+08:00`);
const endOf = (ymd: Ymd): number => endOfLocalDay(ymd);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('addWorkingDays', () => {
  it('Sep 30 2025 17:00 + 5 working days → end of Oct 14 (Oct 9, 10, 11 make-up Sat, 13, 14)', () => {
    const due = addWorkingDays(at('2025-09-30T17:00'), 5, cal);
    expect(due).toBe(at('2025-10-14T23:59:59.999'));
    expect(localYmd(due)).toBe('2025-10-14');
  });

  it('never counts the submission day, even a working day at 8am', () => {
    expect(addWorkingDays(at('2025-10-14T08:00'), 1, cal)).toBe(endOf('2025-10-15'));
    expect(addWorkingDays(at('2025-10-14T00:00'), 1, cal)).toBe(endOf('2025-10-15'));
  });

  it('submitted on Saturday Oct 11 2025 (a make-up working day)', () => {
    const sat = at('2025-10-11T10:00');
    expect(addWorkingDays(sat, 0, cal)).toBe(endOf('2025-10-11')); // it is a working day
    expect(addWorkingDays(sat, 1, cal)).toBe(endOf('2025-10-13')); // Sun Oct 12 is off
    expect(addWorkingDays(sat, 3, cal)).toBe(endOf('2025-10-15'));
  });

  it('n = 0 on a day off means the end of the next working day', () => {
    expect(addWorkingDays(at('2025-10-12T10:00'), 0, cal)).toBe(endOf('2025-10-13')); // Sunday
    expect(addWorkingDays(at('2025-10-03T10:00'), 0, cal)).toBe(endOf('2025-10-09')); // National Day
    expect(addWorkingDays(at('2025-10-13T23:59:59.999'), 0, cal)).toBe(endOf('2025-10-13'));
  });

  it('uses the local day: 23:30 vs 00:30 local on the same UTC date', () => {
    // Both instants fall on 2025-10-09 in UTC, but on different local days.
    const thuLate = at('2025-10-09T23:30');
    const friEarly = at('2025-10-10T00:30');
    expect(new Date(thuLate).toISOString().slice(0, 10)).toBe(new Date(friEarly).toISOString().slice(0, 10));
    expect(addWorkingDays(thuLate, 1, cal)).toBe(endOf('2025-10-10'));
    expect(addWorkingDays(friEarly, 1, cal)).toBe(endOf('2025-10-11')); // Saturday make-up day
    // Around National Day: 23:30 on Sep 30 is before the holiday, 00:30 on Oct 1 inside it.
    expect(addWorkingDays(at('2025-09-30T23:30'), 0, cal)).toBe(endOf('2025-09-30'));
    expect(addWorkingDays(at('2025-10-01T00:30'), 0, cal)).toBe(endOf('2025-10-09'));
  });

  it('2025 Spring Festival: Jan 28–Feb 4 off, Sun Jan 26 and Sat Feb 8 working', () => {
    expect(addWorkingDays(at('2025-01-25T09:00'), 1, cal)).toBe(endOf('2025-01-26')); // Sat → Sun make-up
    expect(addWorkingDays(at('2025-01-27T10:00'), 1, cal)).toBe(endOf('2025-02-05'));
    expect(addWorkingDays(at('2025-01-27T10:00'), 3, cal)).toBe(endOf('2025-02-07'));
    expect(addWorkingDays(at('2025-01-27T10:00'), 4, cal)).toBe(endOf('2025-02-08')); // Sat make-up
    expect(addWorkingDays(at('2025-01-27T10:00'), 5, cal)).toBe(endOf('2025-02-10'));
  });

  it('2025 Labour Day: May 1–5 off, Sun Apr 27 working', () => {
    expect(addWorkingDays(at('2025-04-26T11:00'), 1, cal)).toBe(endOf('2025-04-27'));
    expect(addWorkingDays(at('2025-04-30T16:00'), 1, cal)).toBe(endOf('2025-05-06'));
    expect(addWorkingDays(at('2025-04-25T16:00'), 3, cal)).toBe(endOf('2025-04-29')); // Apr 27, 28, 29
  });

  it('2026 Spring Festival: Feb 15–23 off, Sat Feb 14 and Sat Feb 28 working', () => {
    // Feb 14 (Sat make-up), 24, 25, 26, 27
    expect(addWorkingDays(at('2026-02-13T15:00'), 5, cal)).toBe(endOf('2026-02-27'));
    expect(addWorkingDays(at('2026-02-13T15:00'), 6, cal)).toBe(endOf('2026-02-28'));
    expect(addWorkingDays(at('2026-02-14T15:00'), 1, cal)).toBe(endOf('2026-02-24'));
  });

  it('2026 National Day: Oct 1–7 off, Sun Sep 20 and Sat Oct 10 working', () => {
    expect(addWorkingDays(at('2026-09-19T10:00'), 1, cal)).toBe(endOf('2026-09-20'));
    // Oct 8, 9, 10 (Sat make-up), 12, 13
    expect(addWorkingDays(at('2026-09-30T17:00'), 5, cal)).toBe(endOf('2026-10-13'));
    // Mid-Autumn Fri Sep 25 – Sun Sep 27
    expect(addWorkingDays(at('2026-09-24T17:00'), 1, cal)).toBe(endOf('2026-09-28'));
  });

  it('falls back to Mon–Fri in years without data, until overrides are entered', () => {
    expect(addWorkingDays(at('2027-09-30T10:00'), 1, cal)).toBe(endOf('2027-10-01'));
    const announced = createWorkCalendar(
      new Map(['2027-10-01', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'].map((d) => [d, false])),
    );
    expect(addWorkingDays(at('2027-09-30T10:00'), 1, announced)).toBe(endOf('2027-10-08'));
  });

  it('follows overrides: a weekday made a holiday, a Saturday made a working day', () => {
    const local = createWorkCalendar(
      new Map<Ymd, boolean>([
        ['2025-10-15', false], // Wednesday off
        ['2025-10-18', true], // Saturday on
      ]),
    );
    // Without overrides: Oct 15, 16, 17, 20
    expect(addWorkingDays(at('2025-10-14T09:00'), 4, cal)).toBe(endOf('2025-10-20'));
    // With: Oct 16, 17, 18, 20
    expect(addWorkingDays(at('2025-10-14T09:00'), 3, local)).toBe(endOf('2025-10-18'));
    expect(addWorkingDays(at('2025-10-14T09:00'), 4, local)).toBe(endOf('2025-10-20'));
    expect(addWorkingDays(at('2025-10-14T09:00'), 1, local)).toBe(endOf('2025-10-16'));
  });

  it('rejects invalid input with RangeError', () => {
    const t = at('2025-10-14T09:00');
    expect(() => addWorkingDays(t, -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(t, 1.5, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(t, Number.NaN, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(Number.NaN, 1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(Number.POSITIVE_INFINITY, 1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(t, 1e9, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(t, -1, cal)).toThrow(/n must be an integer/);
  });

  it('fails clearly on a calendar without working days instead of looping', () => {
    const never: WorkCalendar = { isWorkday: () => false, source: () => 'override' };
    expect(() => addWorkingDays(at('2025-10-14T09:00'), 1, never)).toThrow(RangeError);
  });
});

describe('computeDeadlines', () => {
  it('has a documented, frozen default policy', () => {
    expect(Object.isFrozen(DEFAULT_DEADLINE_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DEADLINE_POLICY.general)).toBe(true);
    expect(DEFAULT_DEADLINE_POLICY.emergency.response).toEqual({ unit: 'calendarMs', amount: 30 * MINUTE });
    expect(DEFAULT_DEADLINE_POLICY.emergency.handle).toEqual({ unit: 'calendarMs', amount: 2 * HOUR });
    expect(DEFAULT_DEADLINE_POLICY.urgent.response).toEqual({ unit: 'calendarMs', amount: 2 * HOUR });
    expect(DEFAULT_DEADLINE_POLICY.urgent.handle).toEqual({ unit: 'calendarMs', amount: 24 * HOUR });
    expect(DEFAULT_DEADLINE_POLICY.general.response).toEqual({ unit: 'workingDays', amount: 1 });
    expect(DEFAULT_DEADLINE_POLICY.general.handle).toEqual({ unit: 'categoryWorkingDays' });
  });

  it('emergency: 30 minutes / 2 hours of calendar time, holidays included', () => {
    const t = at('2025-10-01T23:00'); // National Day, late evening
    expect(computeDeadlines({ createdAt: t, urgency: 'emergency', handleWorkingDays: 5 }, cal)).toEqual({
      responseDueAt: at('2025-10-01T23:30'),
      handleDueAt: at('2025-10-02T01:00'),
    });
  });

  it('urgent: 2 hours / 24 hours of calendar time, holidays included', () => {
    const t = at('2025-10-04T10:15'); // Saturday inside the holiday
    expect(computeDeadlines({ createdAt: t, urgency: 'urgent', handleWorkingDays: 5 }, cal)).toEqual({
      responseDueAt: at('2025-10-04T12:15'),
      handleDueAt: at('2025-10-05T10:15'),
    });
  });

  it('general: respond by the end of 1 working day, handle by the end of N working days', () => {
    const t = at('2025-09-30T17:00');
    expect(computeDeadlines({ createdAt: t, urgency: 'general', handleWorkingDays: 5 }, cal)).toEqual({
      responseDueAt: endOf('2025-10-09'),
      handleDueAt: endOf('2025-10-14'),
    });
    // 咨询 (1 working day): both deadlines coincide.
    expect(computeDeadlines({ createdAt: t, urgency: 'general', handleWorkingDays: 1 }, cal)).toEqual({
      responseDueAt: endOf('2025-10-09'),
      handleDueAt: endOf('2025-10-09'),
    });
  });

  it('never puts the response deadline after the handling deadline', () => {
    // handleWorkingDays 0 on a working day: handled by tonight, so respond by tonight too.
    expect(
      computeDeadlines({ createdAt: at('2025-10-14T09:00'), urgency: 'general', handleWorkingDays: 0 }, cal),
    ).toEqual({ responseDueAt: endOf('2025-10-14'), handleDueAt: endOf('2025-10-14') });
    const slowResponse: DeadlinePolicy = {
      ...DEFAULT_DEADLINE_POLICY,
      urgent: { response: { unit: 'workingDays', amount: 3 }, handle: { unit: 'calendarMs', amount: 24 * HOUR } },
    };
    const t = at('2025-10-14T09:00');
    expect(computeDeadlines({ createdAt: t, urgency: 'urgent', handleWorkingDays: 5 }, cal, slowResponse)).toEqual({
      responseDueAt: t + 24 * HOUR,
      handleDueAt: t + 24 * HOUR,
    });
  });

  it('accepts a custom policy', () => {
    const policy: DeadlinePolicy = {
      ...DEFAULT_DEADLINE_POLICY,
      urgent: { response: { unit: 'calendarMs', amount: HOUR }, handle: { unit: 'workingDays', amount: 1 } },
    };
    const t = at('2025-10-10T16:00');
    expect(computeDeadlines({ createdAt: t, urgency: 'urgent', handleWorkingDays: 7 }, cal, policy)).toEqual({
      responseDueAt: t + HOUR,
      handleDueAt: endOf('2025-10-11'),
    });
  });

  it('rejects invalid input with RangeError', () => {
    const t = at('2025-10-14T09:00');
    expect(() => computeDeadlines({ createdAt: Number.NaN, urgency: 'general', handleWorkingDays: 5 }, cal)).toThrow(
      RangeError,
    );
    expect(() => computeDeadlines({ createdAt: t, urgency: 'general', handleWorkingDays: -1 }, cal)).toThrow(RangeError);
    expect(() => computeDeadlines({ createdAt: t, urgency: 'general', handleWorkingDays: Number.NaN }, cal)).toThrow(
      RangeError,
    );
    expect(() =>
      computeDeadlines({ createdAt: t, urgency: 'critical' as Urgency, handleWorkingDays: 5 }, cal),
    ).toThrow(/unknown urgency/);
    expect(() =>
      computeDeadlines({ createdAt: t, urgency: 'general', handleWorkingDays: 5 }, cal, {
        ...DEFAULT_DEADLINE_POLICY,
        general: { response: { unit: 'calendarMs', amount: -1 }, handle: { unit: 'categoryWorkingDays' } },
      }),
    ).toThrow(RangeError);
  });
});

describe('extendDeadline', () => {
  it('moves to the end of the n-th working day after the due day', () => {
    expect(extendDeadline(endOf('2025-09-30'), 2, cal)).toBe(endOf('2025-10-10'));
    expect(extendDeadline(endOf('2025-10-14'), 3, cal)).toBe(endOf('2025-10-17'));
    // An emergency due mid-afternoon, extended by one working day.
    expect(extendDeadline(at('2025-10-10T15:00'), 1, cal)).toBe(endOf('2025-10-11'));
  });

  it('leaves the deadline unchanged for 0 extra days and rejects bad input', () => {
    const due = at('2025-10-10T15:00');
    expect(extendDeadline(due, 0, cal)).toBe(due);
    expect(() => extendDeadline(due, -2, cal)).toThrow(RangeError);
    expect(() => extendDeadline(Number.NaN, 2, cal)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after the first local day, up to and including the last', () => {
    expect(workingDaysBetween(at('2025-09-30T17:00'), endOf('2025-10-14'), cal)).toBe(5);
    expect(workingDaysBetween(at('2025-09-30T17:00'), at('2025-10-08T12:00'), cal)).toBe(0);
    expect(workingDaysBetween(at('2025-09-30T08:00'), at('2025-09-30T22:00'), cal)).toBe(0);
    expect(workingDaysBetween(at('2025-01-27T10:00'), at('2025-02-08T10:00'), cal)).toBe(4);
    expect(workingDaysBetween(at('2025-09-27T10:00'), at('2025-09-28T10:00'), cal)).toBe(1); // Sun make-up
  });

  it('uses local days at the midnight boundary', () => {
    expect(workingDaysBetween(at('2025-10-09T23:30'), at('2025-10-10T00:30'), cal)).toBe(1);
    expect(workingDaysBetween(at('2025-10-10T00:30'), at('2025-10-10T23:30'), cal)).toBe(0);
  });

  it('is 0 when the end is not after the start, and rejects NaN', () => {
    expect(workingDaysBetween(at('2025-10-14T09:00'), at('2025-10-01T09:00'), cal)).toBe(0);
    expect(() => workingDaysBetween(Number.NaN, at('2025-10-01T09:00'), cal)).toThrow(RangeError);
    expect(() => workingDaysBetween(at('2025-10-01T09:00'), Number.NaN, cal)).toThrow(RangeError);
  });
});

describe('properties', () => {
  // 2003–2028: before, inside and after the official data.
  const instant = fc.integer({ min: Date.parse('2003-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') });
  const urgency = fc.constantFrom<Urgency>(...URGENCIES);
  const workingDays = fc.integer({ min: 0, max: 15 });

  it('deadlines are never earlier than creation, and response <= handle', () => {
    fc.assert(
      fc.property(instant, urgency, workingDays, (createdAt, u, n) => {
        const d = computeDeadlines({ createdAt, urgency: u, handleWorkingDays: n }, cal);
        return d.responseDueAt >= createdAt && d.handleDueAt >= createdAt && d.responseDueAt <= d.handleDueAt;
      }),
      { numRuns: 2000 },
    );
  });

  it('addWorkingDays lands on the end of a working day, n working days later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), (start, n) => {
        const due = addWorkingDays(start, n, cal);
        const day = localYmd(due);
        return (
          due > start &&
          due === endOfLocalDay(day) &&
          cal.isWorkday(day) &&
          workingDaysBetween(start, due, cal) === n &&
          addWorkingDays(start, n + 1, cal) > due
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('extensions never shorten a deadline', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 15 }), (due, n) => extendDeadline(due, n, cal) >= due),
      { numRuns: 1000 },
    );
  });
});
