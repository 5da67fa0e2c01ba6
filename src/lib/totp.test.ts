import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from './totp.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC 6238 test vectors (SHA-1, 8 digits)', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, code] of vectors) expect(totp(SEED, t * 1000, { digits: 8 })).toBe(code);
  });

  it('matches the RFC 4226 HOTP test vectors', () => {
    const codes = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    codes.forEach((c, i) => expect(hotp(SEED, i)).toBe(c));
  });

  it('accepts ±1 step for drift, and refuses a replayed step', () => {
    const t = 1_700_000_000_000;
    const code = totp(SEED, t);
    const step = verifyTotp(SEED, code, t + 30_000);
    expect(step).not.toBeNull();
    expect(verifyTotp(SEED, code, t + 90_000)).toBeNull();
    expect(verifyTotp(SEED, code, t, { afterStep: step! })).toBeNull();
    expect(verifyTotp(SEED, '12345', t)).toBeNull();
    expect(verifyTotp(SEED, 'abcdef', t)).toBeNull();
  });

  it('round-trips base32 and builds an otpauth URI', () => {
    const b = Buffer.from('hello world, 民标');
    expect(base32Decode(base32Encode(b)).equals(b)).toBe(true);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(otpauthUri({ issuer: 'MinBiao', account: 'li', secret: 'ABC' })).toBe('otpauth://totp/MinBiao:li?secret=ABC&issuer=MinBiao&algorithm=SHA1&digits=6&period=30');
  });
});
