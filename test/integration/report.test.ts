// The monthly 通报 (docs/interop.md §4), read back: the .docx is unzipped and word/document.xml must
// hold the title, the units and the figures the evaluation engine gives for the month, the 红黑榜 by
// the not-distinguishable-from-median rule, the hotspot and 每月一题, overdue and reopened counts,
// anonymised cases and PNG charts; the .xlsx holds the full tables; scope, the CLI and snapshots.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { interop } from '../../src/services/interop/index.ts';
import { idx, pct, zhPunct } from '../../src/services/interop/reportDocx.ts';
import { makeStaff } from '../../src/services/principal.ts';
import { createTestDatabase } from '../support/db.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { docxText, readZip } from '../support/zip.ts';

let h: Harness;
const PHONES: string[] = [];
const NAMES: string[] = [];
const HOUR = 3600_000;

async function ok(r: { statusCode: number; body: string }, status = 200) {
  expect(r.statusCode, r.body).toBe(status);
  return JSON.parse(r.body);
}

/** An appeal through its whole life: submitted by a citizen, dispatched, handled and rated at 回访. */
async function lifecycle(i: number, o: { region: string; dispatcher: string; unit: string; handler: string; title: string; level: 1 | 2 | 3 | 4 | 5; solved: 'yes' | 'partly' | 'no'; comment?: string }) {
  const phone = `1350000${String(1000 + i)}`;
  const name = `居民${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`;
  PHONES.push(phone);
  NAMES.push(name);
  const a = await ok(await h.api(null, 'POST', '/api/v1/appeals', { type: 'complaint', categoryId: 'order.noise', title: o.title, body: `${o.title}。我是${name},电话${phone},请尽快处理。`, regionCode: o.region, phone, citizenName: name, address: `幸福路${i}号`, anonymous: false }), 201);
  const act = (user: string, body: object) => h.api(user, 'POST', `/api/v1/appeals/${a.id}/actions`, body);
  await ok(await act(o.dispatcher, { action: 'dispatch', unitId: o.unit }));
  h.clock.now += HOUR;
  await ok(await act(o.handler, { action: 'accept' }));
  await ok(await act(o.handler, { action: 'contact', method: 'phone' }));
  h.clock.now += 2 * HOUR;
  await ok(await act(o.handler, { action: 'reply', text: `经核查,已联系${name}并现场处置,问题已整改到位。` }));
  h.clock.now += HOUR;
  await ok(await act(o.dispatcher, { action: 'rate', level: o.level, solved: o.solved, contacted: true, comment: o.comment ?? null }));
  return a;
}

beforeAll(async () => {
  h = await createHarness({ start: Date.parse('2026-10-09T09:00:00+08:00') });
  let i = 0;
  for (let k = 0; k < 14; k++) await lifecycle(i++, { region: '360602001', dispatcher: 'dispA', unit: 'a-ps1', handler: 'handA1', title: `城关小区夜间施工噪音扰民第${k}次`, level: 5, solved: 'yes', comment: k === 0 ? '民警处理及时,非常满意' : undefined });
  for (let k = 0; k < 14; k++) await lifecycle(i++, { region: '360602', dispatcher: 'dispA', unit: 'a-ps2', handler: 'handA2', title: `江滨路夜市烧烤摊噪音扰民严重${k}`, level: 1, solved: 'no', comment: k === 0 ? '打电话给居民甲说处理了但根本没人来' : undefined });
  for (let k = 0; k < 14; k++) await lifecycle(i++, { region: '360603', dispatcher: 'dispB', unit: 'b-ps1', handler: 'handB1', title: `湖滨广场广场舞音响扰民${k}`, level: k % 2 ? 4 : 3, solved: k % 3 ? 'yes' : 'partly' });
  // Reopen one unsolved, unsatisfied appeal of a-ps2.
  const bad = await h.s.ctx.db.selectFrom('appeals').select('id').where('unit_id', '=', 'a-ps2').where('status', '=', 'closed').orderBy('created_at').limit(1).executeTakeFirstOrThrow();
  await ok(await h.api('dispA', 'POST', `/api/v1/appeals/${bad.id}/actions`, { action: 'reopen', reason: '群众反映问题仍未解决,要求重新办理' }));
  // Two appeals left with the unit, to go overdue.
  for (let k = 0; k < 2; k++) {
    const a = await ok(await h.api(null, 'POST', '/api/v1/appeals', { type: 'complaint', categoryId: 'order.noise', title: `江滨派出所辖区噪音投诉未办理${k}`, body: '反映的噪音问题一直没有人来处理,请督办。', regionCode: '360602', phone: `1360000200${k}`, anonymous: false }), 201);
    await ok(await h.api('dispA', 'POST', `/api/v1/appeals/${a.id}/actions`, { action: 'dispatch', unitId: 'a-ps2' }));
  }
  h.clock.now = Date.parse('2026-10-28T10:00:00+08:00');
  await h.scheduler.tick();
  h.clock.now = Date.parse('2026-11-03T10:00:00+08:00');
}, 600_000);
afterAll(async () => h?.close());

type Row = { name: string; index: { notDistinguishableFromMedian: boolean; diffFromMedian95: number[]; estimate: number } };
/** The 红榜/黑榜 lines of each group in the document hold exactly the units the engine's rule names. */
function expectLists(text: string, groups: { labelZh: string; units: Row[] }[]): { red: number; black: number } {
  const lines = text.split('\n');
  let red = 0;
  let black = 0;
  for (const g of groups) {
    const start = lines.findIndex((l) => l.includes(`${zhPunct(g.labelZh)}（共`));
    expect(start, g.labelZh).toBeGreaterThan(0);
    let end = lines.findIndex((l, i) => i > start && (/^（[一二三四五六七八九十\d]+）/.test(l) || l.startsWith('四、')));
    if (end < 0) end = lines.length;
    const section = lines.slice(start, end);
    const redLine = section.find((l) => l.startsWith('红榜：')) ?? '';
    const blackLine = section.find((l) => l.startsWith('黑榜：')) ?? '';
    const wantRed = g.units.filter((u) => !u.index.notDistinguishableFromMedian && u.index.diffFromMedian95[0]! > 0);
    const wantBlack = g.units.filter((u) => !u.index.notDistinguishableFromMedian && u.index.diffFromMedian95[1]! < 0);
    const named = (line: string) => line.replace(/^(红榜|黑榜)：/, '').replace(/。$/, '').split('；').filter(Boolean).map((x) => x.replace(/（民标指数.*$/, ''));
    expect(named(redLine).sort(), `${g.labelZh} 红榜`).toEqual(wantRed.map((u) => zhPunct(u.name)).sort());
    expect(named(blackLine).sort(), `${g.labelZh} 黑榜`).toEqual(wantBlack.map((u) => zhPunct(u.name)).sort());
    for (const u of wantRed) expect(redLine).toContain(`${zhPunct(u.name)}（民标指数${idx(u.index.estimate)}`);
    if (wantRed.length === 0 && wantBlack.length === 0) expect(section.join('\n')).toContain('不设红黑榜');
    red += wantRed.length;
    black += wantBlack.length;
  }
  return { red, black };
}

async function download(user: string, url: string) {
  const r = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${h.tokens[user] ?? (await h.login(user))}` } });
  return r;
}

describe('the monthly bulletin', () => {
  it('the leader names the month’s key problem (每月一题)', async () => {
    expect((await h.api('dispA', 'PUT', '/api/v1/reports/key-problem', { period: '2026-10', title: '夜间噪音扰民' })).statusCode).toBe(403);
    const r = await ok(await h.api('leaderCity', 'PUT', '/api/v1/reports/key-problem', { period: '2026-10', title: '夜间噪音扰民', categoryId: 'order.noise', note: '由市公安局牵头,会同城管部门开展夜间噪音专项整治。' }));
    expect(r.keyProblem).toMatchObject({ title: '夜间噪音扰民', categoryId: 'order.noise' });
    expect((await ok(await h.api('dispA', 'GET', '/api/v1/reports/key-problem?period=2026-10'))).keyProblem.title).toBe('夜间噪音扰民');
  });

  it('.docx: title, headline figures, units, 红黑榜 by the engine’s rule, hotspots, cases, charts — and no personal data', async () => {
    const r = await download('leaderCity', '/api/v1/reports/monthly?period=2026-10&format=docx');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(r.headers['content-disposition']).toContain('.docx');
    const zip = readZip(r.rawPayload);
    const xml = zip.get('word/document.xml')!.toString('utf8');
    const text = docxText(xml);
    expect(text).toContain('关于2026年10月政法业绩“民标”评价情况的通报');
    expect(text).toContain('江州市委政法委');

    // Headline figures = the engine's summary of the month.
    const summary = await ok(await h.api('leaderCity', 'GET', '/api/v1/metrics/summary?period=2026-10'));
    const f = summary.figures;
    expect(f.volume).toBe(44);
    expect(text).toContain(`本月共受理群众诉求${f.volume}件`);
    expect(text).toContain(`有效评价${f.rated}件`);
    expect(text).toContain(`响应率${pct(f.response.value)}`);
    expect(text).toContain(`满意率${pct(f.satisfaction.value)}`);
    expect(text).toContain(`民标指数${idx(f.index.value)}`);

    // Every unit with appeals, with its own figures.
    for (const name of ['城关派出所', '江滨派出所', '湖滨派出所']) expect(text).toContain(name);
    const byUnit = await ok(await h.api('leaderCity', 'GET', '/api/v1/metrics/breakdown?period=2026-10&by=unit'));
    const ps1 = byUnit.items.find((x: { key: string }) => x.key === 'a-ps1').figures;
    expect(text).toContain(idx(ps1.index.value));

    // 红黑榜: exactly the units whose difference from the peer median is clear of zero. With three
    // stations and a few weeks of ratings the engine keeps every interval across the median, so none
    // is named (the demo-city test below has groups with named units).
    const ranking = await ok(await h.api('leaderCity', 'GET', '/api/v1/metrics/rankings?period=2026-10&peerGroup=police_station:township'));
    expect(ranking.units.map((u: { unitId: string }) => u.unitId).sort()).toEqual(['a-ps1', 'a-ps2', 'b-ps1']);
    expectLists(text, [{ labelZh: ranking.labelZh, units: ranking.units }]);
    // The ranking table shows each station's corrected index and rank interval.
    const ps1Row = ranking.units.find((u: { unitId: string }) => u.unitId === 'a-ps1');
    expect(text).toContain(idx(ps1Row.index.estimate));
    expect(text).toContain('与同类单位中位数存在显著差异');

    // Hotspots and the key problem.
    expect(text).toMatch(/热点问题\d个/);
    expect(text).toContain('本月“每月一题”：夜间噪音扰民');
    // Overdue and reopened, from the events of the month.
    const overdue = await h.s.ctx.db.selectFrom('appeal_events').select('appeal_id').where('action', '=', 'mark_overdue').where('payload', 'like', '%"kind":"handle"%').execute();
    // The two appeals left with the unit, and the reopened one (its new deadline passed too).
    expect(new Set(overdue.map((o) => o.appeal_id)).size).toBe(3);
    expect(text).toContain('本月办理超期3件');
    expect(text).toContain('重办1件');
    expect(text).toContain('群众反映问题仍未解决');
    // Typical cases, anonymised.
    expect(text).toContain('正面典型');
    expect(text).toContain('民警处理及时，非常满意');
    expect(text).toContain('反面典型');
    for (const secret of [...PHONES, ...NAMES]) expect(text, secret).not.toContain(secret);
    expect(text).toContain("已联系居民某并现场处置"); // the citizen's name in the reply, masked
    // Charts as PNG images.
    const media = [...zip.keys()].filter((k) => k.startsWith('word/media/'));
    expect(media.length).toBeGreaterThanOrEqual(2);
    for (const m of media) expect(zip.get(m)!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(xml).toContain('<w:drawing>');
    // The page numbers and fonts of a bulletin.
    expect(xml).toContain('仿宋_GB2312');
    expect([...zip.keys()].some((k) => /word\/footer\d*\.xml/.test(k))).toBe(true);
  });

  it('.xlsx: the full tables', async () => {
    const r = await download('leaderCity', '/api/v1/reports/monthly?period=2026-10&format=xlsx');
    expect(r.statusCode, r.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总体情况', '表情包', '近12个月', '各地区部门', '各单位', '排名及红黑榜', '热点', '超期', '重办', '典型案例', '计算口径']);
    const rank = wb.getWorksheet('排名及红黑榜')!;
    const rows: string[][] = [];
    rank.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows[2]!;
    const body = rows.slice(3);
    const unitCol = header.indexOf('单位');
    const listCol = header.indexOf('榜单');
    const ranking = await ok(await h.api('leaderCity', 'GET', '/api/v1/metrics/rankings?period=2026-10&peerGroup=police_station:township'));
    for (const u of ranking.units) {
      const want = !u.index.notDistinguishableFromMedian && u.index.diffFromMedian95[0] > 0 ? '红榜' : !u.index.notDistinguishableFromMedian && u.index.diffFromMedian95[1] < 0 ? '黑榜' : '与中位数无显著差异';
      expect(body.find((r2) => r2[unitCol] === u.name)![listCol]).toBe(want);
    }
    const overdue = wb.getWorksheet('超期')!;
    expect(overdue.rowCount - 1).toBe(3);
    const all = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    for (const secret of PHONES) expect(all).not.toContain(secret);
  });

  it('respects data scope', async () => {
    const r = await download('leaderA', '/api/v1/reports/monthly?period=2026-10&format=docx');
    expect(r.statusCode, r.body).toBe(200);
    const text = docxText(readZip(r.rawPayload).get('word/document.xml')!.toString('utf8'));
    expect(text).toContain('清江区委政法委');
    expect(text).toContain('城关派出所');
    expect(text).not.toContain('湖滨派出所');
    expect((await download('leaderA', '/api/v1/reports/monthly?period=2026-10&unitId=b')).statusCode).toBe(403);
    expect((await download('sysadmin', '/api/v1/reports/monthly?period=2026-10')).statusCode).toBe(403);
    expect((await download('leaderCity', '/api/v1/reports/monthly?period=2026-Q4')).statusCode).toBe(400);
  });

  it('after publishing, the bulletin names the frozen snapshot; the CLI writes both formats', async () => {
    const snap = await ok(await h.api('leaderCity', 'POST', '/api/v1/metrics/snapshots', { period: '2026-10' }), 201);
    const r = await download('leaderCity', '/api/v1/reports/monthly?period=2026-10&format=docx');
    const text = docxText(readZip(r.rawPayload).get('word/document.xml')!.toString('utf8'));
    expect(text).toContain(`发布冻结的评价快照（编号${snap.id}`);

    const run = promisify(execFile);
    const cfg = h.db.config;
    const env = { ...process.env, DATA_DIR: cfg.DATA_DIR, MINBIAO_SECRET: cfg.MINBIAO_SECRET!, LOG_LEVEL: 'silent', ...(cfg.DATABASE_URL ? { DATABASE_URL: cfg.DATABASE_URL } : {}) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-report-'));
    const out = path.join(dir, 'tb.docx');
    const res = await run(process.execPath, ['bin/minbiao.mjs', 'report', '--period', '2026-10', '--format', 'docx', '--out', out], { env, timeout: 120_000 });
    const info = JSON.parse(res.stdout.trim().split('\n').at(-1)!);
    expect(info).toMatchObject({ format: 'docx', source: 'snapshot', unit: '江州市委政法委' });
    const cliText = docxText(readZip(fs.readFileSync(out)).get('word/document.xml')!.toString('utf8'));
    expect(cliText).toContain('关于2026年10月政法业绩“民标”评价情况的通报');
    expect(cliText).toContain('江州市委政法委');
    const x = path.join(dir, 'tb.xlsx');
    await run(process.execPath, ['bin/minbiao.mjs', 'report', '--period', '2026-10', '--format', 'xlsx', '--out', x, '--unit', 'a'], { env, timeout: 120_000 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(x);
    expect(String(wb.getWorksheet('总体情况')!.getRow(1).getCell(1).value)).toContain('清江区委政法委');
    const bad = await run(process.execPath, ['bin/minbiao.mjs', 'report', '--period', '2026-13'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});

describe('the monthly bulletin of the demo city', () => {
  // The demo city (185 units, peer groups of up to 56) in a database of its own, two months of history.
  let d: { s: Services; close: () => Promise<void> };
  beforeAll(async () => {
    const db = await createTestDatabase();
    const now = Date.parse('2026-11-03T10:00:00+08:00');
    const s = await createServices(db.config, { now: () => now });
    await seedDemo(s, { appeals: 8000, seed: 7, now, months: 2, createUsers: false });
    d = { s, close: async () => { await s.close(); await db.drop(); } };
  }, 600_000);
  afterAll(async () => d?.close());

  it('names on the 红黑榜 exactly the units distinguishable from their peer median, group by group', async () => {
    const file = await interop(d.s).reports.monthly(null, { period: '2026-10', format: 'docx' });
    const text = docxText(readZip(file.buffer).get('word/document.xml')!.toString('utf8'));
    const data = await interop(d.s).reports.data(null, { period: '2026-10' });
    const groups = data.groups.filter((g) => g.rows.length > 0).map((g) => ({ labelZh: g.labelZh, units: g.rows as unknown as Row[] }));
    expect(groups.length).toBeGreaterThan(3);
    const n = expectLists(text, groups);
    expect(n.red).toBeGreaterThan(0);
    expect(n.black).toBeGreaterThan(0);
    expect(file.summary).toMatchObject({ red: n.red, black: n.black });
    // The engine's own rankings say the same for the largest group.
    const root = (await d.s.org.all()).find((u) => u.parentId === null)!;
    const p = makeStaff({ userId: 'x', username: 'x', displayName: 'x', unitId: root.id, roles: ['leader'], scopePath: root.path, scopeRootId: root.id, sessionId: null, ip: null });
    const r = await d.s.scoring.rankings(p, { period: '2026-10', peerGroup: 'police_station:township' });
    expectLists(text, [{ labelZh: r.labelZh, units: r.units as unknown as Row[] }]);
    expect(text).toMatch(/热点问题\d个/);
    expect(text).toContain('“每月一题”建议');
  }, 300_000);
});
