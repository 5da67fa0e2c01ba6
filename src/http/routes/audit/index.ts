// The audit trail, for the auditor: read and verify the hash chain.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { requirePermission } from '../../../services/principal.ts';
import { repos } from '../../../store/repositories/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, Paging } from '../../schemas.ts';

export const auditRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit records, newest first (auditor)',
      querystring: z.strictObject({ action: z.string().max(60).optional(), actorId: z.string().max(64).optional(), objectId: z.string().max(64).optional(), ...Paging }),
      response: { 200: z.object({ items: z.array(z.any()) }), ...errorResponses },
    },
  }, async (req) => {
    requirePermission(staffOf(req), 'audit.read');
    const q = req.query;
    const rows = await repos.audit.list(s.ctx.db, { ...q, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
    return { items: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString(), details: r.details ? JSON.parse(r.details) : null })) };
  });

  app.get('/api/v1/audit/verify', {
    schema: {
      tags: ['audit'],
      summary: 'Verify the sealed hash chain of the audit trail (HMAC-SM3) against its sealed head; names the first broken record',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(), head: z.object({ seq: z.number(), hash: z.string() }).nullable() }), ...errorResponses },
    },
  }, async (req) => {
    requirePermission(staffOf(req), 'audit.read');
    return s.audit.verify();
  });
};
