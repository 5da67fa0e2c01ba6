// The life of an appeal through the HTTP API, from submission to closure, on the database under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const PHONE = '13812345678';
const submitBody = (over: Record<string, unknown> = {}) => ({
  type: 'complaint',
  categoryId: 'order.noise',
  title: '小区夜间施工噪音扰民',
  body: '丽华小区旁边的工地每天晚上十一点以后还在施工,噪音很大,老人孩子都睡不着,希望尽快处理。',
  regionCode: '360602001',
  address: '清江区城关街道丽华小区3栋',
  citizenName: '王建国',
  phone: PHONE,
  anonymous: false,
  ...over,
});

async function submit(over: Record<string, unknown> = {}) {
  const r = await h.api(null, 'POST', '/api/v1/appeals', submitBody(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; trackingCode: string; accessPin: string | null; handleDueAt: string };
}

async function act(user: string, id: string, body: Record<string, unknown>, status = 200) {
  const r = await h.api(user, 'POST', `/api/v1/appeals/${id}/actions`, body);
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

describe('appeal lifecycle', () => {
  it('runs the main path: submit → dispatch → accept → contact → reply → rate → closed', async () => {
    const a = await submit();
    expect(a.trackingCode).toMatch(/^MB\d{4}-[2-9A-Z]{6}$/);
    // 5 working days from Monday 2026-03-02 → end of Monday 2026-03-09 (Beijing time).
    expect(a.handleDueAt).toBe('2026-03-09T15:59:59.999Z');

    const queue = await h.api('dispA', 'GET', '/api/v1/appeals?view=queue');
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(a.id);

    await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
    await act('handA1', a.id, { action: 'accept' });
    h.clock.now += 3600_000;
    await act('handA1', a.id, { action: 'contact', method: 'phone', note: '已电话联系王先生' });
    const replied = await act('handA1', a.id, { action: 'reply', text: '经查,该工地夜间施工未办理夜间施工许可,已责令停止夜间施工,依据《中华人民共和国噪声污染防治法》第四十三条。' });
    expect(replied.status).toBe('replied');
    expect(replied.citizen.phone).toBe('138****5678');
    expect(replied.citizen.name).toBe('王**');

    const tracked = await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: PHONE });
    expect(tracked.statusCode, tracked.body).toBe(200);
    expect(tracked.json().canRate).toBe(true);
    expect(tracked.json().steps.map((s: { text: string }) => s.text)).toEqual(['您的诉求已受理', '已派至城关派出所办理', '承办单位已签收', '工作人员已与您联系', '已答复,请您评价办理结果']);

    const rated = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: PHONE, level: 5, solved: 'yes', contacted: true, comment: '处理很及时' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().status).toBe('closed');

    const detail = (await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`)).json();
    expect(detail.status).toBe('closed');
    expect(detail.timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'dispatch', 'accept', 'contact', 'reply', 'rate']);
    expect(detail.lastRating.level).toBe(5);

    // One rating per round.
    const again = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: PHONE, level: 1, solved: 'no', contacted: false });
    expect(again.statusCode).toBe(409);
  });

  it('refuses a wrong phone, and answers the same way for an unknown code', async () => {
    const a = await submit();
    const wrong = await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: '13900000000' });
    const unknown = await h.api(null, 'POST', '/api/v1/track', { trackingCode: 'MB0000-AAAAAA', secret: PHONE });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe(unknown.json().error.code);
  });

  it('lets an anonymous citizen track with the PIN and stores no identity', async () => {
    const a = await submit({ anonymous: true, phone: null, citizenName: null });
    expect(a.accessPin).toMatch(/^\d{6}$/);
    const r = await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: a.accessPin });
    expect(r.statusCode).toBe(200);
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.citizen_name_enc).toBeNull();
    expect(row.citizen_phone_enc).toBeNull();
    expect(row.citizen_phone_idx).toBeNull();
  });

  it('refuses illegal transitions with a clear bilingual error', async () => {
    const a = await submit();
    await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
    const r = await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'reply', text: '这是一个没有签收就答复的尝试,应当被拒绝。' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('ILLEGAL_TRANSITION');
    expect(r.json().error.message).toMatch(/当前状态/);
    expect(r.json().error.messageEn).toMatch(/not allowed/);
  });

  it('returns a misrouted appeal with a reason, then redispatches it', async () => {
    const a = await submit();
    await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps2' });
    const noReason = await h.api('handA2', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'return' });
    expect(noReason.statusCode).toBe(400);
    const ret = await act('handA2', a.id, { action: 'return', reason: '事发地属城关派出所辖区' });
    expect(ret.status).toBe('returned');
    expect(ret.returnCount).toBe(1);
    const again = await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
    expect(again.unitId).toBe('a-ps1');
  });

  it('transfers, extends, supervises, reopens after a bad rating', async () => {
    const a = await submit();
    await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps2' });
    await act('dispA', a.id, { action: 'transfer', unitId: 'a-ps1', reason: '按辖区转城关派出所' });
    await act('handA1', a.id, { action: 'accept' });
    const before = (await h.api('dispA', 'GET', `/api/v1/appeals/${a.id}`)).json().handleDueAt;
    await act('handA1', a.id, { action: 'request_extension', days: 3, reason: '需协调住建部门联合执法' });
    const extended = await act('dispA', a.id, { action: 'decide_extension', approved: true });
    expect(Date.parse(extended.handleDueAt)).toBeGreaterThan(Date.parse(before));
    expect(extended.extensionCount).toBe(1);
    await act('leaderA', a.id, { action: 'supervise', note: '请加快办理' });
    await act('handA1', a.id, { action: 'reply', text: '已协调住建部门,工地将调整施工时间,请您继续监督。' });
    await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: PHONE, level: 1, solved: 'no', contacted: false });
    const reopened = await act('dispA', a.id, { action: 'reopen', reason: '群众反映问题未解决' });
    expect(reopened.status).toBe('dispatched');
    expect(reopened.round).toBe(2);
    expect(reopened.reopenCount).toBe(1);
    expect(reopened.unitId).toBe('a-ps1');
  });

  it('does not reopen a satisfied appeal', async () => {
    const a = await submit();
    await act('dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
    await act('handA1', a.id, { action: 'accept' });
    await act('handA1', a.id, { action: 'reply', text: '已处理完毕,感谢您的反映和监督。' });
    await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: PHONE, level: 4, solved: 'yes', contacted: true });
    const r = await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'reopen', reason: '尝试重办' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('REOPEN_NOT_ALLOWED');
  });

  it('merges duplicates, redirects to statutory channels and approves unreasonable appeals', async () => {
    const a = await submit();
    const b = await submit();
    const merged = await act('dispA', b.id, { action: 'merge', intoId: a.id });
    expect(merged.status).toBe('merged');
    expect(merged.mergedInto).toBe(a.id);

    const c = await submit({ type: 'dispute', title: '欠款纠纷要求法院处理', body: '朋友借了我五万元两年不还,我想知道怎么起诉他,请给予指导。' });
    const redirected = await act('dispA', c.id, { action: 'redirect', channel: 'litigation', guidance: '请携带借条等证据向清江区人民法院立案庭起诉' });
    expect(redirected.status).toBe('redirected');
    const track = (await h.api(null, 'POST', '/api/v1/track', { trackingCode: c.trackingCode, secret: PHONE })).json();
    expect(track.steps.at(-1).text).toContain('诉讼');

    const d = await submit();
    await act('dispA', d.id, { action: 'dispatch', unitId: 'a-ps1' });
    await act('handA1', d.id, { action: 'accept' });
    await act('handA1', d.id, { action: 'flag_unreasonable', reason: '诉求人要求派出所替其追讨赌债' });
    const approved = await act('dispA', d.id, { action: 'decide_unreasonable', approved: true, note: '属不合理诉求' });
    expect(approved.status).toBe('unreasonable');
  });

  it('stores a retried submission once (idempotency key)', async () => {
    const key = 'retry-key-0001';
    const r1 = await h.api(null, 'POST', '/api/v1/appeals', submitBody(), { 'idempotency-key': key });
    const r2 = await h.api(null, 'POST', '/api/v1/appeals', submitBody(), { 'idempotency-key': key });
    expect(r1.statusCode).toBe(201);
    expect(r2.statusCode).toBe(200);
    expect(r2.json().id).toBe(r1.json().id);
    expect(r2.json().replayed).toBe(true);
    const r3 = await h.api(null, 'POST', '/api/v1/appeals', submitBody({ title: '另一件不同的事情' }), { 'idempotency-key': key });
    expect(r3.statusCode).toBe(422);
  });

  it('keeps optimistic concurrency: a stale expectedVersion is refused', async () => {
    const a = await submit();
    const r = await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1', expectedVersion: 7 });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('CONCURRENT_UPDATE');
  });

  it('writes an event for every change and the row equals the replay of its events', async () => {
    const { replay } = await import('../../src/domain/appeal/machine.ts');
    const { rowToState } = await import('../../src/store/repositories/appeals.ts');
    const { repos } = await import('../../src/store/repositories/index.ts');
    const rows = await h.s.ctx.db.selectFrom('appeals').selectAll().execute();
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const events = await repos.appeals.events(h.s.ctx.db, row.id);
      expect(replay(events)).toEqual(rowToState(row));
    }
  });

  it('audits every change in a verifiable chain', async () => {
    const r = await h.api('auditor', 'GET', '/api/v1/audit/verify');
    expect(r.statusCode).toBe(200);
    expect(r.json().ok).toBe(true);
    expect(r.json().checked).toBeGreaterThan(20);
  });
});
