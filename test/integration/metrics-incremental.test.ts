// Incremental = full recompute, on a generated city: the demo seeder writes a few thousand appeals
// in bulk (the read model is then rebuilt from events), then hundreds of actions go through the real
// services (each maintaining score_facts / score_stats inside its transaction) while the clock moves
// across a month boundary and the scheduler marks overdue appeals. Afterwards every stored fact, every
// per-day statistic, every unit's figures for many periods and every peer-group ranking must equal,
// exactly, what a full recompute from appeal_events gives. A published month must equal the live
// figures at publication and keep verifying after later edits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { canonicalJson, computeUnitFigures, DEFAULT_METRICS_CONFIG, repeatAppealRates } from '../../src/domain/metrics/index.ts';
import { Rng } from '../../src/domain/metrics/prng.ts';
import { DomainError } from '../../src/lib/errors.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { makeStaff, type StaffPrincipal } from '../../src/services/principal.ts';
import type { StaffActionInput } from '../../src/services/appeals/handling.ts';
import { assess, PERIOD_RULE, sourceCountsFor } from '../../src/services/scoring/assessment.ts';
import { figuresView, groupFacts, sumByKey } from '../../src/services/scoring/engine.ts';
import { factRow, factsFromEvents, statKeyOf, statKeyString, statColumnsOf, addColumns, zeroColumns, type ScoreFact } from '../../src/services/scoring/facts.ts';
import { monthLabelOf, parsePeriod, type ScorePeriod } from '../../src/services/scoring/period.ts';
import { rebuildScoreFacts } from '../../src/services/scoring/projector.ts';
import { scoringRepo } from '../../src/store/repositories/scoring.ts';
import { STAT_COLUMNS } from '../../src/store/scoring-schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { FUNCTIONAL_ENV } from '../support/harness.ts';

const HOUR = 3600_000;
let db: TestDatabase;
let s: Services;
const clock = { now: Date.parse('2026-11-24T09:00:00+08:00') };
const done: Record<string, number> = {};

async function replayAll(): Promise<ScoreFact[]> {
  const unitPaths = new Map((await s.org.all()).map((u) => [u.id, u.path] as const));
  const out: ScoreFact[] = [];
  for await (const batch of factsFromEvents(s.ctx.db, { unitPaths })) out.push(...batch);
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase(FUNCTIONAL_ENV);
  s = await createServices(db.config, { now: () => clock.now });
  await seedDemo(s, { appeals: 2500, seed: 20261124, months: 4 });

  const units = await s.org.all();
  const root = units.find((u) => u.parentId === null)!;
  const center = units.find((u) => u.type === 'center' && u.parentId === root.id)!;
  const staff = (unitId: string, role: 'handler' | 'dispatcher' | 'leader'): StaffPrincipal => {
    const u = units.find((x) => x.id === unitId)!;
    const scope = role === 'handler' ? u : root;
    return makeStaff({ userId: `staff-${unitId}`, username: `staff.${unitId}`, displayName: unitId, unitId, roles: [role], scopePath: scope.path, scopeRootId: scope.id, sessionId: null, ip: '10.9.8.7' });
  };
  const dispatcher = staff(center.id, 'dispatcher');
  const leader = staff(root.id, 'leader');
  const handlerUnits = units.filter((u) => u.type === 'police_station' || u.type === 'justice_office' || u.type === 'tribunal');
  const rng = new Rng(424242);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const samples = await s.ctx.db.selectFrom('appeals').select(['category_id', 'region_code', 'type']).where('category_id', 'is not', null).limit(200).execute();
  const act = async (p: StaffPrincipal, id: string, input: StaffActionInput) => {
    try {
      await s.handling.act(p, id, input);
      done[input.action] = (done[input.action] ?? 0) + 1;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  };
  const scheduler = new Scheduler(s);

  for (let step = 0; step < 420; step++) {
    clock.now += Math.floor(rng.next() * 3 * HOUR); // crosses into December on the way
    if (step % 60 === 0) await scheduler.tick();
    const r = rng.next();
    if (r < 0.12) {
      const x = pick(samples);
      await s.intake.submit({ kind: 'citizen', ip: '10.1.2.3' }, { type: x.type as 'complaint', categoryId: x.category_id, title: '新的诉求:楼下商铺噪音', body: '楼下商铺每天晚上营业到很晚,音响声音很大,影响休息,请处理。', regionCode: x.region_code, anonymous: false, citizenName: '李四', phone: `139${String(10_000_000 + step).slice(0, 8)}` });
      done.submit = (done.submit ?? 0) + 1;
      continue;
    }
    const statusWeights: [string, number][] = [['submitted', 1], ['returned', 0.3], ['dispatched', 1], ['accepted', 1], ['contacted', 1], ['replied', 1.2], ['closed', 1]];
    let t = rng.next() * statusWeights.reduce((a, [, w]) => a + w, 0);
    let status = 'closed';
    for (const [st, w] of statusWeights) if ((t -= w) < 0) { status = st; break; }
    const rows = await s.ctx.db.selectFrom('appeals').select(['id', 'unit_id', 'last_rating_level', 'last_rating', 'pending_extension_days', 'rating_appeal', 'round']).where('status', '=', status).orderBy('id').limit(50).offset(Math.floor(rng.next() * 20)).execute();
    if (rows.length === 0) continue;
    const a = pick(rows);
    const h = a.unit_id ? staff(a.unit_id, 'handler') : dispatcher;
    switch (status) {
      case 'submitted':
      case 'returned': {
        const q = rng.next();
        if (q < 0.75) await act(dispatcher, a.id, { action: 'dispatch', unitId: pick(handlerUnits).id });
        else if (q < 0.88) await act(dispatcher, a.id, { action: 'redirect', channel: 'petition', guidance: '请通过信访渠道反映' });
        else {
          const other = pick(rows.filter((x) => x.id !== a.id));
          if (other) await act(dispatcher, a.id, { action: 'merge', intoId: other.id });
        }
        break;
      }
      case 'dispatched': {
        const q = rng.next();
        if (q < 0.7) await act(h, a.id, { action: 'accept' });
        else if (q < 0.85) await act(h, a.id, { action: 'return', reason: '不属本单位管辖' });
        else await act(dispatcher, a.id, { action: 'transfer', unitId: pick(handlerUnits).id, reason: '属地调整' });
        break;
      }
      case 'accepted':
      case 'contacted': {
        if (a.pending_extension_days !== null) {
          await act(dispatcher, a.id, { action: 'decide_extension', approved: rng.next() < 0.7 });
          break;
        }
        const q = rng.next();
        if (q < 0.4 && status === 'accepted') await act(h, a.id, { action: 'contact', method: 'phone' });
        else if (q < 0.5) await act(h, a.id, { action: 'request_extension', days: 3, reason: '需协调多个部门' });
        else if (q < 0.55) await act(h, a.id, { action: 'flag_unreasonable', reason: '诉求明显不合理' });
        else await act(h, a.id, { action: 'reply', text: '经核查,已依法处理完毕,并已向您说明处理结果。' });
        break;
      }
      case 'replied': {
        const level = (1 + Math.floor(rng.next() * 5)) as 1 | 2 | 3 | 4 | 5;
        await act(dispatcher, a.id, { action: 'rate', level, solved: level >= 4 ? 'yes' : level === 3 ? 'partly' : 'no', contacted: rng.next() < 0.9 });
        break;
      }
      case 'closed': {
        const lr = a.last_rating ? (JSON.parse(a.last_rating) as { level: number; solved: string; round: number }) : null;
        if (lr && lr.round === a.round && lr.level <= 2 && lr.solved !== 'yes' && rng.next() < 0.6) await act(dispatcher, a.id, { action: 'reopen', reason: '群众反映问题仍未解决' });
        else if (lr && a.rating_appeal === null && a.unit_id) await act(h, a.id, { action: 'appeal_rating', reason: '评价与事实不符' });
        else if (a.rating_appeal === 'pending') await act(leader, a.id, { action: 'decide_rating_appeal', upheld: rng.next() < 0.5 });
        break;
      }
    }
  }
  clock.now += 3 * 24 * HOUR;
  await scheduler.tick();
}, 240_000);
afterAll(async () => {
  await s?.close();
  await db?.drop();
});

describe('incremental = full recompute on a generated city', () => {
  it('did a realistic mix of work through the services', () => {
    for (const a of ['submit', 'dispatch', 'accept', 'contact', 'reply', 'rate', 'reopen', 'appeal_rating', 'decide_rating_appeal', 'return', 'transfer']) {
      expect(done[a] ?? 0, a).toBeGreaterThan(0);
    }
  });

  it('stores exactly the fact a full replay of the events derives, for every appeal', async () => {
    const replayed = await replayAll();
    const rows = await s.ctx.db.selectFrom('score_facts').selectAll().orderBy('appeal_id').execute();
    expect(rows.length).toBe(replayed.length);
    expect(rows.length).toBeGreaterThan(2500);
    const byId = new Map(replayed.map((f) => [f.appealId, f] as const));
    for (const r of rows) {
      const f = byId.get(r.appeal_id)!;
      expect(canonicalJson(JSON.parse(r.fact)), r.appeal_id).toBe(canonicalJson(f));
      const want = factRow(f) as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) if (k !== 'fact') expect(r[k as keyof typeof r] === null ? null : typeof v === 'number' ? Number(r[k as keyof typeof r]) : r[k as keyof typeof r], `${r.appeal_id}.${k}`).toBe(v);
    }
  }, 180_000);

  it('keeps every per-unit, per-day, per-stratum statistic equal to the recomputed sums', async () => {
    const replayed = await replayAll();
    const want = new Map<string, Record<string, number>>();
    for (const f of replayed) {
      const k = statKeyString(statKeyOf(f));
      const c = want.get(k) ?? zeroColumns();
      addColumns(c as never, statColumnsOf(f));
      want.set(k, c);
    }
    const rows = await s.ctx.db.selectFrom('score_stats').selectAll().execute();
    const got = new Map(rows.map((r) => [statKeyString({ unit_id: r.unit_id, day: Number(r.day), category_id: r.category_id, type: r.type, channel: r.channel }), r] as const));
    for (const k of new Set([...want.keys(), ...got.keys()])) {
      const w = want.get(k) ?? zeroColumns();
      const g = got.get(k);
      for (const c of STAT_COLUMNS) expect(g ? Number(g[c]) : 0, `${k} ${c}`).toBe(w[c]);
    }
  }, 180_000);

  it('keeps the per-unit month sums (score_stats_month, kept by triggers) equal to the recomputed sums', async () => {
    const want = new Map<string, Record<string, number>>();
    for (const f of await replayAll()) {
      const k = `${f.unitId}|${monthLabelOf(f.periodAt)}`;
      const c = want.get(k) ?? zeroColumns();
      addColumns(c as never, statColumnsOf(f));
      want.set(k, c);
    }
    await expectMonthRows(want);
  }, 180_000);

  it('gives the same figures for every unit and many periods, to the last bit', async () => {
    const replayed = await replayAll();
    const units = await s.scoring.units();
    const periods = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2026-Q4', '2026', '2026-W47', '2026-11-24', '2026-11-20..2026-12-01'].map((p) => parsePeriod(p, clock.now));
    let compared = 0;
    for (const period of periods) {
      const inPeriod = replayed.filter((f) => f.periodAt >= period.start && f.periodAt < period.end);
      const full = new Map(computeUnitFigures(inPeriod, DEFAULT_METRICS_CONFIG).map((f) => [f.key, f] as const));
      const live = sumByKey(await scoringRepo.statsByUnit(s.ctx.db, period.startDay, period.endDay, { unitIds: units.map((u) => u.id) }));
      for (const u of units) {
        const cols = live.get(u.id);
        const f = full.get(u.id);
        if (!f) {
          expect(cols?.volume ?? 0, `${period.label} ${u.id}`).toBe(0);
          continue;
        }
        const { excludedCounts, ...incremental } = figuresView(u.id, cols!, DEFAULT_METRICS_CONFIG);
        const { excluded, ...recomputed } = f;
        expect(incremental, `${period.label} ${u.id}`).toEqual(recomputed);
        expect(excludedCounts.redirected + excludedCounts.unreasonable + excludedCounts.merged + excludedCounts['upheld-rating-appeal'] + excludedCounts.ratingVoided).toBe(excluded.length);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  }, 180_000);

  it('ranks every peer group identically from the maintained statistics and from the events', async () => {
    const replayed = await replayAll();
    for (const label of ['2026-10', '2026-11']) {
      const period: ScorePeriod = parsePeriod(label, clock.now);
      const live = await s.scoring.allRankings(period, { draws: 1000, rankRates: true });
      const facts = replayed.filter((f) => f.periodAt >= period.start && f.periodAt < period.end);
      const units = await s.scoring.units();
      const full = assess({
        period,
        facts,
        later: [],
        sourceCounts: await sourceCountsFor(s.ctx.db, period, units),
        config: DEFAULT_METRICS_CONFIG,
        parameters: { draws: 1000, rankRates: true, seedBase: period.label, periodRule: PERIOD_RULE, caseMixStrata: 'category|type|channel', repeatWindowDays: 90, asOf: clock.now, units },
      });
      expect(live.map((g) => g.peerGroup)).toEqual(full.rankings.map((g) => g.peerGroup));
      expect(live.some((g) => g.units.length >= 10)).toBe(true);
      // Bit for bit: the same JSON text.
      expect(JSON.stringify(live)).toBe(JSON.stringify(full.rankings));
      // And the stratum sums behind case mix.
      const strata = await scoringRepo.statsByUnit(s.ctx.db, period.startDay, period.endDay, { strata: true });
      const key = (x: { key: string; sub: string }) => `${x.key}|${x.sub}`;
      const want = new Map(groupFacts(facts).map((g) => [key(g), g.cols] as const));
      for (const g of strata) if (g.cols.volume !== 0 || want.has(key(g))) expect(g.cols, key(g)).toEqual(want.get(key(g)));
    }
  }, 180_000);

  it('finds the same 90-day repeats by index look-ups as the domain function over the replayed facts', async () => {
    const replayed = await replayAll();
    const W = 90 * 24 * HOUR;
    let judged = 0;
    let byPlaceOnly = 0;
    for (const label of ['2026-08', '2026-09', '2026-10', '2026-11']) {
      const period = parsePeriod(label, clock.now);
      const closed = replayed.filter((f) => f.periodAt >= period.start && f.periodAt < period.end && f.status === 'closed');
      const want = new Map(repeatAppealRates(closed, replayed, { windowDays: 90, observedUntil: clock.now }).map((r) => [r.key, r] as const));
      const flags = await scoringRepo.repeatFlags(s.ctx.db, period.startDay, period.endDay, {}, W, clock.now);
      const byUnit = new Map<string, { num: number; den: number; pending: number; ids: string[] }>();
      const unitOf = new Map(closed.map((f) => [f.appealId, f.unitId] as const));
      for (const f of flags) {
        if (f.by_place === 1 && f.by_citizen === 0) byPlaceOnly++;
        const u = unitOf.get(f.appeal_id)!;
        const g = byUnit.get(u) ?? { num: 0, den: 0, pending: 0, ids: [] };
        const rep = f.by_citizen === 1 || f.by_place === 1;
        if (!rep && f.closed_at + W > clock.now) g.pending++;
        else g.den++;
        if (rep) {
          g.num++;
          g.ids.push(f.appeal_id);
        }
        byUnit.set(u, g);
      }
      expect([...byUnit.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [u, g] of byUnit) {
        const w = want.get(u)!;
        expect({ num: g.num, den: g.den, pending: g.pending, ids: g.ids.sort() }, `${label} ${u}`).toEqual({ num: w.rate.num, den: w.rate.den, pending: w.pending, ids: w.repeats.map((r) => r.appealId).sort() });
        judged += g.den;
      }
    }
    expect(judged).toBeGreaterThan(100);
    // The demo's addresses name compounds, villages and road numbers: some repeats are found by place alone.
    expect(byPlaceOnly).toBeGreaterThan(0);
    // Place indexes are set at intake and carried into the facts.
    const keyed = await s.ctx.db.selectFrom('score_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('place_key', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(keyed.n)).toBeGreaterThan(replayed.length / 4);
  }, 180_000);

  it('publishes a month equal to the live figures, and keeps verifying after later edits', async () => {
    const period = parsePeriod('2026-10', clock.now);
    const live = sumByKey(await scoringRepo.statsByUnit(s.ctx.db, period.startDay, period.endDay));
    clock.now += 5000;
    const meta = await s.scoring.publish({ kind: 'system', job: 'test' }, '2026-10');
    const { snapshot } = await s.scoring.loadSnapshot(meta.id);
    expect(snapshot.figures.units.length).toBe([...live.values()].filter((c) => c.volume > 0).length);
    for (const u of snapshot.figures.units) expect(canonicalJson(u.figures), u.key).toBe(canonicalJson(figuresView(u.key, live.get(u.key)!, DEFAULT_METRICS_CONFIG)));
    // A later upheld rating appeal on an October appeal changes October's live figures, not the snapshot.
    const oct = await s.ctx.db
      .selectFrom('score_facts')
      .select(['appeal_id', 'unit_id'])
      .where('day', '>=', period.startDay)
      .where('day', '<', period.endDay)
      .where('status', '=', 'closed')
      .where((eb) => eb.or([eb('face_1', '=', 1), eb('face_2', '=', 1)]))
      .orderBy('appeal_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const units = await s.org.all();
    const unit = units.find((u) => u.id === oct.unit_id)!;
    const root = units.find((u) => u.parentId === null)!;
    const handler = makeStaff({ userId: `staff-${unit.id}`, username: unit.id, displayName: unit.id, unitId: unit.id, roles: ['handler'], scopePath: unit.path, scopeRootId: unit.id, sessionId: null, ip: null });
    const leader = makeStaff({ userId: `staff-${root.id}`, username: root.id, displayName: root.id, unitId: root.id, roles: ['leader'], scopePath: root.path, scopeRootId: root.id, sessionId: null, ip: null });
    clock.now += HOUR;
    await s.handling.act(handler, oct.appeal_id, { action: 'appeal_rating', reason: '恶意评价' });
    await s.handling.act(leader, oct.appeal_id, { action: 'decide_rating_appeal', upheld: true });
    const after = sumByKey(await scoringRepo.statsByUnit(s.ctx.db, period.startDay, period.endDay, { unitIds: [unit.id] })).get(unit.id)!;
    expect(after.excl_rating).toBe(live.get(unit.id)!.excl_rating + 1);
    const v = await s.scoring.verify({ kind: 'system', job: 'test' }, meta.id);
    expect(v).toMatchObject({ ok: true, differenceCount: 0, factsHashMatches: true });
    // The read model rebuilt from scratch is the one maintained incrementally.
    const before = await s.ctx.db.selectFrom('score_facts').select(['appeal_id', 'fact']).orderBy('appeal_id').execute();
    const monthsBefore = await s.ctx.db.selectFrom('score_stats_month').selectAll().where((eb) => eb.or(STAT_COLUMNS.map((c) => eb(c, '<>', 0)))).orderBy('unit_id').orderBy('month').execute();
    await rebuildScoreFacts(s);
    const rebuilt = await s.ctx.db.selectFrom('score_facts').select(['appeal_id', 'fact']).orderBy('appeal_id').execute();
    expect(rebuilt).toEqual(before);
    const monthsAfter = await s.ctx.db.selectFrom('score_stats_month').selectAll().orderBy('unit_id').orderBy('month').execute();
    expect(monthsAfter.map((r) => ({ ...r }))).toEqual(monthsBefore.map((r) => ({ ...r })));
  }, 180_000);
});

/** score_stats_month holds exactly `want` (unit|month → sums); rows left at zero count as absent. */
async function expectMonthRows(want: Map<string, Record<string, number>>): Promise<void> {
  const rows = await s.ctx.db.selectFrom('score_stats_month').selectAll().execute();
  const got = new Map<string, (typeof rows)[number]>(rows.map((r) => [`${r.unit_id}|${r.month}`, r]));
  expect(rows.length).toBeGreaterThan(0);
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(k) ?? zeroColumns();
    const g = got.get(k);
    for (const c of STAT_COLUMNS) expect(g ? Number(g[c]) : 0, `${k} ${c}`).toBe(w[c]);
  }
}
