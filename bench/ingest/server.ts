// The two servers measured by bench/ingest, started as a child process so the load generator does
// not share its core: `full` is the product (POST /api/v1/appeals); `bare` is a plain Fastify route
// inserting the same appeal row and event into the same database, with no validation, no deadlines,
// no encryption, no audit — the floor the product is compared with.
import Fastify from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { newId, newTrackingCode } from '../../src/lib/ids.ts';
import { createServices } from '../../src/services/index.ts';

const mode = process.argv[2] === 'bare' ? 'bare' : 'full';
const s = await createServices(loadConfig({ ...process.env, LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' }));

if (mode === 'full') {
  const app = await buildApp(s, { serveWeb: false, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
} else {
  const app = Fastify({ bodyLimit: 256 * 1024 });
  app.post('/bare', async (req, reply) => {
    const b = req.body as { title: string; body: string; regionCode: string; type: string };
    const now = Date.now();
    const id = newId(now);
    await s.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('appeals')
        .values({
          id, tracking_code: newTrackingCode(now), region_code: b.regionCode, status: 'submitted', type: b.type, urgency: 'general', channel: 'web',
          category_id: null, unit_id: null, unit_path: null, intake_unit_id: 'bench', intake_path: '/bench/', title: b.title, body: b.body,
          address_enc: null, citizen_name_enc: null, citizen_phone_enc: null, citizen_phone_idx: null, anonymous: 0, access_pin_hash: null,
          created_at: now, updated_at: now, response_due_at: now, handle_due_at: now, first_contact_at: null, replied_at: null, closed_at: null,
          reply: null, round: 1, return_count: 0, transfer_count: 0, reopen_count: 0, extension_count: 0, pending_extension_days: null,
          supervision_level: 0, response_overdue: 0, handle_overdue: 0, merged_into: null, redirect_channel: null, unreasonable_pending: 0,
          rating_appeal: null, last_rating: null, last_rating_level: null, version: 1,
        })
        .execute();
      await trx
        .insertInto('appeal_events')
        .values({ appeal_id: id, seq: 1, region_code: b.regionCode, at: now, actor_kind: 'citizen', actor_id: null, action: 'submit', from_status: null, to_status: 'submitted', payload: '{}' })
        .execute();
    });
    return reply.status(201).send({ id });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
}
process.on('SIGTERM', () => process.exit(0));
