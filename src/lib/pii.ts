// Personal data at rest: SM4-CTR with an HMAC-SM3 tag (encrypt-then-MAC) where the runtime has SM4,
// AES-256-GCM otherwise; a keyed blind index (HMAC-SM3) to find appeals by phone without decrypting.
// Ciphertexts carry a key id so keys can be rotated: old ids stay readable, new writes use the newest.
import { createCipheriv, createDecipheriv, createHmac, getCiphers, getHashes, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const HAS_SM4 = getCiphers().includes('sm4-ctr');
const HAS_SM3 = getHashes().includes('sm3');
const MAC_HASH = HAS_SM3 ? 'sm3' : 'sha256';

// IVs from a pool of CSPRNG bytes: one system call per 4,096 IVs instead of one per encryption
// (bulk imports encrypt millions of fields). Each byte is used once.
const POOL_SIZE = 16 * 4096;
let pool = Buffer.alloc(0);
let poolPos = POOL_SIZE;
function freshIv(): Buffer {
  if (poolPos + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolPos = 0;
  }
  const iv = Buffer.from(pool.subarray(poolPos, poolPos + 16));
  poolPos += 16;
  return iv;
}

interface KeySet {
  id: string;
  enc: Buffer;
  mac: Buffer;
  /** Integrity key for records that must not change silently (the audit chain). */
  seal: Buffer;
  /** Root for other purpose-bound keys (captcha signatures …). */
  root: Buffer;
}

function derive(secret: string, id: string): KeySet {
  const ikm = Buffer.from(secret, 'utf8');
  const okm = Buffer.from(hkdfSync('sha256', ikm, Buffer.from('minbiao-pii'), Buffer.from(`keys:${id}`), 64));
  const seal = Buffer.from(hkdfSync('sha256', ikm, Buffer.from('minbiao-seal'), Buffer.from(`seal:${id}`), 32));
  const root = Buffer.from(hkdfSync('sha256', ikm, Buffer.from('minbiao-purpose'), Buffer.from(`root:${id}`), 32));
  return { id, enc: okm.subarray(0, 32), mac: okm.subarray(32, 64), seal, root };
}

export class PiiCipher {
  private readonly keys = new Map<string, KeySet>();
  private readonly current: KeySet;
  private readonly indexKey: Buffer;
  readonly algorithm = HAS_SM4 ? 'SM4-CTR+HMAC-SM3' : 'AES-256-GCM';

  /** `secrets`: newest first; entries are "id:secret" or a bare secret (id "k1"). */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('PiiCipher needs at least one secret');
    const sets = secrets.map((s, i) => {
      const m = /^([a-z0-9]{1,8}):(.+)$/.exec(s);
      return derive(m ? m[2]! : s, m ? m[1]! : `k${secrets.length - i}`);
    });
    for (const k of sets) this.keys.set(k.id, k);
    this.current = sets[0]!;
    // The blind index key must not change on rotation, or old phones could not be found: it comes
    // from the oldest secret.
    const oldest = secrets[secrets.length - 1]!;
    this.indexKey = Buffer.from(hkdfSync('sha256', Buffer.from(oldest.replace(/^[a-z0-9]{1,8}:/, '')), Buffer.from('minbiao-index'), Buffer.from('blind-index'), 32));
  }

  encrypt(plain: string | null | undefined): string | null {
    if (plain === null || plain === undefined || plain === '') return null;
    const k = this.current;
    const iv = freshIv();
    const data = Buffer.from(plain, 'utf8');
    if (HAS_SM4) {
      const c = createCipheriv('sm4-ctr', k.enc.subarray(0, 16), iv);
      const ct = Buffer.concat([c.update(data), c.final()]);
      const tag = createHmac(MAC_HASH, k.mac).update(Buffer.from(k.id)).update(iv).update(ct).digest();
      return `${k.id}.s.${Buffer.concat([iv, ct, tag]).toString('base64')}`;
    }
    const c = createCipheriv('aes-256-gcm', k.enc, iv.subarray(0, 12));
    c.setAAD(Buffer.from(k.id));
    const ct = Buffer.concat([c.update(data), c.final()]);
    return `${k.id}.g.${Buffer.concat([iv.subarray(0, 12), ct, c.getAuthTag()]).toString('base64')}`;
  }

  decrypt(box: string | null | undefined): string | null {
    if (!box) return null;
    const [id, mode, b64] = box.split('.');
    const k = id ? this.keys.get(id) : undefined;
    if (!k || !b64) throw new Error('unknown key or malformed ciphertext');
    const raw = Buffer.from(b64, 'base64');
    if (mode === 's') {
      const tagLen = 32;
      const iv = raw.subarray(0, 16);
      const ct = raw.subarray(16, raw.length - tagLen);
      const tag = raw.subarray(raw.length - tagLen);
      const expect = createHmac(MAC_HASH, k.mac).update(Buffer.from(k.id)).update(iv).update(ct).digest();
      if (tag.length !== expect.length || !timingSafeEqual(tag, expect)) throw new Error('ciphertext integrity check failed');
      const d = createDecipheriv('sm4-ctr', k.enc.subarray(0, 16), iv);
      return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    }
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(raw.length - 16);
    const ct = raw.subarray(12, raw.length - 16);
    const d = createDecipheriv('aes-256-gcm', k.enc, iv);
    d.setAAD(Buffer.from(k.id));
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]).toString('utf8');
  }

  /** Keyed blind index of a normalised phone number: equal phones give equal indexes, nothing else leaks. */
  blindIndex(phone: string | null | undefined): string | null {
    const n = normalizePhone(phone);
    if (!n) return null;
    return createHmac(MAC_HASH, this.indexKey).update(n).digest('base64url').slice(0, 32);
  }

  /**
   * Keyed index of an appeal's place key (src/domain/text/places.ts appealPlace): equal places give
   * equal indexes, and the place itself (taken from the citizen's address) is not stored in clear. Same
   * index key as blindIndex, with its own domain-separation prefix: a place index never equals a phone
   * index, even for a key made of digits.
   */
  placeIndex(key: string | null | undefined): string | null {
    if (!key) return null;
    return createHmac(MAC_HASH, this.indexKey).update('minbiao-place\u0000').update(key, 'utf8').digest('base64url').slice(0, 32);
  }

  /** True when the ciphertext was written under an older key (to be re-encrypted on rotation). */
  isStale(box: string | null): boolean {
    return !!box && !box.startsWith(`${this.current.id}.`);
  }

  /** The id of the key new ciphertexts and seals are written with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Keyed integrity seal (HMAC-SM3) of `data`: "keyid:hex". Without the key it cannot be recomputed. */
  seal(data: string): string {
    return `${this.current.id}:${createHmac(MAC_HASH, this.current.seal).update(data, 'utf8').digest('hex')}`;
  }

  /** 'ok', 'bad' (does not match) or 'unknown-key' (sealed under a key no longer configured). */
  checkSeal(data: string, sealed: string): 'ok' | 'bad' | 'unknown-key' {
    const i = sealed.indexOf(':');
    if (i <= 0) return 'bad';
    const k = this.keys.get(sealed.slice(0, i));
    if (!k) return 'unknown-key';
    const expect = Buffer.from(createHmac(MAC_HASH, k.seal).update(data, 'utf8').digest('hex'));
    const got = Buffer.from(sealed.slice(i + 1));
    return got.length === expect.length && timingSafeEqual(got, expect) ? 'ok' : 'bad';
  }

  /** A 32-byte key for one purpose (e.g. 'captcha'), derived from the current key. */
  purposeKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.current.root, Buffer.from('minbiao-purpose'), Buffer.from(purpose), 32));
  }
}

export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[\s\-()（）]/g, '').replace(/^\+?86/, '');
  return digits.length > 0 ? digits : null;
}

/** 138****5678 — what every view shows unless a permitted user unmasks with a reason. */
export function maskPhone(phone: string | null | undefined): string | null {
  const n = normalizePhone(phone);
  if (!n) return null;
  if (n.length < 7) return '*'.repeat(n.length);
  return `${n.slice(0, 3)}****${n.slice(-4)}`;
}

/** 张** / 欧阳** — the family name only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return null;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(1, chars.length - keep));
}

/** GB 11643: 17 digits and a check character (0-9 or X) computed with weights 2^(17-i) mod 11. */
export function isValidIdNumber(id: string): boolean {
  const s = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * weights[i]!;
  const check = '10X98765432'[sum % 11];
  if (s[17] !== check) return false;
  // The birth date must be a real day.
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** 3601**********123X — the region of issue and the last four characters. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return null;
  const s = id.trim();
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** A deliverable-looking address: one @, a dot in the domain, no spaces or header-breaking characters, ≤ 254. */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && /^[^@\s<>()[\],;:"\\]+@[^@\s<>()[\],;:"\\]+\.[^@\s<>()[\],;:"\\.]+$/.test(email);
}

/** z***@example.com — the first character of the mailbox and the domain. */
export function maskEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** Keeps the district/street part of an address, hides the house number. */
export function maskAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const chars = [...address];
  const keep = Math.min(chars.length, Math.max(4, Math.floor(chars.length / 2)));
  return chars.slice(0, keep).join('') + '****';
}
