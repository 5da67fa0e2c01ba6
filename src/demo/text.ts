// Appeal text generator: citizen titles and bodies, staff replies and every other free text of an
// appeal's life (return reasons, extension reasons, supervision notes, rating comments …).
// Templates are compiled once; one appeal's slots are memoised so all its texts agree.
import type { AppealType, RatingLevel, RedirectChannel, Solved } from '../domain/appeal/types.ts';
import type { DemoPlace, DemoRegion, DemoUnit, UnitType } from './city.ts';
import type { BodyTemplate, GroupCorpus, LeafCorpus } from './corpus.ts';
import { EMERGENCIES, GROUPS, LEAVES } from './corpus.ts';
import { surname } from './names.ts';
import type { Rng } from './random.ts';

const DAY = 86_400_000;
const TZ = 8 * 3_600_000;
/** 2026-01-01 00:00 in Asia/Shanghai: the revised 治安管理处罚法 renumbered its articles. */
const ZHIAN_REVISION_AT = Date.UTC(2025, 11, 31, 16);

// ---------------------------------------------------------------------------------------------
// Template compilation

type Compiled = readonly string[]; // even: literal, odd: slot name

const compiledCache = new Map<string, Compiled>();

export function compile(template: string): Compiled {
  let c = compiledCache.get(template);
  if (!c) {
    c = template.split(/\{(\w+)\}/);
    compiledCache.set(template, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Slot context

export interface TextEnv {
  street: DemoRegion;
  district: DemoRegion;
  places: readonly DemoPlace[];
  createdAt: number;
}

/** The memory of one appeal's texts: slot values, the handling unit, the reply time. */
export class TextContext {
  private readonly memo: Record<string, string> = Object.create(null) as Record<string, string>;
  /** The first place a text mentioned: the appeal's address. */
  primaryPlace: DemoPlace | null = null;
  unit: DemoUnit | null = null;
  /** When the current staff text is written (reply time, …). */
  at: number;

  constructor(
    readonly rng: Rng,
    readonly env: TextEnv,
    preset?: Record<string, string>,
  ) {
    this.at = env.createdAt;
    if (preset) for (const k of Object.keys(preset)) this.memo[k] = preset[k] as string;
  }

  get(slot: string): string {
    const v = this.memo[slot];
    if (v !== undefined) return v;
    const f = FILLERS[slot];
    if (!f) throw new Error(`unknown text slot {${slot}}`);
    const value = f(this);
    // Unit- and time-dependent slots are not memoised: one appeal may be handled by several units.
    if (!VOLATILE.has(slot)) this.memo[slot] = value;
    return value;
  }

  has(slot: string): boolean {
    return this.memo[slot] !== undefined;
  }

  set(slot: string, value: string): void {
    this.memo[slot] = value;
  }

  render(template: string): string {
    const parts = compile(template);
    if (parts.length === 1) return parts[0] as string;
    let out = '';
    for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? (parts[i] as string) : this.get(parts[i] as string);
    return out;
  }

  /** A place of the street of the given kinds (first kind preferred), remembered as the address. */
  place(kinds: readonly DemoPlace['kind'][], exclude?: string): DemoPlace | null {
    for (const kind of kinds) {
      const list = this.env.places.filter((p) => p.kind === kind && p.name !== exclude);
      if (list.length > 0) {
        const p = this.rng.pick(list);
        this.primaryPlace ??= p;
        return p;
      }
    }
    return null;
  }
}

const VOLATILE = new Set(['unitSelf', 'staff', 'unitShort', 'vdate', 'zhian58', 'zhian43', 'zhian49', 'zhian26', 'zhian42', 'zhian70', 'zhian72', 'zhian66']);

// ---------------------------------------------------------------------------------------------
// Fillers

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function cnNumber(n: number): string {
  if (n <= 10) return CN_DIGITS[n] as string;
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

function localParts(t: number): { y: number; m: number; d: number; dow: number } {
  const d = new Date(t + TZ);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), dow: d.getUTCDay() };
}

function dateText(t: number, rng: Rng): string {
  const p = localParts(t);
  return rng.chance(0.75) ? `${p.m}月${p.d}日` : `${p.m}月${p.d}号`;
}

function money(n: number, rng: Rng): string {
  if (n >= 10_000 && rng.chance(0.55)) {
    const w = Math.round(n / 1000) / 10;
    return `${w}万元`;
  }
  const r = n >= 10_000 ? Math.round(n / 100) * 100 : Math.round(n / 10) * 10;
  return rng.chance(0.3) ? `${r}块钱` : `${r}元`;
}

const SHOP_HEADS = ['兴隆', '鑫源', '佳佳', '百姓', '福满多', '金利', '顺发', '万家福', '惠民', '老街', '阿强', '红红', '明明', '大发', '金鑫', '好运来', '四季', '康达', '恒发', '聚福', '小城', '江南', '湘味', '川香', '益民'];
const LAW_HEADS = ['正大', '明理', '公信', '维德', '致远', '君和', '诚信', '法衡', '天平', '长风'];
const APPS = ['融通宝', '鑫汇通', '星辰理财', '汇金在线', '聚财宝', '优选投资', '掌上钱庄', '恒信国际', '金盛财富', '易盈'];
const FACTORY_KINDS = ['化工厂', '纸业公司', '电镀厂', '印染厂', '石材厂', '塑料厂', '皮革厂'];
const COMPANY_KINDS = ['建筑劳务有限公司', '装饰工程有限公司', '物流有限公司', '电子科技有限公司', '食品有限公司', '建材有限公司', '服装有限公司', '汽车配件有限公司', '家具有限公司'];

const FILLERS: Record<string, (c: TextContext) => string> = {
  // places
  xq: (c) => {
    const rural = c.env.places.some((p) => p.kind === 'village');
    const kinds: DemoPlace['kind'][] = rural && c.rng.chance(0.7) ? ['village', 'residential'] : ['residential', 'village'];
    return c.place(kinds)?.name ?? `${c.get('streetShort')}新村`;
  },
  road: (c) => c.place(['road', 'commercial'])?.name ?? `${c.get('streetShort')}大道`,
  road2: (c) => {
    const other = c.env.places.filter((p) => p.kind === 'road' && p.name !== c.get('road'));
    return other.length > 0 ? c.rng.pick(other).name : `${c.get('streetShort')}街`;
  },
  market: (c) => c.place(['market'])?.name ?? `${c.get('streetShort')}农贸市场`,
  school: (c) => c.place(['school'])?.name ?? `${c.get('streetShort')}小学`,
  plaza: (c) => c.place(['commercial', 'market'])?.name ?? `${c.get('streetShort')}商业街`,
  street: (c) => c.env.street.name,
  streetShort: (c) => c.env.street.shortNames[0] ?? c.env.street.name,
  district: (c) => c.env.district.name,
  bld: (c) => {
    if (c.get('xq').endsWith('村')) return `${cnNumber(c.rng.int(1, 9))}组`;
    const r = c.rng.next();
    if (r < 0.45) return `${c.rng.int(1, 28)}栋`;
    if (r < 0.8) return `${c.rng.int(1, 32)}号楼`;
    if (r < 0.92) return `${c.rng.int(1, 18)}幢`;
    return `${'ABCDEF'[c.rng.int(0, 5)]}座`;
  },
  room: (c) => {
    if (c.get('xq').endsWith('村')) return `${c.rng.int(1, 60)}号`;
    return c.rng.chance(0.6) ? `${c.rng.int(1, 18)}0${c.rng.int(1, 4)}室` : `${c.rng.int(1, 4)}单元${c.rng.int(1, 18)}0${c.rng.int(1, 4)}`;
  },
  // time
  date: (c) => dateText(c.env.createdAt - c.rng.int(1, 20) * DAY, c.rng),
  date2: (c) => dateText(c.env.createdAt - c.rng.int(45, 200) * DAY, c.rng),
  when: (c) =>
    c.rng.pick(['昨天晚上', '昨晚', '前天', '前天晚上', '上周末', '这两天', '今天早上', '上周三', '上个月底', '前几天', `${c.get('date')}`, `${c.get('date')}晚上`, `${c.get('date')}下午`]),
  since: (c) => c.rng.pick(['最近一个月', '这半年来', '从上个月开始', '近两个星期', '今年以来', `${c.get('dur')}来`, '这段时间', season(c.env.createdAt)]),
  night: (c) => c.rng.pick(['凌晨一两点', '晚上十一二点', '半夜十二点多', '凌晨三四点', '晚上十点以后', '后半夜']),
  dur: (c) => c.rng.pick(['两个多月', '三个月', '快半年', '一年多', '大半年', '四个多月', '一个多月']),
  hour: (c) => c.rng.pick(['晚上八点多', '晚上十点左右', '下午三点多', '早上七点多', '中午十二点左右', '凌晨一点多', '晚上九点来钟']),
  year: (c) => {
    const y = localParts(c.env.createdAt).y;
    return c.rng.pick(['去年', '前年', `${y - 1}年`, `${y - 2}年`, `${y - 3}年`]);
  },
  // people
  nb: (c) => c.rng.pick(['楼上住户', '楼下邻居', '隔壁邻居', '对门那户', '楼上那家', '隔壁那家', '邻居']),
  someone: (c) => `${surname(c.rng)}${c.rng.pick(['某', '某', '某某'])}`,
  bossName: (c) => `${surname(c.rng)}${c.rng.pick(['某', '老板', '总', '某某'])}`,
  relative: (c) => c.rng.pick(['弟弟', '哥哥', '儿子', '小叔子', '姐夫', '表弟', '侄子']),
  spouse: (c) => c.rng.pick(['丈夫', '老公', '妻子', '老婆', '爱人']),
  elder: (c) => c.rng.pick(['父亲', '母亲', '老母亲', '老父亲', '奶奶', '爷爷', '岳母', '婆婆']),
  age: (c) => c.rng.pick(['七十多', '八十多', '六十多', '七十', '八十', '七十五', '八十二', '六十八']),
  kid: (c) => c.rng.pick(['孩子', '女儿', '儿子', '小孩']),
  // businesses
  shop: (c) => `${c.rng.pick(SHOP_HEADS)}${c.rng.pick(['超市', '便利店', '烟酒店', '水果店', '饭店', '五金店', '小吃店', '服装店', '家具店'])}`,
  bbq: (c) => c.rng.pick([`${surname(c.rng)}记烧烤`, `老${surname(c.rng)}烧烤`, `${c.rng.pick(SHOP_HEADS)}大排档`, `${c.rng.pick(SHOP_HEADS)}夜宵城`]),
  ktv: (c) => `${c.rng.pick(['星光', '麦乐', '金嗓子', '欢唱', '好声音', '纯K', '魅力'])}${c.rng.pick(['KTV', '量贩KTV', '音乐会所'])}`,
  bar: (c) => `${c.rng.pick(['夜色', '蓝调', '零点', '老船长', '微醺', '风铃'])}${c.rng.pick(['酒吧', '清吧', '音乐餐吧'])}`,
  chess: (c) => `${c.rng.pick(SHOP_HEADS)}${c.rng.pick(['棋牌室', '茶楼', '麻将馆'])}`,
  spa: (c) => `${c.rng.pick(['金玫瑰', '水云间', '悦享', '丽人', '蓝月亮'])}${c.rng.pick(['养生会所', '足浴', '按摩店'])}`,
  gym: (c) => `${c.rng.pick(['力量', '动感', '悦动', '型男', '超越', '活力'])}${c.rng.pick(['健身', '健身会所', '瑜伽馆'])}`,
  training: (c) => `${c.rng.pick(['博学', '启航', '优才', '新起点', '智慧树', '小天才'])}${c.rng.pick(['教育', '培训学校', '艺术培训中心'])}`,
  elec: (c) => `${c.rng.pick(SHOP_HEADS)}${c.rng.pick(['电器', '家电城', '电器商行'])}`,
  company: (c) => `江州${c.rng.pick(SHOP_HEADS)}${c.rng.pick(COMPANY_KINDS)}`,
  wy: (c) => c.rng.pick([`${c.rng.pick(SHOP_HEADS)}物业`, `江州${c.rng.pick(SHOP_HEADS)}物业服务有限公司`, '物业公司']),
  factory: (c) => `${c.rng.pick(SHOP_HEADS)}${c.rng.pick(FACTORY_KINDS)}`,
  hospital: (c) =>
    c.rng.pick(['江州市第一人民医院', '江州市中医院', '江州市第二人民医院', `${c.env.district.name}人民医院`, `${c.get('streetShort')}卫生院`, `江州${c.rng.pick(['仁和', '康桥', '博爱'])}医院`]),
  clinic: (c) => c.rng.pick([`${c.rng.pick(['美齿', '皓白', '康贝'])}口腔诊所`, `${surname(c.rng)}氏诊所`, `${c.get('streetShort')}门诊部`]),
  lawfirm: (c) => `江州${c.rng.pick(LAW_HEADS)}律师事务所`,
  app: (c) => c.rng.pick(APPS),
  fakeOrg: (c) => c.rng.pick(['社保局', '医保中心', '公安局', '法院', '银行客服', '民政局']),
  fraudType: () => '电信网络',
  noise: (c) => c.rng.pick(['拖椅子', '跺地板', '弹钢琴', '放音乐', '打麻将', '砸东西', '拍皮球']),
  car: (c) => c.rng.pick(['电动车', '电动三轮车', '摩托车']),
  brand: (c) => c.rng.pick(['雅迪', '爱玛', '台铃', '新日', '绿源', '']),
  // amounts
  fee: (c) => money(c.rng.int(20, 300) * 10, c.rng),
  amount: (c) => money(Math.round(c.rng.logNormal(9000, 0.8)), c.rng),
  bigamount: (c) => money(Math.round(c.rng.logNormal(160_000, 0.7)), c.rng),
  wage: (c) => money(c.rng.int(30, 300) * 100, c.rng),
  months: (c) => c.rng.pick(['两个月', '三个月', '四个多月', '五个月', '半年', '大半年']),
  workers: (c) => c.rng.pick(['十几', '二十多', '三十来', '十来', '七八', '四十多']),
  // staff side (depend on the handling unit and the reply time)
  unitSelf: (c) => UNIT_SELF[c.unit?.type ?? 'center'],
  unitShort: (c) => c.unit?.shortName ?? '我单位',
  staff: (c) => c.rng.pick(STAFF[c.unit?.type ?? 'center']),
  vdate: (c) => dateText(c.env.createdAt + c.rng.next() * Math.max(0, c.at - c.env.createdAt), c.rng),
  zhian58: (c) => zhian(c, '第五十八条'),
  zhian43: (c) => zhian(c, '第四十三条'),
  zhian49: (c) => zhian(c, '第四十九条'),
  zhian26: (c) => zhian(c, '第二十六条'),
  zhian42: (c) => zhian(c, '第四十二条'),
  zhian70: (c) => zhian(c, '第七十条'),
  zhian72: (c) => zhian(c, '第七十二条'),
  zhian66: (c) => zhian(c, '第六十六条'),
};

// The 2025 revision of the 治安管理处罚法 (in force 2026-01-01) renumbered its articles: cite the
// article only for replies written under the old numbering, the law itself afterwards.
function zhian(c: TextContext, article: string): string {
  return c.at < ZHIAN_REVISION_AT ? `《中华人民共和国治安管理处罚法》${article}` : '《中华人民共和国治安管理处罚法》有关规定';
}

function season(t: number): string {
  const m = localParts(t).m;
  if (m >= 6 && m <= 8) return '入夏以来';
  if (m === 12 || m <= 2) return '入冬以来';
  return m <= 5 ? '开春以来' : '入秋以来';
}

const UNIT_SELF: Record<UnitType, string> = {
  committee: '我委',
  center: '我中心',
  police_bureau: '我局',
  police_station: '我所',
  court: '我院',
  tribunal: '我庭',
  procuratorate: '我院',
  justice_bureau: '我局',
  justice_office: '我所',
  mediation: '我委',
};

const STAFF: Record<UnitType, string[]> = {
  committee: ['工作人员', '督查人员'],
  center: ['工作人员', '网格员', '综治专干'],
  police_bureau: ['民警', '办案民警'],
  police_station: ['社区民警', '民警', '值班民警', '办案民警'],
  court: ['执行法官', '承办法官', '工作人员'],
  tribunal: ['法官助理', '承办法官', '工作人员'],
  procuratorate: ['检察官', '检察人员'],
  justice_bureau: ['工作人员'],
  justice_office: ['司法所工作人员', '工作人员', '司法所工作人员'],
  mediation: ['调解员', '医调委调解员'],
};

/** 公安 / 司法行政 … for the closing thanks, by the unit actually replying. */
const SYS_BY_UNIT: Record<UnitType, string> = {
  committee: '政法',
  center: '平安建设',
  police_bureau: '公安',
  police_station: '公安',
  court: '法院',
  tribunal: '法院',
  procuratorate: '检察',
  justice_bureau: '司法行政',
  justice_office: '司法行政',
  mediation: '人民调解',
};

// ---------------------------------------------------------------------------------------------
// Citizen text

const OPENERS = ['您好，', '你好，', '领导好，', '我是{streetShort}的居民，', '', '麻烦看一下，', '我想反映个问题。', '实在没办法了才来这里反映。', '各位领导好！', '打扰了，'];
const EMOTIONS = ['实在受不了了。', '家里老人孩子都被影响了。', '真的很无奈。', '心里特别窝火。', '我们老百姓真的耗不起。', '不知道该找谁了。', '希望别再推来推去了。', '现在一家人都很焦虑。', '说实话挺寒心的。'];
const DETAILS = [
  '我有照片和视频，可以提供。',
  '具体位置在{road}附近，很好找。',
  '这个问题{since}一直存在。',
  '周围邻居都可以作证。',
  '之前也在网上反映过，一直没有下文。',
  '我白天要上班，有事请晚上六点以后联系我。',
  '希望处理的时候不要透露我的个人信息。',
  '这已经不是第一次了。',
  '我们也理解基层工作辛苦，但这个事情确实影响太大了。',
  '要是再没人管，我真不知道还能找谁。',
  '前前后后打了不下十个电话，每次都说会处理。',
  '我是本地人，在这里住了二十多年，以前从来没有这样过。',
];
// The long letters: history, effort, frustration.
const STORIES = [
  '{date2}我第一次打电话反映，当时说会处理，结果过了一个星期又恢复原样。后来又反映了两次，每次都是来看一眼就走，问题一直没有得到根本解决。',
  '为了这件事，我前后请假跑了好几趟，单位领导都有意见了。家里人也劝我算了，可我觉得这不是小事，总得有人管。',
  '我也在网上查了相关的法律规定，按规定这种情况是不允许的，我不明白为什么一直没人处理，是不是因为我们是普通老百姓就没人重视？',
  '周边很多人都在议论这件事，大家都很气愤，只是没人愿意出头，我就替大家来反映一下，希望不要让老实人寒心。',
  '说句心里话，我们老百姓找政府反映问题也是没办法的办法，但凡能自己解决也不会来麻烦大家。之前也试过和对方好好商量，可对方根本不当回事。',
  '家里{elder}年纪大了，身体一直不好，为这件事着急上火，前几天还去医院挂了水，我作为子女真的很揪心。',
  '我把情况从头到尾写清楚，一是希望相关部门能尽快核实，二是希望以后类似的事情能有个长效的办法，不要每次都靠老百姓一遍遍地打电话。',
];
const GENERIC_ASKS = ['希望尽快处理。', '麻烦相关部门管一管。', '请尽快给个答复。', '希望有关部门重视一下。', '恳请帮忙解决。', '请帮忙处理，谢谢。'];
const CLOSERS = ['谢谢！', '麻烦了。', '盼回复。', '辛苦了！', '联系电话就是我留的这个。', '谢谢领导！', '急！'];
const EMERGENCY_TAILS = ['我现在就在现场，电话保持畅通。', '现场很乱，周围还有很多小孩。', '求求你们快点来！', '麻烦赶快派人过来。', '位置就在{xq}附近。', '我不敢靠近，只能在远处看着。'];
const DUPLICATE_PREFIXES = ['再次反映：', '之前反映过一次，还没人处理。', '重复反映！', '第二次反映了，', '已经反映过了，再说一遍：', '补充反映：'];

export interface AppealText {
  title: string;
  body: string;
  type: AppealType | null;
  address: string;
  ctx: TextContext;
}

export function groupOf(categoryId: string): string {
  const dot = categoryId.indexOf('.');
  return dot < 0 ? categoryId : categoryId.slice(0, dot);
}

function ensureStop(s: string): string {
  if (s.length === 0) return s;
  const last = s[s.length - 1] as string;
  return '。！？!?…，,'.includes(last) ? s : `${s}。`;
}

function leafOf(categoryId: string): LeafCorpus {
  const leaf = LEAVES[categoryId];
  if (!leaf) throw new Error(`no demo texts for category ${categoryId}`);
  return leaf;
}

function groupCorpus(categoryId: string): GroupCorpus {
  const g = GROUPS[groupOf(categoryId)];
  if (!g) throw new Error(`no demo texts for category group of ${categoryId}`);
  return g;
}

function pickBody(rng: Rng, leaf: LeafCorpus, env: TextEnv): { body: BodyTemplate; index: number } {
  const hasEstate = env.places.some((p) => p.kind === 'residential');
  const hasVillage = env.places.some((p) => p.kind === 'village');
  const fits = leaf.bodies.map((_, i) => i).filter((i) => {
    const b = leaf.bodies[i] as BodyTemplate;
    return (!b.u || hasEstate) && (!b.r || hasVillage);
  });
  const index = fits.length > 0 ? rng.pick(fits) : rng.int(0, leaf.bodies.length - 1);
  return { body: leaf.bodies[index] as BodyTemplate, index };
}

/** Light informality: run-on commas, half-width punctuation, doubled exclamation marks. */
function punctuationStyle(rng: Rng, s: string): string {
  const r = rng.next();
  if (r < 0.55) return s;
  if (r < 0.7) {
    // Run-on: only the final full stop survives.
    const body = s.slice(0, -1).replace(/。/g, '，');
    return body + s.slice(-1);
  }
  if (r < 0.8) return s.replace(/，/g, ',').replace(/！/g, '!').replace(/？/g, '?');
  if (r < 0.9) return s.replace(/[。！]$/, rng.pick(['！！', '!!!', '。。。', '！']));
  return s.replace(/，/g, () => (rng.chance(0.35) ? ' ' : '，'));
}

/** Citizens frame their titles differently: 关于…的问题, 反映…, 求助：… */
function titleStyle(rng: Rng, t: string, type: AppealType | null): string {
  const r = rng.next();
  let out = t;
  if (r < 0.12 && !/^(关于|反映|投诉|举报|建议|咨询)/.test(t)) out = `反映${t}`;
  else if (r < 0.2 && !/(问题|建议)$/.test(t) && !/^(关于|建议|反映|举报|投诉|咨询)/.test(t)) out = `关于${t}的问题`;
  else if (r < 0.26 && type !== 'consult' && type !== 'suggestion' && !/(处理|咨询|建议)/.test(t)) out = `${t}，请求处理`;
  else if (r < 0.3 && type === 'help') out = `求助：${t}`;
  else if (r < 0.34 && type !== 'consult' && type !== 'suggestion') out = `${t}！`;
  else if (r < 0.38 && type !== 'consult' && type !== 'suggestion' && !/^(建议|关于)/.test(t)) out = `${rng.pick(['急', '紧急', '再次反映', '实名反映'])}：${t}`;
  return out.length <= 30 ? out : t;
}

/**
 * Title and body of one appeal. `rng` should be a stream dedicated to the text: replaying it gives
 * the same text (used for duplicates).
 */
export function composeAppeal(
  rng: Rng,
  categoryId: string,
  env: TextEnv,
  opts: { emergency?: boolean; duplicate?: boolean; preset?: Record<string, string> } = {},
): AppealText {
  const ctx = new TextContext(rng, env, opts.preset);
  // A preset place (a hotspot's estate, road …) is the address.
  if (opts.preset) {
    for (const v of Object.values(opts.preset)) {
      const p = env.places.find((pl) => pl.name === v);
      if (p) {
        ctx.primaryPlace = p;
        break;
      }
    }
  }
  const g = groupCorpus(categoryId);
  let title: string;
  let body: string;
  let type: AppealType | null = null;

  if (opts.emergency) {
    const list = EMERGENCIES.filter((e) => e.categoryId === categoryId);
    const e = list.length > 0 ? rng.pick(list) : rng.pick(EMERGENCIES);
    title = ctx.render(e.h);
    body = ctx.render(e.t);
    for (const tail of rng.sample(EMERGENCY_TAILS, EMERGENCY_TAILS.length)) {
      if (body.length >= 60) break;
      body += ctx.render(tail);
    }
    type = 'help';
  } else {
    const leaf = leafOf(categoryId);
    const { body: tpl, index } = pickBody(rng, leaf, env);
    // Remembered so the reply cites actions and basis that fit this body.
    ctx.set('__body', String(index));
    if (tpl.set) for (const [k, v] of Object.entries(tpl.set)) ctx.set(k, v);
    // 宅基地 happens in villages, 物业 in estates: pin {xq} to the right kind of place.
    if (!ctx.has('xq') && (tpl.r || tpl.u)) {
      const p = ctx.place(tpl.r ? ['village'] : ['residential']);
      if (p) ctx.set('xq', p.name);
    }
    type = tpl.type ?? null;
    // Body first: its places become the address, and titles reuse them.
    const core = ensureStop(ctx.render(tpl.t));
    const parts: { text: string; optional: boolean }[] = [];
    if (rng.chance(0.4)) parts.push({ text: ctx.render(rng.pick(OPENERS)), optional: true });
    parts.push({ text: core, optional: false });
    // Some write one line, some tell the whole story.
    const r = rng.next();
    const k = r < 0.35 ? 0 : r < 0.7 ? 1 : r < 0.85 ? 2 : rng.int(3, 4);
    const pool = [...g.extras, ...g.tried, ...DETAILS, ...(rng.chance(0.5) ? EMOTIONS : [])];
    for (const text of rng.sample(pool, k)) parts.push({ text: ctx.render(text), optional: true });
    if (rng.chance(0.14)) for (const text of rng.sample(STORIES, rng.int(1, 2))) parts.push({ text: ctx.render(text), optional: true });
    // No second plea when the story already ends with one.
    if (!/(希望|请|麻烦|恳请)[^。！？]*[。！？]?$/.test(core) && rng.chance(0.85)) {
      parts.push({ text: rng.chance(0.7) ? rng.pick(g.asks) : rng.pick(GENERIC_ASKS), optional: true });
    }
    if (rng.chance(0.35)) parts.push({ text: rng.pick(groupOf(categoryId) === 'suggestion' ? CLOSERS.filter((c) => c !== '急！') : CLOSERS), optional: true });
    body = parts.map((p) => p.text).join('');
    // Keep within 60–400 characters: drop optional parts from the end, or add some.
    while (body.length > 400) {
      const i = parts.map((p) => p.optional).lastIndexOf(true);
      if (i < 0) {
        body = `${body.slice(0, 399)}…`;
        break;
      }
      parts.splice(i, 1);
      body = parts.map((p) => p.text).join('');
    }
    const fillers = [...g.extras, ...g.tried, ...EMOTIONS, ...g.asks];
    while (body.length < 60) {
      parts.push({ text: rng.pick(fillers), optional: true });
      body = parts.map((p) => p.text).join('');
    }

    const candidates = rng.chance(0.82) ? tpl.h : leaf.h;
    title = ctx.render(rng.pick(candidates));
    if (title.length > 30) title = ctx.render(rng.pick(tpl.h));
    if (title.length > 30) title = ctx.render(rng.pick(leaf.h));
    if (title.length > 30) title = title.slice(0, 30);
    title = titleStyle(rng, title, type ?? null);
  }

  body = punctuationStyle(rng, body);
  if (opts.duplicate) {
    body = rng.pick(DUPLICATE_PREFIXES) + body;
    if (body.length > 400) body = `${body.slice(0, 399)}…`;
  }

  const place = ctx.primaryPlace;
  let address: string;
  if (place && (place.kind === 'residential' || place.kind === 'village')) {
    address = `${env.district.name}${env.street.name}${place.name}${ctx.has('bld') ? ctx.get('bld') : ''}`;
  } else if (place && place.kind === 'road') {
    address = `${env.district.name}${env.street.name}${place.name}${rng.int(1, 399)}号`;
  } else if (place) {
    address = `${env.district.name}${env.street.name}${place.name}`;
  } else {
    address = `${env.district.name}${env.street.name}`;
  }
  return { title, body, type, address, ctx };
}

// ---------------------------------------------------------------------------------------------
// Staff replies

export type Outcome = 'good' | 'partial' | 'bad';

const REPLY_SALUTES = ['您好！', '尊敬的群众：您好！', '您好，', ''];
const REPLY_RECEIPTS = [
  '您反映的{issueRef}问题已收悉。',
  '关于您反映的{issueRef}一事，现答复如下：',
  '收到您的诉求后，{unitSelf}高度重视，第一时间安排专人办理。',
  '您于{subDate}反映的{issueRef}问题，{unitSelf}已收悉并认真办理。',
  '感谢您的反映。',
];
const REPLY_ROUND2 = ['针对您再次反映的问题，{unitSelf}高度重视，重新组织了核查。', '根据您的评价意见，{unitSelf}对该诉求进行了重新办理。'];
const CONSULT_GOOD = ['以上答复供您参考。', '希望以上答复对您有所帮助。', '如还有疑问，可随时与我们联系。'];
const REPLY_CLOSINGS = ['感谢您对{sys}工作的理解和支持！', '如有疑问，可与承办人联系。', '感谢您的监督。', '如问题再次出现，欢迎您继续反映。', '再次感谢您的反映。'];

export interface ReplyInput {
  categoryId: string;
  unit: DemoUnit;
  at: number;
  round: number;
  outcome: Outcome;
  /** 王先生 / 李女士, or null for anonymous citizens. */
  honorific: string | null;
  /** The appeal's type: consultations are answered, not "solved". */
  type?: AppealType;
}

export function composeReply(ctx: TextContext, input: ReplyInput): string {
  const { rng } = ctx;
  ctx.unit = input.unit;
  ctx.at = input.at;
  const leaf = leafOf(input.categoryId);
  const g = groupCorpus(input.categoryId);
  const issueRef = `${ctx.primaryPlace && rng.chance(0.6) ? ctx.primaryPlace.name : ''}${leaf.issue}`;
  ctx.set('issueRef', issueRef);
  ctx.set('subDate', dateText(ctx.env.createdAt, rng));
  ctx.set('sys', SYS_BY_UNIT[input.unit.type] ?? g.sys);

  // Actions and basis that fit the body the citizen wrote (recorded by index in the context).
  const bodyIdx = Number(ctx.has('__body') ? ctx.get('__body') : -1);
  const tpl = bodyIdx >= 0 ? leaf.bodies[bodyIdx] : undefined;
  const actionIdx = tpl?.a ?? leaf.actions.map((_, i) => i);
  const basisIdx = tpl?.b ?? leaf.basis.map((_, i) => i);

  let s = '';
  const salute = input.honorific && rng.chance(0.35) ? `${input.honorific}，您好！` : rng.pick(REPLY_SALUTES);
  s += salute;
  s += ctx.render(input.round > 1 ? rng.pick(REPLY_ROUND2) : rng.pick(REPLY_RECEIPTS));
  const action = leaf.actions[rng.pick(actionIdx)];
  if (action) s += ctx.render(action);
  if (basisIdx.length > 0 && leaf.basis.length > 0 && rng.chance(0.8)) s += ctx.render(leaf.basis[rng.pick(basisIdx)] as string);
  const results =
    input.outcome === 'good' ? (input.type === 'consult' ? CONSULT_GOOD : g.good) : input.outcome === 'partial' ? g.partial : g.bad;
  const result = ctx.render(rng.pick(results));
  s += result;
  // One thank-you is enough.
  const closings = result.includes('感谢') ? REPLY_CLOSINGS.filter((c) => !c.includes('感谢')) : REPLY_CLOSINGS;
  if (rng.chance(0.8)) s += ctx.render(rng.pick(closings));
  return s;
}

// ---------------------------------------------------------------------------------------------
// The other free texts of an appeal's life

const KIND_ZH: Record<UnitType, string> = {
  committee: '政法委',
  center: '综治中心',
  police_bureau: '公安机关',
  police_station: '公安派出所',
  court: '人民法院',
  tribunal: '人民法庭',
  procuratorate: '人民检察院',
  justice_bureau: '司法局',
  justice_office: '司法所（人民调解）',
  mediation: '专业人民调解委员会',
};

export function returnReason(rng: Rng, categoryId: string, from: DemoUnit, to: DemoUnit): string {
  const issue = leafOf(categoryId).issue;
  const self = KIND_ZH[from.type];
  const right = KIND_ZH[to.type];
  return rng.pick([
    `该诉求反映的是${issue}问题，属于${right}职责范围，不属于${self}管辖，请重新派单至${to.shortName}。`,
    `经核实，诉求内容为${issue}，非本单位职能，建议改派${to.shortName}办理。`,
    `诉求人反映的问题需由${right}依法处理，本单位无处理权限，申请退回。`,
    `该事项不属于本单位职责，已电话告知诉求人，请改派至${to.shortName}。`,
    `派单有误：${issue}应由${right}受理，退回重新派单。`,
    `经与诉求人沟通，其诉求为${issue}，建议由${to.shortName}承办。`,
  ]);
}

export function transferReason(rng: Rng, placeName: string | null, toStreet: DemoRegion, to: DemoUnit): string {
  const where = placeName ?? '诉求地址';
  return rng.pick([
    `经核实，诉求人所述地点${where}位于${toStreet.name}辖区，转${to.shortName}办理。`,
    `${where}属${toStreet.name}，非本单位辖区，已与${to.shortName}沟通确认，转办。`,
    `该地点由${to.shortName}管辖，现转办，请及时联系诉求人。`,
    `属地调整：${where}归${to.shortName}管辖，转交办理。`,
  ]);
}

const EXTENSION_REASONS: Record<string, string[]> = {
  order: ['需调取周边监控并走访相关人员，现有期限内无法完成调查。', '涉事人员外出暂未找到，需进一步开展工作。', '需会同市场监管、城管等部门联合整治。'],
  fraud: ['需向银行、支付机构调取交易流水，反馈周期较长。', '涉案账户涉及外地，需协查。'],
  dispute: ['双方分歧较大，需多次组织调解。', '当事人一方在外务工，需待其返乡后组织调解。', '需等待相关鉴定或评估结果。', '涉及多方主体，需协调村（居）委会、物业共同参与。'],
  litigation: ['需协调承办庭室及鉴定机构核实进度。', '涉及执行财产查控，需等待有关部门反馈。'],
  procuratorate: ['线索需进一步调查核实，并与行政机关沟通。', '需调阅相关案卷材料。'],
  conduct: ['需调取执法记录、询问相关人员，核查工作量较大。', '涉及多个单位，需联合核查。'],
  legal: ['需补充材料并提交审批。', '需协调公证处、律师事务所核实情况。'],
  safety: ['需协调多个职能部门联合检查。', '整改需要一定周期，需跟踪整改落实情况。'],
  suggestion: ['需征求相关职能部门意见并进行可行性论证。'],
};
const EXTENSION_GENERIC = ['节假日期间相关人员无法联系，申请延期。', '诉求人要求待其返回本地后再当面处理。'];

export function extensionReason(rng: Rng, categoryId: string): string {
  const list = EXTENSION_REASONS[groupOf(categoryId)] ?? [];
  return rng.chance(0.85) && list.length > 0 ? rng.pick(list) : rng.pick(EXTENSION_GENERIC);
}

export function extensionDecisionNote(rng: Rng, approved: boolean): string | null {
  if (rng.chance(0.3)) return null;
  return approved
    ? rng.pick(['同意延期，请在延期期限内办结。', '情况属实，同意。', '同意，请加强与诉求人沟通。'])
    : rng.pick(['延期理由不充分，请按原期限办结。', '不同意延期，该事项应尽快办结。', '不予批准，请加快办理。']);
}

export function superviseNote(rng: Rng, kind: 'automatic-response' | 'automatic-handle' | 'leader' | 'dispatcher', unit: DemoUnit | null): string {
  const name = unit?.shortName ?? '承办单位';
  switch (kind) {
    case 'automatic-response':
      return `该诉求已超过响应时限，系统自动督办，请${name}立即联系诉求人。`;
    case 'automatic-handle':
      return `该诉求已超过办理时限，系统自动督办，请${name}尽快办结并反馈。`;
    case 'leader':
      return rng.pick([
        '请高度重视，主要负责同志亲自过问，确保按时办结并做好群众解释工作。',
        `此件群众反映强烈，请${name}限期办结，办理结果报我委。`,
        '请加快办理进度，杜绝推诿扯皮。',
        '该类问题近期反映较多，请举一反三，从源头上解决。',
      ]);
    case 'dispatcher':
      return rng.pick([`请${name}加快办理，按时答复群众。`, '群众多次来电催问，请尽快办理。', `请${name}于今日内联系诉求人。`]);
  }
}

export function redirectGuidance(rng: Rng, channel: RedirectChannel, categoryId: string, env: { district: DemoRegion }): string {
  const issue = leafOf(categoryId).issue;
  switch (channel) {
    case 'police110':
      return '您反映的情况属于正在发生的紧急警情，已即时转110指挥中心处置，请保持电话畅通，注意自身安全。';
    case 'litigation':
      return rng.pick([
        `您反映的${issue}属于民事纠纷，经调解未能解决的，建议您收集借条、转账记录、票据等证据，依法向${env.district.name}人民法院提起诉讼，也可申请诉前调解。`,
        `该事项需通过诉讼途径解决。您可向有管辖权的人民法院起诉，符合条件的可申请法律援助，咨询可拨打12348。`,
      ]);
    case 'arbitration':
      return `劳动争议依法实行仲裁前置，请您向${env.district.name}劳动人事争议仲裁委员会申请仲裁，仲裁时效为一年（《中华人民共和国劳动争议调解仲裁法》第二十七条）。符合条件的可申请法律援助。`;
    case 'petition':
      return rng.pick([
        '您反映的事项属于信访事项，请依照《信访工作条例》向依法有权处理的机关提出，相关机关将依法受理并按期答复。',
        '该事项已进入信访程序办理，请依照《信访工作条例》通过信访渠道反映，我们已告知受理机关及联系方式。',
      ]);
    case 'reconsideration':
      return '您对行政机关作出的行政行为不服，可以依照《中华人民共和国行政复议法》，自知道或者应当知道该行为之日起六十日内申请行政复议，也可以依法提起行政诉讼。';
  }
}

export function unreasonableReason(rng: Rng): string {
  return rng.pick([
    '诉求人要求强制对方赔偿其精神损失二十万元，超出法定职权和合理范围。',
    '诉求人就同一事项已多次反映，均已依法答复，本次未提出新的事实和理由。',
    '诉求人要求撤销已生效的法院判决，不属于本单位处理范围，且已告知法定途径。',
    '经核实，诉求人反映的情况与事实严重不符，且拒绝配合核查。',
    '诉求人要求为其违法建筑办理合法手续，于法无据。',
    '诉求人要求对方无条件道歉并公开登报，超出合理诉求范围，已做好解释工作。',
  ]);
}

export function unreasonableDecisionNote(rng: Rng, approved: boolean): string | null {
  if (rng.chance(0.25)) return null;
  return approved
    ? rng.pick(['经审核，同意认定为不合理诉求。', '情况属实，同意认定。', '同意，请做好诉求人的解释疏导工作。'])
    : rng.pick(['认定理由不充分，请继续办理并做好解释工作。', '不同意，该诉求有合理成分，请依法办理。']);
}

export function contactNote(rng: Rng, method: 'phone' | 'visit' | 'sms' | 'other'): string | null {
  if (rng.chance(0.2)) return null;
  switch (method) {
    case 'phone':
      return rng.pick(['电话联系诉求人，详细了解情况。', '已与诉求人电话沟通，约定上门时间。', '电话联系诉求人，告知已受理及办理流程。']);
    case 'visit':
      return rng.pick(['上门走访诉求人，现场查看情况。', '到现场与诉求人见面，了解具体诉求。']);
    case 'sms':
      return '短信告知诉求人已受理，并发送承办人联系方式。';
    case 'other':
      return '通过微信与诉求人沟通，收到相关照片材料。';
  }
}

export function dispatchNote(rng: Rng, type: AppealType): string | null {
  if (rng.chance(0.82)) return null;
  if (type === 'report' && rng.chance(0.5)) return '请注意保护举报人信息。';
  return rng.pick(['请按时办结并答复群众。', '请尽快联系诉求人。', '请属地单位核实处理。', '群众反映较急，请优先办理。']);
}

export function closeReason(rng: Rng): string {
  return rng.pick([
    '回访三次未接通，按规定办结。',
    '群众未在规定期限内评价，回访未接通，予以办结。',
    '回访时群众表示不愿评价，予以办结。',
    '已答复群众，回访电话停机，按程序办结。',
  ]);
}

export function reopenReason(rng: Rng): string {
  return rng.pick([
    '群众评价不满意，反映问题未解决，按规定重办。',
    '回访中群众表示问题依旧存在，退回承办单位重新办理。',
    '经核查，原答复未解决群众实际问题，启动重办。',
    '群众对办理结果不认可，且问题确未解决，责令重办。',
  ]);
}

export function mergeNote(rng: Rng): string | null {
  return rng.chance(0.3) ? null : rng.pick(['与此前受理的同一事项诉求合并办理。', '重复诉求，合并至原件办理。', '同一诉求人就同一事项重复反映，合并办理。']);
}

export function ratingAppealReason(rng: Rng): string {
  return rng.pick([
    '诉求人要求超出法律规定，本单位已依法答复并做好解释，不满意评价系对法律规定不理解，申请复核。',
    '诉求人因与本诉求无关的其他事由给出不满意评价，申请复核。',
    '经核实，诉求人评价内容与办理事实明显不符，有通话录音为证，申请复核。',
    '诉求人明确表示问题已解决，但仍给予不满意评价，申请复核。',
  ]);
}

export function ratingAppealDecisionNote(rng: Rng, upheld: boolean): string | null {
  if (rng.chance(0.2)) return null;
  return upheld ? rng.pick(['经复核，申诉理由成立，该评价不纳入考核。', '申诉成立，予以剔除。']) : rng.pick(['经复核，申诉理由不成立，维持原评价。', '证据不足，维持原评价。']);
}

const COMMENTS: Record<RatingLevel, string[]> = {
  5: ['非常满意，{unitShort}的同志很负责！', '处理得很及时，点赞！', '第二天就有人上门了，效率很高，谢谢！', '很耐心，问题解决了，感谢！', '没想到这么快就有回复，给你们点个赞。', '谢谢，问题已经解决了。', '态度很好，解释得很清楚。', '👍', '满意', '非常感谢，帮了大忙了。', '为{unitShort}点赞！'],
  4: ['问题基本解决了，谢谢。', '还可以，就是时间有点长。', '处理结果满意，希望以后多来巡查。', '挺好的，就是第一次打电话没人接。', '满意，继续保持。', '总体满意。'],
  3: ['解决了一部分，希望能跟进。', '态度还行，但问题没有根本解决。', '一般吧，拖了好几天才联系我。', '答复说的都是套话。', '暂时好一点了，不知道能维持多久。'],
  2: ['打了个电话就没下文了。', '问题根本没解决，就让我们自己协商。', '拖了这么久，结果还是老样子。', '答复和我反映的问题不是一回事。', '来了说了两句就走了，晚上照样吵。', '不满意，推来推去。'],
  1: ['完全是敷衍，问题一点没解决！', '根本没人联系过我，直接就说办结了？', '太失望了，以后再也不反映了。', '根本不管老百姓死活。', '说是调解，其实就是和稀泥。', '答复全是套话，没有任何实际行动。', '非常不满意！'],
};
const CALLBACK_COMMENTS: Record<RatingLevel, string[]> = {
  5: ['回访：群众表示问题已解决，对处理结果非常满意。', '回访：群众对承办人员的工作表示感谢。'],
  4: ['回访：群众表示问题基本解决，表示满意。', '回访：群众认可处理结果，希望加强后续巡查。'],
  3: ['回访：群众表示问题部分解决，基本满意。', '回访：群众认为办理时间偏长。'],
  2: ['回访：群众表示问题仍未解决，不满意。', '回访：群众对答复不认可，认为未解决实际问题。'],
  1: ['回访：群众情绪激动，表示非常不满意，问题未解决。', '回访：群众反映承办单位未与其联系。'],
};

export function ratingComment(ctx: TextContext, level: RatingLevel, channel: 'web' | 'callback', unit: DemoUnit): string | null {
  const { rng } = ctx;
  ctx.unit = unit;
  if (channel === 'callback') return rng.chance(0.2) ? null : rng.pick(CALLBACK_COMMENTS[level]);
  if (rng.chance(level >= 4 ? 0.5 : 0.3)) return null;
  return ctx.render(rng.pick(COMMENTS[level]));
}

export function solvedLabel(s: Solved): string {
  return s === 'yes' ? '已解决' : s === 'partly' ? '部分解决' : '未解决';
}

/** Every template of the corpus, for tests that check all slots resolve. */
export function allTemplates(): string[] {
  const out: string[] = [];
  for (const leaf of Object.values(LEAVES)) {
    out.push(...leaf.h, ...leaf.actions, ...leaf.basis);
    for (const b of leaf.bodies) out.push(b.t, ...b.h);
  }
  for (const g of Object.values(GROUPS)) out.push(...g.asks, ...g.tried, ...g.extras, ...g.good, ...g.partial, ...g.bad);
  for (const e of EMERGENCIES) out.push(e.h, e.t);
  out.push(...EMERGENCY_TAILS);
  out.push(...OPENERS, ...DETAILS, ...CONSULT_GOOD, ...STORIES, ...REPLY_RECEIPTS, ...REPLY_ROUND2, ...REPLY_CLOSINGS);
  for (const list of Object.values(COMMENTS)) out.push(...list);
  return out;
}

export function hasSlot(name: string): boolean {
  return name in FILLERS || ['issueRef', 'subDate', 'sys', 'fraudType', 'fakeOrg'].includes(name);
}

