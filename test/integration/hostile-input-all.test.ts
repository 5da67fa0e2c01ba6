// Hostile input on EVERY endpoint of the route table (等保 2.0 入侵防范; DESIGN.md §10 "bad input always
// gets a clear 4xx, never a 500"): malformed and random JSON, oversized and deeply nested bodies,
// invalid UTF-8, SQL injection, XSS and path traversal in path parameters, query strings, bodies and
// headers — sent as an actor who gets past authorization (from the authorization matrix), so the input
// reaches the validation and the services. Every answer is a success or a clean 4xx in the one error
// shape, never a 500 and never a stack trace.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../support/matrix.ts';
import { Fixtures } from '../support/matrix.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { MATRIX } from './authorization-matrix.table.ts';

let h: Harness;
let fx: Fixtures;
beforeAll(async () => {
  h = await createHarness();
  fx = new Fixtures(h);
  await fx.init();
}, 180_000);
afterAll(async () => h?.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const NASTY = [
  "' OR '1'='1' --",
  "1; DROP TABLE appeals; --",
  '"><script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000\u0007\u001b[31m',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '🙂'.repeat(50),
  '\uD800',
  'x'.repeat(5000),
  '-1',
  '1e309',
  'NaN',
  '',
];

/** Path segments: traversal, injection, encodings the router must survive. */
const SEGMENTS = ['..', '..%2F..%2Fetc%2Fpasswd', "'%20OR%201=1--", '%3Cscript%3E', '%FF%FE', '%C0%AE%C0%AE', 'a'.repeat(300), '%00', '%E4%B8', '💥', 'null', '-1'];

function actorFor(method: string, url: string): Actor | null {
  const e = MATRIX[`${method} ${url}`] ?? MATRIX[`* ${url}`];
  const entries = e ? (Array.isArray(e) ? e : [e]) : [];
  const allow = entries.flatMap((x) => x.allow);
  if (allow.length === 0) return null;
  // A staff actor when there is one (gets furthest); anonymous for public-only routes.
  return allow.find((a) => a !== 'anon') ?? allow[0]!;
}

function deepNest(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

let sent = 0;
async function send(actor: Actor | null, method: Method, url: string, opts: { payload?: string | Buffer | object; contentType?: string; headers?: Record<string, string> } = {}) {
  const user = actor === 'anon' ? null : actor;
  if (user && !h.tokens[user]) await h.login(user);
  // Keep sessions and TOTP steps alive across thousands of calls.
  if (++sent % 200 === 0) h.clock.now += 31_000;
  const headers: Record<string, string> = { ...(user ? { authorization: `Bearer ${h.tokens[user]}` } : {}), ...opts.headers };
  if (opts.contentType) headers['content-type'] = opts.contentType;
  let r = await h.app.inject({ method, url, headers, ...(opts.payload !== undefined && method !== 'GET' ? { payload: opts.payload } : {}) });
  if (user && r.statusCode === 401 && !opts.headers?.authorization) {
    // Signed out by the call itself (logout): sign in again, on a fresh TOTP step.
    h.clock.now += 31_000;
    await h.login(user);
    headers.authorization = `Bearer ${h.tokens[user]}`;
    r = await h.app.inject({ method, url, headers, ...(opts.payload !== undefined && method !== 'GET' ? { payload: opts.payload } : {}) });
  }
  return r;
}

/** encodeURIComponent, which throws on a lone surrogate: then its (invalid) UTF-8 bytes, as an attacker would send them. */
const enc = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
};

function expectClean(label: string, r: { statusCode: number; body: string; headers: Record<string, unknown> }, url = '') {
  expect(r.statusCode, `${label} → ${r.statusCode} ${r.body.slice(0, 300)}`).toBeLessThan(500);
  expect(r.body, label).not.toMatch(/at [\w.<>]+ \(|node_modules|\.ts:\d+:\d+/);
  if (url.startsWith('/open311/')) {
    // GeoReport v2 has its own error shape: [{ code, description }] (json) or <errors> (xml).
    // (The router's own refusals of unparseable URLs come in the product's shape.)
    if (r.statusCode >= 400 && String(r.headers['content-type'] ?? '').includes('json')) {
      const b = JSON.parse(r.body) as { code?: unknown; description?: unknown }[] | { error?: { code?: unknown } };
      const ok = Array.isArray(b) ? typeof b[0]?.description === 'string' : typeof b.error?.code === 'string';
      expect(ok, `${label}: error shape ${r.body.slice(0, 200)}`).toBe(true);
    }
    return;
  }
  if (r.statusCode >= 400 && String(r.headers['content-type'] ?? '').includes('application/json')) {
    const b = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown; messageEn?: unknown } };
    expect(typeof b.error?.code, `${label}: error shape ${r.body.slice(0, 200)}`).toBe('string');
    expect(typeof b.error?.message, label).toBe('string');
    expect(typeof b.error?.messageEn, label).toBe('string');
  }
}

const fill = (url: string, seg: string) => url.replace(/:[A-Za-z]+/g, seg).replace('*', seg);

describe('hostile input on every endpoint', () => {
  it('fixed hostile cases: path parameters, query strings, bodies, encodings, headers', async () => {
    const routes = h.app.routeRegistry.filter((r) => METHODS.has(r.method));
    expect(routes.length).toBeGreaterThan(40);
    const big = JSON.stringify({ text: '很'.repeat(200_000) });
    for (const route of routes) {
      const method = route.method as Method;
      const actor = actorFor(method, route.url);
      if (!actor) continue;
      const base = fill(route.url, 'x1');
      const withBody = method !== 'GET';
      const cases: [string, Parameters<typeof send>[3], string][] = [];
      for (const seg of SEGMENTS) cases.push([`path ${seg.slice(0, 20)}`, {}, fill(route.url, seg)]);
      for (const v of NASTY) cases.push([`query ${v.slice(0, 20)}`, {}, `${base}?q=${enc(v)}&page=${enc(v)}&${enc(v)}=1`]);
      cases.push(['query invalid percent-encoding', {}, `${base}?q=%E4%B8&x=%FF%FE&y=%`]);
      cases.push(['query repeated keys', {}, `${base}?page=1&page=2&status=a&status=b`]);
      cases.push(['query huge', {}, `${base}?q=${'a'.repeat(7000)}`]);
      cases.push(['header garbage', { headers: { 'x-captcha': 'eyJ'.repeat(500), 'idempotency-key': '../../etc/passwd', 'x-csrf-token': '\u00ff', authorization: 'Bearer ' } }, base]);
      if (withBody) {
        cases.push(['broken JSON', { payload: '{"a":', contentType: 'application/json' }, base]);
        cases.push(['JSON array', { payload: '[1,2,3]', contentType: 'application/json' }, base]);
        cases.push(['JSON null', { payload: 'null', contentType: 'application/json' }, base]);
        cases.push(['JSON string', { payload: '"x"', contentType: 'application/json' }, base]);
        cases.push(['deeply nested', { payload: deepNest(5_000), contentType: 'application/json' }, base]);
        cases.push(['deeply nested array', { payload: '['.repeat(20_000) + ']'.repeat(20_000), contentType: 'application/json' }, base]);
        cases.push(['oversized', { payload: big, contentType: 'application/json' }, base]);
        cases.push(['invalid UTF-8', { payload: Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('","body":"\xe4"}', 'latin1')]), contentType: 'application/json' }, base]);
        cases.push(['UTF-16 declared', { payload: Buffer.from('{"a":1}', 'utf16le'), contentType: 'application/json; charset=utf-16' }, base]);
        cases.push(['form-encoded', { payload: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' }, base]);
        cases.push(['xml', { payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', contentType: 'application/xml' }, base]);
        cases.push(['multipart', { payload: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--', contentType: 'multipart/form-data; boundary=b' }, base]);
        cases.push(['prototype pollution', { payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', contentType: 'application/json' }, base]);
        for (const v of NASTY.slice(0, 8)) cases.push([`body strings ${v.slice(0, 12)}`, { payload: { title: v, body: v, reason: v, text: v, name: v, id: v, unitId: v, phone: v, username: v, password: v, action: v, q: v }, contentType: 'application/json' }, base]);
      }
      for (const [name, opts, url] of cases) {
        const r = await send(actor, method, url, opts);
        expectClean(`${method} ${route.url} as ${actor}: ${name}`, r, url);
      }
    }
    // Nothing above may have polluted the prototype of plain objects.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  }, 900_000);

  it('random JSON bodies and query strings (fast-check) on every endpoint', async () => {
    const routes = h.app.routeRegistry.filter((r) => METHODS.has(r.method) && actorFor(r.method, r.url));
    const hostileString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.jsonValue({ maxDepth: 6 }),
        fc.dictionary(fc.constantFrom('page', 'pageSize', 'q', 'status', 'period', 'unitId', 'format', 'phase', 'from', 'to', 'x'), hostileString, { maxKeys: 4 }),
        fc.constantFrom('x1', 'a-ps1', fx.shared.appeal.id, "1' OR '1'='1", '%2E%2E%2F'),
        async (route, body, query, seg) => {
          const method = route.method as Method;
          const qs = new URLSearchParams(query).toString();
          const url = `${fill(route.url, seg)}${qs ? `?${qs}` : ''}`;
          const r = await send(actorFor(method, route.url), method, url, method === 'GET' ? {} : { payload: JSON.stringify(body), contentType: 'application/json' });
          expectClean(`${method} ${url} ${JSON.stringify(body).slice(0, 120)}`, r, url);
        },
      ),
      { numRuns: 1500, seed: 6 },
    );
  }, 900_000);

  it('hostile text is stored as data and the audit chain is intact afterwards', async () => {
    const v = await h.s.audit.verify();
    expect(v.ok, JSON.stringify(v.firstBroken)).toBe(true);
    const tables = await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(tables.n)).toBeGreaterThan(0);
  });
});
