// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with node:crypto only: the staff
// second factor, compatible with any authenticator app (otpauth:// URI, SHA-1, 6 digits, 30 s).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(buf: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Buffer {
  const clean = s.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new Error('invalid base32');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** RFC 4226 HOTP: dynamic truncation of HMAC(key, counter). */
export function hotp(key: Uint8Array, counter: number, digits = 6, algorithm: OtpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
  algorithm?: OtpAlgorithm;
}

export const timeStep = (timeMs: number, stepSeconds = 30) => Math.floor(timeMs / 1000 / stepSeconds);

/** RFC 6238 TOTP at a time (epoch milliseconds). */
export function totp(key: Uint8Array, timeMs: number, o: TotpOptions = {}): string {
  return hotp(key, timeStep(timeMs, o.stepSeconds ?? 30), o.digits ?? 6, o.algorithm ?? 'sha1');
}

/**
 * Checks a code against the steps around `timeMs` (± `window` steps for clock drift). Returns the
 * matching step, or null. Steps at or before `afterStep` are refused: a code is good once.
 */
export function verifyTotp(key: Uint8Array, code: string, timeMs: number, o: TotpOptions & { window?: number; afterStep?: number } = {}): number | null {
  const digits = o.digits ?? 6;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const now = timeStep(timeMs, o.stepSeconds ?? 30);
  const w = o.window ?? 1;
  let found: number | null = null;
  for (let step = now - w; step <= now + w; step++) {
    const expect = Buffer.from(hotp(key, step, digits, o.algorithm ?? 'sha1'));
    // Compare every candidate (constant work whatever matches).
    if (timingSafeEqual(expect, Buffer.from(code)) && step > (o.afterStep ?? -1) && found === null) found = step;
  }
  return found;
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits for SHA-1). */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI an authenticator app reads (usually from a QR code). */
export function otpauthUri(o: { issuer: string; account: string; secret: string; digits?: number; period?: number }): string {
  const label = `${encodeURIComponent(o.issuer)}:${encodeURIComponent(o.account)}`;
  const q = new URLSearchParams({ secret: o.secret, issuer: o.issuer, algorithm: 'SHA1', digits: String(o.digits ?? 6), period: String(o.period ?? 30) });
  return `otpauth://totp/${label}?${q.toString()}`;
}
