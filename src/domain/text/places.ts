// Place names inside appeal text ("丽发新城小区", "五一大道", "A市经济学院", "金鼎村").
//
// Hotspots are "one issue at one place", and citizens name the place in their own words, so we
// cannot rely on a gazetteer of every residential compound. A place here is a short name ending in a
// place-type suffix (小区, 路, 学院, 村 …), with administrative prefixes and the verbs in front of it
// ("反映A7县…") trimmed away. A gazetteer, when given, contributes its region names as well.
import { normalizeText } from './segment.ts';

// Longest first so that "新村" wins over "村" and "幼儿园" over "园".
const SUFFIXES = [
  '工业园区', '产业园', '工业园', '科技园', '物流园', '批发市场', '农贸市场', '菜市场', '幼儿园', '实验小学', '实验中学',
  '地铁站', '火车站', '高铁站', '汽车站', '收费站', '加油站', '垃圾站', '搅拌站', '派出所', '卫生院', '服务中心',
  '安置区', '安置房', '安置小区', '小区', '花园', '家园', '新城', '新村', '公寓', '大厦', '广场', '公馆', '华庭', '雅苑', '花苑',
  '山庄', '庄园', '名苑', '国际', '天地', '中心', '商城', '小镇', '社区', '街道', '大道', '大街', '公路', '高速', '大桥',
  '隧道', '小学', '中学', '大学', '学院', '学校', '医院', '市场', '商场', '超市', '公园', '景区', '机场', '公司', '集团',
  '酒店', '宾馆', '驾校', '银行', '物业', '村', '镇', '乡', '路', '街', '巷', '苑', '府', '湾', '郡', '邸', '城', '园',
  '湖', '桥',
];
const SUFFIX_RE = SUFFIXES.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

// Characters a place name may contain.
const NAME_CHAR = '[\\u4e00-\\u9fffa-z0-9·]';
// One place: up to 10 name characters and a suffix, optionally followed by a phase ("二期").
const PLACE_RE = new RegExp(`${NAME_CHAR}{1,10}?(?:${SUFFIX_RE})(?:[一二三四五六七八九十0-9]{1,2}期)?`, 'g');

// Administrative prefixes: anonymised ("A市", "A3区", "K9县") and provinces. Real city/district names
// come from the gazetteer (knownNames), since "超市", "城市", "小区" also end in 市/区.
// A two-character name + 区/县 is a district or county ("岳麓区") unless the character before 区 makes
// it a kind of place ("小区", "社区", "园区", "景区", "校区" …).
const ADMIN = /[a-z]\d{0,2}(?:市|区|县)|[\u4e00-\u9fff]{2}省|[\u4e00-\u9fff](?<![小社园校景城厂矿片新老学军营病库宅山湖服商工农林牧渔灾禁保护发验范街营业港口])[区县](?=[\u4e00-\u9fff]{2})/g;

// Words that separate a place from what surrounds it: verbs of appeal, positions, question words and
// single-character prepositions that rarely occur inside names.
const BOUNDARY = new RegExp(
  [
    '反映', '投诉', '举报', '咨询', '关于', '建议', '希望', '请求', '要求', '恳请', '请问', '强烈', '紧急', '实名', '求助',
    '附近', '旁边', '周边', '周围', '门口', '对面', '后面', '前面', '里面', '外面', '中间', '交汇处', '交叉口', '路段',
    '能不能', '能否', '是否', '什么', '怎么', '如何', '为什么', '为何', '何时', '存在', '没有', '已经', '一直', '经常', '严重',
    '导致', '影响', '出现', '位于', '地处', '座落在', '坐落在', '家住', '住在', '我们', '本人', '业主', '居民', '村民', '政府',
    '依法', '解决', '处理', '整治', '治理', '查处', '取缔', '拆除', '建设', '修建', '新建', '规划', '违规', '违法', '非法',
    '的', '在', '与', '及', '对', '把', '被', '从', '向', '到', '给', '让', '将', '于', '至', '旁', '请', '建', '办', '要',
  ].join('|'),
  'g',
);

// Substrings that never occur in a proper place name but often in the text around one.
const NOT_A_NAME = /问题|成果|公示|改变|方面|交叉|其他|其它|城市|本市|全市|噪音|扰民|孩子|上学|可以|还是|还有|现在|目前|非常|开始|每天|晚上|白天|凌晨|夜间|时候|施工|收费|管理|服务|工作|部门|领导|相关|情况/;

// Names that are generic, not proper ("本小区", "该公司", "老小区").
const GENERIC = new Set([
  '市政府', '区政府', '县政府', '镇政府', '政府', '本小区', '该小区', '此小区', '这个小区', '我们小区', '我小区', '整个小区', '老小区', '新小区', '各小区', '周边小区', '附近小区', '小区',
  '该公司', '本公司', '公司', '物业公司', '开发商', '该物业', '物业', '该路', '马路', '道路', '公路', '高速', '本村', '该村', '我村',
  '全村', '农村', '乡村', '城市', '全城', '主城', '县城', '市场', '超市', '学校', '医院', '小学', '中学', '大学', '学院',
  '幼儿园', '银行', '酒店', '公园', '社区', '街道', '中心', '国际', '广场', '商场', '家园', '花园', '湖', '桥', '街', '巷', '路',
  '大桥', '城', '园', '府', '湾', '村', '镇', '乡', '在城', '进城', '出城', '全市', '城区', '新城', '老城', '市中心', '服务中心',
  '居委会', '村委会', '业主委员会', '居民区', '一路', '二路', '三路', '马路边', '路边', '路口', '上路', '走路', '修路', '铁路', '网路',
  '思路', '出路', '道路', '线路', '电路', '活路', '门路', '后路', '退路', '小路', '大路', '公路上', '高速公路', '街头', '大街',
]);

export interface PlaceOptions {
  /** Extra proper names to recognise (e.g. a gazetteer's region names and aliases). */
  knownNames?: readonly string[];
  /** At most this many places (default 5). */
  limit?: number;
}

/** Township-level and community names: true places, but too coarse to define one hotspot. */
export function isCoarsePlace(name: string): boolean {
  return /(?:街道|镇|乡|社区|片区|新区|开发区|高新区|经开区)$/.test(name);
}

/** Is this a usable proper place name? */
function acceptable(name: string): boolean {
  if (name.length < 2 || name.length > 14) return false;
  if (GENERIC.has(name) || NOT_A_NAME.test(name)) return false;
  if (/^[0-9a-z·]+$/i.test(name)) return false;
  // A verb before 路 is an expression, not a road ("跑路", "修路", "让路").
  if (/(?:跑|走|修|让|出|带|引|问|拦|堵|绕|上|开|找|退|活|思|套|线|网|电|门)路$/.test(name)) return false;
  // "西路", "中路": a direction and a road type, not a name.
  if (/^[东南西北中内外新老大小上下前后左右][路街道巷桥城]$/.test(name)) return false;
  // A suffix with only a number or a pronoun in front ("3路", "该村", "一期").
  if (/^(?:[0-9一二三四五六七八九十]+|[该本此这那我你他各每某老新大小])/.test(name) && name.length <= 3) return false;
  return true;
}

/** Places mentioned in the text, in order of appearance, de-duplicated (a name inside a longer one is dropped). */
export function extractPlaces(text: string, opts: PlaceOptions = {}): string[] {
  const norm = normalizeText(text).replace(/\s+/g, '');
  if (!norm) return [];
  const found: { name: string; at: number }[] = [];
  for (const known of opts.knownNames ?? []) {
    const k = normalizeText(known).trim();
    if (k.length < 2) continue;
    const at = norm.indexOf(k);
    if (at >= 0) found.push({ name: k, at });
  }
  // Cut the text at punctuation, administrative prefixes and boundary words; places lie between cuts.
  const cut = norm.replace(/[^\u4e00-\u9fffa-z0-9·]/g, '|').replace(ADMIN, (m) => '|'.repeat(m.length)).replace(BOUNDARY, (m) => '|'.repeat(m.length));
  let offset = 0;
  for (const piece of cut.split('|')) {
    if (piece.length >= 2) {
      PLACE_RE.lastIndex = 0;
      let prev: { name: string; at: number; end: number } | null = null;
      for (const m of piece.matchAll(PLACE_RE)) {
        // A unit word left at the front by a cut ("区旧城", "个天桥") is not part of the name.
        const lead = /^(?:区|个|内|外|街道|号|栋|座|期)(?=.{2})/.exec(m[0])?.[0] ?? '';
        const name = m[0].slice(lead.length);
        const at = offset + (m.index ?? 0) + lead.length;
        const end = offset + (m.index ?? 0) + m[0].length;
        // Adjacent names form one compound name: "伊景园" + "滨河苑" → "伊景园滨河苑".
        if (prev && prev.end === at && prev.name.length + name.length <= 14 && !GENERIC.has(name)) {
          const joined: string = prev.name + name;
          const last = found[found.length - 1];
          if (last && last.at === prev.at && last.name === prev.name) last.name = joined;
          else found.push({ name: joined, at: prev.at });
          prev = { name: joined, at: prev.at, end };
          continue;
        }
        if (acceptable(name)) found.push({ name, at });
        prev = acceptable(name) ? { name, at, end } : null;
      }
    }
    offset += piece.length + 1;
  }
  found.sort((a, b) => a.at - b.at || b.name.length - a.name.length);
  const out: string[] = [];
  for (const f of found) {
    if (out.some((o) => o.includes(f.name))) continue;
    // A longer name that contains an earlier one replaces it.
    const i = out.findIndex((o) => f.name.includes(o));
    if (i >= 0) out[i] = f.name;
    else out.push(f.name);
    if (out.length >= (opts.limit ?? 5)) break;
  }
  return out;
}

const PLACE_TYPE_TAIL = new RegExp(`(?:${SUFFIX_RE})(?:[一二三四五六七八九十0-9]{1,2}期)?$`);

/**
 * A matching key for a place: the name without its type suffix, so that "丽发新城小区", "丽发新城" and
 * "丽发新城居民区" meet. Names that are only a suffix keep it.
 */
export function placeKey(name: string): string {
  const n = normalizeText(name).replace(/\s+/g, '');
  let k = n;
  for (let guard = 0; guard < 2; guard++) {
    const s = k.replace(PLACE_TYPE_TAIL, '');
    if (s.length < 2) break;
    k = s;
  }
  return k;
}

/** Character bigrams of a place key (for fuzzy place matching). */
export function placeBigrams(key: string): string[] {
  const cs = Array.from(key);
  if (cs.length < 2) return cs.length ? [cs[0]!] : [];
  const out = new Set<string>();
  for (let i = 0; i + 2 <= cs.length; i++) out.add(cs[i]! + cs[i + 1]!);
  return [...out];
}

/** Dice similarity of two place keys over character bigrams (1 when one contains the other). */
export function placeSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b || (a.length >= 2 && b.includes(a)) || (b.length >= 2 && a.includes(b))) return 1;
  const A = new Set(placeBigrams(a));
  const B = placeBigrams(b);
  let both = 0;
  for (const x of B) if (A.has(x)) both++;
  return (2 * both) / (A.size + B.length || 1);
}

// ---- the place of one appeal (repeat-appeal detection) ----

/** Road types: a road without a house number runs past many places and is not one place by itself. */
const ROAD_TAIL = /(?:大道|大街|公路|高速|路|街|巷|弄)$/;
/** A road at the front of a longer name ("人民中路" + "幸福里小区"). */
const ROAD_HEAD = /^(.+?(?:大道|大街|路|街))(.{2,})$/;
/**
 * Township-level units in an address and everything before them (district, city …): cut away, so
 * that "望月湖街道" is not read as the lake "望月湖" and "城关镇" does not join the road after it.
 * 镇 and 乡 need two characters before them ("镇江路" is a road).
 */
const COARSE_HEAD = /[^|]*?(?:街道办事处|街道办|街道|社区|片区|新区|开发区|高新区|经开区|[^|]{2}(?:镇|乡))/g;
const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
/** House, building, unit and room numbers: "18号", "3栋", "1单元", "502室", "五组". */
const NUMBER_UNIT = /(\d+)(?:[-之]\d+)?(号院|号楼|号|栋|幢|座|单元|室|楼|层|组|户)/g;

/** A small Chinese numeral ("十八", "二百零五") as an integer, or null. */
function chineseNumber(s: string): number | null {
  let total = 0;
  let digit = -1;
  for (const ch of s) {
    if (ch in CN_DIGIT) {
      digit = CN_DIGIT[ch]!;
    } else if (ch in CN_UNIT) {
      total += (digit < 0 ? 1 : digit) * CN_UNIT[ch]!;
      digit = -1;
    } else return null;
  }
  return total + (digit > 0 ? digit : 0);
}

export interface AppealPlace {
  /** The matching key: "place:<placeKey>" for a named place, "road:<road>:<number>" for a road and number. */
  key: string;
  /** The place as named in the text. */
  name: string;
  source: 'address' | 'title';
}

/**
 * The one specific place of a text, or null: a residential compound, a village, a school, a market …
 * ("丽发新城小区", "金鼎村"), else a road with its house number ("五一大道18号"). Townships, districts,
 * communities and bare roads do not count: they hold many unrelated places. `prefer` picks among
 * several: an address runs from coarse to fine (the last is the most specific), a title names the
 * matter first.
 */
export function specificPlace(text: string | null | undefined, prefer: 'last' | 'first' = 'last'): { key: string; name: string } | null {
  if (!text) return null;
  // Full-width → ASCII, lower case, no spaces ("五一大道 １８号" → "五一大道18号").
  let s = normalizeText(text).replace(/\s+/g, '');
  if (!s) return null;
  s = s.replace(/[零〇一二两三四五六七八九十百千]+(?=号|栋|幢|座|单元|室|组)/g, (m) => String(chineseNumber(m) ?? m));
  // Numbers end a name ("五一大道18号丽发新城" is a road, a number and a compound): cut them out, remembering
  // where each house number ("…号") stood.
  const houseNumberAt = new Map<number, number>();
  s = s.replace(NUMBER_UNIT, (m: string, n: string, unit: string, at: number) => {
    if (unit.startsWith('号')) houseNumberAt.set(at, Number(n));
    return '|'.repeat(m.length);
  });
  s = s.replace(/[^\u4e00-\u9fffa-z0-9·]/g, '|').replace(COARSE_HEAD, (m) => '|'.repeat(m.length));
  const named: { key: string; name: string }[] = [];
  const roads: { key: string; name: string }[] = [];
  let from = 0;
  const consider = (name: string, at: number) => {
    if (isCoarsePlace(name)) return;
    if (ROAD_TAIL.test(name)) {
      const n = houseNumberAt.get(at + name.length);
      if (n !== undefined && n > 0) roads.push({ key: `road:${name}:${n}`, name: `${name}${n}号` });
      return;
    }
    const k = placeKey(name);
    if (k.length >= 2) named.push({ key: `place:${k}`, name });
  };
  for (const found of extractPlaces(s, { limit: 8 })) {
    const at = s.indexOf(found, from);
    if (at < 0) continue;
    // "望湖路144号" is read as the lake "望湖" and a bare "路": the road is the name.
    const road = /^(?:大道|大街|路|街|巷|弄)/.exec(s.slice(at + found.length))?.[0] ?? '';
    const name = found + road;
    from = at + name.length;
    // "人民中路幸福里小区": the road in front names where the compound is, the compound is the place.
    const head = ROAD_HEAD.exec(name);
    if (head && !ROAD_TAIL.test(name) && extractPlaces(head[2]!).join('|') === head[2]) {
      consider(head[1]!, at);
      consider(head[2]!, at + head[1]!.length);
    } else consider(name, at);
  }
  const pick = <T>(xs: T[]): T | undefined => (prefer === 'last' ? xs[xs.length - 1] : xs[0]);
  return pick(named) ?? pick(roads) ?? null;
}

/**
 * The place an appeal is about, for deciding whether a later appeal repeats it: the specific place of
 * its address, or — when the address names none — the first specific place of its title. Null when
 * neither names one (the appeal can then only be repeated by the same citizen).
 */
export function appealPlace(address: string | null | undefined, title: string | null | undefined): AppealPlace | null {
  const a = specificPlace(address, 'last');
  if (a) return { ...a, source: 'address' };
  const t = specificPlace(title, 'first');
  return t ? { ...t, source: 'title' } : null;
}
