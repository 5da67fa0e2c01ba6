// bench/scale's server process: the product (buildApp, as `minbiao serve` builds it) on PORT, and in the
// same process, on BENCH, the baselines it is compared with — never part of the product:
//   GET  /bare          a constant answer (the floor of an HTTP round trip through Fastify);
//   GET  /aggregate     a bare SQL aggregate: select unit_id, count(*) from appeals over [start, end) group by unit_id;
//   POST /bare-insert   bench/ingest's bare insert of the same appeal row and event (bench/lib/bare.ts);
//   POST /bare-cleanup  deletes what the bare insert wrote (between slices, not timed);
//   POST /intake-without-analysis  the product's intake (validation, deadlines, encryption, idempotency,
//                       audit chain, events, the figures' projection) with no text analysis: every
//                       appeal goes to triage. What any design that analyses after acknowledging would
//                       still do per submission — the ceiling of an asynchronous intake;
//   GET  /memory        this process's heap and resident memory.
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { AppealIntakeService } from '../../src/services/appeals/intake.ts';
import { SubmitBody } from '../../src/http/routes/appeals/schema.ts';
import { citizenOf } from '../../src/http/plugins/auth.ts';
import { registerBareInsert } from '../lib/bare.ts';
import { heapMemory, procMemory } from '../lib/setup.ts';

const s = await createServices(loadConfig({ ...process.env, LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' }));
const app = await buildApp(s, { serveWeb: false, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });

const bench = Fastify({ bodyLimit: 256 * 1024 });
bench.get('/bare', async () => ({ ok: true }));
bench.get('/aggregate', async (req) => {
  const q = req.query as { start: string; end: string };
  const rows = await s.ctx.db
    .selectFrom('appeals')
    .select(['unit_id', sql<number>`count(*)`.as('n')])
    .where('created_at', '>=', Number(q.start))
    .where('created_at', '<', Number(q.end))
    .groupBy('unit_id')
    .execute();
  return { items: rows.map((r) => ({ unitId: r.unit_id, n: Number(r.n) })) };
});
registerBareInsert(bench, s, '/bare-insert');
// Between slices: the bare insert's rows go, so that the product's next slice does not start by catching
// its near-duplicate index up on thousands of appeals the baseline wrote (a stall that was measured as
// the product's p99 before this existed).
bench.post('/bare-cleanup', async () => {
  const ids = s.ctx.db.selectFrom('appeals').select('id').where('intake_unit_id', '=', 'bench');
  const events = await s.ctx.db.deleteFrom('appeal_events').where('appeal_id', 'in', ids).executeTakeFirst();
  const appeals = await s.ctx.db.deleteFrom('appeals').where('intake_unit_id', '=', 'bench').executeTakeFirst();
  return { appeals: Number(appeals.numDeletedRows), events: Number(events.numDeletedRows) };
});
// The same services, but an intake that was never given the analyzer.
const withoutAnalysis = new AppealIntakeService(s.ctx, s.org, s.categories, s.calendar, s.audit, s.writer);
bench.post('/intake-without-analysis', async (req, reply) => {
  const r = await withoutAnalysis.submit(citizenOf(req), SubmitBody.parse(req.body));
  return reply.status(201).send({ id: r.id });
});
bench.get('/memory', async () => ({ ...procMemory('self'), ...heapMemory() }));
await bench.listen({ port: 0, host: '127.0.0.1' });

const port = (f: typeof app | typeof bench) => (f.server.address() as { port: number }).port;
process.stdout.write(`PORT ${port(app)} BENCH ${port(bench)}\n`);
process.on('SIGTERM', () => process.exit(0));
