// Open311 GeoReport v2 at /open311/v2 (http://wiki.open311.org/GeoReport_v2), in .json and .xml:
// discovery, services, services/{code}, requests (POST, form-encoded, api_key required; GET with
// ids / codes / status / ≤ 90-day range, ≤ 1000 results), requests/{id} and tokens/{token}.
// This plugin is encapsulated: its form-body parser and its error handler (the spec's error bodies,
// [{code, description}] or <errors>…, with 400/403/404 — and 429 when a key is throttled) apply to
// these routes only; the rest of the API keeps the product's error shape.
import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseFormBody, splitFormat, type FormBody, type Open311Status } from '../../../domain/interop/open311.ts';
import { toXml, type XmlValue } from '../../../domain/interop/xml.ts';
import { AppError, DomainError } from '../../../lib/errors.ts';
import type { Services } from '../../../services/index.ts';
import { ApiKeyError } from '../../../services/interop/apikeys.ts';
import { interop } from '../../../services/interop/index.ts';

export const OPEN311_PREFIX = '/open311/v2';
type Format = 'json' | 'xml';

const formatOfUrl = (url: string): Format => (/\.json(\?|$)/i.test(url.split('?')[0]!) ? 'json' : 'xml');

function send(reply: FastifyReply, format: Format, root: string, value: XmlValue, status = 200) {
  reply.status(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
  return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, description: string) {
  return send(reply, format, 'errors', [{ code: status, description }], status);
}

const bad = (zh: string, en: string) => new AppError(400, 'OPEN311_BAD_REQUEST', zh, en);
const notFound = (what: string) => new AppError(404, 'OPEN311_NOT_FOUND', `${what} 不存在`, `${what} was not found`);

/** The fields GeoReport v2 defines for POST requests (strict: anything else is refused). */
const s = (max: number) => z.string().max(max).optional();
const PostFields = z.strictObject({
  api_key: s(200),
  jurisdiction_id: s(200),
  service_code: s(64),
  lat: s(40),
  long: s(40),
  address_string: s(1000),
  address_id: s(100),
  email: s(200),
  device_id: s(200),
  account_id: s(200),
  first_name: s(100),
  last_name: s(100),
  phone: s(40),
  description: s(20_000),
  media_url: s(2000),
});
const PostBody = z.object({
  fields: PostFields,
  attributes: z.record(z.string().max(100), z.union([z.string().max(2000), z.array(z.string().max(2000)).max(50)])),
  repeated: z.array(z.string()),
  malformed: z.array(z.string()),
});

const ListQuery = z.strictObject({
  jurisdiction_id: s(200),
  api_key: s(200),
  service_request_id: s(30_000),
  service_code: s(4000),
  status: s(40),
  start_date: s(60),
  end_date: s(60),
});
const JurisdictionQuery = z.strictObject({ jurisdiction_id: s(200), api_key: s(200) });
const FileParams = z.strictObject({ file: z.string().min(1).max(200) });

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function fileOf(file: string): { name: string; format: Format } {
  const f = splitFormat(file);
  if (!f) throw notFound(`资源 ${file}(须以 .json 或 .xml 结尾)/ resource ${file} (append .json or .xml)`);
  return f;
}

export const open311Routes = (services: Services): FastifyPluginAsyncZod => async (app) => {
  const i = interop(services);
  const hide = { hide: true } as const;

  // Form bodies (UTF-8) for POST requests, parsed with node's URLSearchParams: attribute[code]=v and
  // attribute[code][]=v are collected per code.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseFormBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const format = formatOfUrl(req.url);
    if (err instanceof ApiKeyError && err.status === 429 && err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof DomainError) {
      const status = [400, 403, 404, 429].includes(err.status) ? err.status : 400;
      return sendErrors(reply, format, status, `${err.messageZh} / ${err.messageEn}`);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const v = err.validation[0];
      const where = `${err.validationContext ?? 'body'}${(v?.instancePath ?? '').replace(/\//g, '.')}`.replace(/^body\.fields/, 'body');
      const msg = v?.keyword === 'unrecognized_keys' || /nrecognized/i.test(v?.message ?? '') ? `unknown parameter ${JSON.stringify((v?.params as { keys?: string[] } | undefined)?.keys ?? v?.message)}` : (v?.message ?? 'invalid');
      return sendErrors(reply, format, 400, `请求参数有误 / Invalid request: ${where} ${msg}`);
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendErrors(reply, format, 400, 'POST 请求体须为 application/x-www-form-urlencoded / The POST body must be application/x-www-form-urlencoded');
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendErrors(reply, format, 400, '请求体过大 / The request body is too large');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendErrors(reply, format, 400, `请求无法处理 / ${err.message}`);
    // GeoReport v2: "400 - General Service Error (any failure during processing)".
    req.log.error({ err }, 'open311: unhandled error');
    return sendErrors(reply, format, 400, '服务暂时无法处理该请求,请稍后重试 / General service error; please retry later');
  });

  for (const format of ['json', 'xml'] as const) {
    app.get(`${OPEN311_PREFIX}/discovery.${format}`, { schema: { ...hide, querystring: JurisdictionQuery } }, async (req, reply) => {
      const base = `${req.protocol}://${req.host}${OPEN311_PREFIX}/`;
      return send(reply, format, 'discovery', i.open311.discovery(base) as unknown as XmlValue);
    });

    app.get(`${OPEN311_PREFIX}/services.${format}`, { schema: { ...hide, querystring: JurisdictionQuery } }, async (_req, reply) =>
      send(reply, format, 'services', (await i.open311.services()) as unknown as XmlValue),
    );

    app.post(`${OPEN311_PREFIX}/requests.${format}`, {
      schema: { ...hide, querystring: JurisdictionQuery, body: PostBody },
      // GeoReport v2 posts are form-encoded; a JSON body would otherwise reach validation with a puzzling message.
      preValidation: async (req) => {
        if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
          throw bad('POST 请求体须为 application/x-www-form-urlencoded', 'The POST body must be application/x-www-form-urlencoded');
        }
      },
    }, async (req, reply) => {
      const form = req.body as FormBody;
      const endpoint = `POST ${OPEN311_PREFIX}/requests.${format}`;
      const headerKey = req.headers['x-api-key'];
      const key = await i.apiKeys.authenticate(form.fields.api_key ?? (typeof headerKey === 'string' ? headerKey : undefined), { endpoint, ip: req.ip });
      try {
        if (form.repeated.length) throw bad(`参数重复:${form.repeated.join(', ')}`, `Parameters given more than once: ${form.repeated.join(', ')}`);
        if (form.malformed.length) throw bad(`属性参数格式错误:${form.malformed.join(', ')}`, `Malformed attribute parameters: ${form.malformed.join(', ')} (use attribute[code]=value)`);
        const idem = req.headers['idempotency-key'];
        if (idem !== undefined && (typeof idem !== 'string' || !/^[A-Za-z0-9_.:-]{8,100}$/.test(idem))) throw bad('Idempotency-Key 格式不正确', 'Invalid Idempotency-Key header');
        const fields = Object.fromEntries(Object.entries(form.fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
        const r = await i.open311.submit(key, { fields, attributes: form.attributes }, { ip: req.ip, idempotencyKey: idem });
        await i.apiKeys.recordUse(key, { endpoint, ip: req.ip, objectId: r.appealId, details: { serviceRequestId: r.trackingCode } });
        return send(reply, format, 'service_requests', [r.answer] as unknown as XmlValue);
      } catch (e) {
        const reason = e instanceof DomainError ? `${e.code}: ${e.messageEn}` : 'error';
        await i.apiKeys.recordFailure(key, { endpoint, ip: req.ip, reason }).catch(() => undefined);
        throw e;
      }
    });

    app.get(`${OPEN311_PREFIX}/requests.${format}`, { schema: { ...hide, querystring: ListQuery } }, async (req, reply) => {
      const q = req.query;
      const statuses = list(q.status);
      const badStatus = statuses.find((x) => x !== 'open' && x !== 'closed');
      if (badStatus) throw bad(`status 只能是 open 或 closed:${badStatus}`, `status must be open or closed, not ${badStatus}`);
      const items = await i.open311.requests({
        ids: list(q.service_request_id),
        codes: list(q.service_code),
        statuses: statuses as Open311Status[],
        start: q.start_date?.trim() || undefined,
        end: q.end_date?.trim() || undefined,
      });
      return send(reply, format, 'service_requests', items as unknown as XmlValue);
    });
  }

  app.get(`${OPEN311_PREFIX}/services/:file`, { schema: { ...hide, params: FileParams, querystring: JurisdictionQuery } }, async (req, reply) => {
    const { name, format } = fileOf(req.params.file);
    return send(reply, format, 'service_definition', (await i.open311.definition(name)) as unknown as XmlValue);
  });

  app.get(`${OPEN311_PREFIX}/requests/:file`, { schema: { ...hide, params: FileParams, querystring: JurisdictionQuery } }, async (req, reply) => {
    const { name, format } = fileOf(req.params.file);
    return send(reply, format, 'service_requests', (await i.open311.request(name)) as unknown as XmlValue);
  });

  app.get(`${OPEN311_PREFIX}/tokens/:file`, { schema: { ...hide, params: FileParams, querystring: JurisdictionQuery } }, async (req, reply) => {
    const { name, format } = fileOf(req.params.file);
    return send(reply, format, 'service_requests', (await i.open311.token(name)) as unknown as XmlValue);
  });

  // Anything else under the prefix: the spec's 404, not the product's error shape.
  app.all(`${OPEN311_PREFIX}/*`, { schema: hide }, async (req) => {
    throw notFound(`资源 ${req.url.split('?')[0]} / resource ${req.url.split('?')[0]}`);
  });
};
