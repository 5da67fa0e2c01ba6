// Consultations (征集) through the API: opening, suggestions with screening, supports once per
// person, moderation (audited, nothing deleted), public answers, follow-up tasks, the results page,
// and the text feed for hotspots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';
import { at, citizenPost } from '../support/participation.ts';

let h: Harness;
let cid: string;
const base = () => `/api/v1/consultations/${cid}`;
const suggestion = (title: string, body: string, phone: string, answers: Record<string, unknown> = { where: '公园广场' }) => ({ title, body, phone, answers });

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

describe('opening a consultation', () => {
  it('a dispatcher opens one for the district; others cannot', async () => {
    const body = {
      title: '关于加强夜间巡逻的意见征集',
      background: '近期群众反映夜间治安问题较多,现就加强夜间巡逻防控公开征集意见建议。',
      regionCode: '360602',
      opensAt: at(h, -1),
      closesAt: at(h, 10),
      published: true,
      questions: [
        { id: 'where', kind: 'single', text: '您最关心哪类场所的夜间安全?', required: true, options: ['公园广场', '学校周边', '老旧小区'] },
        { id: 'how', kind: 'multi', text: '您希望采取哪些措施?', required: false, options: ['增加巡逻', '增设路灯', '安装监控'] },
      ],
    };
    expect((await h.api('handA1', 'POST', '/api/v1/consultations', body)).statusCode).toBe(403);
    const outside = await h.api('dispA', 'POST', '/api/v1/consultations', { ...body, regionCode: '360603' });
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().error.code).toBe('REGION_SCOPE');
    const bad = await h.api('dispA', 'POST', '/api/v1/consultations', { ...body, closesAt: at(h, -2) });
    expect(bad.statusCode).toBe(400);
    const dup = await h.api('dispA', 'POST', '/api/v1/consultations', { ...body, questions: [body.questions[0], body.questions[0]] });
    expect(dup.statusCode).toBe(400);
    const r = await h.api('dispA', 'POST', '/api/v1/consultations', body);
    expect(r.statusCode, r.body).toBe(201);
    cid = r.json().id;
    expect(r.json()).toMatchObject({ phase: 'open', published: true, unitId: 'a', regionCode: '360602' });
  });

  it('drafts stay private; other units do not see it', async () => {
    const draft = await h.api('dispA', 'POST', '/api/v1/consultations', { title: '草稿征集事项', background: '这是一个尚未发布的征集草稿内容。', opensAt: at(h, 0), closesAt: at(h, 5) });
    expect(draft.statusCode).toBe(201);
    expect((await h.api(null, 'GET', `/api/v1/consultations/${draft.json().id}`)).statusCode).toBe(404);
    const list = await h.api(null, 'GET', '/api/v1/consultations');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([cid]);
    expect((await h.api('dispA', 'GET', '/api/v1/consultations/managed')).json().items).toHaveLength(2);
    expect((await h.api('dispB', 'GET', '/api/v1/consultations/managed')).json().items).toHaveLength(0);
    expect((await h.api('dispB', 'GET', `${base()}/manage`)).statusCode).toBe(404);
    expect((await h.api('dispB', 'PATCH', base(), { title: '越权修改标题' })).statusCode).toBe(404);
  });
});

const ids = { plain: '', masked: '', abuse: '', pii: '', limitFirst: '', camera: '', captcha: '' };

describe('suggestions', () => {
  it('a plain suggestion is public at once', async () => {
    const r = await citizenPost(h, `${base()}/suggestions`, suggestion('江滨公园夜间加强巡逻', '江滨公园晚上十点后人少,建议派出所增加巡逻频次,并在出入口安装照明。', '13900000001', { where: '公园广场', how: ['增加巡逻', '增设路灯'] }));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'published', masked: false, held: false });
    ids.plain = r.json().id;
  });

  it('masks phone numbers in public text and keeps no plaintext phone', async () => {
    const r = await citizenPost(h, `${base()}/suggestions`, suggestion('学校门口增设护学岗', '实验小学放学时门口拥堵,建议设护学岗。联系我 13812345678 了解情况。', '13900000002', { where: '学校周边' }));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'published', masked: true });
    ids.masked = r.json().id;
    const list = (await h.api(null, 'GET', `${base()}/suggestions?sort=new`)).json();
    const s = list.items.find((x: { id: string }) => x.id === ids.masked);
    expect(s.body).toContain('138****5678');
    expect(JSON.stringify(list)).not.toContain('13812345678');
    const row = await h.s.ctx.db.selectFrom('suggestions').selectAll().where('id', '=', ids.masked).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(JSON.stringify(row)).not.toContain('13900000002');
    expect(row.author_phone_idx).toBe(h.s.ctx.pii.blindIndex('13900000002'));
  });

  it('holds abuse and ID numbers for a moderator', async () => {
    const abuse = await citizenPost(h, `${base()}/suggestions`, suggestion('派出所不作为要整改', '那些狗官什么都不管,晚上从来看不到巡逻的人影子。', '13900000003'));
    expect(abuse.json()).toMatchObject({ status: 'pending', held: true });
    ids.abuse = abuse.json().id;
    const pii = await citizenPost(h, `${base()}/suggestions`, suggestion('邻居深夜喧哗扰民', '邻居王某身份证11010519491231002X经常深夜喧哗,建议依法处理。', '13900000004', { where: '老旧小区' }));
    expect(pii.json()).toMatchObject({ status: 'pending', masked: true });
    ids.pii = pii.json().id;
    const pub = (await h.api(null, 'GET', `${base()}/suggestions`)).json();
    expect(pub.items.map((x: { id: string }) => x.id).sort()).toEqual([ids.plain, ids.masked].sort());
    const held = (await h.api('dispA', 'GET', `${base()}/suggestions/managed?status=pending`)).json();
    expect(held.items.map((x: { id: string; modReason: string }) => [x.id, x.modReason]).sort()).toEqual([[ids.abuse, 'abuse'], [ids.pii, 'personal_data']].sort());
    expect(held.items[0].authorPhoneMasked).toMatch(/^139\*\*\*\*000[34]$/);
  });

  it('refuses bad input with a clear 4xx', async () => {
    const url = `${base()}/suggestions`;
    expect((await citizenPost(h, url, suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '12345'))).statusCode).toBe(400);
    const missing = await citizenPost(h, url, suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '13900000009', {}));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toBe('answers.where');
    expect((await citizenPost(h, url, suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '13900000009', { where: '医院' }))).statusCode).toBe(400);
    expect((await citizenPost(h, url, suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '13900000009', { where: '公园广场', nope: 'x' }))).statusCode).toBe(400);
    expect((await citizenPost(h, url, { ...suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '13900000009'), extra: 1 })).statusCode).toBe(400);
    expect((await citizenPost(h, '/api/v1/consultations/NOPE/suggestions', suggestion('有效的建议标题', '这是一条长度足够的建议正文内容。', '13900000009'))).statusCode).toBe(404);
  });

  it('one person: no duplicates, at most five', async () => {
    const url = `${base()}/suggestions`;
    const phone = '13900000010';
    const first = await citizenPost(h, url, suggestion('第一条建议标题', '第一条建议的具体内容在这里。', phone));
    expect(first.statusCode).toBe(201);
    const again = await citizenPost(h, url, suggestion('第一条建议标题', '第一条建议的具体内容在这里!', phone));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_SUGGESTION');
    for (let i = 2; i <= 5; i++) expect((await citizenPost(h, url, suggestion(`第${i}条建议标题`, `第${i}条建议的具体内容在这里。`, phone))).statusCode).toBe(201);
    const sixth = await citizenPost(h, url, suggestion('第六条建议标题', '第六条建议的具体内容在这里。', phone));
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json().error.code).toBe('SUGGESTION_LIMIT');
    ids.limitFirst = first.json().id;
  });

  it('an Idempotency-Key makes a retry safe', async () => {
    const body = suggestion('监控探头覆盖盲区', '建议在老旧小区的背街小巷加装监控探头,消除治安盲区。', '13900000011', { where: '老旧小区', how: ['安装监控'] });
    const a = await citizenPost(h, `${base()}/suggestions`, body, { 'idempotency-key': 'sugg-retry-0001' });
    const b = await citizenPost(h, `${base()}/suggestions`, body, { 'idempotency-key': 'sugg-retry-0001' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ id: a.json().id, replayed: true });
    ids.camera = a.json().id;
  });

  it('public writes need a solved captcha', async () => {
    const r = await citizenPost(h, `${base()}/suggestions`, suggestion('没有验证码的建议', '这条建议没有携带有效的验证码,应当被拒绝。', '13900000012'), { 'x-captcha': 'bogus' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toMatch(/^CAPTCHA_/);
    const s = await citizenPost(h, `${base()}/suggestions/${ids.plain}/support`, { phone: '13700000001' }, { 'x-captcha': 'bogus' });
    expect(s.statusCode).toBe(400);
    // A solution is good once.
    const solved = await h.captcha();
    const first = await citizenPost(h, `${base()}/suggestions`, suggestion('验证码只能用一次', '同一个验证码第二次使用时应当被拒绝。', '13900000013'), { 'x-captcha': solved });
    expect(first.statusCode).toBe(201);
    const replay = await citizenPost(h, `${base()}/suggestions`, suggestion('验证码只能用一次吗', '同一个验证码第二次使用时应当被拒绝!', '13900000014'), { 'x-captcha': solved });
    expect(replay.json().error.code).toBe('CAPTCHA_USED');
    ids.captcha = first.json().id;
  });
});

describe('support once per person', () => {
  it('counts each phone once, refuses own and held suggestions', async () => {
    const url = (sid: string) => `${base()}/suggestions/${sid}/support`;
    for (const phone of ['13700000001', '13700000002', '13700000003']) {
      const r = await citizenPost(h, url(ids.plain), { phone });
      expect(r.statusCode, r.body).toBe(200);
    }
    const again = await citizenPost(h, url(ids.plain), { phone: '+86 137-0000-0002' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_SUPPORTED');
    expect((await citizenPost(h, url(ids.masked), { phone: '13700000001' })).json().supportCount).toBe(1);
    const own = await citizenPost(h, url(ids.plain), { phone: '13900000001' });
    expect(own.json().error.code).toBe('OWN_SUGGESTION');
    expect((await citizenPost(h, url(ids.abuse), { phone: '13700000009' })).statusCode).toBe(404);
    const top = (await h.api(null, 'GET', `${base()}/suggestions?sort=support`)).json().items;
    expect(top[0]).toMatchObject({ id: ids.plain, supportCount: 3 });
    const keys = await h.s.ctx.db.selectFrom('suggestion_supports').select('supporter_key').execute();
    // The key of a support is not the phone's blind index (it cannot be joined with appeals).
    expect(keys.map((k) => k.supporter_key)).not.toContain(h.s.ctx.pii.blindIndex('13700000001'));
  });
});

describe('moderation', () => {
  it('hides with a reason, keeps the suggestion, records who and why', async () => {
    const url = (sid: string) => `${base()}/suggestions/${sid}/moderation`;
    expect((await h.api('handA1', 'POST', url(ids.limitFirst), { action: 'hide', reason: 'off_topic', note: '与本次征集无关' })).statusCode).toBe(403);
    expect((await h.api('dispA', 'POST', url(ids.limitFirst), { action: 'hide', note: '没有理由' })).statusCode).toBe(400);
    const hid = await h.api('dispA', 'POST', url(ids.limitFirst), { action: 'hide', reason: 'off_topic', note: '与本次征集主题无关' });
    expect(hid.statusCode, hid.body).toBe(200);
    expect(hid.json()).toMatchObject({ status: 'hidden', modReason: 'off_topic', modNote: '与本次征集主题无关' });
    expect((await h.api(null, 'GET', `${base()}/suggestions?pageSize=100`)).json().items.map((x: { id: string }) => x.id)).not.toContain(ids.limitFirst);
    const all = (await h.api('dispA', 'GET', `${base()}/suggestions/managed?status=hidden`)).json();
    expect(all.items.map((x: { id: string }) => x.id)).toEqual([ids.limitFirst]);
    // Restore, then hide again: the history keeps every step.
    expect((await h.api('dispA', 'POST', url(ids.limitFirst), { action: 'restore', note: '复核后恢复' })).json().status).toBe('published');
    expect((await h.api('dispA', 'POST', url(ids.limitFirst), { action: 'hide', reason: 'duplicate', note: '与其他建议重复' })).json().status).toBe('hidden');
    const hist = (await h.api('dispA', 'GET', `${base()}/suggestions/${ids.limitFirst}/history`)).json().items;
    expect(hist.map((e: { action: string }) => e.action)).toEqual(['submitted', 'moderation.hide', 'moderation.restore', 'moderation.hide']);
    expect(hist[1]).toMatchObject({ actorKind: 'staff', payload: { reason: 'off_topic', from: 'published', to: 'hidden' } });
    const audit = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'suggestion.moderate').where('object_id', '=', ids.limitFirst).execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]!.actor_name).toBe('dispA');
  });

  it('redacts the public text (the original stays, encrypted) and approves', async () => {
    const url = `${base()}/suggestions/${ids.pii}/moderation`;
    expect((await h.api('dispA', 'POST', url, { action: 'restore', note: '不能恢复待审内容' })).statusCode).toBe(409);
    const red = await h.api('dispA', 'POST', url, { action: 'redact', body: '邻居经常深夜喧哗,建议依法处理。', note: '删去他人身份信息' });
    expect(red.statusCode, red.body).toBe(200);
    expect(red.json()).toMatchObject({ status: 'pending', hasOriginal: true, body: '邻居经常深夜喧哗,建议依法处理。' });
    const ok = await h.api('dispA', 'POST', url, { action: 'approve', note: '已删去个人信息' });
    expect(ok.json().status).toBe('published');
    // Approving the abuse is the moderator's call too — here it stays held, then is hidden.
    expect((await h.api('dispA', 'POST', `${base()}/suggestions/${ids.abuse}/moderation`, { action: 'hide', reason: 'abuse', note: '含辱骂性语言' })).json().status).toBe('hidden');
    // The original is readable to a permitted moderator, for a reason, and that read is audited.
    const un = await h.api('dispA', 'POST', `${base()}/suggestions/${ids.pii}/unmask`, { reason: '核实举报内容' });
    expect(un.json()).toMatchObject({ phone: '13900000004' });
    expect(un.json().originalBody).toContain('11010519491231002X');
    expect((await h.api('leaderA', 'POST', `${base()}/suggestions/${ids.pii}/unmask`, { reason: '核实举报内容' })).statusCode).toBe(403);
  });
});

describe('answers and follow-up tasks', () => {
  it('answers publicly', async () => {
    const url = (sid: string) => `${base()}/suggestions/${sid}/answer`;
    expect((await h.api('dispA', 'POST', url(ids.abuse), { outcome: 'not_adopted', reason: '内容不当' })).statusCode).toBe(409);
    const noAction = await h.api('dispA', 'POST', url(ids.plain), { outcome: 'adopted', reason: '建议合理可行' });
    expect(noAction.statusCode).toBe(400);
    const a = await h.api('dispA', 'POST', url(ids.plain), { outcome: 'adopted', reason: '建议合理可行', action: '城关派出所自下月起在江滨公园增设夜间巡逻,并协调增设照明。', categoryId: 'order' });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().answer).toMatchObject({ outcome: 'adopted', outcomeLabel: { zh: '采纳' }, unitName: '清江区综治中心' });
    expect((await h.api('leaderA', 'POST', url(ids.masked), { outcome: 'partly_adopted', reason: '护学岗已有,将优化时段', action: '放学时段增派警力' })).statusCode).toBe(200);
    expect((await h.api('dispA', 'POST', url(ids.camera), { outcome: 'not_adopted', reason: '该区域监控已在建设计划中,年内完工' })).statusCode).toBe(200);
  });

  it('an adopted suggestion becomes a task with public progress', async () => {
    const url = (sid: string) => `${base()}/suggestions/${sid}/tasks`;
    const t = { title: '江滨公园夜间巡逻', description: '每晚 20:00-24:00 巡逻两次', unitId: 'a-ps1', dueAt: at(h, 30) };
    expect((await h.api('dispA', 'POST', url(ids.camera), t)).json().error.code).toBe('TASK_NEEDS_ADOPTION');
    expect((await h.api('dispA', 'POST', url(ids.plain), { ...t, dueAt: at(h, -1) })).statusCode).toBe(400);
    expect((await h.api('dispA', 'POST', url(ids.plain), { ...t, unitId: 'b-ps1' })).statusCode).toBe(403);
    const r = await h.api('dispA', 'POST', url(ids.plain), t);
    expect(r.statusCode, r.body).toBe(201);
    const taskId = r.json().id;
    expect(r.json()).toMatchObject({ status: 'open', unitName: '城关派出所', overdue: false });
    const prog = (user: string, body: unknown) => h.api(user, 'POST', `/api/v1/consultation-tasks/${taskId}/progress`, body);
    expect((await prog('handB1', { note: '越权更新进度', status: 'in_progress' })).statusCode).toBe(404);
    expect((await prog('handA1', { note: '已排定巡逻班次', status: 'in_progress' })).json().status).toBe('in_progress');
    h.clock.now += 5 * 86_400_000;
    const done = await prog('handA1', { note: '巡逻已常态化,新增路灯 12 盏', status: 'done' });
    expect(done.json()).toMatchObject({ status: 'done', overdue: false });
    expect(done.json().updates.map((u: { status: string }) => u.status)).toEqual(['open', 'in_progress', 'done']);
    expect((await prog('dispA', { note: '重新打开', status: 'open' })).statusCode).toBe(409);
  });
});

describe('the public results page', () => {
  it('sums up participation, top suggestions, answers and what was done', async () => {
    const r = await h.api(null, 'GET', `${base()}/results`);
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json();
    expect(res.figures).toMatchObject({
      received: 11,
      hidden: 2,
      pending: 0,
      participants: 7,
      supports: 4,
      supporters: 3,
      answered: 3,
      outcomes: { adopted: 1, partly_adopted: 1, not_adopted: 1 },
      tasks: 1,
      tasksDone: 1,
      tasksOverdue: 0,
    });
    expect(res.figures.published).toBe(9);
    expect(res.figures.hiddenByReason.map((x: { reason: string }) => x.reason).sort()).toEqual(['abuse', 'duplicate']);
    expect(res.top[0]).toMatchObject({ id: ids.plain, supportCount: 3, answer: { outcome: 'adopted' } });
    expect(res.tasks[0]).toMatchObject({ status: 'done', suggestionTitle: '江滨公园夜间加强巡逻' });
    const where = res.questions.find((q: { id: string }) => q.id === 'where');
    expect(where.options.find((o: { option: string }) => o.option === '公园广场').count).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(res)).not.toMatch(/139000000\d\d/);
    expect(JSON.stringify(res)).not.toContain('狗官');
  });

  it('after the close: no more suggestions or supports, results stay', async () => {
    h.clock.now += 10 * 86_400_000;
    expect((await citizenPost(h, `${base()}/suggestions`, suggestion('截止后的建议', '征集已经截止后才提交的建议内容。', '13900000020'))).json().error.code).toBe('CONSULTATION_NOT_OPEN');
    expect((await citizenPost(h, `${base()}/suggestions/${ids.masked}/support`, { phone: '13700000005' })).json().error.code).toBe('CONSULTATION_NOT_OPEN');
    const pub = await h.api(null, 'GET', base());
    expect(pub.json().phase).toBe('closed');
    const concl = await h.api('dispA', 'PATCH', base(), { summary: '本次征集共收到建议 10 条,采纳 1 条,部分采纳 1 条。' });
    expect(concl.statusCode).toBe(200);
    expect((await h.api(null, 'GET', `${base()}/results`)).json().consultation.summary).toContain('采纳 1 条');
  });
});

describe('the text feed for hotspots and the classifier', () => {
  it('lists suggestion texts since a time, hidden ones left out', async () => {
    const items = [];
    for await (const t of h.s.participation.consultations.listSuggestionTexts(0, { batchSize: 3 })) items.push(t);
    expect(items).toHaveLength(9);
    expect(items.map((t) => t.suggestionId)).not.toContain(ids.abuse);
    const plain = items.find((t) => t.suggestionId === ids.plain)!;
    expect(plain).toMatchObject({ source: 'suggestion', likes: 3, regionCode: '360602', categoryId: 'order', answerOutcome: 'adopted', citizenKey: h.s.ctx.pii.blindIndex('13900000001') });
    expect(items.map((t) => t.time)).toEqual([...items.map((t) => t.time)].sort((a, b) => a - b));
    const later = [];
    for await (const t of h.s.participation.consultations.listSuggestionTexts(h.clock.now)) later.push(t);
    expect(later).toHaveLength(0);
  });

  it('exports to .xlsx for staff in scope only', async () => {
    const x = await h.api('dispA', 'GET', `${base()}/export.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await h.api('dispB', 'GET', `${base()}/export.xlsx`)).statusCode).toBe(404);
    expect((await h.api(null, 'GET', `${base()}/export.xlsx`)).statusCode).toBe(401);
  });

  it('answers hostile input on every participation route with a 4xx, never a 500', async () => {
    const nasty: unknown[] = [null, 1, 'x', [], {}, { title: 'x'.repeat(100_000) }, { phone: { $gt: '' } }, { answers: { where: ['a', { b: 1 }] } }, { action: 'drop table' }, { outcome: 'adopted', reason: 1 }, { cells: 'all' }];
    const routes = h.app.routeRegistry.filter((r) => /consultation|survey/.test(r.url));
    expect(routes.length).toBeGreaterThan(25);
    for (const r of routes) {
      const url = r.url.replace(':id', cid).replace(':sid', ids.plain).replace(':regionCode', '360602');
      for (const user of [null, 'dispA']) {
        for (const body of r.method === 'GET' ? [undefined] : nasty) {
          const res = await h.api(user, r.method as 'GET' | 'POST' | 'PUT' | 'PATCH', url, body, { 'x-forwarded-for': '10.9.9.9' });
          expect(res.statusCode, `${r.method} ${url} ${JSON.stringify(body)?.slice(0, 60)}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
      }
      for (const bad of ['%E4%B8', "' OR 1=1 --", '../../etc/passwd', 'x'.repeat(300)]) {
        const u = r.url.replace(':id', encodeURIComponent(bad)).replace(':sid', 'NOPE').replace(':regionCode', encodeURIComponent(bad));
        const res = await h.api('dispA', r.method as 'GET', u, r.method === 'GET' ? undefined : {});
        expect(res.statusCode, `${r.method} ${u}`).toBeLessThan(500);
      }
    }
  });

  it('keeps the audit chain intact', async () => {
    expect((await h.s.audit.verify()).ok).toBe(true);
  });
});
