// The two servers measured by bench/ingest, started as a child process so the load generator does
// not share its core: `full` is the product (POST /api/v1/appeals); `bare` is a plain Fastify route
// inserting the same appeal row and event into the same database (bench/lib/bare.ts) — the floor the
// product is compared with.
import Fastify from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import { registerBareInsert } from '../lib/bare.ts';

const mode = process.argv[2] === 'bare' ? 'bare' : 'full';
const s = await createServices(loadConfig({ ...process.env, LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' }));

if (mode === 'full') {
  const app = await buildApp(s, { serveWeb: false, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
} else {
  const app = Fastify({ bodyLimit: 256 * 1024 });
  registerBareInsert(app, s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
}
process.on('SIGTERM', () => process.exit(0));
