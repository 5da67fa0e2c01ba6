// Data scope: every appeal endpoint refuses a staff user of another unit (documenso-style), and
// permissions are enforced in the services whatever the route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let appealId: string;
let taskId: string;

beforeAll(async () => {
  h = await createHarness();
  const r = await h.api(null, 'POST', '/api/v1/appeals', {
    type: 'complaint',
    categoryId: 'order.noise',
    title: '广场舞音响声音太大',
    body: '每天晚上八点到十点,江滨广场的广场舞音响开得特别大,影响周边居民休息。',
    regionCode: '360602001',
    phone: '13900001111',
    anonymous: false,
  });
  appealId = r.json().id;
  for (const body of [
    { action: 'dispatch', unitId: 'a-ps1' },
  ]) {
    expect((await h.api('dispA', 'POST', `/api/v1/appeals/${appealId}/actions`, body)).statusCode).toBe(200);
  }
  await h.api('handA1', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'accept' });
  await h.api('handA1', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'reply', text: '已与广场舞团队负责人沟通,音量已调低并限定在晚九点前结束。' });
  h.clock.now += 10 * 24 * 3600_000;
  await h.scheduler.tick();
  const tasks = await h.s.ctx.db.selectFrom('tasks').selectAll().where('appeal_id', '=', appealId).execute();
  taskId = tasks.find((t) => t.kind === 'callback')!.id;
});
afterAll(async () => h?.close());

// Every endpoint that reads or changes one appeal, with a body valid for it.
const endpoints = (id: string, task: string): [string, 'GET' | 'POST', string, unknown][] => [
  ['detail', 'GET', `/api/v1/appeals/${id}`, undefined],
  ['events', 'GET', `/api/v1/appeals/${id}/events`, undefined],
  ['unmask', 'POST', `/api/v1/appeals/${id}/unmask`, { reason: '核实群众身份信息' }],
  ['dispatch', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'dispatch', unitId: 'b-ps1' }],
  ['accept', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'accept' }],
  ['return', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'return', reason: '不属本单位' }],
  ['transfer', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'transfer', unitId: 'b-ps1', reason: '转办' }],
  ['contact', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'contact', method: 'phone' }],
  ['reply', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'reply', text: '这是另一个单位的越权答复尝试。' }],
  ['request_extension', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'request_extension', days: 2, reason: '越权' }],
  ['decide_extension', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'decide_extension', approved: true }],
  ['supervise', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'supervise', note: '越权督办' }],
  ['close', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'close', reason: '越权办结' }],
  ['reopen', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'reopen', reason: '越权重办' }],
  ['merge', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'merge', intoId: 'x' }],
  ['redirect', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'redirect', channel: 'litigation', guidance: '越权引导' }],
  ['flag_unreasonable', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'flag_unreasonable', reason: '越权' }],
  ['decide_unreasonable', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'decide_unreasonable', approved: true }],
  ['appeal_rating', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'appeal_rating', reason: '越权申诉' }],
  ['decide_rating_appeal', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'decide_rating_appeal', upheld: true }],
  ['rate (callback)', 'POST', `/api/v1/appeals/${id}/actions`, { action: 'rate', level: 5, solved: 'yes', contacted: true }],
  ['callback task', 'POST', `/api/v1/tasks/${task}/callback`, { reached: true, rating: { level: 5, solved: 'yes', contacted: true } }],
];

describe('data scope', () => {
  it('every appeal endpoint refuses users of another unit, and leaks nothing', async () => {
    const outsiders = ['dispB', 'handB1', 'handA2'];
    for (const user of outsiders) {
      for (const [name, method, url, body] of endpoints(appealId, taskId)) {
        const r = await h.api(user, method, url, body);
        // Not found rather than forbidden: another unit cannot even learn that the appeal exists.
        expect([403, 404], `${user} ${name}: ${r.statusCode} ${r.body}`).toContain(r.statusCode);
        expect(r.body).not.toContain('广场舞');
      }
    }
    // Nothing changed.
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('id', '=', appealId).executeTakeFirstOrThrow();
    expect(row.status).toBe('replied');
    expect(row.unit_id).toBe('a-ps1');
  });

  it('lists only the scope of the user', async () => {
    const inB = await h.api('dispB', 'GET', '/api/v1/appeals?pageSize=500');
    expect(inB.json().items.map((i: { id: string }) => i.id)).not.toContain(appealId);
    const inA = await h.api('dispA', 'GET', '/api/v1/appeals?pageSize=500');
    expect(inA.json().items.map((i: { id: string }) => i.id)).toContain(appealId);
    const other = await h.api('handA2', 'GET', '/api/v1/appeals?pageSize=500');
    expect(other.json().items).toHaveLength(0);
    const cityLeader = await h.api('leaderCity', 'GET', '/api/v1/appeals?pageSize=500');
    expect(cityLeader.json().items.map((i: { id: string }) => i.id)).toContain(appealId);
  });

  it('enforces roles inside the scope: a handler cannot dispatch, an auditor cannot read appeals', async () => {
    const r1 = await h.api('handA1', 'POST', `/api/v1/appeals/${appealId}/actions`, { action: 'supervise', note: '自己督办自己' });
    expect(r1.statusCode).toBe(403);
    const r2 = await h.api('auditor', 'GET', `/api/v1/appeals/${appealId}`);
    expect(r2.statusCode).toBe(403);
    const r3 = await h.api('sysadmin', 'GET', '/api/v1/appeals');
    expect(r3.statusCode).toBe(403);
    const r4 = await h.api(null, 'GET', '/api/v1/appeals');
    expect(r4.statusCode).toBe(401);
  });

  it('audits unmasking with the reason, and shows the clear identity only then', async () => {
    const masked = (await h.api('dispA', 'GET', `/api/v1/appeals/${appealId}`)).json();
    expect(masked.citizen.phone).toBe('139****1111');
    const r = await h.api('dispA', 'POST', `/api/v1/appeals/${appealId}/unmask`, { reason: '回访需要联系群众' });
    expect(r.statusCode).toBe(200);
    expect(r.json().phone).toBe('13900001111');
    const audit = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.unmask').execute();
    expect(audit.some((a) => a.object_id === appealId && (a.details ?? '').includes('回访需要联系群众'))).toBe(true);
  });
});
