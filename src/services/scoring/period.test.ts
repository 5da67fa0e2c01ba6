import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { parsePeriod, periodFromAssessment, trailingMonths, yearEarlier } from './period.ts';

const NOW = Date.parse('2026-11-29T15:00:00+08:00');
const at = (s: string) => Date.parse(`${s}T00:00:00+08:00`);

describe('assessment periods (Asia/Shanghai days)', () => {
  it('parses every kind', () => {
    expect(parsePeriod('2026-10', NOW)).toMatchObject({ kind: 'month', label: '2026-10', start: at('2026-10-01'), end: at('2026-11-01'), from: '2026-10-01', to: '2026-10-31' });
    expect(parsePeriod('2026-Q4', NOW)).toMatchObject({ kind: 'quarter', start: at('2026-10-01'), end: at('2027-01-01') });
    expect(parsePeriod('2026-q1', NOW)).toMatchObject({ label: '2026-Q1', start: at('2026-01-01'), end: at('2026-04-01') });
    expect(parsePeriod('2026', NOW)).toMatchObject({ kind: 'year', start: at('2026-01-01'), end: at('2027-01-01') });
    expect(parsePeriod('2026-10-15', NOW)).toMatchObject({ kind: 'day', start: at('2026-10-15'), end: at('2026-10-16') });
    expect(parsePeriod('2026-10-01..2026-10-20', NOW)).toMatchObject({ kind: 'custom', start: at('2026-10-01'), end: at('2026-10-21'), to: '2026-10-20' });
    // ISO weeks: 2026-W01 starts Monday 2025-12-29; 2026 has 53 weeks.
    expect(parsePeriod('2026-W01', NOW)).toMatchObject({ kind: 'week', from: '2025-12-29', to: '2026-01-04' });
    expect(parsePeriod('2026-W53', NOW)).toMatchObject({ from: '2026-12-28', to: '2027-01-03' });
    expect(parsePeriod(undefined, NOW).label).toBe('2026-11');
  });

  it('refuses bad specs with a 400 in Chinese and English', () => {
    for (const bad of ['2026-13', '2026-00', '2026-Q5', '2025-W53', '2026-02-30', '2026-10-20..2026-10-01', '2024-01-01..2026-01-01', 'last month', '1999']) {
      try {
        parsePeriod(bad, NOW);
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(400);
        expect((e as AppError).code).toBe('PERIOD_INVALID');
        expect((e as AppError).messageZh).toMatch(/考评周期/);
      }
    }
  });

  it('gives the 12-month trend window and the same days a year earlier', () => {
    const m = trailingMonths(parsePeriod('2026-10-05..2026-11-03', NOW));
    expect(m.map((x) => x.label)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(yearEarlier(parsePeriod('2024-02', NOW))).toMatchObject({ start: at('2023-02-01'), end: at('2023-03-01') });
    const p = parsePeriod('2026-W43', NOW);
    expect(periodFromAssessment({ kind: p.kind, label: p.label, start: p.start, end: p.end })).toEqual(p);
  });
});
