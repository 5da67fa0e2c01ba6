// Streaming table writers: CSV (UTF-8 with BOM, CRLF, so Excel opens Chinese text correctly) and
// .xlsx (exceljs WorkbookWriter, inline strings, rows committed as they come). Rows are pulled from
// an async iterable and written with back-pressure, so an export of any length never sits in memory.
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { csvField } from '../../domain/text/csv.ts';

export type CellValue = string | number | boolean | Date | null | undefined;

export interface ColumnDef<T> {
  header: string;
  width?: number;
  /** Excel number format, e.g. '0.00%' for a proportion or 'yyyy-mm-dd hh:mm' for a date. */
  numFmt?: string;
  value: (row: T) => CellValue;
}

export interface SheetDef<T> {
  name: string;
  columns: ColumnDef<T>[];
  rows: AsyncIterable<T> | Iterable<T>;
  /** Lines written above the header (a title, the period, the filters). */
  caption?: string[];
}

export type TableFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Formula injection: a text starting with = + - @ (or a tab/CR) is read as a formula by spreadsheets. */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const TZ_MS = 8 * 3600_000;
/** A local (Asia/Shanghai) date-time text: 2026-10-03 14:05. */
export function localDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(Number(ms) + TZ_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function csvCell(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return localDateTime(v.getTime());
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  return csvField(safeText(v));
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** CSV: only the first sheet's rows (a CSV file holds one table); captions become leading lines. */
export async function writeCsv<T>(out: Writable, sheet: SheetDef<T>): Promise<number> {
  let n = 0;
  await write(out, '\uFEFF');
  for (const line of sheet.caption ?? []) await write(out, `${csvField(safeText(line))}\r\n`);
  await write(out, `${sheet.columns.map((c) => csvField(c.header)).join(',')}\r\n`);
  let buf = '';
  for await (const row of sheet.rows as AsyncIterable<T>) {
    buf += `${sheet.columns.map((c) => csvCell(c.value(row))).join(',')}\r\n`;
    n++;
    if (buf.length > 64 * 1024) {
      await write(out, buf);
      buf = '';
    }
  }
  if (buf) await write(out, buf);
  out.end();
  return n;
}

/** .xlsx: one worksheet per sheet, header row bold and frozen, rows committed one by one. */
export async function writeXlsx(out: Writable, sheets: SheetDef<any>[]): Promise<number> {
  let n = 0;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '民标 MinBiao';
  wb.created = new Date();
  for (const sheet of sheets) {
    const caption = sheet.caption ?? [];
    const ws = wb.addWorksheet(sheet.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet', { views: [{ state: 'frozen', ySplit: caption.length + 1 }] });
    ws.columns = sheet.columns.map((c) => ({ key: c.header, width: c.width ?? Math.max(10, Math.min(40, c.header.length * 2 + 4)), ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
    for (const line of caption) {
      const r = ws.addRow([line]);
      r.font = { bold: true };
      r.commit();
    }
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for await (const row of sheet.rows as AsyncIterable<unknown>) {
      const values = sheet.columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' && !Number.isFinite(v)) return null;
        return typeof v === 'string' ? v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '') : v;
      });
      ws.addRow(values).commit();
      n++;
      if ((out as PassThrough).writableNeedDrain) await once(out, 'drain');
    }
    await ws.commit();
  }
  await wb.commit();
  return n;
}

/** A readable stream of the table in the format, produced while it is read (for HTTP replies). */
export function tableStream(format: TableFormat, sheets: SheetDef<any>[], onDone?: (rows: number, error: Error | null) => void): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const job = format === 'csv' ? writeCsv(out, sheets[0]!) : writeXlsx(out, sheets);
  job.then(
    (n) => onDone?.(n, null),
    (e: Error) => {
      onDone?.(0, e);
      out.destroy(e);
    },
  );
  return out;
}

/** Iterates arrays as an async iterable (for small tables such as rankings). */
export async function* fromArray<T>(rows: readonly T[]): AsyncGenerator<T> {
  for (const r of rows) yield r;
}

