// The HTTP adapter: Fastify with zod schemas (published as OpenAPI at /api/docs), one error shape,
// sessions, security headers, the REST API under /api/v1 and the web app's static files.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../services/index.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { appealRoutes } from './routes/appeals/index.ts';
import { auditRoutes } from './routes/audit/index.ts';
import { authRoutes } from './routes/auth/index.ts';
import { calendarRoutes } from './routes/calendar/index.ts';
import { categoryRoutes } from './routes/categories/index.ts';
import { healthRoutes } from './routes/health/index.ts';
import { regionRoutes } from './routes/regions/index.ts';
import { securityRoutes } from './routes/security/index.ts';
import { taskRoutes } from './routes/tasks/index.ts';
import { trackRoutes } from './routes/track/index.ts';
import { unitRoutes } from './routes/units/index.ts';
import { userRoutes } from './routes/users/index.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppOptions {
  /** Serve the built web app from web/dist when it exists (default true). */
  serveWeb?: boolean;
  logger?: boolean;
}

export async function buildApp(s: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.logger === false ? undefined : s.ctx.log) as FastifyBaseLogger | undefined,
    bodyLimit: s.ctx.config.BODY_LIMIT_BYTES,
    trustProxy: 'loopback',
    // One log line per request only when debugging: request logs carry addresses, not needed daily.
    logController: new LogController({ disableRequestLogging: s.ctx.config.LOG_LEVEL !== 'debug' && s.ctx.config.LOG_LEVEL !== 'trace' }),
    ajv: { customOptions: { allErrors: false } },
    routerOptions: { maxParamLength: 200 },
    // Errors raised by the router itself (over-long URLs, bad encoding) in the one error shape.
    frameworkErrors: (err, _req, res) => {
      const reply = res as unknown as import('fastify').FastifyReply;
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void reply.status(status >= 400 && status < 500 ? status : 400).send({
        error: { code: 'BAD_REQUEST', message: '请求地址无效或过长', messageEn: `Invalid request URL: ${err.message.slice(0, 80)}` },
      });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // JSON only: a text/plain body is refused as an unsupported media type, not parsed.
  app.removeContentTypeParser('text/plain');

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design and ECharts set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(cookie);
  registerAuth(app, s);
  registerSecurity(app, s);

  await app.register(swagger, {
    openapi: {
      info: { title: 'MinBiao 民标 API', version: '1.0.0', description: '民标:以民意为导向的政法业绩评价平台 — REST API. Errors: { error: { code, message (zh), messageEn } }.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'mb_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });

  for (const routes of [healthRoutes, authRoutes, unitRoutes, userRoutes, categoryRoutes, regionRoutes, calendarRoutes, appealRoutes, trackRoutes, taskRoutes, auditRoutes, securityRoutes]) {
    await app.register(routes(s));
  }
  await app.register((await import('./routes/metrics/index.ts')).metricsRoutes(s));
  await app.register((await import('./routes/participation/index.ts')).participationRoutes(s));
  await app.register((await import('./routes/text/index.ts')).textRoutes(s));
  await app.register((await import('./routes/catalogue/index.ts')).catalogueRoutes(s));
  for (const r of [(await import('./routes/kb/index.ts')).kbRoutes, (await import('./routes/notify/index.ts')).notifyRoutes]) await app.register(r(s));
  for (const r of [(await import('./routes/open311/index.ts')).open311Routes, (await import('./routes/interop/index.ts')).interopRoutes]) await app.register(r(s));

  if (opts.serveWeb !== false && fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
    // Client-side routes: any non-API GET falls back to the app shell.
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/') || req.url.startsWith('/open311/')) {
        return reply.status(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在', messageEn: 'No such endpoint' } });
      }
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}

