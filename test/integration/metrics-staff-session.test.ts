// The 工作人员会话评价 (staff-session) anti-gaming signal through the HTTP API on the database under
// test: a citizen's rating that arrives with a valid staff session cookie is accepted as the citizen's
// (no CSRF token needed, no staff rights gained), the rating records the staff member and a reference
// naming the session, and the auditor's signal lists exactly those appeals — grouped by session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/plugins/auth.ts';
import { act, REPLY, submit } from '../support/appeals.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

const HOUR = 3600_000;
const PHONE = '13812345678';

let h: Harness;
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};

async function repliedAppeal(key: string, unitId: string, handler: string) {
  const r = await submit(h, { title: `夜间施工噪音扰民 ${key}`, body: '小区旁边的工地每天晚上十一点以后还在施工,噪音很大,希望尽快处理。', address: null, phone: PHONE });
  ids[key] = r.id;
  codes[key] = r.trackingCode;
  for (const [user, body] of [
    ['dispA', { action: 'dispatch', unitId }],
    [handler, { action: 'accept' }],
    [handler, { action: 'contact', method: 'phone' }],
    [handler, { action: 'reply', text: REPLY }],
  ] as const) {
    await act(h, user, ids[key]!, body);
  }
}

const rating = (key: string) => ({ trackingCode: codes[key], secret: PHONE, level: 5, solved: 'yes', contacted: true });
const ratingRow = (key: string) =>
  h.s.ctx.db.selectFrom('ratings').select(['actor_id', 'staff_user_id', 'staff_session']).where('appeal_id', '=', ids[key]!).executeTakeFirstOrThrow();

beforeAll(async () => {
  h = await createHarness({ env: FUNCTIONAL_ENV });
  for (const k of ['S1', 'S2', 'P1']) await repliedAppeal(k, 'a-ps1', 'handA1');
  await repliedAppeal('Q1', 'a-ps2', 'handA2');
  h.clock.now += HOUR;
}, 240_000);

afterAll(async () => h?.close());

describe('ratings submitted in a staff session', () => {
  it('accepts the rating as the citizen’s and records the staff session with it', async () => {
    const token = await h.login('handA1');
    // The staff member's browser sends the session cookie with the citizen's form, without a CSRF token.
    for (const k of ['S1', 'S2']) {
      const r = await h.api(null, 'POST', '/api/v1/track/rating', rating(k), { cookie: `${SESSION_COOKIE}=${token}` });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().rated).toBe(true);
    }
    // A plain citizen, and a cookie that is no valid session: nothing recorded.
    expect((await h.api(null, 'POST', '/api/v1/track/rating', rating('P1'))).statusCode).toBe(200);
    const bogus = await h.api(null, 'POST', '/api/v1/track/rating', rating('Q1'), { cookie: `${SESSION_COOKIE}=not-a-session` });
    expect(bogus.statusCode, bogus.body).toBe(200);

    const handA1 = await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', 'handA1').executeTakeFirstOrThrow();
    const s1 = await ratingRow('S1');
    expect(s1.actor_id).toBeNull(); // the citizen's rating, not the staff member's
    expect(s1.staff_user_id).toBe(handA1.id);
    expect(s1.staff_session).toMatch(/^s-[0-9a-f]{16}$/);
    // The reference names the session without being its key.
    expect(await h.s.ctx.db.selectFrom('sessions').select('id').where('id', '=', s1.staff_session!).executeTakeFirst()).toBeUndefined();
    expect((await ratingRow('S2')).staff_session).toBe(s1.staff_session);
    for (const k of ['P1', 'Q1']) expect(await ratingRow(k)).toMatchObject({ staff_user_id: null, staff_session: null });
  });

  it('only notes the staff session: the citizen route does not keep it alive', async () => {
    const token = await h.login('handA1');
    const lastSeen = async () => (await h.s.ctx.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', (await h.s.ctx.db.selectFrom('users').select('id').where('username', '=', 'handA1').executeTakeFirstOrThrow()).id).orderBy('last_seen_at', 'desc').executeTakeFirstOrThrow()).last_seen_at;
    const before = await lastSeen();
    h.clock.now += 5 * 60_000;
    // (An unknown tracking code: the session is looked at before the rating is, and no signal is added.)
    const r = await h.api(null, 'POST', '/api/v1/track/rating', { ...rating('S1'), trackingCode: 'MB20260399ZZZZ' }, { cookie: `${SESSION_COOKIE}=${token}` });
    expect(r.statusCode, r.body).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, r.body).toBeLessThan(500);
    expect(await lastSeen()).toBe(before);
    // A staff route with the same session does (at most once a minute).
    expect((await h.api(null, 'GET', '/api/v1/auth/me', undefined, { cookie: `${SESSION_COOKIE}=${token}` })).statusCode).toBe(200);
    expect(await lastSeen()).toBe(h.clock.now);
  });

  it('gives the staff cookie no staff rights on the citizen route, and keeps CSRF on staff routes', async () => {
    const token = h.tokens.handA1!;
    // The same cookie on a staff action without the CSRF token is still refused.
    const r = await h.api(null, 'POST', `/api/v1/appeals/${ids.P1}/actions`, { action: 'supervise', level: 'yellow', note: '请加快办理' }, { cookie: `${SESSION_COOKIE}=${token}` });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('CSRF_FAILED');
  });

  it('shows the auditor the staff-session signal with exactly those appeals, grouped by session', async () => {
    h.clock.now = Date.parse('2026-04-02T09:00:00+08:00');
    const r = await h.api('auditor', 'GET', '/api/v1/metrics/signals?period=2026-03');
    expect(r.statusCode, r.body).toBe(200);
    const items = r.json().items as { kind: string; unitId: string; appeals: { appealId: string }[]; evidence: { label: string; appealIds: string[] }[]; kindZh: string }[];
    const staff = items.filter((i) => i.kind === 'staff-session');
    expect(staff.map((i) => i.unitId)).toEqual(['a-ps1']);
    expect(staff[0]!.kindZh).toBe('工作人员会话评价');
    expect(staff[0]!.appeals.map((a) => a.appealId)).toEqual([ids.S1, ids.S2].sort());
    const ref = (await ratingRow('S1')).staff_session!;
    expect(staff[0]!.evidence).toEqual([{ label: `session ${ref}`, appealIds: [ids.S1, ids.S2].sort() }]);
    // … and who was signed in to it.
    expect((staff[0] as unknown as { staffSessions: unknown[] }).staffSessions).toEqual([
      expect.objectContaining({ session: ref, username: 'handA1', appealIds: [ids.S1, ids.S2].sort() }),
    ]);
    expect((await h.api('leaderCity', 'GET', '/api/v1/metrics/signals?period=2026-03')).statusCode).toBe(403);
  });
});
