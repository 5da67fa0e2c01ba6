// The composition root of the services: one instance of each per process.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.ts';
import { PiiCipher } from '../lib/pii.ts';
import { openDatabase, type DatabaseHandle } from '../store/database.ts';
import { AuditService } from './audit.ts';
import { AuthService } from './auth.ts';
import { CalendarService } from './calendar.ts';
import { CategoryService } from './categories.ts';
import type { ServiceContext } from './context.ts';
import { OrgService } from './org.ts';
import { AppealHandlingService } from './appeals/handling.ts';
import { AppealIntakeService } from './appeals/intake.ts';
import { AppealQueryService } from './appeals/queries.ts';
import { AppealWriter } from './appeals/writer.ts';
import { SecurityServices } from './security/index.ts';
import { MemoryRateLimiter, type RateLimiter } from './security/rateLimit.ts';
import { RedisRateLimiter } from './security/redisRateLimit.ts';
import { createParticipation, type ParticipationServices } from './participation/index.ts';
import { ensureScoreFacts, scoreProjector } from './scoring/projector.ts';
import { ScoringService } from './scoring/service.ts';
import { createKnowledgeNotify, type KnowledgeNotifyServices } from './knowledge-notify.ts';
import { TextServices } from './text/index.ts';

export interface Services extends KnowledgeNotifyServices {
  ctx: ServiceContext;
  audit: AuditService;
  org: OrgService;
  categories: CategoryService;
  calendar: CalendarService;
  auth: AuthService;
  writer: AppealWriter;
  intake: AppealIntakeService;
  handling: AppealHandlingService;
  queries: AppealQueryService;
  security: SecurityServices;
  participation: ParticipationServices;
  scoring: ScoringService;
  text: TextServices;
  close(): Promise<void>;
}

/** Secrets: MINBIAO_SECRET (comma-separated, newest first, for rotation). Outside production a
 *  random one is generated into DATA_DIR on first start so that a demo needs no set-up. */
export function loadSecrets(config: Config): string[] {
  if (config.MINBIAO_SECRET) return config.MINBIAO_SECRET.split(',').map((s) => s.trim()).filter(Boolean);
  if (config.NODE_ENV === 'production') {
    throw new Error('生产环境必须设置 MINBIAO_SECRET / MINBIAO_SECRET must be set in production');
  }
  const file = path.join(config.dataDir, 'secret.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return [fs.readFileSync(file, 'utf8').trim()];
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.LOG_LEVEL,
    // Personal data never reaches the logs, even by accident in a logged request.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.phone', '*.citizenName', '*.password', '*.address'], censor: '[redacted]' },
  });
}

export async function createServices(
  config: Config,
  opts: { log?: Logger; now?: () => number; handle?: DatabaseHandle; migrate?: boolean } = {},
): Promise<Services> {
  const handle = opts.handle ?? openDatabase({ databaseUrl: config.DATABASE_URL, readUrl: config.DATABASE_READ_URL, readThreads: config.SQLITE_READ_THREADS, dataDir: config.dataDir });
  if (opts.migrate !== false) await handle.migrate();
  const ctx: ServiceContext = {
    config,
    handle,
    db: handle.db,
    readDb: handle.readDb,
    pii: new PiiCipher(loadSecrets(config)),
    log: opts.log ?? createLogger(config),
    now: opts.now ?? Date.now,
  };
  const audit = new AuditService(ctx);
  if (opts.migrate !== false) await audit.init();
  const org = new OrgService(ctx, audit);
  const categories = new CategoryService(ctx, audit);
  const calendar = new CalendarService(ctx, audit);
  const auth = new AuthService(ctx, org, audit);
  const writer = new AppealWriter(ctx, org, audit);
  // The figures' read model (score_facts / score_stats) moves in the same transaction as every appeal change.
  writer.addProjector(scoreProjector(handle.dialect));
  const intake = new AppealIntakeService(ctx, org, categories, calendar, audit, writer);
  const handling = new AppealHandlingService(ctx, org, categories, calendar, writer);
  const queries = new AppealQueryService(ctx, org, handling, audit);
  const scoring = new ScoringService(ctx, org, categories, audit);
  const text = new TextServices(ctx, org, categories, audit, handling);
  // Shared by every instance in Redis when configured, else in this process's memory.
  const limiter: RateLimiter = config.REDIS_URL ? RedisRateLimiter.fromUrl(config.REDIS_URL, { prefix: config.REDIS_KEY_PREFIX, log: ctx.log }) : new MemoryRateLimiter();
  intake.setAnalyzer(text.analyzer);
  const services: Services = {
    ctx,
    audit,
    org,
    categories,
    calendar,
    auth,
    writer,
    intake,
    handling,
    queries,
    security: new SecurityServices(ctx, audit, limiter),
    participation: createParticipation(ctx, org, categories, audit),
    scoring,
    text,
    ...createKnowledgeNotify(ctx, { org, categories, audit, writer, handling }),
    close: async () => {
      await limiter.close?.();
      await handle.close();
    },
  };
  scoring.setLatentSources({
    hotspotsResolved: (unit, period, subtree) => text.hotspots.resolvedFor(unit, period, subtree),
    surveyIndex: (regionCode, period) => services.participation.surveys.surveyIndexFor(regionCode, period),
    kbResolved: (regionCode, period) => services.knowledge.resolvedCount(regionCode, period),
  });
  if (opts.migrate !== false) await ensureScoreFacts(services);
  return services;
}
