// The public endpoints (等保 2.0 入侵防范): the self-hosted proof-of-work captcha is required on the
// citizen's submission, tracking and rating, checked for signature, expiry, work and single use; rate
// limits per source address, per phone and per tracking code answer 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChallenge, encodePayload, solveChallenge, type AltchaChallenge } from '../../src/lib/altcha.ts';
import { replied, submit, submitBody } from '../support/appeals.ts';
import { solve } from '../support/captcha.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const count = async (h: Harness) => Number((await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('proof-of-work captcha', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  const challenge = async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/captcha' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    return r.json() as AltchaChallenge;
  };
  const post = (url: string, body: unknown, captcha?: string) =>
    h.app.inject({ method: 'POST', url, payload: body as object, headers: captcha === undefined ? {} : { 'x-captcha': captcha } });

  it('hands out ALTCHA challenges', async () => {
    const c = await challenge();
    expect(c).toMatchObject({ algorithm: 'SHA-256', maxnumber: 2000 });
    expect(c.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(c.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(c.salt).toMatch(/^[0-9a-f]{24}\?expires=\d+$/);
    expect(solveChallenge(c)).not.toBeNull();
  });

  it('is required on a citizen’s submission; wrong, forged, reused and expired solutions are refused; nothing is stored', async () => {
    const before = await count(h);
    const missing = await post('/api/v1/appeals', submitBody());
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('CAPTCHA_REQUIRED');
    expect((await post('/api/v1/appeals', submitBody(), 'not-base64-json')).json().error.code).toBe('CAPTCHA_INVALID');

    const c = await challenge();
    const n = solveChallenge(c)!;
    expect((await post('/api/v1/appeals', submitBody(), encodePayload(c, n + 1))).json().error.code).toBe('CAPTCHA_INVALID');
    expect((await post('/api/v1/appeals', submitBody(), encodePayload({ ...c, signature: c.signature.replace(/^./, (x) => (x === 'a' ? 'b' : 'a')) }, n))).json().error.code).toBe('CAPTCHA_INVALID');
    // A challenge made with another key (a client's own) does not pass.
    const forged = createChallenge(Buffer.alloc(32, 7), { maxNumber: 10, expiresAt: h.clock.now + 60_000 });
    expect((await post('/api/v1/appeals', submitBody(), solve(forged))).json().error.code).toBe('CAPTCHA_INVALID');
    // Moving the expiry in the salt breaks the work (the challenge covers the salt).
    expect((await post('/api/v1/appeals', submitBody(), encodePayload({ ...c, salt: c.salt.replace(/expires=\d+/, 'expires=9999999999') }, n))).json().error.code).toBe('CAPTCHA_INVALID');
    expect(await count(h)).toBe(before);

    const good = encodePayload(c, n);
    expect((await post('/api/v1/appeals', submitBody(), good)).statusCode).toBe(201);
    const reused = await post('/api/v1/appeals', submitBody(), good);
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('CAPTCHA_USED');

    const late = await challenge();
    h.clock.now += 11 * 60_000; // CAPTCHA_TTL_SECONDS = 600
    expect((await post('/api/v1/appeals', submitBody(), solve(late))).json().error.code).toBe('CAPTCHA_EXPIRED');
    expect(await count(h)).toBe(before + 1);
  });

  it('is required on tracking and rating', async () => {
    const a = await replied(h);
    const track = { trackingCode: a.trackingCode, secret: '13812345678' };
    expect((await post('/api/v1/track', track)).json().error.code).toBe('CAPTCHA_REQUIRED');
    expect((await post('/api/v1/track', track, solve(await challenge()))).statusCode).toBe(200);
    const rating = { ...track, level: 5, solved: 'yes', contacted: true };
    expect((await post('/api/v1/track/rating', rating)).json().error.code).toBe('CAPTCHA_REQUIRED');
    expect((await post('/api/v1/track/rating', rating, solve(await challenge()))).statusCode).toBe(200);
  });

  it('is not asked of a signed-in hotline operator, and a retry of a stored submission passes without a new one', async () => {
    const staff = await h.api('dispA', 'POST', '/api/v1/appeals', submitBody({ title: '热线录入' }));
    expect(staff.statusCode, staff.body).toBe(201);
    const first = await h.api(null, 'POST', '/api/v1/appeals', submitBody(), { 'idempotency-key': 'retry-key-0001', 'x-captcha': solve(await challenge()) });
    expect(first.statusCode).toBe(201);
    const retry = await h.app.inject({ method: 'POST', url: '/api/v1/appeals', payload: submitBody(), headers: { 'idempotency-key': 'retry-key-0001' } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id: first.json().id, replayed: true });
    // A new key is a new submission: the captcha is asked again.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/appeals', payload: submitBody(), headers: { 'idempotency-key': 'retry-key-0002' } })).json().error.code).toBe('CAPTCHA_REQUIRED');
  });
});

describe('rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      env: { RATE_SUBMIT_PER_IP_HOUR: '3', RATE_SUBMIT_PER_PHONE_DAY: '2', RATE_TRACK_PER_IP_HOUR: '4', RATE_TRACK_PER_CODE_HOUR: '3', RATE_LOGIN_PER_IP_MINUTE: '4', RATE_CAPTCHA_PER_IP_MINUTE: '1000' },
    });
  });
  afterAll(async () => h?.close());

  const submitFrom = async (ip: string, phone: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/appeals', remoteAddress: ip, payload: submitBody({ phone }), headers: { 'x-captcha': await h.captcha() } });

  it('per phone and per source address, with Retry-After, refilled over time', async () => {
    expect((await submitFrom('10.0.0.1', '13700000001')).statusCode).toBe(201);
    expect((await submitFrom('10.0.0.1', '13700000001')).statusCode).toBe(201);
    // The same phone from another address: the phone's bucket is empty.
    const phone = await submitFrom('10.0.0.2', '13700000001');
    expect(phone.statusCode).toBe(429);
    expect(phone.json().error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 'submit-phone' } });
    expect(Number(phone.headers['retry-after'])).toBeGreaterThan(0);
    // Another phone from the first address passes once more, then the address's bucket is empty.
    expect((await submitFrom('10.0.0.1', '13700000002')).statusCode).toBe(201);
    const ip = await submitFrom('10.0.0.1', '13700000003');
    expect(ip.statusCode).toBe(429);
    expect(ip.json().error.details.limit).toBe('submit-ip');
    expect((await submitFrom('10.0.0.3', '13700000003')).statusCode).toBe(201);
    h.clock.now += 3600_000;
    expect((await submitFrom('10.0.0.1', '13700000004')).statusCode).toBe(201);
    // The limiter keeps no phone number (blind index only).
    const keys = [...((h.s.security.limiter as unknown as { buckets: Map<string, unknown> }).buckets.keys())];
    expect(keys.some((k) => k.startsWith('submit-phone|'))).toBe(true);
    expect(keys.join('\n')).not.toContain('1370000000');
  });

  it('per tracking code (guessing a PIN from many addresses)', async () => {
    const anon = await submit(h, { anonymous: true, citizenName: null, phone: null });
    const guess = async (ip: string, pin: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/track', remoteAddress: ip, payload: { trackingCode: anon.trackingCode, secret: pin }, headers: { 'x-captcha': await h.captcha() } });
    for (let i = 0; i < 3; i++) expect((await guess(`10.1.0.${i}`, String(100000 + i))).statusCode).toBe(404);
    const blocked = await guess('10.1.0.9', anon.accessPin!);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.details.limit).toBe('track-code');
    h.clock.now += 3600_000;
    expect((await guess('10.1.0.9', anon.accessPin!)).statusCode).toBe(200);
  });

  it('sign-in attempts per address', async () => {
    const attempt = () => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.2.0.1', payload: { username: 'nobody', password: 'x' } });
    for (let i = 0; i < 4; i++) expect((await attempt()).statusCode).toBe(401);
    const r = await attempt();
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
  });
});
