// An app on a fresh database with a small org, categories and one user per role, plus helpers to
// call the API as any of them. The clock is controllable so deadlines and the scheduler can be tested.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { seedTestOrg, TEST_PASSWORD, type TestOrg } from '../factories/org.ts';

export interface Harness {
  app: FastifyInstance;
  s: Services;
  db: TestDatabase;
  org: TestOrg;
  scheduler: Scheduler;
  clock: { now: number };
  tokens: Record<string, string>;
  api(user: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createHarness(opts: { start?: number } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const clock = { now: opts.start ?? Date.parse('2026-03-02T09:00:00+08:00') };
  const s = await createServices(db.config, { now: () => clock.now });
  const org = await seedTestOrg(s);
  const app = await buildApp(s, { serveWeb: false, logger: false });
  await app.ready();
  const tokens: Record<string, string> = {};
  const login = async (user: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: TEST_PASSWORD } });
    if (r.statusCode !== 200) throw new Error(`login ${user} failed: ${r.body}`);
    tokens[user] = r.json().token;
  };
  const api: Harness['api'] = async (user, method, url, body, headers = {}) => {
    if (user && !tokens[user]) await login(user);
    const send = () =>
      app.inject({
        method,
        url,
        ...(body !== undefined ? { payload: body as object } : {}),
        headers: { ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}), ...headers },
      });
    const r = await send();
    // Tests move the clock by hours or days, which ends sessions by idle timeout: sign in again.
    if (user && r.statusCode === 401) {
      await login(user);
      return send();
    }
    return r;
  };
  return {
    app,
    s,
    db,
    org,
    scheduler: new Scheduler(s),
    clock,
    tokens,
    api,
    close: async () => {
      await app.close();
      await s.close();
      await db.drop();
    },
  };
}
