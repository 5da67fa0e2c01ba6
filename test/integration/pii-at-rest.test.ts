// Personal information at rest (PIPL; 等保 保密性; 密评 数据存储机密性): citizens' names, phones and
// addresses never reach the database in clear — looked for in the raw SQLite file (with its WAL) and in
// every PostgreSQL table as text; key rotation re-encrypts what an older key wrote; identities are
// erased a configurable period after closure, by the CLI's service and by the scheduled job.
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { MaintenanceJob } from '../../src/jobs/maintenance.ts';
import { PiiCipher } from '../../src/lib/pii.ts';
import { createServices } from '../../src/services/index.ts';
import { repos } from '../../src/store/repositories/index.ts';
import { act, closedByRating, submit } from '../support/appeals.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { TEST_DB } from '../support/db.ts';
import { TEST_PASSWORD } from '../factories/org.ts';

/** Every byte the database holds: the SQLite file with its WAL, or every PostgreSQL table as text. */
async function rawDatabase(h: Harness): Promise<Buffer> {
  if (TEST_DB === 'sqlite') {
    const file = h.s.ctx.handle.file!;
    return Buffer.concat(['', '-wal', '-shm'].filter((x) => fs.existsSync(file + x)).map((x) => fs.readFileSync(file + x)));
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(h.s.ctx.db);
  const parts: string[] = [];
  for (const t of tables.rows) {
    const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(t.table_name)} t`.execute(h.s.ctx.db);
    parts.push(...rows.rows.map((r) => r.t));
  }
  return Buffer.from(parts.join('\n'), 'utf8');
}

describe('personal data is encrypted at rest', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h?.close());

  it('no plaintext phone, name or address anywhere in the database', async () => {
    const people = [
      { citizenName: '欧阳翠花', phone: '13911112222', address: '清江区幸福路一八八号三单元' },
      { citizenName: '司马建业', phone: '15833334444', address: '东湖区长青巷七十七号' },
      { citizenName: '诸葛明月', phone: '0791-88776655', address: '城关镇南门外九十九号' },
    ];
    const titles: string[] = [];
    for (const [i, p] of people.entries()) {
      const title = `可检索的标题样本${i}号`;
      titles.push(title);
      const a = await submit(h, { ...p, title });
      // Tracking and rating carry the phone too; a callback rating and an unmask read it back.
      expect((await h.api(null, 'POST', '/api/v1/track', { trackingCode: a.trackingCode, secret: p.phone })).statusCode).toBe(200);
      await act(h, 'dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
      expect((await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/unmask`, { reason: '回访需要联系群众' })).json().phone).toBe(p.phone.replace('-', ''));
    }
    // A hotline operator's entry and a retried submission with an idempotency key.
    const hotline = await h.api('dispA', 'POST', '/api/v1/appeals', { type: 'help', title: '热线转录', body: '群众来电反映家中老人走失,请求协助寻找,情况紧急。', regionCode: '360602001', citizenName: '上官婉清', phone: '17755556666', anonymous: false });
    expect(hotline.statusCode, hotline.body).toBe(201);
    const body = { type: 'help', title: '幂等重试', body: '手机被盗,请求帮助查找并报案处理,谢谢。', regionCode: '360602001', citizenName: '皇甫子墨', phone: '18677778888', anonymous: false };
    for (let i = 0; i < 2; i++) expect([200, 201]).toContain((await h.api(null, 'POST', '/api/v1/appeals', body, { 'idempotency-key': 'pii-retry-0001' })).statusCode);
    people.push({ citizenName: '上官婉清', phone: '17755556666', address: '' }, { citizenName: '皇甫子墨', phone: '18677778888', address: '' });

    // A resident ID number: validated (GB 11643 check digit), shown masked, in clear only when unmasked.
    const ID = '11010519491231002X';
    expect((await h.api(null, 'POST', '/api/v1/appeals', { ...body, title: '身份证校验', idNumber: '110105194912310021' })).json().error.details.field).toBe('idNumber');
    const withId = await submit(h, { citizenName: '东方既白', phone: '13922223333', idNumber: ID.toLowerCase(), title: '法律援助申请', email: 'dongfang.jibai@example.com' });
    await act(h, 'dispA', withId.id, { action: 'dispatch', unitId: 'a-ps1' });
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${withId.id}`)).json().citizen.idNumber).toBe('1101**********002X');
    expect((await h.api('dispA', 'POST', `/api/v1/appeals/${withId.id}/unmask`, { reason: '核实法律援助资格' })).json()).toMatchObject({ idNumber: ID, email: 'dongfang.jibai@example.com' });
    expect((await h.api('dispA', 'GET', `/api/v1/appeals/${withId.id}`)).json().citizen.email).toBe('d***@example.com');
    people.push({ citizenName: '东方既白', phone: '13922223333', address: '' });

    const raw = await rawDatabase(h);
    expect(raw.includes(Buffer.from(ID)), ID).toBe(false);
    expect(raw.includes(Buffer.from(ID.toLowerCase())), ID).toBe(false);
    expect(raw.includes(Buffer.from('dongfang.jibai')), 'e-mail').toBe(false);
    // The scan sees what is stored: the titles are there in clear.
    for (const t of titles) expect(raw.includes(Buffer.from(t, 'utf8')), t).toBe(true);
    for (const p of people) {
      expect(raw.includes(Buffer.from(p.phone)), p.phone).toBe(false);
      expect(raw.includes(Buffer.from(p.phone.replace('-', ''))), p.phone).toBe(false);
      expect(raw.includes(Buffer.from(p.citizenName, 'utf8')), p.citizenName).toBe(false);
      if (p.address) expect(raw.includes(Buffer.from(p.address, 'utf8')), p.address).toBe(false);
    }
    // SM4 where the runtime has it (Node's OpenSSL 3 does).
    expect(h.s.ctx.pii.algorithm).toBe('SM4-CTR+HMAC-SM3');
  });

  it('detects a tampered ciphertext instead of returning garbage', async () => {
    const row = await h.s.ctx.db.selectFrom('appeals').select(['id', 'citizen_phone_enc']).where('citizen_phone_enc', 'is not', null).executeTakeFirstOrThrow();
    const [kid, mode, b64] = row.citizen_phone_enc!.split('.');
    const bytes = Buffer.from(b64!, 'base64');
    bytes[20] = bytes[20]! ^ 1;
    expect(() => h.s.ctx.pii.decrypt(`${kid}.${mode}.${bytes.toString('base64')}`)).toThrow(/integrity/);
  });
});

describe('key rotation', () => {
  it('re-encrypts every ciphertext written under the old key; phones stay findable; TOTP secrets too', async () => {
    const OLD = 'k1:old-secret-0123456789-abcdefghijklmnop';
    const NEW = 'k2:new-secret-9876543210-zyxwvutsrqponmlk';
    const h = await createHarness({ env: { MINBIAO_SECRET: OLD } });
    try {
      const a = await submit(h, { citizenName: '轮换测试', phone: '13600001111', idNumber: '11010519491231002X', email: 'rotate.me@example.com' });
      const b = await submit(h, { anonymous: true, citizenName: null, phone: null, address: '匿名地址一号' });
      // An optional second factor under the old key.
      const token = await h.login('handA1');
      const setup = await h.app.inject({ method: 'POST', url: '/api/v1/auth/mfa/setup', headers: { authorization: `Bearer ${token}` }, payload: {} });
      expect(setup.statusCode).toBe(200);

      const s2 = await createServices(loadConfig({ ...envOf(h), MINBIAO_SECRET: `${NEW},${OLD}` }), { now: () => h.clock.now });
      try {
        // Two appeals; four second factors (the harness enrolled the 三员, handA1 started enrolling).
        expect(await s2.security.keys.stale()).toEqual({ appeals: 2, mfaSecrets: 4 });
        expect((await s2.security.keys.rotate({ dryRun: true })).appeals).toBe(2);
        const r = await s2.security.keys.rotate();
        expect(r).toMatchObject({ keyId: 'k2', appeals: 2, mfaSecrets: 4, failed: 0 });
        expect(await s2.security.keys.stale()).toEqual({ appeals: 0, mfaSecrets: 0 });
        const rows = await s2.ctx.db.selectFrom('appeals').selectAll().execute();
        for (const row of rows) for (const c of [row.citizen_name_enc, row.citizen_phone_enc, row.citizen_id_enc, row.citizen_email_enc, row.address_enc]) if (c) expect(c.startsWith('k2.')).toBe(true);
        expect(s2.ctx.pii.decrypt(rows.find((x) => x.id === a.id)!.citizen_id_enc)).toBe('11010519491231002X');
        expect(s2.ctx.pii.decrypt(rows.find((x) => x.id === a.id)!.citizen_email_enc)).toBe('rotate.me@example.com');
        // The old key alone no longer reads anything.
        const oldOnly = new PiiCipher([OLD]);
        expect(() => oldOnly.decrypt(rows.find((x) => x.id === a.id)!.citizen_phone_enc)).toThrow();
        // The new services read everything, and find the phone through the (unchanged) blind index.
        expect(s2.ctx.pii.decrypt(rows.find((x) => x.id === a.id)!.citizen_name_enc)).toBe('轮换测试');
        expect(s2.ctx.pii.decrypt(rows.find((x) => x.id === b.id)!.address_enc)).toBe('匿名地址一号');
        expect((await s2.queries.track(a.trackingCode, '13600001111')).trackingCode).toBe(a.trackingCode);
        const mfa = await s2.ctx.db.selectFrom('user_mfa').selectAll().execute();
        expect(mfa.every((m) => [m.secret_enc, m.pending_secret_enc].every((c) => !c || c.startsWith('k2.')))).toBe(true);
        expect(mfa.map((m) => s2.ctx.pii.decrypt(m.pending_secret_enc))).toContain(setup.json().secret);
        // An enrolled administrator still signs in with a code from the re-encrypted secret.
        const auditor = await s2.ctx.db.selectFrom('users').select('id').where('username', '=', 'auditor').executeTakeFirstOrThrow();
        h.clock.now += 60_000;
        const signIn = await s2.auth.login('auditor', TEST_PASSWORD, { ip: null, userAgent: null }, h.otp('auditor'));
        expect(signIn.user.id).toBe(auditor.id);
        const audit = await repos.audit.list(s2.ctx.db, { limit: 5, offset: 0, action: 'keys.rotate' });
        expect(audit.some((x) => x.outcome === 'success')).toBe(true);
        // The audit chain, sealed under k1 and then k2, verifies with both keys configured.
        expect((await s2.audit.verify()).ok).toBe(true);
      } finally {
        await s2.close();
      }
    } finally {
      await h.close();
    }
  });
});

function envOf(h: Harness): Record<string, string> {
  const c = h.db.config;
  return { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: c.DATA_DIR, SCHEDULER_ENABLED: 'false', ...(c.DATABASE_URL ? { DATABASE_URL: c.DATABASE_URL } : {}) };
}

describe('retention', () => {
  it('erases identities PII_RETENTION_DAYS after closure (dry run first), keeps open and recent appeals, and runs on schedule', async () => {
    const h = await createHarness({ env: { PII_RETENTION_DAYS: '30' } });
    try {
      const DAY = 86_400_000;
      const old = await closedByRating(h, { citizenName: '早办结', phone: '13500000001', idNumber: '11010519491231002X' });
      const anon = await submit(h, { anonymous: true, citizenName: null, phone: null, address: '匿名者住址', email: 'anon.reader@example.com' });
      await act(h, 'dispA', anon.id, { action: 'redirect', channel: 'litigation', guidance: '请依法向人民法院提起诉讼。' });
      const open = await submit(h, { citizenName: '仍在办', phone: '13500000002' });
      h.clock.now += 20 * DAY;
      const recent = await closedByRating(h, { citizenName: '近期办结', phone: '13500000003' });
      h.clock.now += 11 * DAY; // old and anon closed 31 days ago, recent 11 days ago

      const identity = async (id: string) => {
        const r = await h.s.ctx.db.selectFrom('appeals').select(['citizen_name_enc', 'citizen_phone_enc', 'citizen_phone_idx', 'citizen_id_enc', 'citizen_email_enc', 'address_enc', 'access_pin_hash', 'place_key']).where('id', '=', id).executeTakeFirstOrThrow();
        return Object.values(r).some((v) => v !== null);
      };
      // The keyed indexes derived from the phone and the address, in the appeal and in its fact.
      const keys = async (id: string) => ({
        appeal: await h.s.ctx.db.selectFrom('appeals').select(['citizen_phone_idx', 'place_key']).where('id', '=', id).executeTakeFirstOrThrow(),
        fact: await h.s.ctx.db.selectFrom('score_facts').select(['citizen_key', 'place_key']).where('appeal_id', '=', id).executeTakeFirstOrThrow(),
      });
      const before = await keys(old.id);
      expect([before.appeal.citizen_phone_idx, before.appeal.place_key, before.fact.citizen_key, before.fact.place_key].every((v) => v !== null)).toBe(true);
      const dry = await h.s.security.retention.run({ dryRun: true, full: true });
      expect(dry).toMatchObject({ dryRun: true, retentionDays: 30, due: 2, erased: 0 });
      expect(await identity(old.id)).toBe(true);

      const done = await h.s.security.retention.run({ full: true });
      expect(done).toMatchObject({ due: 2, erased: 2 });
      expect(await identity(old.id)).toBe(false);
      expect(await keys(old.id)).toEqual({ appeal: { citizen_phone_idx: null, place_key: null }, fact: { citizen_key: null, place_key: null } });
      expect(await identity(anon.id)).toBe(false);
      expect(await identity(open.id)).toBe(true);
      expect(await identity(recent.id)).toBe(true);
      const rating = await h.s.ctx.db.selectFrom('ratings').select('source_ip').where('appeal_id', '=', old.id).executeTakeFirstOrThrow();
      expect(rating.source_ip).toBeNull();
      // The appeal, its events and its rating stay for the figures; only the person is gone.
      expect((await h.api('dispA', 'GET', `/api/v1/appeals/${old.id}`)).json()).toMatchObject({ status: 'closed', citizen: { name: null, phone: null } });
      expect((await h.api(null, 'POST', '/api/v1/track', { trackingCode: old.trackingCode, secret: '13500000001' })).statusCode).toBe(404);
      const erased = await h.s.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.retention.erase').execute();
      expect(erased).toHaveLength(1);
      expect(JSON.parse(erased[0]!.details!)).toMatchObject({ count: 2, retentionDays: 30 });

      // The scheduled job erases the recent one once its time has come.
      h.clock.now += 20 * DAY;
      const report = await new MaintenanceJob(h.s).tick();
      expect(report.leader).toBe(true);
      expect(report.retention).toMatchObject({ erased: 1 });
      expect(await identity(recent.id)).toBe(false);
      expect(await identity(open.id)).toBe(true);
      expect((await h.s.audit.verify()).ok).toBe(true);
    } finally {
      await h.close();
    }
  });
});
