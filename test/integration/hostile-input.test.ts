// Bad input gets a clear 4xx with the one error shape (zh + en), never a 500, and nothing half-stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const valid = {
  type: 'help',
  title: '手机被骗了怎么办',
  body: '刚才接到自称客服的电话,被骗转账两千元,请问应该怎么处理?',
  regionCode: '360602001',
  phone: '13700002222',
  anonymous: false,
};

function expectCleanError(r: { statusCode: number; body: string }, status?: number) {
  expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
  expect(r.statusCode, r.body).toBeLessThan(500);
  if (status) expect(r.statusCode).toBe(status);
  const b = JSON.parse(r.body);
  expect(typeof b.error.code).toBe('string');
  expect(typeof b.error.message).toBe('string');
  expect(typeof b.error.messageEn).toBe('string');
  expect(r.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/); // no stack traces
}

describe('hostile input', () => {
  it('broken JSON, wrong content type, empty and huge bodies', async () => {
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'content-type': 'application/json' }, payload: '{"type":' }), 400);
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'content-type': 'text/plain' }, payload: 'hello' }), 415);
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }), 415);
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'content-type': 'application/json' }, payload: '' }), 400);
    const huge = JSON.stringify({ ...valid, body: '很'.repeat(400_000) });
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/appeals', headers: { 'content-type': 'application/json' }, payload: huge }), 413);
  });

  it('unknown fields, wrong types, out-of-range values', async () => {
    for (const body of [
      { ...valid, isAdmin: true },
      { ...valid, type: 'threat' },
      { ...valid, title: 12345 },
      { ...valid, anonymous: 'yes' },
      { ...valid, regionCode: '../../etc/passwd' },
      { ...valid, phone: '12345' },
      { ...valid, categoryId: 'no-such-category' },
      { ...valid, regionCode: '999999' },
      { ...valid, body: '太短' },
      { ...valid, title: 'a\u0000b\u0007c标题' },
      [valid],
      null,
      'string',
    ]) {
      const r = await h.api(null, 'POST', '/api/v1/appeals', body);
      expectCleanError(r);
    }
    const count = await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('bad query strings, ids and routes', async () => {
    expectCleanError(await h.api('dispA', 'GET', '/api/v1/appeals?page=-1'), 400);
    expectCleanError(await h.api('dispA', 'GET', '/api/v1/appeals?pageSize=100000'), 400);
    expectCleanError(await h.api('dispA', 'GET', '/api/v1/appeals?unknown=1'), 400);
    expect((await h.api('dispA', 'GET', `/api/v1/appeals?q=${encodeURIComponent("' OR 1=1 --")}`)).statusCode).toBe(200);
    const sqlish = await h.api('dispA', 'GET', `/api/v1/appeals?q=${encodeURIComponent("%' or '1'='1")}`);
    expect(sqlish.statusCode).toBe(200);
    expect(sqlish.json().items).toHaveLength(0);
    expectCleanError(await h.api('dispA', 'GET', '/api/v1/appeals/..%2F..%2Fetc%2Fpasswd'));
    expectCleanError(await h.api('dispA', 'GET', `/api/v1/appeals/${'x'.repeat(300)}`));
    expectCleanError(await h.api('dispA', 'GET', '/api/v1/nope'), 404);
    expectCleanError(await h.api('dispA', 'POST', '/api/v1/appeals/abc/actions', { action: 'explode' }), 400);
    expectCleanError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dispA', password: 'wrong' } }), 401);
    expectCleanError(await h.app.inject({ method: 'GET', url: '/api/v1/appeals', headers: { authorization: 'Bearer ' + 'z'.repeat(5000) } }), 401);
  });

  it('random JSON never produces a 500 on any public or staff endpoint', async () => {
    const urls: [string | null, 'POST' | 'PUT' | 'PATCH', string][] = [
      [null, 'POST', '/api/v1/appeals'],
      [null, 'POST', '/api/v1/track'],
      [null, 'POST', '/api/v1/track/rating'],
      [null, 'POST', '/api/v1/auth/login'],
      ['dispA', 'POST', '/api/v1/appeals/01ABC/actions'],
      ['dispA', 'POST', '/api/v1/tasks/01ABC/callback'],
      ['sysadmin', 'POST', '/api/v1/units'],
      ['sysadmin', 'PATCH', '/api/v1/units/a-ps1'],
      ['sysadmin', 'POST', '/api/v1/categories'],
      ['sysadmin', 'PUT', '/api/v1/calendar/overrides/2026-10-01'],
      ['secadmin', 'POST', '/api/v1/users'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), fc.jsonValue({ maxDepth: 6 }), async ([user, method, url], body) => {
        const r = await h.api(user, method, url, body);
        expect(r.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 200)} → ${r.body}`).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('stores hostile text verbatim as data (XSS and SQL are inert)', async () => {
    const title = '<script>alert(1)</script>';
    const body = "'); DROP TABLE appeals; -- <img src=x onerror=alert(1)> 请求处理";
    const r = await h.api(null, 'POST', '/api/v1/appeals', { ...valid, title, body });
    expect(r.statusCode).toBe(201);
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('id', '=', r.json().id).executeTakeFirstOrThrow();
    expect(row.title).toBe(title);
    expect(row.body).toBe(body);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
