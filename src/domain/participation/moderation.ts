// Screening of public text (suggestions, survey answers) before anyone else sees it (pure).
// Personal data is masked in the public copy (the original is kept encrypted for moderators);
// abuse and spam hold the text for a moderator. Nothing is ever dropped: see docs/participation.md §3.

export type FindingKind = 'phone' | 'id_number' | 'email' | 'bank_card' | 'abuse' | 'spam_link' | 'spam_contact' | 'spam_ad' | 'spam_noise';

export type HoldReason = 'abuse' | 'spam' | 'personal_data';

/** Reasons a moderator may give for hiding (or holding) a suggestion. */
export const MODERATION_REASONS = ['spam', 'abuse', 'personal_data', 'off_topic', 'duplicate', 'illegal', 'other'] as const;
export type ModerationReason = (typeof MODERATION_REASONS)[number];
export const MODERATION_REASON_LABELS: Record<ModerationReason, { zh: string; en: string }> = {
  spam: { zh: '垃圾信息或广告', en: 'Spam or advertising' },
  abuse: { zh: '辱骂、人身攻击', en: 'Abuse or personal attacks' },
  personal_data: { zh: '含他人或本人个人信息', en: 'Contains personal data' },
  off_topic: { zh: '与本次征集无关', en: 'Off topic' },
  duplicate: { zh: '重复提交', en: 'Duplicate' },
  illegal: { zh: '违法违规内容', en: 'Unlawful content' },
  other: { zh: '其他原因', en: 'Other' },
};

export interface Finding {
  kind: FindingKind;
  count: number;
}

export interface Screening {
  /** The text as it may be shown publicly (personal data masked). */
  text: string;
  findings: Finding[];
  /** True when personal data was masked. */
  masked: boolean;
  /** Set when the text must wait for a moderator. */
  hold: HoldReason | null;
}

// Mobile numbers with optional +86 and separators; landlines with an area code.
const MOBILE = /(?<![0-9])(?:\+?86[\s-]?)?(1[3-9][0-9])[\s-]?([0-9]{4})[\s-]?([0-9]{4})(?![0-9])/g;
const LANDLINE = /(?<![0-9])(0[1-9][0-9]{1,2})-([0-9]{3,4})([0-9]{4})(?![0-9])/g;
// Resident ID: 18 characters (the last may be X) or the old 15 digits.
const ID18 = /(?<![0-9A-Za-z])([1-9][0-9]{5})((?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))([0-9]{3}[0-9Xx])(?![0-9A-Za-z])/g;
const ID15 = /(?<![0-9])([1-9][0-9]{5})([0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))([0-9]{3})(?![0-9])/g;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const CARD = /(?<![0-9])[0-9](?:[\s-]?[0-9]){15,18}(?![0-9])/g;

const ABUSE = ['傻逼', '傻b', '煞笔', '沙比', '他妈的', '妈的', '操你', '草你', '去死', '王八蛋', '狗官', '畜生', '混蛋', '贱人', '滚蛋', '脑残', '垃圾政府', 'nmsl', 'cnmd'];
const CONTACT = [/加\s*(?:我)?\s*(?:微信|v信|vx|wx|薇信|威信|qq|扣扣)/i, /(?:微信|vx|wx|qq)\s*(?:号)?\s*[:：]?\s*[A-Za-z0-9_-]{5,}/i, /qq\s*群/i];
const ADS = ['代开发票', '发票代开', '无抵押贷款', '低息贷款', '刷单', '兼职日结', '博彩', '彩票内幕', '六合彩', '网赚', '日赚', '代孕', '办证', '私家侦探', '裸聊', '澳门赌场', '百家乐'];
const LINK = /(?:https?:\/\/|www\.)[^\s]+|[A-Za-z0-9-]+\.(?:com|cn|net|top|xyz|vip|cc|shop)(?:\/[^\s]*)?/gi;

function luhn(digits: string): boolean {
  let sum = 0;
  let alt = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (alt) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    alt = !alt;
  }
  return sum % 10 === 0;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** GB 11643 check character of an 18-character resident ID number. */
export function validIdNumber(id: string): boolean {
  if (!/^[0-9]{17}[0-9Xx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
}

/**
 * Screens a text: masks phone numbers, ID numbers, e-mail addresses and bank card numbers; holds
 * abuse and spam for a moderator. ID numbers are masked whether or not their check digit is right
 * (a mistyped ID is still someone's ID).
 */
export function screenText(input: string): Screening {
  const counts = new Map<FindingKind, number>();
  const add = (k: FindingKind, n = 1) => counts.set(k, (counts.get(k) ?? 0) + n);
  let t = input;

  t = t.replace(ID18, (_m, area: string, _birth: string, tail: string) => {
    add('id_number');
    return `${area.slice(0, 3)}***********${tail}`;
  });
  t = t.replace(ID15, (_m, area: string) => {
    add('id_number');
    return `${area.slice(0, 3)}************`;
  });
  t = t.replace(MOBILE, (_m, a: string, _b: string, c: string) => {
    add('phone');
    return `${a}****${c}`;
  });
  t = t.replace(LANDLINE, (_m, area: string, _mid: string, last: string) => {
    add('phone');
    return `${area}-****${last}`;
  });
  t = t.replace(EMAIL, (_m, first: string, domain: string) => {
    add('email');
    return `${first}***@${domain}`;
  });
  t = t.replace(CARD, (m: string) => {
    const digits = m.replace(/[\s-]/g, '');
    if (!luhn(digits)) return m;
    add('bank_card');
    return `${digits.slice(0, 4)} **** ${digits.slice(-4)}`;
  });

  const lower = t.toLowerCase();
  const abuse = ABUSE.filter((w) => lower.includes(w)).length;
  if (abuse) add('abuse', abuse);
  const links = lower.match(LINK)?.length ?? 0;
  if (links) add('spam_link', links);
  const contact = CONTACT.filter((re) => re.test(t)).length;
  if (contact) add('spam_contact', contact);
  const ads = ADS.filter((w) => t.includes(w)).length;
  if (ads) add('spam_ad', ads);
  // Noise: one character repeated 8+ times, or a text with (almost) no letters or Chinese characters.
  const meaningful = (input.match(/[\p{Script=Han}A-Za-z]/gu) ?? []).length;
  if (/(\D)\1{7,}/u.test(input) || meaningful < Math.min(4, [...input].length / 2)) add('spam_noise');

  const findings = [...counts].map(([kind, count]) => ({ kind, count }));
  const masked = findings.some((f) => f.kind === 'phone' || f.kind === 'id_number' || f.kind === 'email' || f.kind === 'bank_card');
  let hold: HoldReason | null = null;
  if (counts.has('abuse')) hold = 'abuse';
  else if (counts.has('spam_link') || counts.has('spam_contact') || counts.has('spam_ad') || counts.has('spam_noise')) hold = 'spam';
  // An ID number in public text is someone's identity: a moderator looks at it even though it is masked.
  else if (counts.has('id_number') || counts.has('bank_card')) hold = 'personal_data';
  return { text: t, findings, masked, hold };
}

/** Normalised text for duplicate checks: no spaces or punctuation, lower case. */
export function normalizeForDuplicate(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}
