// GeoReport v2 (Open311) vocabulary, pure: the status mapping from MinBiao's states, W3C date-times in
// the deployment's zone, and the form-encoded POST body with its attribute[code] / attribute[code][]
// fields. The HTTP adapter (src/http/routes/open311) and the service use these.
import type { AppealStatus } from '../appeal/types.ts';

export type Open311Status = 'open' | 'closed';

/**
 * open   — reported and not finished: submitted (受理), returned (退单, being re-routed), dispatched,
 *          accepted, contacted, and replied (答复: answered, waiting for the citizen's rating — the
 *          citizen may still reject the answer and have it reopened);
 * closed — finished: closed (办结, rated or closed at 回访), merged (合并 into another request),
 *          redirected (引导 to a statutory channel), unreasonable (不合理诉求, approved).
 */
export const OPEN311_STATUS: Readonly<Record<AppealStatus, Open311Status>> = {
  submitted: 'open',
  returned: 'open',
  dispatched: 'open',
  accepted: 'open',
  contacted: 'open',
  replied: 'open',
  closed: 'closed',
  merged: 'closed',
  redirected: 'closed',
  unreasonable: 'closed',
};

export function statusesFor(s: Open311Status): AppealStatus[] {
  return (Object.keys(OPEN311_STATUS) as AppealStatus[]).filter((k) => OPEN311_STATUS[k] === s);
}

const TZ_OFFSET_MS = 8 * 3600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** W3C date-time in Asia/Shanghai: 2026-10-03T14:05:00+08:00. */
export function w3cDateTime(ms: number): string {
  const d = new Date(ms + TZ_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

/**
 * Parses a W3C date or date-time (https://www.w3.org/TR/NOTE-datetime): YYYY-MM-DD (midnight in the
 * deployment's zone) or YYYY-MM-DDThh:mm[:ss[.s]] followed by Z or ±hh:mm (the zone is required
 * with a time). A '+' sent unencoded in a query string arrives as a space and is read as '+'.
 * Returns NaN when it is not one.
 */
export function parseW3cDateTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(s.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2'));
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(se ?? 0) > 59)) return Number.NaN;
  const local = Date.UTC(Number(y), month - 1, day, Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0), frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  // Reject 2026-02-30 and the like (Date.UTC rolls them over).
  const check = new Date(local);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return Number.NaN;
  if (tz === undefined) return local - TZ_OFFSET_MS;
  if (tz === 'Z') return local;
  const sign = tz[0] === '-' ? -1 : 1;
  const offset = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6))) * 60_000;
  return local - offset;
}

export interface FormBody {
  /** Plain fields (first value of each). */
  fields: Record<string, string>;
  /** attribute[code]=v → "v"; attribute[code][]=v1&attribute[code][]=v2 → ["v1","v2"]. */
  attributes: Record<string, string | string[]>;
  /** Plain fields given more than once (a client error worth reporting). */
  repeated: string[];
  /** Keys that look like attributes but are malformed (attribute[], attribute[a][b] …). */
  malformed: string[];
}

const ATTR_RE = /^attribute\[([^[\]]{1,100})\](\[\])?$/;

/** application/x-www-form-urlencoded (UTF-8) → fields and attributes. */
export function parseFormBody(text: string): FormBody {
  const out: FormBody = { fields: Object.create(null), attributes: Object.create(null), repeated: [], malformed: [] };
  for (const [k, v] of new URLSearchParams(text)) {
    if (k.startsWith('attribute[')) {
      const m = ATTR_RE.exec(k);
      if (!m) {
        out.malformed.push(k);
        continue;
      }
      const code = m[1]!;
      const prev = out.attributes[code];
      if (m[2]) {
        out.attributes[code] = Array.isArray(prev) ? [...prev, v] : prev === undefined ? [v] : [prev, v];
      } else if (prev === undefined) {
        out.attributes[code] = v;
      } else {
        // attribute[code]=a&attribute[code]=b: treat as a list, as PHP-style clients mean it.
        out.attributes[code] = Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      continue;
    }
    if (k in out.fields) {
      if (!out.repeated.includes(k)) out.repeated.push(k);
      continue;
    }
    out.fields[k] = v;
  }
  return { ...out, fields: { ...out.fields }, attributes: { ...out.attributes } };
}

/** The resource and format of a GeoReport path segment: "requests.json" → ["requests", "json"]. */
export function splitFormat(segment: string): { name: string; format: 'json' | 'xml' } | null {
  const i = segment.lastIndexOf('.');
  if (i <= 0) return null;
  const ext = segment.slice(i + 1).toLowerCase();
  if (ext !== 'json' && ext !== 'xml') return null;
  return { name: segment.slice(0, i), format: ext };
}
