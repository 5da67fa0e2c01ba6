// Configuration from environment variables, validated once at start-up with documented defaults.
import path from 'node:path';
import { z } from 'zod';

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Key material for encrypting personal data (32+ chars). Generated into DATA_DIR on first start when unset outside production. */
  MINBIAO_SECRET: z.string().min(32, 'MINBIAO_SECRET must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  SCHEDULER_ENABLED: bool.default(true),
  /** Appeals whose classification confidence is below this go to the triage queue. */
  AUTO_DISPATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.85),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
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
  return { ...c, dataDir: path.resolve(c.DATA_DIR), dialect: c.DATABASE_URL ? 'postgres' : 'sqlite' };
}
