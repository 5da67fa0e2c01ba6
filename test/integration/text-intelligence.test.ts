// Text intelligence wired into the life of an appeal (issue 4), through the HTTP API on the database
// under test: the classifier learns confirmed categories and dispatches by the 派单目录 when confident;
// doubt, conflicts, repeats and missing catalogue entries go to triage with the reason; high risk
// becomes an emergency and an alert; repeats and same-issue appeals are linked; draft replies are
// checked; hotspots are detected, scoped, resolved and counted in the unit's 潜绩.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ env: { AUTO_DISPATCH: 'on', AUTO_DISPATCH_THRESHOLD: '0.6' } });
});
afterAll(async () => h?.close());

const NOISE = [
  ['楼上半夜拖椅子噪音扰民', '楼上每天半夜拖椅子跺地板，吵得睡不着，希望派出所管一管。'],
  ['广场舞音响太吵', '小区广场舞音响开得太大声，晚上九点多还在跳，老人孩子休息不了。'],
  ['装修电钻扰民', '隔壁装修周末一大早就开始电钻，噪音太大，能不能管管。'],
  ['KTV唱到凌晨', '楼下KTV每晚唱到凌晨两三点，噪音扰民，窗户关着都听得见。'],
  ['改装摩托车轰油门', '有人在小区里改装摩托车半夜轰油门，噪音很大，严重扰民。'],
  ['工地夜间施工噪音', '对面工地夜里施工，噪音太大影响休息，已经持续一个月。'],
  ['低音炮扰民', '邻居家音响低音炮一直响，孩子没法写作业，请处理噪音。'],
  ['酒吧喧哗扰民', '酒吧门口每天夜里喧哗到三点，严重扰民，睡不着觉。'],
];
const AID = [
  ['申请法律援助', '家里困难请不起律师，能申请法律援助吗，需要什么材料。'],
  ['讨薪找免费律师', '农民工讨薪，可以找免费的律师吗，法律援助怎么申请。'],
  ['低保户打官司', '低保户打官司能不能派律师，法律援助中心在哪里。'],
  ['残疾人法律援助', '我是残疾人，想申请法律援助打官司，请问流程是什么。'],
  ['老人赡养官司找律师', '老人要起诉子女赡养，没钱请律师，能不能法律援助。'],
  ['工伤赔偿法律援助', '工伤赔偿打官司请不起律师，申请法律援助要多久。'],
  ['离婚诉讼法律援助', '离婚诉讼经济困难，能否申请法律援助律师代理。'],
  ['法律援助条件', '法律援助需要什么条件，收入多少以下可以申请。'],
];

let phoneSeq = 0;
const nextPhone = () => `1390000${String(1000 + phoneSeq++).padStart(4, '0')}`;

async function submit(over: Record<string, unknown>) {
  const r = await h.api(null, 'POST', '/api/v1/appeals', {
    type: 'complaint',
    regionCode: '360602001',
    address: '清江区城关街道',
    citizenName: '李群众',
    phone: nextPhone(),
    anonymous: false,
    ...over,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; status: string; trackingCode: string };
}

const insight = async (id: string, user = 'dispA') => {
  const r = await h.api(user, 'GET', `/api/v1/appeals/${id}/insight`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('text intelligence at intake', () => {
  it('starts from the seed sentences, learns the categories dispatchers confirm, and reports its cross-validated accuracy', async () => {
    // Cold start: the first appeal trains the model on the shipped seed sentences of the deployment's categories.
    const first = await submit({ title: '邻居噪音问题', body: '楼上每天晚上都很吵，影响休息。' });
    const i0 = await insight(first.id);
    expect(i0.predicted).not.toBeNull();
    const cold = (await h.api('sysadmin', 'GET', '/api/v1/text/model')).json();
    expect(cold.reason).toBe('seed');
    expect(cold.labels.map((l: { categoryId: string }) => l.categoryId).sort()).toEqual(['legal.aid', 'order.noise']);

    // Dispatchers confirm categories by dispatching (the confirmed rows the model learns from).
    for (const [title, body] of NOISE) {
      const a = await submit({ title, body });
      const r = await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1', categoryId: 'order.noise' });
      if (r.statusCode !== 200) expect(r.json().error.code).toBe('ILLEGAL_TRANSITION'); // already auto-dispatched
    }
    for (const [title, body] of AID) {
      const a = await submit({ title, body, type: 'help' });
      await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1', categoryId: 'legal.aid' });
    }
    expect((await h.api('handA1', 'POST', '/api/v1/text/model/retrain')).statusCode).toBe(403);
    const trained = await h.api('sysadmin', 'POST', '/api/v1/text/model/retrain');
    expect(trained.statusCode, trained.body).toBe(200);
    const m = trained.json();
    expect(m.reason).toBe('manual');
    expect(m.confirmedRows).toBeGreaterThanOrEqual(8); // the noise appeals the cold-start model dispatched itself are not confirmed rows
    expect(m.report.folds).toBe(5);
    expect(m.report.confusion.labels).toEqual(['legal.aid', 'order.noise']);
    expect(m.report.perClass['order.noise'].f1).toBeGreaterThan(0.5); // 25 rows: the figure is real, not large
    expect(m.report.accuracy).toBeGreaterThan(0.6);
    expect(m.threshold).toBe(0.6);
    // Readers of the figures may see it; the auditor may not.
    expect((await h.api('leaderA', 'GET', '/api/v1/text/model')).statusCode).toBe(200);
    expect((await h.api('auditor', 'GET', '/api/v1/text/model')).statusCode).toBe(403);
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'text.model.train').execute();
    expect(audit).toEqual([{ action: 'text.model.train', actor_name: 'sysadmin' }]);
  });

  it('dispatches a confident prediction by the 派单目录, as the system, without a dispatcher', async () => {
    const a = await submit({ title: '楼下烧烤店深夜噪音扰民', body: '楼下烧烤店每天夜里喧哗到凌晨，音响很吵，睡不着觉，请派出所处理噪音。' });
    expect(a.status).toBe('dispatched');
    const detail = (await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`)).json();
    expect(detail.unitId).toBe('a-ps1');
    expect(detail.categoryId).toBe('order.noise');
    const dispatch = detail.timeline.find((e: { action: string }) => e.action === 'dispatch');
    expect(dispatch.actorKind).toBe('system');
    const i = await insight(a.id);
    expect(i.route).toBe('auto');
    expect(i.autoUnit).toEqual({ id: 'a-ps1', name: expect.any(String) });
    expect(i.predicted.categoryId).toBe('order.noise');
    expect(i.predicted.confidence).toBeGreaterThanOrEqual(0.6);
    // The handler sees it in the workbench at once.
    const work = (await h.api('handA1', 'GET', '/api/v1/appeals?view=inbox')).json();
    expect(work.items.map((x: { id: string }) => x.id)).toContain(a.id);
  });

  it('sends doubt, conflicts and missing catalogue entries to triage with the reason', async () => {
    // The citizen chose legal aid, the text is about noise.
    const conflict = await submit({ title: '楼上噪音扰民', body: '楼上每天半夜拖椅子跺地板，噪音吵得睡不着。', categoryId: 'legal.aid' });
    expect(conflict.status).toBe('submitted');
    expect((await insight(conflict.id)).routeReason).toBe('所选类别与模型判断不一致');
    // No catalogue entry for noise in 东湖区.
    const elsewhere = await submit({ title: '广场舞噪音扰民', body: '东湖区小区广场舞音响太吵，晚上十点还在跳，噪音扰民。', regionCode: '360603', address: '东湖区' });
    expect(elsewhere.status).toBe('submitted');
    const ie = await insight(elsewhere.id, 'dispB');
    expect(ie.routeReason).toBe('派单目录中没有该类别和区域的承办单位');
    // Another 综治中心's dispatcher does not see it (no existence oracle).
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${elsewhere.id}/insight`)).statusCode).toBe(404);
    // Text the model cannot place with confidence.
    const vague = await submit({ title: '咨询一下', body: '你好，请问这个事情怎么办理，谢谢。' });
    const iv = await insight(vague.id);
    if (vague.status === 'submitted') expect(iv.routeReason).toMatch(/置信度|不一致|派单目录/);
    expect((await h.api('dispA', 'GET', '/api/v1/appeals?view=queue')).json().items.map((x: { id: string }) => x.id)).toContain(conflict.id);
  });

  it('links the same citizen’s repeat and other citizens’ appeals on the same matter, and holds the repeat for a person', async () => {
    const phone = '13911112222';
    const body = '丽华小区3栋旁边的地下车库排风机每天晚上轰鸣到十二点，噪音非常大，已经反映过一次了还没解决。';
    const first = await submit({ title: '丽华小区排风机噪音', body, phone });
    const again = await submit({ title: '丽华小区排风机噪音', body: `${body}再次反映。`, phone });
    const ia = await insight(again.id);
    expect(ia.repeatOf?.id).toBe(first.id);
    expect(ia.route).toBe('triage');
    expect(ia.routeReason).toBe('疑似重复诉求，待人工确认是否合并');
    expect(again.status).toBe('submitted');
    const other = await submit({ title: '丽华小区排风机噪音', body });
    const io = await insight(other.id);
    expect(io.repeatOf).toBeNull();
    expect([first.id, again.id]).toContain(io.sameIssueAs?.id);
    const i1 = await insight(first.id);
    expect(i1.sameIssue.map((x: { id: string }) => x.id).sort()).toEqual([again.id, other.id].sort());
  });

  it('raises high risk to an emergency, alerts dispatchers and leaders, and lists the trigger words; hard negatives stay calm', async () => {
    const danger = await submit({ title: '欠钱不还要出人命了', body: '他欠我八万块钱一直不还，再不还我就拿刀去砍死他，大不了同归于尽。' });
    const detail = (await h.api('dispA', 'GET', `/api/v1/appeals/${danger.id}`)).json();
    expect(detail.urgency).toBe('emergency');
    const i = await insight(danger.id);
    expect(i.risk.level).toBe('high');
    const words = i.risk.signals.flatMap((s: { words: string[] }) => s.words).join(' ');
    expect(words).toMatch(/砍死|拿刀|同归于尽/);
    const alerts = await h.api('leaderA', 'GET', '/api/v1/risk-alerts?level=high');
    expect(alerts.statusCode).toBe(200);
    expect(alerts.json().items.map((x: { appealId: string }) => x.appealId)).toContain(danger.id);
    expect((await h.api('dispB', 'GET', '/api/v1/risk-alerts')).json().items.map((x: { appealId: string }) => x.appealId)).not.toContain(danger.id);
    const outbox = await h.s.ctx.db.selectFrom('notify_outbox').select(['template', 'recipient_id']).where('appeal_id', '=', danger.id).where('template', '=', 'staff.risk').execute();
    expect(outbox.length).toBeGreaterThan(0);

    const calm = await submit({ title: '想打官司咨询', body: '邻居欠钱不还，我想去法院打官司起诉他，请问需要准备什么材料。' });
    const ic = await insight(calm.id);
    expect(['none', 'low']).toContain(ic.risk.level);
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${calm.id}`)).json().urgency).not.toBe('emergency');
  });

  it('checks a draft reply before it is sent, for the unit holding the appeal only', async () => {
    const a = await submit({ title: '夜间施工噪音能否处理', body: '工地夜间施工噪音很大，请问能否停止夜间施工？什么时候能处理？' });
    if (a.status === 'submitted') await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
    const poor = await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: '已收到。' });
    expect(poor.statusCode, poor.body).toBe(200);
    const good = await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, {
      text: '您好，经现场核查，该工地未办理夜间施工许可。依据《中华人民共和国噪声污染防治法》第四十三条，我所已责令其自即日起停止夜间施工，并将于本周五前复查。如仍有夜间施工，请拨打110，我们将及时处理。感谢您的监督。',
    });
    expect(good.json().overall).toBeGreaterThan(poor.json().overall);
    expect(poor.json().hints.length).toBeGreaterThan(0);
    expect(good.json().citations.join('')).toContain('噪声污染防治法');
    // Another unit's handler, the wrong method of input, hostile bodies.
    expect((await h.api('handB1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: '好的' })).statusCode).toBe(404);
    expect((await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: '' })).statusCode).toBe(400);
    expect((await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: '好', extra: 1 })).statusCode).toBe(400);
    expect((await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/reply-check`, { text: '好的' })).statusCode).toBe(403);
  });
});

describe('hotspots', () => {
  it('detects a hotspot from many citizens, scopes it, and counts it in the unit’s 潜绩 once resolved', async () => {
    const ids: string[] = [];
    const bodies = [
      '金桂苑小区门口的烧烤摊每天晚上油烟很大，还占道经营，噪音扰民到凌晨。',
      '金桂苑小区门口烧烤摊占道经营，油烟呛人，晚上吵到一两点。',
      '投诉金桂苑小区门口夜市烧烤摊，油烟和噪音扰民，占用人行道。',
      '金桂苑门口的烧烤摊位油烟太大了，晚上喧哗扰民，希望整治占道经营。',
      '金桂苑小区大门口烧烤摊天天营业到凌晨，油烟噪音扰民。',
      '金桂苑小区门口烧烤摊占道，油烟飘进家里，晚上很吵。',
    ];
    for (const body of bodies) ids.push((await submit({ title: '金桂苑小区门口烧烤摊油烟噪音扰民', body })).id);
    expect((await h.api('handA1', 'POST', '/api/v1/hotspots/refresh')).statusCode).toBe(403);
    const refreshed = await h.api('leaderA', 'POST', '/api/v1/hotspots/refresh');
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json().detected).toBeGreaterThanOrEqual(1);

    const list = (await h.api('leaderA', 'GET', '/api/v1/hotspots')).json().items as { id: string; label: string; appeals: number; citizens: number; status: string; keywords: string[] }[];
    const hot = list.find((x) => x.label.includes('金桂苑'));
    expect(hot, JSON.stringify(list.map((x) => x.label))).toBeDefined();
    expect(hot!.citizens).toBeGreaterThanOrEqual(5);
    expect(hot!.status).toBe('active');
    const one = (await h.api('leaderA', 'GET', `/api/v1/hotspots/${hot!.id}`)).json();
    expect(ids.filter((id) => one.appealIds.includes(id)).length).toBeGreaterThanOrEqual(5);
    expect((await insight(ids[0]!)).hotspots.map((x: { id: string }) => x.id)).toContain(hot!.id);
    // Another district's dispatcher does not see it.
    expect((await h.api('dispB', 'GET', '/api/v1/hotspots')).json().items.map((x: { id: string }) => x.id)).not.toContain(hot!.id);
    expect((await h.api('dispB', 'GET', `/api/v1/hotspots/${hot!.id}`)).statusCode).toBe(404);

    // The unit handles and closes them; a month later the hotspot is quiet: resolved (化解), with the same id.
    for (const id of one.appealIds as string[]) {
      const row = await h.s.ctx.db.selectFrom('appeals').select(['status', 'unit_id']).where('id', '=', id).executeTakeFirstOrThrow();
      if (row.status === 'submitted') await h.api('dispA', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'dispatch', unitId: 'a-ps1', categoryId: 'order.noise' });
      const unit = (await h.s.ctx.db.selectFrom('appeals').select('unit_id').where('id', '=', id).executeTakeFirstOrThrow()).unit_id;
      const handler = unit === 'a-ps1' ? 'handA1' : 'handA2';
      await h.api(handler, 'POST', `/api/v1/appeals/${id}/actions`, { action: 'accept' });
      await h.api(handler, 'POST', `/api/v1/appeals/${id}/actions`, { action: 'reply', text: '已会同城管取缔该占道烧烤摊，依据《城市市容和环境卫生管理条例》第十四条，今后将每晚巡查。' });
      await h.api('dispA', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'close', reason: '已回访，群众满意' });
    }
    h.clock.now += 30 * 86_400_000;
    const later = (await h.api('leaderA', 'POST', '/api/v1/hotspots/refresh')).json();
    expect(later.resolved).toBeGreaterThanOrEqual(1);
    const resolved = (await h.api('leaderA', 'GET', `/api/v1/hotspots/${hot!.id}`)).json();
    expect(resolved.status).toBe('resolved');
    const owner = resolved.ownerUnit.id as string;
    const day = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const unitMetrics = await h.api('leaderCity', 'GET', `/api/v1/metrics/units/${owner}?period=${day(h.clock.now - 40 * 86_400_000)}..${day(h.clock.now)}`);
    expect(unitMetrics.statusCode, unitMetrics.body).toBe(200);
    expect(unitMetrics.json().latent.hotspotsResolved).toMatchObject({ resolved: 1, hotspotIds: [hot!.id] });
  });
});

describe('category suggestions and the 派单目录', () => {
  it('suggests categories to the citizen from the text, publicly, without storing anything', async () => {
    const r = await h.api(null, 'POST', '/api/v1/classify', { title: '楼上噪音扰民', body: '楼上每天半夜拖椅子跺地板，吵得睡不着。' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items[0]).toMatchObject({ categoryId: 'order.noise', name: '噪音扰民' });
    expect(r.json().items.length).toBeLessThanOrEqual(3);
    expect((await h.api(null, 'POST', '/api/v1/classify', { title: '', body: '' })).json().items).toEqual([]);
    expect((await h.api(null, 'POST', '/api/v1/classify', { title: 'x'.repeat(101) })).statusCode).toBe(400);
    expect((await h.api(null, 'POST', '/api/v1/classify', { title: '噪音', evil: true })).statusCode).toBe(400);
  });

  it('lets the admin keep the catalogue, validated and audited; a removed entry sends appeals to triage', async () => {
    const list = await h.api('dispA', 'GET', '/api/v1/dispatch-catalogue');
    expect(list.json().items).toContainEqual({ categoryId: 'order.noise', regionCode: '360602001', unitId: 'a-ps1' });
    expect((await h.api('dispA', 'PUT', '/api/v1/dispatch-catalogue', { categoryId: 'order.noise', regionCode: '360602001', unitId: null })).statusCode).toBe(403);
    for (const [body, field] of [
      [{ categoryId: 'no.such', regionCode: '360602001', unitId: 'a-ps1' }, 'categoryId'],
      [{ categoryId: 'order.noise', regionCode: '999999', unitId: 'a-ps1' }, 'regionCode'],
      [{ categoryId: 'order.noise', regionCode: '360602001', unitId: 'no-such-unit' }, 'unitId'],
    ] as const) {
      const r = await h.api('sysadmin', 'PUT', '/api/v1/dispatch-catalogue', body);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error.details.field).toBe(field);
      expect(r.json().error.messageEn).toBeTruthy();
    }
    const removed = await h.api('sysadmin', 'PUT', '/api/v1/dispatch-catalogue', { categoryId: 'order.noise', regionCode: '360602001', unitId: null });
    expect(removed.statusCode, removed.body).toBe(200);
    const a = await submit({ title: '夜间装修噪音扰民', body: '隔壁每天晚上十点以后还在装修电钻，噪音扰民，睡不着觉。' });
    expect(a.status).toBe('submitted');
    expect((await insight(a.id)).routeReason).toMatch(/派单目录|置信度/);
    const back = await h.api('sysadmin', 'PUT', '/api/v1/dispatch-catalogue', { categoryId: 'order.noise', regionCode: '360602', unitId: 'a-ps2' });
    expect(back.statusCode).toBe(200);
    // The district's entry applies to its streets.
    const b = await submit({ title: '楼下酒吧噪音扰民', body: '楼下酒吧每天夜里喧哗到凌晨三点，音响很吵，严重扰民。' });
    if (b.status === 'dispatched') expect((await h.api('dispA', 'GET', `/api/v1/appeals/${b.id}`)).json().unitId).toBe('a-ps2');
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['details']).where('action', '=', 'catalogue.set').execute();
    expect(audit.map((x) => JSON.parse(x.details!))).toEqual([{ before: 'a-ps1', after: null }, { before: null, after: 'a-ps2' }]);
  });
});
