// Identifiers: time-sortable ids for rows, and short tracking codes that citizens can read aloud.
import { randomBytes, randomInt } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The ten-character time prefix of an id created at `ms`: ids sort, and range-partition, by it. */
export function idTimePrefix(ms: number): string {
  let t = ms;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** The time an id was created at (the inverse of idTimePrefix); NaN when it is not one of ours. */
export function idTime(id: string): number {
  if (id.length < 10) return Number.NaN;
  let t = 0;
  for (const c of id.slice(0, 10)) {
    const v = CROCKFORD.indexOf(c);
    if (v < 0) return Number.NaN;
    t = t * 32 + v;
  }
  return t;
}

/** A ULID-like 26-character id: 10 chars of millisecond time + 16 random chars, lexically sortable. */
export function newId(now = Date.now()): string {
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32];
  return idTimePrefix(now) + rand;
}

// No 0/O, 1/I/L: codes are read over the phone.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** Tracking code like MB2611-7KQ4XR: year+month for orientation, 6 random characters (31^6 ≈ 8.9e8 per month). */
export function newTrackingCode(now = Date.now()): string {
  const d = new Date(now + 8 * 3600_000);
  const ym = String(d.getUTCFullYear() % 100).padStart(2, '0') + String(d.getUTCMonth() + 1).padStart(2, '0');
  let s = '';
  for (let i = 0; i < 6; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `MB${ym}-${s}`;
}
