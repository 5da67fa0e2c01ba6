// Open311 GeoReport v2 contract, written from the spec (http://wiki.open311.org/GeoReport_v2):
// every resource in .json and .xml (the XML read back and compared with the JSON), the error bodies
// and status codes, api_key handling (revocation, rate limit, audit), the status mapping, the
// 90-day / 1000-result limits, and no personal data in any GET answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interop } from '../../src/services/interop/index.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { jsonAsXmlValue, parseXml, xmlToValue } from '../support/xml.ts';

let h: Harness;
let key: string;
let tokenKey: string;
const BASE = '/open311/v2';

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

async function get(url: string) {
  return h.app.inject({ method: 'GET', url });
}
async function post(format: 'json' | 'xml', body: string, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: `${BASE}/requests.${format}`, payload: body, headers: { ...FORM, ...headers } });
}

/** GETs both formats and checks they say the same thing; returns the JSON. */
async function both(pathNoExt: string, expectStatus = 200): Promise<any> {
  const j = await get(`${BASE}/${pathNoExt.replace(/(\?|$)/, '.json$1')}`);
  const x = await get(`${BASE}/${pathNoExt.replace(/(\?|$)/, '.xml$1')}`);
  expect(j.statusCode, j.body).toBe(expectStatus);
  expect(x.statusCode, x.body).toBe(expectStatus);
  expect(j.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
  const json = j.json();
  expect(xmlToValue(parseXml(x.body))).toEqual(jsonAsXmlValue(json));
  return json;
}

function expectOpen311Error(r: { statusCode: number; body: string; headers: Record<string, unknown> }, status: number, format: 'json' | 'xml' = 'json') {
  expect(r.statusCode, r.body).toBe(status);
  if (format === 'json') {
    const b = JSON.parse(r.body);
    expect(Array.isArray(b)).toBe(true);
    expect(b[0].code).toBe(status);
    expect(typeof b[0].description).toBe('string');
    expect(b[0].description.length).toBeGreaterThan(3);
  } else {
    const v = xmlToValue(parseXml(r.body)) as { code: string; description: string }[];
    expect(parseXml(r.body).name).toBe('errors');
    expect(v[0]!.code).toBe(String(status));
    expect(v[0]!.description.length).toBeGreaterThan(3);
  }
  expect(r.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
}

const VALID = {
  service_code: 'order.noise',
  address_string: '清江区城关街道幸福路8号3栋',
  first_name: '三',
  last_name: '张',
  phone: '13912345678',
  email: 'zhang.san@example.com',
  device_id: 'dev-1',
  account_id: 'acct-42',
  description: '楼下KTV每晚营业到凌晨两点,噪音很大,请处理。我叫张三,电话13912345678',
  media_url: 'https://img.example.com/a.jpg',
  'attribute[appeal_type]': 'complaint',
  'attribute[people_involved]': '12',
  'attribute[occurred_at]': '2026-03-01T23:30:00+08:00',
};

beforeAll(async () => {
  h = await createHarness();
  const k = await h.api('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '随手拍App', ratePerMinute: 1000 });
  expect(k.statusCode, k.body).toBe(201);
  key = k.json().key;
  expect(key).toMatch(/^mb311_/);
  const t = await h.api('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '批量客户端', tokenMode: true, ratePerMinute: 1000 });
  tokenKey = t.json().key;
});
afterAll(async () => h?.close());

describe('Open311 GeoReport v2', () => {
  it('service discovery in both formats', async () => {
    const d = await both('discovery');
    expect(d.endpoints[0].specification).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(d.endpoints[0].formats).toEqual(['text/xml', 'application/json']);
    expect(d.endpoints[0].url).toMatch(/\/open311\/v2\/$/);
    expect(d.changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
  });

  it('GET services: the categories, with the required fields', async () => {
    const list = await both('services');
    const noise = list.find((s: { service_code: string }) => s.service_code === 'order.noise');
    expect(noise).toMatchObject({ service_name: '噪音扰民', metadata: true, type: 'realtime', group: '社会治安' });
    for (const s of list) for (const f of ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']) expect(s).toHaveProperty(f);
    // The XML items are <service> inside <services>, with the XML declaration in UTF-8.
    const x = await get(`${BASE}/services.xml`);
    expect(x.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(x.body).toContain('<services><service><service_code>');
  });

  it('GET services/{code}: the service definition with attributes; 404 in the spec shape for an unknown code', async () => {
    const def = await both('services/order.noise');
    expect(def.service_code).toBe('order.noise');
    const codes = def.attributes.map((a: { code: string }) => a.code);
    expect(codes).toEqual(['appeal_type', 'region_code', 'occurred_at', 'people_involved', 'emergency_notice']);
    const orders = def.attributes.map((a: { order: number }) => a.order);
    expect(new Set(orders).size).toBe(orders.length);
    const type = def.attributes[0];
    expect(type).toMatchObject({ variable: true, datatype: 'singlevaluelist', required: false });
    expect(type.values.map((v: { key: string }) => v.key)).toContain('complaint');
    for (const a of def.attributes) expect(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']).toContain(a.datatype);
    expect(def.attributes.find((a: { code: string }) => a.code === 'emergency_notice').variable).toBe(false);
    expectOpen311Error(await get(`${BASE}/services/no.such.json`), 404);
    expectOpen311Error(await get(`${BASE}/services/no.such.xml`), 404, 'xml');
    expectOpen311Error(await get(`${BASE}/services/order.noise`), 404, 'xml');
  });

  it('POST requests: api_key required (403), invalid or revoked keys refused, every use audited', async () => {
    const { api_key: _k, ...noKey } = { ...VALID, api_key: '' };
    expectOpen311Error(await post('json', form(noKey)), 403);
    expectOpen311Error(await post('xml', form(noKey)), 403, 'xml');
    expectOpen311Error(await post('json', form({ ...VALID, api_key: 'mb311_' + 'x'.repeat(32) })), 403);
    const revokable = (await h.api('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '将吊销的客户端' })).json();
    const ok = await post('json', form({ ...VALID, api_key: revokable.key }));
    expect(ok.statusCode, ok.body).toBe(200);
    const rv = await h.api('secadmin', 'POST', `/api/v1/interop/apikeys/${revokable.id}/revoke`);
    expect(rv.statusCode).toBe(200);
    expect(rv.json().revokedAt).not.toBeNull();
    expectOpen311Error(await post('json', form({ ...VALID, api_key: revokable.key })), 403);
    const audit = await h.s.ctx.db.selectFrom('audit_log').select(['action', 'outcome', 'object_id', 'details']).where('action', '=', 'apikey.use').execute();
    expect(audit.filter((a) => a.outcome === 'denied').length).toBeGreaterThanOrEqual(4);
    expect(audit.some((a) => a.outcome === 'success' && a.object_id === revokable.id)).toBe(true);
    // The key itself is never written anywhere.
    const all = await h.s.ctx.db.selectFrom('audit_log').select('details').execute();
    expect(JSON.stringify(all)).not.toContain(revokable.key);
    const stored = await h.s.ctx.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(revokable.key);
    // Only the security admin manages keys.
    expect((await h.api('dispA', 'POST', '/api/v1/interop/apikeys', { name: 'x客户端' })).statusCode).toBe(403);
    expect((await h.api('sysadmin', 'GET', '/api/v1/interop/apikeys')).statusCode).toBe(403);
    const listed = await h.api('secadmin', 'GET', '/api/v1/interop/apikeys');
    expect(listed.json().items.map((k: { name: string }) => k.name)).toContain('随手拍App');
    expect(listed.body).not.toContain(key);
  });

  it('POST requests: a valid request becomes an appeal (channel open311) with attributes, contact and location', async () => {
    const r = await post('json', form({ ...VALID, api_key: key }));
    expect(r.statusCode, r.body).toBe(200);
    const [answer] = r.json();
    expect(Object.keys(answer).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    expect(answer.service_request_id).toMatch(/^MB\d{4}-[A-Z0-9]{6}$/);
    expect(answer.account_id).toBe('acct-42');
    expect(answer.service_notice).toContain(answer.service_request_id);
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('tracking_code', '=', answer.service_request_id).executeTakeFirstOrThrow();
    expect(row.channel).toBe('open311');
    expect(row.category_id).toBe('order.noise');
    expect(row.type).toBe('complaint');
    expect(row.region_code).toBe('360602001');
    expect(row.anonymous).toBe(0);
    expect(h.s.ctx.pii.decrypt(row.citizen_name_enc)).toBe('张三');
    expect(h.s.ctx.pii.decrypt(row.citizen_phone_enc)).toBe('13912345678');
    expect(h.s.ctx.pii.decrypt(row.address_enc)).toBe(VALID.address_string);
    // The place of the repeat-appeal figure, as a keyed index (road and house number of the address).
    expect(row.place_key).toBe(h.s.ctx.pii.placeIndex('road:幸福路:8'));
    expect(row.body).toContain('涉及人数:12');
    expect(row.body).toContain('附件:https://img.example.com/a.jpg');
    const o = await h.s.ctx.db.selectFrom('open311_requests').selectAll().where('appeal_id', '=', row.id).executeTakeFirstOrThrow();
    expect(JSON.parse(o.attributes)).toMatchObject({ appeal_type: 'complaint', people_involved: '12' });
    // The address is kept with the appeal (encrypted), where notices, retention and key rotation reach it.
    expect(o.email_enc).toBeNull();
    expect(row.citizen_email_enc).not.toContain('zhang');
    expect(h.s.ctx.pii.decrypt(row.citizen_email_enc)).toBe('zhang.san@example.com');
    // The same request in XML.
    const x = await post('xml', form({ ...VALID, api_key: key, description: '同样的问题今晚又出现了,请尽快处理' }));
    expect(x.statusCode, x.body).toBe(200);
    const xv = xmlToValue(parseXml(x.body)) as Record<string, string>[];
    expect(parseXml(x.body).name).toBe('service_requests');
    expect(xv[0]!.service_request_id).toMatch(/^MB\d{4}-/);
    expect(xv[0]!.account_id).toBe('acct-42');
  });

  it('POST requests: lat/long with the region attribute; anonymous without a phone (PIN in the notice)', async () => {
    const r = await post('json', form({ api_key: key, service_code: 'fraud', lat: '28.682892', long: '115.858198', 'attribute[region_code]': '360603', description: '接到冒充公检法的电话要求转账' }));
    expect(r.statusCode, r.body).toBe(200);
    const [a] = r.json();
    expect(a.service_notice).toMatch(/查询密码 \d{6}/);
    const row = await h.s.ctx.db.selectFrom('appeals').selectAll().where('tracking_code', '=', a.service_request_id).executeTakeFirstOrThrow();
    expect(row.anonymous).toBe(1);
    expect(row.region_code).toBe('360603');
    expect(row.citizen_phone_enc).toBeNull();
    expect(row.urgency).toBe('urgent'); // the category's urgency
  });

  it('POST requests: 400 for missing or invalid fields, 404 for an unknown service_code — nothing stored', async () => {
    const before = await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: [Record<string, string>, number][] = [
      [{ ...VALID, service_code: '' }, 400],
      [{ ...VALID, service_code: 'no.such' }, 404],
      [{ api_key: key, service_code: 'order.noise', description: '没有位置的诉求内容' }, 400],
      [{ api_key: key, service_code: 'order.noise', lat: '28.6', description: '只有纬度' }, 400],
      [{ api_key: key, service_code: 'order.noise', lat: '128.6', long: '115.8', description: '纬度越界' }, 400],
      [{ ...VALID, 'attribute[appeal_type]': 'threat' }, 400],
      [{ ...VALID, 'attribute[no_such]': '1' }, 400],
      [{ ...VALID, 'attribute[people_involved]': 'many' }, 400],
      [{ ...VALID, 'attribute[occurred_at]': 'yesterday' }, 400],
      [{ ...VALID, email: 'not-an-email' }, 400],
      [{ ...VALID, media_url: 'javascript:alert(1)' }, 400],
      [{ ...VALID, phone: '12345' }, 400],
      [{ ...VALID, description: '<script>alert(1)</script>' }, 400],
      [{ ...VALID, description: '很'.repeat(4001) }, 400],
      [{ ...VALID, is_admin: 'true' }, 400],
      [{ api_key: key, service_code: 'order.noise', address_string: '火星某处', description: '无法识别区域的地址' }, 400],
    ];
    for (const [body, status] of cases) {
      for (const format of ['json', 'xml'] as const) expectOpen311Error(await post(format, form({ api_key: key, ...body })), status, format);
    }
    // Repeated parameters, malformed attributes, a JSON body, a non-form body.
    expectOpen311Error(await post('json', `${form({ ...VALID, api_key: key })}&service_code=fraud`), 400);
    expectOpen311Error(await post('json', `${form({ ...VALID, api_key: key })}&attribute[a][b]=1`), 400);
    expectOpen311Error(await h.app.inject({ method: 'POST', url: `${BASE}/requests.json`, payload: { ...VALID, api_key: key } }), 400);
    expectOpen311Error(await h.app.inject({ method: 'POST', url: `${BASE}/requests.xml`, payload: 'hello', headers: { 'content-type': 'text/plain' } }), 400, 'xml');
    const after = await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('POST requests is idempotent with an Idempotency-Key', async () => {
    const body = form({ ...VALID, api_key: key, description: '同一客户端重试的请求内容' });
    const a = await post('json', body, { 'idempotency-key': 'client-retry-0001' });
    const b = await post('json', body, { 'idempotency-key': 'client-retry-0001' });
    expect(a.statusCode).toBe(200);
    expect(b.json()[0].service_request_id).toBe(a.json()[0].service_request_id);
    const n = await h.s.ctx.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).where('tracking_code', '=', a.json()[0].service_request_id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('tokens: a token-mode key gets a token, resolved by GET tokens/{token} in both formats', async () => {
    const r = await post('json', form({ ...VALID, api_key: tokenKey }));
    expect(r.statusCode, r.body).toBe(200);
    const [a] = r.json();
    expect(a.token).toBeTruthy();
    expect(a.service_request_id).toBeUndefined();
    const t = await both(`tokens/${a.token}`);
    expect(t).toHaveLength(1);
    expect(t[0].token).toBe(a.token);
    expect(t[0].service_request_id).toMatch(/^MB\d{4}-/);
    expectOpen311Error(await get(`${BASE}/tokens/01nosuchtoken0000000000000.json`), 404);
    expectOpen311Error(await get(`${BASE}/tokens/x.xml`), 404, 'xml');
  });

  it('GET requests and requests/{id}: both formats agree, statuses map, personal data never appears', async () => {
    const all = await both('requests');
    expect(all.length).toBeGreaterThanOrEqual(5);
    const fields = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
    for (const r of all) {
      expect(Object.keys(r)).toEqual(fields);
      expect(['open', 'closed']).toContain(r.status);
      expect(r.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    }
    const text = JSON.stringify(all);
    for (const secret of ['13912345678', '张三', 'zhang.san@example.com', '幸福路8号', 'acct-42', 'dev-1']) expect(text).not.toContain(secret);
    const one = all.find((r: { lat: number | null }) => r.lat !== null);
    expect(one.lat).toBe(28.683); // rounded to ~100 m
    expect(one.long).toBe(115.858);
    const noise = all.find((r: { service_code: string; address: string | null }) => r.service_code === 'order.noise' && r.address);
    expect(noise.address).toBe('城关街道, 清江区');
    expect(noise.media_url).toBe('https://img.example.com/a.jpg');

    const id = noise.service_request_id;
    const single = await both(`requests/${id}`);
    expect(single).toHaveLength(1);
    expect(single[0].service_request_id).toBe(id);
    expectOpen311Error(await get(`${BASE}/requests/MB0000-NOPE00.json`), 404);
    expectOpen311Error(await get(`${BASE}/requests/MB0000-NOPE00.xml`), 404, 'xml');

    // Status mapping: redirected (引导) is closed, the rest still open.
    const appeal = await h.s.ctx.db.selectFrom('appeals').select('id').where('tracking_code', '=', id).executeTakeFirstOrThrow();
    const act = await h.api('dispA', 'POST', `/api/v1/appeals/${appeal.id}/actions`, { action: 'redirect', channel: 'litigation', guidance: '请通过诉讼途径解决' });
    expect(act.statusCode, act.body).toBe(200);
    const closed = await both('requests?status=closed');
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    expect(closed[0].status_notes).toContain('诉讼');
    const open = await both('requests?status=open');
    expect(open.every((r: { status: string }) => r.status === 'open')).toBe(true);
    expect(open.length).toBe(all.length - 1);
    expect((await both('requests?status=open,closed')).length).toBe(all.length);

    // By ids (overriding other parameters) and by service codes.
    const ids = all.slice(0, 2).map((r: { service_request_id: string }) => r.service_request_id);
    const byIds = await both(`requests?service_request_id=${ids.join(',')}&status=closed&service_code=none`);
    expect(byIds.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([...ids].sort());
    const fraud = await both('requests?service_code=fraud');
    expect(fraud.length).toBeGreaterThan(0);
    expect(fraud.every((r: { service_code: string }) => r.service_code === 'fraud')).toBe(true);
    // Optional means empty = absent.
    expect((await both('requests?status=&service_code=&start_date=')).length).toBe(all.length);
  });

  it('GET requests: description is the title with personal data masked; reports show no content', async () => {
    const r = await post('json', form({ api_key: key, service_code: 'order', address_string: '东湖区', phone: '13800001111', first_name: '四', last_name: '李', description: '李四反映13800001111邻居深夜吵闹', 'attribute[appeal_type]': 'report' }));
    expect(r.statusCode, r.body).toBe(200);
    const s = await post('json', form({ api_key: key, service_code: 'order', address_string: '东湖区', phone: '13800002222', first_name: '五', last_name: '王', description: '王五反映13800002222小区门口有人聚集' }));
    const items = await both(`requests?service_request_id=${r.json()[0].service_request_id},${s.json()[0].service_request_id}`);
    const report = items.find((i: { service_request_id: string }) => i.service_request_id === r.json()[0].service_request_id);
    expect(report.description).toContain('内容依法保密');
    const other = items.find((i: { service_request_id: string }) => i.service_request_id === s.json()[0].service_request_id);
    expect(other.description).toContain('王某反映');
    expect(other.description).not.toContain('13800002222');
    expect(other.description).toContain('138****2222');
  });

  it('GET requests: the date range may not span more than 90 days; bad dates and statuses are 400', async () => {
    expectOpen311Error(await get(`${BASE}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z`), 400);
    expectOpen311Error(await get(`${BASE}/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-05-01T00:00:00Z`), 400, 'xml');
    expectOpen311Error(await get(`${BASE}/requests.json?start_date=yesterday`), 400);
    expectOpen311Error(await get(`${BASE}/requests.json?end_date=2026-02-30T00:00:00Z`), 400);
    expectOpen311Error(await get(`${BASE}/requests.json?start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z`), 400);
    expectOpen311Error(await get(`${BASE}/requests.json?status=pending`), 400);
    expectOpen311Error(await get(`${BASE}/requests.json?page=2`), 400);
    // A window that excludes today's requests, and one that holds them.
    expect(await both('requests?start_date=2025-12-01T00:00:00+08:00&end_date=2026-02-28T00:00:00+08:00')).toEqual([]);
    expect((await both('requests?start_date=2026-03-01&end_date=2026-03-03')).length).toBeGreaterThan(0);
  });

  it('GET requests returns at most 1000 requests, newest first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-o311-'));
    const file = path.join(dir, 'orders.csv');
    const lines = ['工单编号,来电时间,诉求类型,诉求内容,所属区域,联系电话'];
    for (let i = 0; i < 1010; i++) lines.push(`GD${String(i).padStart(6, '0')},2026-03-01 ${String(8 + Math.floor(i / 120)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00,咨询,法律援助如何申请第${i}次,清江区,13700000000`);
    fs.writeFileSync(file, lines.join('\n'));
    const rep = await interop(h.s).imports.run({ principal: null, file });
    expect(rep.accepted).toBe(1010);
    const list = await both('requests');
    expect(list).toHaveLength(1000);
    const times = list.map((r: { requested_datetime: string }) => Date.parse(r.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('each key is rate-limited (429 with Retry-After, in the spec shape)', async () => {
    const slow = (await h.api('secadmin', 'POST', '/api/v1/interop/apikeys', { name: '低频客户端', ratePerMinute: 2 })).json();
    const body = (i: number) => form({ ...VALID, api_key: slow.key, description: `限流测试第${i}次提交的内容` });
    expect((await post('json', body(1))).statusCode).toBe(200);
    expect((await post('json', body(2))).statusCode).toBe(200);
    const third = await post('json', body(3));
    expectOpen311Error(third, 429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    h.clock.now += 60_000;
    expect((await post('json', body(4))).statusCode).toBe(200);
  });

  it('unknown resources under /open311/v2 answer 404 in the spec shape', async () => {
    expectOpen311Error(await get(`${BASE}/nope.json`), 404);
    expectOpen311Error(await get(`${BASE}/services`), 404, 'xml');
    expectOpen311Error(await h.app.inject({ method: 'DELETE', url: `${BASE}/requests.json` }), 404);
  });
});
