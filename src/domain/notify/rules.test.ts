import { describe, expect, it } from 'vitest';
import type { AppealEvent } from '../appeal/events.ts';
import { intentsFor, nextAttemptDelay, type AppealFacts } from './rules.ts';
import { render, unknownVariables } from './templates.ts';

const facts: AppealFacts = {
  id: 'A1',
  trackingCode: 'MB2603-ABCDEF',
  title: '噪音',
  type: 'complaint',
  urgency: 'general',
  status: 'submitted',
  round: 1,
  categoryId: 'order.noise',
  unitId: null,
  intakeUnitId: 'center',
  handleDueAt: 0,
  reachable: true,
};
const ev = (action: string, payload: unknown = {}, at = 1000): AppealEvent => ({ appealId: 'A1', seq: 1, at, actor: { kind: 'citizen', id: null }, action, fromStatus: null, toStatus: 'submitted', payload } as AppealEvent);

describe('who hears what', () => {
  it('submission: the citizen (received) and the intake dispatchers (new)', () => {
    const out = intentsFor(ev('submit'), facts, { level: 'none', reasons: [] }, { rateReminderMs: 1 });
    expect(out.map((i) => [i.template, i.target.kind])).toEqual([['citizen.received', 'citizen'], ['staff.new', 'staff']]);
  });
  it('an anonymous citizen hears nothing', () => {
    expect(intentsFor(ev('submit'), { ...facts, reachable: false }, null, { rateReminderMs: 1 }).every((i) => i.target.kind === 'staff')).toBe(true);
  });
  it('high risk alerts the intake centre and the 政法委 above it', () => {
    const out = intentsFor(ev('submit'), { ...facts, intakeParentId: 'committee' }, { level: 'high', reasons: ['暴力威胁'] }, { rateReminderMs: 1 });
    const risk = out.filter((i) => i.template === 'staff.risk');
    expect(risk.map((i) => (i.target as { unitId: string }).unitId)).toEqual(['center', 'committee']);
    expect(risk[0]!.vars.reason).toBe('暴力威胁');
  });
  it('a reply: replied now, the rating invitation later and only if still unrated', () => {
    const out = intentsFor(ev('reply', { text: 'x' }, 5000), { ...facts, status: 'replied', unitId: 'u' }, null, { rateReminderMs: 100 });
    const invite = out.find((i) => i.template === 'citizen.rate_request')!;
    expect(invite).toMatchObject({ notBefore: 5100, onlyIfStatus: 'replied', onlyIfRound: 1 });
  });
});

describe('backoff and templates', () => {
  it('doubles, capped, with jitter', () => {
    expect(nextAttemptDelay(1, 30_000, 3_600_000, 0.5)).toBe(30_000);
    expect(nextAttemptDelay(3, 30_000, 3_600_000, 0.5)).toBe(120_000);
    expect(nextAttemptDelay(20, 30_000, 3_600_000, 0.5)).toBe(3_600_000);
    expect(nextAttemptDelay(2, 30_000, 3_600_000, 0)).toBe(48_000);
  });
  it('renders declared variables only', () => {
    expect(render('编号{{trackingCode}},{{ unitName }}', { trackingCode: 'X', unitName: '所' })).toBe('编号X,所');
    expect(render('{{missing}}好', {})).toBe('好');
    expect(unknownVariables('citizen.received', '{{trackingCode}} {{oops}}')).toEqual(['oops']);
  });
});
