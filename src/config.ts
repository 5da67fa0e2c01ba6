// Configuration from environment variables, validated once at start-up with documented defaults.
import path from 'node:path';
import { z } from 'zod';
import { NOTIFY_CONFIG_SHAPE } from './notify-config.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// (leave it unset for SQLite)')
    .optional(),
  /** A read-only pool (a streaming replica) for the dashboards, rankings and reports; PostgreSQL only (docs/deployment.md §4). */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL must start with postgres://')
    .optional(),
  /**
   * SQLite: worker threads, each with a read-only connection, that run the dashboards', rankings' and
   * reports' reads off the thread answering requests (0: they run on the one connection). Ignored on PostgreSQL.
   */
  SQLITE_READ_THREADS: z.coerce.number().int().min(0).max(8).default(2),
  /** Redis shared by several instances for the rate limits (unset: in memory per process; docs/deployment.md §3). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  /** Prefix of MinBiao's keys in Redis (several deployments may share one Redis). */
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('minbiao:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Key material for encrypting personal data (32+ chars). Generated into DATA_DIR on first start when unset outside production. */
  MINBIAO_SECRET: z.string().min(32, 'MINBIAO_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SCHEDULER_ENABLED: bool.default(true),
  /** Appeals whose classification confidence is below this go to the triage queue. */
  /** Dispatch appeals by the classifier and the dispatch catalogue when it is confident enough. */
  AUTO_DISPATCH: z.enum(['on', 'off']).default('on'),
  /** Minutes between hotspot refreshes by the scheduler (0: only on demand). */
  HOTSPOT_REFRESH_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  /** Hours a classifier model serves before the scheduler retrains it from the confirmed categories (0: never). */
  TEXT_RETRAIN_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(24),
  AUTO_DISPATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),
  /**
   * Seconds a dashboard answer (city summary, peer-group ranking) is served before it is recomputed in
   * the background; 0: computed on every request. See src/services/scoring/figures-cache.ts.
   */
  FIGURES_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  /** The appeal list counts matches up to this many, then answers "more than" (an exact count of millions is a scan per page). */
  LIST_TOTAL_CAP: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  ...NOTIFY_CONFIG_SHAPE,
  // Security (issue 6, docs/security.md): demo mode, second factor, passwords, captcha, rate limits, retention.
  /** Set by `minbiao serve --demo`: demo accounts keep their published passwords and need no second factor. Refused in production. */
  DEMO_MODE: bool.default(false),
  /** Roles that must sign in with a TOTP second factor (comma-separated; empty = none). */
  MFA_REQUIRED_ROLES: z.string().regex(/^[a-z,\s]*$/, 'comma-separated role names').default('sysadmin,secadmin,auditor'),
  /** A password older than this must be changed at the next sign-in (0 = never). */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** Proof-of-work captcha (ALTCHA) on the citizen's submission and tracking. */
  CAPTCHA_ENABLED: bool.default(true),
  /** Upper bound of the secret number: the work a client does is about half of it in SHA-256 hashes. */
  CAPTCHA_MAX_NUMBER: z.coerce.number().int().min(10).max(10_000_000).default(100_000),
  CAPTCHA_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  RATE_LIMITS_ENABLED: bool.default(true),
  /** Citizen submissions per source address per hour (token bucket: burst = the hourly amount). */
  RATE_SUBMIT_PER_IP_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Citizen submissions per phone number per day. */
  RATE_SUBMIT_PER_PHONE_DAY: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Tracking and rating requests per source address per hour, and per tracking code per hour. */
  RATE_TRACK_PER_IP_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(120),
  RATE_TRACK_PER_CODE_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Sign-in attempts per source address per minute (the account lockout counts per user). */
  RATE_LOGIN_PER_IP_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Challenges handed out per source address per minute. */
  RATE_CAPTCHA_PER_IP_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Days after an appeal is closed after which the citizen's identity is erased (PIPL). */
  PII_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
});

export type Config = z.infer<typeof schema> & { dataDir: string; dialect: 'sqlite' | 'postgres' };

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置无效 / Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.DEMO_MODE && c.NODE_ENV === 'production') {
    throw new ConfigError('配置无效 / Invalid configuration:\n  DEMO_MODE: 生产环境不能使用演示模式 / demo mode is refused when NODE_ENV=production');
  }
  if (c.DATABASE_READ_URL && !c.DATABASE_URL) {
    throw new ConfigError('配置无效 / Invalid configuration:\n  DATABASE_READ_URL: 只读副本仅用于 PostgreSQL,须同时设置 DATABASE_URL / a read replica needs DATABASE_URL (PostgreSQL) as the primary');
  }
  return { ...c, dataDir: path.resolve(c.DATA_DIR), dialect: c.DATABASE_URL ? 'postgres' : 'sqlite' };
}
