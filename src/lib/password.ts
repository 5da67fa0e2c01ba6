// Password hashing with scrypt (memory-hard, in Node's crypto: no native add-on to build).
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

// N=2^15, r=8 → 32 MiB per hash: costly for an attacker, about 50–100 ms for a login here.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string, params = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Password policy (等保 2.0): ≥ 8 characters, three of four character classes, not the user name. */
export function checkPasswordPolicy(password: string, username: string): { zh: string; en: string } | null {
  if (password.length < 8) return { zh: '密码长度至少8位', en: 'The password must have at least 8 characters' };
  if (password.length > 128) return { zh: '密码长度不能超过128位', en: 'The password must have at most 128 characters' };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return { zh: '密码须包含大写字母、小写字母、数字、符号中的至少三类', en: 'Use at least three of: lower case, upper case, digits, symbols' };
  if (password.toLowerCase().includes(username.toLowerCase())) return { zh: '密码不能包含用户名', en: 'The password must not contain the user name' };
  return null;
}
