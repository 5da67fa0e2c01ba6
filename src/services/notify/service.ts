// Notifications (让群众知道进展): the projector that writes the outbox inside every appeal change's
// transaction, the templates the admin edits, the staff inbox and preferences, and the outbox view.
import type { Role } from '../../domain/access/roles.ts';
import { intentsFor, type AppealFacts, type Intent, type RiskFacts } from '../../domain/notify/rules.ts';
import { DEFAULT_TEMPLATES, render, TEMPLATE_KEYS, unknownVariables, type TemplateKey } from '../../domain/notify/templates.ts';
import { assessRisk } from '../../domain/text/risk.ts';
import { errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { maskEmail } from '../../lib/pii.ts';
import type { NotifyOutboxTable } from '../../store/knowledge-schema.ts';
import type { Executor } from '../../store/repositories/index.ts';
import { notifyRepo } from '../../store/repositories/notify.ts';
import type { Projector } from '../appeals/writer.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import { requirePermission, type StaffPrincipal } from '../principal.ts';
import type { NotificationSender } from './sender.ts';

const RISK_LABELS: Record<string, string> = {
  violence: '暴力威胁',
  weapon: '涉及凶器',
  'self-harm': '自伤自杀风险',
  group: '群体聚集',
  emotion: '情绪激烈',
  escalation: '反复诉求',
};

const STAFF_CACHE_MS = 30_000;

export interface TemplateView {
  key: TemplateKey;
  audience: string;
  label: string;
  title: string;
  body: string;
  enabled: boolean;
  custom: boolean;
  variables: string[];
  updatedAt: string | null;
}

const SAMPLE_VARS = {
  trackingCode: 'MB2603-7KQ4XR',
  title: '楼下KTV深夜噪音扰民',
  unitName: '城关派出所',
  categoryName: '噪音扰民',
  dueDate: '3月9日18:00',
  trackUrl: 'https://minbiao.example.gov.cn/track?code=MB2603-7KQ4XR',
  appealUrl: 'https://minbiao.example.gov.cn/staff/appeals?id=…',
  typeLabel: '投诉',
  urgencyLabel: '一般',
  reason: '办理期限',
  level: '高',
};

export class NotificationService {
  private readonly staffCache = new Map<string, { at: number; users: { id: string; roles: string; email: boolean }[] }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    readonly sender: NotificationSender,
  ) {}

  // ------------------------------------------------------------ the transactional outbox

  /** Registered on the AppealWriter: runs inside the transaction of every appeal change. */
  projector(): Projector {
    return async (trx, applied) => {
      const { row, state, event } = applied;
      // The channels the citizen gave: a phone (not for anonymous appeals) and/or an e-mail address.
      const citizenChannels = [...(!row.anonymous && row.citizen_phone_enc ? ['sms'] : []), ...(row.citizen_email_enc ? ['email'] : [])];
      const facts: AppealFacts = {
        id: row.id,
        trackingCode: row.tracking_code,
        title: row.title,
        type: state.type,
        urgency: state.urgency,
        status: state.status,
        round: state.round,
        categoryId: state.categoryId,
        unitId: state.unitId,
        intakeUnitId: row.intake_unit_id,
        handleDueAt: state.handleDueAt,
        reachable: citizenChannels.length > 0,
      };
      const risk = event.action === 'submit' ? riskOf(`${row.title}\n${row.body}`) : null;
      if (event.action === 'submit' && (state.urgency === 'emergency' || risk?.level === 'high')) {
        // Read through the transaction (never ctx.db here): the 政法委 above the intake centre.
        const u = await trx.selectFrom('org_units').select('parent_id').where('id', '=', row.intake_unit_id).executeTakeFirst();
        facts.intakeParentId = u?.parent_id ?? null;
      }
      const intents = intentsFor(event, facts, risk, { rateReminderMs: this.ctx.config.NOTIFY_RATE_REMINDER_HOURS * 3600_000 });
      if (intents.length === 0) return;
      const rows = new Map<string, NotifyOutboxTable>();
      const now = event.at;
      const expires = now + this.ctx.config.NOTIFY_EXPIRE_HOURS * 3600_000;
      const add = (it: Intent, audience: string, channel: string, kind: string, recipient: string) => {
        const key = `${row.id}:${event.seq}:${it.template}:${channel}:${recipient}`;
        if (rows.has(key)) return;
        const notBefore = it.notBefore ?? now;
        rows.set(key, {
          id: newId(now),
          delivery_key: key,
          created_at: now,
          template: it.template,
          audience,
          channel,
          recipient_kind: kind,
          recipient_id: recipient,
          appeal_id: row.id,
          region_code: row.region_code,
          vars: JSON.stringify(it.vars),
          status: 'pending',
          attempts: 0,
          next_attempt_at: notBefore,
          expires_at: Math.max(expires, notBefore + this.ctx.config.NOTIFY_EXPIRE_HOURS * 3600_000),
          last_error: null,
          sent_at: null,
          provider_ref: null,
          only_if_status: it.onlyIfStatus ?? null,
          only_if_round: it.onlyIfRound ?? null,
        });
      };
      for (const it of intents) {
        if (it.target.kind === 'citizen') {
          for (const channel of citizenChannels) add(it, 'citizen', channel, 'appeal', row.id);
          continue;
        }
        const roles = it.target.roles;
        for (const u of await this.staffOf(trx, it.target.unitId)) {
          if (!u.roles.split(',').some((r) => roles.includes(r.trim() as Role))) continue;
          add(it, 'staff', 'inbox', 'user', u.id);
          if (u.email) add(it, 'staff', 'email', 'user', u.id);
        }
        if (this.ctx.config.NOTIFY_WEBHOOK_URL) add(it, 'staff', 'webhook', 'endpoint', `unit:${it.target.unitId}`);
      }
      await notifyRepo.enqueue(trx, [...rows.values()]);
    };
  }

  /** Staff of a unit (read through the transaction; cached briefly: units change rarely). */
  private async staffOf(trx: Executor, unitId: string) {
    const hit = this.staffCache.get(unitId);
    if (hit && Date.now() - hit.at < STAFF_CACHE_MS) return hit.users;
    const users = await notifyRepo.staffOf(trx, unitId);
    this.staffCache.set(unitId, { at: Date.now(), users });
    return users;
  }

  // ------------------------------------------------------------ templates

  async templates(p: StaffPrincipal): Promise<TemplateView[]> {
    requirePermission(p, 'notify.manage');
    const custom = new Map((await notifyRepo.templates(this.ctx.db)).map((t) => [t.key, t]));
    return TEMPLATE_KEYS.map((key) => {
      const d = DEFAULT_TEMPLATES[key];
      const c = custom.get(key);
      return {
        key,
        audience: d.audience,
        label: d.label,
        title: c?.title ?? d.title,
        body: c?.body ?? d.body,
        enabled: c ? c.enabled === 1 : true,
        custom: !!c,
        variables: [...d.variables],
        updatedAt: c ? new Date(Number(c.updated_at)).toISOString() : null,
      };
    });
  }

  async saveTemplate(p: StaffPrincipal, key: TemplateKey, input: { title: string; body: string; enabled: boolean }): Promise<TemplateView> {
    requirePermission(p, 'notify.manage');
    const bad = unknownVariables(key, input.title, input.body);
    if (bad.length) {
      throw errors.validation(`模板中有未定义的变量:${bad.join('、')}`, `Unknown template variables: ${bad.join(', ')}`, { variables: bad, allowed: DEFAULT_TEMPLATES[key].variables });
    }
    const now = this.ctx.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await notifyRepo.saveTemplate(trx, { key, title: input.title, body: input.body, enabled: input.enabled ? 1 : 0, updated_at: now, updated_by: p.userId });
      await this.audit.record(p, { action: 'notify.template', objectType: 'notify_template', objectId: key, outcome: 'success', details: { enabled: input.enabled } }, trx);
    });
    return (await this.templates(p)).find((t) => t.key === key)!;
  }

  async resetTemplate(p: StaffPrincipal, key: TemplateKey): Promise<TemplateView> {
    requirePermission(p, 'notify.manage');
    await notifyRepo.deleteTemplate(this.ctx.db, key);
    await this.audit.record(p, { action: 'notify.template.reset', objectType: 'notify_template', objectId: key, outcome: 'success', details: null });
    return (await this.templates(p)).find((t) => t.key === key)!;
  }

  /** Renders the text given, or the template as it stands (the admin's wording or the default), with sample values. */
  async preview(p: StaffPrincipal, key: TemplateKey, input?: { title: string; body: string }): Promise<{ title: string; body: string; unknown: string[] }> {
    requirePermission(p, 'notify.manage');
    const current = (await this.templates(p)).find((t) => t.key === key)!;
    const title = input?.title ?? current.title;
    const body = input?.body ?? current.body;
    return { title: render(title, SAMPLE_VARS), body: render(body, SAMPLE_VARS), unknown: unknownVariables(key, title, body) };
  }

  // ------------------------------------------------------------ the staff inbox

  async inbox(p: StaffPrincipal, f: { unread?: boolean | undefined; page: number; pageSize: number }) {
    let q = this.ctx.db.selectFrom('notify_inbox').where('user_id', '=', p.userId);
    if (f.unread) q = q.where('read_at', 'is', null);
    const [total, unread, rows] = await Promise.all([
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
      this.ctx.db.selectFrom('notify_inbox').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', p.userId).where('read_at', 'is', null).executeTakeFirst(),
      q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        template: r.template,
        title: r.title,
        body: r.body,
        appealId: r.appeal_id,
        createdAt: new Date(Number(r.created_at)).toISOString(),
        readAt: r.read_at === null ? null : new Date(Number(r.read_at)).toISOString(),
      })),
      total: Number(total?.n ?? 0),
      unread: Number(unread?.n ?? 0),
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  async markRead(p: StaffPrincipal, input: { ids?: string[] | undefined; all?: boolean | undefined }): Promise<{ updated: number }> {
    if (!input.all && !input.ids?.length) throw errors.validation('请指定要标记的消息', 'Give message ids or all=true');
    let q = this.ctx.db.updateTable('notify_inbox').set({ read_at: this.ctx.now() }).where('user_id', '=', p.userId).where('read_at', 'is', null);
    if (!input.all) q = q.where('id', 'in', input.ids!);
    const r = await q.executeTakeFirst();
    return { updated: Number(r.numUpdatedRows) };
  }

  // ------------------------------------------------------------ preferences

  async prefs(p: StaffPrincipal): Promise<{ email: string | null; emailEnabled: boolean }> {
    const r = await notifyRepo.pref(this.ctx.db, p.userId);
    const email = r ? this.ctx.pii.decrypt(r.email_enc) : null;
    return { email: email ? maskEmail(email) : null, emailEnabled: !!r && r.email_enabled === 1 && !!email };
  }

  async savePrefs(p: StaffPrincipal, input: { email?: string | null | undefined; emailEnabled: boolean }): Promise<{ email: string | null; emailEnabled: boolean }> {
    const prior = await notifyRepo.pref(this.ctx.db, p.userId);
    const email = input.email === undefined ? (prior ? this.ctx.pii.decrypt(prior.email_enc) : null) : input.email?.trim() || null;
    if (input.emailEnabled && !email) throw errors.validation('开启邮件提醒需要填写邮箱', 'An e-mail address is needed for e-mail notifications', { field: 'email' });
    await notifyRepo.savePref(this.ctx.db, { user_id: p.userId, email_enc: this.ctx.pii.encrypt(email), email_enabled: input.emailEnabled ? 1 : 0, updated_at: this.ctx.now() });
    this.staffCache.clear();
    return this.prefs(p);
  }

  // ------------------------------------------------------------ the outbox, for the admin

  async outbox(p: StaffPrincipal, f: { status?: string | undefined; channel?: string | undefined; appealId?: string | undefined; page: number; pageSize: number }) {
    requirePermission(p, 'notify.manage');
    let q = this.ctx.db.selectFrom('notify_outbox');
    if (f.status) q = q.where('status', '=', f.status);
    if (f.channel) q = q.where('channel', '=', f.channel);
    if (f.appealId) q = q.where('appeal_id', '=', f.appealId);
    const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        deliveryKey: r.delivery_key,
        template: r.template,
        audience: r.audience,
        channel: r.channel,
        // The recipient is an id (appeal or user), never a phone number or address.
        recipientKind: r.recipient_kind,
        recipientId: r.recipient_id,
        appealId: r.appeal_id,
        status: r.status,
        attempts: Number(r.attempts),
        nextAttemptAt: new Date(Number(r.next_attempt_at)).toISOString(),
        lastError: r.last_error,
        sentAt: r.sent_at === null ? null : new Date(Number(r.sent_at)).toISOString(),
        createdAt: new Date(Number(r.created_at)).toISOString(),
      })),
      total: Number(total?.n ?? 0),
      counts: await notifyRepo.counts(this.ctx.db),
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  async retry(p: StaffPrincipal, id: string): Promise<{ id: string; status: string }> {
    requirePermission(p, 'notify.manage');
    const m = await notifyRepo.get(this.ctx.db, id);
    if (!m) throw errors.notFound(`Message ${id}`, '消息');
    if (!(await notifyRepo.retry(this.ctx.db, id, this.ctx.now()))) {
      throw errors.conflict('NOT_RETRYABLE', '只有失败或跳过的消息可以重发', 'Only failed or skipped messages can be retried');
    }
    await this.audit.record(p, { action: 'notify.retry', objectType: 'notify_message', objectId: id, outcome: 'success', details: null });
    return { id, status: 'pending' };
  }
}

function riskOf(text: string): RiskFacts {
  const r = assessRisk(text);
  return { level: r.level, reasons: [...new Set(r.signals.map((s) => RISK_LABELS[s.kind] ?? s.kind))] };
}
