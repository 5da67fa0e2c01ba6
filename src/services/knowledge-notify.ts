// Composition of the knowledge base and the notifications (issue 10), called once by createServices:
// builds the services, the configured delivery providers, and registers the outbox projector on the
// AppealWriter so that messages are written in the same transaction as the events they announce.
import type { AppealHandlingService } from './appeals/handling.ts';
import type { AppealWriter } from './appeals/writer.ts';
import type { AuditService } from './audit.ts';
import type { CategoryService } from './categories.ts';
import type { ServiceContext } from './context.ts';
import { KnowledgeService } from './knowledge/service.ts';
import type { OrgService } from './org.ts';
import { SmsHttpProvider, WebhookProvider } from './notify/providers/http.ts';
import { InboxProvider } from './notify/providers/inbox.ts';
import { SmtpProvider } from './notify/providers/smtp.ts';
import { NotificationSender } from './notify/sender.ts';
import { NotificationService } from './notify/service.ts';

export interface KnowledgeNotifyServices {
  knowledge: KnowledgeService;
  notify: NotificationService;
}

export function createKnowledgeNotify(
  ctx: ServiceContext,
  deps: { org: OrgService; categories: CategoryService; audit: AuditService; writer: AppealWriter; handling: AppealHandlingService },
): KnowledgeNotifyServices {
  const c = ctx.config;
  const sender = new NotificationSender(ctx, deps.org, deps.categories);
  sender.setProvider(new InboxProvider(ctx.db, ctx.now));
  if (c.NOTIFY_SMS_URL) sender.setProvider(new SmsHttpProvider(c.NOTIFY_SMS_URL, c.NOTIFY_SMS_TOKEN, c.NOTIFY_TIMEOUT_MS));
  if (c.NOTIFY_WEBHOOK_URL) sender.setProvider(new WebhookProvider(c.NOTIFY_WEBHOOK_URL, c.NOTIFY_WEBHOOK_SECRET, c.NOTIFY_TIMEOUT_MS, ctx.now));
  if (c.NOTIFY_SMTP_HOST) {
    sender.setProvider(
      new SmtpProvider(
        { host: c.NOTIFY_SMTP_HOST, port: c.NOTIFY_SMTP_PORT, from: c.NOTIFY_SMTP_FROM, user: c.NOTIFY_SMTP_USER, password: c.NOTIFY_SMTP_PASSWORD, starttls: c.NOTIFY_SMTP_STARTTLS, timeoutMs: c.NOTIFY_TIMEOUT_MS },
        ctx.now,
      ),
    );
  }
  const notify = new NotificationService(ctx, deps.audit, sender);
  deps.writer.addProjector(notify.projector());
  const knowledge = new KnowledgeService(ctx, deps.org, deps.categories, deps.audit, deps.handling);
  return { knowledge, notify };
}
