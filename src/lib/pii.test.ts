import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidEmail, isValidIdNumber, maskAddress, maskEmail, maskIdNumber, maskName, maskPhone, PiiCipher } from './pii.ts';

describe('personal data cipher', () => {
  const c = new PiiCipher(['k2:second-secret-0123456789-abcdefghij', 'k1:first-secret-0123456789-abcdefghijk']);
  it('round-trips any text and never repeats a ciphertext', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), (t) => {
        const a = c.encrypt(t)!;
        expect(c.decrypt(a)).toBe(t);
        expect(c.encrypt(t)).not.toBe(a);
        expect(a).not.toContain(t.length > 3 ? t : '\u0000');
      }),
    );
  });
  it('detects tampering (integrity protection)', () => {
    const box = c.encrypt('13812345678')!;
    const [id, mode, b64] = box.split('.');
    const raw = Buffer.from(b64!, 'base64');
    raw[20] = raw[20]! ^ 1;
    expect(() => c.decrypt(`${id}.${mode}.${raw.toString('base64')}`)).toThrow();
  });
  it('reads old keys after rotation and keeps the blind index stable', () => {
    const old = new PiiCipher(['k1:first-secret-0123456789-abcdefghijk']);
    const box = old.encrypt('王建国')!;
    expect(c.decrypt(box)).toBe('王建国');
    expect(c.isStale(box)).toBe(true);
    expect(c.blindIndex('138 1234 5678')).toBe(old.blindIndex('+8613812345678'));
    expect(c.blindIndex('13812345678')).not.toBe(c.blindIndex('13812345679'));
  });
  it('indexes places apart from phones, stably across rotation, without the place in clear', () => {
    const old = new PiiCipher(['k1:first-secret-0123456789-abcdefghijk']);
    const other = new PiiCipher(['k1:another-secret-0123456789-abcdefgh']);
    const i = c.placeIndex('place:丽发')!;
    expect(i).toBe(old.placeIndex('place:丽发'));
    expect(i).not.toBe(other.placeIndex('place:丽发'));
    expect(i).not.toBe(c.placeIndex('place:金星'));
    expect(i).not.toContain('丽发');
    // Domain separation: the same string as a phone and as a place gives different indexes.
    expect(c.placeIndex('13812345678')).not.toBe(c.blindIndex('13812345678'));
    expect(c.placeIndex(null)).toBeNull();
    expect(c.placeIndex('')).toBeNull();
  });
  it('masks for display', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskName('王建国')).toBe('王**');
    expect(maskName('欧阳修文')).toBe('欧阳**');
    expect(maskAddress('清江区城关街道丽华小区3栋502')).toMatch(/^清江区城关街道丽\S*\*\*\*\*$/);
  });
});

describe('resident ID numbers (GB 11643)', () => {
  it('accepts a correct check character and a real birth date only', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false); // wrong check character
    expect(isValidIdNumber('110105194902300020')).toBe(false); // 30 February
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('<script>alert(1)</')).toBe(false);
  });
  it('masks all but the region of issue and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber(null)).toBeNull();
    expect(maskIdNumber('1234')).toBe('****');
  });
});

describe('e-mail addresses', () => {
  it('accepts ordinary addresses and refuses what could break a mail header or is not an address', () => {
    for (const ok of ['zhang@example.com', 'li.si+minbiao@mail.jiangzhou.gov.cn', '王五@例子.中国']) expect(isValidEmail(ok), ok).toBe(true);
    for (const bad of ['', 'zhang', 'a@b', '@example.com', 'a@example.', 'a b@example.com', 'a@example.com\r\nBcc: x@y.com', '<a@example.com>', 'a@@example.com', 'a;b@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(isValidEmail(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('never lets a CR or LF through, whatever the input', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => !isValidEmail(`${a}\n${b}@example.com`) && !isValidEmail(`x@example.com\r${a}${b}`)));
  });

  it('masks to the first character and the domain', () => {
    expect(maskEmail('wang.wu@example.com')).toBe('w***@example.com');
    expect(maskEmail(null)).toBeNull();
    expect(maskEmail('broken')).toBe('***');
  });
});
