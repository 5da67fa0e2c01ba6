// The minbiao command line, as an operator runs it: migrate, users create (the password is asked
// for, never defaulted), seed with the demo city — against the configured database.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const run = promisify(execFile);
let db: TestDatabase;
const env = () => ({
  ...process.env,
  DATA_DIR: db.config.DATA_DIR,
  MINBIAO_SECRET: db.config.MINBIAO_SECRET!,
  LOG_LEVEL: 'silent',
  ...(db.config.DATABASE_URL ? { DATABASE_URL: db.config.DATABASE_URL } : {}),
});
const minbiao = (args: string[], extra: Record<string, string> = {}) => run(process.execPath, ['bin/minbiao.mjs', ...args], { env: { ...env(), ...extra }, timeout: 120_000 });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

describe('minbiao CLI', () => {
  it('migrates, seeds a demo city and creates a user', async () => {
    const m1 = await minbiao(['migrate']);
    expect(m1.stdout).toMatch(/0001_core/);
    const m2 = await minbiao(['migrate']);
    expect(m2.stdout).toMatch(/最新|up to date/);

    const seeded = await minbiao(['seed', '--demo', '--appeals', '500', '--seed', '3']);
    const report = JSON.parse(seeded.stdout.trim().split('\n').at(-1)!);
    expect(report.appeals).toBe(500);
    expect(report.events).toBeGreaterThan(1500);

    const again = await minbiao(['seed', '--demo', '--appeals', '10']).catch((e: { stderr: string; code: number }) => e);
    expect((again as { code: number }).code).toBe(1);
    expect((again as { stderr: string }).stderr).toMatch(/非空|not empty/);

    const s = await createServices(db.config);
    const unit = (await s.org.all()).find((u) => u.type === 'police_station')!;
    await s.close();
    const weak = await minbiao(['users', 'create', '--username', 'zhang.san', '--unit', unit.id, '--roles', 'handler'], { MINBIAO_NEW_PASSWORD: 'short' }).catch((e: { stderr: string; code: number }) => e);
    expect((weak as { code: number }).code).toBe(1);
    expect((weak as { stderr: string }).stderr).toMatch(/密码长度至少8位/);
    const ok = await minbiao(['users', 'create', '--username', 'zhang.san', '--unit', unit.id, '--roles', 'handler', '--name', '张三'], { MINBIAO_NEW_PASSWORD: 'Zs-2026-secure' });
    expect(ok.stdout).toMatch(/zhang\.san/);
    const mixed = await minbiao(['users', 'create', '--username', 'bad.mix', '--unit', unit.id, '--roles', 'auditor,handler'], { MINBIAO_NEW_PASSWORD: 'Zs-2026-secure' }).catch((e: { stderr: string; code: number }) => e);
    expect((mixed as { stderr: string }).stderr).toMatch(/三员分立/);
  }, 240_000); // the seed trains the cold-start classifier and analyses every appeal: slow on a loaded machine

  it('ranks, publishes and verifies a month of the demo city (score --json, score publish, score verify)', async () => {
    type Failed = { code: number; stderr: string; stdout: string };
    const fails = (args: string[]) => minbiao(args).then(
      (r) => { throw new Error(`expected minbiao ${args.join(' ')} to fail: ${r.stdout}`); },
      (e: Failed) => e,
    );
    // The month before the current one (Asia/Shanghai): the seed's appeals run up to now.
    const bj = new Date(Date.now() + 8 * 3600_000);
    const month = bj.getUTCMonth() === 0 ? `${bj.getUTCFullYear() - 1}-12` : `${bj.getUTCFullYear()}-${String(bj.getUTCMonth()).padStart(2, '0')}`;
    const current = `${bj.getUTCFullYear()}-${String(bj.getUTCMonth() + 1).padStart(2, '0')}`;

    const ranked = JSON.parse((await minbiao(['score', '--period', month, '--json', '--draws', '200'])).stdout);
    expect(ranked.period.label).toBe(month);
    expect(ranked.draws).toBe(200);
    expect(ranked.rankings.length).toBeGreaterThan(0);
    const row = ranked.rankings.flatMap((g: { units: unknown[] }) => g.units)[0];
    expect(row).toMatchObject({ unitId: expect.any(String), index: { rank: expect.any(Number), rankInterval95: [expect.any(Number), expect.any(Number)] } });

    expect((await fails(['score', 'verify', '--period', month])).stderr).toMatch(/尚未发布|not been published/);
    expect((await fails(['score', 'publish', '--period', current])).stderr).toMatch(/PERIOD_NOT_ENDED/);
    expect((await fails(['score', '--period', 'last-month'])).code).toBe(1);
    expect((await fails(['score', '--period', month, '--draws', '5'])).stderr).toMatch(/--draws/);

    const pub = JSON.parse((await minbiao(['score', 'publish', '--period', month, '--json'])).stdout);
    expect(pub).toMatchObject({ period: { label: month }, publishedBy: 'system:cli' });
    expect(pub.appeals).toBeGreaterThan(0);
    expect(pub.factsHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await fails(['score', 'publish', '--period', month])).stderr).toMatch(/SNAPSHOT_EXISTS/);

    const verified = JSON.parse((await minbiao(['score', 'verify', '--period', month, '--json'])).stdout);
    expect(verified).toMatchObject({ ok: true, sealOk: true, factsHashMatches: true, differenceCount: 0, appeals: pub.appeals });
    expect((await minbiao(['score', 'verify', '--period', month])).stdout).toMatch(/核验通过/);

    // The per-appeal facts behind the published figures were frozen with it.
    const s = await createServices(db.config);
    try {
      const n = await s.ctx.db.selectFrom('score_snapshot_facts').select((eb) => eb.fn.countAll().as('n')).where('snapshot_id', '=', pub.id).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(pub.appeals);
    } finally {
      await s.close();
    }
  }, 240_000);

  it('issues, lists and revokes an Open311 API key (shown once; a revoked key is refused)', async () => {
    const created = await minbiao(['apikeys', 'create', '--name', '市12345热线', '--rate', '120']);
    const key = created.stdout.trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(created.stderr).toMatch(/只显示这一次|shown this once/);
    const listed = await minbiao(['apikeys', 'list']);
    expect(listed.stdout).toMatch(/市12345热线\t120\/min\tactive/);
    expect(listed.stdout).not.toContain(key); // only a prefix is ever shown again
    const s = await createServices(db.config);
    try {
      const { interop } = await import('../../src/services/interop/index.ts');
      const row = await interop(s).apiKeys.authenticate(key, { endpoint: 'test', ip: null });
      expect(row.name).toBe('市12345热线');
      const id = listed.stdout.split('\t')[0]!;
      const revoked = await minbiao(['apikeys', 'revoke', id]);
      expect(revoked.stdout).toMatch(/已吊销|revoked/);
      await expect(interop(s).apiKeys.authenticate(key, { endpoint: 'test', ip: null })).rejects.toMatchObject({ status: 403 });
    } finally {
      await s.close();
    }
  });

  it('refuses a bad configuration with a message naming it', async () => {
    const r = await minbiao(['migrate'], { PORT: 'eighty' }).catch((e: { stderr: string; code: number }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toMatch(/PORT/);
  });
});
