// Resolves the staff session (cookie for the web app, bearer token for API clients) into a principal.
// Cookie sessions must echo the session's CSRF token on every state-changing request. A session whose
// account is not in order (password to change, second factor to enrol) reaches only the endpoints it
// needs to put it in order.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import { AppError, errors } from '../../lib/errors.ts';
import { sessionRef, type SessionRestriction } from '../../services/auth.ts';
import type { Services } from '../../services/index.ts';
import type { CitizenPrincipal, StaffPrincipal, StaffSessionSeen } from '../../services/principal.ts';

export const SESSION_COOKIE = 'mb_session';

/** The only endpoints a restricted session may call. */
export const RESTRICTED_ALLOWED: Record<Exclude<SessionRestriction, null>, ReadonlySet<string>> = {
  password_change: new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout']),
  mfa_enrolment: new Set(['GET /api/v1/auth/me', 'POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/mfa/setup', 'POST /api/v1/auth/mfa/confirm']),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A citizen endpoint where a staff session that comes along is only noted (CitizenPrincipal.staffSession,
     * for the anti-gaming signals), never acted on: the request stays a citizen's, so it is neither refused
     * for a missing CSRF token nor held back by a restricted session. (The cookie is SameSite=Strict:
     * another site cannot make a browser send it.)
     */
    staffSessionNoted?: boolean;
  }
  interface FastifyRequest {
    staff: StaffPrincipal | null;
    staffSession: { csrfToken: string; restriction: SessionRestriction; viaCookie: boolean } | null;
    /** A valid staff session came with a request to a `staffSessionNoted` route. */
    staffSessionSeen: StaffSessionSeen | null;
  }
}

/**
 * The API endpoints anyone may call without a staff session (the citizen's side, reference data, sign-in).
 * Every other `/api/v1` route is refused with 401 before its input is even parsed or validated: staff
 * routes are closed by default, and an anonymous caller learns nothing of their schemas. (The web app's
 * files, the API docs and Open311 — which has its own API keys — are outside `/api/v1`.)
 * authorization-matrix.test.ts checks this list against the table of who may call what.
 */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/v1/categories',
  'GET /api/v1/regions',
  'GET /api/v1/captcha',
  'GET /api/v1/security/policy',
  'POST /api/v1/auth/login',
  'POST /api/v1/appeals',
  'POST /api/v1/classify',
  'POST /api/v1/track',
  'POST /api/v1/track/rating',
  'GET /api/v1/consultations',
  'GET /api/v1/consultations/:id',
  'GET /api/v1/consultations/:id/suggestions',
  'GET /api/v1/consultations/:id/results',
  'POST /api/v1/consultations/:id/suggestions',
  'POST /api/v1/consultations/:id/suggestions/:sid/support',
  'GET /api/v1/surveys/open',
  'GET /api/v1/surveys/:id',
  'POST /api/v1/surveys/:id/responses',
  'GET /api/v1/kb/search',
  'GET /api/v1/kb/articles/:id/public',
  'POST /api/v1/kb/queries/:id/click',
  'POST /api/v1/kb/resolutions',
  'GET /api/v1/interop/import-fields',
]);

/** Whether a route (method + Fastify url pattern) needs a staff session. */
export function isStaffRoute(method: string, url: string | undefined): boolean {
  if (url === undefined || !url.startsWith('/api/v1/')) return false;
  return !PUBLIC_API_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}

export function registerAuth(app: FastifyInstance, s: Services): void {
  app.decorateRequest('staff', null);
  app.decorateRequest('staffSession', null);
  app.decorateRequest('staffSessionSeen', null);
  app.addHook('onRequest', async (req) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = req.cookies?.[SESSION_COOKIE];
    const token = bearer ?? cookie;
    if (!token || token.length > 200) return;
    const noted = req.routeOptions.config?.staffSessionNoted === true;
    const auth = await s.auth.authenticate(token, req.ip, { touch: !noted });
    if (!auth) return;
    if (noted) {
      req.staffSessionSeen = { userId: auth.principal.userId, ref: sessionRef(auth.principal.sessionId ?? '') };
      return;
    }
    if (!bearer && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== auth.csrfToken) {
        throw new AppError(403, 'CSRF_FAILED', '请求校验失败,请刷新页面后重试', 'CSRF check failed: reload the page and retry');
      }
    }
    if (auth.restriction && !RESTRICTED_ALLOWED[auth.restriction].has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      throw auth.restriction === 'password_change'
        ? new AppError(403, 'PASSWORD_CHANGE_REQUIRED', '请先修改密码', 'Change your password first')
        : new AppError(403, 'MFA_ENROLMENT_REQUIRED', '请先绑定双因素认证(动态验证码)', 'Enrol your second factor (authenticator app) first');
    }
    req.staff = auth.principal;
    req.staffSession = { csrfToken: auth.csrfToken, restriction: auth.restriction, viaCookie: !bearer };
  });
  // Before the body is parsed: an anonymous request to a staff route is refused whatever it carries.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (!req.staff && isStaffRoute(req.method, req.routeOptions.url)) throw errors.unauthenticated();
    return payload;
  });
}

export function staffOf(req: FastifyRequest): StaffPrincipal {
  if (!req.staff) throw errors.unauthenticated();
  return req.staff;
}

export function citizenOf(req: FastifyRequest): CitizenPrincipal {
  return { kind: 'citizen', ip: req.ip, staffSession: req.staffSessionSeen };
}
