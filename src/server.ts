// Starts the product: database (migrated), services, HTTP server, scheduler; stops them gracefully.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { buildApp } from './http/app.ts';
import { Scheduler } from './jobs/scheduler.ts';
import { MaintenanceJob } from './jobs/maintenance.ts';
import { createServices, type Services } from './services/index.ts';

export interface Running {
  app: FastifyInstance;
  services: Services;
  scheduler: Scheduler | null;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(config: Config, opts: { beforeListen?: (s: Services) => Promise<void> } = {}): Promise<Running> {
  const services = await createServices(config);
  if (opts.beforeListen) await opts.beforeListen(services);
  await services.security.atStart();
  // Before listening: behind nginx an instance takes requests only once the first would not wait for
  // the classifier and the duplicate index to load (1.4–1.9 s for the first submissions otherwise).
  const warmStart = Date.now();
  await services.text.analyzer.warm();
  services.ctx.log.info({ ms: Date.now() - warmStart }, 'text analysis warmed');
  const app = await buildApp(services);
  await app.listen({ port: config.PORT, host: config.HOST });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const scheduler = config.SCHEDULER_ENABLED ? new Scheduler(services) : null;
  scheduler?.start(config.SCHEDULER_INTERVAL_SECONDS * 1000);
  // Retention and security housekeeping, hourly, with the scheduler.
  const maintenance = config.SCHEDULER_ENABLED ? new MaintenanceJob(services) : null;
  maintenance?.start(3600_000);
  // Notifications (outbox sender with retries) and knowledge-base housekeeping (issue 10).
  const notifier = config.NOTIFY_ENABLED ? new (await import('./jobs/notifier.ts')).NotifierJob(services) : null;
  notifier?.start(config.NOTIFY_INTERVAL_SECONDS * 1000);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Stop taking requests, let those in flight finish, then stop jobs and close the database.
      await app.close();
      await scheduler?.stop();
      await maintenance?.stop();
      await notifier?.stop();
      await services.close();
    })());
  return { app, services, scheduler, url: `http://${host}:${port}/`, stop };
}
