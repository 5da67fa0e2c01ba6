// Exports (docs/interop.md §3): the appeal list as .csv and .xlsx with exactly the rows and order of
// GET /api/v1/appeals for the same filters, streamed past many pages, data scope respected, personal
// data masked unless unmasked with a reason (audited); rankings and breakdowns from the engine.
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/text/csv.ts';
import { interop } from '../../src/services/interop/index.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;

async function submit(i: number, region: string, title: string, phone = `1370000${String(1000 + i)}`) {
  const r = await h.api(null, 'POST', '/api/v1/appeals', { type: 'complaint', categoryId: 'order.noise', title, body: `第${i}号诉求:夜间施工噪音扰民,影响休息,请尽快处理。`, regionCode: region, phone, citizenName: `测试人${i}`, address: `清江区城关街道幸福路${i}号`, anonymous: false });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

function csvRows(body: string): string[][] {
  const rows = parseCsv(body.replace(/^\uFEFF/, ''));
  return rows.slice(1); // the caption line
}

async function xlsxRows(buf: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out.slice(1);
}

beforeAll(async () => {
  h = await createHarness();
  for (let i = 0; i < 6; i++) {
    await submit(i, i % 2 ? '360603' : '360602001', i === 5 ? '=HYPERLINK("http://x","点我")' : `噪音扰民第${i}件`);
    h.clock.now += 60_000;
  }
});
afterAll(async () => h?.close());

describe('exports', () => {
  it('the appeal list as CSV: same rows and order as the list endpoint, masked, scoped, formula-safe', async () => {
    for (const [user, query] of [
      ['dispA', ''],
      ['dispA', 'status=submitted&sort=created_asc'],
      ['dispA', 'q=%E5%99%AA%E9%9F%B3'],
      ['dispB', ''],
      ['leaderCity', 'view=queue&sort=due_asc'],
      ['leaderCity', 'createdFrom=2026-03-02T09:02:00%2B08:00'],
    ] as const) {
      const list = await h.api(user, 'GET', `/api/v1/appeals?pageSize=500&${query}`);
      expect(list.statusCode, list.body).toBe(200);
      const exp = await h.api(user, 'GET', `/api/v1/appeals/export?format=csv&${query}`);
      expect(exp.statusCode, exp.body).toBe(200);
      expect(exp.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(exp.headers['content-disposition']).toMatch(/attachment; filename=".*\.csv"; filename\*=UTF-8''/);
      const rows = csvRows(exp.body);
      expect(rows[0]![0]).toBe('查询码');
      expect(rows.slice(1).map((r) => r[0])).toEqual(list.json().items.map((i: { trackingCode: string }) => i.trackingCode));
    }
    const all = csvRows((await h.api('leaderCity', 'GET', '/api/v1/appeals/export?format=csv')).body);
    const header = all[0]!;
    const phoneCol = header.indexOf('联系电话');
    const nameCol = header.indexOf('来电人');
    const addrCol = header.indexOf('诉求地址');
    for (const r of all.slice(1)) {
      expect(r[phoneCol]).toMatch(/^137\*{4}\d{4}$/);
      expect(r[nameCol]).toMatch(/^测试?\*+$/);
      expect(r[addrCol]).toMatch(/\*{4}$/);
    }
    const dispB = csvRows((await h.api('dispB', 'GET', '/api/v1/appeals/export?format=csv')).body);
    expect(dispB.slice(1).every((r) => r[header.indexOf('所属区域')] === '东湖区')).toBe(true);
    expect(dispB.length - 1).toBe(3);
    // A title that would be a formula in a spreadsheet is written as text.
    const formula = all.find((r) => r[1]!.includes('HYPERLINK'))!;
    expect(formula[1]!.startsWith("'=")).toBe(true);
    // Every export is audited.
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'appeal.export').execute();
    expect(audit.length).toBeGreaterThanOrEqual(8);
  });

  it('the appeal list as .xlsx, with the same rows', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/api/v1/appeals/export?format=xlsx', headers: { authorization: `Bearer ${h.tokens.dispA}` } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = await xlsxRows(r.rawPayload);
    const list = (await h.api('dispA', 'GET', '/api/v1/appeals?pageSize=500')).json();
    expect(rows[0]![0]).toBe('查询码');
    expect(rows.slice(1).map((x) => x[0])).toEqual(list.items.map((i: { trackingCode: string }) => i.trackingCode));
    expect(String(rows[1]![rows[0]!.indexOf('联系电话')])).toMatch(/\*{4}/);
  });

  it('unmasking needs the permission and a reason, and is audited', async () => {
    expect((await h.api('dispA', 'GET', '/api/v1/appeals/export?format=csv&unmask=true')).statusCode).toBe(400);
    expect((await h.api('leaderCity', 'GET', '/api/v1/appeals/export?format=csv&unmask=true&reason=%E6%A0%B8%E5%AF%B9%E6%9D%A5%E7%94%B5')).statusCode).toBe(403);
    const r = await h.api('dispA', 'GET', `/api/v1/appeals/export?format=csv&unmask=true&reason=${encodeURIComponent('回访核对来电人')}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('13700001000');
    expect(r.body).toContain('测试人0');
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['details']).where('action', '=', 'appeal.export.unmasked').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({ reason: '回访核对来电人', unmask: true });
    expect((await h.api('sysadmin', 'GET', '/api/v1/appeals/export?format=csv')).statusCode).toBe(403);
    expect((await h.api('dispA', 'GET', '/api/v1/appeals/export?format=pdf')).statusCode).toBe(400);
    expect((await h.api('dispA', 'GET', '/api/v1/appeals/export?page=2')).statusCode).toBe(400);
  });

  it('streams thousands of rows across pages without losing or repeating one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-export-'));
    const file = path.join(dir, 'many.csv');
    const lines = ['工单编号,来电时间,诉求类型,诉求内容,所属区域,联系电话,来电人'];
    for (let i = 0; i < 2600; i++) lines.push(`EX${i},2026-02-${String(1 + (i % 27)).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')},咨询,第${i}号咨询内容,清江区,1360000${String(1000 + (i % 9000)).padStart(4, '0')},市民${i}`);
    fs.writeFileSync(file, lines.join('\n'));
    expect((await interop(h.s).imports.run({ principal: null, file })).accepted).toBe(2600);
    const r = await h.api('dispA', 'GET', '/api/v1/appeals/export?format=csv&sort=created_asc');
    const rows = csvRows(r.body).slice(1);
    const total = (await h.api('dispA', 'GET', '/api/v1/appeals?pageSize=1')).json().total;
    expect(rows.length).toBe(total);
    expect(new Set(rows.map((x) => x[0])).size).toBe(total);
    const created = rows.map((x) => x[10]!);
    expect([...created].sort()).toEqual(created);
    const x = await h.app.inject({ method: 'GET', url: '/api/v1/appeals/export?format=xlsx', headers: { authorization: `Bearer ${h.tokens.dispA}` } });
    expect((await xlsxRows(x.rawPayload)).length - 1).toBe(total);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rankings and breakdowns from the evaluation engine, in the user’s scope', async () => {
    const json = await h.api('leaderCity', 'GET', '/api/v1/metrics/rankings?peerGroup=police_station:township&period=2026-03');
    expect(json.statusCode, json.body).toBe(200);
    const x = await h.app.inject({ method: 'GET', url: '/api/v1/metrics/rankings/export?peerGroup=police_station:township&period=2026-03&format=xlsx', headers: { authorization: `Bearer ${h.tokens.leaderCity}` } });
    expect(x.statusCode, x.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['排名', '未排名']);
    const header = (wb.worksheets[0]!.getRow(3).values as unknown[]).slice(1);
    expect(header).toContain('民标指数(校正)');
    expect(header).toContain('名次95%区间');
    expect(wb.worksheets[0]!.rowCount - 3).toBe(json.json().units.length);
    expect(wb.worksheets[1]!.rowCount - 1).toBe(json.json().unranked.length);
    const c = await h.api('leaderCity', 'GET', '/api/v1/metrics/rankings/export?peerGroup=police_station:township&period=2026-03&format=csv');
    expect(c.statusCode).toBe(200);
    expect(c.body).toContain('名次');
    expect((await h.api('sysadmin', 'GET', '/api/v1/metrics/rankings/export?peerGroup=police_station:township')).statusCode).toBe(403);
    const b = await h.api('leaderA', 'GET', '/api/v1/metrics/breakdown/export?by=unit&period=2026-02&format=csv');
    expect(b.statusCode, b.body).toBe(200);
    const rows = csvRows(b.body);
    expect(rows[0]![0]).toBe('单位');
    const units = rows.slice(1).map((r) => r[0]);
    expect(units).toContain('城关派出所');
    expect(units).not.toContain('湖滨派出所'); // outside leaderA's scope
    const total = rows.slice(1).reduce((n, r) => n + Number(r[1]), 0);
    expect(total).toBeGreaterThan(2000); // the imported appeals of February
    expect((await h.api('leaderA', 'GET', '/api/v1/metrics/breakdown/export?unitId=b&format=csv')).statusCode).toBe(403);
  });
});
