// The period rule and the fact derivation, on histories produced by the real state machine; and a
// property test: following random histories event by event, as the projector does, gives exactly
// the facts and the column sums of a full replay.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute, replay } from '../../domain/appeal/machine.ts';
import type { AppealEvent, Command } from '../../domain/appeal/events.ts';
import type { AppealState } from '../../domain/appeal/types.ts';
import { canonicalJson, computeUnitFigures, DEFAULT_METRICS_CONFIG } from '../../domain/metrics/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { STAT_COLUMNS } from '../../store/scoring-schema.ts';
import {
  addColumns,
  deriveFact,
  NO_FACT_CHANGE,
  roundStartAfter,
  roundStartFromEvents,
  statColumnsOf,
  zeroColumns,
  type AppealStatics,
  type ScoreFact,
} from './facts.ts';
import { figuresView } from './engine.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-10-30T09:00:00+08:00');
const staff = { kind: 'staff' as const, id: 'u1' };
const statics: AppealStatics = { regionCode: '360602001', intakeUnitId: 'center', intakePath: '/city/center/', citizenKey: 'phone-1', placeKey: 'place-1' };
const paths: Record<string, string> = { 'ps-1': '/city/a/ps-1/', 'ps-2': '/city/a/ps-2/' };

function run(cmds: [number, Command][]): { state: AppealState; events: AppealEvent[] } {
  let state: AppealState | null = null;
  const events: AppealEvent[] = [];
  for (const [at, cmd] of cmds) {
    const r = execute(state, cmd, { appealId: 'a1', at, actor: staff });
    state = r.state;
    events.push(r.event);
  }
  return { state: state!, events };
}

const factOf = ({ state, events }: { state: AppealState; events: AppealEvent[] }) =>
  deriveFact(state, statics, state.unitId ? paths[state.unitId]! : null, roundStartFromEvents(events));

const submit = (at: number): [number, Command] => [
  at,
  { action: 'submit', payload: { type: 'complaint', urgency: 'general', channel: 'web', categoryId: 'noise', responseDueAt: at + DAY, handleDueAt: at + 5 * DAY } },
];

describe('the period rule', () => {
  it('places an open appeal at its submission, held by the intake centre while in triage', () => {
    const f = factOf(run([submit(T0)]));
    expect(f.periodAt).toBe(T0);
    expect(f.unitId).toBe('center');
    expect(f.unitPath).toBe('/city/center/');
    expect(f.categoryId).toBe('noise');
  });

  it('places a closed appeal at the rating of its current round (here in the next month)', () => {
    const h = run([
      submit(T0),
      [T0 + HOUR, { action: 'dispatch', payload: { unitId: 'ps-1' } }],
      [T0 + 2 * HOUR, { action: 'accept', payload: {} }],
      [T0 + 3 * HOUR, { action: 'contact', payload: { method: 'phone' } }],
      [T0 + 3 * DAY, { action: 'reply', payload: { text: '已处理完毕' } }],
      [T0 + 4 * DAY, { action: 'rate', payload: { level: 4, solved: 'partly', contacted: true, channel: 'web', comment: '还行' } }],
    ]);
    const f = factOf(h);
    expect(f.periodAt).toBe(T0 + 4 * DAY); // 2026-11-03: November, although submitted in October
    expect(f.unitId).toBe('ps-1');
    expect(f.respondedOnTime).toBe(true);
    expect(f.closedOnTime).toBe(true);
    expect(f.rating).toMatchObject({ level: 4, solved: 'partly', channel: 'web' });
    expect(f.replyToRatingSeconds).toBe(86_400);
    expect(f.comment).toBe('还行');
  });

  it('after a 重办 the appeal belongs to the reopening until closed again, and the old rating no longer counts', () => {
    const h = run([
      submit(T0),
      [T0 + HOUR, { action: 'dispatch', payload: { unitId: 'ps-1' } }],
      [T0 + 2 * HOUR, { action: 'accept', payload: {} }],
      [T0 + 3 * DAY, { action: 'reply', payload: { text: '已处理完毕' } }],
      [T0 + 4 * DAY, { action: 'rate', payload: { level: 1, solved: 'no', contacted: false, channel: 'web' } }],
      [T0 + 10 * DAY, { action: 'reopen', payload: { reason: '群众不满意', responseDueAt: T0 + 11 * DAY, handleDueAt: T0 + 15 * DAY } }],
    ]);
    const f = factOf(h);
    expect(f.round).toBe(2);
    expect(f.roundStartedAt).toBe(T0 + 10 * DAY);
    expect(f.periodAt).toBe(T0 + 10 * DAY);
    expect(f.rating).toBeNull();
    expect(f.reopened).toBe(1);
    expect(f.respondedOnTime).toBeNull();
  });

  it('places merged / redirected appeals at the merge or redirect, excluded with their reason', () => {
    const merged = factOf(run([submit(T0), [T0 + 5 * HOUR, { action: 'merge', payload: { intoId: 'a0' } }]]));
    expect(merged.periodAt).toBe(T0 + 5 * HOUR);
    expect(statColumnsOf(merged)).toMatchObject({ volume: 1, assessed: 0, excl_merged: 1 });
    const redirected = factOf(run([submit(T0), [T0 + 2 * HOUR, { action: 'redirect', payload: { channel: 'litigation', guidance: '请向法院起诉' } }]]));
    expect(statColumnsOf(redirected)).toMatchObject({ volume: 1, assessed: 0, excl_redirected: 1 });
  });

  it('voids a rating whose 申诉复核 was upheld but keeps the appeal assessed', () => {
    const h = run([
      submit(T0),
      [T0 + HOUR, { action: 'dispatch', payload: { unitId: 'ps-2' } }],
      [T0 + 2 * HOUR, { action: 'accept', payload: {} }],
      [T0 + 3 * HOUR, { action: 'reply', payload: { text: '已处理完毕' } }],
      [T0 + 4 * HOUR, { action: 'rate', payload: { level: 1, solved: 'no', contacted: true, channel: 'web' } }],
      [T0 + 5 * HOUR, { action: 'appeal_rating', payload: { reason: '恶意评价' } }],
      [T0 + 6 * HOUR, { action: 'decide_rating_appeal', payload: { upheld: true } }],
    ]);
    const c = statColumnsOf(factOf(h));
    expect(c).toMatchObject({ volume: 1, assessed: 1, excl_rating: 1, face_1: 0, response_num: 1, response_den: 1 });
  });
});

// ---- property: event-by-event maintenance equals the full replay ----

const UNITS = ['ps-1', 'ps-2'];
function commandFor(action: string, pick: (n: number) => number, at: number): Command | null {
  switch (action) {
    case 'dispatch':
      return { action, payload: { unitId: UNITS[pick(2)]! } };
    case 'accept':
      return { action, payload: {} };
    case 'return':
      return { action, payload: { reason: '非本辖区' } };
    case 'transfer':
      return { action, payload: { unitId: UNITS[pick(2)]!, reason: '转交' } };
    case 'contact':
      return { action, payload: { method: 'phone' } };
    case 'reply':
      return { action, payload: { text: '已答复群众' } };
    case 'request_extension':
      return { action, payload: { days: 3, reason: '情况复杂' } };
    case 'decide_extension':
      return { action, payload: { approved: pick(2) === 1, handleDueAt: at + 9 * DAY } };
    case 'mark_overdue':
      return { action, payload: { kind: pick(2) ? 'response' : 'handle', dueAt: at - HOUR } };
    case 'rate':
      return { action, payload: { level: (1 + pick(5)) as 1, solved: (['yes', 'partly', 'no'] as const)[pick(3)]!, contacted: pick(2) === 1, channel: pick(2) ? 'web' : 'callback' } };
    case 'close':
      return { action, payload: { reason: '回访未接通,办结' } };
    case 'reopen':
      return { action, payload: { reason: '未解决', responseDueAt: at + DAY, handleDueAt: at + 5 * DAY } };
    case 'merge':
      return { action, payload: { intoId: 'other' } };
    case 'redirect':
      return { action, payload: { channel: 'petition', guidance: '请走信访渠道' } };
    case 'flag_unreasonable':
      return { action, payload: { reason: '无理诉求' } };
    case 'decide_unreasonable':
      return { action, payload: { approved: pick(2) === 1 } };
    case 'appeal_rating':
      return { action, payload: { reason: '恶意评价' } };
    case 'supervise':
      return { action, payload: { note: '请加快办理' } };
    case 'schedule_callback':
      return { action, payload: { taskId: `t${at}`, dueAt: at + DAY } };
    case 'decide_rating_appeal':
      return { action, payload: { upheld: pick(2) === 1 } };
    default:
      return null;
  }
}
const ACTIONS = ['dispatch', 'accept', 'return', 'transfer', 'contact', 'reply', 'request_extension', 'decide_extension', 'mark_overdue', 'rate', 'close', 'reopen', 'merge', 'redirect', 'flag_unreasonable', 'decide_unreasonable', 'appeal_rating', 'decide_rating_appeal', 'supervise', 'schedule_callback'];

describe('incremental maintenance equals the full replay (property)', () => {
  it('holds for random histories of many appeals', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(10_000), { minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 12 }), (histories) => {
        const live = zeroColumns();
        const finals: ScoreFact[] = [];
        histories.forEach((choices, n) => {
          const id = `a${n}`;
          let i = 0;
          const pick = (k: number) => (choices[i++ % Math.max(1, choices.length)] ?? 0) % k;
          let at = T0 + n * HOUR;
          let state: AppealState | null = null;
          const events: AppealEvent[] = [];
          let prev: ScoreFact | null = null;
          const step = (cmd: Command) => {
            try {
              const r = execute(state, cmd, { appealId: id, at, actor: staff });
              state = r.state;
              events.push(r.event);
              const roundStart = roundStartAfter(r.event, r.state, prev?.roundStartedAt ?? null)!;
              const fact = deriveFact(r.state, statics, r.state.unitId ? paths[r.state.unitId]! : null, roundStart);
              if (prev && NO_FACT_CHANGE.has(r.event.action)) expect(canonicalJson(fact)).toBe(canonicalJson(prev));
              if (prev) addColumns(live, statColumnsOf(prev), -1);
              addColumns(live, statColumnsOf(fact));
              prev = fact;
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
            }
          };
          step(submit(at)[1]);
          for (let k = 0; k < choices.length; k++) {
            at += (1 + pick(72)) * HOUR;
            const cmd = commandFor(ACTIONS[pick(ACTIONS.length)]!, pick, at);
            if (cmd) step(cmd);
          }
          const full = deriveFact(replay(events), statics, state!.unitId ? paths[state!.unitId]! : null, roundStartFromEvents(events));
          expect(canonicalJson(prev)).toBe(canonicalJson(full));
          finals.push(full);
        });
        const sum = zeroColumns();
        for (const f of finals) addColumns(sum, statColumnsOf(f));
        for (const c of STAT_COLUMNS) expect(live[c]).toBe(sum[c]);
        // The figures read from the summed columns equal the domain's computeUnitFigures over the facts, exactly.
        const { excludedCounts, ...viaColumns } = figuresView('all', sum, DEFAULT_METRICS_CONFIG);
        const { excluded, ...domain } = computeUnitFigures(finals, DEFAULT_METRICS_CONFIG, { keyOf: () => 'all' })[0]!;
        expect(viaColumns).toEqual(domain);
        const byReason = (r: string, scope: string) => excluded.filter((e) => e.reason === r && e.scope === scope).length;
        expect(excludedCounts).toEqual({
          redirected: byReason('redirected', 'appeal'),
          unreasonable: byReason('unreasonable', 'appeal'),
          merged: byReason('merged', 'appeal'),
          'upheld-rating-appeal': byReason('upheld-rating-appeal', 'appeal'),
          ratingVoided: byReason('upheld-rating-appeal', 'rating'),
        });
      }),
      { numRuns: 300 },
    );
  });
});
