// Reply quality (每一份文书): score a draft reply against the appeal before it goes out.
//
// Five parts, each 0..1, each explainable and each turned into a concrete hint when weak:
// relevance (does the reply talk about what was raised), completeness (is each question or request
// in the appeal answered), basis (is a law, regulation or policy cited), tone (polite, not dismissive)
// and specificity (actions, dates, responsible units rather than boilerplate); plus timeliness when
// both times are known. Purely lexical: it cannot judge whether an answer is *right*.
import { DAY_MS } from './duplicates.ts';
import { charNgrams, generalIdf, normalizeText, segmentWords, splitSentences } from './segment.ts';

export interface ReplyInput {
  appealTitle?: string | null;
  appealText: string;
  reply: string;
  /** Epoch ms; both needed for timeliness. */
  appealTime?: number | null;
  replyTime?: number | null;
  /** Calendar days within which a reply counts as on time (default 7 ≈ 5 working days). */
  deadlineDays?: number;
}

export interface AppealPoint {
  /** The question or request, as written. */
  text: string;
  kind: 'question' | 'request';
  answered: boolean;
  /** Share of the point's key terms found in the reply (0..1). */
  overlap: number;
}

export interface ReplyHint {
  code: string;
  zh: string;
  en: string;
}

export interface ReplyQuality {
  /** 0–100. */
  overall: number;
  parts: {
    relevance: number;
    completeness: number;
    basis: number;
    tone: number;
    specificity: number;
    timeliness: number | null;
  };
  points: AppealPoint[];
  citations: string[];
  hints: ReplyHint[];
}

const QUESTION = /[?？]|吗|呢|如何|怎么|怎样|能否|是否|可否|为什么|为何|什么时候|何时|多久|哪里|哪些|哪个|有没有|能不能|可不可以|是不是|会不会|要不要|何日|几时|多少/;
const REQUEST = /^(?:.{0,12})(?:请|希望|要求|恳请|建议|呼吁|请求|盼望|强烈要求|务必)/;
// Words that make a sentence a question or a request but say nothing about its subject.
const POINT_NOISE = new Set(
  '吗 呢 如何 怎么 怎样 能否 是否 可否 为什么 为何 什么 时候 何时 多久 哪里 哪些 哪个 有没有 能不能 可不可以 是不是 会不会 要不要 多少 请 希望 要求 恳请 建议 呼吁 请求 盼望 强烈 务必 相关 部门 领导 政府 尽快 一下 问题 解决 处理 我们 你们 他们 我 您'.split(
    ' ',
  ),
);

const LAW_NAME = /《([^《》]{2,40})》/g;
const LAWLIKE = /法|条例|规定|办法|意见|通知|细则|标准|规范|解释|决定|规则|纲要|方案|政策|准则|守则/;
const ARTICLE = /第[一二三四五六七八九十百零〇两\d]+条/g;
const BASIS_PHRASE = /(依据|根据|按照|依照|参照|遵照)[^，。；,;]{0,30}(规定|政策|文件|法律|法规|条例|标准|办法|要求|精神)/;
const LAWFUL = /依法|依规|合法|违法|法律规定|相关规定|有关规定/;

const POLITE = /您好|您|感谢|谢谢|理解|支持|关心|关注|如有疑问|欢迎|请您|敬请|联系电话|咨询电话|致电|来电|祝您|监督/g;
const RUDE =
  /不归我们管|不属于我们管|与我(单位|局|们)无关|与本(单位|部门)无关|自行解决|自己解决|自己想办法|无理取闹|不要再|别再|请勿再|没有义务|爱找谁找谁|你自己|你们自己|不予理睬|胡搅蛮缠|无可奉告|少管闲事/g;
const ACTION =
  /已(经)?|调查|核实|现场|责令|整改|处罚|罚款|立案|安排|协调|督促|约谈|完成|预计|将于|计划|目前|正在|下一步|拆除|清理|维修|更换|答复如下|经查|查明|落实|办理|受理/g;
const DATE = /\d{4}年|\d{1,2}月\d{1,2}日|\d{1,2}月底|\d{1,2}月份|本周|下周|本月|近日|日前/g;
const NUMBER = /\d+(\.\d+)?\s*(元|万元|米|平方|户|人|天|个|辆|处|次|%|吨|小时)/g;
const UNIT = /(局|委|办|街道|社区|公司|中心|所|队|站|院|政府|办事处)/g;

/** Content words of a text with jieba-corpus IDF weights (no corpus of our own is needed). */
function weightedWords(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of segmentWords(text, { minLength: 2 })) out.set(w, (out.get(w) ?? 0) + 1);
  for (const [w, f] of out) out.set(w, (1 + Math.log(f)) * generalIdf(w));
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function countMatches(text: string, re: RegExp): string[] {
  re.lastIndex = 0;
  return [...text.matchAll(re)].map((m) => m[0]);
}

/** Questions and requests of an appeal (at most 8), in order. */
export function appealPoints(title: string | null | undefined, text: string): { text: string; kind: 'question' | 'request' }[] {
  const out: { text: string; kind: 'question' | 'request' }[] = [];
  const seen = new Set<string>();
  for (const s of splitSentences(`${title ?? ''}\n${text ?? ''}`)) {
    if (s.length < 4 || s.length > 200) continue;
    const kind = QUESTION.test(s) ? 'question' : REQUEST.test(s) ? 'request' : null;
    if (!kind || seen.has(s)) continue;
    seen.add(s);
    out.push({ text: s, kind });
    if (out.length >= 8) break;
  }
  return out;
}

/** Score a reply against its appeal. Never throws; empty input scores 0 with hints. */
export function scoreReply(input: ReplyInput): ReplyQuality {
  const appeal = `${input.appealTitle ?? ''}\n${input.appealText ?? ''}`;
  const reply = normalizeText(input.reply ?? '');
  const hints: ReplyHint[] = [];

  // Relevance: IDF-weighted word cosine, title counted twice; 0.35 and above is fully relevant
  // (replies add their own procedure words, so even a perfect answer rarely exceeds ~0.5).
  const aw = weightedWords(`${input.appealTitle ?? ''}\n${input.appealTitle ?? ''}\n${input.appealText ?? ''}`);
  const rw = weightedWords(reply);
  const relevance = Math.min(1, cosine(aw, rw) / 0.35);

  // Completeness: each question/request is answered when enough of its key terms recur in the reply.
  const replyWords = new Set(rw.keys());
  const replyGrams = new Set(charNgrams(reply, [2]));
  const points: AppealPoint[] = appealPoints(input.appealTitle, input.appealText ?? '').map((p) => {
    const keys = segmentWords(p.text, { minLength: 2 }).filter((w) => !POINT_NOISE.has(w));
    let hit = 0;
    for (const k of keys) {
      if (replyWords.has(k)) hit++;
      // Inflected or re-segmented words: count a word whose character bigrams mostly recur.
      else {
        const grams = charNgrams(k, [2]);
        if (grams.length && grams.filter((g) => replyGrams.has(g)).length / grams.length >= 0.5) hit += 0.5;
      }
    }
    const overlap = keys.length ? hit / keys.length : 1;
    return { ...p, answered: overlap >= 0.34, overlap: Math.round(overlap * 100) / 100 };
  });
  const completeness = points.length ? points.filter((p) => p.answered).length / points.length : relevance > 0 ? 1 : 0;

  // Basis: a named law or policy, an article number, or at least "according to … regulations".
  const citations = [...new Set(countMatches(reply, LAW_NAME).filter((n) => LAWLIKE.test(n)))];
  const articles = countMatches(reply, ARTICLE);
  const basis = citations.length && articles.length ? 1 : citations.length ? 0.8 : BASIS_PHRASE.test(reply) ? 0.5 : LAWFUL.test(reply) ? 0.3 : 0;

  // Tone: polite forms and contact details raise it; dismissive phrases sink it.
  const polite = new Set(countMatches(reply, POLITE)).size;
  const rude = [...new Set(countMatches(reply, RUDE))];
  const tone = Math.max(0, Math.min(1, 0.4 + 0.12 * Math.min(polite, 5) - 0.35 * rude.length));

  // Specificity: concrete actions, dates, figures and responsible units instead of boilerplate.
  const actions = new Set(countMatches(reply, ACTION)).size;
  const dates = countMatches(reply, DATE).length;
  const numbers = countMatches(reply, NUMBER).length;
  const units = new Set(countMatches(reply, UNIT)).size;
  const specificity = Math.min(1, (Math.min(actions, 6) + Math.min(dates, 3) + Math.min(numbers, 3) / 1.5 + Math.min(units, 3) / 1.5) / 9);

  // Timeliness: on time up to the deadline, then down to 0 at four times the deadline.
  let timeliness: number | null = null;
  const deadline = Math.max(1, input.deadlineDays ?? 7);
  let days: number | null = null;
  if (Number.isFinite(input.appealTime) && Number.isFinite(input.replyTime)) {
    days = ((input.replyTime as number) - (input.appealTime as number)) / DAY_MS;
    timeliness = days <= deadline ? 1 : Math.max(0, 1 - (days - deadline) / (3 * deadline));
  }

  const base = 0.3 * relevance + 0.25 * completeness + 0.15 * basis + 0.15 * tone + 0.15 * specificity;
  let overall = timeliness === null ? base : 0.9 * base + 0.1 * timeliness;
  const length = Array.from(reply.replace(/\s+/g, '')).length;
  // A one-line reply cannot be a good one, whatever words it contains.
  if (length < 40) overall *= length / 40;
  overall = Math.round(100 * overall);

  if (length === 0) hints.push({ code: 'EMPTY', zh: '答复为空。', en: 'The reply is empty.' });
  else if (length < 40) hints.push({ code: 'TOO_SHORT', zh: `答复过短（${length} 字），请说明调查情况、处理结果和依据。`, en: `The reply is very short (${length} characters); state what was found, what was done and on what basis.` });
  if (length > 0 && relevance < 0.5) {
    hints.push({ code: 'OFF_TOPIC', zh: '答复与诉求内容关联度低，请围绕群众反映的具体问题作答。', en: 'The reply says little about what the citizen raised; answer the specific issue.' });
  }
  for (const p of points.filter((x) => !x.answered).slice(0, 3)) {
    const q = Array.from(p.text).slice(0, 40).join('');
    hints.push({
      code: 'UNANSWERED',
      zh: `未回应群众的${p.kind === 'question' ? '提问' : '诉求'}：「${q}」`,
      en: `The citizen's ${p.kind === 'question' ? 'question' : 'request'} is not answered: "${q}"`,
    });
  }
  if (length > 0 && basis === 0) {
    hints.push({ code: 'NO_BASIS', zh: '未引用法律法规或政策依据，建议注明《…》第…条或所依据的文件。', en: 'No legal or policy basis is cited; name the law or regulation and the article, or the policy document.' });
  } else if (basis > 0 && basis < 0.8) {
    hints.push({ code: 'VAGUE_BASIS', zh: '依据表述笼统（如"按照有关规定"），建议写明具体法规名称和条款。', en: 'The basis is vague ("according to the relevant rules"); name the regulation and article.' });
  }
  if (rude.length) {
    hints.push({ code: 'RUDE', zh: `语气欠妥：「${rude.join('」「')}」，请改用规范、礼貌的表述。`, en: `Dismissive wording: ${rude.map((r) => `"${r}"`).join(', ')}; use courteous, formal language.` });
  }
  if (length > 0 && polite === 0) {
    hints.push({ code: 'NO_COURTESY', zh: '建议使用"您好""感谢您的监督"等礼貌用语，并留下咨询电话。', en: 'Add a courteous greeting and thanks, and give a contact number for questions.' });
  }
  if (length > 0 && specificity < 0.35) {
    hints.push({ code: 'NOT_SPECIFIC', zh: '缺少具体的调查情况、处理措施、时间节点或责任单位。', en: 'No concrete findings, actions, dates or responsible unit are given.' });
  }
  if (timeliness !== null && timeliness < 1 && days !== null) {
    hints.push({ code: 'LATE', zh: `答复用时 ${days.toFixed(1)} 天，超过 ${deadline} 天的时限。`, en: `The reply took ${days.toFixed(1)} days, beyond the ${deadline}-day limit.` });
  }

  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    overall,
    parts: {
      relevance: r2(relevance),
      completeness: r2(completeness),
      basis: r2(basis),
      tone: r2(tone),
      specificity: r2(specificity),
      timeliness: timeliness === null ? null : r2(timeliness),
    },
    points,
    citations,
    hints,
  };
}
