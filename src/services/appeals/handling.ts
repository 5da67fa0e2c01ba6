// Every action on an appeal after intake: dispatch, accept, return, transfer, contact, reply,
// extensions, supervision, rating, reopening, merging, redirecting, unreasonable flags, rating appeals.
// Permissions and data scope are checked here, not only in routes.
import { computeDeadlines, extendDeadline } from '../../domain/calendar/index.ts';
import { ACTION_PERMISSION } from '../../domain/access/roles.ts';
import { inScope } from '../../domain/access/scope.ts';
import type { ActionPayloads, AppealAction, Command } from '../../domain/appeal/events.ts';
import { DEFAULT_HANDLE_DAYS, type AppealState, type RatingLevel, type Solved, type Urgency } from '../../domain/appeal/types.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { normalizePhone } from '../../lib/pii.ts';
import { repos } from '../../store/repositories/index.ts';
import type { AppealTable } from '../../store/schema.ts';
import type { CalendarService } from '../calendar.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type CitizenPrincipal, type Principal, type StaffPrincipal } from '../principal.ts';
import { pinHash } from './intake.ts';
import type { Applied, AppealWriter } from './writer.ts';

/** What a staff member may ask for: the domain payload without the fields the service computes. */
export type StaffActionInput =
  | { action: 'dispatch'; unitId: string; categoryId?: string | null | undefined; note?: string | null | undefined }
  | { action: 'accept'; note?: string | null | undefined }
  | { action: 'return'; reason: string }
  | { action: 'transfer'; unitId: string; reason: string }
  | { action: 'contact'; method: ActionPayloads['contact']['method']; note?: string | null | undefined }
  | { action: 'reply'; text: string }
  | { action: 'request_extension'; days: number; reason: string }
  | { action: 'decide_extension'; approved: boolean; note?: string | null | undefined }
  | { action: 'supervise'; note: string }
  | { action: 'close'; reason: string }
  | { action: 'reopen'; reason: string }
  | { action: 'merge'; intoId: string; note?: string | null | undefined }
  | { action: 'redirect'; channel: ActionPayloads['redirect']['channel']; guidance: string }
  | { action: 'flag_unreasonable'; reason: string }
  | { action: 'decide_unreasonable'; approved: boolean; note?: string | null | undefined }
  | { action: 'appeal_rating'; reason: string }
  | { action: 'decide_rating_appeal'; upheld: boolean; note?: string | null | undefined }
  | { action: 'rate'; level: RatingLevel; solved: Solved; contacted: boolean; comment?: string | null | undefined };

export const STAFF_ACTIONS = [
  'dispatch', 'accept', 'return', 'transfer', 'contact', 'reply', 'request_extension', 'decide_extension', 'supervise',
  'close', 'reopen', 'merge', 'redirect', 'flag_unreasonable', 'decide_unreasonable', 'appeal_rating', 'decide_rating_appeal', 'rate',
] as const satisfies readonly AppealAction[];

export interface CitizenRatingInput {
  level: RatingLevel;
  solved: Solved;
  contacted: boolean;
  comment?: string | null | undefined;
}

/** Scope of an appeal for a staff member: the unit holding it, or the 综治中心 that took it in. */
export function canSee(p: StaffPrincipal, row: Pick<AppealTable, 'unit_path' | 'intake_path'>): boolean {
  return inScope(p.scopePath, row.unit_path) || inScope(p.scopePath, row.intake_path);
}

export class AppealHandlingService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly calendar: CalendarService,
    private readonly writer: AppealWriter,
  ) {}

  /** Loads an appeal the principal may see, or fails as "not found" (no existence oracle across units). */
  async visibleRow(p: StaffPrincipal, id: string): Promise<AppealTable> {
    requirePermission(p, 'appeal.read');
    const row = await repos.appeals.findRow(this.ctx.db, id);
    if (!row || !canSee(p, row)) throw errors.notFound(`Appeal ${id}`, '诉求');
    return row;
  }

  async act(p: StaffPrincipal, appealId: string, input: StaffActionInput, expectedVersion?: number): Promise<Applied> {
    const perm = ACTION_PERMISSION[input.action];
    if (perm === 'system') throw errors.forbidden('该操作由系统执行', 'This action is performed by the system');
    requirePermission(p, perm);
    const pre = await this.visibleRow(p, appealId);
    // The unit's own work may be done only by staff of the unit holding the appeal.
    if (perm === 'appeal.handle' && !inScope(p.scopePath, pre.unit_path)) {
      throw errors.forbidden('该诉求不在本单位办理', 'This appeal is not being handled by your unit');
    }
    return this.writer.apply(p, appealId, (row, state) => this.toCommand(p, input, row, state), { expectedVersion });
  }

  private async toCommand(p: StaffPrincipal, input: StaffActionInput, row: AppealTable, state: AppealState): Promise<Command> {
    switch (input.action) {
      case 'dispatch': {
        await this.requireActiveUnit(input.unitId);
        let deadlines: { responseDueAt: number; handleDueAt: number } | undefined;
        let categoryId: string | null | undefined;
        if (input.categoryId !== undefined && input.categoryId !== state.categoryId) {
          const cat = input.categoryId ? await this.categories.require(input.categoryId) : null;
          categoryId = cat?.id ?? null;
          // Deadlines follow the corrected category, still counted from submission.
          deadlines = computeDeadlines(
            { createdAt: state.createdAt, urgency: state.urgency, handleWorkingDays: cat?.handleDays ?? DEFAULT_HANDLE_DAYS[state.type] },
            await this.calendar.calendar(),
          );
        }
        return {
          action: 'dispatch',
          payload: { unitId: input.unitId, ...(categoryId !== undefined ? { categoryId } : {}), ...(deadlines ? { deadlines } : {}), note: input.note ?? null },
        };
      }
      case 'transfer':
        await this.requireActiveUnit(input.unitId);
        return { action: 'transfer', payload: { unitId: input.unitId, reason: input.reason } };
      case 'decide_extension': {
        if (!input.approved) return { action: 'decide_extension', payload: { approved: false, note: input.note ?? null } };
        const days = state.pendingExtensionDays ?? 0;
        const handleDueAt = extendDeadline(state.handleDueAt, Math.max(1, days), await this.calendar.calendar());
        return { action: 'decide_extension', payload: { approved: true, handleDueAt, note: input.note ?? null } };
      }
      case 'reopen': {
        const cat = state.categoryId ? await this.categories.get(state.categoryId) : undefined;
        const d = computeDeadlines(
          { createdAt: this.ctx.now(), urgency: state.urgency as Urgency, handleWorkingDays: cat?.handleDays ?? DEFAULT_HANDLE_DAYS[state.type] },
          await this.calendar.calendar(),
        );
        return { action: 'reopen', payload: { reason: input.reason, responseDueAt: d.responseDueAt, handleDueAt: d.handleDueAt } };
      }
      case 'merge': {
        const target = await repos.appeals.findRow(this.ctx.db, input.intoId);
        if (!target || !canSee(p, target)) throw errors.validation('要合并到的诉求不存在', 'The appeal to merge into does not exist', { field: 'intoId' });
        if (target.status === 'merged') throw errors.validation('不能合并到已被合并的诉求', 'Cannot merge into an appeal that was itself merged', { field: 'intoId' });
        return { action: 'merge', payload: { intoId: input.intoId, note: input.note ?? null } };
      }
      case 'supervise':
        return { action: 'supervise', payload: { note: input.note, byUnitId: p.unitId, automatic: false } };
      case 'rate':
        // A dispatcher records the answer of a 回访 call: the citizen's judgement, by telephone.
        return { action: 'rate', payload: { level: input.level, solved: input.solved, contacted: input.contacted, channel: 'callback', comment: input.comment ?? null } };
      case 'accept':
        return { action: 'accept', payload: { note: input.note ?? null } };
      case 'contact':
        return { action: 'contact', payload: { method: input.method, note: input.note ?? null } };
      case 'decide_unreasonable':
        return { action: 'decide_unreasonable', payload: { approved: input.approved, note: input.note ?? null } };
      case 'decide_rating_appeal':
        return { action: 'decide_rating_appeal', payload: { upheld: input.upheld, note: input.note ?? null } };
      case 'return':
        return { action: 'return', payload: { reason: input.reason } };
      case 'reply':
        return { action: 'reply', payload: { text: input.text } };
      case 'request_extension':
        return { action: 'request_extension', payload: { days: input.days, reason: input.reason } };
      case 'close':
        return { action: 'close', payload: { reason: input.reason } };
      case 'redirect':
        return { action: 'redirect', payload: { channel: input.channel, guidance: input.guidance } };
      case 'flag_unreasonable':
        return { action: 'flag_unreasonable', payload: { reason: input.reason } };
      case 'appeal_rating':
        return { action: 'appeal_rating', payload: { reason: input.reason } };
    }
  }

  private async requireActiveUnit(unitId: string): Promise<void> {
    const u = await this.org.get(unitId);
    if (!u || !u.active) throw errors.validation('承办单位不存在或已停用', 'The unit does not exist or is inactive', { field: 'unitId' });
  }

  /** Verifies a citizen's claim on an appeal: tracking code plus the phone given, or the PIN of an anonymous appeal. */
  async verifyCitizen(trackingCode: string, secret: string): Promise<AppealTable> {
    const row = await repos.appeals.findByTrackingCode(this.ctx.db, trackingCode.trim().toUpperCase());
    const denied = new AppError(404, 'TRACKING_NOT_FOUND', '查询码或验证信息不正确', 'Wrong tracking code or verification');
    if (!row) throw denied;
    const ok = row.anonymous === 1
      ? row.access_pin_hash !== null && row.access_pin_hash === pinHash(row.id, secret.trim())
      : row.citizen_phone_idx !== null && row.citizen_phone_idx === this.ctx.pii.blindIndex(normalizePhone(secret));
    if (!ok) throw denied;
    return row;
  }

  /** A citizen's rating (web). `p.staffSession`, when a staff session came with the request, is recorded with it. */
  async rateByCitizen(p: CitizenPrincipal, trackingCode: string, secret: string, input: CitizenRatingInput): Promise<Applied> {
    const row = await this.verifyCitizen(trackingCode, secret);
    if (row.status !== 'replied') {
      throw new AppError(409, 'NOT_RATEABLE', row.status === 'closed' ? '本轮已评价,感谢您的反馈' : '诉求尚未答复,暂不能评价', row.status === 'closed' ? 'This round was already rated' : 'The appeal has not been answered yet');
    }
    return this.writer.apply(p, row.id, () => ({
      action: 'rate',
      payload: { level: input.level, solved: input.solved, contacted: input.contacted, channel: 'web', comment: input.comment ?? null },
    }));
  }

  /** Records the answer of a 回访 task: a rating through the callback channel, or "unreachable". */
  async completeCallback(
    p: StaffPrincipal,
    taskId: string,
    answer: { reached: true; rating: CitizenRatingInput } | { reached: false; note: string },
  ): Promise<{ taskId: string; status: string }> {
    requirePermission(p, 'appeal.callback');
    const task = await repos.tasks.find(this.ctx.db, taskId);
    if (!task || task.kind !== 'callback') throw errors.notFound(`Task ${taskId}`, '回访任务');
    const row = await this.visibleRow(p, task.appeal_id);
    if (task.status !== 'open') throw errors.conflict('TASK_DONE', '该回访任务已完成', 'This callback task is already done');
    if (!answer.reached) {
      await this.ctx.db.transaction().execute(async (trx) => {
        await repos.tasks.complete(trx, taskId, this.ctx.now(), p.userId, { reached: false, note: answer.note }, 'unreachable');
      });
      return { taskId, status: 'unreachable' };
    }
    if (row.status !== 'replied' || row.round !== task.round) {
      throw errors.conflict('NOT_RATEABLE', '诉求当前状态不能记录回访评价', 'The appeal cannot take a callback rating in its current state');
    }
    const r = answer.rating;
    await this.writer.apply(p, row.id, () => ({
      action: 'rate',
      payload: { level: r.level, solved: r.solved, contacted: r.contacted, channel: 'callback', comment: r.comment ?? null },
    }), {
      after: async (trx) => repos.tasks.complete(trx, taskId, this.ctx.now(), p.userId, { reached: true, level: r.level }),
    });
    return { taskId, status: 'done' };
  }
}
