// The proof-of-work captcha (ALTCHA-compatible, served by /api/v1/captcha): find n ≤ maxnumber with
// SHA-256(salt + n) = challenge, then send base64(JSON) in the x-captcha header. Solved in small
// slices so the page stays responsive; a pure-JS SHA-256 because crypto.subtle exists only on HTTPS.
import { api, ApiError } from './api.ts';
import { cached } from './useAsync.ts';

export interface SecurityPolicy {
  demo: boolean;
  captcha: boolean;
  password: { minLength: number; classes: number; history: number; maxAgeDays: number; lockAfterFailures: number; lockMinutes: number };
  mfaRequiredRoles: string[];
  sessionIdleMinutes: number;
}

export const getPolicy = () => cached('security:policy', () => api<SecurityPolicy>('/api/v1/security/policy', { anonymous: true }));

interface Challenge {
  algorithm: 'SHA-256';
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Uint32Array(64);

/** SHA-256 of an ASCII string, as lowercase hex. */
export function sha256Hex(s: string): string {
  const len = s.length;
  const blocks = ((len + 9 + 63) >> 6) << 4; // 32-bit words
  const m = new Uint32Array(blocks);
  for (let i = 0; i < len; i++) m[i >> 2]! |= (s.charCodeAt(i) & 0xff) << (24 - (i & 3) * 8);
  m[len >> 2]! |= 0x80 << (24 - (len & 3) * 8);
  m[blocks - 1] = len * 8;
  let h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a, h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
  for (let b = 0; b < blocks; b += 16) {
    for (let i = 0; i < 16; i++) W[i] = m[b + i]!;
    for (let i = 16; i < 64; i++) {
      const x = W[i - 15]!;
      const y = W[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & bb) ^ (a & c) ^ (bb & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = bb;
      bb = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  let out = '';
  for (const v of [h0, h1, h2, h3, h4, h5, h6, h7]) out += (v >>> 0).toString(16).padStart(8, '0');
  return out;
}

/** Compresses one 64-byte block (16 words in M) from the initial state; writes the digest to OUT. */
const M = new Uint32Array(16);
const OUT = new Uint32Array(8);
function compressOne(): void {
  for (let i = 0; i < 16; i++) W[i] = M[i]!;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    W[i] = (W[i - 16]! + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + W[i - 7]! + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
  }
  let a = 0x6a09e667, b = 0xbb67ae85, c = 0x3c6ef372, d = 0xa54ff53a, e = 0x510e527f, f = 0x9b05688c, g = 0x1f83d9ab, h = 0x5be0cd19;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  OUT[0] = (0x6a09e667 + a) | 0;
  OUT[1] = (0xbb67ae85 + b) | 0;
  OUT[2] = (0x3c6ef372 + c) | 0;
  OUT[3] = (0xa54ff53a + d) | 0;
  OUT[4] = (0x510e527f + e) | 0;
  OUT[5] = (0x9b05688c + f) | 0;
  OUT[6] = (0x1f83d9ab + g) | 0;
  OUT[7] = (0x5be0cd19 + h) | 0;
}

/** Searches n in [from, to] with SHA-256(prefix + n) = target; single-block messages only (≤ 55 bytes). */
export function searchRange(prefix: string, targetHex: string, from: number, to: number): number | null {
  const target = new Uint32Array(8);
  for (let i = 0; i < 8; i++) target[i] = parseInt(targetHex.slice(i * 8, i * 8 + 8), 16) | 0;
  const bytes = new Uint8Array(64);
  for (let i = 0; i < prefix.length; i++) bytes[i] = prefix.charCodeAt(i) & 0xff;
  for (let n = from; n <= to; n++) {
    const digits = String(n);
    const len = prefix.length + digits.length;
    if (len > 55) {
      if (sha256Hex(prefix + n) === targetHex) return n;
      continue;
    }
    for (let i = 0; i < digits.length; i++) bytes[prefix.length + i] = digits.charCodeAt(i);
    bytes[len] = 0x80;
    for (let i = len + 1; i < 56; i++) bytes[i] = 0;
    for (let i = 0; i < 14; i++) M[i] = (bytes[i * 4]! << 24) | (bytes[i * 4 + 1]! << 16) | (bytes[i * 4 + 2]! << 8) | bytes[i * 4 + 3]!;
    M[14] = 0;
    M[15] = len * 8;
    compressOne();
    if (OUT[0] === target[0] && OUT[1] === target[1] && OUT[2] === target[2] && OUT[3] === target[3] && OUT[4] === target[4] && OUT[5] === target[5] && OUT[6] === target[6] && OUT[7] === target[7]) return n;
  }
  return null;
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** Fetches a challenge and solves it; resolves to the x-captcha header value. */
export async function solveCaptcha(signal?: AbortSignal): Promise<{ header: string; at: number }> {
  const c = await api<Challenge>('/api/v1/captcha', { anonymous: true, ...(signal ? { signal } : {}) });
  const target = c.challenge.toLowerCase();
  const SLICE = 20_000;
  for (let from = 0; from <= c.maxnumber; from += SLICE) {
    const n = searchRange(c.salt, target, from, Math.min(c.maxnumber, from + SLICE - 1));
    if (n !== null) {
      const json = JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature });
      return { header: btoa(json), at: Date.now() };
    }
    await tick();
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
  }
  throw new Error('captcha unsolvable');
}

/** A solved captcha kept ready for the next citizen request (single use, renewed after each use). */
export class CaptchaPool {
  private pending: Promise<{ header: string; at: number } | null> | null = null;
  private readonly maxAgeMs = 8 * 60_000;

  private start(): Promise<{ header: string; at: number } | null> {
    this.pending = getPolicy()
      .then((p) => (p.captcha ? solveCaptcha() : null))
      .catch((e: unknown) => {
        this.pending = null;
        throw e;
      });
    return this.pending;
  }

  /** Starts solving in the background (call when the form appears). */
  warm(): Promise<{ header: string; at: number } | null> {
    return this.pending ?? this.start();
  }

  /** The header to send now (solving if needed); the pool starts on the next one at once. */
  async take(): Promise<Record<string, string>> {
    let r = await (this.pending ?? this.start());
    if (r && Date.now() - r.at > this.maxAgeMs) r = await this.start();
    this.pending = null;
    void this.start().catch(() => undefined);
    return r ? { 'x-captcha': r.header } : {};
  }
}

export const captchaPool = new CaptchaPool();

/** A citizen's POST behind the captcha: solves (or takes the ready solution) and retries once if the
 *  server refuses it (expired, used). */
export async function citizenPost<T>(path: string, body: unknown, headers: Record<string, string> = {}, opts: { withCookies?: boolean } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const captcha = await captchaPool.take();
    try {
      return await api<T>(path, { method: 'POST', anonymous: true, ...(opts.withCookies ? { withCookies: true } : {}), body, headers: { ...headers, ...captcha } });
    } catch (e) {
      if (attempt === 0 && e instanceof ApiError && e.code.startsWith('CAPTCHA_')) continue;
      throw e;
    }
  }
}
