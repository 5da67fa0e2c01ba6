// Real-looking Chinese personal names and mobile numbers for demo citizens.
import type { Rng } from './random.ts';
import { WeightedTable } from './random.ts';

// The hundred commonest surnames, weighted roughly by their share of the population.
const SURNAMES: [string, number][] = [
  ['王', 72], ['李', 70], ['张', 68], ['刘', 54], ['陈', 46], ['杨', 32], ['黄', 24], ['赵', 22], ['吴', 21], ['周', 21],
  ['徐', 15], ['孙', 14], ['马', 13], ['朱', 13], ['胡', 13], ['郭', 12], ['何', 12], ['林', 11], ['罗', 11], ['高', 11],
  ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 8], ['唐', 8], ['许', 7], ['韩', 7], ['邓', 7], ['冯', 7], ['曹', 6],
  ['彭', 6], ['曾', 6], ['肖', 6], ['田', 5], ['董', 5], ['潘', 5], ['袁', 5], ['蔡', 5], ['蒋', 5], ['余', 5],
  ['于', 5], ['杜', 4], ['叶', 4], ['程', 4], ['魏', 4], ['苏', 4], ['吕', 4], ['丁', 4], ['任', 4], ['卢', 4],
  ['姚', 4], ['沈', 4], ['钟', 3], ['姜', 3], ['崔', 3], ['谭', 3], ['陆', 3], ['范', 3], ['汪', 3], ['廖', 3],
  ['石', 3], ['金', 3], ['韦', 3], ['贾', 3], ['夏', 3], ['付', 3], ['方', 3], ['邹', 3], ['熊', 3], ['白', 3],
  ['孟', 2], ['秦', 2], ['邱', 2], ['侯', 2], ['江', 2], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2],
  ['龙', 2], ['黎', 2], ['史', 2], ['陶', 2], ['贺', 2], ['毛', 2], ['郝', 2], ['顾', 2], ['龚', 2], ['邵', 2],
  ['万', 2], ['覃', 1], ['武', 2], ['钱', 2], ['戴', 2], ['严', 2], ['欧阳', 1], ['莫', 1], ['孔', 1], ['向', 1],
];
const SURNAME_TABLE = new WeightedTable(
  SURNAMES.map((s) => s[0]),
  SURNAMES.map((s) => s[1]),
);

// Given-name characters by feel; two-character names are the majority.
const MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆亮建国峰文志海东林龙兵阳晨博成康永春新祥德胜良栋荣睿轩宏晓小子金'.split('');
const FEMALE = '芳娜敏静丽艳娟霞秀玲燕红梅莉兰婷雪琳慧颖倩洁晶璐欣怡佳琪蓉凤瑶薇丹萍雯月丽秋彩云莹茜晓小春'.split('');
const MALE_1 = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆亮峰'.split('');
const FEMALE_1 = '芳娜敏静丽艳娟霞秀玲燕红梅莉兰婷雪琳慧颖倩洁晶'.split('');

export interface PersonName {
  name: string;
  surname: string;
  female: boolean;
}

export function personName(rng: Rng): PersonName {
  const surname = SURNAME_TABLE.pick(rng);
  const female = rng.chance(0.47);
  let given: string;
  if (rng.chance(0.22)) {
    given = rng.pick(female ? FEMALE_1 : MALE_1);
  } else {
    const pool = female ? FEMALE : MALE;
    const a = rng.pick(pool);
    let b = rng.pick(pool);
    if (b === a && rng.chance(0.7)) b = rng.pick(pool);
    given = a + b;
  }
  return { name: surname + given, surname, female };
}

/** 先生/女士 form of address used in replies. */
export function honorific(p: PersonName): string {
  return `${p.surname}${p.female ? '女士' : '先生'}`;
}

// Mobile prefixes of the three carriers (and the virtual-operator-free 19x range).
const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '166', '173', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191',
  '198', '199',
];

/** '1' + 10 digits with a real carrier prefix. */
export function mobilePhone(rng: Rng): string {
  const tail = String(rng.int(0, 99_999_999)).padStart(8, '0');
  return rng.pick(PHONE_PREFIXES) + tail;
}

/** A surname alone, for third parties in texts (王某, 老王 …). */
export function surname(rng: Rng): string {
  return SURNAME_TABLE.pick(rng);
}
