// The sender: takes due messages from the outbox, renders them with the current template, resolves the
// address at send time (the citizen's phone is decrypted here and nowhere else), hands them to the
// channel's provider with their delivery key, and records the outcome. Failures are retried with
// exponential backoff until NOTIFY_MAX_ATTEMPTS or the message's expiry; permanent failures stop at once.
// Run by the notifier job under a lease (one sender at a time) and by `minbiao notify send-pending`.
import { APPEAL_TYPE_LABELS, type AppealType } from '../../domain/appeal/types.ts';
import { nextAttemptDelay } from '../../domain/notify/rules.ts';
import { DEFAULT_TEMPLATES, isTemplateKey, render } from '../../domain/notify/templates.ts';
import type { NotifyOutboxTable } from '../../store/knowledge-schema.ts';
import { repos } from '../../store/repositories/index.ts';
import { notifyRepo } from '../../store/repositories/notify.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { DeliveryError, scrubError, type Channel, type OutgoingMessage, type Provider } from './providers/types.ts';

export interface SendReport {
  attempted: number;
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

const URGENCY_LABELS: Record<string, string> = { emergency: '紧急', urgent: '加急', general: '一般' };

export function formatDue(t: number): string {
  const d = new Date(t + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export class NotificationSender {
  readonly providers = new Map<Channel, Provider>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
  ) {}

  setProvider(p: Provider): void {
    this.providers.set(p.channel, p);
  }

  /** Sends what is due now; returns what happened. Safe to run again at any time. */
  async sendPending(opts: { limit?: number; concurrency?: number } = {}): Promise<SendReport> {
    const report: SendReport = { attempted: 0, sent: 0, retried: 0, failed: 0, skipped: 0 };
    const limit = opts.limit ?? 1000;
    const seen = new Set<string>();
    const templates = new Map((await notifyRepo.templates(this.ctx.db)).map((t) => [t.key, t]));
    while (report.attempted < limit) {
      const due = (await notifyRepo.due(this.ctx.db, this.ctx.now(), Math.min(100, limit - report.attempted))).filter((m) => !seen.has(m.id));
      if (due.length === 0) break;
      for (const m of due) seen.add(m.id);
      const queue = [...due];
      const worker = async () => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          report.attempted++;
          const outcome = await this.deliver(m, templates).catch((e: unknown) => {
            this.ctx.log.error({ err: e, deliveryKey: m.delivery_key }, 'notification delivery crashed');
            return 'retried' as const;
          });
          report[outcome]++;
        }
      };
      await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
    }
    if (report.attempted) this.ctx.log.info({ notifications: report }, 'notifications sent');
    return report;
  }

  private async deliver(m: NotifyOutboxTable, templates: Map<string, { title: string; body: string; enabled: number }>): Promise<'sent' | 'retried' | 'failed' | 'skipped'> {
    const db = this.ctx.db;
    const now = this.ctx.now();
    const skip = async (why: string) => {
      await notifyRepo.settle(db, m.id, { status: 'skipped', last_error: why });
      return 'skipped' as const;
    };
    if (now > Number(m.expires_at)) {
      await notifyRepo.settle(db, m.id, { status: 'failed', last_error: `${m.last_error ? `${m.last_error}; ` : ''}expired before delivery` });
      return 'failed';
    }
    if (!isTemplateKey(m.template)) return skip('unknown template');
    const custom = templates.get(m.template);
    if (custom && !custom.enabled) return skip('template disabled');
    const provider = this.providers.get(m.channel as Channel);
    if (!provider) return skip(`channel ${m.channel} not configured`);

    const vars = JSON.parse(m.vars) as Record<string, string | number | null>;
    const toCitizen = m.recipient_kind === 'appeal';
    const appeal = m.appeal_id && (toCitizen || m.only_if_status) ? await repos.appeals.findRow(db, m.appeal_id) : undefined;
    if (m.only_if_status && appeal && (appeal.status !== m.only_if_status || (m.only_if_round !== null && appeal.round !== Number(m.only_if_round)))) {
      return skip('obsolete: the appeal moved on');
    }
    let to: string | null = null;
    // Addresses are read now, not when queued: an address erased by retention meanwhile is not used.
    if (m.channel === 'sms') to = appeal && !appeal.anonymous ? this.ctx.pii.decrypt(appeal.citizen_phone_enc) : null;
    else if (m.channel === 'email' && toCitizen) to = appeal ? this.ctx.pii.decrypt(appeal.citizen_email_enc) : null;
    else if (m.channel === 'email') {
      const pref = await notifyRepo.pref(db, m.recipient_id);
      to = pref && pref.email_enabled ? this.ctx.pii.decrypt(pref.email_enc) : null;
    } else to = m.recipient_id;
    if (!to) return skip('no address');

    const def = DEFAULT_TEMPLATES[m.template];
    const all = await this.variables(vars);
    const message: OutgoingMessage = {
      deliveryKey: m.delivery_key,
      channel: m.channel as Channel,
      to,
      title: render(custom?.title ?? def.title, all),
      body: render(custom?.body ?? def.body, all),
      template: m.template,
      audience: m.audience,
      appealId: m.appeal_id,
      trackingCode: typeof vars.trackingCode === 'string' ? vars.trackingCode : null,
    };
    try {
      const r = await provider.send(message);
      await notifyRepo.settle(db, m.id, { status: 'sent', sent_at: this.ctx.now(), attempts: Number(m.attempts) + 1, provider_ref: r.ref, last_error: null });
      return 'sent';
    } catch (e) {
      const permanent = e instanceof DeliveryError && e.permanent;
      const error = scrubError(e instanceof Error ? e.message : String(e));
      const attempts = Number(m.attempts) + 1;
      const cfg = this.ctx.config;
      if (permanent || attempts >= cfg.NOTIFY_MAX_ATTEMPTS) {
        await notifyRepo.settle(db, m.id, { status: 'failed', attempts, last_error: error });
        this.ctx.log.warn({ deliveryKey: m.delivery_key, channel: m.channel, attempts, error }, 'notification failed');
        return 'failed';
      }
      const delay = nextAttemptDelay(attempts, cfg.NOTIFY_RETRY_BASE_SECONDS * 1000, cfg.NOTIFY_RETRY_MAX_SECONDS * 1000, Math.random());
      await notifyRepo.settle(db, m.id, { attempts, next_attempt_at: this.ctx.now() + delay, last_error: error });
      this.ctx.log.info({ deliveryKey: m.delivery_key, channel: m.channel, attempts, retryInMs: delay, error }, 'notification will be retried');
      return 'retried';
    }
  }

  /** Names and links resolved at send time from the ids stored with the message. */
  private async variables(v: Record<string, string | number | null>): Promise<Record<string, string | number | null>> {
    const base = (this.ctx.config.NOTIFY_PUBLIC_URL ?? '').replace(/\/+$/, '');
    const unitId = typeof v.unitId === 'string' ? v.unitId : null;
    const categoryId = typeof v.categoryId === 'string' ? v.categoryId : null;
    const code = typeof v.trackingCode === 'string' ? v.trackingCode : '';
    const title = typeof v.title === 'string' ? v.title : '';
    return {
      ...v,
      title: [...title].length > 30 ? `${[...title].slice(0, 30).join('')}…` : title,
      unitName: unitId ? ((await this.org.get(unitId))?.name ?? '承办单位') : '承办单位',
      categoryName: categoryId ? ((await this.categories.get(categoryId))?.name ?? '') : '未分类',
      typeLabel: APPEAL_TYPE_LABELS[v.type as AppealType]?.zh ?? '诉求',
      urgencyLabel: URGENCY_LABELS[String(v.urgency)] ?? '一般',
      dueDate: typeof v.dueAt === 'number' ? formatDue(v.dueAt) : '',
      trackUrl: base ? `${base}/track?code=${encodeURIComponent(code)}` : '民标平台“进度查询”',
      appealUrl: base && typeof v.appealId === 'string' ? `${base}/staff/appeals?id=${encodeURIComponent(v.appealId)}` : '',
    };
  }
}
