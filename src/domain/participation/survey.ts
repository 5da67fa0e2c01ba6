// The 群众安全感·政法队伍满意度 questionnaire: its shape, the standard template, checking a response
// and turning it into scores (pure). Weighting and intervals: weighting.ts.

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];
export const SEX_LABELS: Record<Sex, { zh: string; en: string }> = { male: { zh: '男', en: 'Male' }, female: { zh: '女', en: 'Female' } };

/** The age groups of the margins (census-style, adults only). */
export const AGE_GROUPS = ['18-29', '30-39', '40-49', '50-59', '60+'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export type Dimension = 'security' | 'satisfaction';
export const DIMENSION_LABELS: Record<Dimension, { zh: string; en: string }> = {
  security: { zh: '安全感', en: 'Sense of security' },
  satisfaction: { zh: '政法队伍满意度', en: 'Satisfaction with political-legal units' },
};

export interface SurveyOption {
  value: string;
  label: string;
  labelEn: string;
  /** 0..100; null = "don't know", which counts as answered but is left out of the scores. */
  score: number | null;
}

export interface SurveyQuestion {
  id: string;
  kind: 'scale' | 'text';
  text: string;
  textEn: string;
  /** Scale questions: which sub-index they feed. */
  dimension: Dimension | null;
  required: boolean;
  options: SurveyOption[];
}

export interface Questionnaire {
  version: 1;
  intro: string;
  introEn: string;
  questions: SurveyQuestion[];
}

const security = (dontKnow = '说不清'): SurveyOption[] => [
  { value: '5', label: '很安全', labelEn: 'Very safe', score: 100 },
  { value: '4', label: '安全', labelEn: 'Safe', score: 75 },
  { value: '3', label: '基本安全', labelEn: 'Fairly safe', score: 50 },
  { value: '2', label: '不太安全', labelEn: 'Not very safe', score: 25 },
  { value: '1', label: '很不安全', labelEn: 'Not safe at all', score: 0 },
  { value: '0', label: dontKnow, labelEn: 'Cannot say', score: null },
];
const satisfaction = (): SurveyOption[] => [
  { value: '5', label: '很满意', labelEn: 'Very satisfied', score: 100 },
  { value: '4', label: '满意', labelEn: 'Satisfied', score: 75 },
  { value: '3', label: '基本满意', labelEn: 'Fairly satisfied', score: 50 },
  { value: '2', label: '不太满意', labelEn: 'Not very satisfied', score: 25 },
  { value: '1', label: '很不满意', labelEn: 'Very dissatisfied', score: 0 },
  { value: '0', label: '不了解', labelEn: 'Do not know', score: null },
];

/** The standard template shipped with MinBiao (the annual survey most 政法委 run). */
export function standardQuestionnaire(): Questionnaire {
  return {
    version: 1,
    intro: '本调查不记名,用于了解您对所在地区治安状况和政法队伍工作的真实感受。每个手机号每轮只能参加一次。',
    introEn: 'This survey is anonymous. It asks how safe you feel where you live and how satisfied you are with the political-legal units. One answer per phone number per round.',
    questions: [
      { id: 'sec_neighbourhood', kind: 'scale', dimension: 'security', required: true, text: '您觉得您所居住的社区(村)治安状况安全吗?', textEn: 'How safe do you feel in your neighbourhood (village)?', options: security() },
      { id: 'sec_night', kind: 'scale', dimension: 'security', required: true, text: '您夜间独自出行时感觉安全吗?', textEn: 'How safe do you feel going out alone at night?', options: security() },
      { id: 'sec_fraud', kind: 'scale', dimension: 'security', required: true, text: '面对电信网络诈骗,您感觉自己和家人的财产安全吗?', textEn: 'How safe do you feel about phone and online fraud (your and your family’s money)?', options: security() },
      { id: 'sat_police', kind: 'scale', dimension: 'satisfaction', required: true, text: '您对公安机关(派出所)的工作满意吗?', textEn: 'How satisfied are you with the police (police stations)?', options: satisfaction() },
      { id: 'sat_court', kind: 'scale', dimension: 'satisfaction', required: true, text: '您对人民法院的工作满意吗?', textEn: 'How satisfied are you with the courts?', options: satisfaction() },
      { id: 'sat_procuratorate', kind: 'scale', dimension: 'satisfaction', required: true, text: '您对人民检察院的工作满意吗?', textEn: 'How satisfied are you with the procuratorate?', options: satisfaction() },
      { id: 'sat_justice', kind: 'scale', dimension: 'satisfaction', required: true, text: '您对司法行政机关(司法局、司法所)的工作满意吗?', textEn: 'How satisfied are you with the justice bureau (justice offices)?', options: satisfaction() },
      { id: 'open_problem', kind: 'text', dimension: null, required: false, text: '您认为当地最需要解决的问题是什么?', textEn: 'What most needs fixing where you live?', options: [] },
    ],
  };
}

export interface QuestionnaireProblem {
  zh: string;
  en: string;
}

/** Checks a questionnaire an admin configured; returns the first problem or null. */
export function checkQuestionnaire(q: Questionnaire): QuestionnaireProblem | null {
  if (q.questions.length === 0) return { zh: '问卷至少需要一道题', en: 'A questionnaire needs at least one question' };
  const ids = new Set<string>();
  let scored = 0;
  for (const x of q.questions) {
    if (ids.has(x.id)) return { zh: `题目编号重复:${x.id}`, en: `Duplicate question id: ${x.id}` };
    ids.add(x.id);
    if (x.kind === 'scale') {
      if (x.options.length < 2) return { zh: `量表题「${x.id}」至少需要两个选项`, en: `Scale question "${x.id}" needs at least two options` };
      const values = new Set(x.options.map((o) => o.value));
      if (values.size !== x.options.length) return { zh: `题目「${x.id}」的选项值重复`, en: `Question "${x.id}" has duplicate option values` };
      if (x.options.some((o) => o.score !== null && !(o.score >= 0 && o.score <= 100))) return { zh: `题目「${x.id}」的分值须在 0–100 之间`, en: `Scores of "${x.id}" must be within 0–100` };
      if (x.options.some((o) => o.score !== null)) scored++;
    } else if (x.options.length > 0) {
      return { zh: `填空题「${x.id}」不应有选项`, en: `Text question "${x.id}" takes no options` };
    }
  }
  if (scored === 0) return { zh: '问卷至少需要一道计分的量表题', en: 'A questionnaire needs at least one scored scale question' };
  return null;
}

export type Answers = Record<string, string>;

/** Checks the answers of one respondent against the questionnaire; returns the cleaned answers. */
export function checkAnswers(q: Questionnaire, answers: Answers): { ok: true; answers: Answers } | { ok: false; zh: string; en: string; field: string } {
  const out: Answers = {};
  const known = new Set(q.questions.map((x) => x.id));
  for (const k of Object.keys(answers)) {
    if (!known.has(k)) return { ok: false, zh: `问卷中没有题目「${k}」`, en: `The questionnaire has no question "${k}"`, field: k };
  }
  for (const x of q.questions) {
    const v = answers[x.id];
    const given = typeof v === 'string' && v.trim() !== '';
    if (!given) {
      if (x.required) return { ok: false, zh: `请回答:${x.text}`, en: `Please answer: ${x.textEn}`, field: x.id };
      continue;
    }
    if (x.kind === 'scale') {
      if (!x.options.some((o) => o.value === v)) return { ok: false, zh: `「${x.text}」的选项无效`, en: `Invalid option for "${x.textEn}"`, field: x.id };
      out[x.id] = v!;
    } else {
      const t = v!.trim();
      if ([...t].length > 500) return { ok: false, zh: `「${x.text}」最多 500 字`, en: `"${x.textEn}" takes at most 500 characters`, field: x.id };
      out[x.id] = t;
    }
  }
  return { ok: true, answers: out };
}

export interface RespondentScores {
  /** Mean of the scored answers, 0..100 (the survey index of this respondent); null if none. */
  overall: number | null;
  security: number | null;
  satisfaction: number | null;
  /** Per scale question: the answer's score (null = don't know / not answered). */
  items: Record<string, number | null>;
}

/** A respondent's scores: each sub-index is the mean of the scored answers of its questions. */
export function scoreAnswers(q: Questionnaire, answers: Answers): RespondentScores {
  const items: Record<string, number | null> = {};
  const all: number[] = [];
  const by: Record<Dimension, number[]> = { security: [], satisfaction: [] };
  for (const x of q.questions) {
    if (x.kind !== 'scale') continue;
    const v = answers[x.id];
    const score = v === undefined ? null : (x.options.find((o) => o.value === v)?.score ?? null);
    items[x.id] = score;
    if (score === null) continue;
    all.push(score);
    if (x.dimension) by[x.dimension].push(score);
  }
  const mean = (a: number[]) => (a.length ? a.reduce((s, y) => s + y, 0) / a.length : null);
  return { overall: mean(all), security: mean(by.security), satisfaction: mean(by.satisfaction), items };
}

/** The top-two-box share of a scale question (很安全/安全, 很满意/满意): the two highest-scored options. */
export function topTwoValues(x: SurveyQuestion): Set<string> {
  const scored = x.options.filter((o) => o.score !== null).sort((a, b) => b.score! - a.score!);
  return new Set(scored.slice(0, 2).map((o) => o.value));
}
