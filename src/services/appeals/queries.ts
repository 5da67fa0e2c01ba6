// Reading appeals: the scoped list with filters and paging, the detail with its timeline, the
// citizen's tracking view in plain words, unmasking with a reason (audited), and task lists.
import { sql } from 'kysely';
import type { AppealEvent } from '../../domain/appeal/events.ts';
import { OPEN_STATUSES, REDIRECT_CHANNEL_LABELS, STATUS_LABELS, type AppealStatus, type RedirectChannel } from '../../domain/appeal/types.ts';
import { errors } from '../../lib/errors.ts';
import { scopeFilter } from '../../store/repositories/appeals.ts';
import { repos } from '../../store/repositories/index.ts';
import type { AppealTable } from '../../store/schema.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type StaffPrincipal } from '../principal.ts';
import type { AppealHandlingService } from './handling.ts';
import { whereAppealFilters, type AppealFilters } from './filters.ts';
import { toDetail, toListItem, toTimeline, type AppealDetail, type AppealListItem, type TimelineEntry } from './views.ts';

export type { AppealFilters } from './filters.ts';

export interface Page<T> {
  items: T[];
  total: number;
  /** True when more than `total` (config LIST_TOTAL_CAP) match. */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}


export interface TaskView {
  id: string;
  kind: string;
  round: number;
  status: string;
  createdAt: string;
  dueAt: string;
  doneAt: string | null;
}

export interface TrackingView {
  trackingCode: string;
  title: string;
  status: string;
  statusLabel: string;
  statusLabelEn: string;
  createdAt: string;
  handleDueAt: string;
  unitName: string | null;
  reply: string | null;
  canRate: boolean;
  rated: boolean;
  steps: { at: string; text: string; textEn: string }[];
}

export class AppealQueryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly handling: AppealHandlingService,
    private readonly audit: AuditService,
  ) {}

  async list(p: StaffPrincipal, f: AppealFilters): Promise<Page<AppealListItem>> {
    requirePermission(p, 'appeal.read');
    const now = this.ctx.now();
    let q = this.ctx.db.selectFrom('appeals');
    // A scope that is the whole org tree holds for every appeal: the predicate would only make the
    // database gather and sort the whole city instead of reading the newest first.
    if (!(await this.org.coversAll(p.scopePath))) q = q.where(scopeFilter([p.scopePath]));
    q = whereAppealFilters(q, p, f, now, this.ctx.pii);

    // Counting stops past the cap: an exact count of millions costs a scan per page.
    const cap = this.ctx.config.LIST_TOTAL_CAP;
    const totalRow = await this.ctx.db
      .selectFrom(q.select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const counted = Number(totalRow?.n ?? 0);
    let rows = q.selectAll();
    // Open appeals are few whatever the history: gather them by their status index and sort
    // them, rather than walk the creation-time index (on PostgreSQL one walk per monthly partition, each
    // to its end where none matches: 97 → 8 ms for the overdue list at 100k).
    const inHand = f.view === 'queue' || f.overdue === true || (f.status !== undefined && f.status.length > 0 && f.status.every((x) => OPEN_STATUSES.has(x as AppealStatus)));
    const created = inHand ? sql`created_at + 0` : sql.ref('created_at');
    rows =
      f.sort === 'due_asc'
        ? rows.orderBy('handle_due_at', 'asc').orderBy('id')
        : f.sort === 'created_asc'
          ? rows.orderBy(created, 'asc').orderBy('id')
          : rows.orderBy(created, 'desc').orderBy('id', 'desc');
    const items = f.pageSize === 0 ? [] : await rows.limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
    return { items: items.map((r) => toListItem(r, now)), total: Math.min(counted, cap), ...(counted > cap ? { totalCapped: true } : {}), page: f.page, pageSize: f.pageSize };
  }

  async detail(p: StaffPrincipal, id: string): Promise<AppealDetail & { timeline: TimelineEntry[]; tasks: TaskView[] }> {
    return this.detailOf(await this.handling.visibleRow(p, id));
  }

  /** The detail right after the principal acted on the appeal: shown even when the action moved it
   *  out of their scope (a 退单 leaves the unit), since they saw it a moment ago. */
  async detailAfterAction(id: string): Promise<AppealDetail & { timeline: TimelineEntry[]; tasks: TaskView[] }> {
    const row = await repos.appeals.findRow(this.ctx.db, id);
    if (!row) throw errors.notFound(`Appeal ${id}`, '诉求');
    return this.detailOf(row);
  }

  private async detailOf(row: AppealTable): Promise<AppealDetail & { timeline: TimelineEntry[]; tasks: TaskView[] }> {
    const id = row.id;
    const [events, tasks] = await Promise.all([repos.appeals.events(this.ctx.db, id), repos.tasks.forAppeal(this.ctx.db, id)]);
    return {
      ...toDetail(row, this.ctx.pii, this.ctx.now()),
      timeline: toTimeline(events),
      tasks: tasks.map((t) => ({
        id: t.id,
        kind: t.kind,
        round: t.round,
        status: t.status,
        createdAt: new Date(t.created_at).toISOString(),
        dueAt: new Date(t.due_at).toISOString(),
        doneAt: t.done_at ? new Date(t.done_at).toISOString() : null,
      })),
    };
  }

  async events(p: StaffPrincipal, id: string): Promise<TimelineEntry[]> {
    await this.handling.visibleRow(p, id);
    return toTimeline(await repos.appeals.events(this.ctx.db, id));
  }

  /** Shows the citizen's identity in clear, for a stated reason; the read itself is audited. */
  async unmask(p: StaffPrincipal, id: string, reason: string): Promise<{ name: string | null; phone: string | null; address: string | null; idNumber: string | null; email: string | null }> {
    requirePermission(p, 'pii.unmask');
    if (!reason || reason.trim().length < 4) throw errors.validation('请填写查看原因(至少4个字)', 'State a reason (at least 4 characters)', { field: 'reason' });
    const row = await this.handling.visibleRow(p, id);
    await this.audit.record(p, { action: 'pii.unmask', objectType: 'appeal', objectId: id, outcome: 'success', details: { reason: reason.trim() } });
    return {
      name: this.ctx.pii.decrypt(row.citizen_name_enc),
      phone: this.ctx.pii.decrypt(row.citizen_phone_enc),
      address: this.ctx.pii.decrypt(row.address_enc),
      idNumber: this.ctx.pii.decrypt(row.citizen_id_enc),
      email: row.anonymous === 1 ? null : this.ctx.pii.decrypt(row.citizen_email_enc),
    };
  }

  async track(trackingCode: string, secret: string): Promise<TrackingView> {
    const row = await this.handling.verifyCitizen(trackingCode, secret);
    const events = await repos.appeals.events(this.ctx.db, row.id);
    const steps: TrackingView['steps'] = [];
    for (const e of events) {
      const s = await this.citizenStep(e);
      if (s) steps.push({ at: new Date(e.at).toISOString(), ...s });
    }
    const unit = row.unit_id ? await this.org.get(row.unit_id) : undefined;
    const status = row.status as AppealStatus;
    return {
      trackingCode: row.tracking_code,
      title: row.title,
      status,
      statusLabel: STATUS_LABELS[status].zh,
      statusLabelEn: STATUS_LABELS[status].en,
      createdAt: new Date(row.created_at).toISOString(),
      handleDueAt: new Date(row.handle_due_at).toISOString(),
      unitName: unit?.name ?? null,
      reply: row.reply,
      canRate: status === 'replied',
      rated: row.last_rating !== null && status === 'closed',
      steps,
    };
  }

  /** The timeline in the citizen's words: no staff names, no internal notes. */
  private async citizenStep(e: AppealEvent): Promise<{ text: string; textEn: string } | null> {
    const unitName = async (id: string) => (await this.org.get(id))?.name ?? '承办单位';
    switch (e.action) {
      case 'submit':
        return { text: '您的诉求已受理', textEn: 'Your appeal was received' };
      case 'dispatch': {
        const n = await unitName((e as AppealEvent<'dispatch'>).payload.unitId);
        return { text: `已派至${n}办理`, textEn: `Sent to ${n}` };
      }
      case 'transfer': {
        const n = await unitName((e as AppealEvent<'transfer'>).payload.unitId);
        return { text: `已转至${n}办理`, textEn: `Transferred to ${n}` };
      }
      case 'accept':
        return { text: '承办单位已签收', textEn: 'The unit took it on' };
      case 'return':
        return { text: '正在重新确定承办单位', textEn: 'The responsible unit is being reassigned' };
      case 'contact':
        return e.fromStatus === 'accepted' ? { text: '工作人员已与您联系', textEn: 'Staff contacted you' } : null;
      case 'reply':
        return { text: '已答复,请您评价办理结果', textEn: 'Answered: please rate the handling' };
      case 'decide_extension':
        return (e as AppealEvent<'decide_extension'>).payload.approved ? { text: '办理期限已依规延长', textEn: 'The deadline was extended' } : null;
      case 'supervise':
        return { text: '上级已督办', textEn: 'Supervised by the level above' };
      case 'rate':
        return { text: '感谢您的评价', textEn: 'Thank you for your rating' };
      case 'close':
        return { text: '已办结', textEn: 'Closed' };
      case 'reopen':
        return { text: '根据您的评价,已安排重新办理', textEn: 'Reopened after your rating' };
      case 'merge':
        return { text: '已与同一事项的诉求合并办理', textEn: 'Merged with an appeal about the same matter' };
      case 'redirect': {
        const c = (e as AppealEvent<'redirect'>).payload.channel as RedirectChannel;
        return { text: `已引导通过「${REDIRECT_CHANNEL_LABELS[c].zh}」途径解决:${(e as AppealEvent<'redirect'>).payload.guidance}`, textEn: `Redirected to ${REDIRECT_CHANNEL_LABELS[c].en}` };
      }
      case 'decide_unreasonable':
        return (e as AppealEvent<'decide_unreasonable'>).payload.approved ? { text: '经审核,该诉求已依规办结', textEn: 'Closed after review' } : null;
      default:
        return null;
    }
  }

  async tasks(p: StaffPrincipal, f: { kind?: string | undefined; status?: string | undefined; page: number; pageSize: number }) {
    requirePermission(p, 'task.read');
    let q = this.ctx.db.selectFrom('tasks').innerJoin('appeals', 'appeals.id', 'tasks.appeal_id').where(scopeFilter([p.scopePath]));
    if (f.kind) q = q.where('tasks.kind', '=', f.kind);
    if (f.status) q = q.where('tasks.status', '=', f.status);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await q
      .select(['tasks.id', 'tasks.kind', 'tasks.appeal_id', 'tasks.unit_id', 'tasks.round', 'tasks.status', 'tasks.created_at', 'tasks.due_at', 'tasks.done_at', 'appeals.title', 'appeals.tracking_code', 'appeals.status as appeal_status'])
      .orderBy('tasks.due_at')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    return {
      items: rows.map((t) => ({
        id: t.id,
        kind: t.kind,
        appealId: t.appeal_id,
        appealTitle: t.title,
        trackingCode: t.tracking_code,
        appealStatus: t.appeal_status,
        unitId: t.unit_id,
        round: t.round,
        status: t.status,
        createdAt: new Date(t.created_at).toISOString(),
        dueAt: new Date(t.due_at).toISOString(),
        doneAt: t.done_at ? new Date(t.done_at).toISOString() : null,
      })),
      total: Number(total?.n ?? 0),
      page: f.page,
      pageSize: f.pageSize,
    };
  }
}
