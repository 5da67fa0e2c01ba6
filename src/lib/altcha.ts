// A self-hosted proof-of-work captcha, compatible with ALTCHA (https://altcha.org): the server hands
// out { algorithm, challenge, salt, signature, maxnumber }; the client finds the number n ≤ maxnumber
// with SHA-256(salt + n) = challenge and sends back base64(JSON { algorithm, challenge, number, salt,
// signature }). The server checks the signature (HMAC-SHA-256 with its own key), the expiry carried in
// the salt (`?expires=` seconds, covered by the signature through the challenge) and the work.
// Single use is the caller's business (a spent-challenges table).
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export interface AltchaChallenge {
  algorithm: 'SHA-256';
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

export interface AltchaPayload {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Uint8Array, s: string) => createHmac('sha256', key).update(s).digest('hex');

export function createChallenge(key: Uint8Array, o: { maxNumber: number; expiresAt: number }): AltchaChallenge {
  const salt = `${randomBytes(12).toString('hex')}?expires=${Math.floor(o.expiresAt / 1000)}`;
  const number = randomInt(0, o.maxNumber + 1);
  const challenge = sha256(salt + number);
  return { algorithm: 'SHA-256', challenge, salt, signature: hmac(key, challenge), maxnumber: o.maxNumber };
}

/** Brute-forces a challenge (tests, scripts). Returns the number, or null when there is none. */
export function solveChallenge(c: Pick<AltchaChallenge, 'challenge' | 'salt' | 'maxnumber'>): number | null {
  for (let n = 0; n <= c.maxnumber; n++) if (sha256(c.salt + n) === c.challenge) return n;
  return null;
}

export function encodePayload(c: Omit<AltchaChallenge, 'maxnumber'>, number: number): string {
  return Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature })).toString('base64');
}

export type VerifyResult = { ok: true; challenge: string; expiresAt: number } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'work' };

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyPayload(key: Uint8Array, encoded: string, now: number): VerifyResult {
  if (encoded.length > 2000) return { ok: false, reason: 'malformed' };
  let p: Partial<AltchaPayload>;
  try {
    p = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as Partial<AltchaPayload>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    !p || typeof p !== 'object' || p.algorithm !== 'SHA-256' ||
    typeof p.challenge !== 'string' || !/^[0-9a-f]{64}$/.test(p.challenge) ||
    typeof p.salt !== 'string' || p.salt.length > 200 ||
    typeof p.signature !== 'string' || !/^[0-9a-f]{64}$/.test(p.signature) ||
    typeof p.number !== 'number' || !Number.isSafeInteger(p.number) || p.number < 0
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (!safeEqualHex(hmac(key, p.challenge), p.signature)) return { ok: false, reason: 'signature' };
  const expires = /[?&]expires=(\d{1,12})(?:&|$)/.exec(p.salt)?.[1];
  // A challenge without an expiry was not made here (ours always carry one).
  if (!expires) return { ok: false, reason: 'malformed' };
  const expiresAt = Number(expires) * 1000;
  if (expiresAt < now) return { ok: false, reason: 'expired' };
  if (!safeEqualHex(sha256(p.salt + p.number), p.challenge)) return { ok: false, reason: 'work' };
  return { ok: true, challenge: p.challenge, expiresAt };
}
