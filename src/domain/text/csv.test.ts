import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, csvField, parseCsv, recordsToObjects } from './csv.ts';

describe('csv', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    const text = 'id,text,label\r\n1,"楼下施工，噪音很大\n晚上睡不着","环境保护"\r\n2,"他说""马上处理""",交通运输\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'text', 'label'],
      ['1', '楼下施工，噪音很大\n晚上睡不着', '环境保护'],
      ['2', '他说"马上处理"', '交通运输'],
    ]);
  });

  it('strips a BOM, keeps empty fields, accepts a missing final newline', () => {
    expect(parseCsv('\uFEFFa,b,c\n1,,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
    expect(parseCsv('"",x\n')).toEqual([['', 'x']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('skips blank lines', () => {
    expect(parseCsv('a\n\n\nb\n')).toEqual([['a'], ['b']]);
  });

  it('maps records to objects by header', () => {
    expect(recordsToObjects(parseCsv('留言编号,留言主题\n1,路灯不亮\n2'))).toEqual([
      { 留言编号: '1', 留言主题: '路灯不亮' },
      { 留言编号: '2', 留言主题: '' },
    ]);
  });

  it('gives the same records however the input is chunked (CRLF split across chunks too)', () => {
    const cell = fc.string({ maxLength: 12 }).map((s) => s.replace(/\r/g, ''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), (rows, cuts) => {
        // Rows of one empty field would be blank lines: give them a value.
        const data = rows.map((r) => (r.length === 1 && r[0] === '' ? ['x'] : r));
        const text = data.map((r) => r.map((c) => csvField(c)).join(',')).join('\r\n') + '\r\n';
        const whole = parseCsv(text);
        expect(whole).toEqual(data);
        const p = new CsvParser();
        const out: string[][] = [];
        let last = 0;
        for (const c of [...cuts.map((x) => x % (text.length + 1))].sort((a, b) => a - b)) {
          out.push(...p.push(text.slice(last, c)));
          last = c;
        }
        out.push(...p.push(text.slice(last)), ...p.end());
        expect(out).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(Array.isArray(parseCsv(s))).toBe(true);
      }),
    );
  });
});
