// Hotline work-order import (docs/interop.md §2): Chinese headers and the date formats such exports
// use, .csv (UTF-8 and GB18030) and .xlsx, a row-level error report, every accepted row stored exactly
// once (a re-run imports nothing), the figures' read model equal to a rebuild from the events, the
// admin page's upload → mapping → progress → error report flow with data scope, and the CLI.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/text/csv.ts';
import { interop } from '../../src/services/interop/index.ts';
import type { RejectedRow } from '../../src/services/interop/import.ts';
import { rebuildScoreFacts } from '../../src/services/scoring/projector.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let dir: string;
const at = (s: string) => Date.parse(s);

const HEADER = ['工单编号', '来电时间', '诉求类型', '诉求分类', '诉求内容', '诉求地址', '来电人', '联系电话', '所属区域', '紧急程度'];
const GOOD: string[][] = [
  ['RX-0001', '2026/10/3 14:05', '投诉', '噪音扰民', '楼下烧烤店每晚营业到凌晨,油烟和噪音扰民,多次协商无果', '清江区城关街道解放路12号', '王小明', '13800138000', '城关街道', '一般'],
  ['RX-0002', '2026-10-03 14:05:00', '求助', '电信网络诈骗', '接到自称公安的电话要求转账到安全账户,不知真假', '', '李华', '13900139000', '东湖区', ''],
  ['RX-0003', '2026年10月3日', '咨询', '法律援助', '想咨询法律援助申请条件和需要准备的材料', '东湖区湖滨路8号', '赵敏', '0791-86001234', '', ''],
  ['RX-0004', '2026年10月4日 9时30分', '纠纷', '', '与邻居因漏水赔偿发生纠纷,希望调解', '清江区江滨小区5栋', '', '', '清江区', '紧急'],
  ['RX-0005', '46298.75', '建议', '', '建议在学校门口增设护学岗', '', '孙丽', '13700137000', '清江区', ''],
  ['RX-0006', '2026-11-04 20:10', '举报', '社会治安', '小区地下室有人聚众赌博', '', '', '', '东湖区', '特急'],
];
const BAD: [string[], RegExp][] = [
  [['RX-0101', '昨天下午', '投诉', '', '时间写错的工单内容', '', '', '', '清江区', ''], /来电时间.*无法识别/],
  [['RX-0102', '2026-10-05 10:00', '投诉', '', '', '', '', '', '清江区', ''], /缺少诉求内容/],
  [['RX-0103', '2026-10-05 10:00', '表扬', '', '表扬派出所民警热情服务', '', '', '', '清江区', ''], /不在受理范围/],
  [['RX-0104', '2026-10-05 10:00', '投诉', '', '手机号被脱敏无法导入', '', '周', '138****0000', '清江区', ''], /联系电话/],
  [['RX-0105', '2026-10-05 10:00', '投诉', '', '区域不是本地的', '', '', '', '火星区', ''], /所属区域/],
  [['RX-0106', '2027-01-01 10:00', '投诉', '', '来电时间在未来', '', '', '', '清江区', ''], /晚于当前时间/],
  [['', '2026-10-05 10:00', '投诉', '', '缺少工单编号的一行', '', '', '', '清江区', ''], /缺少工单编号/],
  [['RX-0108', '2026-10-05 10:00', '投诉', '', '紧急程度无法识别', '', '', '', '清江区', '很急'], /紧急程度/],
  [['RX-0001', '2026/10/3 14:05', '投诉', '噪音扰民', '同一工单编号但内容被改过', '', '王小明', '13800138000', '城关街道', ''], /已导入,但内容不同/],
];

const csvLine = (cells: string[]) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
function writeCsv(name: string, rows: string[][], header = HEADER): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `\uFEFF${[header, ...rows].map(csvLine).join('\r\n')}`);
  return file;
}

async function count(table: 'appeals' | 'appeal_events' | 'imported_sources' | 'score_facts', where?: [string, string]) {
  let q = h.s.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  h = await createHarness({ start: at('2026-11-05T09:00:00+08:00') });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-import-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

describe('hotline import', () => {
  it('maps Chinese headers, reads the usual date formats, reports every rejected row with its reason', async () => {
    const file = writeCsv('orders.csv', [...GOOD, ...BAD.map((b) => b[0]), GOOD[0]!]);
    const rejected: RejectedRow[] = [];
    const progress: number[] = [];
    const r = await interop(h.s).imports.run({ principal: null, file, onReject: (x) => void rejected.push(x), onProgress: (p) => progress.push(p.bytesDone), batchSize: 4 });
    expect(r.mapping).toMatchObject({ 工单编号: 'sourceId', 来电时间: 'createdAt', 诉求内容: 'body', 联系电话: 'phone', 所属区域: 'region' });
    expect(r.rowsRead).toBe(GOOD.length + BAD.length + 1);
    expect(r.accepted).toBe(GOOD.length);
    expect(r.duplicates).toBe(1); // the identical repeat of RX-0001 at the end
    expect(r.rejected).toBe(BAD.length);
    expect(progress.at(-1)).toBe(fs.statSync(file).size);
    for (const [cells, reason] of BAD) {
      const rej = rejected.find((x) => x.cells[4] === cells[4]);
      expect(rej, cells.join('|')).toBeDefined();
      expect(rej!.reason).toMatch(reason);
    }
    // Rows are numbered as in the file (header = 1).
    expect(rejected.find((x) => x.sourceId === 'RX-0101')!.rowNo).toBe(GOOD.length + 2);

    const rows = await h.s.ctx.db.selectFrom('appeals').innerJoin('imported_sources', 'imported_sources.appeal_id', 'appeals.id').selectAll('appeals').select('imported_sources.source_id').execute();
    const by = new Map(rows.map((x) => [x.source_id, x]));
    expect(by.get('RX-0001')!.created_at).toBe(at('2026-10-03T14:05:00+08:00'));
    expect(by.get('RX-0002')!.created_at).toBe(at('2026-10-03T14:05:00+08:00'));
    expect(by.get('RX-0003')!.created_at).toBe(at('2026-10-03T00:00:00+08:00'));
    expect(by.get('RX-0004')!.created_at).toBe(at('2026-10-04T09:30:00+08:00'));
    expect(by.get('RX-0005')!.created_at).toBe(at('2026-10-03T18:00:00+08:00')); // Excel serial 46298.75
    const a1 = by.get('RX-0001')!;
    expect(a1).toMatchObject({ channel: 'import', status: 'submitted', type: 'complaint', category_id: 'order.noise', region_code: '360602001', anonymous: 0 });
    expect(a1.tracking_code).toMatch(/^MB2610-/);
    expect(h.s.ctx.pii.decrypt(a1.citizen_phone_enc)).toBe('13800138000');
    expect(h.s.ctx.pii.decrypt(a1.citizen_name_enc)).toBe('王小明');
    expect(a1.title).toBe('楼下烧烤店每晚营业到凌晨,油烟和噪音扰民,多次协商无果');
    expect(by.get('RX-0002')).toMatchObject({ region_code: '360603', category_id: 'fraud', urgency: 'urgent' });
    expect(by.get('RX-0003')!.region_code).toBe('360603'); // from the address
    // The place of the repeat-appeal figure, as a keyed index: a road and number, a compound, none.
    expect(a1.place_key).toBe(h.s.ctx.pii.placeIndex('road:解放路:12'));
    expect(by.get('RX-0004')!.place_key).toBe(h.s.ctx.pii.placeIndex('place:江滨'));
    expect(by.get('RX-0002')!.place_key).toBeNull();
    expect(by.get('RX-0004')).toMatchObject({ type: 'dispute', urgency: 'urgent', anonymous: 1, citizen_phone_enc: null });
    expect(by.get('RX-0006')).toMatchObject({ type: 'report', urgency: 'emergency' });
    // Deadlines from the call time in working days (2026-10-03 is in the National Day holiday).
    expect(a1.handle_due_at).toBeGreaterThan(at('2026-10-09T00:00:00+08:00'));
    // One submit event per appeal, at the call time, by the importer.
    const ev = await h.s.ctx.db.selectFrom('appeal_events').selectAll().where('appeal_id', '=', a1.id).execute();
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ action: 'submit', at: a1.created_at, actor_kind: 'system' });
    // Audited per batch, with the appeal ids.
    const audit = await h.s.ctx.db.selectFrom('audit_log').select('details').where('action', '=', 'appeal.import').execute();
    expect(audit.flatMap((a) => JSON.parse(a.details!).appealIds)).toHaveLength(GOOD.length);
    // Rejected rows are kept (encrypted) for the error report.
    const stored = await h.s.ctx.db.selectFrom('import_rejects').selectAll().where('job_id', '=', r.jobId).execute();
    expect(stored).toHaveLength(BAD.length);
    expect(JSON.stringify(stored)).not.toContain('138****0000');
  });

  it('a re-run imports nothing twice', async () => {
    const before = await count('appeals');
    const file = writeCsv('orders-again.csv', [...GOOD, ...BAD.map((b) => b[0])]);
    const r = await interop(h.s).imports.run({ principal: null, file });
    expect(r.accepted).toBe(0);
    expect(r.duplicates).toBe(GOOD.length);
    expect(await count('appeals')).toBe(before);
    expect(await count('imported_sources')).toBe(before);
  });

  it('keeps the figures’ read model exactly as a rebuild from the events would', async () => {
    const dump = async () => ({
      facts: (await h.s.ctx.db.selectFrom('score_facts').selectAll().orderBy('appeal_id').execute()).map((r) => JSON.stringify(r)),
      stats: (await h.s.ctx.db.selectFrom('score_stats').selectAll().orderBy('unit_id').orderBy('day').orderBy('category_id').orderBy('type').orderBy('channel').execute())
        .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number.isFinite(Number(v)) && k !== 'unit_id' && k !== 'category_id' && k !== 'type' && k !== 'channel' ? Number(v) : v]))))
        .filter((s) => /[1-9]/.test(s.replace(/"(unit_id|day|category_id|type|channel)":"?[^,]*"?/g, ''))),
    });
    const live = await dump();
    expect(live.facts.length).toBe(await count('appeals'));
    await rebuildScoreFacts(h.s);
    const rebuilt = await dump();
    expect(live.facts).toEqual(rebuilt.facts);
    expect(live.stats).toEqual(rebuilt.stats);
  });

  it('reads GB18030 CSV, tab-separated files, and a saved profile with other headers', async () => {
    const header = ['单号', '受理时间', '问题性质', '反映内容', '区县'];
    const text = [header, ['GB-1', '2026/10/20 08:00', '咨询', '请问公证处几点上班', '东湖区']].map((r) => r.join('\t')).join('\n');
    const gbFile = path.join(dir, 'gb.txt');
    fs.writeFileSync(gbFile, encodeGb18030(text));
    const r = await interop(h.s).imports.run({ principal: null, file: gbFile, format: 'csv', saveProfileAs: '东湖热线', source: 'dh12345' });
    expect(r.accepted).toBe(1);
    const row = await h.s.ctx.db.selectFrom('appeals').innerJoin('imported_sources', 'imported_sources.appeal_id', 'appeals.id').select(['appeals.body', 'appeals.region_code', 'imported_sources.source']).where('imported_sources.source_id', '=', 'GB-1').executeTakeFirstOrThrow();
    expect(row).toEqual({ body: '请问公证处几点上班', region_code: '360603', source: 'dh12345' });
    const profile = await interop(h.s).imports.getProfile('东湖热线');
    expect(profile).toMatchObject({ source: 'dh12345', mapping: { 单号: 'sourceId', 受理时间: 'createdAt', 反映内容: 'body' } });
    // The same numbers from another source system are other work orders.
    const again = await interop(h.s).imports.run({ principal: null, file: gbFile, format: 'csv', profileName: '东湖热线' });
    expect(again.duplicates).toBe(1);
  });

  it('imports .xlsx (shared strings, date cells, numbers) with an explicit mapping', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['流水号', '时间', '类型', '内容', '地点', '电话']);
    ws.addRow([20261015001, new Date(Date.UTC(2026, 9, 15, 10, 30)), '投诉', '共享单车乱停放堵塞盲道', '清江区城关街道', 13600136000]);
    ws.getCell('B2').numFmt = 'yyyy-mm-dd hh:mm';
    ws.addRow([20261015002, 46310.5, '咨询', '离婚诉讼需要哪些材料', '东湖区', '']);
    ws.addRow([20261015003, '2026-10-15 11:00', '求助', { richText: [{ text: '老人走失,' }, { text: '请求帮助寻找' }] }, '清江区', '13600136001']);
    const file = path.join(dir, 'orders.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await interop(h.s).imports.run({ principal: null, file, mapping: { 流水号: 'sourceId', 时间: 'createdAt', 类型: 'type', 内容: 'body', 地点: 'address', 电话: 'phone' } });
    expect(r.format).toBe('xlsx');
    expect(r.accepted).toBe(3);
    const rows = await h.s.ctx.db.selectFrom('appeals').innerJoin('imported_sources', 'imported_sources.appeal_id', 'appeals.id').select(['imported_sources.source_id', 'appeals.created_at', 'appeals.body', 'appeals.region_code', 'appeals.citizen_phone_enc']).where('imported_sources.source_id', 'like', '2026101500%').orderBy('imported_sources.source_id').execute();
    expect(rows.map((x) => x.source_id)).toEqual(['20261015001', '20261015002', '20261015003']);
    expect(rows[0]!.created_at).toBe(at('2026-10-15T10:30:00+08:00'));
    expect(rows[1]!.created_at).toBe(at('2026-10-15T12:00:00+08:00'));
    expect(rows[2]!.body).toBe('老人走失,请求帮助寻找');
    expect(h.s.ctx.pii.decrypt(rows[0]!.citizen_phone_enc)).toBe('13600136000');
    expect(rows[0]!.region_code).toBe('360602001');
  });

  it('refuses a mapping without the required columns before reading any row', async () => {
    const file = writeCsv('bad-header.csv', [['x', 'y']], ['编号', '说明']);
    await expect(interop(h.s).imports.run({ principal: null, file })).rejects.toMatchObject({ code: 'IMPORT_MAPPING_INVALID' });
    await expect(interop(h.s).imports.run({ principal: null, file, mapping: { 编号: 'sourceId', 说明: 'nonsense' } })).rejects.toMatchObject({ code: 'IMPORT_MAPPING_INVALID' });
  });

  it('admin page flow: upload, suggested mapping, start, progress, error report; data scope and permissions', async () => {
    const rows = [
      ['WEB-1', '2026-10-21 09:00', '投诉', '', '江滨路夜间飙车噪音严重', '', '钱多', '13500135000', '清江区', ''],
      ['WEB-2', '2026-10-21 09:10', '投诉', '', '东湖区的事情清江区综治中心不能导入', '', '', '', '东湖区', ''],
      ['WEB-3', 'bad-date', '投诉', '', '时间错误', '', '孙七', '13500135001', '清江区', ''],
    ];
    const body = `\uFEFF${[HEADER, ...rows].map(csvLine).join('\n')}`;
    const up = await h.api('dispA', 'POST', `/api/v1/interop/imports?fileName=${encodeURIComponent('十月工单.csv')}`, body, { 'content-type': 'text/csv' });
    expect(up.statusCode, up.body).toBe(201);
    const job = up.json();
    expect(job.status).toBe('uploaded');
    expect(job.header).toEqual(HEADER);
    expect(job.suggestedMapping['工单编号']).toBe('sourceId');
    // Handlers cannot import; other users cannot see the job.
    expect((await h.api('handA1', 'POST', '/api/v1/interop/imports?fileName=a.csv', body, { 'content-type': 'text/csv' })).statusCode).toBe(403);
    expect((await h.api('dispB', 'GET', `/api/v1/interop/imports/${job.id}`)).statusCode).toBe(200); // dispatchers see all jobs
    expect((await h.api('handA1', 'GET', `/api/v1/interop/imports/${job.id}`)).statusCode).toBe(403);
    // A wrong mapping is refused up front.
    const wrong = await h.api('dispA', 'POST', `/api/v1/interop/imports/${job.id}/start`, { mapping: { 诉求内容: '' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('IMPORT_MAPPING_INVALID');
    const start = await h.api('dispA', 'POST', `/api/v1/interop/imports/${job.id}/start`, { saveProfileAs: '清江热线', source: 'qj12345' });
    expect(start.statusCode, start.body).toBe(202);
    let done = start.json();
    for (let k = 0; k < 100 && done.status === 'running'; k++) {
      await new Promise((r) => setTimeout(r, 50));
      done = (await h.api('dispA', 'GET', `/api/v1/interop/imports/${job.id}`)).json();
    }
    expect(done).toMatchObject({ status: 'done', rowsRead: 3, accepted: 1, rejected: 2, profileName: '清江热线' });
    // The imported appeal has its text insight (category, risk, repeats), routed by the source system.
    const imported = await h.s.ctx.db.selectFrom('imported_sources').select('appeal_id').where('job_id', '=', job.id).execute();
    expect(imported).toHaveLength(1);
    const insight = await h.s.ctx.db.selectFrom('appeal_insights').selectAll().where('appeal_id', '=', imported[0]!.appeal_id).executeTakeFirst();
    expect(insight?.route).toBe('triage');
    expect(done.bytesDone).toBe(done.bytesTotal);
    expect((await h.api('dispA', 'POST', `/api/v1/interop/imports/${job.id}/start`, {})).statusCode).toBe(409);
    // The error report: reasons always, the original cells only when unmasked (audited).
    const masked = await h.api('dispA', 'GET', `/api/v1/interop/imports/${job.id}/errors`);
    expect(masked.statusCode).toBe(200);
    expect(masked.headers['content-type']).toContain('text/csv');
    const mrows = parseCsv(masked.body);
    expect(mrows[0]!.slice(0, 3)).toEqual(['行号', '工单编号', '原因']);
    expect(mrows).toHaveLength(3);
    expect(masked.body).toMatch(/数据范围/);
    expect(masked.body).not.toContain('13500135001');
    const clear = await h.api('dispA', 'GET', `/api/v1/interop/imports/${job.id}/errors?unmask=true`);
    expect(clear.body).toContain('13500135001');
    const audit = await h.s.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'import.rejects.read').execute();
    expect(audit.length).toBe(1);
    // Profiles are listed; the upload file is gone after the run.
    const profiles = await h.api('dispA', 'GET', '/api/v1/interop/import-profiles');
    expect(profiles.json().items.map((p: { name: string }) => p.name)).toContain('清江热线');
    expect(fs.existsSync(interop(h.s).imports.uploadPath(job.id, 'csv'))).toBe(false);
    const list = await h.api('dispA', 'GET', '/api/v1/interop/imports');
    expect(list.json().items.map((j: { id: string }) => j.id)).toContain(job.id);
    // Bad uploads: wrong type, empty.
    expect((await h.api('dispA', 'POST', '/api/v1/interop/imports?fileName=a.pdf', 'x', { 'content-type': 'text/csv' })).statusCode).toBe(400);
    expect((await h.api('dispA', 'POST', '/api/v1/interop/imports?fileName=a.csv', '', { 'content-type': 'text/csv' })).statusCode).toBe(400);
    const fields = await h.api('dispA', 'GET', '/api/v1/interop/import-fields');
    expect(fields.json().items.find((f: { field: string }) => f.field === 'sourceId').headers).toContain('工单编号');
  });

  it('the CLI: progress, --errors file, --mapping, exactly once across runs', async () => {
    const run = promisify(execFile);
    const cfg = h.db.config;
    const env = { ...process.env, DATA_DIR: cfg.DATA_DIR, MINBIAO_SECRET: cfg.MINBIAO_SECRET!, LOG_LEVEL: 'silent', ...(cfg.DATABASE_URL ? { DATABASE_URL: cfg.DATABASE_URL } : {}) };
    const rows = [
      ['CLI-1', '2026-10-22 10:00', '咨询', '', '社区矫正人员报到流程咨询', '', '', '', '东湖区', ''],
      ['CLI-2', '2026-10-22 10:05', '咨询', '', '', '', '', '', '东湖区', ''],
    ];
    const file = writeCsv('cli.csv', rows, ['编号', ...HEADER.slice(1)]);
    const errs = path.join(dir, 'cli-errors.csv');
    const args = ['bin/minbiao.mjs', 'import', file, '--mapping', JSON.stringify({ 编号: 'sourceId' }), '--errors', errs, '--source', 'cli-test', '--quiet'];
    const out = await run(process.execPath, args, { env, timeout: 120_000 });
    const report = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({ accepted: 1, rejected: 1, duplicates: 0 });
    const e = parseCsv(fs.readFileSync(errs, 'utf8').replace(/^\uFEFF/, ''));
    expect(e[0]!.slice(0, 4)).toEqual(['行号', '工单编号', '原因', '编号']);
    expect(e[1]![1]).toBe('CLI-2');
    expect(e[1]![2]).toMatch(/缺少诉求内容/);
    const again = JSON.parse((await run(process.execPath, args, { env, timeout: 120_000 })).stdout.trim().split('\n').at(-1)!);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, rejected: 1 });
  });
});

/** GB18030 bytes for the test text (the characters used are all in GBK's two-byte range). */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  // Build the inverse for the characters we need by scanning the GBK two-byte plane once.
  const needed = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let b1 = 0x81; b1 <= 0xfe && table.size < needed.size; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      if (b2 === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([b1, b2]));
      if (needed.has(ch) && !table.has(ch)) table.set(ch, [b1, b2]);
    }
  }
  const bytes: number[] = [];
  for (const c of text) {
    if (c.charCodeAt(0) <= 0x7f) bytes.push(c.charCodeAt(0));
    else {
      const b = table.get(c);
      if (!b) throw new Error(`no GBK code for ${c}`);
      bytes.push(...b);
    }
  }
  return Buffer.from(bytes);
}
