// Appeal deadlines (DESIGN.md §4). Pure: the creation time and calendar are passed in.
import {
  DAY_MS,
  LOCAL_UTC_OFFSET_MS,
  localDayNumber,
  ymdFromDayNumber,
  type WorkCalendar,
} from './calendar.ts';

export type Urgency = 'emergency' | 'urgent' | 'general';

export const URGENCIES: readonly Urgency[] = Object.freeze(['emergency', 'urgent', 'general'] as const);

/** How far a deadline lies from the appeal's creation. */
export type DeadlineSpan =
  /** Wall-clock time, holidays included: emergencies do not wait for Monday. */
  | { readonly unit: 'calendarMs'; readonly amount: number }
  /** End of the n-th working day after the submission day (see addWorkingDays). */
  | { readonly unit: 'workingDays'; readonly amount: number }
  /** Like workingDays, with n = the appeal's handleWorkingDays (from its category). */
  | { readonly unit: 'categoryWorkingDays' };

export interface UrgencyDeadlines {
  /** First contact with the citizen (响应). */
  readonly response: DeadlineSpan;
  /** Handling finished (办结). */
  readonly handle: DeadlineSpan;
}

export type DeadlinePolicy = Readonly<Record<Urgency, UrgencyDeadlines>>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Default policy:
 * - emergency: respond within 30 minutes, handle within 2 hours (calendar time);
 * - urgent: respond within 2 hours, handle within 24 hours (calendar time);
 * - general: respond by the end of 1 working day, handle by the end of the
 *   category's handleWorkingDays (咨询 1, 求助 3, 投诉/举报/纠纷 5, 建议 7, complex ≤ 15).
 * The response deadline is always capped at the handling deadline.
 */
export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = Object.freeze({
  emergency: Object.freeze({
    response: Object.freeze({ unit: 'calendarMs', amount: 30 * MINUTE_MS }),
    handle: Object.freeze({ unit: 'calendarMs', amount: 2 * HOUR_MS }),
  }),
  urgent: Object.freeze({
    response: Object.freeze({ unit: 'calendarMs', amount: 2 * HOUR_MS }),
    handle: Object.freeze({ unit: 'calendarMs', amount: 24 * HOUR_MS }),
  }),
  general: Object.freeze({
    response: Object.freeze({ unit: 'workingDays', amount: 1 }),
    handle: Object.freeze({ unit: 'categoryWorkingDays' }),
  }),
} as const);

// Guards against runaway loops: no real deadline is 40 years away, and no
// calendar has a year without a working day (unless it is misconfigured).
export const MAX_WORKING_DAYS = 10_000;
const MAX_CONSECUTIVE_DAYS_OFF = 366;

function checkInstant(name: string, ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`${name} must be finite epoch milliseconds, got ${String(ms)}`);
  }
}

function checkWorkingDays(name: string, n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_WORKING_DAYS}, got ${String(n)}`);
  }
}

function endOfDayNumber(day: number): number {
  return (day + 1) * DAY_MS - LOCAL_UTC_OFFSET_MS - 1;
}

function nextWorkday(day: number, cal: WorkCalendar): number {
  for (let i = 1; i <= MAX_CONSECUTIVE_DAYS_OFF; i++) {
    if (cal.isWorkday(ymdFromDayNumber(day + i))) return day + i;
  }
  throw new RangeError(
    `no working day in the ${MAX_CONSECUTIVE_DAYS_OFF} days after ${ymdFromDayNumber(day)}: check the calendar overrides`,
  );
}

/**
 * End (23:59:59.999 local) of the n-th working day AFTER the local day of startMs.
 *
 * The submission day never counts, even on a working day at 8am: 12345 hotline
 * practice counts time limits from the next working day, as statutory periods do
 * (民法典 art. 201: the starting day is not counted), so an appeal received at
 * 17:55 is never due a few hours later, and the rule does not depend on the hour.
 * n = 0 means the end of the same local day if it is a working day, else the end
 * of the next working day.
 */
export function addWorkingDays(startMs: number, n: number, cal: WorkCalendar): number {
  checkInstant('startMs', startMs);
  checkWorkingDays('n', n);
  let day = localDayNumber(startMs);
  if (n === 0) {
    return endOfDayNumber(cal.isWorkday(ymdFromDayNumber(day)) ? day : nextWorkday(day, cal));
  }
  for (let i = 0; i < n; i++) day = nextWorkday(day, cal);
  return endOfDayNumber(day);
}

export interface DeadlineInput {
  /** Creation (受理) time, epoch ms. */
  readonly createdAt: number;
  readonly urgency: Urgency;
  /** Handling time of the appeal's category, in working days (used by 'categoryWorkingDays'). */
  readonly handleWorkingDays: number;
}

export interface Deadlines {
  readonly responseDueAt: number;
  readonly handleDueAt: number;
}

function resolveSpan(span: DeadlineSpan, input: DeadlineInput, cal: WorkCalendar): number {
  switch (span.unit) {
    case 'calendarMs':
      if (typeof span.amount !== 'number' || !Number.isFinite(span.amount) || span.amount < 0) {
        throw new RangeError(`policy calendarMs amount must be a finite number >= 0, got ${String(span.amount)}`);
      }
      return input.createdAt + span.amount;
    case 'workingDays':
      checkWorkingDays('policy workingDays amount', span.amount);
      return addWorkingDays(input.createdAt, span.amount, cal);
    case 'categoryWorkingDays':
      return addWorkingDays(input.createdAt, input.handleWorkingDays, cal);
    default:
      throw new RangeError(`unknown deadline unit ${JSON.stringify((span as { unit: unknown }).unit)}`);
  }
}

export function computeDeadlines(
  input: DeadlineInput,
  cal: WorkCalendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadlines {
  checkInstant('createdAt', input.createdAt);
  // Validated for every urgency: a bad category setting should fail loudly, not only for general appeals.
  checkWorkingDays('handleWorkingDays', input.handleWorkingDays);
  if (!URGENCIES.includes(input.urgency) || !Object.hasOwn(policy, input.urgency)) {
    throw new RangeError(`unknown urgency ${JSON.stringify(input.urgency)}: expected ${URGENCIES.join(' | ')}`);
  }
  const rule = policy[input.urgency];
  const handleDueAt = resolveSpan(rule.handle, input, cal);
  // First contact after the case is finished would be meaningless.
  const responseDueAt = Math.min(resolveSpan(rule.response, input, cal), handleDueAt);
  return { responseDueAt, handleDueAt };
}

/**
 * Deadline after an approved extension (延期): end of the n-th working day after
 * the local day of dueAt. 0 extra days leaves dueAt unchanged.
 */
export function extendDeadline(dueAt: number, extraWorkingDays: number, cal: WorkCalendar): number {
  checkInstant('dueAt', dueAt);
  checkWorkingDays('extraWorkingDays', extraWorkingDays);
  if (extraWorkingDays === 0) return dueAt;
  return addWorkingDays(dueAt, extraWorkingDays, cal);
}

/**
 * Working days strictly after fromMs's local day, up to and including toMs's
 * local day (so workingDaysBetween(t, addWorkingDays(t, n)) === n for n >= 1).
 * 0 when toMs's day is not after fromMs's day.
 */
export function workingDaysBetween(fromMs: number, toMs: number, cal: WorkCalendar): number {
  checkInstant('fromMs', fromMs);
  checkInstant('toMs', toMs);
  const last = localDayNumber(toMs);
  let count = 0;
  for (let day = localDayNumber(fromMs) + 1; day <= last; day++) {
    if (cal.isWorkday(ymdFromDayNumber(day))) count++;
  }
  return count;
}
