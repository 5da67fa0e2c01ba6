// Consultations (征集): phases, structured questions, answers and follow-up tasks (pure).

export type ConsultationPhase = 'draft' | 'upcoming' | 'open' | 'closed';
export const PHASE_LABELS: Record<ConsultationPhase, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  upcoming: { zh: '即将开始', en: 'Upcoming' },
  open: { zh: '征集中', en: 'Open' },
  closed: { zh: '已结束', en: 'Closed' },
};

/** Where a consultation stands at `now`: unpublished → draft; then by its open and close times. */
export function phaseOf(c: { published: boolean; opensAt: number; closesAt: number }, now: number): ConsultationPhase {
  if (!c.published) return 'draft';
  if (now < c.opensAt) return 'upcoming';
  if (now < c.closesAt) return 'open';
  return 'closed';
}

export interface ConsultationQuestion {
  id: string;
  kind: 'single' | 'multi' | 'text';
  text: string;
  textEn?: string | null | undefined;
  required: boolean;
  options: string[];
}

export type QuestionAnswers = Record<string, string | string[]>;

/** Checks a citizen's answers to the structured questions; returns the cleaned answers or a problem. */
export function checkQuestionAnswers(
  questions: readonly ConsultationQuestion[],
  answers: QuestionAnswers,
): { ok: true; answers: QuestionAnswers } | { ok: false; zh: string; en: string; field: string } {
  const out: QuestionAnswers = {};
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const k of Object.keys(answers)) {
    if (!byId.has(k)) return { ok: false, zh: `没有题目「${k}」`, en: `No question "${k}"`, field: k };
  }
  for (const q of questions) {
    const v = answers[q.id];
    const empty = v === undefined || (typeof v === 'string' ? v.trim() === '' : v.length === 0);
    if (empty) {
      if (q.required) return { ok: false, zh: `请回答:${q.text}`, en: `Please answer: ${q.textEn ?? q.text}`, field: q.id };
      continue;
    }
    if (q.kind === 'single') {
      if (typeof v !== 'string' || !q.options.includes(v)) return { ok: false, zh: `「${q.text}」的选项无效`, en: `Invalid option for "${q.textEn ?? q.text}"`, field: q.id };
      out[q.id] = v;
    } else if (q.kind === 'multi') {
      const arr = typeof v === 'string' ? [v] : v!;
      if (arr.some((x) => !q.options.includes(x)) || new Set(arr).size !== arr.length) {
        return { ok: false, zh: `「${q.text}」的选项无效`, en: `Invalid options for "${q.textEn ?? q.text}"`, field: q.id };
      }
      out[q.id] = [...arr];
    } else {
      if (typeof v !== 'string') return { ok: false, zh: `「${q.text}」应为文字`, en: `"${q.textEn ?? q.text}" takes text`, field: q.id };
      if ([...v.trim()].length > 500) return { ok: false, zh: `「${q.text}」最多 500 字`, en: `"${q.textEn ?? q.text}" takes at most 500 characters`, field: q.id };
      out[q.id] = v.trim();
    }
  }
  return { ok: true, answers: out };
}

export function checkQuestions(questions: readonly ConsultationQuestion[]): { zh: string; en: string } | null {
  const ids = new Set<string>();
  for (const q of questions) {
    if (ids.has(q.id)) return { zh: `题目编号重复:${q.id}`, en: `Duplicate question id: ${q.id}` };
    ids.add(q.id);
    if (q.kind !== 'text' && q.options.length < 2) return { zh: `选择题「${q.text}」至少需要两个选项`, en: `Choice question "${q.text}" needs at least two options` };
    if (q.kind !== 'text' && new Set(q.options).size !== q.options.length) return { zh: `选择题「${q.text}」的选项重复`, en: `Choice question "${q.text}" has duplicate options` };
    if (q.kind === 'text' && q.options.length > 0) return { zh: `填空题「${q.text}」不应有选项`, en: `Text question "${q.text}" takes no options` };
  }
  return null;
}

/** Tallies of the choice questions over the given answers (text answers are counted, not listed). */
export function tallyQuestions(questions: readonly ConsultationQuestion[], all: readonly QuestionAnswers[]) {
  return questions.map((q) => {
    const counts = new Map<string, number>(q.options.map((o) => [o, 0]));
    let answered = 0;
    for (const a of all) {
      const v = a[q.id];
      if (v === undefined) continue;
      answered++;
      if (q.kind === 'text') continue;
      for (const x of typeof v === 'string' ? [v] : v) counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    return { id: q.id, kind: q.kind, text: q.text, textEn: q.textEn ?? null, answered, options: [...counts].map(([option, count]) => ({ option, count })) };
  });
}

export const ANSWER_OUTCOMES = ['adopted', 'partly_adopted', 'not_adopted'] as const;
export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];
export const OUTCOME_LABELS: Record<AnswerOutcome, { zh: string; en: string }> = {
  adopted: { zh: '采纳', en: 'Adopted' },
  partly_adopted: { zh: '部分采纳', en: 'Partly adopted' },
  not_adopted: { zh: '未采纳', en: 'Not adopted' },
};

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, { zh: string; en: string }> = {
  open: { zh: '待办', en: 'To do' },
  in_progress: { zh: '推进中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

/** A task is overdue when it is not finished and its deadline has passed. */
export function taskOverdue(t: { status: TaskStatus; dueAt: number; doneAt: number | null }, now: number): boolean {
  if (t.status === 'cancelled') return false;
  if (t.status === 'done') return t.doneAt !== null && t.doneAt > t.dueAt;
  return now > t.dueAt;
}

const TASK_MOVES: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['in_progress', 'done', 'cancelled'],
  in_progress: ['in_progress', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};
/** Progress notes may keep the status or move it forward; done and cancelled are final. */
export function canMoveTask(from: TaskStatus, to: TaskStatus): boolean {
  return from === to ? from === 'open' || from === 'in_progress' : TASK_MOVES[from].includes(to);
}
