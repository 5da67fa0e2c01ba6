// Consultations (征集): staff open one; citizens suggest and support once per person; moderators
// hold, hide (with a reason, never deleting) and redact; staff answer publicly and follow adopted
// suggestions with tasks whose progress is public; a results page sums it up.
import { createHash } from 'node:crypto';
import {
  ANSWER_OUTCOMES,
  OUTCOME_LABELS,
  PHASE_LABELS,
  TASK_STATUS_LABELS,
  canMoveTask,
  checkQuestionAnswers,
  checkQuestions,
  phaseOf,
  tallyQuestions,
  taskOverdue,
  type AnswerOutcome,
  type ConsultationQuestion,
  type QuestionAnswers,
  type TaskStatus,
} from '../../domain/participation/consultation.ts';
import { MODERATION_REASON_LABELS, normalizeForDuplicate, screenText, type Finding, type ModerationReason } from '../../domain/participation/moderation.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { maskPhone } from '../../lib/pii.ts';
import { ConsultationRepository } from '../../store/repositories/consultations.ts';
import { repos, type Executor } from '../../store/repositories/index.ts';
import type { ConsultationTable, ConsultationTaskTable, SuggestionTable } from '../../store/participation-schema.ts';
import type { AuditService } from '../audit.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type CitizenPrincipal, type Principal, type StaffPrincipal } from '../principal.ts';
import { inSubtree, iso, isoOf, parseJson, regionNames, requireKnownRegion, requireMobile, requireRegionInScope, scopedKey, scopeRootOf } from './common.ts';

export const consultationRepo = new ConsultationRepository();

/** How many suggestions one person may make to one consultation. */
export const MAX_SUGGESTIONS_PER_PERSON = 5;

export interface ConsultationInput {
  title: string;
  background: string;
  regionCode?: string | undefined;
  opensAt: number;
  closesAt: number;
  questions?: ConsultationQuestion[] | undefined;
  categoryId?: string | null | undefined;
  premoderation?: boolean | undefined;
  published?: boolean | undefined;
}

export interface ConsultationPatch {
  title?: string | undefined;
  background?: string | undefined;
  opensAt?: number | undefined;
  closesAt?: number | undefined;
  questions?: ConsultationQuestion[] | undefined;
  categoryId?: string | null | undefined;
  premoderation?: boolean | undefined;
  published?: boolean | undefined;
  summary?: string | null | undefined;
  expectedVersion?: number | undefined;
}

export interface SuggestionInput {
  title: string;
  body: string;
  answers?: QuestionAnswers | undefined;
  phone: string;
}

export type ModerationInput =
  | { action: 'approve'; note?: string | null | undefined }
  | { action: 'hide'; reason: ModerationReason; note: string }
  | { action: 'restore'; note: string }
  | { action: 'redact'; title?: string | undefined; body?: string | undefined; note: string };

export interface AnswerInput {
  outcome: AnswerOutcome;
  reason: string;
  action?: string | null | undefined;
  categoryId?: string | null | undefined;
}

export interface TaskInput {
  title: string;
  description: string;
  unitId: string;
  dueAt: number;
}

const label = (m: { zh: string; en: string } | undefined) => ({ zh: m?.zh ?? '', en: m?.en ?? '' });

export class ConsultationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly audit: AuditService,
  ) {}

  // --- staff: open and edit ---------------------------------------------------------------------

  async create(p: StaffPrincipal, input: ConsultationInput) {
    requirePermission(p, 'consultation.manage');
    const owner = await scopeRootOf(this.org, p);
    const regionCode = input.regionCode ?? owner.regionCode;
    await requireKnownRegion(this.org, regionCode);
    await requireRegionInScope(this.org, p, regionCode);
    this.checkDates(input.opensAt, input.closesAt);
    const questions = input.questions ?? [];
    const problem = checkQuestions(questions);
    if (problem) throw errors.validation(problem.zh, problem.en, { field: 'questions' });
    if (input.categoryId) await this.categories.require(input.categoryId);
    const now = this.ctx.now();
    const row: ConsultationTable = {
      id: newId(now),
      region_code: regionCode,
      unit_id: owner.id,
      unit_path: owner.path,
      title: input.title.trim(),
      background: input.background.trim(),
      questions: JSON.stringify(questions),
      category_id: input.categoryId ?? null,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      published: input.published ? 1 : 0,
      premoderation: input.premoderation ? 1 : 0,
      summary: null,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await consultationRepo.insert(trx, row);
      await this.audit.record(p, { action: 'consultation.create', objectType: 'consultation', objectId: row.id, outcome: 'success', details: { title: row.title, regionCode, published: !!input.published } }, trx);
    });
    return this.staffView(row);
  }

  async update(p: StaffPrincipal, id: string, patch: ConsultationPatch) {
    const c = await this.requireManaged(p, id);
    const { expectedVersion, ...fields } = patch;
    if (Object.values(fields).every((v) => v === undefined)) throw errors.validation('没有要修改的内容', 'Nothing to change');
    if (expectedVersion !== undefined && expectedVersion !== c.version) {
      throw errors.conflict('VERSION_CONFLICT', '该征集已被他人修改,请刷新后重试', 'The consultation was changed by someone else: reload and retry');
    }
    const opensAt = fields.opensAt ?? c.opens_at;
    const closesAt = fields.closesAt ?? c.closes_at;
    if (fields.opensAt !== undefined || fields.closesAt !== undefined) this.checkDates(opensAt, closesAt);
    if (fields.questions !== undefined) {
      const problem = checkQuestions(fields.questions);
      if (problem) throw errors.validation(problem.zh, problem.en, { field: 'questions' });
      if ((await consultationRepo.countSuggestions(this.ctx.db, id)) > 0) {
        throw errors.conflict('QUESTIONS_FROZEN', '已有群众建议,题目不能再修改', 'Suggestions have been made: the questions can no longer change');
      }
    }
    if (fields.published === false && c.published === 1 && (await consultationRepo.countSuggestions(this.ctx.db, id)) > 0) {
      throw errors.conflict('CONSULTATION_HAS_SUGGESTIONS', '已有群众建议,不能撤回发布', 'Suggestions have been made: the consultation cannot be unpublished');
    }
    if (fields.categoryId) await this.categories.require(fields.categoryId);
    const set: Partial<ConsultationTable> = {
      ...(fields.title !== undefined ? { title: fields.title.trim() } : {}),
      ...(fields.background !== undefined ? { background: fields.background.trim() } : {}),
      ...(fields.opensAt !== undefined ? { opens_at: fields.opensAt } : {}),
      ...(fields.closesAt !== undefined ? { closes_at: fields.closesAt } : {}),
      ...(fields.questions !== undefined ? { questions: JSON.stringify(fields.questions) } : {}),
      ...(fields.categoryId !== undefined ? { category_id: fields.categoryId } : {}),
      ...(fields.premoderation !== undefined ? { premoderation: fields.premoderation ? 1 : 0 } : {}),
      ...(fields.published !== undefined ? { published: fields.published ? 1 : 0 } : {}),
      ...(fields.summary !== undefined ? { summary: fields.summary?.trim() || null } : {}),
      updated_at: this.ctx.now(),
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await consultationRepo.update(trx, id, c.version, set))) {
        throw errors.conflict('VERSION_CONFLICT', '该征集已被他人修改,请刷新后重试', 'The consultation was changed by someone else: reload and retry');
      }
      await this.audit.record(p, { action: 'consultation.update', objectType: 'consultation', objectId: id, outcome: 'success', details: { fields: Object.keys(fields).filter((k) => (fields as Record<string, unknown>)[k] !== undefined) } }, trx);
    });
    return this.staffView((await consultationRepo.find(this.ctx.db, id))!);
  }

  async listManaged(p: StaffPrincipal) {
    requirePermission(p, 'consultation.manage');
    const rows = await consultationRepo.listInScope(this.ctx.db, p.scopePath);
    return { items: await Promise.all(rows.map((r) => this.staffView(r))) };
  }

  async managedDetail(p: StaffPrincipal, id: string) {
    const c = await this.requireManaged(p, id);
    return this.staffView(c);
  }

  // --- staff: suggestions, moderation, answers, tasks -------------------------------------------

  async managedSuggestions(p: StaffPrincipal, id: string, q: { status?: string[] | undefined; sort?: 'support' | 'new' | undefined; page: number; pageSize: number }) {
    await this.requireManaged(p, id);
    const rows = await consultationRepo.suggestionsOf(this.ctx.db, id, { status: q.status, sort: q.sort ?? 'new', limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    const total = await consultationRepo.countSuggestions(this.ctx.db, id, q.status);
    const tasks = await consultationRepo.tasksOf(this.ctx.db, id);
    const names = await this.unitNames();
    return { items: rows.map((r) => this.staffSuggestion(r, tasks, names)), total, page: q.page, pageSize: q.pageSize };
  }

  async suggestionHistory(p: StaffPrincipal, id: string, sid: string) {
    await this.requireManaged(p, id);
    await this.requireSuggestion(id, sid);
    const rows = await consultationRepo.eventsOf(this.ctx.db, sid);
    return {
      items: rows.map((e) => ({ seq: e.seq, at: isoOf(e.at), actorKind: e.actor_kind, actorId: e.actor_id, action: e.action, payload: parseJson<Record<string, unknown>>(e.payload, {}) })),
    };
  }

  async moderate(p: StaffPrincipal, id: string, sid: string, input: ModerationInput) {
    const c = await this.requireManaged(p, id);
    const s = await this.requireSuggestion(id, sid);
    const now = this.ctx.now();
    const from = s.status;
    let set: Partial<SuggestionTable>;
    let payload: Record<string, unknown>;
    switch (input.action) {
      case 'approve':
        if (s.status !== 'pending') throw this.badMove(s.status, 'approve');
        set = { status: 'published', mod_reason: null, mod_note: input.note?.trim() || null };
        payload = { from, to: 'published', note: input.note ?? null };
        break;
      case 'hide':
        if (s.status === 'hidden') throw this.badMove(s.status, 'hide');
        set = { status: 'hidden', mod_reason: input.reason, mod_note: input.note.trim() };
        payload = { from, to: 'hidden', reason: input.reason, note: input.note };
        break;
      case 'restore':
        if (s.status !== 'hidden') throw this.badMove(s.status, 'restore');
        set = { status: 'published', mod_reason: null, mod_note: input.note.trim() };
        payload = { from, to: 'published', note: input.note };
        break;
      case 'redact': {
        if (input.title === undefined && input.body === undefined) throw errors.validation('请给出修改后的标题或正文', 'Give the redacted title or text');
        // Whatever a moderator writes is screened again: personal data never becomes public.
        const title = input.title !== undefined ? screenText(input.title.trim()).text : s.title;
        const body = input.body !== undefined ? screenText(input.body.trim()).text : s.body;
        set = {
          title,
          body,
          // The submitted text stays readable to moderators (encrypted), nothing is lost.
          original_enc: s.original_enc ?? this.ctx.pii.encrypt(JSON.stringify({ title: s.title, body: s.body })),
        };
        payload = { from, to: from, note: input.note, changed: [...(input.title !== undefined ? ['title'] : []), ...(input.body !== undefined ? ['body'] : [])] };
        break;
      }
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await consultationRepo.updateSuggestion(trx, sid, { ...set, updated_at: now });
      await this.event(trx, s, p, `moderation.${input.action}`, payload);
      await this.audit.record(p, { action: 'suggestion.moderate', objectType: 'suggestion', objectId: sid, outcome: 'success', details: { consultationId: c.id, action: input.action, ...payload } }, trx);
    });
    return this.staffSuggestionById(id, sid);
  }

  async answer(p: StaffPrincipal, id: string, sid: string, input: AnswerInput) {
    const c = await this.requireManaged(p, id);
    const s = await this.requireSuggestion(id, sid);
    if (s.status !== 'published') {
      throw errors.conflict('SUGGESTION_NOT_PUBLIC', '只能答复已公开的建议(待审核的请先审核通过)', 'Only public suggestions can be answered (approve a held one first)');
    }
    if (!(ANSWER_OUTCOMES as readonly string[]).includes(input.outcome)) throw errors.validation('答复结果无效', 'Invalid outcome', { field: 'outcome' });
    if (input.outcome !== 'not_adopted' && !input.action?.trim()) {
      throw errors.validation('采纳或部分采纳时,请写明将要采取的措施', 'Say what will be done when a suggestion is adopted', { field: 'action' });
    }
    if (input.categoryId) await this.categories.require(input.categoryId);
    const now = this.ctx.now();
    const revised = s.answer_outcome !== null;
    await this.ctx.db.transaction().execute(async (trx) => {
      await consultationRepo.updateSuggestion(trx, sid, {
        answer_outcome: input.outcome,
        answer_reason: input.reason.trim(),
        answer_action: input.action?.trim() || null,
        answered_at: now,
        answered_by: p.userId,
        answer_unit_id: p.unitId,
        ...(input.categoryId !== undefined ? { category_id: input.categoryId } : {}),
        updated_at: now,
      });
      await this.event(trx, s, p, revised ? 'answer.revised' : 'answered', { outcome: input.outcome, reason: input.reason, action: input.action ?? null, previous: s.answer_outcome });
      await this.audit.record(p, { action: 'suggestion.answer', objectType: 'suggestion', objectId: sid, outcome: 'success', details: { consultationId: c.id, outcome: input.outcome, revised } }, trx);
    });
    return this.staffSuggestionById(id, sid);
  }

  async createTask(p: StaffPrincipal, id: string, sid: string, input: TaskInput) {
    const c = await this.requireManaged(p, id);
    const s = await this.requireSuggestion(id, sid);
    if (s.answer_outcome !== 'adopted' && s.answer_outcome !== 'partly_adopted') {
      throw errors.conflict('TASK_NEEDS_ADOPTION', '只有已采纳或部分采纳的建议才能转为落实任务', 'Only an adopted or partly adopted suggestion becomes a task');
    }
    const unit = await this.org.require(input.unitId);
    if (!inSubtree(p, unit.path) && !unit.path.startsWith(c.unit_path)) {
      throw new AppError(403, 'UNIT_SCOPE', '责任单位不在您的管辖范围内', 'The responsible unit is outside your scope', { field: 'unitId' });
    }
    const now = this.ctx.now();
    if (input.dueAt <= now) throw errors.validation('完成期限须晚于现在', 'The deadline must be in the future', { field: 'dueAt' });
    const row: ConsultationTaskTable = {
      id: newId(now),
      consultation_id: id,
      suggestion_id: sid,
      region_code: c.region_code,
      title: input.title.trim(),
      description: input.description.trim(),
      unit_id: unit.id,
      unit_path: unit.path,
      due_at: input.dueAt,
      status: 'open',
      done_at: null,
      created_by: p.userId,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      // Touch the suggestion first: its row lock orders concurrent changes to its history.
      await consultationRepo.updateSuggestion(trx, sid, { updated_at: now });
      await consultationRepo.insertTask(trx, row);
      await consultationRepo.appendTaskUpdate(trx, { task_id: row.id, region_code: row.region_code, at: now, actor_id: p.userId, status: 'open', note: `任务已建立,由${unit.name}负责,期限 ${isoOf(input.dueAt).slice(0, 10)}` });
      await this.event(trx, s, p, 'task.created', { taskId: row.id, unitId: unit.id, dueAt: input.dueAt });
      await this.audit.record(p, { action: 'consultation.task.create', objectType: 'consultation_task', objectId: row.id, outcome: 'success', details: { consultationId: id, suggestionId: sid, unitId: unit.id, dueAt: input.dueAt } }, trx);
    });
    return this.taskView(row, [], await this.unitNames());
  }

  async taskProgress(p: StaffPrincipal, taskId: string, input: { note: string; status: TaskStatus }) {
    const t = await consultationRepo.findTask(this.ctx.db, taskId);
    const c = t ? await consultationRepo.find(this.ctx.db, t.consultation_id) : undefined;
    if (!t || !c) throw errors.notFound(`Task ${taskId}`, '任务');
    const manages = p.permissions.has('consultation.manage') && inSubtree(p, c.unit_path);
    const responsible = (p.permissions.has('consultation.manage') || p.permissions.has('appeal.handle')) && inSubtree(p, t.unit_path);
    if (!manages && !responsible) throw errors.notFound(`Task ${taskId}`, '任务');
    if (!canMoveTask(t.status as TaskStatus, input.status)) {
      throw errors.conflict('TASK_STATUS', `任务状态不能从「${TASK_STATUS_LABELS[t.status as TaskStatus]?.zh ?? t.status}」改为「${TASK_STATUS_LABELS[input.status].zh}」`, `A task cannot move from ${t.status} to ${input.status}`);
    }
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await consultationRepo.updateTask(trx, taskId, { status: input.status, updated_at: now, ...(input.status === 'done' ? { done_at: now } : {}) });
      await consultationRepo.appendTaskUpdate(trx, { task_id: taskId, region_code: t.region_code, at: now, actor_id: p.userId, status: input.status, note: input.note.trim() });
      await this.audit.record(p, { action: 'consultation.task.progress', objectType: 'consultation_task', objectId: taskId, outcome: 'success', details: { from: t.status, to: input.status } }, trx);
    });
    const updated = (await consultationRepo.findTask(this.ctx.db, taskId))!;
    return this.taskView(updated, await consultationRepo.taskUpdates(this.ctx.db, [taskId]), await this.unitNames());
  }

  /** The author's phone in clear, for a stated reason (audited). */
  async unmaskAuthor(p: StaffPrincipal, id: string, sid: string, reason: string) {
    requirePermission(p, 'pii.unmask');
    await this.requireManaged(p, id);
    const s = await this.requireSuggestion(id, sid);
    await this.audit.record(p, { action: 'suggestion.unmask', objectType: 'suggestion', objectId: sid, outcome: 'success', details: { reason } });
    const original = parseJson<{ title?: string; body?: string } | null>(this.ctx.pii.decrypt(s.original_enc), null);
    return { phone: this.ctx.pii.decrypt(s.author_phone_enc), originalTitle: original?.title ?? null, originalBody: original?.body ?? null };
  }

  // --- citizens ---------------------------------------------------------------------------------

  async listPublic(q: { regionCode?: string | undefined; phase?: string | undefined; page: number; pageSize: number }) {
    const rows = await consultationRepo.listPublished(this.ctx.db, { regionPrefix: q.regionCode ? q.regionCode.replace(/(00)+$/, '') : undefined, limit: 500, offset: 0 });
    const now = this.ctx.now();
    const filtered = rows.filter((r) => !q.phase || phaseOf(this.flags(r), now) === q.phase);
    const page = filtered.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
    return { items: await Promise.all(page.map((r) => this.publicView(r))), total: filtered.length, page: q.page, pageSize: q.pageSize };
  }

  async publicDetail(id: string) {
    return this.publicView(await this.requirePublic(id));
  }

  async publicSuggestions(id: string, q: { sort: 'support' | 'new'; page: number; pageSize: number }) {
    await this.requirePublic(id);
    const rows = await consultationRepo.suggestionsOf(this.ctx.db, id, { status: ['published'], sort: q.sort, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    const total = await consultationRepo.countSuggestions(this.ctx.db, id, ['published']);
    const names = await this.unitNames();
    return { items: rows.map((r) => this.publicSuggestion(r, names)), total, page: q.page, pageSize: q.pageSize };
  }

  async submit(p: CitizenPrincipal, id: string, input: SuggestionInput, idempotencyKey?: string | undefined): Promise<SubmitSuggestionResult> {
    const requestHash = createHash('sha256').update(JSON.stringify([id, input])).digest('hex');
    if (idempotencyKey) {
      const prior = await repos.idempotency.find(this.ctx.db, `suggest:${idempotencyKey}`);
      if (prior) return this.replay(prior.request_hash, requestHash, prior.response);
    }
    const c = await this.requirePublic(id);
    const now = this.ctx.now();
    if (phaseOf(this.flags(c), now) !== 'open') throw errors.conflict('CONSULTATION_NOT_OPEN', '该征集不在征集期内', 'This consultation is not open for suggestions');
    const phone = requireMobile(input.phone);
    const checked = checkQuestionAnswers(parseJson<ConsultationQuestion[]>(c.questions, []), input.answers ?? {});
    if (!checked.ok) throw errors.validation(checked.zh, checked.en, { field: `answers.${checked.field}` });
    const idx = this.ctx.pii.blindIndex(phone)!;
    const mine = await consultationRepo.countByAuthor(this.ctx.db, id, idx);
    const title = input.title.trim();
    const body = input.body.trim();
    if (mine.bodies.some((b) => normalizeForDuplicate(b) === normalizeForDuplicate(title + '\n' + body))) {
      throw errors.conflict('DUPLICATE_SUGGESTION', '您已提交过相同的建议', 'You have already made this suggestion');
    }
    if (mine.n >= MAX_SUGGESTIONS_PER_PERSON) {
      throw errors.conflict('SUGGESTION_LIMIT', `每人对同一征集最多提出 ${MAX_SUGGESTIONS_PER_PERSON} 条建议`, `At most ${MAX_SUGGESTIONS_PER_PERSON} suggestions per person and consultation`);
    }
    const st = screenText(title);
    const sb = screenText(body);
    const findings = mergeFindings(st.findings, sb.findings);
    const hold = sb.hold ?? st.hold;
    const masked = st.masked || sb.masked;
    const status = hold || c.premoderation === 1 ? 'pending' : 'published';
    const row: SuggestionTable = {
      id: newId(now),
      consultation_id: id,
      region_code: c.region_code,
      status,
      title: st.text,
      body: sb.text,
      original_enc: masked ? this.ctx.pii.encrypt(JSON.stringify({ title, body })) : null,
      answers: JSON.stringify(checked.answers),
      flags: JSON.stringify(findings),
      mod_reason: hold,
      mod_note: hold ? '系统自动检测,等待人工审核' : null,
      author_phone_enc: this.ctx.pii.encrypt(phone),
      author_phone_idx: idx,
      support_count: 0,
      category_id: c.category_id,
      answer_outcome: null,
      answer_reason: null,
      answer_action: null,
      answered_at: null,
      answered_by: null,
      answer_unit_id: null,
      created_at: now,
      updated_at: now,
    };
    const result: SubmitSuggestionResult = {
      id: row.id,
      status: status as SubmitSuggestionResult['status'],
      masked,
      held: status === 'pending',
      message:
        status === 'published'
          ? masked
            ? '建议已公开。为保护个人信息,其中的号码已做遮挡处理。'
            : '感谢您的建议,已公开展示。'
          : '感谢您的建议,审核通过后公开展示。',
      messageEn:
        status === 'published'
          ? masked
            ? 'Your suggestion is public. Numbers in it were masked to protect personal data.'
            : 'Thank you: your suggestion is public.'
          : 'Thank you: your suggestion will be public once a moderator has looked at it.',
      replayed: false,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await consultationRepo.insertSuggestion(trx, row);
      await consultationRepo.appendEvent(trx, { suggestion_id: row.id, region_code: row.region_code, at: now, actor_kind: 'citizen', actor_id: null, action: 'submitted', payload: JSON.stringify({ status, findings, hold }) });
      if (idempotencyKey) {
        await repos.idempotency.insert(trx, { key: `suggest:${idempotencyKey}`, scope: 'suggestion.submit', request_hash: requestHash, response: JSON.stringify(result), created_at: now });
      }
      await this.audit.record(p, { action: 'suggestion.submit', objectType: 'suggestion', objectId: row.id, outcome: 'success', details: { consultationId: id, status, findings: findings.map((f) => f.kind) } }, trx);
    });
    return result;
  }

  async support(p: CitizenPrincipal, id: string, sid: string, phoneRaw: string) {
    const c = await this.requirePublic(id);
    if (phaseOf(this.flags(c), this.ctx.now()) !== 'open') throw errors.conflict('CONSULTATION_NOT_OPEN', '该征集已结束,不能再点赞支持', 'This consultation is closed: supports are no longer taken');
    const s = await this.requireSuggestion(id, sid);
    if (s.status !== 'published') throw errors.notFound(`Suggestion ${sid}`, '建议');
    const phone = requireMobile(phoneRaw);
    if (s.author_phone_idx && s.author_phone_idx === this.ctx.pii.blindIndex(phone)) {
      throw errors.conflict('OWN_SUGGESTION', '不能支持自己提出的建议', 'You cannot support your own suggestion');
    }
    const key = scopedKey(this.ctx, phone, `support:${id}`);
    const now = this.ctx.now();
    const added = await this.ctx.db.transaction().execute(async (trx) => {
      const ok = await consultationRepo.addSupport(trx, { suggestion_id: sid, supporter_key: key, consultation_id: id, region_code: c.region_code, created_at: now });
      if (ok) await this.audit.record(p, { action: 'suggestion.support', objectType: 'suggestion', objectId: sid, outcome: 'success', details: { consultationId: id } }, trx);
      return ok;
    });
    if (!added) throw errors.conflict('ALREADY_SUPPORTED', '您已支持过这条建议', 'You have already supported this suggestion');
    const after = (await consultationRepo.findSuggestion(this.ctx.db, sid))!;
    return { suggestionId: sid, supportCount: after.support_count };
  }

  /** The public results page: participation, top suggestions, answers, what was done. */
  async results(id: string) {
    const c = await this.requirePublic(id);
    const now = this.ctx.now();
    const f = await consultationRepo.figures(this.ctx.db, id);
    const names = await this.unitNames();
    const count = (status: string) => f.byStatus.filter((r) => r.status === status).reduce((a, r) => a + r.n, 0);
    const hiddenByReason = f.byStatus
      .filter((r) => r.status === 'hidden')
      .map((r) => ({ reason: r.reason ?? 'other', label: label(MODERATION_REASON_LABELS[(r.reason ?? 'other') as ModerationReason]), count: r.n }));
    const outcomes = Object.fromEntries(ANSWER_OUTCOMES.map((o) => [o, f.outcomes.find((x) => x.outcome === o)?.n ?? 0])) as Record<AnswerOutcome, number>;
    const top = await consultationRepo.suggestionsOf(this.ctx.db, id, { status: ['published'], sort: 'support', limit: 10, offset: 0 });
    const answered = (await consultationRepo.suggestionsOf(this.ctx.db, id, { status: ['published'], sort: 'support', limit: 1000, offset: 0 })).filter((s) => s.answer_outcome !== null);
    const tasks = await consultationRepo.tasksOf(this.ctx.db, id);
    const updates = await consultationRepo.taskUpdates(this.ctx.db, tasks.map((t) => t.id));
    const titles = new Map(answered.map((s) => [s.id, s.title]));
    const taskViews = tasks.map((t) => ({ ...this.taskView(t, updates.filter((u) => u.task_id === t.id), names), suggestionTitle: titles.get(t.suggestion_id) ?? null }));
    const questions = parseJson<ConsultationQuestion[]>(c.questions, []);
    const answers = (await consultationRepo.answersOf(this.ctx.db, id)).map((r) => parseJson<QuestionAnswers>(r.answers, {}));
    return {
      consultation: await this.publicView(c),
      figures: {
        received: f.byStatus.reduce((a, r) => a + r.n, 0),
        published: count('published'),
        pending: count('pending'),
        hidden: count('hidden'),
        hiddenByReason,
        participants: f.authors,
        supports: f.supports,
        supporters: f.supporters,
        answered: answered.length,
        outcomes,
        tasks: tasks.length,
        tasksDone: tasks.filter((t) => t.status === 'done').length,
        tasksOverdue: tasks.filter((t) => taskOverdue({ status: t.status as TaskStatus, dueAt: t.due_at, doneAt: t.done_at }, now)).length,
      },
      top: top.map((s) => this.publicSuggestion(s, names)),
      answers: answered.map((s) => this.publicSuggestion(s, names)),
      tasks: taskViews,
      questions: tallyQuestions(questions, answers),
    };
  }

  // --- text feed --------------------------------------------------------------------------------

  /**
   * Every suggestion created at or after `since` (epoch ms), oldest first, as messages the hotspot
   * detector and the classifier take (HotspotMessage-compatible; see docs/participation.md §6).
   * Hidden suggestions are left out unless `includeHidden`; held ones are included with their status.
   */
  async *listSuggestionTexts(since: number, opts: { includeHidden?: boolean; batchSize?: number } = {}): AsyncGenerator<SuggestionText> {
    let after: { createdAt: number; id: string } | null = null;
    const size = opts.batchSize ?? 500;
    for (;;) {
      const rows = await consultationRepo.suggestionsSince(this.ctx.db, since, after, size);
      for (const r of rows) {
        if (r.status === 'hidden' && !opts.includeHidden) continue;
        yield {
          id: `suggestion:${r.id}`,
          source: 'suggestion',
          suggestionId: r.id,
          consultationId: r.consultation_id,
          consultationTitle: r.consultation_title,
          time: r.created_at,
          title: r.title,
          text: r.body,
          likes: r.support_count,
          citizenKey: r.author_phone_idx,
          regionCode: r.region_code,
          place: null,
          categoryId: r.category_id ?? r.consultation_category_id ?? null,
          status: r.status as SuggestionText['status'],
          answerOutcome: r.answer_outcome as AnswerOutcome | null,
        };
      }
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      after = { createdAt: last.created_at, id: last.id };
    }
  }

  // --- internals --------------------------------------------------------------------------------

  private checkDates(opensAt: number, closesAt: number): void {
    if (!(closesAt > opensAt)) throw errors.validation('截止时间须晚于开始时间', 'The close time must be after the open time', { field: 'closesAt' });
    if (closesAt - opensAt > 366 * 86_400_000) throw errors.validation('征集期最长一年', 'A consultation runs for at most a year', { field: 'closesAt' });
  }

  private flags(c: ConsultationTable) {
    return { published: c.published === 1, opensAt: c.opens_at, closesAt: c.closes_at };
  }

  private badMove(status: string, action: string): AppError {
    return errors.conflict('MODERATION_STATE', `当前状态(${status})下不能执行「${action}」`, `Cannot ${action} a suggestion that is ${status}`);
  }

  private replay(storedHash: string, requestHash: string, response: string): SubmitSuggestionResult {
    if (storedHash !== requestHash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一份不同的建议', 'This idempotency key was used for a different submission');
    return { ...(JSON.parse(response) as SubmitSuggestionResult), replayed: true };
  }

  private async requireManaged(p: StaffPrincipal, id: string): Promise<ConsultationTable> {
    requirePermission(p, 'consultation.manage');
    const c = await consultationRepo.find(this.ctx.db, id);
    // Not found rather than forbidden: another unit does not learn that it exists.
    if (!c || !inSubtree(p, c.unit_path)) throw errors.notFound(`Consultation ${id}`, '征集');
    return c;
  }

  private async requirePublic(id: string): Promise<ConsultationTable> {
    const c = await consultationRepo.find(this.ctx.db, id);
    if (!c || c.published !== 1) throw errors.notFound(`Consultation ${id}`, '征集');
    return c;
  }

  private async requireSuggestion(consultationId: string, sid: string): Promise<SuggestionTable> {
    const s = await consultationRepo.findSuggestion(this.ctx.db, sid);
    if (!s || s.consultation_id !== consultationId) throw errors.notFound(`Suggestion ${sid}`, '建议');
    return s;
  }

  private async event(db: Executor, s: SuggestionTable, p: Principal, action: string, payload: Record<string, unknown>): Promise<void> {
    await consultationRepo.appendEvent(db, {
      suggestion_id: s.id,
      region_code: s.region_code,
      at: this.ctx.now(),
      actor_kind: p.kind,
      actor_id: p.kind === 'staff' ? p.userId : null,
      action,
      payload: JSON.stringify(payload),
    });
  }

  private async unitNames(): Promise<Map<string, string>> {
    return new Map((await this.org.all()).map((u) => [u.id, u.name]));
  }

  private async publicView(c: ConsultationTable) {
    const regions = await regionNames(this.org);
    const now = this.ctx.now();
    const phase = phaseOf(this.flags(c), now);
    const unit = await this.org.get(c.unit_id);
    const published = await consultationRepo.countSuggestions(this.ctx.db, c.id, ['published']);
    return {
      id: c.id,
      title: c.title,
      background: c.background,
      regionCode: c.region_code,
      regionName: regions.get(c.region_code) ?? c.region_code,
      unitName: unit?.name ?? '',
      questions: parseJson<ConsultationQuestion[]>(c.questions, []),
      opensAt: isoOf(c.opens_at),
      closesAt: isoOf(c.closes_at),
      phase,
      phaseLabel: label(PHASE_LABELS[phase]),
      premoderation: c.premoderation === 1,
      summary: c.summary,
      suggestions: published,
    };
  }

  private async staffView(c: ConsultationTable) {
    const f = await consultationRepo.figures(this.ctx.db, c.id);
    const count = (status: string) => f.byStatus.filter((r) => r.status === status).reduce((a, r) => a + r.n, 0);
    return {
      ...(await this.publicView(c)),
      published: c.published === 1,
      categoryId: c.category_id,
      unitId: c.unit_id,
      version: c.version,
      createdAt: isoOf(c.created_at),
      updatedAt: isoOf(c.updated_at),
      counts: { pending: count('pending'), published: count('published'), hidden: count('hidden'), answered: f.outcomes.reduce((a, o) => a + o.n, 0), participants: f.authors, supports: f.supports },
    };
  }

  private answerView(s: SuggestionTable, names: Map<string, string>) {
    if (!s.answer_outcome) return null;
    const o = s.answer_outcome as AnswerOutcome;
    return { outcome: o, outcomeLabel: label(OUTCOME_LABELS[o]), reason: s.answer_reason ?? '', action: s.answer_action, answeredAt: iso(s.answered_at), unitName: s.answer_unit_id ? (names.get(s.answer_unit_id) ?? null) : null };
  }

  private publicSuggestion(s: SuggestionTable, names: Map<string, string>) {
    const flags = parseJson<Finding[]>(s.flags, []);
    return {
      id: s.id,
      title: s.title,
      body: s.body,
      supportCount: s.support_count,
      createdAt: isoOf(s.created_at),
      masked: s.original_enc !== null || flags.some((f) => ['phone', 'id_number', 'email', 'bank_card'].includes(f.kind)),
      answers: parseJson<QuestionAnswers>(s.answers, {}),
      answer: this.answerView(s, names),
    };
  }

  private staffSuggestion(s: SuggestionTable, tasks: ConsultationTaskTable[], names: Map<string, string>) {
    let phone: string | null = null;
    try {
      phone = maskPhone(this.ctx.pii.decrypt(s.author_phone_enc));
    } catch {
      phone = null;
    }
    return {
      ...this.publicSuggestion(s, names),
      status: s.status as 'pending' | 'published' | 'hidden',
      flags: parseJson<Finding[]>(s.flags, []),
      modReason: s.mod_reason,
      modReasonLabel: s.mod_reason ? label(MODERATION_REASON_LABELS[s.mod_reason as ModerationReason]) : null,
      modNote: s.mod_note,
      hasOriginal: s.original_enc !== null,
      authorPhoneMasked: phone,
      categoryId: s.category_id,
      updatedAt: isoOf(s.updated_at),
      tasks: tasks.filter((t) => t.suggestion_id === s.id).map((t) => ({ id: t.id, title: t.title, status: t.status, dueAt: isoOf(t.due_at) })),
    };
  }

  private async staffSuggestionById(id: string, sid: string) {
    const s = (await consultationRepo.findSuggestion(this.ctx.db, sid))!;
    return this.staffSuggestion(s, await consultationRepo.tasksOf(this.ctx.db, id), await this.unitNames());
  }

  private taskView(t: ConsultationTaskTable, updates: { at: number; status: string; note: string }[], names: Map<string, string>) {
    const status = t.status as TaskStatus;
    return {
      id: t.id,
      suggestionId: t.suggestion_id,
      title: t.title,
      description: t.description,
      unitId: t.unit_id,
      unitName: names.get(t.unit_id) ?? t.unit_id,
      dueAt: isoOf(t.due_at),
      status,
      statusLabel: label(TASK_STATUS_LABELS[status]),
      overdue: taskOverdue({ status, dueAt: t.due_at, doneAt: t.done_at }, this.ctx.now()),
      doneAt: iso(t.done_at),
      updates: updates.map((u) => ({ at: isoOf(u.at), status: u.status, note: u.note })),
    };
  }
}

export interface SubmitSuggestionResult {
  id: string;
  status: 'pending' | 'published';
  masked: boolean;
  held: boolean;
  message: string;
  messageEn: string;
  replayed: boolean;
}

/** One suggestion as the text-intelligence engine reads it (a superset of HotspotMessage). */
export interface SuggestionText {
  id: string;
  source: 'suggestion';
  suggestionId: string;
  consultationId: string;
  consultationTitle: string;
  time: number;
  title: string;
  text: string;
  likes: number;
  citizenKey: string | null;
  regionCode: string;
  place: string | null;
  categoryId: string | null;
  status: 'pending' | 'published' | 'hidden';
  answerOutcome: AnswerOutcome | null;
}

function mergeFindings(a: Finding[], b: Finding[]): Finding[] {
  const m = new Map<string, number>();
  for (const f of [...a, ...b]) m.set(f.kind, (m.get(f.kind) ?? 0) + f.count);
  return [...m].map(([kind, count]) => ({ kind: kind as Finding['kind'], count }));
}

