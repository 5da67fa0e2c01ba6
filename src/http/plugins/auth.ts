// Resolves the staff session (cookie for the web app, bearer token for API clients) into a principal.
// Cookie sessions must echo the session's CSRF token on every state-changing request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import { AppError, errors } from '../../lib/errors.ts';
import type { Services } from '../../services/index.ts';
import type { CitizenPrincipal, StaffPrincipal } from '../../services/principal.ts';

export const SESSION_COOKIE = 'mb_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffPrincipal | null;
  }
}

export function registerAuth(app: FastifyInstance, s: Services): void {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (req) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token || token.length > 200) return;
    const auth = await s.auth.authenticate(token, req.ip);
    if (!auth) return;
    if (!bearer && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== auth.csrfToken) {
        throw new AppError(403, 'CSRF_FAILED', '请求校验失败,请刷新页面后重试', 'CSRF check failed: reload the page and retry');
      }
    }
    req.staff = auth.principal;
  });
}

export function staffOf(req: FastifyRequest): StaffPrincipal {
  if (!req.staff) throw errors.unauthenticated();
  return req.staff;
}

export function citizenOf(req: FastifyRequest): CitizenPrincipal {
  return { kind: 'citizen', ip: req.ip };
}
