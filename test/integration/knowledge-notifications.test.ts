// Notifications (让群众知道进展): the outbox is written in the event's own transaction; the sender delivers
// through real servers on 127.0.0.1 — an SMTP catcher and an HTTP endpoint standing in for the SMS
// gateway and the webhook — with retries and backoff; providers that fail and recover lose nothing and
// send nothing twice; templates are the admin's; the staff inbox; no personal data in the logs.
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifierJob } from '../../src/jobs/notifier.ts';
import { NotificationSender } from '../../src/services/notify/sender.ts';
import { SmsHttpProvider } from '../../src/services/notify/providers/http.ts';
import { SmtpProvider } from '../../src/services/notify/providers/smtp.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { HttpSink, SmtpCatcher } from '../support/notify-servers.ts';

let h: Harness;
let smtp: SmtpCatcher;
let sms: HttpSink;
let hook: HttpSink;
const WEBHOOK_SECRET = 'webhook-secret-0123456789';

beforeAll(async () => {
  smtp = await new SmtpCatcher().start();
  sms = await new HttpSink().start();
  hook = await new HttpSink().start();
  h = await createHarness({
    env: {
      NOTIFY_SMS_URL: sms.url('/sms/send'),
      NOTIFY_SMS_TOKEN: 'gateway-token',
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(smtp.port),
      NOTIFY_SMTP_FROM: 'minbiao@jiangzhou.gov.cn',
      NOTIFY_SMTP_STARTTLS: 'false',
      NOTIFY_WEBHOOK_URL: hook.url('/hook'),
      NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_PUBLIC_URL: 'https://minbiao.jiangzhou.gov.cn',
      NOTIFY_RETRY_BASE_SECONDS: '30',
      NOTIFY_TIMEOUT_MS: '3000',
    },
  });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([smtp?.stop(), sms?.stop(), hook?.stop()]);
});

const HOUR = 3600_000;
const outbox = (appealId: string) => h.s.ctx.db.selectFrom('notify_outbox').selectAll().where('appeal_id', '=', appealId).orderBy('created_at').orderBy('template').execute();
const userId = async (username: string) => (await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

async function submit(phone: string | null, extra: Record<string, unknown> = {}) {
  const r = await h.api(null, 'POST', '/api/v1/appeals', {
    type: 'complaint',
    categoryId: 'order.noise',
    title: '楼下烧烤店油烟噪音扰民',
    body: '楼下烧烤店每天营业到凌晨两点,油烟和吵闹声让全楼的人都睡不好,希望有关部门处理。',
    regionCode: '360602001',
    ...(phone ? { phone, anonymous: false } : { anonymous: true }),
    ...extra,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; trackingCode: string };
}

/** Runs the sender until nothing is due, moving the clock past each backoff; returns the rounds. */
async function drain(maxRounds = 20): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    await h.s.notify.sender.sendPending();
    const pending = await h.s.ctx.db.selectFrom('notify_outbox').select('id').where('status', '=', 'pending').where('next_attempt_at', '<=', h.clock.now + HOUR).execute();
    if (pending.length === 0) return round;
    h.clock.now += HOUR;
  }
  throw new Error('the outbox did not drain');
}

describe('the transactional outbox', () => {
  it('is written with the submission: SMS to the citizen, inbox (and webhook) to the intake centre — no phone in it', async () => {
    const a = await submit('13711112222');
    const rows = await outbox(a.id);
    const sms = rows.filter((r) => r.channel === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ template: 'citizen.received', audience: 'citizen', recipient_kind: 'appeal', recipient_id: a.id, status: 'pending' });
    const dispA = await userId('dispA');
    expect(rows.filter((r) => r.channel === 'inbox').map((r) => [r.template, r.recipient_id])).toEqual([['staff.new', dispA]]);
    expect(rows.filter((r) => r.channel === 'webhook').map((r) => r.template)).toEqual(['staff.new']);
    for (const r of rows) {
      expect(r.vars).not.toContain('13711112222');
      expect(r.delivery_key.startsWith(`${a.id}:1:`)).toBe(true);
    }
  });

  it('rolls back with the event: a failing change leaves no message behind', async () => {
    const before = (await h.s.ctx.db.selectFrom('notify_outbox').select('id').execute()).length;
    h.s.writer.addProjector(async (_trx, applied) => {
      if (applied.row.title.includes('回滚测试')) throw new Error('projector failure (test)');
    });
    const r = await h.api(null, 'POST', '/api/v1/appeals', { type: 'help', title: '回滚测试诉求', body: '这是一条用于测试事务回滚的诉求内容。', regionCode: '360602001', phone: '13711113333', anonymous: false });
    expect(r.statusCode).toBe(500);
    expect(await h.s.ctx.db.selectFrom('appeals').select('id').where('title', '=', '回滚测试诉求').execute()).toHaveLength(0);
    expect((await h.s.ctx.db.selectFrom('notify_outbox').select('id').execute()).length).toBe(before);
  });

  it('anonymous appeals get no citizen message (no channel was given)', async () => {
    const a = await submit(null);
    expect((await outbox(a.id)).filter((r) => r.audience === 'citizen')).toHaveLength(0);
  });

  it('a citizen who gives an e-mail address is told by SMS and e-mail; an anonymous one by e-mail only — no address in the outbox', async () => {
    const named = await submit('13711114444', { email: 'wang.wu@example.com' });
    expect((await outbox(named.id)).filter((r) => r.audience === 'citizen').map((r) => `${r.channel}:${r.template}`).sort()).toEqual(['email:citizen.received', 'sms:citizen.received']);
    const anon = await submit(null, { email: 'nobody.knows@example.com' });
    const rows = (await outbox(anon.id)).filter((r) => r.audience === 'citizen');
    expect(rows.map((r) => [r.channel, r.template, r.recipient_kind, r.recipient_id])).toEqual([['email', 'citizen.received', 'appeal', anon.id]]);
    for (const r of await outbox(anon.id)) expect(JSON.stringify(r)).not.toContain('nobody.knows');
    // Staff never see an anonymous citizen's address, not even masked; a named citizen's is masked.
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${anon.id}`)).json().citizen.email).toBeNull();
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${named.id}`)).json().citizen.email).toBe('w***@example.com');
    const raw = await h.s.ctx.db.selectFrom('appeals').select('citizen_email_enc').where('id', '=', anon.id).executeTakeFirstOrThrow();
    expect(raw.citizen_email_enc).not.toContain('nobody');
    expect(h.s.ctx.pii.decrypt(raw.citizen_email_enc)).toBe('nobody.knows@example.com');
  });

  it('refuses a malformed e-mail address with 400 in both languages, and keeps nothing', async () => {
    const before = (await h.s.ctx.db.selectFrom('appeals').select('id').execute()).length;
    for (const email of ['not-an-email', 'a@b', 'x@y.z\r\nBcc: evil@example.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`, '<a@example.com>']) {
      const r = await h.api(null, 'POST', '/api/v1/appeals', { type: 'help', title: '邮箱格式测试', body: '这是一条用于测试邮箱格式校验的诉求内容。', regionCode: '360602001', anonymous: true, email });
      expect(r.statusCode, email).toBe(400);
      expect(r.json().error.message).toMatch(/邮箱|email|254/i);
    }
    expect((await h.s.ctx.db.selectFrom('appeals').select('id').execute()).length).toBe(before);
  });
});

describe('delivery through real servers', () => {
  it('SMS gateway gets the decrypted phone, the text and the delivery key; staff get inbox and webhook', async () => {
    const a = await submit('13722223333');
    await drain();
    const rows = await outbox(a.id);
    expect(rows.every((r) => r.status === 'sent'), JSON.stringify(rows.map((r) => [r.channel, r.status, r.last_error]))).toBe(true);
    const smsRow = rows.find((r) => r.channel === 'sms')!;
    const got = sms.delivered.get(smsRow.delivery_key)!;
    expect(got.to).toBe('13722223333');
    expect(got.text).toContain(a.trackingCode);
    expect(got.text).toContain('https://minbiao.jiangzhou.gov.cn/track?code=');
    expect(got.template).toBe('citizen.received');
    const call = sms.calls.find((c) => c.json.deliveryKey === smsRow.delivery_key)!;
    expect(call.headers.authorization).toBe('Bearer gateway-token');
    expect(call.headers['idempotency-key']).toBe(smsRow.delivery_key);

    const hookRow = rows.find((r) => r.channel === 'webhook')!;
    const hc = hook.calls.find((c) => c.json.deliveryKey === hookRow.delivery_key)!;
    expect(hc.headers['x-minbiao-signature']).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hc.body).digest('hex')}`);
    expect(hc.body).not.toContain('13722223333');

    const inbox = await h.api('dispA', 'GET', '/api/v1/notify/inbox?unread=true');
    const msg = (inbox.json().items as { appealId: string; title: string; body: string; template: string }[]).find((m) => m.appealId === a.id)!;
    expect(msg.template).toBe('staff.new');
    expect(msg.title).toContain('新诉求待分派');
    expect(msg.body).toContain(a.trackingCode);
  });

  it('tells the citizen and the unit along the way: dispatched (SMS + e-mail copy), replied, invited to rate', async () => {
    expect((await h.api('handA1', 'PUT', '/api/v1/notify/prefs', { email: 'li.handler@jiangzhou.gov.cn', emailEnabled: true })).statusCode).toBe(200);
    expect((await h.api('handA1', 'GET', '/api/v1/notify/prefs')).json()).toEqual({ email: 'l***@jiangzhou.gov.cn', emailEnabled: true });
    const a = await submit('13733334444');
    const b = await submit('13733335555');
    for (const x of [a, b]) {
      await h.api('dispA', 'POST', `/api/v1/appeals/${x.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
      await h.api('handA1', 'POST', `/api/v1/appeals/${x.id}/actions`, { action: 'accept' });
      await h.api('handA1', 'POST', `/api/v1/appeals/${x.id}/actions`, { action: 'reply', text: '已会同市场监管部门检查,责令烧烤店安装油烟净化设备并于晚十点前停止营业。' });
    }
    await drain();
    const sentA = (await outbox(a.id)).filter((r) => r.status === 'sent').map((r) => `${r.channel}:${r.template}`);
    expect(sentA).toEqual(expect.arrayContaining(['sms:citizen.received', 'sms:citizen.dispatched', 'inbox:staff.assigned', 'email:staff.assigned', 'sms:citizen.replied']));
    // The rating invitation waits a day after the reply.
    const invite = (await outbox(a.id)).find((r) => r.template === 'citizen.rate_request')!;
    expect(invite.status).toBe('pending');
    const dispatchedSms = sms.delivered.get((await outbox(a.id)).find((r) => r.template === 'citizen.dispatched')!.delivery_key)!;
    expect(dispatchedSms.text).toContain('城关派出所');

    const mail = smtp.messages.find((m) => m.deliveryKey.startsWith(`${a.id}:`) && m.deliveryKey.includes('staff.assigned'))!;
    expect(mail.to).toEqual(['li.handler@jiangzhou.gov.cn']);
    expect(mail.from).toBe('minbiao@jiangzhou.gov.cn');
    expect(mail.subject).toContain('收到交办:楼下烧烤店油烟噪音扰民');
    expect(mail.text).toContain(a.trackingCode);
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@minbiao>$/);

    // A citizen who rates before the invitation is not bothered with it.
    const rated = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: b.trackingCode, secret: '13733335555', level: 5, solved: 'yes', contacted: true });
    expect(rated.statusCode, rated.body).toBeLessThan(300);
    h.clock.now += 25 * HOUR;
    await drain();
    expect((await outbox(a.id)).find((r) => r.template === 'citizen.rate_request')!.status).toBe('sent');
    const skipped = (await outbox(b.id)).find((r) => r.template === 'citizen.rate_request')!;
    expect(skipped.status).toBe('skipped');
    expect(skipped.last_error).toContain('obsolete');
    const invitation = sms.delivered.get((await outbox(a.id)).find((r) => r.template === 'citizen.rate_request')!.delivery_key)!;
    expect(invitation.text).toContain('评价');
  });

  it('tells staff of overdue and escalated appeals and of risk alerts', async () => {
    const a = await submit('13744445555');
    await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
    h.clock.now += 12 * 24 * HOUR;
    await h.scheduler.tick();
    await drain();
    const [handA1, leaderA] = [await userId('handA1'), await userId('leaderA')];
    const staffRows = (await outbox(a.id)).filter((r) => r.channel === 'inbox');
    expect(staffRows.filter((r) => r.template === 'staff.overdue').map((r) => r.recipient_id)).toContain(handA1);
    expect(staffRows.filter((r) => r.template === 'staff.escalated').map((r) => r.recipient_id)).toEqual(expect.arrayContaining([handA1, leaderA]));
    const leaderInbox = (await h.api('leaderA', 'GET', '/api/v1/notify/inbox')).json().items as { template: string; body: string }[];
    expect(leaderInbox.some((m) => m.template === 'staff.escalated' && m.body.includes('督办'))).toBe(true);

    const risky = await submit('13744446666', { title: '再不解决我就去砍了他们', body: '物业欠我的钱一直不还,再不解决我就拿刀去砍了他们全家,大不了同归于尽。' });
    await drain();
    const riskRows = (await outbox(risky.id)).filter((r) => r.template === 'staff.risk' && r.channel === 'inbox');
    expect(riskRows.map((r) => r.recipient_id)).toEqual(expect.arrayContaining([await userId('dispA'), leaderA]));
    const alert = ((await h.api('leaderA', 'GET', '/api/v1/notify/inbox')).json().items as { template: string; title: string; body: string }[]).find((m) => m.template === 'staff.risk')!;
    expect(alert.title).toContain('风险预警');
    expect(alert.body).toContain('暴力威胁');
  });
});

describe('citizens told by e-mail', () => {
  it('an Open311 client\'s e-mail address gets received, dispatched, replied and the rating invitation — through a real SMTP server', async () => {
    const k = await h.api('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '随手拍App', ratePerMinute: 1000 });
    expect(k.statusCode, k.body).toBe(201);
    const r = await h.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payload: new URLSearchParams({ api_key: k.json().key, service_code: 'order.noise', address_string: '清江区城关街道幸福路8号', email: 'chen.liu@example.com', description: '小区门口的烧烤摊每晚到凌晨两点还很吵,请处理。' }).toString(),
    });
    expect(r.statusCode, r.body).toBe(200);
    const code = (r.json() as { service_request_id: string }[])[0]!.service_request_id;
    const a = await h.s.ctx.db.selectFrom('appeals').select(['id', 'anonymous']).where('tracking_code', '=', code).executeTakeFirstOrThrow();
    expect(a.anonymous).toBe(1);
    await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
    await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'accept' });
    await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'reply', text: '已联系城管部门依法取缔占道烧烤摊点,今后将加强夜间巡查。' });
    h.clock.now += 25 * HOUR;
    await drain();
    const mails = smtp.messages.filter((m) => m.deliveryKey.startsWith(`${a.id}:`) && m.to.includes('chen.liu@example.com'));
    const templates = mails.map((m) => m.deliveryKey.split(':')[2]).sort();
    expect(templates).toEqual(['citizen.dispatched', 'citizen.rate_request', 'citizen.received', 'citizen.replied']);
    const received = mails.find((m) => m.deliveryKey.includes('citizen.received'))!;
    expect(received.text).toContain(code);
    expect(received.text).toContain('https://minbiao.jiangzhou.gov.cn/track?code=');
    expect(mails.find((m) => m.deliveryKey.includes('citizen.dispatched'))!.text).toContain('城关派出所');
    // Each once, even after another pass of the sender.
    await h.s.notify.sender.sendPending();
    expect(smtp.messages.filter((m) => m.deliveryKey.startsWith(`${a.id}:`) && m.to.includes('chen.liu@example.com'))).toHaveLength(4);
    // No SMS: an anonymous Open311 request has no phone.
    expect((await outbox(a.id)).filter((r) => r.channel === 'sms')).toHaveLength(0);
  });

  it('an address erased by retention before sending is not used', async () => {
    const a = await submit('13711115555', { email: 'erase.me@example.com' });
    await h.s.ctx.db.updateTable('appeals').set({ citizen_email_enc: null }).where('id', '=', a.id).execute();
    await drain();
    const row = (await outbox(a.id)).find((r) => r.channel === 'email' && r.audience === 'citizen')!;
    expect(row.status).toBe('skipped');
    expect(row.last_error).toBe('no address');
    expect(smtp.messages.some((m) => m.to.includes('erase.me@example.com'))).toBe(false);
  });
});

describe('providers that fail and recover', () => {
  it('SMS gateway down, then an answer lost after delivery: nothing lost, nothing sent twice', async () => {
    const startCalls = sms.calls.length;
    sms.failNext = 7; // 503 for a while
    sms.dropNext = 2; // then two messages delivered whose answers never arrive
    const appeals = [];
    for (let i = 0; i < 5; i++) appeals.push(await submit(`1375555000${i}`));
    const rounds = await drain();
    expect(rounds).toBeGreaterThan(1);
    const rows = (await Promise.all(appeals.map((a) => outbox(a.id)))).flat().filter((r) => r.channel === 'sms');
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r.status, `${r.delivery_key} ${r.last_error}`).toBe('sent');
      expect(sms.delivered.has(r.delivery_key)).toBe(true);
    }
    expect(rows.some((r) => Number(r.attempts) > 1)).toBe(true);
    // Each message reached the gateway's delivery list exactly once; retries of a delivered one met 409.
    const calls = sms.calls.slice(startCalls);
    const deliveredKeys = calls.filter((c) => c.outcome === 'delivered' || c.outcome === 'dropped').map((c) => c.json.deliveryKey);
    expect(new Set(deliveredKeys).size).toBe(deliveredKeys.length);
    expect(deliveredKeys.sort()).toEqual(rows.map((r) => r.delivery_key).sort());
    expect(calls.filter((c) => c.outcome === 'duplicate').length).toBe(2);
    expect(calls.filter((c) => c.outcome === 'failed').length).toBe(7);
  });

  it('SMTP refusing temporarily (451): every e-mail arrives once', async () => {
    smtp.failMail = 3;
    const before = smtp.messages.length;
    const appeals = [];
    for (let i = 0; i < 3; i++) {
      const a = await submit(`1376666000${i}`);
      await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
      appeals.push(a);
    }
    await drain();
    const emailRows = (await Promise.all(appeals.map((a) => outbox(a.id)))).flat().filter((r) => r.channel === 'email');
    expect(emailRows).toHaveLength(3);
    expect(emailRows.every((r) => r.status === 'sent')).toBe(true);
    expect(emailRows.some((r) => Number(r.attempts) > 1)).toBe(true);
    const mails = smtp.messages.slice(before);
    expect(mails.map((m) => m.deliveryKey).sort()).toEqual(emailRows.map((r) => r.delivery_key).sort());
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
  });

  it('gives up after the last attempt or at once on a permanent refusal, and the admin can retry', async () => {
    const a = await submit('13777770000');
    sms.failNext = 1000;
    for (let i = 0; i < 12; i++) {
      await h.s.notify.sender.sendPending();
      h.clock.now += 2 * HOUR;
    }
    const row = (await outbox(a.id)).find((r) => r.channel === 'sms')!;
    expect(row.status).toBe('failed');
    expect(Number(row.attempts)).toBe(h.s.ctx.config.NOTIFY_MAX_ATTEMPTS);
    expect(row.last_error).toContain('503');
    sms.failNext = 0;
    const list = await h.api('sysadmin', 'GET', `/api/v1/notify/outbox?status=failed&appealId=${a.id}`);
    expect(list.json().items.map((m: { id: string }) => m.id)).toContain(row.id);
    expect((await h.api('handA1', 'POST', `/api/v1/notify/outbox/${row.id}/retry`)).statusCode).toBe(403);
    expect((await h.api('sysadmin', 'POST', `/api/v1/notify/outbox/${row.id}/retry`)).statusCode).toBe(200);
    await h.s.notify.sender.sendPending();
    expect((await outbox(a.id)).find((r) => r.channel === 'sms')!.status).toBe('sent');
  });

  it('the notifier job sends under its lease, one process at a time', async () => {
    const a = await submit('13788880000');
    const job1 = new NotifierJob(h.s);
    const job2 = new NotifierJob(h.s);
    const r1 = await job1.tick();
    const r2 = await job2.tick();
    expect(r1.leader).toBe(true);
    expect(r2.leader).toBe(false);
    expect((await outbox(a.id)).find((r) => r.channel === 'sms')!.status).toBe('sent');
    await job1.stop();
    await job2.stop();
  });
});

describe('templates (admin) and the inbox', () => {
  it('the admin edits the Chinese wording; unknown variables are refused; a switched-off template is not sent', async () => {
    expect((await h.api('handA1', 'GET', '/api/v1/notify/templates')).statusCode).toBe(403);
    const list = await h.api('sysadmin', 'GET', '/api/v1/notify/templates');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((t: { key: string }) => t.key)).toEqual(expect.arrayContaining(['citizen.received', 'citizen.dispatched', 'citizen.replied', 'citizen.rate_request', 'staff.new', 'staff.overdue', 'staff.escalated', 'staff.risk']));
    const bad = await h.api('sysadmin', 'PUT', '/api/v1/notify/templates/citizen.received', { title: '受理', body: '编号{{trakingCode}}', enabled: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.variables).toEqual(['trakingCode']);
    const ok = await h.api('sysadmin', 'PUT', '/api/v1/notify/templates/citizen.received', { title: '受理', body: '【江州民标】已收到您的诉求,编号{{trackingCode}}。', enabled: true });
    expect(ok.json()).toMatchObject({ custom: true, body: '【江州民标】已收到您的诉求,编号{{trackingCode}}。' });
    const preview = await h.api('sysadmin', 'POST', '/api/v1/notify/templates/citizen.received/preview');
    expect(preview.json().body).toBe('【江州民标】已收到您的诉求,编号MB2603-7KQ4XR。');
    const a = await submit('13799990000');
    await drain();
    const got = sms.delivered.get((await outbox(a.id)).find((r) => r.channel === 'sms')!.delivery_key)!;
    expect(got.text).toBe(`【江州民标】已收到您的诉求,编号${a.trackingCode}。`);

    await h.api('sysadmin', 'PUT', '/api/v1/notify/templates/citizen.received', { title: '受理', body: '编号{{trackingCode}}', enabled: false });
    const b = await submit('13799990001');
    await drain();
    const row = (await outbox(b.id)).find((r) => r.channel === 'sms')!;
    expect(row).toMatchObject({ status: 'skipped', last_error: 'template disabled' });
    expect((await h.api('sysadmin', 'DELETE', '/api/v1/notify/templates/citizen.received')).json().custom).toBe(false);
  });

  it('staff read and mark their own messages', async () => {
    const inbox = (await h.api('dispA', 'GET', '/api/v1/notify/inbox')).json();
    expect(inbox.unread).toBeGreaterThan(0);
    const first = inbox.items[0].id as string;
    expect((await h.api('dispA', 'POST', '/api/v1/notify/inbox/read', { ids: [first] })).json().updated).toBe(1);
    expect((await h.api('dispB', 'POST', '/api/v1/notify/inbox/read', { ids: [first] })).json().updated).toBe(0); // not theirs
    expect((await h.api('dispA', 'POST', '/api/v1/notify/inbox/read', { all: true })).statusCode).toBe(200);
    expect((await h.api('dispA', 'GET', '/api/v1/notify/inbox')).json().unread).toBe(0);
    expect((await h.api(null, 'GET', '/api/v1/notify/inbox')).statusCode).toBe(401);
  });
});

describe('no personal data in the logs', () => {
  it('a sender that fails and succeeds logs delivery keys and errors, never the phone or the address', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log = pino({ level: 'trace' }, sink);
    const sender = new NotificationSender({ ...h.s.ctx, log }, h.s.org, h.s.categories);
    sender.setProvider(new SmsHttpProvider(sms.url('/sms/send'), undefined, 3000));
    sender.setProvider(new SmtpProvider({ host: '127.0.0.1', port: smtp.port, from: 'minbiao@jiangzhou.gov.cn', starttls: false, timeoutMs: 3000 }, h.s.ctx.now));
    const a = await submit('13612348765');
    await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
    sms.failNext = 1;
    smtp.failMail = 1;
    for (let i = 0; i < 4; i++) {
      await sender.sendPending();
      h.clock.now += HOUR;
    }
    expect((await outbox(a.id)).filter((r) => r.channel === 'sms' || r.channel === 'email').every((r) => r.status === 'sent')).toBe(true);
    const text = lines.join('');
    expect(text).toContain('will be retried');
    expect(text).not.toContain('13612348765');
    expect(text).not.toContain('li.handler@jiangzhou.gov.cn');
    for (const r of await h.s.ctx.db.selectFrom('notify_outbox').select(['last_error', 'vars', 'provider_ref']).execute()) {
      expect(`${r.last_error} ${r.vars} ${r.provider_ref}`).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)|li\.handler@/);
    }
  });
});
