// The 民标 figures through the HTTP API on the database under test: exact figures of a small month,
// data scope (a unit sees itself and its peer group's ranking; leaders their subtree), drill-down to
// appeals and events, configurable weights with validation, frozen snapshots with verification
// (later edits never change them; tampered events are reported; the CLI exits 1), and the
// auditor's anti-gaming signals.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/metrics/index.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const PHONE = '13812345678';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let h: Harness;
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};

async function submit(key: string, over: Record<string, unknown> = {}) {
  const r = await h.api(null, 'POST', '/api/v1/appeals', {
    type: 'complaint',
    categoryId: 'order.noise',
    title: `夜间施工噪音扰民 ${key}`,
    body: '小区旁边的工地每天晚上十一点以后还在施工,噪音很大,希望尽快处理。',
    regionCode: '360602001',
    citizenName: '王建国',
    phone: PHONE,
    anonymous: false,
    ...over,
  });
  expect(r.statusCode, r.body).toBe(201);
  ids[key] = r.json().id;
  codes[key] = r.json().trackingCode;
  return ids[key]!;
}

async function act(user: string, key: string, body: Record<string, unknown>) {
  const r = await h.api(user, 'POST', `/api/v1/appeals/${ids[key]}/actions`, body);
  expect(r.statusCode, r.body).toBe(200);
}

async function rate(key: string, level: number, solved: string) {
  const r = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: codes[key], secret: PHONE, level, solved, contacted: true });
  expect(r.statusCode, r.body).toBe(200);
}

const REPLY = '经查,已责令工地停止夜间施工,并将持续巡查,依据《中华人民共和国噪声污染防治法》相关规定处理。';

beforeAll(async () => {
  // The security layer's captcha, second factor and rate limits have their own tests; here they would only get in the way.
  h = await createHarness({ env: FUNCTIONAL_ENV });
  // March 2026 in 清江区 (a) and 东湖区 (b).
  // A1 a-ps1: on time all along, 😄 solved.
  await submit('A1');
  await act('dispA', 'A1', { action: 'dispatch', unitId: 'a-ps1' });
  await act('handA1', 'A1', { action: 'accept' });
  h.clock.now += HOUR;
  await act('handA1', 'A1', { action: 'contact', method: 'phone' });
  await act('handA1', 'A1', { action: 'reply', text: REPLY });
  await rate('A1', 5, 'yes');
  // A3 a-ps1: replied at once, rated 😠 — then the unit's 申诉复核 is upheld: the rating is void.
  await submit('A3');
  await act('dispA', 'A3', { action: 'dispatch', unitId: 'a-ps1' });
  await act('handA1', 'A3', { action: 'accept' });
  await act('handA1', 'A3', { action: 'reply', text: REPLY });
  await rate('A3', 1, 'no');
  await act('handA1', 'A3', { action: 'appeal_rating', reason: '该评价与事实不符,系恶意评价' });
  await act('leaderA', 'A3', { action: 'decide_rating_appeal', upheld: true, note: '经核查属实' });
  // A4 a-ps1: redirected to litigation — not assessed.
  await submit('A4');
  await act('dispA', 'A4', { action: 'dispatch', unitId: 'a-ps1' });
  await act('dispA', 'A4', { action: 'redirect', channel: 'litigation', guidance: '请依法向人民法院提起诉讼' });
  // A5 a-ps2: 🙂 solved.
  await submit('A5');
  await act('dispA', 'A5', { action: 'dispatch', unitId: 'a-ps2' });
  await act('handA2', 'A5', { action: 'accept' });
  await act('handA2', 'A5', { action: 'contact', method: 'visit' });
  await act('handA2', 'A5', { action: 'reply', text: REPLY });
  await rate('A5', 4, 'yes');
  // A6 b-ps1 (东湖区): 🙁 not solved.
  await submit('A6', { regionCode: '360603' });
  await act('dispB', 'A6', { action: 'dispatch', unitId: 'b-ps1' });
  await act('handB1', 'A6', { action: 'accept' });
  await act('handB1', 'A6', { action: 'contact', method: 'phone' });
  await act('handB1', 'A6', { action: 'reply', text: REPLY });
  await rate('A6', 2, 'no');
  // A7 stays in triage (held by the 综治中心); A8 is merged into it.
  await submit('A7');
  await submit('A8');
  await act('dispA', 'A8', { action: 'merge', intoId: ids.A7 });
  // A2 a-ps1: first contact ten days late, replied late, 😐 partly solved.
  await submit('A2');
  await act('dispA', 'A2', { action: 'dispatch', unitId: 'a-ps1' });
  await act('handA1', 'A2', { action: 'accept' });
  h.clock.now += 10 * DAY;
  await act('handA1', 'A2', { action: 'contact', method: 'phone' });
  await act('handA1', 'A2', { action: 'reply', text: REPLY });
  await rate('A2', 3, 'partly');
  h.clock.now += DAY; // still March (≈ 2026-03-13)
}, 240_000);
afterAll(async () => h?.close());

const get = async (user: string, url: string, status = 200) => {
  const r = await h.api(user, 'GET', url);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
};

describe('figures', () => {
  it('gives the exact figures of a unit for the month', async () => {
    const u = await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03');
    const f = u.figures;
    expect(u.period).toMatchObject({ kind: 'month', label: '2026-03', from: '2026-03-01', to: '2026-03-31' });
    expect(f.volume).toBe(4); // A1 A2 A3 A4
    expect(f.assessed).toBe(3); // A4 redirected
    expect(f.excludedCounts).toEqual({ redirected: 1, unreasonable: 0, merged: 0, 'upheld-rating-appeal': 0, ratingVoided: 1 });
    expect(f.rated).toBe(2); // A1, A2 (A3's rating is void)
    expect(f.response).toMatchObject({ num: 2, den: 3 }); // A2 contacted late
    expect(f.onTimeClosure).toMatchObject({ num: 2, den: 3 }); // A2 replied late
    expect(f.resolution.value).toBeCloseTo(0.75, 12); // (1 + 0.5) / 2
    expect(f.satisfaction.value).toBeCloseTo(0.95, 12); // (1 + 0.9) / 2
    expect(f.ratingCoverage).toMatchObject({ num: 2, den: 3 });
    expect(f.faces).toEqual({ 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 });
    expect(f.index.value).toBeCloseTo(100 * (0.1 * (2 / 3) + 0.5 * 0.75 + 0.4 * 0.95), 10);
    expect(u.excluded.map((e: { appealId: string; reason: string; scope: string }) => [e.appealId, e.reason, e.scope]).sort()).toEqual(
      [
        [ids.A3, 'upheld-rating-appeal', 'rating'],
        [ids.A4, 'redirected', 'appeal'],
      ].sort(),
    );
    expect(u.ranking.unitId).toBe('a-ps1');
    expect(u.ranking.index.rankInterval95[0]).toBeGreaterThanOrEqual(1);
    expect(u.trend).toHaveLength(12);
    expect(u.trend[11]).toMatchObject({ period: '2026-03', volume: 4, rated: 2 });
    expect(u.caseMix.satisfaction.n).toBe(2);
    expect(u.latent.hotspotsResolved).toBeNull();
    expect(u.latent.surveyIndex).toBeNull();
    expect(u.latent.sourceGovernance.population).toBe(100_000);
    // Nothing in February; the April figures are empty, not zero rates.
    const feb = await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-02');
    expect(feb.figures.volume).toBe(0);
    expect(feb.figures.satisfaction.value).toBeNull();
    expect(feb.figures.index.value).toBeNull();
  });

  it('answers days, weeks, quarters, years and custom ranges, and refuses a bad period', async () => {
    const day = await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03-02');
    expect(day.figures.volume).toBe(3); // A1 and A3 rated, A4 redirected on the 2nd; A2 was rated on the 12th
    for (const p of ['2026-Q1', '2026', '2026-03-01..2026-03-31', '2026-W10']) {
      const r = await get('handA1', `/api/v1/metrics/units/a-ps1?period=${p}`);
      expect(r.figures.volume).toBeGreaterThanOrEqual(2);
    }
    const bad = await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-13', 400);
    expect(bad.error.code).toBe('PERIOD_INVALID');
    expect(bad.error.message).toMatch(/考评周期/);
    expect(bad.error.messageEn).toMatch(/Invalid period/);
  });

  it('summarises a leader’s subtree with faces, a 12-month trend and the children', async () => {
    const s = await get('leaderA', '/api/v1/metrics/summary?period=2026-03');
    expect(s.scope.unitId).toBe('a');
    expect(s.figures.volume).toBe(7); // A1–A5, A7, A8 (A6 is in 东湖区)
    expect(s.faces.map((x: { level: number; count: number }) => [x.level, x.count])).toEqual([[5, 1], [4, 1], [3, 1], [2, 0], [1, 0]]);
    expect(s.trend).toHaveLength(12);
    const children = Object.fromEntries(s.children.map((c: { unit: { unitId: string }; volume: number }) => [c.unit.unitId, c.volume]));
    expect(children).toEqual({ 'a-center': 2, 'a-ps1': 4, 'a-ps2': 1 });
    const city = await get('leaderCity', '/api/v1/metrics/summary?period=2026-03');
    expect(city.figures.volume).toBe(8);
    const byCat = await get('leaderA', '/api/v1/metrics/breakdown?period=2026-03&by=category');
    expect(byCat.items.map((i: { key: string; labelZh: string }) => [i.key, i.labelZh])).toEqual([['order.noise', '噪音扰民']]);
    const byRegion = await get('leaderCity', '/api/v1/metrics/breakdown?period=2026-03&by=region');
    expect(byRegion.items.map((i: { key: string; figures: { volume: number } }) => [i.key, i.figures.volume])).toEqual([['360602001', 7], ['360603', 1]]);
    const byPeer = await get('leaderCity', '/api/v1/metrics/breakdown?period=2026-03&by=peerGroup');
    expect(byPeer.items.find((i: { key: string }) => i.key === 'police_station:township').figures.volume).toBe(6);
  });

  it('ranks a peer group with shrinkage and intervals, and gives funnel data', async () => {
    const r = await get('leaderCity', '/api/v1/metrics/rankings?period=2026-03&peerGroup=police_station:township&rates=true');
    expect(r.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual(['a-ps1', 'a-ps2', 'b-ps1']);
    for (const u of r.units) {
      expect(u.index.interval95[0]).toBeLessThanOrEqual(u.index.estimate);
      expect(typeof u.index.notDistinguishableFromMedian).toBe('boolean');
      expect(u.adjusted.satisfaction.shrinkage).toBeGreaterThan(0);
      expect(u.rates.satisfaction.rank).toBeGreaterThanOrEqual(1);
    }
    expect([1000, 4000]).toContain(r.draws); // redrawn at 4000 only when a flag is borderline
    const again = await get('leaderCity', '/api/v1/metrics/rankings?period=2026-03&peerGroup=police_station:township&rates=true');
    expect(again.cached).toBe(true);
    expect(again.units).toEqual(r.units);
    const f = await get('leaderCity', '/api/v1/metrics/funnel?period=2026-03&peerGroup=police_station:township&metric=satisfaction');
    expect(f.points).toHaveLength(3);
    expect(f.target).toBeCloseTo((1 + 0.9 + 1 + 0) / 4, 12);
    expect(f.curve.length).toBeGreaterThan(3);
    const groups = await get('handA1', '/api/v1/metrics/peer-groups');
    expect(groups.items).toEqual([{ peerGroup: 'police_station:township', labelZh: '派出所(乡镇街道级)', labelEn: 'Police station (township)', units: 3, unitsInScope: 1 }]);
  });
});

describe('data scope', () => {
  it('lets a unit see its own figures and its peer group’s ranking, nothing else', async () => {
    const other = await get('handA1', '/api/v1/metrics/units/a-ps2?period=2026-03', 403);
    expect(other.error.code).toBe('METRICS_SCOPE');
    expect(other.error.message).toMatch(/数据范围/);
    expect(other.error.messageEn).toMatch(/scope/);
    await get('handA1', '/api/v1/metrics/units/b-ps1?period=2026-03', 403);
    await get('handA1', '/api/v1/metrics/summary?period=2026-03&unitId=a', 403);
    await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps2&metric=volume', 403);
    await get('handA1', '/api/v1/metrics/breakdown?period=2026-03&unitId=city', 403);
    await get('handA1', `/api/v1/metrics/appeals/${ids.A5}`, 403);
    // Another peer group's ranking.
    const g = await get('handA1', '/api/v1/metrics/rankings?period=2026-03&peerGroup=committee:county', 403);
    expect(g.error.code).toBe('METRICS_SCOPE');
    await get('handA1', '/api/v1/metrics/funnel?period=2026-03&peerGroup=center:county', 403);
    // Its own peer group's ranking: every peer, only itself in scope.
    const r = await get('handA1', '/api/v1/metrics/rankings?period=2026-03');
    expect(r.peerGroup).toBe('police_station:township');
    expect(Object.fromEntries(r.units.map((u: { unitId: string; inScope: boolean }) => [u.unitId, u.inScope]))).toEqual({ 'a-ps1': true, 'a-ps2': false, 'b-ps1': false });
  });

  it('lets a leader see the subtree only', async () => {
    await get('leaderA', '/api/v1/metrics/units/a-ps2?period=2026-03');
    const b = await get('leaderA', '/api/v1/metrics/units/b-ps1?period=2026-03', 403);
    expect(b.error.code).toBe('METRICS_SCOPE');
    await get('leaderA', '/api/v1/metrics/summary?period=2026-03&unitId=b', 403);
    await get('leaderCity', '/api/v1/metrics/units/b-ps1?period=2026-03');
    // A dispatcher of 清江区综治中心 works for 清江区委政法委's subtree.
    await get('dispA', '/api/v1/metrics/units/a-ps1?period=2026-03');
    await get('dispA', '/api/v1/metrics/units/b-ps1?period=2026-03', 403);
    // Roles without metrics.read.
    const aud = await get('auditor', '/api/v1/metrics/summary?period=2026-03', 403);
    expect(aud.error.code).toBe('FORBIDDEN');
    await get('sysadmin', '/api/v1/metrics/units/a-ps1', 403);
    const anon = await h.api(null, 'GET', '/api/v1/metrics/summary');
    expect(anon.statusCode).toBe(401);
  });
});

describe('drill-down', () => {
  it('lists the appeals behind a figure, adding up to it', async () => {
    const miss = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=response&outcome=miss');
    expect(miss.figure).toEqual({ num: 2, den: 3 });
    expect(miss.items.map((i: { appealId: string }) => i.appealId)).toEqual([ids.A2]);
    expect(miss.items[0].whyZh).toMatch(/晚于响应时限/);
    expect(miss.items[0].trackingCode).toBe(codes.A2);
    const all = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=response');
    expect(all.total).toBe(3);
    const sat = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=satisfaction');
    expect(sat.total).toBe(sat.figure.den);
    expect(sat.items.reduce((s: number, i: { score: number }) => s + i.score, 0)).toBeCloseTo(sat.figure.num, 12);
    const ex = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=excluded');
    expect(ex.items.map((i: { appealId: string }) => i.appealId).sort()).toEqual([ids.A3, ids.A4].sort());
    const rating = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=excluded&outcome=rating');
    expect(rating.items.map((i: { appealId: string }) => i.appealId)).toEqual([ids.A3]);
    const faces5 = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=satisfaction&outcome=5');
    expect(faces5.items.map((i: { appealId: string }) => i.appealId)).toEqual([ids.A1]);
    const sub = await get('leaderA', '/api/v1/metrics/drilldown?period=2026-03&unitId=a&subtree=true&metric=volume&pageSize=2');
    expect(sub.total).toBe(7);
    expect(sub.items).toHaveLength(2);
    const rep = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=repeat');
    const latent = (await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03')).latent.repeat;
    // Closed A1, A2 are followed by the same citizen's noise complaints within 90 days (A2 and A7 after A1 …).
    expect(rep.figure).toEqual({ num: latent.rate.num, den: latent.rate.den });
    expect(rep.items.filter((i: { score: number }) => i.score === 1).length).toBe(latent.rate.num);
    const bad = await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=volume&outcome=hit', 400);
    expect(bad.error.messageEn).toMatch(/not valid/);
    await get('handA1', '/api/v1/metrics/drilldown?period=2026-03&unitId=a-ps1&metric=nonsense', 400);
  });

  it('explains one appeal line by line with its events', async () => {
    const e = await get('handA1', `/api/v1/metrics/appeals/${ids.A3}`);
    expect(e.month).toBe('2026-03');
    expect(e.periodRule).toBe('closed');
    expect(e.lines.map((l: { zh: string }) => l.zh).join('\n')).toMatch(/作废/);
    expect(e.events.map((x: { action: string }) => x.action)).toEqual(['submit', 'dispatch', 'accept', 'reply', 'rate', 'appeal_rating', 'decide_rating_appeal']);
    const open = await get('leaderA', `/api/v1/metrics/appeals/${ids.A7}`);
    expect(open.periodRule).toBe('open-round-start');
    expect(open.unitId).toBe('a-center');
    await get('handB1', `/api/v1/metrics/appeals/${ids.A1}`, 403);
  });
});

describe('weights', () => {
  const valid = { weights: { response: 0.2, resolution: 0.4, satisfaction: 0.4 }, levelWeights: { 1: 0, 2: 0, 3: 0.9, 4: 1, 5: 1 }, solvedWeights: { yes: 1, partly: 0.5, no: 0 } };

  it('refuses invalid weights with every problem in Chinese and English', async () => {
    const sum = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', { ...valid, weights: { response: 0.1, resolution: 0.4, satisfaction: 0.4 } });
    expect(sum.statusCode).toBe(400);
    expect(sum.json().error.code).toBe('METRICS_CONFIG_INVALID');
    expect(sum.json().error.message).toMatch(/之和必须为 1/);
    expect(sum.json().error.messageEn).toMatch(/sum to 1/);
    const range = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', { ...valid, levelWeights: { ...valid.levelWeights, 3: 1.5 }, solvedWeights: { yes: 1, partly: 'half', no: 0 } });
    expect(range.statusCode).toBe(400);
    expect(range.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual(['levelWeights.3', 'solvedWeights.partly']);
    const missing = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', { weights: valid.weights });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.messageEn).toMatch(/levelWeights are missing/);
    const unknown = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', { ...valid, bonus: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');
    const forbidden = await h.api('leaderCity', 'PUT', '/api/v1/metrics/config', valid);
    expect(forbidden.statusCode).toBe(403);
  });

  it('applies valid weights at once, audited, and reads them back', async () => {
    const before = (await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03')).figures.index.value;
    const put = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', valid);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().config.weights).toEqual(valid.weights);
    expect(put.json().updatedBy).toBeTruthy();
    const after = (await get('handA1', '/api/v1/metrics/units/a-ps1?period=2026-03')).figures.index.value;
    expect(after).toBeCloseTo(100 * (0.2 * (2 / 3) + 0.4 * 0.75 + 0.4 * 0.95), 10);
    expect(after).not.toBeCloseTo(before, 5);
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'metrics.config.update').execute();
    expect(audit).toHaveLength(1);
    // Back to the defaults for the rest of the suite.
    const d = await get('leaderA', '/api/v1/metrics/config');
    const reset = await h.api('sysadmin', 'PUT', '/api/v1/metrics/config', d.defaults);
    expect(reset.statusCode).toBe(200);
  });
});

describe('snapshots', () => {
  let snapId = '';
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin/minbiao.mjs'), 'score', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: h.db.config.dataDir,
        MINBIAO_SECRET: h.db.config.MINBIAO_SECRET,
        LOG_LEVEL: 'silent',
        ...(h.db.config.DATABASE_URL ? { DATABASE_URL: h.db.config.DATABASE_URL } : {}),
      },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('publishes a finished month once, for leaders only', async () => {
    h.clock.now = Date.parse('2026-04-02T09:00:00+08:00');
    expect((await h.api('handA1', 'POST', '/api/v1/metrics/snapshots', { period: '2026-03' })).statusCode).toBe(403);
    const early = await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-04' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('PERIOD_NOT_ENDED');
    expect((await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: 'March' })).statusCode).toBe(400);
    const pub = await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-03' });
    expect(pub.statusCode, pub.body).toBe(201);
    snapId = pub.json().id;
    expect(pub.json()).toMatchObject({ appeals: 8, period: { label: '2026-03' }, publishedBy: 'leaderCity' });
    expect(pub.json().factsHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const again = await h.api('leaderA', 'POST', '/api/v1/metrics/snapshots', { period: '2026-03' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SNAPSHOT_EXISTS');
    const list = await get('handA1', '/api/v1/metrics/snapshots');
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([snapId]);
  });

  it('stores the figures as they were and filters them to the reader’s scope', async () => {
    const live = await get('leaderCity', '/api/v1/metrics/units/a-ps1?period=2026-03');
    const mine = await get('handA1', `/api/v1/metrics/snapshots/${snapId}`);
    expect(mine.sealOk).toBe(true);
    expect(mine.units.map((u: { key: string }) => u.key)).toEqual(['a-ps1']);
    // Frozen as canonical JSON (15 significant digits): the same figures as the live ones.
    expect(canonicalJson(mine.units[0].figures)).toBe(canonicalJson(live.figures));
    expect(mine.rankings.map((g: { key: string }) => g.key)).toEqual(['police_station:township']);
    expect(mine.rankings[0].draws).toBe(4000);
    expect(mine.rankings[0].units.find((u: { unitId: string }) => u.unitId === 'a-ps2').inScope).toBe(false);
    const all = await get('auditor', `/api/v1/metrics/snapshots/${snapId}`);
    expect(all.units.map((u: { key: string }) => u.key).sort()).toEqual(['a-center', 'a-ps1', 'a-ps2', 'b-ps1']);
  });

  it('never changes after later edits, and verifies against the events as they stood', async () => {
    const before = await get('leaderCity', `/api/v1/metrics/snapshots/${snapId}`);
    // In April, a2's unit appeals A5's rating and wins: March's live figures change …
    h.clock.now += HOUR;
    await act('handA2', 'A5', { action: 'appeal_rating', reason: '群众评价与事实不符' });
    await act('leaderA', 'A5', { action: 'decide_rating_appeal', upheld: true });
    const live = await get('leaderCity', '/api/v1/metrics/units/a-ps2?period=2026-03');
    expect(live.figures.rated).toBe(0);
    // … the published snapshot does not.
    const after = await get('leaderCity', `/api/v1/metrics/snapshots/${snapId}`);
    expect(after).toEqual(before);
    expect(after.units.find((u: { key: string }) => u.key === 'a-ps2').figures.rated).toBe(1);
    const v = await h.api('leaderCity', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ ok: true, sealOk: true, factsHashMatches: true, differenceCount: 0, appeals: 8 });
    expect((await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json().ok).toBe(true);
    expect((await h.api('handA1', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).statusCode).toBe(403);
    // The CLI agrees, and prints the ranking table.
    const ok = cli('verify', '--period', '2026-03');
    expect(ok.status, ok.stderr + ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/核验通过/);
    const table = cli('--period', '2026-03', '--unit', 'a-ps1');
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('【派出所(乡镇街道级)】');
    expect(table.stdout).toMatch(/▶\d+\s+城关派出所/);
  }, 240_000);

  it('reports every difference when the recorded events were tampered with', async () => {
    // Someone rewrites A1's rating in the event log, behind the application's back.
    const ev = await h.s.ctx.db.selectFrom('appeal_events').select(['seq', 'payload']).where('appeal_id', '=', ids.A1!).where('action', '=', 'rate').executeTakeFirstOrThrow();
    await h.s.ctx.db
      .updateTable('appeal_events')
      .set({ payload: JSON.stringify({ ...JSON.parse(ev.payload), level: 1, solved: 'no' }) })
      .where('appeal_id', '=', ids.A1!)
      .where('seq', '=', ev.seq)
      .execute();
    const v = (await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json();
    expect(v.ok).toBe(false);
    expect(v.sealOk).toBe(true);
    expect(v.factsHashMatches).toBe(false);
    const paths = v.differences.map((d: { path: string }) => d.path);
    expect(paths).toContain('figures.units[a-ps1].figures.satisfaction.value');
    expect(paths).toContain('factsHash');
    const d = v.differences.find((x: { path: string }) => x.path === 'figures.units[a-ps1].figures.satisfaction.value');
    expect(d.a).toBeCloseTo(0.95, 12);
    expect(d.b).toBeCloseTo(0.45, 12);
    const bad = cli('verify', '--period', '2026-03');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/核验未通过/);
    expect(bad.stdout).toMatch(/satisfaction/);
    // A tampered snapshot body breaks its seal.
    const row = await h.s.ctx.db.selectFrom('score_snapshots').select('body').where('id', '=', snapId).executeTakeFirstOrThrow();
    await h.s.ctx.db.updateTable('score_snapshots').set({ body: row.body.replace('"volume":4', '"volume":5') }).where('id', '=', snapId).execute();
    const sealed = (await h.api('auditor', 'POST', `/api/v1/metrics/snapshots/${snapId}/verify`)).json();
    expect(sealed.sealOk).toBe(false);
  }, 240_000);
});

describe('anti-gaming signals', () => {
  it('shows the auditor each signal with the appeals behind it, and nobody else', async () => {
    const s = await get('auditor', '/api/v1/metrics/signals?period=2026-03');
    // Citizens rated from 127.0.0.1, an address staff also signed in from: the staff-network signal.
    const net = s.items.find((i: { kind: string; unitId: string }) => i.kind === 'staff-network' && i.unitId === 'a-ps1');
    expect(net).toBeTruthy();
    expect(net.kindZh).toBe('单位内网评价');
    expect(net.appeals.map((a: { appealId: string }) => a.appealId)).toContain(ids.A2);
    expect(net.appeals[0].title).toMatch(/噪音/);
    await get('leaderCity', '/api/v1/metrics/signals?period=2026-03', 403);
    await get('handA1', '/api/v1/metrics/signals?period=2026-03', 403);
  });
});
