// Risk warning (矛盾易发点, preventing 民转刑): a scored, explainable lexicon detector.
//
// A dispatcher must see *why* an appeal was raised to emergency, so every point of score comes from a
// named signal and the words that triggered it. Everyday words that merely contain a risk character
// (打官司, 砍价, 炸鸡, 刀削面, 跳楼价, 堵车 …) are masked before matching, and a negation just before a
// phrase ("不会做傻事", "没有想过自杀") keeps only a small part of its weight: still worth a look,
// never an emergency on its own.
import { normalizeText } from './segment.ts';

export type RiskKind = 'violence' | 'weapon' | 'self-harm' | 'group' | 'emotion' | 'escalation';
export type RiskLevel = 'none' | 'low' | 'medium' | 'high';

export interface RiskSignal {
  kind: RiskKind;
  /** Words in the text that triggered the signal (or a description for escalation). */
  words: string[];
  /** Contribution of this signal (0..1) before combination. */
  weight: number;
}

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  signals: RiskSignal[];
}

export interface RiskInput {
  text: string;
  /** How many earlier appeals this citizen has made (e.g. on the same matter). */
  priorAppeals?: number;
}

interface Rule {
  kind: RiskKind;
  re: RegExp;
  weight: number;
  /** A negation right before the phrase reduces it (false for phrases that are threats *because* of a negation). */
  negatable?: boolean;
}

// Weights are probabilities in a noisy-OR: one clear threat is high on its own, a weapon word alone
// is low, and several weaker signals add up.
const P = '(我|我们|他|她|你|他们|你们|对方)'; // people a threat is aimed at
const NOT_CLAUSE_END = '[^，。！？,.!?；;\\s]';
const re = (source: string) => new RegExp(source, 'g');

const RULES: Rule[] = [
  // Threats of violence or revenge.
  { kind: 'violence', re: re(`(杀|砍|捅|弄|整|打|掐|毒)死(${P}|这个|那个|全家|${NOT_CLAUSE_END}{0,4}(老板|经理|书记|局长|所长|法官|村长|主任|物业))`), weight: 0.75, negatable: true },
  { kind: 'violence', re: re(`杀了${P}(全家|一家)?|杀了(全家|一家|${NOT_CLAUSE_END}{0,4}(老板|经理|书记|局长|所长|法官|村长|主任))|杀(我|他|她|你)全家|杀人|灭门|血洗`), weight: 0.75, negatable: true },
  { kind: 'violence', re: /同归于尽|血债血偿|以命抵命|一命换一命|以暴制暴|鱼死网破|玉石俱焚/g, weight: 0.7, negatable: true },
  { kind: 'violence', re: re(`(绝不|决不|不会|绝对不会)(轻易)?放过(${P}|这些人|那些人)`), weight: 0.55 },
  // Bare 报复 is usually fear of retaliation or a description ("怕被物业的人报复"); aimed or intended revenge is not.
  { kind: 'violence', re: /报复/g, weight: 0.25, negatable: true },
  { kind: 'violence', re: re(`报复(社会|${P})|(要|会|一定|准备|打算|想|怎么|如何)报复|报仇|血溅|偿命|算(总)?账|一个(也|都)(跑不了|别想跑)|(给|让)${P}(点)?颜色看看`), weight: 0.6, negatable: true },
  { kind: 'violence', re: re(`让${P}付出(血的)?代价|(要|得)${P}的命`), weight: 0.55, negatable: true },
  { kind: 'violence', re: re(`放火|纵火|烧(了|掉|死)${P}(的)?(家|房子|车|店)?|(把|将)${NOT_CLAUSE_END}{0,6}(炸了|炸掉|烧了)|炸(了|掉|死)(${P}|政府|派出所|法院)`), weight: 0.7, negatable: true },
  { kind: 'violence', re: /泼(硫酸|汽油|油漆)|浇汽油|(拿|拎|提|带)(着)?(一把)?(刀|菜刀|砍刀|汽油|斧头|铁棍)/g, weight: 0.7, negatable: true },
  { kind: 'violence', re: re(`(砍|捅|刺)(人|伤|了${P}|${P})|持刀|动刀子|拿刀`), weight: 0.6, negatable: true },
  { kind: 'violence', re: re(`(跟|和|与)(${P}|${NOT_CLAUSE_END}{0,4}(老板|物业|开发商))拼(了|命)|拼个你死我活|别怪我不客气|走着瞧|等着瞧|什么事都(做|干)得出来|什么都(做|干)得出来|不客气了`), weight: 0.45, negatable: true },
  { kind: 'violence', re: /后果自负|否则后果/g, weight: 0.3, negatable: true },
  { kind: 'violence', re: re(`暴力(解决|讨债|催收|抗法)|动手打(${P}|人)|打${P}一顿|聚众斗殴|持械`), weight: 0.4, negatable: true },
  // Maiming, "dealing with" someone, tit for tat, vigilante justice.
  { kind: 'violence', re: re(`(卸|打断|砍断|废)(了)?${P}?(的)?(一条|一只)?(腿|胳膊|手|手脚)|以牙还牙|以眼还眼|(找人|叫人|喊人)(来)?(收拾|教训|修理|弄|打)${P}?|收拾${P}|(让|叫)${P}(知道|尝尝)(我|我们)?的厉害|谁来打谁|来一个打一个|出了事(我|你们|他们)?(负责|自己负责|别怪我)|自己(去)?讨(回)?公道|以死相拼`), weight: 0.55, negatable: true },
  // Damage to property as a threat.
  { kind: 'violence', re: re(`把${NOT_CLAUSE_END}{0,8}(车|店|门|房子|家|玻璃|办公室)(给)?(砸|烧|炸)(了|掉|烂)|(砸|烧|炸)(了|掉|烂)${P}?(的|家的)(车|店|门|家|房子|玻璃|办公室)|(来|去)砸(我|他|她)?(家)?(的)?(门|车|店|窗|玻璃)`), weight: 0.5, negatable: true },
  { kind: 'violence', re: /(放|埋|装|带|扔)(了|着)?(炸药|炸弹|雷管|汽油瓶)/g, weight: 0.75, negatable: true },
  // Arming oneself: a weapon made ready is intent.
  { kind: 'violence', re: /(准备|备)(好)?(了)?(一把|几把)?(刀|菜刀|砍刀|棍子|棍棒|铁棍|汽油|斧头|硫酸|农药)|(买|磨)(了)?(一把|把)?(刀|菜刀|砍刀)/g, weight: 0.6, negatable: true },
  { kind: 'violence', re: /扬言|威胁(我|我们|说|要)|恐吓|放话/g, weight: 0.2, negatable: true },
  { kind: 'violence', re: re(`(放话|扬言|威胁)${NOT_CLAUSE_END}{0,12}(打|砍|杀|弄|收拾|教训)|(跟|和)${P}没完|饶不了${P}|(要是|如果|敢)动(她|他|我)`), weight: 0.5, negatable: true },
  // Weapons (low alone: "刀" is common; high together with a threat through the combination).
  { kind: 'weapon', re: /菜刀|砍刀|匕首|尖刀|西瓜刀|水果刀|猎枪|土枪|手枪|枪支|炸药|雷管|炸弹|汽油瓶|斧头|铁棍|棍棒/g, weight: 0.3, negatable: true },
  // Self-harm.
  { kind: 'self-harm', re: /自杀|轻生|寻死|自尽|自残|割腕|上吊|卧轨|服毒|喝(农)?药(自杀|死)|喝农药|吞(了)?(一瓶)?安眠药|吃了(一瓶|一整瓶|很多)安眠药|跳(楼|河|江|桥|湖|海)|一死了之|以死明志|以死相逼|死给(你们|他们|他|她)看|不想活|活不下去|不活了|没法活了|自焚|遗书|一了百了|寻短见|了断自己|结束(自己的)?生命|了结(自己|此生)|去死算了|死了算了/g, weight: 0.75, negatable: true },
  { kind: 'self-harm', re: /做傻事|想不开|走极端|极端行为/g, weight: 0.5, negatable: true },
  { kind: 'self-harm', re: /(买|准备|拿|带)(了|着)?(一)?(瓶|包)?(农药|安眠药|老鼠药|敌敌畏|百草枯)|敌敌畏|百草枯|老鼠药|死在[^，。！？,.!?\s]{0,8}(门口|面前|大门|大厅|里)/g, weight: 0.6, negatable: true },
  { kind: 'self-harm', re: /死也不(走|搬|签|离开)|(躺|睡|坐)在(挖掘机|推土机|铲车|车)(前面|下面|底下)/g, weight: 0.45, negatable: true },
  { kind: 'self-harm', re: /(从|在)[^，。！？,.!?\s]{0,6}(楼|楼顶|桥|天台|窗户|阳台)(上)?跳下去|(一起|一块|带着孩子|带孩子)(去)?死|活着没(有)?意思|活着(还)?有什么意思|不如死了|(准备|打算)(去)?死|想死(?!的心)|没脸活/g, weight: 0.65, negatable: true },
  // Group gathering (群体性事件).
  { kind: 'group', re: /集体上访|联名上访|组织[^，。！？,.!?\s]{0,8}上访|进京上访|赴京上访|去北京上访|到北京上访|越级上访|去省(里|政府)上访|群访|集访/g, weight: 0.6, negatable: true },
  // Someone warning that a 群体性事件 may follow: a matter to watch, not yet an event.
  { kind: 'group', re: /群体性事件|群体事件/g, weight: 0.4, negatable: true },
  { kind: 'group', re: /(拉|打|挂|举)(起)?横幅|(拉|打|挂|举)(着)?(标语|牌子)|静坐|游行|示威|冲击(政府|派出所|法院|工地)|集体维权|集体讨薪|集体(去|到)(政府|市政府|区政府|信访)/g, weight: 0.55, negatable: true },
  { kind: 'group', re: /(上百|几百|数百|上千|几十|数十|[一二两三四五六七八九十百千几0-9]{2,}多?)(个)?(人|名|户|位)(业主|村民|工人|家长|群众)?[^，。！？,.!?\s]{0,6}(一起|一同|集体|联合)(去|到|上访|维权|讨说法|堵|围)/g, weight: 0.5, negatable: true },
  { kind: 'group', re: /联名信|联名举报|联名投诉|闹事|聚众/g, weight: 0.3, negatable: true },
  // N people going somewhere to press a claim; blocking a road as protest; taking it to Beijing.
  { kind: 'group', re: /(上百|几百|数百|上千|几十|数十|[一二两三四五六七八九十百千几0-9]{2,}多?)(个)?(人|名|户|位|家)[^，。！？,.!?]{0,10}(去|到|在)[^，。！？,.!?]{0,10}(维权|上访|讨说法|讨薪|抗议|示威|静坐|拉横幅|请愿|闹)/g, weight: 0.5, negatable: true },
  { kind: 'group', re: /(就|要|准备|只能)(直接)?(去|到|上)(北京|省里|省城|中央)(上访|讨说法|告状|告)?|停工(讨薪|维权|抗议)|集体停工/g, weight: 0.45, negatable: true },
  // Extreme emotion (weak alone, strengthens other signals).
  { kind: 'emotion', re: /忍无可忍|走投无路|逼上绝路|逼得走投无路|没有活路|没有出路|求告无门|投诉无门|欺人太甚|无法忍受|豁出去|不顾一切|被逼无奈|绝望|崩溃|愤怒至极|恨之入骨|咽不下这口气|气得发抖|熬不下去|撑不下去|生不如死|想死的心(都)?有|绝路|(还能|活不了)活(多久)?|还能活多久/g, weight: 0.25, negatable: true },
  { kind: 'emotion', re: /出人命|闹出人命/g, weight: 0.2, negatable: true },
  // Escalation in words: the appeal itself says it has been going round in circles.
  { kind: 'escalation', re: /多次(反映|投诉|举报|上访|找|打电话|来电)|反复(反映|投诉)|(上访|反映|投诉|举报|去信访局|找)(了)?[一二两三四五六七八九十几0-9]+次|石沉大海|踢皮球|没人管|无人理睬|无人过问|一拖再拖|再不解决/g, weight: 0.1, negatable: false },
];

// Clause-level co-occurrence: an intention word followed, in the same clause, by a harmful act.
// Catches the many ways of saying "I will hurt him" that no phrase list foresees ("见到人就动手",
// "找社会上的人来弄我"). The act must come after the intention; the clause is the unit of meaning.
interface ClauseRule {
  kind: RiskKind;
  intent: RegExp;
  act: RegExp;
  weight: number;
}
// "要" and "就" are intentions except in 需要/只要/主要/要求/要是…, 就是/就会/就像…; "会" (could) is not an
// intention at all ("树倒下会打死人" is a hazard).
const INTENT = /((?<![需只主重不])要(?![么是求不点])|就(?![会像是好可不被开已曾都算连])|准备|打算|迟早|一定要|决定|大不了|干脆|非得|宁可|宁愿|扬言|威胁|说要|想要|找人|叫人)/;
const TARGET = '(我|我们|他|她|你|他们|你们|人|对方|全家)';
const CLAUSE_RULES: ClauseRule[] = [
  {
    kind: 'violence',
    intent: INTENT,
    act: new RegExp(`(杀|砍|捅|刺|打|弄|整)(死|伤|残|断)${TARGET}?|(杀|砍|捅|教训|收拾|弄|废了|干掉)${TARGET}|杀人|动手|偿命|拼命|见血|(砸|烧|炸)(了|掉|烂)?${TARGET}?(的|家的)?(家|车|店|门|房子|窗|玻璃|办公室)|扔(砖|石)`),
    weight: 0.5,
  },
  { kind: 'violence', intent: /(拿|拎|提|握|揣|举)(着)/, act: /(刀|棍|斧|枪|砖头|汽油|硫酸)/, weight: 0.5 },
  { kind: 'self-harm', intent: /(想|要|准备|打算|干脆|不如|写好|只能|宁可|决定)(?![么是求])/, act: /(去死|寻死|求死|一死|自杀|轻生|跳下去|跳楼|跳河|了断|结束(自己|生命)|遗书|不活)/, weight: 0.6 },
  {
    kind: 'group',
    intent: /(们|大家|一起|一群|全村|全体|集体|联合|号召|几十|上百|几百|多户|多人|多名)/,
    act: /(围起来|(?<!周)围住|围堵|堵(住|死|了)?[^，。！？,.!?；;\s]{0,3}(门|路|口)|(路|门|路口)(给)?堵(了|住|死)|请愿|守着|拦住|拦截|拦车|静坐|上访|讨说法|讨薪|拉横幅|罢工|罢课|罢市|去(市|区|县|省)?政府|去信访)/,
    weight: 0.45,
  },
];

// Masked before matching: everyday words that contain a risk character, legal channels, and
// reports of being retaliated against (a complaint, not a threat).
const HARD_NEGATIVES =
  /打官司|起诉|诉讼|仲裁|杀价|砍价|秒杀|杀毒|杀虫|杀菌|消杀|抹杀|扼杀|杀猪盘|宰杀|屠宰|杀人游戏|剧本杀|砍伐|砍树|砍掉(树|枝)|刀削面|刀具|开刀|刀口|剪刀|炸鸡|炸酱面|油炸|炸串|炸薯条|爆炸性|轰炸机|爆炸式增长|跳楼价|跳楼大甩卖|跳楼甩卖|跳楼机|吊顶|旅游行|自杀式|报复性(消费|反弹|熬夜|增长)|(怕|害怕|担心|担忧|恐遭|遭到|遭受|受到|被|免遭)(打击)?报复|打击报复|砍头息|定时炸弹|不定时炸弹|(吵|烦|热|痛|难受|累|困|饿|冷|急|气)得?(要)?想死|让人想死|(机|器|设备|电梯|空调|闸机|电脑|系统|路灯|信号)(集体)?罢工|聚众(赌博|打牌|打麻将|吸毒|喝酒)|防(止)?自杀|水枪|焊枪|喷枪|枪手|测温枪|体温枪|额温枪|扫码枪|打死也(不|没)|笑死|吵死|热死|冷死|烦死|累死|饿死了|气死(我)?了|堵车|堵塞|拥堵|交通堵|下水道堵|管道堵|聚集性疫情|人员聚集|防止聚集|避免聚集|禁止聚集|聚集地|(系统|网站|网络|服务器|app|平台|电脑|手机)(总是|经常|又|老是|频繁)?崩溃|横幅宣传|宣传横幅|横幅广告|广告横幅|示威者?游戏|罢工资|拼命(工作|学习|干活|加班|挣钱)|砖头房|钢管厂|钢管舞|农药残留|农药化肥|农药店|汽油价|汽油费|加汽油|杀(青|跌)/g;

// Negation or prevention just before a phrase ("不会", "没有想过", "防止") — but "别逼我…" is a threat.
const NEGATION = /(不会|不要|不想|不能|不可能|不至于|没有|没|并未|并没有|从未|从来没有?|绝不会|决不会|别|防止|预防|避免|杜绝|严禁|禁止|打击|谴责|反对|劝阻|劝导)[^，。！？,.!?；;\n]{0,4}$/;
const COERCION = /逼[^，。！？,.!?；;\n]{0,4}$/;

function isNegated(before: string): boolean {
  return NEGATION.test(before) && !COERCION.test(before);
}

/** Assess the risk of one appeal. */
export function assessRisk(input: RiskInput | string): RiskAssessment {
  const { text, priorAppeals = 0 } = typeof input === 'string' ? { text: input } : input;
  const norm = normalizeText(text ?? '');
  const masked = norm.replace(HARD_NEGATIVES, (m) => '□'.repeat(m.length));

  const byKind = new Map<RiskKind, { words: Set<string>; weight: number }>();
  const note = (kind: RiskKind, word: string, weight: number) => {
    let s = byKind.get(kind);
    if (!s) byKind.set(kind, (s = { words: new Set(), weight: 0 }));
    if (s.words.has(word)) return; // the same phrase repeated adds nothing
    s.words.add(word);
    // noisy-OR within a kind, so two threats outweigh one
    s.weight = 1 - (1 - s.weight) * (1 - weight);
  };

  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of masked.matchAll(rule.re)) {
      const word = m[0];
      if (!word || word.includes('□')) continue;
      let w = rule.weight;
      if (rule.negatable !== false) {
        const before = masked.slice(Math.max(0, (m.index ?? 0) - 8), m.index ?? 0);
        if (isNegated(before)) {
          w *= 0.3;
          note(rule.kind, `${word}(否定 negated)`, w);
          continue;
        }
      }
      note(rule.kind, word, w);
    }
  }

  for (const clause of masked.split(/[，。！？,.!?；;\n]+/)) {
    if (!clause || clause.length > 400) continue;
    for (const rule of CLAUSE_RULES) {
      const i = rule.intent.exec(clause);
      if (!i) continue;
      const after = clause.slice(i.index + i[0].length);
      const a = rule.act.exec(after);
      if (!a || a[0].includes('□')) continue;
      const word = clause.slice(i.index, i.index + i[0].length + a.index + a[0].length).slice(0, 24);
      if (word.includes('□')) continue;
      const negated = isNegated(clause.slice(Math.max(0, i.index - 8), i.index));
      note(rule.kind, negated ? `${word}(否定 negated)` : word, negated ? rule.weight * 0.3 : rule.weight);
    }
  }

  // Repeated escalation by the same citizen, passed in by the caller.
  const prior = Number.isFinite(priorAppeals) ? Math.max(0, Math.floor(priorAppeals)) : 0;
  if (prior >= 2) {
    const w = prior >= 10 ? 0.4 : prior >= 5 ? 0.3 : prior >= 3 ? 0.2 : 0.1;
    note('escalation', `此前诉求 ${prior} 次 (prior appeals: ${prior})`, w);
  }

  const signals: RiskSignal[] = [...byKind.entries()]
    .map(([kind, s]) => ({ kind, words: [...s.words], weight: round3(s.weight) }))
    .sort((a, b) => b.weight - a.weight);

  // Combine kinds by noisy-OR. A weapon is far more worrying next to a threat or self-harm.
  let keep = 1;
  for (const s of signals) keep *= 1 - s.weight;
  let score = 1 - keep;
  const has = (k: RiskKind) => byKind.has(k) && byKind.get(k)!.weight >= 0.3;
  if (byKind.has('weapon') && (has('violence') || has('self-harm'))) score = Math.max(score, 0.85);
  score = round3(Math.min(1, score));
  return { score, level: levelOf(score), signals };
}

export function levelOf(score: number): RiskLevel {
  if (score >= 0.6) return 'high';
  if (score >= 0.35) return 'medium';
  if (score >= 0.12) return 'low';
  return 'none';
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
