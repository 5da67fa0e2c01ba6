// "The same place" of the 重复诉求 (repeat-appeal) figure, through the HTTP API on the database under
// test: the place is the specific compound / village / road number named by the address (or title),
// within the township — two noise complaints from one street but different compounds are not a repeat,
// the same compound written differently is; an appeal naming no specific place is repeated only by its
// citizen. The place is stored as a keyed index: neither appeals nor score_facts hold the compound's
// name in clear. The published snapshot judges as the live figure does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeFromEvents } from '../../src/services/scoring/assessment.ts';
import { parsePeriod, periodFromAssessment } from '../../src/services/scoring/period.ts';
import { scoringRepo } from '../../src/store/repositories/scoring.ts';
import { backfillPlaceKeys } from '../../src/services/appeals/place.ts';
import { rebuildScoreFacts } from '../../src/services/scoring/projector.ts';
import { act, REPLY, submit } from '../support/appeals.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TOWNSHIP = '360602001'; // 清江区城关街道

let h: Harness;
const ids: Record<string, string> = {};

/** A noise complaint from its own citizen; the title and body name no place (only the address does). */
async function noise(key: string, address: string | null, phone: string, title = '夜间施工噪音扰民') {
  const a = await submit(h, {
    title,
    body: '旁边的工地每天晚上十一点以后还在施工,噪音很大,老人孩子都睡不着,希望尽快处理。',
    address,
    phone,
    regionCode: TOWNSHIP,
  });
  ids[key] = a.id;
  return a;
}

/** Dispatched to a-ps1, answered and rated by the citizen: closed. */
async function close(key: string, phone: string) {
  const id = ids[key]!;
  await act(h, 'dispA', id, { action: 'dispatch', unitId: 'a-ps1' });
  await act(h, 'handA1', id, { action: 'accept' });
  await act(h, 'handA1', id, { action: 'contact', method: 'phone' });
  await act(h, 'handA1', id, { action: 'reply', text: REPLY });
  const row = await h.s.ctx.db.selectFrom('appeals').select('tracking_code').where('id', '=', id).executeTakeFirstOrThrow();
  const r = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: row.tracking_code, secret: phone, level: 4, solved: 'yes', contacted: true });
  expect(r.statusCode, r.body).toBe(200);
}

async function get(user: string, url: string, status = 200) {
  const r = await h.api(user, 'GET', url);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

type Item = { appealId: string; score: number | null; followedBy: string[] };

beforeAll(async () => {
  h = await createHarness({ env: FUNCTIONAL_ENV });
  // March 2026, one street (城关街道), four closed noise complaints from four citizens:
  //   X at 丽华小区, Z at 锦绣华庭, R at 人民路18号, N with no specific place (the street only).
  await noise('X', '清江区城关街道丽华小区3栋502', '13800000001');
  await noise('Z', '清江区城关街道锦绣华庭5栋', '13800000002');
  await noise('R', '清江区城关街道人民路18号', '13800000003');
  await noise('N', '清江区城关街道', '13800000004');
  for (const [k, p] of [['X', '13800000001'], ['Z', '13800000002'], ['R', '13800000003'], ['N', '13800000004']] as const) await close(k, p);
  h.clock.now += 2 * DAY;
  // Then, from other citizens on the same street:
  await noise('Y', '清江区城关街道金星花园2栋', '13800000011'); //   another compound: X is not repeated
  await noise('W', '城关街道 锦绣华庭小区 １２栋', '13800000012'); // Z's compound, written otherwise: Z is repeated
  await noise('R2', '清江区城关街道人民路200号', '13800000013'); //  the same road, another number: R is not repeated
  await noise('N2', '清江区城关街道', '13800000014'); //             no place either: N is not repeated
  h.clock.now += HOUR;
}, 240_000);

afterAll(async () => h?.close());

describe('the same place of the repeat-appeal figure', () => {
  it('counts a repeat at the same compound, not at another compound or house number on the same street', async () => {
    const rep = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=repeat');
    const byId = new Map((rep.items as Item[]).map((i) => [i.appealId, i] as const));
    expect(byId.get(ids.Z!)).toMatchObject({ score: 1, followedBy: [ids.W] });
    // The 90-day window is still open and no repeat was seen: pending (no score), not a repeat.
    for (const k of ['X', 'R', 'N']) expect(byId.get(ids[k]!), k).toMatchObject({ score: null, followedBy: [] });
    expect(rep.figure).toEqual({ num: 1, den: 1 });
    const latent = (await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03')).latent.repeat;
    expect(latent.rate).toMatchObject({ num: 1, den: 1 });
    expect(latent.pending).toBe(3);
  });

  it('still counts the same citizen when no place is named', async () => {
    await noise('N3', '清江区城关街道', '13800000004');
    const rep = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=repeat&outcome=repeat');
    expect((rep.items as Item[]).map((i) => i.appealId).sort()).toEqual([ids.N, ids.Z].sort());
    expect((rep.items as Item[]).find((i) => i.appealId === ids.N)!.followedBy).toEqual([ids.N3]);
    expect(rep.figure).toEqual({ num: 2, den: 2 });
  });

  it('stores the place as a keyed index, not in clear', async () => {
    const all = Object.values(ids);
    const appeals = await h.s.ctx.db.selectFrom('appeals').selectAll().where('id', 'in', all).execute();
    const facts = await h.s.ctx.db.selectFrom('score_facts').selectAll().where('appeal_id', 'in', all).execute();
    const key = (k: string) => appeals.find((a) => a.id === ids[k])!.place_key;
    expect(key('Z')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(key('W')).toBe(key('Z'));
    expect(key('Y')).not.toBe(key('X'));
    expect(key('R2')).not.toBe(key('R'));
    expect(key('N')).toBeNull();
    expect(key('N2')).toBeNull();
    for (const f of facts) expect(f.place_key, f.appeal_id).toBe(appeals.find((a) => a.id === f.appeal_id)!.place_key);
    for (const a of appeals) if (a.place_key) expect(a.place_key).not.toBe(a.citizen_phone_idx);
    // The compound and road names appear nowhere in clear (the address itself is encrypted).
    const raw = JSON.stringify([appeals, facts]);
    for (const name of ['丽华', '锦绣华庭', '金星花园', '人民路', '城关街道']) expect(raw).not.toContain(name);
    // The address is still there for the people entitled to read it.
    expect(h.s.ctx.pii.decrypt(appeals.find((a) => a.id === ids.W)!.address_enc)).toBe('城关街道 锦绣华庭小区 １２栋');
  });

  it('judges the same a day at a time (as on SQLite) as in one statement', async () => {
    const period = parsePeriod('2026-03', h.clock.now);
    const flags = (dayByDay: boolean) =>
      scoringRepo.repeatFlags(h.s.ctx.db, period.startDay, period.endDay, { unitPathPrefix: '/' }, 90 * 86_400_000, h.clock.now, { dayByDay });
    const byId = (rows: { appeal_id: string }[]) => [...rows].sort((a, b) => a.appeal_id.localeCompare(b.appeal_id));
    const whole = await flags(false);
    expect(whole.length).toBeGreaterThan(3);
    expect(whole.some((r) => r.by_place === 1) && whole.some((r) => r.by_citizen === 1)).toBe(true);
    expect(byId(await flags(true))).toEqual(byId(whole));
  });

  it('publishes the month with the live judgement, and verifies', async () => {
    const live = (await get('leaderCity', '/api/v1/metrics/units/a-ps1?period=2026-03')).latent.repeat;
    h.clock.now = Date.parse('2026-04-02T09:00:00+08:00');
    const pub = await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-03' });
    expect(pub.statusCode, pub.body).toBe(201);
    const id = pub.json().id as string;
    const snap = await get('leaderCity', `/api/v1/metrics/snapshots/${id}`);
    expect(snap.latent.find((l: { key: string }) => l.key === 'a-ps1').repeat.rate).toMatchObject({ num: live.rate.num, den: live.rate.den });
    const frozen = await get('leaderCity', `/api/v1/metrics/snapshots/${id}/drilldown?unitId=a-ps1&metric=repeat&outcome=repeat`);
    expect((frozen.items as Item[]).map((i) => i.appealId).sort()).toEqual([ids.N, ids.Z].sort());
    const v = await h.s.scoring.verify({ kind: 'system', job: 'test' }, id);
    expect(v).toMatchObject({ ok: true, differenceCount: 0, factsHashMatches: true });
    // A snapshot published before the place index (no repeatPlace parameter) is replayed under its own
    // definition — the whole township is the place — so its facts hash and figures still verify; on the
    // same appeals that definition calls all four closed complaints repeats.
    const { snapshot } = await h.s.scoring.loadSnapshot(id);
    const { repeatPlace, ...legacy } = snapshot.figures.parameters;
    expect(repeatPlace).toBe('place-key');
    const old = await recomputeFromEvents(h.s.ctx.db, periodFromAssessment(snapshot.period), snapshot.config, legacy);
    for (const f of old.facts) expect(f.placeKey).toBe(f.regionCode);
    expect(old.figures.latent.find((l) => l.key === 'a-ps1')!.repeat!.rate).toMatchObject({ num: 4, den: 4 });
  });

  it('gives appeals older than the place index theirs on rebuild (minbiao score rebuild)', async () => {
    const all = Object.values(ids);
    const keys = async () => (await h.s.ctx.db.selectFrom('appeals').select(['id', 'place_key']).where('id', 'in', all).orderBy('id').execute()).map((r) => `${r.id}:${r.place_key}`);
    const factKeys = async () => (await h.s.ctx.db.selectFrom('score_facts').select(['appeal_id', 'place_key', 'fact']).where('appeal_id', 'in', all).orderBy('appeal_id').execute());
    const want = await keys();
    const wantFacts = await factKeys();
    // As after migration 0015 on a database with appeals: no place index yet.
    await h.s.ctx.db.updateTable('appeals').set({ place_key: null }).execute();
    const report = await backfillPlaceKeys(h.s, { batchSize: 3 });
    expect(report).toMatchObject({ keyed: want.filter((k) => !k.endsWith(':null')).length, unreadable: 0 });
    expect(await keys()).toEqual(want);
    await rebuildScoreFacts(h.s);
    expect(await factKeys()).toEqual(wantFacts);
    // Nothing left to do the second time.
    expect(await backfillPlaceKeys(h.s)).toMatchObject({ keyed: 0 });
  });
});
