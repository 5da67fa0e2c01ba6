// The captcha's two sides agree: the browser's solver (web/src/lib/captcha.ts, pure-JS SHA-256 so it
// works without crypto.subtle on plain HTTP) finds the number the server hid, and the server accepts
// the payload the browser builds; forged, expired and altered payloads are refused.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { searchRange, sha256Hex } from '../../web/src/lib/captcha.ts';
import { createChallenge, encodePayload, solveChallenge, verifyPayload } from './altcha.ts';

const KEY = Buffer.alloc(32, 1);

describe('ALTCHA captcha', () => {
  it('the browser SHA-256 matches node:crypto', () => {
    for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(200), '0123?expires=1700000000']) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
    }
  });

  it('the browser solver finds the server’s number, and the server accepts the browser’s payload', () => {
    const now = 1_700_000_000_000;
    for (let i = 0; i < 5; i++) {
      const c = createChallenge(KEY, { maxNumber: 5000, expiresAt: now + 60_000 });
      const n = searchRange(c.salt, c.challenge, 0, c.maxnumber);
      expect(n).toBe(solveChallenge(c));
      // What the browser sends: btoa(JSON.stringify(...)).
      const header = Buffer.from(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature })).toString('base64');
      expect(verifyPayload(KEY, header, now)).toMatchObject({ ok: true, challenge: c.challenge });
    }
  });

  it('refuses expired, forged, altered and malformed payloads', () => {
    const now = 1_700_000_000_000;
    const c = createChallenge(KEY, { maxNumber: 100, expiresAt: now + 1000 });
    const n = solveChallenge(c)!;
    expect(verifyPayload(KEY, encodePayload(c, n), now + 2000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyPayload(Buffer.alloc(32, 2), encodePayload(c, n), now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyPayload(KEY, encodePayload(c, n + 1), now)).toEqual({ ok: false, reason: 'work' });
    expect(verifyPayload(KEY, encodePayload({ ...c, algorithm: 'SHA-1' as 'SHA-256' }, n), now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyPayload(KEY, 'not base64 json', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyPayload(KEY, 'x'.repeat(5000), now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
