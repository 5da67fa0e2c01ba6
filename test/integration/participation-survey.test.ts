// The 安全感·满意度 survey through the API: rounds, population margins, web answers once per phone,
// phone-interview entry, post-stratified results checked by hand, frozen results, trend, and the
// survey index the evaluation engine reads (surveyIndexFor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_GROUPS, SEXES, standardQuestionnaire } from '../../src/domain/participation/survey.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { at, citizenPost } from '../support/participation.ts';

let h: Harness;
let round1: string;
let round2: string;

/** Every scale question answered with `v` ('5' = best … '1' = worst), the open question optional. */
const allScale = (v: string, open?: string) => {
  const a: Record<string, string> = {};
  for (const q of standardQuestionnaire().questions) if (q.kind === 'scale') a[q.id] = v;
  if (open) a.open_problem = open;
  return a;
};
const cells = (f: (sex: string, age: string) => number) => SEXES.flatMap((sex) => AGE_GROUPS.map((ageGroup) => ({ sex, ageGroup, population: f(sex, ageGroup) })));
const answer = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => citizenPost(h, `/api/v1/surveys/${id}/responses`, body, headers);

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

describe('rounds', () => {
  it('a city leader creates a round with the standard questionnaire and opens it', async () => {
    expect((await h.api('handA1', 'POST', '/api/v1/survey/rounds', { name: '2026年度群众安全感调查', opensAt: at(h, -1), closesAt: at(h, 30) })).statusCode).toBe(403);
    const r = await h.api('leaderCity', 'POST', '/api/v1/survey/rounds', { name: '2026年度群众安全感·政法队伍满意度调查', opensAt: at(h, -1), closesAt: at(h, 30) });
    expect(r.statusCode, r.body).toBe(201);
    round1 = r.json().id;
    expect(r.json()).toMatchObject({ status: 'draft', regionCode: '360600', acceptingWeb: false });
    expect(r.json().questionnaire.questions.map((q: { id: string }) => q.id)).toEqual(standardQuestionnaire().questions.map((q) => q.id));
    expect((await h.api(null, 'GET', `/api/v1/surveys/${round1}`)).statusCode).toBe(404);
    const bad = await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round1}`, { questionnaire: { version: 1, intro: '', introEn: '', questions: [{ id: 'x', kind: 'text', text: '只有填空题', textEn: '', dimension: null, required: false, options: [] }] } });
    expect(bad.statusCode).toBe(400);
    const open = await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round1}`, { status: 'open' });
    expect(open.json()).toMatchObject({ status: 'open', acceptingWeb: true });
    expect((await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round1}`, { questionnaire: standardQuestionnaire() })).json().error.code).toBe('QUESTIONNAIRE_FROZEN');
    const list = (await h.api(null, 'GET', '/api/v1/surveys/open')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([round1]);
    const pub = (await h.api(null, 'GET', `/api/v1/surveys/${round1}`)).json();
    expect(pub.regions.map((x: { code: string }) => x.code)).toEqual(expect.arrayContaining(['360602', '360603', '360602001']));
    expect(pub.ageGroups).toEqual([...AGE_GROUPS]);
  });

  it('a district sees the city round but cannot manage it', async () => {
    expect((await h.api('dispA', 'GET', '/api/v1/survey/rounds')).json().items.map((x: { id: string; canManage: boolean }) => [x.id, x.canManage])).toEqual([[round1, false]]);
    expect((await h.api('dispA', 'PATCH', `/api/v1/survey/rounds/${round1}`, { name: '区里改名的调查' })).statusCode).toBe(403);
    expect((await h.api('auditor', 'GET', '/api/v1/survey/rounds')).statusCode).toBe(403);
  });
});

describe('margins', () => {
  it('the admin enters every age × sex cell of a region (audited)', async () => {
    const partial = await h.api('sysadmin', 'PUT', '/api/v1/survey/margins/360603', { cells: [{ sex: 'male', ageGroup: '18-29', population: 600 }] });
    expect(partial.statusCode).toBe(400);
    expect((await h.api('handA1', 'PUT', '/api/v1/survey/margins/360603', { cells: cells(() => 1) })).statusCode).toBe(403);
    expect((await h.api('dispA', 'PUT', '/api/v1/survey/margins/360603', { cells: cells(() => 1) })).json().error.code).toBe('REGION_SCOPE');
    // 东湖区 360603: only two cells have people (a deliberately simple region for the hand check).
    const b = await h.api('sysadmin', 'PUT', '/api/v1/survey/margins/360603', { source: '测试普查', cells: cells((sex, age) => (age === '18-29' ? (sex === 'male' ? 600 : 400) : 0)) });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json()).toMatchObject({ regionCode: '360603', total: 1000, source: '测试普查' });
    // 清江区 360602: a population with every cell.
    const a = await h.api('sysadmin', 'PUT', '/api/v1/survey/margins/360602', { cells: cells((sex, age) => (sex === 'male' ? 1000 : 1100) + AGE_GROUPS.indexOf(age as never) * 100) });
    expect(a.statusCode).toBe(200);
    const list = (await h.api('leaderCity', 'GET', '/api/v1/survey/margins')).json();
    expect(list.items.map((x: { regionCode: string }) => x.regionCode)).toEqual(['360602', '360603']);
    const audit = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'survey.margins.set').execute();
    expect(audit).toHaveLength(2);
  });
});

describe('answering', () => {
  it('citizens answer once per phone; bad answers get a clear 400', async () => {
    const ok = await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('5'), phone: '13600000001' });
    expect(ok.statusCode, ok.body).toBe(201);
    const again = await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('1'), phone: '+86 136 0000 0001' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_ANSWERED');
    expect((await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: { sec_night: '5' }, phone: '13600000009' })).json().error.details.field).toMatch(/^answers\./);
    expect((await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('7'), phone: '13600000009' })).statusCode).toBe(400);
    expect((await answer(round1, { regionCode: '360603', sex: 'other', ageGroup: '18-29', answers: allScale('5'), phone: '13600000009' })).statusCode).toBe(400);
    expect((await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '12-17', answers: allScale('5'), phone: '13600000009' })).statusCode).toBe(400);
    expect((await answer(round1, { regionCode: '110101', sex: 'male', ageGroup: '18-29', answers: allScale('5'), phone: '13600000009' })).statusCode).toBe(400);
    expect((await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('5'), phone: '123' })).statusCode).toBe(400);
  });

  it('stores no phone, masks personal data in the open answer', async () => {
    const r = await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('3', '小区门口常有人推销,电话13512345678骚扰不断'), phone: '13600000002' });
    expect(r.statusCode, r.body).toBe(201);
    const rows = await h.s.ctx.db.selectFrom('survey_responses').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain('13512345678');
    expect(text).toContain('135****5678');
    expect(text).not.toContain('13600000002');
    expect(rows.map((x) => x.respondent_key)).not.toContain(h.s.ctx.pii.blindIndex('13600000002'));
  });

  it('interviewers enter phone interviews in their own region', async () => {
    expect((await h.api('handA1', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360602001', sex: 'female', ageGroup: '60+', answers: allScale('4') })).statusCode).toBe(403);
    expect((await h.api('dispA', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360603', sex: 'female', ageGroup: '18-29', answers: allScale('1') })).json().error.code).toBe('REGION_SCOPE');
    const r = await h.api('dispB', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360603', sex: 'female', ageGroup: '18-29', answers: allScale('1') });
    expect(r.statusCode, r.body).toBe(201);
    // An interview with the phone of someone who answered on the web is the same person.
    const dup = await h.api('dispB', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('1'), phone: '13600000001' });
    expect(dup.json().error.code).toBe('ALREADY_ANSWERED');
    // 清江区: a few answers from a street, on the web and by phone.
    const a = [
      ['male', '18-29', '5'],
      ['male', '18-29', '4'],
      ['female', '30-39', '4'],
      ['female', '30-39', '2'],
      ['male', '60+', '3'],
    ] as const;
    for (const [i, [sex, ageGroup, v]] of a.entries()) {
      const x = i % 2 === 0 ? await answer(round1, { regionCode: '360602001', sex, ageGroup, answers: allScale(v), phone: `1360000010${i}` }) : await h.api('dispA', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360602001', sex, ageGroup, answers: allScale(v) });
      expect(x.statusCode, x.body).toBe(201);
    }
  });
});

describe('results', () => {
  // 东湖区 360603 — margins: male 18-29 600, female 18-29 400, all other cells 0 (N = 1000).
  // Respondents (each answered every scale question alike, so the person's score is that answer's score):
  //   male 18-29:   "5" → 100 (web), "3" → 50 (web)            n = 2, ȳ = 75, s² = (25² + 25²)/1 = 1250
  //   female 18-29: "1" → 0 (phone interview)                  n = 1, ȳ = 0,  s² borrowed: pooled = 1250
  // Unweighted mean (100 + 50 + 0)/3 = 50. Post-stratified: 0.6·75 + 0.4·0 = 45.
  // v = 0.6²·1250/2 + 0.4²·1250/1 = 225 + 200 = 425, SE = √425 = 20.6155, 95% CI 45 ± 40.4057 = [4.5943, 85.4057].
  it('are post-stratified, checked by hand', async () => {
    const r = await h.api('leaderCity', 'GET', `/api/v1/survey/rounds/${round1}/results?regionCode=360603`);
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json();
    expect(res.weighting).toBe('post-stratified');
    expect(res.respondents).toBe(3);
    expect(res.index.unweighted).toBeCloseTo(50, 10);
    expect(res.index.value).toBeCloseTo(45, 10);
    expect(res.index.se).toBeCloseTo(Math.sqrt(425), 10);
    expect(res.index.interval95[0]).toBeCloseTo(4.5943, 3);
    expect(res.index.interval95[1]).toBeCloseTo(85.4057, 3);
    expect(res.security.value).toBeCloseTo(45, 10);
    expect(res.channels).toEqual({ web: 2, phone: 1 });
    const night = res.items.find((x: { id: string }) => x.id === 'sec_night');
    // Top two (很安全/安全): male cell 1 of 2 → 50%, female cell 0 → 0.6·50 = 30%.
    expect(night.topTwo.value).toBeCloseTo(30, 10);
    expect(night.counts).toMatchObject({ '5': 1, '3': 1, '1': 1 });
    expect(res.openAnswers[0].text).toContain('135****5678');
  });

  it('the city: every region post-stratified with its own margins, the districts listed', async () => {
    const res = (await h.api('leaderCity', 'GET', `/api/v1/survey/rounds/${round1}/results`)).json();
    expect(res.regionCode).toBe('360600');
    expect(res.respondents).toBe(8);
    expect(res.weighting).toBe('post-stratified');
    expect(res.regions.map((x: { regionCode: string; respondents: number }) => [x.regionCode, x.respondents])).toEqual([['360602', 5], ['360603', 3]]);
    expect(res.regions.find((x: { regionCode: string }) => x.regionCode === '360603').index.value).toBeCloseTo(45, 10);
    // The city index lies between its districts' indices.
    const [qa, qb] = res.regions.map((x: { index: { value: number } }) => x.index.value);
    expect(res.index.value).toBeGreaterThanOrEqual(Math.min(qa, qb));
    expect(res.index.value).toBeLessThanOrEqual(Math.max(qa, qb));
  });

  it('a district reads its own region only', async () => {
    const mine = await h.api('dispA', 'GET', `/api/v1/survey/rounds/${round1}/results`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ regionCode: '360602', respondents: 5 });
    expect((await h.api('dispA', 'GET', `/api/v1/survey/rounds/${round1}/results?regionCode=360603`)).json().error.code).toBe('REGION_SCOPE');
  });

  it('closing freezes the margins and the results', async () => {
    expect(await h.s.participation.surveys.surveyIndexFor('360603', { start: 0, end: h.clock.now + 86_400_000 })).toBeNull();
    const closed = await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round1}`, { status: 'closed' });
    expect(closed.json()).toMatchObject({ status: 'closed', marginsFrozen: true });
    expect((await answer(round1, { regionCode: '360603', sex: 'male', ageGroup: '18-29', answers: allScale('5'), phone: '13600000050' })).json().error.code).toBe('SURVEY_NOT_OPEN');
    expect((await h.api('dispB', 'POST', `/api/v1/survey/rounds/${round1}/responses`, { regionCode: '360603', sex: 'female', ageGroup: '18-29', answers: allScale('1') })).json().error.code).toBe('ROUND_NOT_OPEN');
    expect((await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round1}`, { name: '结束后再改名' })).json().error.code).toBe('ROUND_CLOSED');
    // New margins do not change a closed round.
    await h.api('sysadmin', 'PUT', '/api/v1/survey/margins/360603', { cells: cells((sex, age) => (age === '18-29' ? 500 : 0)) });
    const res = (await h.api('leaderCity', 'GET', `/api/v1/survey/rounds/${round1}/results?regionCode=360603`)).json();
    expect(res.index.value).toBeCloseTo(45, 10);
    expect(res.marginsFrozen).toBe(true);
  });
});

describe('the survey index for the evaluation engine, and the trend', () => {
  it('surveyIndexFor gives the latest finished round of the region', async () => {
    const period = { start: h.clock.now - 30 * 86_400_000, end: h.clock.now + 86_400_000 };
    const b = await h.s.participation.surveys.surveyIndexFor('360603', period);
    expect(b).toMatchObject({ value: 45, respondents: 3, surveyId: round1, weighting: 'post-stratified' });
    expect(b!.interval95![0]).toBeCloseTo(4.59, 2);
    // A station's township region uses the county's margins; a region with no respondents has no index.
    const street = await h.s.participation.surveys.surveyIndexFor('360602001', period);
    expect(street).toMatchObject({ respondents: 5, surveyId: round1 });
    expect(await h.s.participation.surveys.surveyIndexFor('360602002', period)).toBeNull();
    expect(await h.s.participation.surveys.surveyIndexFor('110101', period)).toBeNull();
    // A period that ended before the round closed has no index from it.
    expect(await h.s.participation.surveys.surveyIndexFor('360603', { start: 0, end: h.clock.now - 86_400_000 })).toBeNull();
    const many = await h.s.participation.surveys.surveyIndexesFor(['360602', '360603', '360600'], period);
    expect([...many.keys()].sort()).toEqual(['360600', '360602', '360603']);
  });

  it('a second round makes a trend', async () => {
    h.clock.now += 40 * 86_400_000;
    const r = await h.api('leaderCity', 'POST', '/api/v1/survey/rounds', { name: '2026年第二轮调查', opensAt: at(h, 0), closesAt: at(h, 20) });
    round2 = r.json().id;
    await h.api('leaderCity', 'PATCH', `/api/v1/survey/rounds/${round2}`, { status: 'open' });
    for (const [i, v] of ['5', '5', '4'].entries()) {
      expect((await answer(round2, { regionCode: '360603', sex: i === 2 ? 'female' : 'male', ageGroup: '18-29', answers: allScale(v), phone: `1360000020${i}` })).statusCode).toBe(201);
    }
    const t = (await h.api('leaderCity', 'GET', '/api/v1/survey/trend?regionCode=360603')).json();
    expect(t.points.map((p: { roundId: string }) => p.roundId)).toEqual([round1, round2]);
    expect(t.points[0].index.value).toBeCloseTo(45, 10);
    // Round 2 with the current margins (male 500, female 500): 0.5·100 + 0.5·75 = 87.5.
    expect(t.points[1].index.value).toBeCloseTo(87.5, 10);
    // Still round 1 for the evaluation engine until round 2 is finished.
    expect((await h.s.participation.surveys.surveyIndexFor('360603', { start: 0, end: h.clock.now }))!.surveyId).toBe(round1);
  });

  it('feeds the open answers to the text engine', async () => {
    const items = [];
    for await (const t of h.s.participation.surveys.listSurveyOpenTexts(0)) items.push(t);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ source: 'survey', roundId: round1, questionId: 'open_problem', regionCode: '360603' });
    expect(items[0]!.text).not.toContain('13512345678');
  });

  it('exports a region’s results to .xlsx', async () => {
    const x = await h.api('dispA', 'GET', `/api/v1/survey/rounds/${round1}/export.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain('360602');
    expect((await h.api('dispA', 'GET', `/api/v1/survey/rounds/${round1}/export.xlsx?regionCode=360603`)).statusCode).toBe(403);
  });

  it('keeps the audit chain intact', async () => {
    expect((await h.s.audit.verify()).ok).toBe(true);
  });
});
