// A tiny raster canvas and PNG encoder (8-bit RGB, no dependency beyond node:zlib's deflate), with a
// 5×7 bitmap font for digits and a few signs, and simple bar charts for the monthly bulletin.
// Labels that need Chinese (unit names) are not drawn: bars are numbered and the document gives the
// key beside the chart, so nothing is drawn that could be drawn wrong.
import { deflateSync } from 'node:zlib';

export type Rgb = readonly [number, number, number];

export class Canvas {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 25_000_000) throw new RangeError('canvas size');
    this.data = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 3;
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      let i = (yy * this.width + x0) * 3;
      for (let xx = x0; xx < x1; xx++) {
        this.data[i++] = c[0];
        this.data[i++] = c[1];
        this.data[i++] = c[2];
      }
    }
  }

  hline(x0: number, x1: number, y: number, c: Rgb, thickness = 1): void {
    this.fillRect(Math.min(x0, x1), y, Math.abs(x1 - x0) + 1, thickness, c);
  }

  vline(x: number, y0: number, y1: number, c: Rgb, thickness = 1): void {
    this.fillRect(x, Math.min(y0, y1), thickness, Math.abs(y1 - y0) + 1, c);
  }

  /** Text in the 5×7 font (characters without a glyph are skipped as a space); returns the width drawn. */
  text(x: number, y: number, s: string, c: Rgb, scale = 2): number {
    let cx = x;
    for (const ch of s) {
      const g = FONT[ch];
      if (g) {
        for (let row = 0; row < 7; row++) {
          const bits = g[row]!;
          for (let col = 0; col < 5; col++) if (bits & (1 << (4 - col))) this.fillRect(cx + col * scale, y + row * scale, scale, scale, c);
        }
      }
      cx += 6 * scale;
    }
    return cx - x;
  }
}

export const textWidth = (s: string, scale = 2) => [...s].length * 6 * scale;

// 5×7 glyphs, one number per row (bit 4 = leftmost column).
const FONT: Record<string, readonly number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c],
  '%': [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  '+': [0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00],
  ':': [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00],
  '/': [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
  '#': [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a],
  '(': [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
  ')': [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
  ' ': [0, 0, 0, 0, 0, 0, 0],
};

let crcTable: Uint32Array | null = null;
export function crc32(buf: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG of a canvas: IHDR (8-bit truecolour), one IDAT (each scanline with filter 0), IEND. */
export function encodePng(c: Canvas): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(c.width, 0);
  ihdr.writeUInt32BE(c.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const stride = c.width * 3;
  const raw = Buffer.alloc((stride + 1) * c.height);
  for (let y = 0; y < c.height; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(c.data.buffer, c.data.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

export interface Bar {
  /** Short label under (or before) the bar: digits and the few signs of the font. */
  label: string;
  value: number | null;
  /** Optional interval drawn as a whisker over the bar. */
  interval?: readonly [number, number] | null;
  color?: Rgb;
}

export interface BarChartSpec {
  bars: Bar[];
  width?: number;
  height?: number;
  /** Axis range; default 0 .. the largest value (or interval end) rounded up. */
  min?: number;
  max?: number;
  /** Value text printed at the end of each bar. */
  format?: (v: number) => string;
  /** A dashed reference line (e.g. the peer median or the target). */
  reference?: number | null;
  horizontal?: boolean;
}

export const COLORS = {
  bar: [58, 111, 176] as Rgb,
  good: [46, 139, 87] as Rgb,
  bad: [192, 57, 43] as Rgb,
  axis: [80, 80, 80] as Rgb,
  grid: [225, 225, 225] as Rgb,
  whisker: [30, 30, 30] as Rgb,
  text: [40, 40, 40] as Rgb,
  reference: [150, 150, 150] as Rgb,
};

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** A bar chart (vertical by default; horizontal for long lists) with gridlines, values and whiskers. */
export function barChart(spec: BarChartSpec): Canvas {
  const bars = spec.bars;
  const horizontal = spec.horizontal ?? false;
  const width = spec.width ?? (horizontal ? 900 : Math.max(480, 70 + bars.length * 56));
  const height = spec.height ?? (horizontal ? Math.max(160, 50 + bars.length * 34) : 420);
  const fmt = spec.format ?? ((v: number) => (Math.round(v * 10) / 10).toFixed(1));
  const c = new Canvas(width, height);
  const values = bars.flatMap((b) => [b.value ?? 0, ...(b.interval ? [b.interval[1]] : [])]);
  const min = spec.min ?? 0;
  const max = spec.max ?? niceMax(Math.max(...values, spec.reference ?? 0, min + 1e-9));
  const span = max - min || 1;
  const labelW = horizontal ? Math.max(...bars.map((b) => textWidth(b.label)), 24) + 16 : 0;
  const tickW = Math.max(...[0, 1, 2, 3, 4, 5].map((k) => textWidth(fmt(min + (span * k) / 5))));
  const left = horizontal ? labelW : tickW + 16;
  const right = width - (horizontal ? 90 : 16);
  const top = 16;
  const bottom = height - (horizontal ? 34 : 40);
  // Gridlines and axis ticks (5 steps).
  for (let k = 0; k <= 5; k++) {
    const v = min + (span * k) / 5;
    if (horizontal) {
      const x = left + ((right - left) * k) / 5;
      c.vline(Math.round(x), top, bottom, COLORS.grid);
      const t = fmt(v);
      c.text(Math.round(x - textWidth(t) / 2), bottom + 8, t, COLORS.text);
    } else {
      const y = bottom - ((bottom - top) * k) / 5;
      c.hline(left, right, Math.round(y), COLORS.grid);
      const t = fmt(v);
      c.text(left - 8 - textWidth(t), Math.round(y - 7), t, COLORS.text);
    }
  }
  const pos = (v: number) => Math.max(0, Math.min(1, (v - min) / span));
  const n = Math.max(1, bars.length);
  bars.forEach((b, i) => {
    const color = b.color ?? COLORS.bar;
    if (horizontal) {
      const slot = (bottom - top) / n;
      const y = top + slot * i + slot * 0.18;
      const h = slot * 0.64;
      c.text(left - 8 - textWidth(b.label), Math.round(y + h / 2 - 7), b.label, COLORS.text);
      if (b.value !== null) {
        const w = (right - left) * pos(b.value);
        c.fillRect(left, y, w, h, color);
        if (b.interval) {
          const x0 = left + (right - left) * pos(b.interval[0]);
          const x1 = left + (right - left) * pos(b.interval[1]);
          c.hline(Math.round(x0), Math.round(x1), Math.round(y + h / 2), COLORS.whisker, 2);
          c.vline(Math.round(x0), Math.round(y + h * 0.2), Math.round(y + h * 0.8), COLORS.whisker, 2);
          c.vline(Math.round(x1), Math.round(y + h * 0.2), Math.round(y + h * 0.8), COLORS.whisker, 2);
        }
        const t = fmt(b.value);
        c.text(Math.round(Math.max(left + w, b.interval ? left + (right - left) * pos(b.interval[1]) : 0) + 12), Math.round(y + h / 2 - 7), t, COLORS.text);
      }
    } else {
      const slot = (right - left) / n;
      const x = left + slot * i + slot * 0.2;
      const w = slot * 0.6;
      c.text(Math.round(x + w / 2 - textWidth(b.label) / 2), bottom + 10, b.label, COLORS.text);
      if (b.value !== null) {
        const h = (bottom - top) * pos(b.value);
        c.fillRect(x, bottom - h, w, h, color);
        if (b.interval) {
          const y0 = bottom - (bottom - top) * pos(b.interval[0]);
          const y1 = bottom - (bottom - top) * pos(b.interval[1]);
          c.vline(Math.round(x + w / 2), Math.round(y1), Math.round(y0), COLORS.whisker, 2);
          c.hline(Math.round(x + w * 0.25), Math.round(x + w * 0.75), Math.round(y0), COLORS.whisker, 2);
          c.hline(Math.round(x + w * 0.25), Math.round(x + w * 0.75), Math.round(y1), COLORS.whisker, 2);
        }
        const t = fmt(b.value);
        const ty = Math.round(bottom - h - 18 - (b.interval ? 0 : 0));
        c.text(Math.round(x + w / 2 - textWidth(t) / 2), Math.max(0, Math.min(ty, Math.round(bottom - (bottom - top) * pos(b.interval?.[1] ?? b.value) - 18))), t, COLORS.text);
      }
    }
  });
  if (spec.reference !== null && spec.reference !== undefined) {
    const r = pos(spec.reference);
    for (let d = 0; ; d += 12) {
      if (horizontal) {
        const x = Math.round(left + (right - left) * r);
        if (top + d > bottom) break;
        c.vline(x, top + d, Math.min(bottom, top + d + 6), COLORS.reference, 2);
      } else {
        const y = Math.round(bottom - (bottom - top) * r);
        if (left + d > right) break;
        c.hline(left + d, Math.min(right, left + d + 6), y, COLORS.reference, 2);
      }
    }
  }
  // Axes.
  if (horizontal) c.vline(left, top, bottom, COLORS.axis, 2);
  else c.hline(left, right, bottom, COLORS.axis, 2);
  return c;
}
