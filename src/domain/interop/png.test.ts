import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChart, Canvas, crc32, encodePng, PNG_SIGNATURE } from './png.ts';

/** Reads back a PNG made by encodePng: chunks with their CRCs, then the pixels. */
function decode(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number[] } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let p = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    const type = png.toString('ascii', p + 4, p + 8);
    const data = png.subarray(p + 8, p + 8 + len);
    expect(png.readUInt32BE(p + 8 + len)).toBe(crc32(png.subarray(p + 4, p + 8 + len)));
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 3 + 1) * height);
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (width * 3 + 1) + 1 + x * 3, y * (width * 3 + 1) + 4 + x * 3)] };
}

describe('PNG', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodes pixels that decode back exactly', () => {
    const c = new Canvas(7, 5, [255, 255, 255]);
    c.fillRect(2, 1, 3, 2, [10, 20, 30]);
    const d = decode(encodePng(c));
    expect([d.width, d.height]).toEqual([7, 5]);
    expect(d.pixel(0, 0)).toEqual([255, 255, 255]);
    expect(d.pixel(2, 1)).toEqual([10, 20, 30]);
    expect(d.pixel(4, 2)).toEqual([10, 20, 30]);
    expect(d.pixel(5, 2)).toEqual([255, 255, 255]);
  });

  it('draws bars proportional to their values', () => {
    const chart = barChart({ bars: [{ label: '1', value: 50 }, { label: '2', value: 100 }], width: 400, height: 300, max: 100 });
    const d = decode(encodePng(chart));
    const bar = [58, 111, 176];
    const column = (x: number) => {
      let n = 0;
      for (let y = 0; y < d.height; y++) if (d.pixel(x, y).join() === bar.join()) n++;
      return n;
    };
    // Bar centres: left 64, right 384 → slots of 160.
    const h1 = column(64 + 80);
    const h2 = column(64 + 160 + 80);
    expect(h2).toBeGreaterThan(100);
    expect(Math.abs(h2 / h1 - 2)).toBeLessThan(0.05);
  });
});
