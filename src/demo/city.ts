// The demo city: a fictional prefecture-level city, 江州市, with its districts, streets, places and
// the political-legal units that serve them. Everything follows from the seed; the names are
// invented but shaped like real ones (GB/T 2260 district codes, GB/T 10114 township codes).
import { Rng } from './random.ts';

export type UnitType =
  | 'committee' // 政法委
  | 'center' // 综治中心
  | 'police_bureau' // 公安局 / 公安分局
  | 'police_station' // 派出所
  | 'court' // 人民法院
  | 'tribunal' // 人民法庭
  | 'procuratorate' // 人民检察院
  | 'justice_bureau' // 司法局
  | 'justice_office' // 司法所
  | 'mediation'; // 人民调解委员会

export type UnitLevel = 'province' | 'city' | 'county' | 'township';

export interface DemoUnit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string;
  type: UnitType;
  level: UnitLevel;
  /** GB/T 2260 code (6 digits), or 9 digits for a township-level unit. */
  regionCode: string;
  /** Residents of the unit's jurisdiction. */
  population: number;
  /** `${type}:${level}` — rankings compare peers only. */
  peerGroup: string;
}

export type RegionLevel = 'city' | 'county' | 'township';
export type RegionKind = 'city' | 'district' | 'county' | 'county_city' | 'subdistrict' | 'town' | 'township';

export interface DemoRegion {
  code: string;
  name: string;
  /** Names people use without the suffix: 清江区 → 清江. */
  shortNames: string[];
  /** Colloquial or former names: 老城区, 清江街办, 云岭县 … */
  aliases: string[];
  parentCode: string | null;
  level: RegionLevel;
  kind: RegionKind;
  population: number;
}

export type PlaceKind = 'residential' | 'village' | 'market' | 'school' | 'road' | 'commercial';

export interface DemoPlace {
  name: string;
  kind: PlaceKind;
  /** The street (township-level region) the place lies in. */
  regionCode: string;
}

export interface DemoCity {
  seed: number;
  name: string;
  shortName: string;
  regionCode: string;
  population: number;
  units: DemoUnit[];
  regions: DemoRegion[];
  places: DemoPlace[];
  /** Street code → the 人民法庭 whose circuit covers it. */
  tribunalOf: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Source lists. Streets are listed in the order they are taken (the seat first), so a seed only
// decides how many a district has, not which names exist.

interface DistrictSpec {
  code: string;
  name: string;
  short: string;
  kind: 'district' | 'county' | 'county_city';
  urban: boolean;
  aliases: string[];
  streets: string[];
  streetRange: [number, number];
}

const CITY_CODE = '361200';
const CITY_NAME = '江州市';

const DISTRICTS: DistrictSpec[] = [
  {
    code: '361202',
    name: '清江区',
    short: '清江',
    kind: 'district',
    urban: true,
    aliases: ['老城区', '江州老城'],
    streets: ['府前街道', '中山街道', '滨江街道', '解放街道', '文昌街道', '南门街道', '北门街道', '青云街道', '大桥街道', '白沙街道'],
    streetRange: [7, 10],
  },
  {
    code: '361203',
    name: '湖滨区',
    short: '湖滨',
    kind: 'district',
    urban: true,
    aliases: ['湖滨片区', '南湖片区'],
    streets: ['望湖街道', '南湖街道', '湖东街道', '枫林街道', '建设街道', '新华街道', '长青街道', '荷塘街道', '湖山镇', '莲塘镇'],
    streetRange: [6, 10],
  },
  {
    code: '361204',
    name: '江北区',
    short: '江北',
    kind: 'district',
    urban: true,
    aliases: ['江北新区', '江北新城'],
    streets: ['江北街道', '新城街道', '高新街道', '港口街道', '双港街道', '沿江街道', '樟树镇', '罗家镇', '渡口镇'],
    streetRange: [6, 9],
  },
  {
    code: '361221',
    name: '临川县',
    short: '临川',
    kind: 'county',
    urban: false,
    aliases: [],
    streets: ['城关镇', '石桥镇', '梅岭镇', '柳溪镇', '白马镇', '龙口镇', '三江镇', '高坪镇', '黄坪乡', '杨柳乡'],
    streetRange: [6, 10],
  },
  {
    code: '361222',
    name: '青溪县',
    short: '青溪',
    kind: 'county',
    urban: false,
    aliases: [],
    streets: ['青溪镇', '双溪镇', '桃花镇', '新田镇', '花园镇', '高桥镇', '青石镇', '茶园乡', '溪口乡'],
    streetRange: [5, 9],
  },
  {
    code: '361281',
    name: '云岭市',
    short: '云岭',
    kind: 'county_city',
    urban: false,
    aliases: ['云岭县'],
    streets: ['云山街道', '岭南街道', '城北街道', '东城街道', '松湖镇', '龙泉镇', '太平镇', '官庄镇', '古城镇', '枫树乡'],
    streetRange: [6, 10],
  },
  {
    code: '361223',
    name: '石门县',
    short: '石门',
    kind: 'county',
    urban: false,
    aliases: [],
    streets: ['城关镇', '官桥镇', '石鼓镇', '清水镇', '长岗镇', '大塘镇', '水口乡', '上坪乡', '金竹乡'],
    streetRange: [5, 9],
  },
  {
    code: '361224',
    name: '宁川县',
    short: '宁川',
    kind: 'county',
    urban: false,
    aliases: [],
    streets: ['宁川镇', '河口镇', '塘湾镇', '平安镇', '石塘镇', '永兴镇', '观音乡', '白云乡'],
    streetRange: [5, 8],
  },
];

const ESTATE_HEADS = [
  '锦绣', '阳光', '金色', '翠湖', '江景', '御景', '香樟', '紫荆', '丽都', '盛世', '君悦', '东方', '幸福', '和平', '康乐', '书香',
  '绿洲', '万象', '星河', '枫丹', '天鹅', '明珠', '金域', '世纪', '恒安', '怡景', '晨曦', '凤凰', '银杏', '桂花', '玉兰', '碧水',
  '云台', '春江', '海棠', '山水', '清华', '博雅', '福星', '富康', '鸿福', '泰和', '嘉禾', '长江', '滨湖', '湖畔', '锦华', '新月',
];
const ESTATE_TAILS = ['花园', '小区', '家园', '苑', '名城', '公馆', '新村', '华庭', '雅苑', '新城', '佳园', '嘉苑', '一号', '府', '国际', '丽景'];
const WORK_ESTATES = ['纺织厂宿舍', '供电局宿舍', '粮食局宿舍', '机械厂生活区', '化肥厂宿舍', '教师新村', '电厂生活区', '水泥厂宿舍', '铁路新村', '邮电宿舍'];
const VILLAGE_HEADS = [
  '石桥', '下湾', '上屋', '杨梅', '高岭', '洪塘', '新塘', '枫树湾', '竹林', '岭背', '河西', '沙坪', '黄泥', '大坪', '长坑', '田心',
  '塘背', '樟树下', '桥头', '茶亭', '湾里', '坳上', '双塘', '罗坊', '东坑', '西山', '南岭', '北源', '柏树', '杉木', '荷花', '龙湾',
];
const SURNAME_VILLAGE = ['李家', '王家', '陈家', '刘家', '张家', '周家', '胡家', '黄家', '邓家', '吴家', '徐家', '付家'];
const SURNAME_VILLAGE_TAIL = ['湾', '坊', '庄', '垅', '岭', '冲', '山', '埠'];
const ROAD_HEADS = [
  '人民', '解放', '建设', '中山', '胜利', '文化', '迎宾', '沿江', '朝阳', '光明', '新华', '五一', '八一', '青年', '学府', '长安',
  '东风', '红旗', '工业', '站前', '环城', '望湖', '金沙', '广场', '南昌', '井冈', '庐山', '体育', '民主', '永安', '太平', '紫阳',
  '北京', '上海', '育才', '惠民', '兴业', '创新', '科技', '丰收', '长征', '复兴', '莲花', '银湖', '玉带', '翠微', '桃园', '凤鸣',
];
const ROAD_TAILS = ['路', '路', '路', '大道', '街', '东路', '西路', '南路', '北路'];
const PLAZA_HEADS = ['万达', '国贸', '财富', '时代', '星光', '天虹', '百盛', '银座', '华联', '金街'];

// ---------------------------------------------------------------------------------------------

function unit(
  id: string,
  parentId: string | null,
  name: string,
  shortName: string,
  type: UnitType,
  level: UnitLevel,
  regionCode: string,
  population: number,
): DemoUnit {
  return { id, parentId, name, shortName, type, level, regionCode, population, peerGroup: `${type}:${level}` };
}

function streetShort(name: string): string {
  return name.replace(/(街道|镇|乡)$/, '');
}

function streetKind(name: string): RegionKind {
  if (name.endsWith('街道')) return 'subdistrict';
  if (name.endsWith('镇')) return 'town';
  return 'township';
}

/** Rounds a population to a believable figure (hundreds). */
function roundPop(n: number): number {
  return Math.round(n / 100) * 100;
}

export function generateCity(seed: number): DemoCity {
  const root = new Rng(`city:${seed}`);
  const rngCount = root.fork('district-count');
  const districtCount = rngCount.int(6, 8);
  const specs = DISTRICTS.slice(0, districtCount);

  const regions: DemoRegion[] = [];
  const units: DemoUnit[] = [];
  const places: DemoPlace[] = [];
  const tribunalOf: Record<string, string> = {};
  const usedPlaceNames = new Set<string>();

  const cityRegion: DemoRegion = {
    code: CITY_CODE,
    name: CITY_NAME,
    shortNames: ['江州'],
    aliases: ['江城'],
    parentCode: null,
    level: 'city',
    kind: 'city',
    population: 0,
  };
  regions.push(cityRegion);

  // City-level units; populations are filled in once the districts are known.
  const cityCommittee = unit(`u-${CITY_CODE}-zfw`, null, '中共江州市委政法委员会', '市委政法委', 'committee', 'city', CITY_CODE, 0);
  const cityUnits = [
    cityCommittee,
    unit(`u-${CITY_CODE}-zzzx`, cityCommittee.id, '江州市社会治安综合治理中心', '市综治中心', 'center', 'city', CITY_CODE, 0),
    unit(`u-${CITY_CODE}-ga`, cityCommittee.id, '江州市公安局', '市公安局', 'police_bureau', 'city', CITY_CODE, 0),
    unit(`u-${CITY_CODE}-fy`, cityCommittee.id, '江州市中级人民法院', '市中院', 'court', 'city', CITY_CODE, 0),
    unit(`u-${CITY_CODE}-jcy`, cityCommittee.id, '江州市人民检察院', '市检察院', 'procuratorate', 'city', CITY_CODE, 0),
    unit(`u-${CITY_CODE}-sfj`, cityCommittee.id, '江州市司法局', '市司法局', 'justice_bureau', 'city', CITY_CODE, 0),
  ];
  // Medical disputes go to a city-wide specialised mediation committee, as in most cities.
  const medical = unit(`u-${CITY_CODE}-ytw`, `u-${CITY_CODE}-sfj`, '江州市医疗纠纷人民调解委员会', '市医调委', 'mediation', 'city', CITY_CODE, 0);
  units.push(...cityUnits, medical);

  for (const spec of specs) {
    const rng = root.fork(`district:${spec.code}`);
    const streetCount = Math.min(spec.streets.length, rng.int(spec.streetRange[0], spec.streetRange[1]));
    const streetNames = spec.streets.slice(0, streetCount);

    // GB/T 10114: 街道 001–099, 镇 100–199, 乡 200–399, numbered in listing order.
    let nSub = 0;
    let nTown = 0;
    let nTownship = 0;
    const streets: DemoRegion[] = [];
    for (let i = 0; i < streetNames.length; i++) {
      const name = streetNames[i] as string;
      const kind = streetKind(name);
      const seq = kind === 'subdistrict' ? ++nSub : kind === 'town' ? 100 + ++nTown : 200 + ++nTownship;
      const code = `${spec.code}${String(seq).padStart(3, '0')}`;
      const short = streetShort(name);
      let pop: number;
      if (i === 0 && !spec.urban) pop = rng.int(85_000, 150_000); // the county seat
      else if (kind === 'subdistrict') pop = spec.urban ? rng.int(38_000, 110_000) : rng.int(30_000, 70_000);
      else if (kind === 'town') pop = spec.urban ? rng.int(25_000, 60_000) : rng.int(18_000, 55_000);
      else pop = rng.int(6_000, 18_000);
      const aliases: string[] = [];
      if (kind === 'subdistrict') aliases.push(`${short}街办`);
      if (i === 0 && !spec.urban && kind === 'town') aliases.push(`${spec.short}县城`);
      streets.push({
        code,
        name,
        shortNames: [short],
        aliases,
        parentCode: spec.code,
        level: 'township',
        kind,
        population: roundPop(pop),
      });
    }
    const districtPop = streets.reduce((s, r) => s + r.population, 0);
    regions.push({
      code: spec.code,
      name: spec.name,
      shortNames: [spec.short],
      aliases: [...spec.aliases],
      parentCode: CITY_CODE,
      level: 'county',
      kind: spec.kind,
      population: districtPop,
    });
    regions.push(...streets);

    // Units of the district. 区 units carry the city's name; 县 and 县级市 units stand alone.
    const isDistrict = spec.kind === 'district';
    const prefix = isDistrict ? `江州市${spec.name}` : spec.name;
    const c = spec.code;
    const committee = unit(
      `u-${c}-zfw`,
      cityCommittee.id,
      isDistrict ? `中共江州市${spec.name}委政法委员会` : `中共${spec.name}委政法委员会`,
      `${spec.name}委政法委`,
      'committee',
      'county',
      c,
      districtPop,
    );
    const center = unit(`u-${c}-zzzx`, committee.id, `${prefix}社会治安综合治理中心`, `${spec.name}综治中心`, 'center', 'county', c, districtPop);
    const policeName = isDistrict ? `江州市公安局${spec.short}分局` : `${spec.name}公安局`;
    const police = unit(`u-${c}-ga`, committee.id, policeName, isDistrict ? `${spec.short}分局` : `${spec.name}公安局`, 'police_bureau', 'county', c, districtPop);
    const courtName = `${prefix}人民法院`;
    const court = unit(`u-${c}-fy`, committee.id, courtName, `${spec.name}法院`, 'court', 'county', c, districtPop);
    const proc = unit(`u-${c}-jcy`, committee.id, `${prefix}人民检察院`, `${spec.name}检察院`, 'procuratorate', 'county', c, districtPop);
    const justiceName = `${prefix}司法局`;
    const justice = unit(`u-${c}-sfj`, committee.id, justiceName, `${spec.name}司法局`, 'justice_bureau', 'county', c, districtPop);
    units.push(committee, center, police, court, proc, justice);

    for (const s of streets) {
      const short = s.shortNames[0] as string;
      units.push(
        unit(`u-${s.code}-pcs`, police.id, `${policeName}${short}派出所`, `${short}派出所`, 'police_station', 'township', s.code, s.population),
        unit(`u-${s.code}-sfs`, justice.id, `${justiceName}${short}司法所`, `${short}司法所`, 'justice_office', 'township', s.code, s.population),
      );
    }

    // 2–3 tribunals, each covering a contiguous run of streets and seated in one of them.
    const tribunalCount = Math.min(streets.length, rng.int(2, 3));
    const cuts = [0];
    for (let k = 1; k < tribunalCount; k++) cuts.push(Math.round((k * streets.length) / tribunalCount));
    cuts.push(streets.length);
    for (let k = 0; k < tribunalCount; k++) {
      const covered = streets.slice(cuts[k], cuts[k + 1]);
      const seat = k === 0 ? (covered[0] as DemoRegion) : rng.pick(covered);
      const seatShort = seat.shortNames[0] as string;
      const pop = covered.reduce((sum, r) => sum + r.population, 0);
      const t = unit(`u-${c}-ft${k + 1}`, court.id, `${courtName}${seatShort}人民法庭`, `${seatShort}法庭`, 'tribunal', 'township', seat.code, pop);
      units.push(t);
      for (const r of covered) tribunalOf[r.code] = t.id;
    }

    for (const s of streets) places.push(...streetPlaces(rng.fork(`places:${s.code}`), s, spec, usedPlaceNames));
  }

  const cityPop = regions.filter((r) => r.level === 'county').reduce((sum, r) => sum + r.population, 0);
  cityRegion.population = cityPop;
  for (const u of units) if (u.level === 'city') u.population = cityPop;

  return { seed, name: CITY_NAME, shortName: '江州', regionCode: CITY_CODE, population: cityPop, units, regions, places, tribunalOf };
}

function uniqueName(used: Set<string>, make: () => string): string {
  for (let i = 0; i < 40; i++) {
    const n = make();
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
  // Exhausted the pool: a phased estate (二期 …) or a village's upper/lower part (上村 …).
  const numerals = ['二', '三', '四', '五', '六', '七', '八', '九'];
  const parts = ['新', '上', '下', '东', '西', '前', '后', '中'];
  for (let k = 0; ; k++) {
    const base = make();
    const n = base.endsWith('村') ? `${base.slice(0, -1)}${parts[k % parts.length]}${k >= parts.length ? k : ''}村` : `${base}${numerals[k] ?? String(k + 2)}期`;
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
}

function streetPlaces(rng: Rng, street: DemoRegion, spec: DistrictSpec, used: Set<string>): DemoPlace[] {
  const code = street.code;
  const short = street.shortNames[0] as string;
  const rural = street.kind === 'township' || (street.kind === 'town' && !spec.urban);
  const out: DemoPlace[] = [];
  const add = (kind: PlaceKind, make: () => string): void => {
    out.push({ name: uniqueName(used, make), kind, regionCode: code });
  };
  const estate = (): string =>
    rng.chance(0.12) ? rng.pick(WORK_ESTATES) : `${rng.pick(ESTATE_HEADS)}${rng.pick(ESTATE_TAILS)}`;
  const village = (): string =>
    rng.chance(0.3) ? `${rng.pick(SURNAME_VILLAGE)}${rng.pick(SURNAME_VILLAGE_TAIL)}村` : `${rng.pick(VILLAGE_HEADS)}村`;
  const road = (): string => `${rng.pick(ROAD_HEADS)}${rng.pick(ROAD_TAILS)}`;

  if (rural) {
    const villages = rng.int(2, 4);
    for (let i = 0; i < villages; i++) add('village', village);
    const estates = street.kind === 'town' ? rng.int(1, 2) : 0;
    for (let i = 0; i < estates; i++) add('residential', estate);
    add('market', () => rng.pick([`${short}集贸市场`, `${short}农贸市场`, `${short}圩场`]));
    add('school', () => rng.pick([`${short}中心小学`, `${short}中学`, `${street.name}中心幼儿园`]));
    add('road', () => rng.pick([`${short}大道`, `${short}街`, `${short}老街`, road()]));
  } else {
    const estates = rng.int(3, 5);
    for (let i = 0; i < estates; i++) add('residential', estate);
    add('market', () => rng.pick([`${short}农贸市场`, `${short}菜市场`, `${rng.pick(ROAD_HEADS)}路菜市场`, `${rng.pick(ROAD_HEADS)}农贸市场`]));
    add('school', () =>
      rng.pick([`${short}小学`, `江州市第${rng.pick(['二', '三', '五', '六', '八', '九', '十', '十一', '十二', '十四'])}中学`, `${rng.pick(ROAD_HEADS)}路小学`, `${short}实验学校`]),
    );
    if (rng.chance(0.6)) add('school', () => `${rng.pick(ESTATE_HEADS)}幼儿园`);
    const roads = rng.int(2, 3);
    for (let i = 0; i < roads; i++) add('road', road);
    if (rng.chance(0.55)) add('commercial', () => rng.pick([`${rng.pick(PLAZA_HEADS)}广场`, `${short}商业街`, `${short}步行街`, `${rng.pick(ROAD_HEADS)}夜市`]));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Look-ups used by the catalogue and the appeal generator.

export interface CityIndex {
  unitById: Map<string, DemoUnit>;
  regionByCode: Map<string, DemoRegion>;
  /** Street regions (level 'township'), in listing order. */
  streets: DemoRegion[];
  districts: DemoRegion[];
  placesByStreet: Map<string, DemoPlace[]>;
  /** `${type}@${regionCode}` → unit. */
  unitAt: Map<string, DemoUnit>;
}

export function indexCity(city: DemoCity): CityIndex {
  const unitById = new Map(city.units.map((u) => [u.id, u]));
  const regionByCode = new Map(city.regions.map((r) => [r.code, r]));
  const placesByStreet = new Map<string, DemoPlace[]>();
  for (const p of city.places) {
    let list = placesByStreet.get(p.regionCode);
    if (!list) placesByStreet.set(p.regionCode, (list = []));
    list.push(p);
  }
  const unitAt = new Map<string, DemoUnit>();
  for (const u of city.units) {
    const key = `${u.type}@${u.regionCode}`;
    if (!unitAt.has(key)) unitAt.set(key, u);
  }
  return {
    unitById,
    regionByCode,
    streets: city.regions.filter((r) => r.level === 'township'),
    districts: city.regions.filter((r) => r.level === 'county'),
    placesByStreet,
    unitAt,
  };
}
