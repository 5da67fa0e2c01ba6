// Interoperability commands (docs/interop.md): `minbiao apikeys create|list|revoke`,
// `minbiao import FILE …` (hotline work orders, with a progress bar and an error report) and
// `minbiao report --period 2026-10 …` (the monthly 通报 as .docx or .xlsx).
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { APPEAL_TYPES, URGENCIES, type AppealType, type Urgency } from '../../domain/appeal/types.ts';
import { csvField } from '../../domain/text/csv.ts';
import { createServices } from '../../services/index.ts';
import { interop } from '../../services/interop/index.ts';
import type { RejectedRow } from '../../services/interop/import.ts';
import { safeText } from '../../services/interop/tabular.ts';

function parseJsonOption(v: string | undefined, flag: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  let o: unknown;
  try {
    o = JSON.parse(v);
  } catch {
    throw new Error(`${flag} 不是有效的 JSON / ${flag} is not valid JSON`);
  }
  if (!o || typeof o !== 'object' || Array.isArray(o) || Object.values(o).some((x) => typeof x !== 'string')) {
    throw new Error(`${flag} 应为 {"列名":"字段"} / ${flag} must be an object {"header": "field"}`);
  }
  return o as Record<string, string>;
}

const cellText = (c: unknown) => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c));

export function register(program: Command): void {
  // ---- apikeys ----
  const keys = program.command('apikeys').description('客户端系统接口密钥(Open311)/ API keys of client systems (Open311)');
  keys
    .command('create')
    .description('发放密钥(只显示一次)/ issue a key (shown once)')
    .requiredOption('--name <name>', '客户端系统名称 / client system name')
    .option('--rate <n>', '每分钟请求上限 / requests per minute', '60')
    .option('--token-mode', '提交后返回 token 而非诉求编号(GeoReport batch 方式)/ answer POSTs with a token', false)
    .action(async (opts: { name: string; rate: string; tokenMode: boolean }) => {
      const s = await createServices(loadConfig());
      try {
        const k = await interop(s).apiKeys.create(null, { name: opts.name, ratePerMinute: Number(opts.rate), tokenMode: opts.tokenMode });
        process.stderr.write(`已发放 / issued: ${k.name} (${k.id}), ${k.ratePerMinute}/min. 密钥只显示这一次,请妥善保存 / the key is shown this once:\n`);
        process.stdout.write(`${k.key}\n`);
      } finally {
        await s.close();
      }
    });
  keys
    .command('list')
    .description('列出密钥 / list keys')
    .action(async () => {
      const s = await createServices(loadConfig());
      try {
        for (const k of await interop(s).apiKeys.list(null)) {
          process.stdout.write(`${k.id}\t${k.keyPrefix}…\t${k.name}\t${k.ratePerMinute}/min\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\tuses ${k.useCount}\n`);
        }
      } finally {
        await s.close();
      }
    });
  keys
    .command('revoke <idOrPrefix>')
    .description('吊销密钥 / revoke a key')
    .action(async (idOrPrefix: string) => {
      const s = await createServices(loadConfig());
      try {
        const k = await interop(s).apiKeys.revoke(null, idOrPrefix);
        process.stdout.write(`已吊销 / revoked: ${k.name} (${k.id}) at ${k.revokedAt}\n`);
      } finally {
        await s.close();
      }
    });

  // ---- import ----
  program
    .command('import <file>')
    .description('导入热线工单(.xlsx / .csv)/ import hotline work orders')
    .option('--profile <name>', '导入方案(列映射)/ saved column-mapping profile ("hotline" = recognise the usual headers)', 'hotline')
    .option('--mapping <json>', '列映射,如 {"工单号":"sourceId"} / column mapping overrides')
    .option('--errors <out.csv>', '未导入行及原因写入此文件 / write rejected rows with reasons to this CSV')
    .option('--source <name>', '来源系统(工单编号在其内唯一)/ source system (work-order numbers are unique within it)')
    .option('--save-profile <name>', '保存本次使用的映射 / save the mapping used as a profile')
    .option('--region <code>', '无法识别区域时的默认行政区划 / default region code')
    .option('--type <type>', `默认诉求类型 / default type: ${APPEAL_TYPES.join('|')}`)
    .option('--urgency <u>', `默认紧急程度 / default urgency: ${URGENCIES.join('|')}`)
    .option('--format <fmt>', 'csv | xlsx(默认按扩展名)/ default: by extension')
    .option('--quiet', '不显示进度条 / no progress bar', false)
    .action(async (file: string, opts: { profile: string; mapping?: string; errors?: string; source?: string; saveProfile?: string; region?: string; type?: string; urgency?: string; format?: string; quiet: boolean }) => {
      if (!fs.existsSync(file)) throw new Error(`文件不存在 / no such file: ${file}`);
      if (opts.type && !(APPEAL_TYPES as readonly string[]).includes(opts.type)) throw new Error(`--type 须为 ${APPEAL_TYPES.join('|')}`);
      if (opts.urgency && !(URGENCIES as readonly string[]).includes(opts.urgency)) throw new Error(`--urgency 须为 ${URGENCIES.join('|')}`);
      if (opts.format && opts.format !== 'csv' && opts.format !== 'xlsx') throw new Error('--format 须为 csv 或 xlsx / must be csv or xlsx');
      const mapping = parseJsonOption(opts.mapping, '--mapping');
      const s = await createServices(loadConfig());
      let errOut: fs.WriteStream | null = null;
      const bar = new cliProgress.SingleBar(
        { format: '导入 / import [{bar}] {percentage}% · {rows} 行 rows · 入库 {accepted} · 重复 {duplicates} · 未导入 {rejected} · {rate} 行/s · ETA {eta}s', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      try {
        const report = await interop(s).imports.run({
          principal: null,
          file,
          fileName: path.basename(file),
          format: opts.format as 'csv' | 'xlsx' | undefined,
          profileName: opts.profile,
          mapping,
          source: opts.source,
          saveProfileAs: opts.saveProfile,
          defaults: {
            ...(opts.region ? { regionCode: opts.region } : {}),
            ...(opts.type ? { type: opts.type as AppealType } : {}),
            ...(opts.urgency ? { urgency: opts.urgency as Urgency } : {}),
          },
          onStart: async ({ header, bytesTotal }) => {
            if (opts.errors) {
              errOut = fs.createWriteStream(opts.errors, { encoding: 'utf8', mode: 0o600 });
              errOut.write(`\uFEFF${['行号', '工单编号', '原因', ...header].map((h) => csvField(h)).join(',')}\r\n`);
            }
            if (!opts.quiet) bar.start(bytesTotal, 0, { rows: 0, accepted: 0, duplicates: 0, rejected: 0, rate: 0 });
          },
          onReject: async (r: RejectedRow) => {
            if (!errOut) return;
            const line = `${[String(r.rowNo), r.sourceId ?? '', r.reason, ...r.cells.map(cellText)].map((v) => csvField(safeText(v))).join(',')}\r\n`;
            if (!errOut.write(line)) await once(errOut, 'drain');
          },
          onProgress: (p) => {
            if (!opts.quiet) bar.update(p.bytesDone, { rows: p.rowsRead, accepted: p.accepted, duplicates: p.duplicates, rejected: p.rejected, rate: Math.round(p.rowsRead / Math.max(0.001, (Date.now() - started) / 1000)) });
          },
        });
        if (!opts.quiet) {
          bar.update(report.bytesTotal, { rows: report.rowsRead, accepted: report.accepted, duplicates: report.duplicates, rejected: report.rejected });
          bar.stop();
        }
        const { header: _h, ...summary } = report;
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        if (report.rejected > 0) {
          process.stderr.write(`${report.rejected} 行未导入${opts.errors ? `,原因见 ${opts.errors}` : '(用 --errors 文件查看原因)'} / ${report.rejected} rows rejected${opts.errors ? `: see ${opts.errors}` : ' (use --errors FILE for the reasons)'}\n`);
        }
      } finally {
        if (!opts.quiet) bar.stop();
        const out = errOut as fs.WriteStream | null;
        if (out) {
          out.end();
          await once(out, 'close');
        }
        await s.close();
      }
    });

  // ---- report ----
  program
    .command('report')
    .description('月度通报 / the monthly bulletin (通报)')
    .requiredOption('--period <yyyy-mm>', '月份,如 2026-10 / month')
    .option('--format <fmt>', 'docx | xlsx', 'docx')
    .option('--out <file>', '输出文件 / output file (default: 通报-PERIOD.FORMAT)')
    .option('--unit <id>', '通报范围的根单位(默认整个地区)/ root unit of the bulletin (default: the whole deployment)')
    .action(async (opts: { period: string; format: string; out?: string; unit?: string }) => {
      if (opts.format !== 'docx' && opts.format !== 'xlsx') throw new Error('--format 须为 docx 或 xlsx / must be docx or xlsx');
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.period)) throw new Error('--period 须为月份,如 2026-10 / must be a month such as 2026-10');
      const s = await createServices(loadConfig());
      try {
        const r = await interop(s).reports.monthly(null, { period: opts.period, unitId: opts.unit, format: opts.format });
        const out = opts.out ?? r.fileName;
        fs.writeFileSync(out, r.buffer);
        process.stdout.write(`${JSON.stringify({ file: path.resolve(out), bytes: r.buffer.length, period: opts.period, format: opts.format, ...r.summary })}\n`);
      } finally {
        await s.close();
      }
    });
}
