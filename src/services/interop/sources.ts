// Streaming readers of tabular files, one record at a time, so that a file of any length never sits
// in memory: CSV through the incremental RFC 4180 parser of src/domain/text/csv.ts (UTF-8, or GB18030
// as Chinese exports often are; delimiter detected), .xlsx through exceljs's streaming WorkbookReader
// (first worksheet; a sheet stored before its shared strings is spooled to a temporary file by
// exceljs, and the shared-string table — Excel's own de-duplicated text — is the one part held in memory).
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { CsvParser } from '../../domain/text/csv.ts';
import type { Cell } from '../../domain/interop/importRows.ts';

export type TableFormat = 'csv' | 'xlsx';

export interface ByteCounter {
  done: number;
  total: number;
}

export interface TableRecord {
  /** Record number in the file (the header is 1). */
  rowNo: number;
  cells: Cell[];
}

export function formatOf(file: string, declared?: string | undefined): TableFormat {
  const ext = (declared ?? path.extname(file).slice(1)).toLowerCase();
  if (ext === 'csv' || ext === 'txt' || ext === 'tsv') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  throw new Error(`不支持的文件类型「${ext || '无扩展名'}」,请使用 .xlsx 或 .csv / unsupported file type "${ext}": use .xlsx or .csv`);
}

function detectEncoding(first: Buffer): string {
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return 'utf-8';
  if (first[0] === 0xff && first[1] === 0xfe) return 'utf-16le';
  // Valid UTF-8 (ignoring a character cut at the end of the chunk)? Otherwise GB18030 (a superset of GBK/GB2312).
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, Math.max(0, first.length - 4)));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function detectDelimiter(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', '\t', ';', '|'].map((d) => [d, line.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

async function* csvRecords(file: string, counter: ByteCounter, delimiter?: string): AsyncGenerator<TableRecord> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let decoder: TextDecoder | null = null;
  let parser: CsvParser | null = null;
  let rowNo = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      counter.done += chunk.length;
      decoder ??= new TextDecoder(detectEncoding(chunk));
      const text = decoder.decode(chunk, { stream: true });
      parser ??= new CsvParser(delimiter ?? detectDelimiter(text.replace(/^\uFEFF/, '')));
      for (const r of parser.push(text)) yield { rowNo: ++rowNo, cells: r };
    }
    if (decoder && parser) {
      const tail = decoder.decode();
      if (tail) for (const r of parser.push(tail)) yield { rowNo: ++rowNo, cells: r };
      for (const r of parser.end()) yield { rowNo: ++rowNo, cells: r };
    }
  } finally {
    stream.destroy();
  }
}

/** An exceljs cell value → a plain cell (text, number, boolean or Date). */
export function plainCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return plainCell(o.result);
    if (typeof o.text === 'string') return o.text;
    if ('error' in o) return null;
  }
  return String(v);
}

async function* xlsxRecords(file: string, counter: ByteCounter): AsyncGenerator<TableRecord> {
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  input.on('data', (c) => {
    counter.done += (c as Buffer).length;
  });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield { rowNo: row.number, cells };
      }
      break; // the first worksheet only
    }
  } catch (e) {
    throw new Error(`无法读取 Excel 文件 / cannot read the .xlsx file: ${(e as Error).message}`);
  } finally {
    input.destroy();
  }
}

/** Opens a file: its header (first record) and an iterator over the data records. */
export async function openTable(file: string, opts: { format?: TableFormat | undefined; delimiter?: string | undefined } = {}): Promise<{ format: TableFormat; header: string[]; records: AsyncGenerator<TableRecord>; bytes: ByteCounter }> {
  const format = opts.format ?? formatOf(file);
  const bytes: ByteCounter = { done: 0, total: fs.statSync(file).size };
  const records = format === 'csv' ? csvRecords(file, bytes, opts.delimiter) : xlsxRecords(file, bytes);
  const first = await records.next();
  if (first.done) {
    await records.return(undefined);
    return { format, header: [], records, bytes };
  }
  const header = first.value.cells.map((c) => (c === null || c === undefined ? '' : String(c).trim()));
  return { format, header, records, bytes };
}
