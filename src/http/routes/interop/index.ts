// Interoperability over the product API (docs/interop.md): API keys of client systems (security
// admin), hotline import jobs (upload → mapping → run in the background → progress → error report),
// saved import profiles, and exports of the appeal list and the figures as .xlsx / .csv.
// The upload parsers below are scoped to this plugin.
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { APPEAL_TYPES, URGENCIES } from '../../../domain/appeal/types.ts';
import { HEADER_SYNONYMS, IMPORT_FIELDS, IMPORT_FIELD_LABELS } from '../../../domain/interop/importRows.ts';
import { AppError, errors } from '../../../lib/errors.ts';
import type { Services } from '../../../services/index.ts';
import { newUploadId } from '../../../services/interop/import.ts';
import { interop } from '../../../services/interop/index.ts';
import { tableStream, type TableFormat } from '../../../services/interop/tabular.ts';
import { requirePermission } from '../../../services/principal.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Id, IdParams, text } from '../../schemas.ts';
import { ListQuery } from '../appeals/schema.ts';

const tags = ['interop'];
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  tokenMode: z.boolean(),
  ratePerMinute: z.number(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  useCount: z.number(),
});

const JobView = z.object({
  id: z.string(),
  fileName: z.string(),
  format: z.string(),
  status: z.string(),
  profileName: z.string().nullable(),
  header: z.array(z.string()),
  suggestedMapping: z.record(z.string(), z.string()),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  bytesTotal: z.number(),
  bytesDone: z.number(),
  rowsRead: z.number(),
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  error: z.string().nullable(),
});

const Field = z.enum(IMPORT_FIELDS);
const Mapping = z.record(z.string().max(100), z.union([Field, z.literal('')]));
const Defaults = z.strictObject({ type: z.enum(APPEAL_TYPES).optional(), regionCode: z.string().regex(/^\d{6}(\d{3})?$/).optional(), urgency: z.enum(URGENCIES).optional() });
const ProfileBody = z.strictObject({
  source: z.string().regex(/^[\p{L}\p{N}_.:-]{1,40}$/u),
  mapping: z.record(z.string().max(100), Field),
  defaults: Defaults.optional(),
  delimiter: z.string().length(1).optional(),
});
const ProfileName = z.string().regex(/^[\p{L}\p{N}_.-]{1,40}$/u, 'letters, digits, _ . -');

const Format = z.enum(['xlsx', 'csv']);
const ExportQuery = ListQuery.omit({ page: true, pageSize: true }).extend({
  format: Format.default('xlsx'),
  unmask: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  reason: text(0, 200).optional(),
});
const PeriodSpec = z.string().max(40).optional();

function sendFile(reply: FastifyReply, r: { stream: Readable; fileName: string; contentType: string }) {
  const ascii = r.fileName.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', r.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(r.fileName)}`)
    .header('cache-control', 'no-store')
    .send(r.stream);
}

export const interopRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  const i = interop(s);

  // ---- API keys (security admin) ------------------------------------------------------------------

  app.get('/api/v1/interop/apikeys', {
    schema: { tags, summary: 'API keys of client systems (security admin). Keys themselves are never shown again.', response: { 200: z.object({ items: z.array(ApiKeyView) }), ...errorResponses } },
  }, async (req) => ({ items: await i.apiKeys.list(staffOf(req)) }));

  app.post('/api/v1/interop/apikeys', {
    schema: {
      tags,
      summary: 'Issue an API key for a client system: the key is in this answer only',
      body: z.strictObject({ name: text(2, 60), ratePerMinute: z.number().int().min(1).max(6000).optional(), tokenMode: z.boolean().optional() }),
      response: { 201: ApiKeyView.extend({ key: z.string() }), ...errorResponses },
    },
  }, async (req, reply) => reply.status(201).send(await i.apiKeys.create(staffOf(req), req.body)));

  app.post('/api/v1/interop/apikeys/:id/revoke', {
    schema: { tags, summary: 'Revoke an API key (immediately refused everywhere)', params: IdParams, response: { 200: ApiKeyView, ...errorResponses } },
  }, async (req) => i.apiKeys.revoke(staffOf(req), req.params.id));

  // ---- import ---------------------------------------------------------------------------------------

  // The file is the request body itself (no multipart): streamed to disk, never held in memory.
  app.addContentTypeParser(['text/csv', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], (_req, payload, done) => done(null, payload));

  app.get('/api/v1/interop/import-fields', {
    schema: { tags, summary: 'The fields an import maps columns to, with the Chinese headers recognised for each', response: { 200: z.object({ items: z.array(z.object({ field: z.string(), labelZh: z.string(), labelEn: z.string(), required: z.boolean(), headers: z.array(z.string()) })) }) } },
  }, async () => ({ items: IMPORT_FIELDS.map((f) => ({ field: f, labelZh: IMPORT_FIELD_LABELS[f].zh, labelEn: IMPORT_FIELD_LABELS[f].en, required: IMPORT_FIELD_LABELS[f].required, headers: [...HEADER_SYNONYMS[f]] })) }));

  app.post('/api/v1/interop/imports', {
    schema: {
      tags,
      summary: 'Upload a hotline export (.xlsx or .csv as the raw body; Content-Type text/csv or the xlsx type): answers the job with the header and a suggested mapping',
      querystring: z.strictObject({ fileName: z.string().min(1).max(200) }),
      response: { 201: JobView, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = staffOf(req);
    requirePermission(p, 'appeal.create');
    const ext = req.query.fileName.toLowerCase().match(/\.(xlsx|csv)$/)?.[1] as TableFormat | undefined;
    if (!ext) throw errors.validation('只支持 .xlsx 或 .csv 文件', 'Only .xlsx and .csv files can be imported', { field: 'fileName' });
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function') throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 text/csv 或 xlsx 类型上传文件本身', 'Upload the file itself as the body (text/csv or the xlsx content type)');
    const id = newUploadId(s.ctx.now());
    const file = i.imports.uploadPath(id, ext);
    let bytes = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > MAX_UPLOAD_BYTES) cb(new AppError(413, 'BODY_TOO_LARGE', '文件超过2GB', 'The file is larger than 2 GB'));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, limit, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      fs.rmSync(file, { force: true });
      throw e;
    }
    if (bytes === 0) {
      fs.rmSync(file, { force: true });
      throw errors.validation('上传的文件为空', 'The uploaded file is empty');
    }
    return reply.status(201).send(await i.imports.registerUpload(p, { id, fileName: req.query.fileName, format: ext, bytes }));
  });

  app.get('/api/v1/interop/imports', {
    schema: { tags, summary: 'Recent import jobs (own, or all for dispatchers)', response: { 200: z.object({ items: z.array(JobView) }), ...errorResponses } },
  }, async (req) => ({ items: await i.imports.jobs(staffOf(req)) }));

  app.get('/api/v1/interop/imports/:id', {
    schema: { tags, summary: 'One import job with its progress', params: IdParams, response: { 200: JobView, ...errorResponses } },
  }, async (req) => i.imports.job(staffOf(req), req.params.id));

  app.post('/api/v1/interop/imports/:id/start', {
    schema: {
      tags,
      summary: 'Start an uploaded import with a mapping (and optionally save it as a profile); runs in the background — poll the job',
      params: IdParams,
      body: z.strictObject({ profileName: ProfileName.optional(), mapping: Mapping.optional(), source: z.string().regex(/^[\p{L}\p{N}_.:-]{1,40}$/u).optional(), saveProfileAs: ProfileName.optional(), defaults: Defaults.optional() }),
      response: { 202: JobView, ...errorResponses },
    },
  }, async (req, reply) => {
    const p = staffOf(req);
    const job = await i.imports.job(p, req.params.id);
    if (job.status !== 'uploaded') throw errors.conflict('IMPORT_JOB_STATE', '该导入任务已开始或已结束', 'This import job has already started or finished');
    const file = i.imports.uploadPath(job.id, job.format);
    if (!fs.existsSync(file)) throw errors.conflict('IMPORT_FILE_GONE', '上传的文件已不存在,请重新上传', 'The uploaded file is gone: upload it again');
    // Check the mapping now, so that a wrong one is a 400 here rather than a failed job.
    await i.imports.resolveProfile(job.header, req.body);
    const run = i.imports.run({ principal: p, file, fileName: job.fileName, format: job.format as TableFormat, jobId: job.id, ...req.body });
    run.catch((e: unknown) => s.ctx.log.error({ err: e, job: job.id }, 'import job failed'));
    // Answer once the job is marked running (or has already finished for a tiny file).
    for (let k = 0; k < 50; k++) {
      const j = await i.imports.job(p, job.id);
      if (j.status !== 'uploaded') return reply.status(202).send(j);
      await new Promise((r) => setTimeout(r, 20));
    }
    return reply.status(202).send(await i.imports.job(p, job.id));
  });

  app.get('/api/v1/interop/imports/:id/errors', {
    schema: {
      tags,
      summary: 'The rejected rows of an import with their reasons (CSV). The original cells only with unmask=true and the pii.unmask permission (audited).',
      params: IdParams,
      querystring: z.strictObject({ unmask: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), format: Format.default('csv') }),
    },
  }, async (req, reply) => {
    const p = staffOf(req);
    const job = await i.imports.job(p, req.params.id);
    const header = job.header;
    type R = { rowNo: number; sourceId: string | null; reason: string; cells: string[] };
    const stream = tableStream(req.query.format, [
      {
        name: '未导入的行',
        columns: [
          { header: '行号', value: (r: R) => r.rowNo },
          { header: '工单编号', value: (r: R) => r.sourceId },
          { header: '原因', width: 50, value: (r: R) => r.reason },
          ...header.map((h, k) => ({ header: h || `列${k + 1}`, value: (r: R) => r.cells[k] ?? '' })),
        ],
        rows: i.imports.rejects(p, job.id, { unmask: req.query.unmask }),
      },
    ]);
    return sendFile(reply, { stream, fileName: `导入错误-${job.fileName.replace(/\.[^.]+$/, '')}.${req.query.format}`, contentType: req.query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  });

  app.get('/api/v1/interop/import-profiles', {
    schema: { tags, summary: 'Saved column-mapping profiles', response: { 200: z.object({ items: z.array(z.object({ name: z.string(), profile: z.any(), updatedAt: z.string(), updatedBy: z.string().nullable() })) }), ...errorResponses } },
  }, async (req) => ({ items: await i.imports.listProfiles(staffOf(req)) }));

  app.put('/api/v1/interop/import-profiles/:name', {
    schema: { tags, summary: 'Save a column-mapping profile', params: z.strictObject({ name: ProfileName }), body: ProfileBody, response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } },
  }, async (req) => {
    await i.imports.saveProfile(staffOf(req), req.params.name, req.body);
    return { ok: true };
  });

  // ---- export ---------------------------------------------------------------------------------------

  app.get('/api/v1/appeals/export', {
    schema: {
      tags: ['appeals', ...tags],
      summary: 'The appeal list (same filters and scope as GET /api/v1/appeals) as .xlsx or .csv, streamed; personal data masked unless unmask=true with a reason (pii.unmask, audited)',
      querystring: ExportQuery,
    },
  }, async (req, reply) => {
    const { format, unmask, reason, ...filters } = req.query;
    return sendFile(reply, await i.exports.appeals(staffOf(req), filters, { format, unmask, reason }));
  });

  app.get('/api/v1/metrics/rankings/export', {
    schema: { tags: ['metrics', ...tags], summary: 'A peer group’s ranking with intervals as .xlsx or .csv', querystring: z.strictObject({ period: PeriodSpec, peerGroup: z.string().max(80).optional(), format: Format.default('xlsx') }) },
  }, async (req, reply) => sendFile(reply, await i.exports.rankings(staffOf(req), req.query, req.query.format)));

  app.get('/api/v1/metrics/breakdown/export', {
    schema: {
      tags: ['metrics', ...tags],
      summary: 'Figures split by child unit, unit, category, region or peer group, as .xlsx or .csv',
      querystring: z.strictObject({ period: PeriodSpec, unitId: Id.optional(), by: z.enum(['child', 'unit', 'category', 'region', 'peerGroup']).optional(), format: Format.default('xlsx') }),
    },
  }, async (req, reply) => sendFile(reply, await i.exports.breakdown(staffOf(req), req.query, req.query.format)));

  // ---- the monthly bulletin ----------------------------------------------------------------------------

  app.get('/api/v1/reports/monthly', {
    schema: {
      tags: ['reports', ...tags],
      summary: 'The monthly 通报 of a subtree (default: the user’s scope) as Word (.docx) or the full tables (.xlsx)',
      querystring: z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month such as 2026-10'), format: z.enum(['docx', 'xlsx']).default('docx'), unitId: Id.optional() }),
    },
  }, async (req, reply) => {
    const r = await i.reports.monthly(staffOf(req), req.query);
    const ascii = r.fileName.replace(/[^\x20-\x7E]/g, '_');
    return reply
      .header('content-type', r.contentType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(r.fileName)}`)
      .header('cache-control', 'no-store')
      .send(r.buffer);
  });

  const KeyProblemView = z.object({ title: z.string(), categoryId: z.string().nullable(), note: z.string().nullable(), setBy: z.string().nullable(), setAt: z.number().nullable() });
  app.get('/api/v1/reports/key-problem', {
    schema: { tags: ['reports'], summary: 'The month’s key problem (每月一题), if named', querystring: z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }), response: { 200: z.object({ keyProblem: KeyProblemView.nullable() }), ...errorResponses } },
  }, async (req) => {
    requirePermission(staffOf(req), 'metrics.read');
    return { keyProblem: await i.reports.keyProblem(req.query.period) };
  });

  app.put('/api/v1/reports/key-problem', {
    schema: {
      tags: ['reports'],
      summary: 'Name the month’s key problem (每月一题) for the bulletin (leader)',
      body: z.strictObject({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), title: text(2, 60), categoryId: Id.nullable().optional(), note: text(0, 500).nullable().optional() }),
      response: { 200: z.object({ keyProblem: KeyProblemView }), ...errorResponses },
    },
  }, async (req) => ({ keyProblem: await i.reports.setKeyProblem(staffOf(req), req.body.period, req.body) }));
};
