// Dates as hotline exports write them, read as Asia/Shanghai wall-clock time (pure):
//   2026/10/3 14:05 · 2026/10/03 14:05:07 · 2026-10-03 14:05:00 · 2026-10-03T14:05 · 2026.10.3 14:05
//   2026年10月3日 · 2026年10月3日 14时05分(08秒) · 2026年10月3日 14:05 · 20261003140500 · 20261003
//   ISO 8601 with a zone (2026-10-03T06:05:00Z) · Excel serial dates (46298.5868…, as a number or text)
//   and the Date objects a spreadsheet reader gives for date cells (wall clock stored as UTC).

const TZ_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** Excel's day 0 is 1899-12-30 (which absorbs its 1900 leap-year bug for every date after March 1900). */
const EXCEL_EPOCH_UTC = Date.UTC(1899, 11, 30);

function wall(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return Number.NaN;
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const c = new Date(t);
  if (c.getUTCFullYear() !== y || c.getUTCMonth() !== mo - 1 || c.getUTCDate() !== d) return Number.NaN; // 2026-02-30
  return t - TZ_MS;
}

/** Excel serial day number (fraction = time of day) → epoch ms, reading it as Asia/Shanghai wall time. */
export function excelSerialToMs(serial: number): number {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return Number.NaN; // up to 9999-12-31
  const ms = Math.round(serial * DAY_MS / 1000) * 1000;
  return EXCEL_EPOCH_UTC + ms - TZ_MS;
}

/**
 * A cell → epoch ms, or NaN when it is not a date the exports use. Plain numbers are Excel serial
 * dates only inside a plausible range (years 1954–2119: serials 20 000–80 000), so that a stray
 * number is not taken for a date.
 */
export function parseImportDate(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  if (v instanceof Date) {
    const t = v.getTime();
    // Spreadsheet readers give the wall clock as if it were UTC.
    return Number.isFinite(t) ? t - TZ_MS : Number.NaN;
  }
  if (typeof v === 'number') return v >= 20_000 && v <= 80_000 ? excelSerialToMs(v) : Number.NaN;
  if (typeof v !== 'string') return Number.NaN;
  const s = v.trim().replace(/\s+/g, ' ');
  if (!s) return Number.NaN;
  let m = /^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?$/.exec(s);
  if (m) return wall(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?: ?(\d{1,2})(?:[时點点:：])(\d{1,2})(?:分|[:：](\d{1,2}))?(?:(\d{1,2})秒)?)?$/.exec(s);
  if (m) return wall(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? m[7] ?? 0));
  m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/.exec(s);
  if (m) return wall(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  if (/^\d{5}(\.\d+)?$/.test(s)) return parseImportDate(Number(s));
  // ISO 8601 with an explicit zone.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : Number.NaN;
  }
  return Number.NaN;
}
