// The demo category tree (DESIGN.md appendix), the dispatch catalogue (派单目录: category × region →
// unit) and hand-written seed sentences for the classifier's cold start.
import type { AppealType, Urgency } from '../domain/appeal/types.ts';
import type { DemoCity, UnitType } from './city.ts';
import { indexCity } from './city.ts';

export interface DemoCategory {
  /** Stable slug: 'order' for a group, 'order.noise' for a leaf. */
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
  /** The type of unit that normally handles it; the catalogue resolves the actual unit per region. */
  defaultUnitType: UnitType;
  /** Handling deadline for general urgency, in working days. */
  handleWorkingDays: number;
  urgency: Extract<Urgency, 'general' | 'urgent'>;
  defaultAppealType: AppealType;
  /** Cue words for keyword-based cold-start classification (empty for groups). */
  keywords: string[];
}

export interface DispatchEntry {
  categoryId: string;
  /** A street (9 digits) or a district (6 digits). */
  regionCode: string;
  unitId: string;
}

export interface SeedExample {
  categoryId: string;
  text: string;
}

type Row = [id: string, name: string, nameEn: string, unitType: UnitType, days: number, urgency: 'general' | 'urgent', type: AppealType, keywords: string];

// Groups first, then their leaves. Days follow the appendix; complex disputes get up to 15.
const ROWS: Row[] = [
  ['order', '社会治安', 'Public order', 'police_station', 5, 'general', 'complaint', ''],
  ['order.noise', '噪音扰民', 'Noise nuisance', 'police_station', 5, 'general', 'complaint', '噪音 吵 扰民 装修 广场舞 音响 睡不着 深夜 喇叭'],
  ['order.fight', '打架斗殴', 'Fights and brawls', 'police_station', 5, 'urgent', 'report', '打架 斗殴 殴打 打人 动手 受伤 群殴 酒后'],
  ['order.theft', '盗窃', 'Theft', 'police_station', 5, 'general', 'help', '被偷 盗窃 小偷 电动车 丢了 撬 失窃 监控'],
  ['order.provocation', '寻衅滋事', 'Provocation and harassment', 'police_station', 5, 'general', 'complaint', '寻衅滋事 骚扰 滋事 恐吓 辱骂 威胁 闹事 堵门'],
  ['order.vice', '黄赌毒线索', 'Leads on gambling, drugs and prostitution', 'police_station', 5, 'general', 'report', '赌博 吸毒 卖淫 麻将 赌场 涉黄 毒品 聚赌'],
  ['order.hazard', '治安隐患', 'Public-order hazards', 'police_station', 5, 'general', 'report', '隐患 监控 路灯 可疑 流浪 醉酒 治安 盗抢'],
  ['order.unlicensed', '无证经营扰民', 'Unlicensed businesses causing nuisance', 'police_station', 5, 'general', 'complaint', '无证 经营 烧烤 夜宵 占道 摊点 扰民 油烟'],

  ['fraud', '电信网络诈骗', 'Phone and online fraud', 'police_station', 1, 'urgent', 'help', ''],
  ['fraud.victim', '被骗报案咨询', 'Fraud victims: reporting and advice', 'police_station', 1, 'urgent', 'help', '被骗 诈骗 转账 刷单 投资 返利 报案 追回'],
  ['fraud.suspicious', '可疑电话短信', 'Suspicious calls and messages', 'police_station', 1, 'urgent', 'report', '可疑 短信 链接 陌生电话 验证码 中奖 诈骗电话'],
  ['fraud.impersonation', '冒充客服/公检法', 'Impersonation of customer service or officials', 'police_station', 1, 'urgent', 'report', '冒充 客服 公检法 安全账户 退款 通缉 洗钱 警官'],

  ['dispute', '矛盾纠纷', 'Disputes', 'justice_office', 10, 'general', 'dispute', ''],
  ['dispute.neighbour', '邻里纠纷', 'Disputes between neighbours', 'justice_office', 5, 'general', 'dispute', '邻居 邻里 漏水 占用 楼道 堆放 墙 采光'],
  ['dispute.family', '婚姻家庭纠纷', 'Marriage and family disputes', 'justice_office', 10, 'general', 'dispute', '离婚 赡养 抚养 家暴 老人 儿女 彩礼 分家'],
  ['dispute.property', '物业纠纷', 'Property-management disputes', 'justice_office', 10, 'general', 'dispute', '物业 物业费 业委会 停车费 电梯 维修基金 保安'],
  ['dispute.land', '房屋宅基地纠纷', 'Housing and homestead disputes', 'justice_office', 15, 'general', 'dispute', '宅基地 建房 地界 房屋 产权 滴水 围墙 祖屋'],
  ['dispute.labour', '劳动争议与欠薪', 'Labour disputes and unpaid wages', 'justice_office', 10, 'general', 'dispute', '欠薪 工资 拖欠 包工头 辞退 加班费 社保 农民工'],
  ['dispute.contract', '合同债务纠纷', 'Contract and debt disputes', 'justice_office', 10, 'general', 'dispute', '借钱 欠款 借条 合同 违约 定金 货款 不还'],
  ['dispute.damage', '损害赔偿纠纷', 'Damage compensation disputes', 'justice_office', 10, 'general', 'dispute', '赔偿 咬伤 撞 损坏 医药费 受伤 狗 剐蹭'],
  ['dispute.relocation', '征地拆迁纠纷', 'Land expropriation and demolition disputes', 'justice_office', 15, 'general', 'dispute', '征地 拆迁 补偿 安置 强拆 青苗费 评估'],
  ['dispute.medical', '医疗纠纷', 'Medical disputes', 'mediation', 15, 'general', 'dispute', '医院 医疗 手术 误诊 医生 病历 医疗事故'],
  ['dispute.consumer', '消费纠纷', 'Consumer disputes', 'justice_office', 5, 'general', 'dispute', '退款 办卡 预付卡 健身房 商家 质量 消费 跑路'],

  ['litigation', '诉讼服务', 'Litigation services', 'tribunal', 5, 'general', 'consult', ''],
  ['litigation.filing', '立案咨询', 'Case filing', 'tribunal', 5, 'general', 'consult', '立案 起诉 诉状 材料 网上立案 管辖 受理'],
  ['litigation.progress', '案件进度', 'Case progress', 'tribunal', 5, 'general', 'consult', '开庭 进度 判决 案件 审理 法官 传票'],
  ['litigation.enforcement', '执行难', 'Enforcement of judgments', 'court', 5, 'general', 'help', '执行 强制执行 老赖 失信 判决 不履行 财产'],
  ['litigation.fees', '诉讼费', 'Court fees', 'tribunal', 5, 'general', 'consult', '诉讼费 退费 缓交 减免 预交 交费'],

  ['procuratorate', '检察监督', 'Procuratorial oversight', 'procuratorate', 7, 'general', 'report', ''],
  ['procuratorate.food', '公益诉讼线索·食品药品安全', 'Public-interest leads: food and drug safety', 'procuratorate', 7, 'general', 'report', '公益诉讼 过期 假药 保健品 校园食品 无证 添加'],
  ['procuratorate.environment', '公益诉讼线索·生态环境', 'Public-interest leads: environment', 'procuratorate', 7, 'general', 'report', '排污 污染 倾倒 偷排 河道 采砂 毁林 垃圾'],
  ['procuratorate.complaint', '控告申诉', 'Accusations and petitions to the procuratorate', 'procuratorate', 7, 'general', 'complaint', '申诉 控告 检察院 不服 判决 监督 抗诉'],
  ['procuratorate.filing', '刑事立案监督', 'Oversight of criminal case filing', 'procuratorate', 7, 'general', 'complaint', '不立案 立案监督 报案 不受理 刑事 撤案'],

  ['conduct', '执法司法作风', 'Conduct of officers', 'committee', 7, 'general', 'complaint', ''],
  ['conduct.irregular', '执法不规范', 'Irregular law enforcement', 'committee', 7, 'general', 'complaint', '执法 不规范 程序 未出示 扣押 罚款 录像'],
  ['conduct.delay', '办案拖延', 'Delays in handling cases', 'committee', 7, 'general', 'complaint', '拖延 拖着 迟迟 没下文 推诿 一直等'],
  ['conduct.attitude', '态度恶劣', 'Rude officers', 'committee', 7, 'general', 'complaint', '态度 恶劣 凶 不耐烦 骂人 刁难 摔'],
  ['conduct.corruption', '吃拿卡要', 'Bribery and petty extortion', 'committee', 7, 'general', 'report', '吃拿卡要 好处费 红包 请客 收钱 索要'],

  ['legal', '法律服务', 'Legal services', 'justice_office', 3, 'general', 'consult', ''],
  ['legal.aid', '法律援助', 'Legal aid', 'justice_office', 3, 'general', 'help', '法律援助 请不起律师 免费律师 援助 困难 低保'],
  ['legal.notary', '公证', 'Notarisation', 'justice_bureau', 3, 'general', 'consult', '公证 公证处 继承 委托书 遗嘱 材料'],
  ['legal.lawyer', '律师执业投诉', 'Complaints about lawyers', 'justice_bureau', 5, 'general', 'complaint', '律师 律所 代理费 收费 不尽责 退费'],
  ['legal.correction', '社区矫正', 'Community corrections', 'justice_office', 3, 'general', 'consult', '社区矫正 缓刑 报到 外出 请假 矫正对象'],
  ['legal.resettlement', '安置帮教', 'Resettlement of released prisoners', 'justice_office', 3, 'general', 'help', '刑满释放 帮教 安置 就业 低保 回归'],

  ['safety', '公共安全隐患', 'Public safety hazards', 'center', 3, 'general', 'report', ''],
  ['safety.fire', '消防隐患', 'Fire hazards', 'center', 3, 'general', 'report', '消防 通道 堵塞 电动车 充电 灭火器 飞线 易燃'],
  ['safety.school', '校园周边安全', 'Safety around schools', 'center', 3, 'general', 'report', '学校 校门口 学生 放学 接送 网吧 摊贩'],
  ['safety.food', '食品安全', 'Food safety', 'center', 3, 'general', 'report', '食品 卫生 变质 过期 地沟油 小作坊 拉肚子'],
  ['safety.hazchem', '危化品', 'Hazardous chemicals', 'center', 3, 'urgent', 'report', '危化品 液化气 煤气罐 化工 气味 储存 泄漏'],

  ['suggestion', '平安建设建议', 'Suggestions on safety and governance', 'center', 7, 'general', 'suggestion', ''],
  ['suggestion.patrol', '治安防控建议', 'Suggestions on crime prevention', 'center', 7, 'general', 'suggestion', '建议 巡逻 监控 路灯 岗亭 探头'],
  ['suggestion.governance', '基层治理建议', 'Suggestions on community governance', 'center', 7, 'general', 'suggestion', '建议 网格员 社区 调解 议事 志愿者'],
  ['suggestion.law', '普法宣传建议', 'Suggestions on legal education', 'center', 7, 'general', 'suggestion', '建议 普法 宣传 讲座 老年人 防骗'],
  ['suggestion.traffic', '交通秩序建议', 'Suggestions on traffic order', 'center', 7, 'general', 'suggestion', '建议 红绿灯 斑马线 减速带 停车 电动车'],
];

const CATEGORIES: DemoCategory[] = ROWS.map(([id, name, nameEn, unitType, days, urgency, type, keywords]) => {
  const dot = id.indexOf('.');
  return {
    id,
    parentId: dot < 0 ? null : id.slice(0, dot),
    name,
    nameEn,
    defaultUnitType: unitType,
    handleWorkingDays: days,
    urgency,
    defaultAppealType: type,
    keywords: keywords ? keywords.split(' ') : [],
  };
});

/** The category tree, groups before their leaves. Fresh copies: callers may mutate them. */
export function demoCategories(): DemoCategory[] {
  return CATEGORIES.map((c) => ({ ...c, keywords: [...c.keywords] }));
}

export function leafCategories(categories: readonly DemoCategory[]): DemoCategory[] {
  const parents = new Set(categories.map((c) => c.parentId).filter((p): p is string => p !== null));
  return categories.filter((c) => !parents.has(c.id));
}

/**
 * Category × region → responsible unit, for every leaf and every street and district.
 * Street-level unit types (派出所, 司法所, 人民法庭) resolve to the street's own unit; at district
 * level (an address resolved only to the district) they go to the unit above (分局, 司法局, 法院).
 * District-level types resolve to the district's unit; 'mediation' to the city's committee.
 */
export function dispatchCatalogue(city: DemoCity, categories: readonly DemoCategory[]): DispatchEntry[] {
  const idx = indexCity(city);
  const at = (type: UnitType, code: string): string => {
    const u = idx.unitAt.get(`${type}@${code}`);
    if (!u) throw new Error(`demo city has no ${type} at ${code}`);
    return u.id;
  };
  const mediation = city.units.find((u) => u.type === 'mediation');
  const out: DispatchEntry[] = [];
  const resolve = (type: UnitType, street: string | null, district: string): string => {
    switch (type) {
      case 'police_station':
        return street ? at('police_station', street) : at('police_bureau', district);
      case 'justice_office':
        return street ? at('justice_office', street) : at('justice_bureau', district);
      case 'tribunal': {
        const t = street ? city.tribunalOf[street] : undefined;
        return t ?? at('court', district);
      }
      case 'mediation':
        return mediation ? mediation.id : street ? at('justice_office', street) : at('justice_bureau', district);
      case 'police_bureau':
      case 'court':
      case 'procuratorate':
      case 'justice_bureau':
      case 'committee':
      case 'center':
        return at(type, district);
    }
  };
  for (const c of leafCategories(categories)) {
    for (const d of idx.districts) {
      out.push({ categoryId: c.id, regionCode: d.code, unitId: resolve(c.defaultUnitType, null, d.code) });
    }
    for (const s of idx.streets) {
      out.push({ categoryId: c.id, regionCode: s.code, unitId: resolve(c.defaultUnitType, s.code, s.parentCode as string) });
    }
  }
  return out;
}

// Short, plain sentences as citizens type them: deliberately not the generator's templates, so the
// classifier's cold start is not trained on the very sentences it will be shown in the demo.
const SEED_TEXT: Record<string, string[]> = {
  'order.noise': [
    '楼上每天半夜拖椅子跺地板，吵得睡不着',
    '小区广场舞音响开得太大声，晚上九点多还在跳',
    '隔壁装修周末一大早就开始电钻，能不能管管',
    '楼下KTV每晚唱到凌晨两三点，窗户关着都听得见',
    '有人在小区里改装摩托车半夜轰油门',
    '对面工地夜里施工，噪音太大影响休息',
    '邻居家音响低音炮一直响，孩子没法写作业',
    '酒吧门口每天夜里喧哗到三点，严重扰民',
    '楼上养的狗整夜叫，沟通了也不管',
  ],
  'order.fight': [
    '烧烤摊有几个人喝多了打起来了',
    '小区门口两个人因为停车动手，有人流血了',
    '昨晚在夜市被人打了，对方跑了，想报案',
    '网吧里经常有人打架，老板也不管',
    '我儿子在学校外面被几个社会青年打了',
    '两家人为了地界的事打了起来，老人被推倒',
    '酒后有人在路边砸东西还动手打人',
    '广场上一群人群殴，场面很混乱',
  ],
  'order.theft': [
    '放在楼下的电动车被人偷了',
    '车窗被砸，包里的现金和证件都没了',
    '店里收银台晚上被撬，丢了两千多块钱',
    '小区最近好几家被盗，怀疑有人踩点',
    '在菜市场买菜手机被偷了',
    '工地上的电缆线被人剪走了',
    '快递放门口总是丢，想调监控',
    '家里装的监控拍到有人翻进院子偷东西',
  ],
  'order.provocation': [
    '有几个人天天在店门口堵着收保护费',
    '前男友一直跟踪骚扰我，还发威胁短信',
    '有人在我家门口泼油漆写字',
    '讨债的人上门辱骂，还拍我家人照片',
    '一伙人在路上随便拦车要钱',
    '邻村的人经常来闹事砸东西',
    '有人在网上散布我的隐私还打电话恐吓',
    '小区里几个青年经常无故挑衅居民',
  ],
  'order.vice': [
    '某小区一套房子里天天有人聚众打牌赌钱',
    '发现有人在出租屋里吸毒，地上有锡纸',
    '路边的按摩店好像有色情服务',
    '村里有人开设赌场，每天很多车进出',
    '棋牌室赌得很大，输了的人还借高利贷',
    '酒店附近经常有人发涉黄小卡片',
    '怀疑楼下住户在贩毒，半夜来人很多',
    '茶楼包厢里有人赌博，筹码一注几百',
  ],
  'order.hazard': [
    '小区后门没人看守，陌生人随便进出',
    '这条路晚上路灯全坏了，女孩子走路害怕',
    '桥洞底下有流浪人员聚集，有时候醉酒闹事',
    '地下车库的监控坏了好几个月',
    '公园里晚上有人拦路，治安很差',
    '出租屋住了很多身份不明的人',
    '河边步道没有监控，最近有人被抢',
    '老旧小区没有门禁，晾的衣服经常丢',
  ],
  'order.unlicensed': [
    '路边烧烤摊没证经营，油烟熏得开不了窗',
    '小区底商开了个夜宵店，天天占道到凌晨',
    '有人在居民楼里开黑作坊，噪音很大',
    '无证的废品收购站堆得到处都是，味道很大',
    '流动摊贩占着人行道，还用喇叭循环叫卖',
    '一楼住户改成麻将馆，没有任何手续',
    '菜场门口无证卖活禽，脏乱差',
    '夜市摊点越摆越多，把消防通道都占了',
  ],
  'fraud.victim': [
    '网上刷单被骗了三万块，怎么报案',
    '加了个投资群，说稳赚不赔，现在提不了现',
    '网恋对象让我往平台充钱，结果被拉黑了',
    '我妈被人骗买保健品花了两万多',
    '在二手平台买东西付了钱对方不发货',
    '被人以贷款要交保证金为由骗了八千',
    '转账给冒充我领导的人，发现是骗子',
    '游戏账号交易被骗，钱能追回来吗',
  ],
  'fraud.suspicious': [
    '收到短信说我医保卡异常，让点链接',
    '有个陌生号码自称快递理赔，要我开屏幕共享',
    '天天接到推销贷款的电话，怀疑是诈骗',
    '有人打电话说我中奖了，要先交手续费',
    '短信说ETC过期要认证，这是真的吗',
    '一个陌生人加我微信拉我进炒股群',
    '接到境外号码打来的电话，说是领导让办事',
    '收到一条积分兑换的短信，链接看着很可疑',
  ],
  'fraud.impersonation': [
    '有人冒充公安说我涉嫌洗钱，要我转到安全账户',
    '冒充电商客服说要给我退款，让我下载软件',
    '接到自称检察院的电话，说有我的通缉令',
    '有人冒充银行客服说要注销我的校园贷',
    '对方自称法院工作人员，说我有案子要交保证金',
    '冒充社保局的人让我更新信息，要验证码',
    '有人冒充快递员说包裹丢了要赔偿',
    '老人接到冒充孙子的电话说出事了要钱',
  ],
  'dispute.neighbour': [
    '楼上漏水把我家天花板泡坏了，邻居不管',
    '邻居在楼道里堆杂物，说了不听',
    '隔壁加建房子挡住了我家采光',
    '邻居把空调外机对着我家窗户',
    '楼下住户私占公共绿地种菜',
    '邻居家的狗经常在我家门口拉屎',
    '两家共用的排水沟被邻居堵了',
    '邻居装修砸了承重墙，我家墙体开裂',
  ],
  'dispute.family': [
    '父母年纪大了，几个子女互相推着不赡养',
    '离婚后对方不让我看孩子',
    '丈夫喝了酒就打人，想申请人身安全保护令',
    '弟弟要分父母的房子，家里闹得很僵',
    '女方收了彩礼后悔婚，彩礼不退',
    '前夫一直不付抚养费',
    '婆媳矛盾很深，想请人来调解一下',
    '老人的养老钱被儿子拿走了不给',
  ],
  'dispute.property': [
    '物业一直不修电梯，我们拒交物业费被起诉',
    '物业擅自涨停车费，业主都不同意',
    '小区维修基金怎么用的物业不公开',
    '物业保安态度差还推搡业主',
    '开发商和物业互相推，房子漏水没人管',
    '业委会选举有问题，想找人来主持公道',
    '物业把公共区域租出去收钱，收益不公开',
    '物业停了我家的水电逼我交费',
  ],
  'dispute.land': [
    '邻居建房占了我家宅基地',
    '老房子屋檐滴水到邻居家，吵了好几年',
    '兄弟之间对祖屋的分割有争议',
    '村里重新划宅基地，我家的地被划小了',
    '邻居砌围墙越过了地界',
    '买的二手房过不了户，卖家找各种理由',
    '房子租给别人，租客不搬也不交租',
    '建房时邻居说挡了他家的路，天天来阻工',
  ],
  'dispute.labour': [
    '在工地干了半年，包工头欠着工资不给',
    '公司无故辞退我，不给经济补偿',
    '老板一直拖欠三个月工资',
    '加班从来不给加班费',
    '公司不给交社保，离职后才发现',
    '快过年了，工友们的工资还没结',
    '工伤以后老板不认账',
    '试用期被辞退，工资只给一半',
  ],
  'dispute.contract': [
    '朋友借了我五万块钱，写了借条一直不还',
    '装修公司收了钱，工程做了一半跑了',
    '货款拖了一年多，对方一直说没钱',
    '交了定金后商家不履行合同',
    '合伙做生意散伙了，账算不清楚',
    '卖车给别人，对方分期款不付了',
    '租铺面交了押金，房东不退',
    '亲戚借钱买房，现在不认账了',
  ],
  'dispute.damage': [
    '被邻居家的狗咬伤了，打针的钱对方不给',
    '电动车被人撞了，对方不赔',
    '楼上掉东西砸坏了我的车',
    '装修公司把我家的地板弄坏了',
    '孩子在游乐场摔伤，商家推卸责任',
    '停车场里车被剐蹭，找不到人负责',
    '别人家的树倒了压坏我家的屋顶',
    '在超市滑倒摔伤了，超市只肯赔一点点',
  ],
  'dispute.relocation': [
    '征地补偿标准太低，和周边村差很多',
    '拆迁安置房迟迟没交付',
    '我家的房子被评估少算了面积',
    '青苗补偿费被村干部扣了一部分',
    '征地的时候没公示，补偿款怎么分的不清楚',
    '拆迁过渡费停发了好几个月',
    '还没谈好补偿就有人来拆房子',
    '安置房分配不公平，有人拿了好几套',
  ],
  'dispute.medical': [
    '老人在医院做完手术出现感染，医院推责任',
    '孩子在诊所打针后出现过敏，要求赔偿',
    '怀疑医院误诊耽误了治疗',
    '医院不给复印完整的病历',
    '拔牙后一直出血，诊所不承认有问题',
    '家属在医院去世，对死因有疑问',
    '做了美容手术效果很差还留了疤',
    '医院多收费，清单上有没做的检查',
  ],
  'dispute.consumer': [
    '健身房办了年卡，老板跑路了',
    '在店里买的家电用了一周就坏了，商家不给换',
    '美容院办的预付卡，现在说不能用了',
    '培训机构退费难，交了一万多',
    '网购的衣服是假货，商家不认',
    '饭店吃饭吃出异物，老板态度很差',
    '买的二手车隐瞒了事故，要求退车',
    '装修建材以次充好，和样品不一样',
  ],
  'litigation.filing': [
    '想起诉欠钱的人，要准备哪些材料',
    '网上立案提交了好几次都被退回',
    '离婚官司应该去哪个法院起诉',
    '对方在外地，我能在本地起诉吗',
    '小额诉讼怎么立案，需要请律师吗',
    '立案的时候窗口说材料不全，具体缺什么',
    '不识字写不了起诉状怎么办',
    '劳动仲裁结果不服，多久之内可以起诉',
  ],
  'litigation.progress': [
    '起诉都三个月了，还没通知开庭',
    '开完庭很久了判决书一直没下来',
    '打电话给承办法官一直没人接',
    '案子为什么又延期审理了',
    '想查一下我的案件现在到哪一步了',
    '上诉之后多久能有结果',
    '法院说要鉴定，鉴定拖了半年了',
    '传票上的开庭时间我去不了怎么办',
  ],
  'litigation.enforcement': [
    '判决都生效一年了，对方就是不还钱',
    '申请了强制执行，一直没有进展',
    '对方名下有车有房，为什么执行不到',
    '老赖天天吃喝玩乐，钱却执行不了',
    '执行案件被终结本次执行，还能恢复吗',
    '被执行人转移财产，想提供线索',
    '工资执行款一直没打到我账户',
    '执行法官说对方没财产，我不信',
  ],
  'litigation.fees': [
    '案子调解结案了，诉讼费能退一半吗',
    '家里困难交不起诉讼费，能不能缓交',
    '诉讼费是按什么标准收的',
    '撤诉之后预交的诉讼费怎么退',
    '判决对方承担诉讼费，我垫付的怎么拿回来',
    '网上交诉讼费交错了金额',
    '退费申请交上去两个月了还没到账',
    '残疾人打官司能减免诉讼费吗',
  ],
  'procuratorate.food': [
    '学校门口小卖部卖三无辣条',
    '药店卖过期药，还没有处方就卖处方药',
    '有人在网上卖自制减肥药，吃了心慌',
    '农村集市上卖假冒保健品给老人',
    '小作坊用病死猪肉做腊肠',
    '学校食堂的菜经常不新鲜',
    '超市把过期食品改了日期继续卖',
    '养殖户给鱼用违禁药',
  ],
  'procuratorate.environment': [
    '工厂晚上偷偷往河里排黑水',
    '有人在山上乱砍乱伐',
    '河道里有人非法采砂，河岸都塌了',
    '建筑垃圾倒在农田里，没人管',
    '养猪场的粪水直接排到水塘',
    '化工厂夜里排气，气味刺鼻',
    '有人在水库里电鱼',
    '废弃矿山没修复，下雨就冲下泥水',
  ],
  'procuratorate.complaint': [
    '对法院的判决不服，想向检察院申请监督',
    '我举报的事情公安处理不公，想控告',
    '民事案件判错了，能不能请检察院抗诉',
    '对检察院不起诉的决定有意见',
    '看守所里家属被打了，想控告',
    '执行法官违法执行，想申请监督',
    '家属被羁押超期了，想反映',
    '申诉材料交上去很久没有答复',
  ],
  'procuratorate.filing': [
    '被人打成轻伤，派出所不给立刑事案件',
    '被骗了几十万，公安说是经济纠纷不立案',
    '报案半年了一直没有立案',
    '派出所把案子撤了，没有告诉我理由',
    '公安不立案，我想请检察院监督',
    '明明是刑事案件，只做了治安处罚',
    '被盗的东西价值很高，却说达不到立案标准',
    '我怀疑有人插手不让立案',
  ],
  'conduct.irregular': [
    '民警执法时没有出示证件也不开执法记录仪',
    '扣了我的车不给任何手续',
    '罚款不开票，也不告知权利',
    '辅警单独执法还动手推人',
    '传唤我的时候程序不合法',
    '办案人员当着群众的面透露我的隐私',
    '查封的东西清单对不上',
    '执法时粗暴，把老人推倒了',
  ],
  'conduct.delay': [
    '报案后一直没人联系，问就是在查',
    '调解申请交了两个月没动静',
    '办事窗口一直推，说不归他们管',
    '材料交齐了还让我反复跑',
    '案子拖了一年多没进展',
    '说好一周回复，一个月了没消息',
    '打电话问进度每次都说负责人不在',
    '移交的案件被退回来又没人管了',
  ],
  'conduct.attitude': [
    '去派出所办事，值班民警很不耐烦',
    '法院窗口工作人员说话很冲',
    '打电话咨询被直接挂断',
    '办事人员骂我听不懂人话',
    '司法所的人对老人态度很差',
    '工作人员上班时间玩手机不理人',
    '民警说我无理取闹，根本不听我讲',
    '窗口人员故意刁难，让我明天再来',
  ],
  'conduct.corruption': [
    '办事的时候有人暗示要给好处费',
    '有民警收了对方的钱，偏袒他们',
    '执法人员经常在饭店白吃白喝',
    '有人说花钱就能把案子摆平',
    '办证的时候被要求请客送礼',
    '协警向摊贩收钱才让摆摊',
    '调解员收了一方的红包',
    '有人打着法院的名义收钱办事',
  ],
  'legal.aid': [
    '家里困难请不起律师，能申请法律援助吗',
    '农民工讨薪，可以找免费的律师吗',
    '低保户打官司能不能派律师',
    '残疾人申请法律援助要什么材料',
    '法律援助申请交了一直没通知',
    '老人被骗，想找律师帮忙打官司',
    '援助律师不怎么管我的案子',
    '刑事案件家属想申请援助律师',
  ],
  'legal.notary': [
    '办继承公证需要带哪些材料',
    '出国留学要做学历公证，多久能办好',
    '公证费是怎么收的',
    '老人行动不便，公证员能上门吗',
    '委托书公证要本人到场吗',
    '遗嘱公证的流程是什么',
    '公证处让我补了三次材料',
    '房产公证什么时候能拿到',
  ],
  'legal.lawyer': [
    '律师收了代理费什么都不做',
    '请的律师开庭都不来',
    '律所收费不开发票',
    '律师泄露了我的案件情况',
    '律师承诺包赢，输了不退钱',
    '律师同时代理了对方',
    '合同写的风险代理，律师又要加钱',
    '律师联系不上，材料也不还',
  ],
  'legal.correction': [
    '缓刑期间需要去外地工作，怎么请假',
    '社区矫正每个月要报到几次',
    '矫正对象能不能出省看病',
    '家人在社区矫正，想了解要遵守什么规定',
    '矫正期间能不能换工作地方',
    '矫正的定位手机坏了怎么办',
    '矫正报到时间和上班冲突',
    '社区矫正期满后要办什么手续',
  ],
  'legal.resettlement': [
    '刚刑满释放，找工作到处碰壁',
    '出狱后户口没恢复，办不了身份证',
    '刑满释放人员能申请低保吗',
    '家里亲戚出来了没地方住',
    '想学门技术，有没有帮扶政策',
    '出狱后想开个小店，能贷款吗',
    '刑释人员回来后精神状态不好，家人担心',
    '社区帮教人员一直没联系我',
  ],
  'safety.fire': [
    '楼道里停满电动车还拉线充电',
    '消防通道被私家车堵死了',
    '小区的消防栓没有水',
    '沿街店铺楼上住人，出口只有一个',
    '出租屋隔成很多小间，电线乱拉',
    '商场的安全出口被锁了',
    '仓库里堆满纸箱，没有灭火器',
    '老小区的灭火器都过期了',
  ],
  'safety.school': [
    '学校门口上下学时段车太多，孩子过马路很危险',
    '校门口有人卖三无零食和玩具',
    '学校附近的网吧让未成年人进去',
    '放学时有社会青年在校门口拦学生要钱',
    '学校旁边在施工，围挡不严',
    '校车超载，一辆车塞了二十多个孩子',
    '学校门口没有减速带和斑马线',
    '学校附近有陌生人给孩子递东西',
  ],
  'safety.food': [
    '菜市场卖的熟食没有防蝇措施',
    '街边早餐店用的油很黑，怀疑是地沟油',
    '小作坊做豆腐环境很脏',
    '外卖吃了以后全家拉肚子',
    '超市卖的肉有异味',
    '农村宴席厨师没有健康证',
    '奶茶店原料过期了还在用',
    '小吃店后厨有老鼠',
  ],
  'safety.hazchem': [
    '居民楼底下有人囤了很多液化气罐',
    '附近化工厂一股刺鼻的气味',
    '有人在出租屋里非法灌装煤气',
    '加油站旁边有人卖散装汽油',
    '路边停着一辆危化品车好几天了',
    '废品站收了很多油漆桶，味道很重',
    '烟花爆竹在居民区仓库里存放',
    '工厂的化学品桶堆在露天',
  ],
  'suggestion.patrol': [
    '建议在河边步道加装监控和路灯',
    '希望晚上多安排民警在夜市巡逻',
    '建议在小区门口设个警务室',
    '公园夜间人少，建议增加巡逻',
    '建议学校放学时段安排护学岗',
    '建议在菜市场附近设置治安岗亭',
    '城中村出租屋多，建议加强登记管理',
    '建议给老旧小区装门禁',
  ],
  'suggestion.governance': [
    '建议每个小区都配个专职调解员',
    '网格员很少来，建议定期走访',
    '建议社区开个居民议事会，有事大家商量',
    '希望多组织志愿者参与平安巡逻',
    '建议把矛盾调解室开到菜市场旁边',
    '建议村里设个法律明白人',
    '建议公开社区调解的案例',
    '建议物业和社区一起处理小区矛盾',
  ],
  'suggestion.law': [
    '建议多到农村给老人讲讲防骗知识',
    '希望在学校多开展法治讲座',
    '建议在小区宣传栏张贴反诈海报',
    '建议用方言拍一些普法短视频',
    '希望给外来务工人员讲讲劳动法',
    '建议在广场舞时间搞普法活动',
    '建议开设网上法律问答栏目',
    '建议把普法搬到村里的文化礼堂',
  ],
  'suggestion.traffic': [
    '建议在这个路口装红绿灯，太危险了',
    '学校门口建议加装减速带',
    '电动车逆行太多，建议加强管理',
    '建议规范小区周边的乱停车',
    '路口斑马线都磨没了，建议重新画',
    '建议在大货车多的路段限时通行',
    '公交站附近太乱，建议增加交通协管',
    '建议在菜市场门口划临时停车位',
  ],
};

/** Cold-start training sentences for the classifier, ≥ 8 per leaf category. */
export const seedExamples: readonly SeedExample[] = Object.freeze(
  CATEGORIES.flatMap((c) => (SEED_TEXT[c.id] ?? []).map((text) => Object.freeze({ categoryId: c.id, text }))),
);
