// Every appeal row equals the replay of its events, over a generated city of a few thousand
// realistic histories; migrations are idempotent; the API is published as OpenAPI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/appeal/machine.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { rowToEvent, rowToState } from '../../src/store/repositories/appeals.ts';
import type { AppealEvent } from '../../src/domain/appeal/events.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let db: TestDatabase;
let s: Services;
beforeAll(async () => {
  db = await createTestDatabase();
  s = await createServices(db.config);
  await seedDemo(s, { appeals: 3000, seed: 11, now: Date.parse('2026-10-15T12:00:00+08:00') });
});
afterAll(async () => {
  await s?.close();
  await db?.drop();
});

describe('event sourcing', () => {
  it('rebuilds every appeal of a generated city from its events', async () => {
    const rows = await s.ctx.db.selectFrom('appeals').selectAll().orderBy('id').execute();
    expect(rows.length).toBe(3000);
    const events = await s.ctx.db.selectFrom('appeal_events').selectAll().orderBy('appeal_id').orderBy('seq').execute();
    const byAppeal = new Map<string, AppealEvent[]>();
    for (const e of events) {
      const list = byAppeal.get(e.appeal_id) ?? [];
      list.push(rowToEvent(e));
      byAppeal.set(e.appeal_id, list);
    }
    let statuses = new Set<string>();
    for (const row of rows) {
      const history = byAppeal.get(row.id)!;
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      expect(replay(history)).toEqual(rowToState(row));
      statuses.add(row.status);
    }
    // The generated histories cover the life cycle, not just the happy path.
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['closed', 'dispatched', 'merged', 'redirected', 'unreasonable']));
    const actions = new Set(events.map((e) => e.action));
    for (const a of ['return', 'transfer', 'request_extension', 'decide_extension', 'mark_overdue', 'reopen', 'rate', 'schedule_callback']) {
      expect(actions.has(a), a).toBe(true);
    }
    statuses = new Set();
  });

  it('is deterministic for a seed', async () => {
    const a = await s.ctx.db.selectFrom('appeals').select(['tracking_code', 'title', 'status']).orderBy('tracking_code').limit(50).execute();
    const db2 = await createTestDatabase();
    const s2 = await createServices(db2.config);
    try {
      await seedDemo(s2, { appeals: 3000, seed: 11, now: Date.parse('2026-10-15T12:00:00+08:00') });
      const b = await s2.ctx.db.selectFrom('appeals').select(['tracking_code', 'title', 'status']).orderBy('tracking_code').limit(50).execute();
      expect(b).toEqual(a);
    } finally {
      await s2.close();
      await db2.drop();
    }
  });

  it('runs migrations idempotently', async () => {
    expect(await s.ctx.handle.migrate()).toEqual([]);
  });

  it('publishes the API as OpenAPI at /api/docs/json', async () => {
    const app = await buildApp(s, { serveWeb: false, logger: false });
    const r = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/appeals', '/api/v1/appeals/{id}', '/api/v1/appeals/{id}/actions', '/api/v1/track', '/api/v1/track/rating', '/api/v1/units', '/api/v1/categories', '/api/v1/tasks']) {
      expect(Object.keys(doc.paths), p).toContain(p);
    }
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json().status).toBe('ok');
    await app.close();
  });
});
