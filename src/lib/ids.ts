// Identifiers: time-sortable ids for rows, and short tracking codes that citizens can read aloud.
import { randomBytes, randomInt } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-like 26-character id: 10 chars of millisecond time + 16 random chars, lexically sortable. */
export function newId(now = Date.now()): string {
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32];
  return time + rand;
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
