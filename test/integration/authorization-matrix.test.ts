// Authorization matrix (等保 2.0 访问控制): every route of the Fastify route table is called as every
// role, from inside and outside the unit owning the object, and the outcome compared with the table in
// authorization-matrix.table.ts. A route the table does not know fails the test, so a new endpoint
// cannot ship without saying who may call it. Also: every public write is behind the captcha.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, Fixtures, type Actor, type Entry, type Req } from '../support/matrix.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { MATRIX } from './authorization-matrix.table.ts';
import { isStaffRoute } from '../../src/http/plugins/auth.ts';

let h: Harness;
let fx: Fixtures;
beforeAll(async () => {
  h = await createHarness();
  fx = new Fixtures(h);
  await fx.init();
}, 180_000);
afterAll(async () => h?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const ROUTE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function entriesOf(method: string, url: string): Entry[] | null {
  const e = MATRIX[`${method} ${url}`] ?? MATRIX[`* ${url}`];
  return e ? (Array.isArray(e) ? e : [e]) : null;
}

/** Calls a route as an actor: a staff bearer session, or nobody. Captcha-guarded routes get a solved captcha. */
async function call(actor: Actor, method: Method, req: Req, captcha: boolean): Promise<{ status: number; body: string }> {
  const user = actor === 'anon' ? null : actor;
  const headers: Record<string, string> = { ...req.headers };
  if (captcha) headers['x-captcha'] = await h.captcha();
  if (req.raw) {
    if (user && !h.tokens[user]) await h.login(user);
    const send = () =>
      h.app.inject({ method, url: req.url, payload: req.raw!.payload, headers: { ...headers, 'content-type': req.raw!.contentType, ...(user ? { authorization: `Bearer ${h.tokens[user]}` } : {}) } });
    let r = await send();
    if (user && r.statusCode === 401) {
      await h.login(user);
      r = await send();
    }
    return { status: r.statusCode, body: r.body };
  }
  const r = await h.api(user, method, req.url, req.body, headers);
  return { status: r.statusCode, body: r.body };
}

const DENIED = new Set([401, 403, 404]);

describe('authorization matrix', () => {
  it('knows every route of the route table', () => {
    const missing = h.app.routeRegistry.filter((r) => ROUTE_METHODS.has(r.method) && !entriesOf(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(missing, `routes without an entry in authorization-matrix.table.ts:\n${missing.join('\n')}`).toEqual([]);
    const known = new Set(h.app.routeRegistry.map((r) => `${r.method} ${r.url}`));
    const urls = new Set(h.app.routeRegistry.map((r) => r.url));
    const stale = Object.keys(MATRIX).filter((k) => !known.has(k) && !(k.startsWith('* ') && urls.has(k.slice(2))));
    expect(stale, `entries for routes that do not exist:\n${stale.join('\n')}`).toEqual([]);
  });

  it('closes every /api/v1 route to anonymous callers except those the table opens to them', () => {
    const wrong = h.app.routeRegistry
      .filter((r) => ROUTE_METHODS.has(r.method) && r.url.startsWith('/api/v1/'))
      .filter((r) => {
        const open = (entriesOf(r.method, r.url) ?? []).some((e) => e.allow.includes('anon') || e.anonStatus !== undefined);
        return isStaffRoute(r.method, r.url) === open;
      })
      .map((r) => `${r.method} ${r.url}`);
    expect(wrong, `PUBLIC_API_ROUTES (src/http/plugins/auth.ts) disagrees with the table for:\n${wrong.join('\n')}`).toEqual([]);
  });

  it('refuses an anonymous caller of a staff route with 401 before looking at its input', async () => {
    const failures: string[] = [];
    const routes = h.app.routeRegistry.filter((r) => ROUTE_METHODS.has(r.method) && isStaffRoute(r.method, r.url));
    expect(routes.length).toBeGreaterThan(50);
    for (const r of routes) {
      const url = `${r.url.replace(/:[A-Za-z]+/g, '..%00bad').replace('*', 'x')}?page=-1&pageSize=abc&period=not-a-period`;
      const hasBody = r.method !== 'GET' && r.method !== 'DELETE';
      const res = await h.app.inject({ method: r.method as Method, url, ...(hasBody ? { payload: '{"unterminated": ', headers: { 'content-type': 'application/json' } } : {}) });
      if (res.statusCode !== 401 || !res.body.includes('UNAUTHENTICATED')) failures.push(`${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('every route as every role, inside and outside the owning unit', async () => {
    const failures: string[] = [];
    const observed: string[] = [];
    const routes = h.app.routeRegistry.filter((r) => ROUTE_METHODS.has(r.method));
    for (const route of routes) {
      const method = route.method as Method;
      for (const entry of entriesOf(method, route.url) ?? []) {
        // Sessions stay alive, TOTP steps move on, nothing depends on the previous route's clock.
        h.clock.now += 31_000;
        const label = `${method} ${route.url}${entry.name ? ` [${entry.name}]` : ''}`;
        const build = async (actor: Actor): Promise<Req> => {
          const r = entry.build ? await entry.build(fx, actor) : route.url;
          return typeof r === 'string' ? { url: r } : r;
        };
        let shared: Req;
        try {
          shared = await build(entry.allow[0] ?? 'dispA');
        } catch (e) {
          failures.push(`${label}: fixture failed: ${(e as Error).message.slice(0, 300)}`);
          continue;
        }
        const got: Partial<Record<Actor, number>> = {};
        for (const actor of ACTORS) {
          const allowed = entry.allow.includes(actor);
          let req = shared;
          if (entry.fresh && allowed) {
            try {
              req = await build(actor);
            } catch (e) {
              failures.push(`${label} as ${actor}: fixture failed: ${(e as Error).message.slice(0, 300)}`);
              continue;
            }
          }
          const r = await call(actor, method, req, !!route.guard?.captcha);
          got[actor] = r.status;
          const passed = (r.status >= 200 && r.status < 400) || (entry.ok ?? []).includes(r.status);
          const refused = DENIED.has(r.status) || (entry.deny ?? []).includes(r.status);
          if (allowed && !passed) failures.push(`${label} as ${actor}: expected allowed, got ${r.status} ${r.body.slice(0, 200)}`);
          if (!allowed && !refused) failures.push(`${label} as ${actor}: expected refused, got ${r.status} ${r.body.slice(0, 200)}`);
          if (!allowed && actor === 'anon' && r.status !== (entry.anonStatus ?? 401)) failures.push(`${label} as anon: expected ${entry.anonStatus ?? 401}, got ${r.status}`);
        }
        observed.push(`${label}: ${ACTORS.map((a) => `${a}=${got[a]}`).join(' ')}`);
      }
    }
    if (process.env.MATRIX_OBSERVE) console.log(observed.join('\n'));
    expect(failures, failures.join('\n')).toEqual([]);
  }, 900_000);

  it('puts every public write behind the captcha (or says why not)', () => {
    const EXEMPT: Record<string, { why: string; limited: boolean }> = {
      'POST /api/v1/auth/login': { why: 'a sign-in: rate-limited per address, and the account locks after 5 failures', limited: true },
      'POST /api/v1/kb/queries/:id/click': { why: 'a click counter on a search already made: rate-limited per address, stores nothing personal', limited: true },
      '* /open311/v2/*': { why: 'the Open311 catch-all answers 404 to everything', limited: false },
      'POST /api/v1/classify': { why: 'category hints while the citizen types (nothing stored, no side effect): rate-limited per address', limited: true },
    };
    const unguarded: string[] = [];
    for (const r of h.app.routeRegistry) {
      if (r.method === 'GET' || !ROUTE_METHODS.has(r.method)) continue;
      const anonymous = (entriesOf(r.method, r.url) ?? []).some((e) => e.allow.includes('anon'));
      const key = `${r.method} ${r.url}`;
      const exempt = EXEMPT[key] ?? EXEMPT[`* ${r.url}`];
      if (anonymous && !r.guard?.captcha && !exempt) unguarded.push(key);
      if (anonymous && exempt?.limited) expect(r.guard?.limits?.length, `${key} needs a rate limit`).toBeGreaterThan(0);
    }
    expect(unguarded, `public writes without a captcha:\n${unguarded.join('\n')}`).toEqual([]);
  });
});
