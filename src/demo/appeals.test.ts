import { describe, expect, it } from 'vitest';
import type { Command } from '../domain/appeal/events.ts';
import { execute } from '../domain/appeal/machine.ts';
import type { Actor, AppealState } from '../domain/appeal/types.ts';
import { DomainError } from '../lib/errors.ts';
import type { AppealPlan, DemoStep } from './appeals.ts';
import { demoAppealKey, generateAppealPlans, unitQualities, weekendDeadlines } from './appeals.ts';
import { demoCategories, dispatchCatalogue } from './categories.ts';
import { generateCity } from './city.ts';

const NOW = Date.UTC(2026, 10, 29, 6, 0, 0); // 2026-11-29 14:00 in Shanghai
const city = generateCity(1);
const categories = demoCategories();
const catalogue = dispatchCatalogue(city, categories);
const catById = new Map(categories.map((c) => [c.id, c]));

function plans(count: number, seed: number, now = NOW): AppealPlan[] {
  return [...generateAppealPlans(city, categories, catalogue, { count, seed, now })];
}

/** What the seeder does: fill the deadlines the plan leaves out, then run the machine. */
function toCommand(plan: AppealPlan, step: DemoStep, state: AppealState | null): Command {
  const c = step.command;
  const days = catById.get(plan.categoryId)!.handleWorkingDays;
  switch (c.action) {
    case 'submit':
    case 'reopen': {
      const d = weekendDeadlines.compute({ createdAt: step.at, urgency: plan.urgency, handleWorkingDays: days });
      return { action: c.action, payload: { ...c.payload, ...d } } as Command;
    }
    case 'decide_extension':
      return {
        action: 'decide_extension',
        payload: c.payload.approved
          ? { ...c.payload, handleDueAt: weekendDeadlines.extend(state!.handleDueAt, state!.pendingExtensionDays!) }
          : c.payload,
      };
    default:
      return c;
  }
}

function actorOf(step: DemoStep): Actor {
  if (step.role === 'citizen') return { kind: 'citizen', id: null };
  if (step.role === 'system') return { kind: 'system', id: null };
  return { kind: 'staff', id: `${step.role}@${step.actorUnitId}` };
}

function replayPlan(plan: AppealPlan): AppealState {
  let state: AppealState | null = null;
  for (const step of plan.steps) {
    const cmd = toCommand(plan, step, state);
    if (cmd.action === 'mark_overdue') {
      // The plan's overdue marks agree with the deadlines the seeder computes.
      const due = cmd.payload.kind === 'response' ? state!.responseDueAt : state!.handleDueAt;
      expect(cmd.payload.dueAt).toBe(due);
      expect(step.at).toBeGreaterThanOrEqual(due);
    }
    state = execute(state, cmd, { appealId: demoAppealKey(plan.index), at: step.at, actor: actorOf(step) }).state;
  }
  return state!;
}

describe('generateAppealPlans', () => {
  const sample = plans(2000, 11);

  it('produces plans the state machine accepts, in time order, never after now', () => {
    const errors: string[] = [];
    for (const p of sample) {
      expect(p.steps.length).toBeGreaterThan(0);
      expect(p.steps[0]!.command.action).toBe('submit');
      expect(p.steps[0]!.at).toBe(p.createdAt);
      for (let i = 1; i < p.steps.length; i++) expect(p.steps[i]!.at).toBeGreaterThanOrEqual(p.steps[i - 1]!.at);
      for (const s of p.steps) {
        expect(s.at).toBeLessThanOrEqual(NOW);
        expect(Number.isInteger(s.at)).toBe(true);
      }
      try {
        const state = replayPlan(p);
        expect(state.unitId).toBe(p.unitId);
      } catch (e) {
        if (e instanceof DomainError) errors.push(`#${p.index} ${e.code}: ${e.messageEn}`);
        else throw e;
      }
    }
    expect(errors).toEqual([]);
  });

  it('spreads creation over the period in order, with a weekly and daily rhythm', () => {
    const start = NOW - 366 * 86_400_000;
    for (let i = 1; i < sample.length; i++) expect(sample[i]!.createdAt).toBeGreaterThanOrEqual(sample[i - 1]!.createdAt);
    expect(sample[0]!.createdAt).toBeGreaterThanOrEqual(start);
    const local = (t: number) => new Date(t + 8 * 3_600_000);
    const weekend = sample.filter((p) => [0, 6].includes(local(p.createdAt).getUTCDay())).length / sample.length;
    const night = sample.filter((p) => local(p.createdAt).getUTCHours() < 6).length / sample.length;
    expect(weekend).toBeLessThan(2 / 7);
    expect(night).toBeLessThan(0.06);
    // Growth: the last quarter holds more appeals than the first.
    const q = (NOW - start) / 4;
    const first = sample.filter((p) => p.createdAt < start + q).length;
    const last = sample.filter((p) => p.createdAt >= NOW - q).length;
    expect(last).toBeGreaterThan(first);
  });

  it('covers the realistic paths', () => {
    const has = (p: AppealPlan, a: string) => p.steps.some((s) => s.command.action === a);
    const share = (f: (p: AppealPlan) => boolean) => sample.filter(f).length / sample.length;
    const stats = {
      returned: share((p) => has(p, 'return')),
      transferred: share((p) => has(p, 'transfer')),
      extension: share((p) => has(p, 'request_extension')),
      overdue: share((p) => has(p, 'mark_overdue')),
      reopened: share((p) => has(p, 'reopen')),
      redirected: share((p) => has(p, 'redirect')),
      unreasonable: share((p) => has(p, 'flag_unreasonable')),
      merged: share((p) => has(p, 'merge')),
      ratingAppeal: share((p) => has(p, 'appeal_rating')),
      leader: share((p) => p.steps.some((s) => s.role === 'leader')),
      open: share((p) => !['rate', 'close', 'merge', 'redirect', 'decide_unreasonable', 'decide_rating_appeal'].includes(p.steps.at(-1)!.command.action)),
    };
    const rated = sample.flatMap((p) => p.steps.filter((s) => s.command.action === 'rate'));
    const web = rated.filter((s) => s.command.action === 'rate' && s.command.payload.channel === 'web').length;
    console.log('path shares', JSON.stringify(stats), 'rated', rated.length, 'web share of rated', (web / rated.length).toFixed(2));
    for (const v of Object.values(stats)) expect(v).toBeGreaterThan(0);
    expect(stats.open).toBeLessThan(0.1);
    expect(web / rated.length).toBeGreaterThan(0.65);
    expect(web / rated.length).toBeLessThan(0.85);
    // Every callback rating comes from a dispatcher after a scheduled callback.
    for (const p of sample) {
      for (const s of p.steps) {
        if (s.command.action === 'rate' && s.command.payload.channel === 'callback') {
          expect(s.role).toBe('dispatcher');
          expect(has(p, 'schedule_callback')).toBe(true);
        }
      }
    }
    // Merges point at earlier plans.
    for (const p of sample.filter((x) => x.mergedIntoIndex !== null)) expect(p.mergedIntoIndex!).toBeLessThan(p.index);
  });

  it('rates units differently, following their latent quality', () => {
    const q = unitQualities(city);
    const byUnit = new Map<string, number[]>();
    for (const p of plans(20_000, 5)) {
      for (const s of p.steps) {
        if (s.command.action !== 'rate' || !p.unitId) continue;
        const list = byUnit.get(p.unitId) ?? [];
        list.push(s.command.payload.level);
        byUnit.set(p.unitId, list);
      }
    }
    const means = [...byUnit].filter(([, l]) => l.length >= 40).map(([id, l]) => ({ id, q: q.get(id)!, mean: l.reduce((a, b) => a + b, 0) / l.length }));
    expect(means.length).toBeGreaterThan(20);
    const sorted = means.map((m) => m.mean).sort((a, b) => a - b);
    expect(sorted.at(-1)! - sorted[0]!).toBeGreaterThan(0.8);
    // Correlation between latent quality and mean rating is clearly positive.
    const mq = means.reduce((s, m) => s + m.q, 0) / means.length;
    const mm = means.reduce((s, m) => s + m.mean, 0) / means.length;
    let cov = 0;
    let vq = 0;
    let vm = 0;
    for (const m of means) {
      cov += (m.q - mq) * (m.mean - mm);
      vq += (m.q - mq) ** 2;
      vm += (m.mean - mm) ** 2;
    }
    expect(cov / Math.sqrt(vq * vm)).toBeGreaterThan(0.5);
    const all = [...byUnit.values()].flat();
    const dist = [1, 2, 3, 4, 5].map((l) => (all.filter((x) => x === l).length / all.length).toFixed(2));
    console.log('rating distribution 1..5', dist.join(' '));
  });

  it('leaves recent appeals open when their next steps lie in the future', () => {
    const recent = sample.slice(-100);
    const open = recent.filter((p) => ['submit', 'dispatch', 'accept', 'contact', 'reply', 'mark_overdue', 'supervise', 'schedule_callback', 'transfer', 'request_extension', 'decide_extension', 'reopen'].includes(p.steps.at(-1)!.command.action));
    expect(open.length).toBeGreaterThan(10);
  });
});

describe('determinism and throughput', () => {
  it('gives the same first 100 plans for the same seed, different ones for another seed', () => {
    const a = plans(100, 3);
    const b = [...generateAppealPlans(generateCity(1), demoCategories(), dispatchCatalogue(generateCity(1), demoCategories()), { count: 100, seed: 3, now: NOW })];
    expect(b).toEqual(a);
    const c = plans(100, 4);
    expect(c.map((p) => p.body)).not.toEqual(a.map((p) => p.body));
    expect(c.map((p) => p.createdAt)).not.toEqual(a.map((p) => p.createdAt));
  });

  it('streams fast enough for a million appeals (prints plans/s)', () => {
    const n = 50_000;
    const t0 = performance.now();
    let steps = 0;
    for (const p of generateAppealPlans(city, categories, catalogue, { count: n, seed: 99, now: NOW })) steps += p.steps.length;
    const ms = performance.now() - t0;
    console.log(`demo plans: ${n} in ${ms.toFixed(0)} ms = ${Math.round((n / ms) * 1000)} plans/s (${(steps / n).toFixed(1)} steps/plan)`);
    expect(steps).toBeGreaterThan(n);
  });
});
