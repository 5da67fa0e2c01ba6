// The scheduler: overdue marking and escalation (督办), 回访 tasks, rectification of bad ratings,
// catch-up after downtime, and one runner at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const DAY = 86_400_000;
async function submitAndDispatch(phone = '13600003333') {
  const r = await h.api(null, 'POST', '/api/v1/appeals', {
    type: 'complaint',
    categoryId: 'order.noise',
    title: '深夜KTV噪音扰民',
    body: '楼下新开的KTV每天营业到凌晨三点,唱歌声音很大,多次反映无果。',
    regionCode: '360602001',
    phone,
    anonymous: false,
  });
  const id = r.json().id as string;
  await h.api('dispA', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'dispatch', unitId: 'a-ps1' });
  return { id, trackingCode: r.json().trackingCode as string, phone };
}
const row = (id: string) => h.s.ctx.db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const events = async (id: string) => (await h.s.ctx.db.selectFrom('appeal_events').select(['action', 'payload']).where('appeal_id', '=', id).orderBy('seq').execute());

describe('scheduler', () => {
  it('marks response and handling overdue and escalates to the unit above, once', async () => {
    const a = await submitAndDispatch();
    h.clock.now += 2 * DAY; // past the 1-working-day response deadline
    let rep = await h.scheduler.tick();
    expect(rep.leader).toBe(true);
    expect((await row(a.id)).response_overdue).toBe(1);
    expect((await row(a.id)).handle_overdue).toBe(0);
    h.clock.now += 10 * DAY; // past the 5-working-day handling deadline
    rep = await h.scheduler.tick();
    const r = await row(a.id);
    expect(r.handle_overdue).toBe(1);
    expect(r.supervision_level).toBe(1);
    const ev = await events(a.id);
    const sup = ev.filter((e) => e.action === 'supervise');
    expect(sup).toHaveLength(1);
    expect(JSON.parse(sup[0]!.payload).byUnitId).toBe('a'); // 清江区委政法委, above 城关派出所
    // Idempotent: another tick changes nothing.
    await h.scheduler.tick();
    expect(await events(a.id)).toHaveLength(ev.length);
  });

  it('creates a 回访 task when the handling deadline passes unrated, and the callback answer rates', async () => {
    const a = await submitAndDispatch('13600004444');
    await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'accept' });
    await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'reply', text: '已联合文化执法部门检查,责令KTV加装隔音设施并限时营业。' });
    await h.scheduler.tick();
    expect(await h.s.ctx.db.selectFrom('tasks').selectAll().where('appeal_id', '=', a.id).execute()).toHaveLength(0);
    h.clock.now += 9 * DAY;
    await h.scheduler.tick();
    const tasks = await h.s.ctx.db.selectFrom('tasks').selectAll().where('appeal_id', '=', a.id).execute();
    expect(tasks.map((t) => t.kind)).toEqual(['callback']);
    expect(tasks[0]!.unit_id).toBe('a-center');
    const list = await h.api('dispA', 'GET', '/api/v1/tasks?kind=callback&status=open');
    expect(list.json().items.map((t: { id: string }) => t.id)).toContain(tasks[0]!.id);
    const done = await h.api('dispA', 'POST', `/api/v1/tasks/${tasks[0]!.id}/callback`, { reached: true, rating: { level: 2, solved: 'partly', contacted: true, comment: '还是有点吵' } });
    expect(done.statusCode, done.body).toBe(200);
    const r = await row(a.id);
    expect(r.status).toBe('closed');
    expect(JSON.parse(r.last_rating!).channel).toBe('callback');
    // The bad rating opens a rectification task for the unit on the next tick.
    const rep = await h.scheduler.tick();
    expect(rep.rectifications).toBeGreaterThanOrEqual(1);
    const rect = await h.s.ctx.db.selectFrom('tasks').selectAll().where('appeal_id', '=', a.id).where('kind', '=', 'rectification').execute();
    expect(rect).toHaveLength(1);
    expect(rect[0]!.unit_id).toBe('a-ps1');
  });

  it('opens rectification for low ratings of the last 30 days only (the scan does not reread all history)', async () => {
    const rated = async (phone: string) => {
      const a = await submitAndDispatch(phone);
      await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'accept' });
      await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'reply', text: '已联合文化执法部门检查,责令KTV加装隔音设施并限时营业。' });
      const r = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret: phone, level: 1, solved: 'no', contacted: false });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return a.id;
    };
    const rect = async (id: string) => (await h.s.ctx.db.selectFrom('tasks').select('id').where('appeal_id', '=', id).where('kind', '=', 'rectification').execute()).length;
    // Two bad ratings, each followed by a gap without any scheduler run: 31 days, then 29 days.
    const old = await rated('13600007001');
    h.clock.now += 31 * DAY;
    await h.scheduler.tick();
    expect(await rect(old)).toBe(0);
    const recent = await rated('13600007002');
    h.clock.now += 29 * DAY;
    await h.scheduler.tick();
    expect(await rect(recent)).toBe(1);
    expect(await rect(old)).toBe(0);
  });

  it('catches up after downtime: everything missed is done in one run', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await submitAndDispatch(`1360000${5000 + i}`)).id);
    h.clock.now += 30 * DAY; // the scheduler was down for a month
    const rep = await h.scheduler.tick();
    expect(rep.handleOverdue).toBeGreaterThanOrEqual(5);
    for (const id of ids) expect((await row(id)).handle_overdue).toBe(1);
  });

  it('runs in one process at a time, and another takes over when the holder stops renewing', async () => {
    const other = new Scheduler(h.s);
    const first = await other.tick();
    expect(first.leader).toBe(false); // h.scheduler holds the lease
    await h.scheduler.stop(); // releases it
    const second = await other.tick();
    expect(second.leader).toBe(true);
    await other.stop();
  });
});
