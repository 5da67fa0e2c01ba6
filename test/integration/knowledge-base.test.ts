// The knowledge base (释疑解惑): the starter base, Chinese search quality (synonyms, colloquial wording,
// typos), what the public may see (published and in force only), the review workflow with versions,
// "this solved it" counted once, matching and citing beside an appeal within data scope, and the gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTER_ARTICLES } from '../../src/domain/knowledge/starter.ts';
import { seedKnowledgeBase } from '../../src/services/knowledge/starter.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  const r = await seedKnowledgeBase(h.s);
  expect(r.published + r.expired).toBe(STARTER_ARTICLES.length);
});
afterAll(async () => h?.close());

const DAY = 86_400_000;
const search = async (q: string, extra = '') => {
  const r = await h.api(null, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}${extra}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { queryId: string | null; items: { id: string; title: string; match: number; legalBasis: { law: string; article?: string }[]; snippet: string }[] };
};
const top = async (q: string) => (await search(q)).items.map((i) => i.id);

describe('starter base', () => {
  it('has at least 30 published articles in plain Chinese, each with a real legal basis', async () => {
    expect(STARTER_ARTICLES.length).toBeGreaterThanOrEqual(30);
    const live = await h.s.ctx.db.selectFrom('kb_docs').select(['article_id', 'legal_basis']).execute();
    expect(live.length).toBeGreaterThanOrEqual(30);
    for (const d of live) {
      const basis = JSON.parse(d.legal_basis) as { law: string; article?: string }[];
      expect(basis.length, d.article_id).toBeGreaterThan(0);
      for (const b of basis) expect(b.law).toMatch(/法|条例|办法/);
    }
    const laws = new Set(live.flatMap((d) => (JSON.parse(d.legal_basis) as { law: string }[]).map((b) => b.law)));
    for (const law of ['中华人民共和国法律援助法', '中华人民共和国民事诉讼法', '中华人民共和国反电信网络诈骗法', '中华人民共和国人民调解法', '中华人民共和国民法典', '中华人民共和国社区矫正法', '中华人民共和国户口登记条例', '中华人民共和国治安管理处罚法']) {
      expect(laws, law).toContain(law);
    }
  });
});

describe('search quality', () => {
  it.each([
    ['被骗了怎么办', 'kb-fraud-victim'],
    ['我想打官司', 'kb-lit-filing'],
    ['打官司要多少钱', 'kb-lit-fees'],
    ['离婚财产怎么分', 'kb-divorce-property-children'],
    ['老公打我怎么办', 'kb-domestic-violence'],
    ['判了对方不给钱', 'kb-enforcement-apply'],
    ['孩子出生怎么上户口', 'kb-hukou-birth'],
    ['社区矫正能出远门吗', 'kb-correction-travel'],
    ['楼上太吵了睡不着', 'kb-noise'],
    ['邻居家漏水到我家', 'kb-neighbour'],
    ['物业停水停电催物业费', 'kb-property-fee'],
    ['欠工资不给怎么办', 'kb-wages'],
    ['身份证丢了', 'kb-id-card'],
    ['被人打了还手算互殴吗', 'kb-fight'],
    ['有人打电话说我涉嫌洗钱让我转到安全账户', 'kb-fraud-impersonation'],
    ['借钱不还过了三年还能告吗', 'kb-lit-limitation'],
    ['老人去世房子怎么分', 'kb-inheritance'],
    ['报案了派出所不立案', 'kb-no-filing'],
  ])('“%s” → %s first', async (q, id) => {
    const ids = await top(q);
    expect(ids[0], `${q}: ${ids.join(', ')}`).toBe(id);
  });

  it('colloquial wording finds the formal articles: 被骗了 → 电信网络诈骗', async () => {
    const r = await search('被骗了');
    expect(r.items.length).toBeGreaterThanOrEqual(2);
    for (const it of r.items.slice(0, 2)) expect(it.id).toMatch(/^kb-fraud-/);
    expect(r.items[0]!.match).toBeGreaterThanOrEqual(0.5);
    expect(r.items[0]!.legalBasis.map((b) => b.law)).toContain('中华人民共和国反电信网络诈骗法');
  });

  it('tolerates typos through character bigrams', async () => {
    const aid = await top('法律援住怎么申请'); // 援住 for 援助
    expect(aid.slice(0, 3).every((id) => id.startsWith('kb-legal-aid'))).toBe(true);
    expect((await top('电信网洛诈骗'))[0]).toMatch(/^kb-fraud-/); // 洛 for 络
  });

  it('never shows an expired article: the 2012 noise rule is off the public side', async () => {
    for (const q of ['噪音扰民怎么处罚', '噪音扰民 旧法 警告 罚款']) expect(await top(q)).not.toContain('kb-noise-2012');
    expect((await h.api(null, 'GET', '/api/v1/kb/articles/kb-noise-2012/public')).statusCode).toBe(404);
    const live = await h.api(null, 'GET', '/api/v1/kb/articles/kb-noise/public');
    expect(live.statusCode).toBe(200);
    expect(live.json().legalBasis[0]).toMatchObject({ law: '中华人民共和国治安管理处罚法', edition: '2025年修订', article: '第八十八条' });
  });

  it('answers nonsense with nothing rather than noise, and refuses bad input with 400', async () => {
    expect((await search('的了吗')).items).toHaveLength(0);
    expect((await h.api(null, 'GET', `/api/v1/kb/search?q=${'长'.repeat(201)}`)).statusCode).toBe(400);
    expect((await h.api(null, 'GET', '/api/v1/kb/search?q=')).statusCode).toBe(400);
    const odd = await h.api(null, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('<script>alert(1)</script> OR "" AND * NEAR( ) : ^')}`);
    expect(odd.statusCode).toBe(200);
  });
});

describe('workflow: draft → reviewed → published → expired, with versions', () => {
  let id = '';
  const body = '<p>办理居住证,需要在居住地连续居住半年以上。</p><script>alert(1)</script><p onclick="x()">带身份证和<a href="javascript:alert(1)">居住</a>证明到派出所申请。<img src=x onerror=alert(1)></p>';

  it('creates a sanitised draft the public cannot see', async () => {
    const r = await h.api('handA1', 'POST', '/api/v1/kb/articles', {
      title: '居住证怎么办理?',
      bodyHtml: body,
      categoryId: 'legal.aid',
      keywords: ['居住证', '暂住证'],
      legalBasis: [{ law: '居住证暂行条例', article: '第二条' }],
    });
    expect(r.statusCode, r.body).toBe(201);
    const a = r.json();
    id = a.id;
    expect(a.status).toBe('draft');
    expect(a.bodyHtml).not.toMatch(/script|onclick|onerror|javascript|<img/i);
    expect(a.bodyHtml).toContain('<p>办理居住证');
    expect(a.ownerUnitId).toBe('a-ps1');
    expect(await top('居住证怎么办')).not.toContain(id);
    expect((await h.api(null, 'GET', `/api/v1/kb/articles/${id}/public`)).statusCode).toBe(404);
  });

  it('is reviewed by someone else than its author (四眼), then published', async () => {
    expect((await h.api('handA1', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'review' })).statusCode).toBe(403); // handlers write, do not review
    expect((await h.api('dispB', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'review' })).statusCode).toBe(403); // out of scope
    expect((await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'publish' })).json().error.code).toBe('KB_ILLEGAL_TRANSITION');
    const rv = await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'review', note: '依据核实无误' });
    expect(rv.statusCode, rv.body).toBe(200);
    expect(rv.json().status).toBe('reviewed');
    const pub = await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'publish' });
    expect(pub.json()).toMatchObject({ status: 'published', liveVersion: 1 });
    expect((await top('居住证怎么办'))[0]).toBe(id);
  });

  it('an author may not review their own version', async () => {
    const r = await h.api('dispA', 'POST', '/api/v1/kb/articles', { title: '综治中心办事指南', bodyHtml: '<p>综治中心受理群众各类矛盾纠纷和诉求。</p>' });
    const rv = await h.api('dispA', 'POST', `/api/v1/kb/articles/${r.json().id}/actions`, { action: 'review' });
    expect(rv.statusCode).toBe(409);
    expect(rv.json().error.code).toBe('KB_SELF_REVIEW');
  });

  it('an edit makes a new draft version; the public keeps the published one until it is republished', async () => {
    expect((await h.api('handB1', 'PATCH', `/api/v1/kb/articles/${id}`, { title: '越权修改' })).statusCode).toBe(403);
    const stale = await h.api('handA1', 'PATCH', `/api/v1/kb/articles/${id}`, { title: '居住证怎么办理?需要什么材料?', expectedRev: 1 });
    expect(stale.statusCode).toBe(409);
    const current = (await h.api('handA1', 'GET', `/api/v1/kb/articles/${id}`)).json().article;
    const ed = await h.api('handA1', 'PATCH', `/api/v1/kb/articles/${id}`, { title: '居住证怎么办理?需要什么材料?', expectedRev: current.rev, note: '补充材料清单' });
    expect(ed.statusCode, ed.body).toBe(200);
    expect(ed.json()).toMatchObject({ status: 'draft', version: 2, liveVersion: 1 });
    expect((await h.api(null, 'GET', `/api/v1/kb/articles/${id}/public`)).json()).toMatchObject({ title: '居住证怎么办理?', version: 1 });
    const detail = (await h.api('dispA', 'GET', `/api/v1/kb/articles/${id}`)).json();
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(detail.versions[0].changes.map((c: { field: string }) => c.field)).toEqual(['title']);
    const author = await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', 'handA1').executeTakeFirstOrThrow();
    expect(detail.versions[0].changedBy).toBe(author.id);
    expect(detail.log.map((l: { action: string }) => l.action)).toEqual(['create', 'review', 'publish', 'edit']);
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'review' });
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'publish' });
    expect((await h.api(null, 'GET', `/api/v1/kb/articles/${id}/public`)).json()).toMatchObject({ title: '居住证怎么办理?需要什么材料?', version: 2 });
    const v1 = await h.api('dispA', 'GET', `/api/v1/kb/articles/${id}/versions/1`);
    expect(v1.json().title).toBe('居住证怎么办理?');
  });

  it('expired by hand: gone from the public side at once', async () => {
    const ex = await h.api('dispA', 'POST', `/api/v1/kb/articles/${id}/actions`, { action: 'expire', note: '政策调整' });
    expect(ex.json()).toMatchObject({ status: 'expired', liveVersion: null });
    expect(await top('居住证怎么办')).not.toContain(id);
    expect((await h.api(null, 'GET', `/api/v1/kb/articles/${id}/public`)).statusCode).toBe(404);
  });

  it('expires by its validity date: hidden at once, taken off the index by the job', async () => {
    const now = h.clock.now;
    const c = await h.api('handA1', 'POST', '/api/v1/kb/articles', {
      title: '春节期间出入境证件办理时间安排',
      bodyHtml: '<p>春节期间出入境证件受理窗口照常开放,护照、港澳通行证可预约办理。</p>',
      validTo: new Date(now + 10 * DAY).toISOString(),
    });
    const aid = c.json().id as string;
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${aid}/actions`, { action: 'review' });
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${aid}/actions`, { action: 'publish' });
    expect((await top('春节出入境证件办理时间'))[0]).toBe(aid);
    h.clock.now += 11 * DAY;
    expect(await top('春节出入境证件办理时间')).not.toContain(aid);
    expect(await h.s.knowledge.expireDue()).toBe(1);
    const a = (await h.api('dispA', 'GET', `/api/v1/kb/articles/${aid}`)).json().article;
    expect(a).toMatchObject({ status: 'expired', liveVersion: null });
    // Publishing something whose validity ended is refused.
    const old = await h.api('handA1', 'POST', '/api/v1/kb/articles', { title: '过期通知', bodyHtml: '<p>这是一则已经过期的通知内容。</p>', validTo: new Date(h.clock.now - DAY).toISOString() });
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${old.json().id}/actions`, { action: 'review' });
    const pub = await h.api('dispA', 'POST', `/api/v1/kb/articles/${old.json().id}/actions`, { action: 'publish' });
    expect(pub.json().error.code).toBe('KB_VALIDITY_ENDED');
  });
});

describe('“this solved it”', () => {
  it('records a resolved consultation once per search visit, with region, category and day', async () => {
    const session = 'visit-0001-abcdef';
    await search('被骗', `&session=${session}&regionCode=360602001`);
    const r = await search('被骗了钱怎么追回', `&session=${session}&regionCode=360602001`);
    expect(r.queryId).toBeTruthy();
    const rows = await h.s.ctx.db.selectFrom('kb_queries').selectAll().where('session', '=', `s:${session}`).execute();
    expect(rows).toHaveLength(1); // one question per visit, as typed last
    expect(rows[0]!.query).toBe('被骗了钱怎么追回');
    const articleId = r.items[0]!.id;
    expect((await h.api(null, 'POST', `/api/v1/kb/queries/${r.queryId}/click`, { articleId })).statusCode).toBe(200);
    const first = await h.api(null, 'POST', '/api/v1/kb/resolutions', { queryId: r.queryId, articleId });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().counted).toBe(true);
    const again = await h.api(null, 'POST', '/api/v1/kb/resolutions', { queryId: r.queryId, articleId });
    expect(again.json()).toMatchObject({ counted: false, resolutionId: first.json().resolutionId });
    const res = await h.s.ctx.db.selectFrom('kb_resolutions').selectAll().execute();
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ region_code: '360602001', category_id: 'fraud', article_id: articleId, channel: 'web' });
    expect(res[0]!.day).toBe(Number(new Date(h.clock.now + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')));
    const stats = await h.api('leaderCity', 'GET', `/api/v1/kb/resolutions/stats?from=${new Date(h.clock.now - DAY).toISOString()}&to=${new Date(h.clock.now + DAY).toISOString()}`);
    expect(stats.json()).toMatchObject({ total: 1, byCategory: [{ categoryId: 'fraud', count: 1 }] });
    // It counts in the figures: the 潜绩 of the district's units (live views), not of another district's.
    const day = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const period = `${day(h.clock.now - DAY)}..${day(h.clock.now + DAY)}`;
    const here = await h.api('leaderCity', 'GET', `/api/v1/metrics/units/a-ps1?period=${period}`);
    expect(here.statusCode, here.body).toBe(200);
    expect(here.json().latent.resolvedBeforeAppeal).toEqual({ count: 1 });
    expect((await h.api('leaderCity', 'GET', `/api/v1/metrics/units/b-ps1?period=${period}`)).json().latent.resolvedBeforeAppeal).toEqual({ count: 0 });
    // Without a search, or for an unknown article: nothing is counted.
    expect((await h.api(null, 'POST', '/api/v1/kb/resolutions', { queryId: 'nope-00000000', articleId })).statusCode).toBe(404);
    expect((await h.api(null, 'POST', '/api/v1/kb/resolutions', { queryId: r.queryId, articleId: 'kb-noise-2012' })).statusCode).toBe(404);
  });
});

describe('beside each appeal', () => {
  let appealId = '';
  it('matches articles with their legal basis, within the user’s data scope', async () => {
    const r = await h.api(null, 'POST', '/api/v1/appeals', {
      type: 'consult',
      title: '被骗了钱还能追回来吗',
      body: '昨天有人冒充网购客服说要给我退款,让我开了屏幕共享,卡里的钱被转走了八千元,请问钱还能追回来吗?',
      regionCode: '360602001',
      phone: '13800001111',
      anonymous: false,
    });
    expect(r.statusCode, r.body).toBe(201);
    appealId = r.json().id;
    const m = await h.api('dispA', 'GET', `/api/v1/kb/for-appeal/${appealId}`);
    expect(m.statusCode, m.body).toBe(200);
    const items = m.json().items as { id: string; legalBasis: { law: string }[]; citation: string }[];
    expect(items[0]!.id).toMatch(/^kb-fraud-/);
    expect(items[0]!.legalBasis.length).toBeGreaterThan(0);
    expect(items[0]!.citation).toContain('《中华人民共和国反电信网络诈骗法》');
    expect((await h.api('dispB', 'GET', `/api/v1/kb/for-appeal/${appealId}`)).statusCode).toBe(404);
    expect((await h.api('handA1', 'GET', `/api/v1/kb/for-appeal/${appealId}`)).statusCode).toBe(404); // not yet dispatched to them
    await h.api('dispA', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
    expect((await h.api('handA1', 'GET', `/api/v1/kb/for-appeal/${appealId}`)).statusCode).toBe(200);
  });

  it('cites an article in a reply: the citation text with the law and its words', async () => {
    const c = await h.api('handA1', 'POST', '/api/v1/kb/articles/kb-fraud-victim/cite', { appealId });
    expect(c.statusCode, c.body).toBe(200);
    const text = c.json().text as string;
    expect(text).toContain('根据《中华人民共和国反电信网络诈骗法》第二条');
    expect(text).toContain('第二十条');
    expect(text).toContain('“本法所称电信网络诈骗');
    expect(text).toContain('编号 kb-fraud-victim');
    const cited = await h.s.ctx.db.selectFrom('kb_citations').selectAll().where('appeal_id', '=', appealId).execute();
    expect(cited).toHaveLength(1);
    expect((await h.api('handB1', 'POST', '/api/v1/kb/articles/kb-fraud-victim/cite', { appealId })).statusCode).toBe(404);
    expect((await h.api('handA1', 'POST', '/api/v1/kb/articles/kb-noise-2012/cite', {})).json().error.code).toBe('KB_NOT_PUBLISHED');
    const reply = await h.api('handA1', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'accept' });
    expect(reply.statusCode).toBe(200);
    const done = await h.api('handA1', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'reply', text: `您好,请立即报警。${text}` });
    expect(done.statusCode, done.body).toBe(200);
  });
});

describe('gaps', () => {
  it('lists questions asked often that no article answers, and drops them once answered', async () => {
    const asked = ['护照过期了怎么换新的', '护照到期怎么办理换发', '办护照需要什么材料', '护照丢了怎么补办'];
    let n = 0;
    for (const q of asked) await search(q, `&session=gap-visit-${++n}-xxxxxxxx&regionCode=360602001`);
    // A question someone found the answer to is not a gap.
    const found = await search('被骗了怎么办', '&session=gap-visit-found-xxxx');
    await h.api(null, 'POST', `/api/v1/kb/queries/${found.queryId}/click`, { articleId: found.items[0]!.id });
    // Consultations become questions too (the notifier job does this).
    const c = await h.api(null, 'POST', '/api/v1/appeals', { type: 'consult', title: '咨询护照办理流程', body: '我下个月要出国,想问一下护照去哪里办理,需要多长时间?', regionCode: '360602001', anonymous: true });
    expect(c.statusCode).toBe(201);
    expect(await h.s.knowledge.processAppealQuestions()).toBeGreaterThanOrEqual(1);
    expect(await h.s.knowledge.processAppealQuestions()).toBe(0); // the cursor moved on

    const g = await h.api('handA1', 'GET', '/api/v1/kb/gaps?minCount=2');
    expect(g.statusCode, g.body).toBe(200);
    const gap = (g.json().items as { key: string; count: number; fromAppeals: number; examples: string[] }[]).find((i) => i.key.includes('护照'));
    expect(gap, JSON.stringify(g.json())).toBeTruthy();
    expect(gap!.count).toBeGreaterThanOrEqual(4);
    expect(gap!.fromAppeals).toBeGreaterThanOrEqual(1);
    expect(gap!.examples.length).toBeGreaterThan(0);
    expect(g.json().items.some((i: { examples: string[] }) => i.examples.includes('被骗了怎么办'))).toBe(false);
    expect((await h.api(null, 'GET', '/api/v1/kb/gaps')).statusCode).toBe(401);
    expect((await h.api('auditor', 'GET', '/api/v1/kb/gaps')).statusCode).toBe(403);

    // The owners write the answer; the gap goes away.
    const a = await h.api('handA1', 'POST', '/api/v1/kb/articles', {
      title: '护照怎么办理、换发和补办?',
      bodyHtml: '<p>护照由公安机关出入境管理机构办理。首次申请、到期换发、丢失补办,都可以在全国任一出入境接待大厅申请,带居民身份证,现场采集照片和指纹,一般7个工作日内办结。</p>',
      keywords: ['护照', '换发', '补办', '出入境'],
      legalBasis: [{ law: '中华人民共和国护照法', article: '第五条' }],
    });
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${a.json().id}/actions`, { action: 'review' });
    await h.api('dispA', 'POST', `/api/v1/kb/articles/${a.json().id}/actions`, { action: 'publish' });
    const after = await h.api('handA1', 'GET', '/api/v1/kb/gaps?minCount=2');
    expect((after.json().items as { key: string }[]).some((i) => i.key.includes('护照'))).toBe(false);
    const withAnswered = await h.api('handA1', 'GET', '/api/v1/kb/gaps?minCount=2&includeAnswered=true');
    const answered = (withAnswered.json().items as { key: string; bestMatch: { id: string } | null }[]).find((i) => i.key.includes('护照'));
    expect(answered?.bestMatch?.id).toBe(a.json().id);
  });

  it('masks phone and ID numbers in the questions it keeps', async () => {
    await search('我的电话13912345678被人冒用办卡怎么办', '&session=pii-visit-xxxxxxxx');
    const row = await h.s.ctx.db.selectFrom('kb_queries').select('query').where('session', '=', 's:pii-visit-xxxxxxxx').executeTakeFirstOrThrow();
    expect(row.query).not.toContain('13912345678');
  });
});

describe('synonyms', () => {
  it('a deployment adds its own wording', async () => {
    expect((await h.api('handA1', 'PUT', '/api/v1/kb/synonyms', { phrase: '出国证件', terms: ['护照'] })).statusCode).toBe(403);
    expect((await h.api('dispA', 'PUT', '/api/v1/kb/synonyms', { phrase: '出国证件', terms: ['护照', '出入境'] })).statusCode).toBe(200);
    const ids = await top('出国证件怎么弄');
    const title = (await h.api(null, 'GET', `/api/v1/kb/articles/${ids[0]}/public`)).json().title as string;
    expect(title).toContain('护照');
    const list = (await h.api('handA1', 'GET', '/api/v1/kb/synonyms')).json().items as { phrase: string; custom: boolean }[];
    expect(list.find((s) => s.phrase === '出国证件')?.custom).toBe(true);
    expect(list.find((s) => s.phrase === '被骗')?.custom).toBe(false);
    expect((await h.api('dispA', 'DELETE', `/api/v1/kb/synonyms?phrase=${encodeURIComponent('出国证件')}`)).statusCode).toBe(200);
  });
});
