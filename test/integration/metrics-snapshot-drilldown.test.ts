// The drill-down of a published snapshot, through the HTTP API on the database under test: the
// appeals behind a published figure are the ones counted at publication (frozen per-appeal facts and
// repeat outcomes stored with the snapshot), so a later event changes the live drill-down but not the
// snapshot's; the frozen items add up to the published figures; scope and bad input are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, REPLY, submit } from '../support/appeals.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

const HOUR = 3600_000;
const PHONE = '13812345678';

let h: Harness;
let snapId = '';
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};

async function submitAs(key: string) {
  const r = await submit(h, { title: `夜间施工噪音扰民 ${key}`, body: '小区旁边的工地每天晚上十一点以后还在施工,噪音很大,希望尽快处理。', address: null, phone: PHONE });
  ids[key] = r.id;
  codes[key] = r.trackingCode;
}

const actOn = (user: string, key: string, body: Record<string, unknown>) => act(h, user, ids[key]!, body);

async function get(user: string, url: string, status = 200) {
  const r = await h.api(user, 'GET', url);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

type Drill = { figure: { num: number; den: number }; total: number; items: { appealId: string; status: string; score: number | null }[] };
const drill = (user: string, what: string, status = 200): Promise<Drill> => get(user, `/api/v1/metrics/snapshots/${snapId}/drilldown?${what}`, status);
const live = (what: string): Promise<Drill> => get('leaderCity', `/api/v1/metrics/drilldown?period=2026-03&${what}`);
const idsOf = (d: Drill) => d.items.map((i) => i.appealId);

beforeAll(async () => {
  h = await createHarness({ env: FUNCTIONAL_ENV });
  // March 2026, a-ps1: D1 rated 😄 solved, D2 rated 😟 not solved (both closed by the rating).
  for (const [key, level, solved] of [['D1', 5, 'yes'], ['D2', 2, 'no']] as const) {
    await submitAs(key);
    await actOn('dispA', key, { action: 'dispatch', unitId: 'a-ps1' });
    await actOn('handA1', key, { action: 'accept' });
    h.clock.now += HOUR;
    await actOn('handA1', key, { action: 'contact', method: 'phone' });
    await actOn('handA1', key, { action: 'reply', text: REPLY });
    const r = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: codes[key], secret: PHONE, level, solved, contacted: true });
    expect(r.statusCode, r.body).toBe(200);
  }
  h.clock.now = Date.parse('2026-04-02T09:00:00+08:00');
  const pub = await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-03' });
  expect(pub.statusCode, pub.body).toBe(201);
  snapId = pub.json().id;
}, 240_000);

afterAll(async () => h?.close());

describe('drill-down of a published snapshot', () => {
  it('lists the appeals counted at publication, adding up to the published figures', async () => {
    const snap = await get('leaderCity', `/api/v1/metrics/snapshots/${snapId}`);
    const published = snap.units.find((u: { key: string }) => u.key === 'a-ps1').figures;
    const sat = await drill('leaderCity', 'unitId=a-ps1&metric=satisfaction');
    expect(sat.figure).toEqual({ num: published.satisfaction.num, den: published.satisfaction.den });
    expect(sat.figure.den).toBe(2);
    expect(idsOf(sat)).toEqual([ids.D1, ids.D2].sort());
    expect(sat.items.reduce((a, i) => a + (i.score ?? 0), 0)).toBeCloseTo(sat.figure.num, 12);
    // The same as the live drill-down while nothing has changed.
    const now = await live('unitId=a-ps1&metric=satisfaction');
    expect(now.figure).toEqual(sat.figure);
    expect(idsOf(now)).toEqual(idsOf(sat));
    // Outcome filters and the other figures work as in the live drill-down.
    expect(idsOf(await drill('leaderCity', 'unitId=a-ps1&metric=satisfaction&outcome=2'))).toEqual([ids.D2]);
    expect((await drill('leaderCity', 'unitId=a-ps1&metric=volume')).total).toBe(published.volume);
    expect(idsOf(await drill('leaderCity', 'unitId=a&subtree=true&metric=resolution&outcome=no'))).toEqual([ids.D2]);
    // The 90-day repeat window was open at publication: both were pending then.
    const rep = await drill('leaderCity', 'unitId=a-ps1&metric=repeat');
    expect(rep.figure).toEqual({ num: 0, den: 0 });
    expect(idsOf(rep)).toEqual([ids.D1, ids.D2].sort());
  });

  it('keeps what was counted when later events change the live drill-down', async () => {
    // April: the unit's 申诉复核 of D2's rating is upheld (the rating is void), and the same citizen
    // appeals again about the same thing (D1 and D2 become repeats).
    h.clock.now += HOUR;
    await actOn('handA1', 'D2', { action: 'appeal_rating', reason: '群众评价与事实不符' });
    await actOn('leaderA', 'D2', { action: 'decide_rating_appeal', upheld: true });
    await submitAs('D3');

    const liveSat = await live('unitId=a-ps1&metric=satisfaction');
    expect(liveSat.figure.den).toBe(1);
    expect(idsOf(liveSat)).toEqual([ids.D1]);
    const liveRep = await live('unitId=a-ps1&metric=repeat');
    expect(liveRep.figure).toEqual({ num: 2, den: 2 });

    const sat = await drill('leaderCity', 'unitId=a-ps1&metric=satisfaction');
    expect(sat.figure.den).toBe(2);
    expect(idsOf(sat)).toEqual([ids.D1, ids.D2].sort());
    expect(sat.items.find((i) => i.appealId === ids.D2)).toMatchObject({ status: 'closed', score: 0 });
    expect(await drill('leaderCity', 'unitId=a-ps1&metric=excluded&outcome=rating')).toMatchObject({ total: 0 });
    const rep = await drill('leaderCity', 'unitId=a-ps1&metric=repeat');
    expect(rep.figure).toEqual({ num: 0, den: 0 });
    expect(idsOf(await drill('leaderCity', 'unitId=a-ps1&metric=repeat&outcome=pending'))).toEqual([ids.D1, ids.D2].sort());
    // The snapshot itself still verifies, its stored per-appeal facts included.
    expect((await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json()).toMatchObject({ ok: true, differenceCount: 0, storedFactsOk: true });
  });

  it('respects the data scope and refuses bad input', async () => {
    expect(idsOf(await drill('handA1', 'unitId=a-ps1&metric=satisfaction'))).toEqual([ids.D1, ids.D2].sort());
    expect(idsOf(await drill('auditor', 'unitId=a-ps1&metric=satisfaction'))).toEqual([ids.D1, ids.D2].sort());
    expect((await h.api('handB1', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=satisfaction`)).statusCode).toBe(403);
    expect((await h.api('handA2', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=satisfaction`)).statusCode).toBe(403);
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=nowhere&metric=volume`)).statusCode).toBe(404);
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/01NOSUCHSNAPSHOT0000000000/drilldown?unitId=a-ps1&metric=volume`)).statusCode).toBe(404);
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=bogus`)).statusCode).toBe(400);
    const badOutcome = await h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=volume&outcome=yes`);
    expect(badOutcome.statusCode).toBe(400);
    expect(badOutcome.json().error.messageZh ?? badOutcome.body).toMatch(/不支持/);
    expect((await h.api(null, 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=volume`)).statusCode).toBe(401);
  });

  it('a snapshot published without its facts (before migration 0013) is drillable once a verification has stored them', async () => {
    const drill = () => h.api('leaderCity', 'GET', `/api/v1/metrics/snapshots/${snapId}/drilldown?unitId=a-ps1&metric=volume`);
    const before = await drill();
    expect(before.statusCode, before.body).toBe(200);
    await h.s.ctx.db.deleteFrom('score_snapshot_facts').where('snapshot_id', '=', snapId).execute();
    const missing = await drill();
    expect(missing.statusCode).toBe(409);
    expect(missing.json().error.code).toBe('SNAPSHOT_FACTS_MISSING');
    // A handler cannot trigger it; the auditor's verification stores them.
    expect((await h.api('handA1', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).statusCode).toBe(403);
    const v = await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`);
    expect(v.json()).toMatchObject({ ok: true, storedFactsOk: true, storedFactsBackfilled: true });
    const after = await drill();
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().items).toEqual(before.json().items);
    // Once only: the next verification checks what was stored.
    expect((await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json()).toMatchObject({ ok: true, storedFactsOk: true, storedFactsBackfilled: false });
    const audited = await h.s.ctx.db.selectFrom('audit_log').select('action').where('object_id', '=', snapId).where('action', '=', 'metrics.snapshot.facts.backfill').execute();
    expect(audited).toHaveLength(1);
  });

  it('reports stored per-appeal facts that were altered behind the application’s back', async () => {
    const verify = async () => (await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json();
    const q = () => h.s.ctx.db.updateTable('score_snapshot_facts').where('snapshot_id', '=', snapId).where('appeal_id', '=', ids.D2!);
    // A statistic that no longer matches its fact …
    await q().set({ face_2: 0, face_5: 1 }).execute();
    expect(await verify()).toMatchObject({ ok: false, sealOk: true, differenceCount: 0, storedFactsOk: false });
    await q().set({ face_2: 1, face_5: 0 }).execute();
    expect(await verify()).toMatchObject({ ok: true, storedFactsOk: true });
    // … or a fact that is not the one published (its hash differs from factsHash).
    const row = await h.s.ctx.db.selectFrom('score_snapshot_facts').select('fact').where('snapshot_id', '=', snapId).where('appeal_id', '=', ids.D2!).executeTakeFirstOrThrow();
    await q().set({ fact: row.fact.replace('"level":2', '"level":3') }).execute();
    expect(await verify()).toMatchObject({ ok: false, storedFactsOk: false });
  });
});
