// The audit trail (等保 2.0 安全审计; 密评 完整性): every security-relevant event is recorded; the chain is
// sealed with HMAC-SM3 so that someone who can write the database (but lacks MINBIAO_SECRET) cannot
// edit, delete, reorder, truncate or forge records unnoticed — `verify` (API and `minbiao audit verify`)
// names the first broken record; the database itself refuses updates and deletes younger than 6 months.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCanonical } from '../../src/store/repositories/audit.ts';
import type { AuditLogTable } from '../../src/store/schema.ts';

type AuditRow = Selectable<AuditLogTable>;
import { act, closedByRating, submit } from '../support/appeals.ts';
import { TEST_DB } from '../support/db.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const run = promisify(execFile);
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const actions = async () => new Set((await h.s.ctx.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action));

describe('what is audited', () => {
  it('logins, failures, lockouts, permission and configuration changes, unmasking, refusals, state changes', async () => {
    const a = await closedByRating(h);
    const b = await submit(h);
    await act(h, 'dispA', b.id, { action: 'dispatch', unitId: 'a-ps1' });
    await act(h, 'dispA', b.id, { action: 'supervise', note: '督办办理情况' });
    await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/unmask`, { reason: '回访需要联系群众' });
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'handA2', password: 'Wrong-Passw0rd!' } });
    await h.api('handA1', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'supervise', note: '越权' });
    await h.api('sysadmin', 'PATCH', '/api/v1/categories/fraud', { handleDays: 2 });
    await h.api('sysadmin', 'PATCH', '/api/v1/units/a-ps2', { population: 12345 });
    await h.api('sysadmin', 'PUT', '/api/v1/calendar/overrides/2026-10-09', { workday: false, note: '调休' });
    const user = await h.api('sysadmin', 'POST', '/api/v1/users', { username: 'newbie', displayName: '新人', password: 'Fresh-Staff-Passw0rd!', unitId: 'a-ps1', roles: ['handler'] });
    expect(user.statusCode, user.body).toBe(201);
    expect((await h.api('secadmin', 'PATCH', `/api/v1/users/${user.json().id}`, { roles: ['dispatcher'] })).statusCode).toBe(200);
    await h.s.security.recordConfig();
    await h.api('handA1', 'POST', '/api/v1/auth/logout', {});
    const got = await actions();
    for (const expected of [
      'auth.login', // success and failure (outcome column)
      'auth.logout',
      'auth.mfa.enable',
      'appeal.submit',
      'appeal.dispatch',
      'appeal.rate',
      'appeal.supervise',
      'pii.unmask',
      'access.denied',
      'category.update',
      'org.update',
      'calendar.override',
      'user.create',
      'user.permissions.change',
      'config.initial',
    ]) {
      expect(got.has(expected), expected).toBe(true);
    }
    const logins = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').execute();
    expect(logins.some((l) => l.outcome === 'failure' && l.ip === '127.0.0.1')).toBe(true);
    expect(logins.some((l) => l.outcome === 'success')).toBe(true);
    const unmask = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.unmask').executeTakeFirstOrThrow();
    expect(unmask).toMatchObject({ object_type: 'appeal', object_id: a.id, outcome: 'success', actor_name: 'dispA', ip: '127.0.0.1' });
    expect(unmask.details).toContain('回访需要联系群众');
    // Every record carries actor, time, event type, object, outcome and source address.
    const verified = await h.api('auditor', 'GET', '/api/v1/audit/verify');
    expect(verified.json()).toMatchObject({ ok: true, firstBroken: null });
  });
});

describe('append-only in the database', () => {
  it('refuses any update, and deleting a record younger than 6 months', async () => {
    await h.s.audit.record({ kind: 'system', job: 'test' }, { action: 'test.young', objectType: null, objectId: null, outcome: 'success', details: null, at: Date.now() });
    const young = await h.s.ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'test.young').executeTakeFirstOrThrow();
    await expect(h.s.ctx.db.updateTable('audit_log').set({ details: '{"x":1}' }).where('seq', '=', young.seq).execute()).rejects.toThrow(/append-only/);
    await expect(h.s.ctx.db.deleteFrom('audit_log').where('seq', '=', young.seq).execute()).rejects.toThrow(/6 months/);
    await expect(h.s.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/6 months|truncat/);
    if (TEST_DB === 'postgres') await expect(sql`truncate audit_log`.execute(h.s.ctx.db)).rejects.toThrow(/truncate/);
    expect((await h.s.audit.verify()).ok).toBe(true);
  });
});

describe('tampering is found (with the database guards removed, as by an attacker with DDL rights)', () => {
  let original: AuditRow[];
  let head: Record<string, unknown>;
  const db = () => h.s.ctx.db;

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await submit(h);
    // Refusals are audited after the answer is sent: let any such write land before the snapshot.
    await new Promise((r) => setTimeout(r, 300));
    if (TEST_DB === 'sqlite') {
      await sql`drop trigger audit_log_no_update`.execute(db());
      await sql`drop trigger audit_log_retention`.execute(db());
    } else {
      await sql`alter table audit_log disable trigger user`.execute(db());
    }
    original = await db().selectFrom('audit_log').selectAll().orderBy('seq').execute();
    head = (await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()) as unknown as Record<string, unknown>;
    expect(original.length).toBeGreaterThan(20);
    expect((await h.s.audit.verify()).ok).toBe(true);
  });

  /** Puts the untouched chain back after each attack. */
  async function restore() {
    await db().deleteFrom('audit_log').execute();
    for (const r of original) await db().insertInto('audit_log').values(r).execute();
    await db().updateTable('audit_head').set(head).where('id', '=', 1).execute();
    expect((await h.s.audit.verify()).ok).toBe(true);
  }

  const mid = () => original[Math.floor(original.length / 2)]!;
  const last = () => original[original.length - 1]!;

  async function expectBroken(seq: number, reason: RegExp) {
    const v = await h.s.audit.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.seq).toBe(seq);
    expect(v.firstBroken?.reason).toMatch(reason);
    await restore();
  }

  it('an edited record', async () => {
    const r = mid();
    await db().updateTable('audit_log').set({ outcome: r.outcome === 'success' ? 'failure' : 'success' }).where('seq', '=', r.seq).execute();
    await expectBroken(r.seq, /content changed/);
  });

  it('an edited record whose SM3 link the attacker recomputed (the seal needs the key)', async () => {
    const r = mid();
    const edited = { ...r, details: JSON.stringify({ forged: true }) };
    const { seq: _s, hash: _h, prev_hash: _p, ...rest } = edited;
    const hash = createHash('sm3').update(auditCanonical(r.seq, r.prev_hash, rest)).digest('hex');
    await db().updateTable('audit_log').set({ details: edited.details, hash }).where('seq', '=', r.seq).execute();
    // Relink the next record as well, so only the seal can tell.
    await db().updateTable('audit_log').set({ prev_hash: hash }).where('seq', '=', r.seq + 1).execute();
    await expectBroken(r.seq, /seal does not match/);
  });

  it('a deleted record in the middle', async () => {
    const r = mid();
    await db().deleteFrom('audit_log').where('seq', '=', r.seq).execute();
    await expectBroken(r.seq + 1, /gap|deleted/);
  });

  it('deleted first records', async () => {
    await db().deleteFrom('audit_log').where('seq', '<=', 2).execute();
    await expectBroken(3, /earlier records were deleted/);
  });

  it('deleted last records (truncation, which no link shows: the sealed head does)', async () => {
    await db().deleteFrom('audit_log').where('seq', '>', last().seq - 2).execute();
    await expectBroken(last().seq - 1, /deleted/);
  });

  it('two records swapped (reordered)', async () => {
    const a = mid();
    const b = original.find((x) => x.seq === a.seq + 1)!;
    const { seq: _a, ...aRest } = a;
    const { seq: _b, ...bRest } = b;
    await db().updateTable('audit_log').set(bRest).where('seq', '=', a.seq).execute();
    await db().updateTable('audit_log').set(aRest).where('seq', '=', b.seq).execute();
    await expectBroken(a.seq, /link|reordered/);
  });

  it('a record forged at the end', async () => {
    const l = last();
    await db().insertInto('audit_log').values({ ...l, seq: l.seq + 1, prev_hash: l.hash, action: 'auth.login', hash: 'k1:' + '0'.repeat(64) }).execute();
    await expectBroken(l.seq + 1, /seal does not match/);
  });

  it('a rolled-back head', async () => {
    await db().updateTable('audit_head').set({ seq: last().seq - 1 }).where('id', '=', 1).execute();
    await expectBroken(last().seq - 1, /head/);
  });

  it('`minbiao audit verify` names the first broken record and exits 1', async () => {
    const r = mid();
    await db().updateTable('audit_log').set({ actor_name: 'someone-else' }).where('seq', '=', r.seq).execute();
    const c = h.db.config;
    const env = { ...process.env, DATA_DIR: c.DATA_DIR, MINBIAO_SECRET: c.MINBIAO_SECRET!, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}) };
    const res = await run(process.execPath, ['bin/minbiao.mjs', 'audit', 'verify'], { env, timeout: 60_000 }).catch((e: { code: number; stdout: string }) => e);
    expect((res as { code?: number }).code).toBe(1);
    expect((res as { stdout: string }).stdout).toContain(`seq ${r.seq}`);
    // The CLI's own check was recorded after the break; put the chain back without it.
    await db().deleteFrom('audit_log').where('seq', '>', last().seq).execute();
    await restore();
    const ok = await run(process.execPath, ['bin/minbiao.mjs', 'audit', 'verify', '--json'], { env, timeout: 60_000 });
    expect(JSON.parse(ok.stdout.trim())).toMatchObject({ ok: true, firstBroken: null });
  });
});
