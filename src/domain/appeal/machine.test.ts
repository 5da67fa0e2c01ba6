// Property tests of the state machine: random action sequences keep the invariants, and every
// appeal's state is exactly the replay of its events (thousands of generated histories).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.ts';
import type { Command } from './events.ts';
import { actionsFrom, apply, decide, execute, replay } from './machine.ts';
import type { AppealState, AppealStatus } from './types.ts';

const HOUR = 3600_000;
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const staff = { kind: 'staff' as const, id: 'u1' };

/** A command for `action` built from random choices, valid or not: the machine must judge. */
function commandFor(action: string, pick: (n: number) => number, at: number): Command {
  const units = ['u-a', 'u-b', 'u-c'];
  const text = ['', '已处理', '事发地不属本辖区', '需协调相关部门', '已电话沟通', '  ', '请尽快办理', '已答复群众'][pick(8)]!;
  switch (action) {
    case 'dispatch':
      return { action, payload: { unitId: units[pick(3)]!, ...(pick(2) ? { categoryId: 'c2', deadlines: { responseDueAt: at + HOUR, handleDueAt: at + 50 * HOUR } } : {}) } };
    case 'accept':
      return { action, payload: {} };
    case 'return':
      return { action, payload: { reason: text } };
    case 'transfer':
      return { action, payload: { unitId: units[pick(3)]!, reason: text } };
    case 'contact':
      return { action, payload: { method: 'phone' } };
    case 'reply':
      return { action, payload: { text } };
    case 'request_extension':
      return { action, payload: { days: [0, 1, 3, 16][pick(4)]!, reason: text } };
    case 'decide_extension':
      return { action, payload: { approved: pick(2) === 1, handleDueAt: at + [-HOUR, 100 * HOUR][pick(2)]! } };
    case 'supervise':
      return { action, payload: { note: text } };
    case 'mark_overdue':
      return { action, payload: { kind: pick(2) ? 'response' : 'handle', dueAt: at - HOUR } };
    case 'rate':
      return { action, payload: { level: (1 + pick(5)) as 1, solved: (['yes', 'partly', 'no'] as const)[pick(3)]!, contacted: pick(2) === 1, channel: pick(2) ? 'web' : 'callback' } };
    case 'close':
      return { action, payload: { reason: text } };
    case 'reopen':
      return { action, payload: { reason: text, responseDueAt: at + [-HOUR, 2 * HOUR][pick(2)]!, handleDueAt: at + 100 * HOUR } };
    case 'merge':
      return { action, payload: { intoId: pick(2) ? 'other' : 'self' } };
    case 'redirect':
      return { action, payload: { channel: 'litigation', guidance: text } };
    case 'flag_unreasonable':
      return { action, payload: { reason: text } };
    case 'decide_unreasonable':
      return { action, payload: { approved: pick(2) === 1 } };
    case 'schedule_callback':
      return { action, payload: { taskId: 't', dueAt: at + HOUR } };
    case 'appeal_rating':
      return { action, payload: { reason: text } };
    case 'decide_rating_appeal':
      return { action, payload: { upheld: pick(2) === 1 } };
    default:
      return { action: 'submit', payload: { type: 'complaint', urgency: 'general', channel: 'web', categoryId: 'c1', responseDueAt: at + 24 * HOUR, handleDueAt: at + 5 * 24 * HOUR } };
  }
}

const ALL = ['dispatch', 'accept', 'return', 'transfer', 'contact', 'reply', 'request_extension', 'decide_extension', 'supervise', 'mark_overdue', 'rate', 'close', 'reopen', 'merge', 'redirect', 'flag_unreasonable', 'decide_unreasonable', 'schedule_callback', 'appeal_rating', 'decide_rating_appeal'];

function checkInvariants(s: AppealState): void {
  // No closed appeal without a reply.
  if (s.status === 'closed') expect(s.reply).not.toBeNull();
  if (s.status === 'closed') expect(s.repliedAt).not.toBeNull();
  // Deadlines never earlier than creation.
  expect(s.responseDueAt).toBeGreaterThanOrEqual(s.createdAt);
  expect(s.handleDueAt).toBeGreaterThanOrEqual(s.createdAt);
  // An appeal held by a unit names it; one waiting for dispatch does not.
  if (['dispatched', 'accepted', 'contacted', 'replied'].includes(s.status)) expect(s.unitId).not.toBeNull();
  if (s.status === 'returned') expect(s.unitId).toBeNull();
  if (s.status === 'merged') expect(s.mergedInto).not.toBeNull();
  expect(s.round).toBe(s.reopenCount + 1);
}

describe('appeal state machine', () => {
  it('keeps its invariants and replays exactly over thousands of random histories', () => {
    let histories = 0;
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 48 })), { minLength: 1, maxLength: 40 }), fc.boolean(), (steps, preferLegal) => {
        let at = T0;
        let { state, event } = execute(null, commandFor('submit', () => 0, at), { appealId: 'self', at, actor: { kind: 'citizen', id: null } });
        const events = [event];
        for (const [a, b, dt] of steps) {
          at += dt * HOUR;
          let seed = b;
          const pick = (n: number) => {
            const r = seed % n;
            seed = Math.floor(seed / n) + 7919;
            return r;
          };
          const legal = actionsFrom(state.status);
          const pool = preferLegal && legal.length > 0 ? legal : ALL;
          const action = pool[a % pool.length]!;
          try {
            const r = execute(state, commandFor(action, pick, at), { appealId: 'self', at, actor: staff });
            state = r.state;
            events.push(r.event);
            accepted++;
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            refused++;
          }
          checkInvariants(state);
        }
        // Events are totally ordered: consecutive seq from 1, time never decreasing.
        events.forEach((e, i) => {
          expect(e.seq).toBe(i + 1);
          if (i > 0) expect(e.at).toBeGreaterThanOrEqual(events[i - 1]!.at);
        });
        expect(replay(events)).toEqual(state);
        histories++;
      }),
      { numRuns: 3000, seed: 20261129 },
    );
    expect(histories).toBe(3000);
    console.log(JSON.stringify({ histories, accepted, refused }));
    // Both kinds of outcome were exercised substantially.
    expect(accepted).toBeGreaterThan(4_000);
    expect(refused).toBeGreaterThan(5_000);
  });

  it('reaches every status', () => {
    const seen = new Set<AppealStatus>();
    let at = T0;
    const run = (cmds: Command[]) => {
      let s: AppealState | null = null;
      for (const c of cmds) {
        at += HOUR;
        s = execute(s, c, { appealId: 'x', at, actor: staff }).state;
        seen.add(s.status);
      }
      return s!;
    };
    const submit = commandFor('submit', () => 0, at);
    run([submit, { action: 'dispatch', payload: { unitId: 'u' } }, { action: 'accept', payload: {} }, { action: 'return', payload: { reason: '不属本单位' } }]);
    run([submit, { action: 'dispatch', payload: { unitId: 'u' } }, { action: 'accept', payload: {} }, { action: 'contact', payload: { method: 'phone' } }, { action: 'reply', payload: { text: '已处理' } }, { action: 'rate', payload: { level: 5, solved: 'yes', contacted: true, channel: 'web' } }]);
    run([submit, { action: 'merge', payload: { intoId: 'y' } }]);
    run([submit, { action: 'redirect', payload: { channel: 'petition', guidance: '请到信访局' } }]);
    run([submit, { action: 'dispatch', payload: { unitId: 'u' } }, { action: 'accept', payload: {} }, { action: 'flag_unreasonable', payload: { reason: '无理要求' } }, { action: 'decide_unreasonable', payload: { approved: true } }]);
    expect([...seen].sort()).toEqual(['accepted', 'closed', 'contacted', 'dispatched', 'merged', 'redirected', 'replied', 'returned', 'submitted', 'unreasonable'].sort());
  });

  it('refuses what DESIGN.md forbids', () => {
    const at = T0;
    const s0 = execute(null, commandFor('submit', () => 0, at), { appealId: 'x', at, actor: staff }).state;
    expect(() => decide(s0, { action: 'reply', payload: { text: 'x' } }, { appealId: 'x', at, actor: staff })).toThrow(/not allowed/);
    expect(() => decide(s0, { action: 'rate', payload: { level: 5, solved: 'yes', contacted: true, channel: 'web' } }, { appealId: 'x', at, actor: staff })).toThrow(DomainError);
    const d = apply(s0, decide(s0, { action: 'dispatch', payload: { unitId: 'u' } }, { appealId: 'x', at, actor: staff }));
    expect(() => decide(d, { action: 'return', payload: { reason: '  ' } }, { appealId: 'x', at, actor: staff })).toThrow(/reason is required/);
    expect(() => decide(null, commandFor('submit', () => 0, at), { appealId: 'x', at: at + 10 * 24 * HOUR, actor: staff })).toThrow(/precede/);
  });
});
