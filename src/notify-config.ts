// Environment variables of the notifications and the knowledge base (issue 10), merged into the
// validated configuration by src/config.ts. Documented in README.md ("Notifications").
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const url = (what: string) => z.string().regex(/^https?:\/\/\S+$/, `${what} must be an http(s) URL`);

export const NOTIFY_CONFIG_SHAPE = {
  /** Run the notification sender (and the knowledge base's housekeeping) in this process. */
  NOTIFY_ENABLED: bool.default(true),
  NOTIFY_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** Attempts before a message is given up as failed (it stays visible to the admin, who may retry it). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** First retry delay; each further retry doubles it (±20 % jitter), capped at NOTIFY_RETRY_MAX_SECONDS. */
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  NOTIFY_RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3600),
  /** A message not delivered within this many hours is failed (a day-old "received" SMS helps no one). */
  NOTIFY_EXPIRE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  /** Hours after a reply before the citizen is invited to rate (skipped when they already rated). */
  NOTIFY_RATE_REMINDER_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Public address of the web app, used for links in messages (e.g. https://minbiao.example.gov.cn). */
  NOTIFY_PUBLIC_URL: url('NOTIFY_PUBLIC_URL').optional(),
  /** SMS gateway: POST JSON { deliveryKey, to, text, template } with an Idempotency-Key header. */
  NOTIFY_SMS_URL: url('NOTIFY_SMS_URL').optional(),
  NOTIFY_SMS_TOKEN: z.string().min(1).optional(),
  /** SMTP relay for e-mail copies to staff who asked for them. */
  NOTIFY_SMTP_HOST: z.string().min(1).optional(),
  NOTIFY_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  NOTIFY_SMTP_FROM: z.string().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'NOTIFY_SMTP_FROM must be an e-mail address').default('minbiao@localhost'),
  NOTIFY_SMTP_USER: z.string().min(1).optional(),
  NOTIFY_SMTP_PASSWORD: z.string().min(1).optional(),
  /** Upgrade with STARTTLS when the server offers it (required when a user is set). */
  NOTIFY_SMTP_STARTTLS: bool.default(true),
  /** Webhook receiving staff notifications (e.g. a work-chat bot), signed with HMAC-SHA256. */
  NOTIFY_WEBHOOK_URL: url('NOTIFY_WEBHOOK_URL').optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'NOTIFY_WEBHOOK_SECRET must be at least 16 characters').optional(),
} as const;
