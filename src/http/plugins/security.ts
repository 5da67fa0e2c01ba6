// The public endpoints' guard and the route registry.
// - Guard: per-address and per-phone / per-tracking-code rate limits (token buckets) and the
//   proof-of-work captcha (x-captcha header), attached to the routes listed in PUBLIC_GUARDS or to any
//   route declaring `config: { publicGuard: … }`. Every public write must have one (a test checks).
// - Registry: every route as it is added (method, url, guard), for the authorization matrix and the
//   fuzz suite, so that a new endpoint cannot escape them.
// - Refused staff requests (403) are written to the audit trail.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { normalizePhone } from '../../lib/pii.ts';
import type { Services } from '../../services/index.ts';
import { CAPTCHA_HEADER } from '../../services/security/captcha.ts';
import { perDay, perHour, perMinute, type RateRule } from '../../services/security/rateLimit.ts';
import { repos } from '../../store/repositories/index.ts';

export type LimitName = 'submit' | 'track' | 'login' | 'captcha';

export interface PublicGuardSpec {
  /** A solved captcha is required in the x-captcha header. */
  captcha?: boolean;
  limits?: LimitName[];
  /** Signed-in staff (e.g. hotline operators entering an appeal) pass without captcha or limits. */
  citizenOnly?: boolean;
  /** A retry of a request already stored under its Idempotency-Key passes (it stores nothing new). */
  idempotentReplay?: 'submit';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    publicGuard?: PublicGuardSpec;
  }
  interface FastifyInstance {
    routeRegistry: RegisteredRoute[];
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  guard: PublicGuardSpec | null;
}

/** The guards of routes defined elsewhere (so their files need not know about this plugin). */
export const PUBLIC_GUARDS: Record<string, PublicGuardSpec> = {
  'POST /api/v1/appeals': { captcha: true, limits: ['submit'], citizenOnly: true, idempotentReplay: 'submit' },
  'POST /api/v1/track': { captcha: true, limits: ['track'] },
  'POST /api/v1/track/rating': { captcha: true, limits: ['track'] },
  'POST /api/v1/auth/login': { limits: ['login'] },
  'GET /api/v1/captcha': { limits: ['captcha'] },
};

function rulesFor(s: Services, name: LimitName, req: FastifyRequest): { rule: RateRule; key: string }[] {
  const c = s.ctx.config;
  const ip = req.ip ?? 'unknown';
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  switch (name) {
    case 'submit': {
      const out = [{ rule: perHour('submit-ip', c.RATE_SUBMIT_PER_IP_HOUR), key: ip }];
      // Per phone through its blind index: the limiter never holds a phone number.
      const idx = typeof body.phone === 'string' ? s.ctx.pii.blindIndex(normalizePhone(body.phone)) : null;
      if (idx) out.push({ rule: perDay('submit-phone', c.RATE_SUBMIT_PER_PHONE_DAY), key: idx });
      return out;
    }
    case 'track': {
      const out = [{ rule: perHour('track-ip', c.RATE_TRACK_PER_IP_HOUR), key: ip }];
      if (typeof body.trackingCode === 'string') out.push({ rule: perHour('track-code', c.RATE_TRACK_PER_CODE_HOUR), key: body.trackingCode.trim().toUpperCase().slice(0, 40) });
      const idx = typeof body.secret === 'string' ? s.ctx.pii.blindIndex(normalizePhone(body.secret)) : null;
      if (idx) out.push({ rule: perHour('track-phone', c.RATE_TRACK_PER_CODE_HOUR), key: idx });
      return out;
    }
    case 'login':
      return [{ rule: perMinute('login-ip', c.RATE_LOGIN_PER_IP_MINUTE), key: ip }];
    case 'captcha':
      return [{ rule: perMinute('captcha-ip', c.RATE_CAPTCHA_PER_IP_MINUTE), key: ip }];
  }
}

function guardHandler(s: Services, spec: PublicGuardSpec): preHandlerHookHandler {
  return async function publicGuard(req: FastifyRequest, reply: FastifyReply) {
    if (spec.citizenOnly && req.staff) return;
    if (spec.idempotentReplay === 'submit') {
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string' && (await repos.idempotency.find(s.ctx.db, `submit:${key}`))) return;
    }
    if (s.ctx.config.RATE_LIMITS_ENABLED) {
      const now = s.ctx.now();
      for (const name of spec.limits ?? []) {
        for (const { rule, key } of rulesFor(s, name, req)) {
          const d = await s.security.limiter.take(rule, key, now);
          if (!d.ok) {
            const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
            void reply.header('retry-after', String(seconds));
            throw new AppError(429, 'RATE_LIMITED', `请求过于频繁,请${seconds > 120 ? `${Math.ceil(seconds / 60)}分钟` : `${seconds}秒`}后再试`, `Too many requests: retry in ${seconds} s`, { limit: rule.name, retryAfterSeconds: seconds });
          }
        }
      }
    }
    if (spec.captcha && s.security.captcha.enabled) await s.security.captcha.spend(req.headers[CAPTCHA_HEADER]);
  };
}

export function registerSecurity(app: FastifyInstance, s: Services): void {
  const registry: RegisteredRoute[] = [];
  app.decorate('routeRegistry', registry);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      const url = route.url ?? route.path;
      const spec = route.config?.publicGuard ?? PUBLIC_GUARDS[`${method} ${url}`] ?? null;
      registry.push({ method, url, guard: spec });
      if (!spec) continue;
      const existing = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
      route.preHandler = [guardHandler(s, spec), ...existing];
    }
  });

  // Refusals of signed-in staff are security events (等保: audit of access-control failures).
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode !== 403 || !req.staff) return;
    try {
      await s.audit.record(req.staff, {
        action: 'access.denied',
        objectType: 'route',
        objectId: `${req.method} ${req.routeOptions.url ?? '?'}`.slice(0, 200),
        outcome: 'denied',
        details: { url: req.url.split('?')[0]!.slice(0, 200) },
      });
    } catch (e) {
      req.log.warn({ err: e }, 'could not audit a refused request');
    }
  });
}
