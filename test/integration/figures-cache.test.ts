// The dashboards' answers kept in memory (FIGURES_CACHE_SECONDS, src/services/scoring/figures-cache.ts),
// through the HTTP API on the database under test: a second reader gets the kept answer; a write in
// this process or the answer's age makes the next reader trigger a background recomputation (and still
// get the kept answer at once); an answer older than the hard limit is recomputed before answering;
// and the kept answer never crosses a data scope — the scope is checked before the cache is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, closedByRating, REPLY, submit } from '../support/appeals.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ env: { ...FUNCTIONAL_ENV, FIGURES_CACHE_SECONDS: '5' } });
});
afterAll(async () => h?.close());

type Summary = { figures: { volume: number }; asOf: number; cached: boolean; scope: { unitId: string } };

async function summary(user: string, query = ''): Promise<Summary> {
  const r = await h.api(user, 'GET', `/api/v1/metrics/summary${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as Summary;
}

/** The background recomputation runs after the answer was sent: ask until it has landed. */
async function eventually(user: string, ok: (s: Summary) => boolean): Promise<Summary> {
  for (let i = 0; i < 100; i++) {
    const s = await summary(user);
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the kept answer was never recomputed');
}

describe('dashboard answers kept in memory', () => {
  it('serves the kept summary, recomputes it in the background after a write, and waits only past the hard limit', async () => {
    await submit(h);
    const first = await summary('leaderCity');
    expect(first.cached).toBe(false);
    expect(first.figures.volume).toBe(1);

    const second = await summary('leaderCity');
    expect(second).toMatchObject({ cached: true, asOf: first.asOf, figures: { volume: 1 } });

    // A write in this process: the next reader still gets the kept answer at once …
    h.clock.now += 1000;
    await submit(h);
    const afterWrite = await summary('leaderCity');
    expect(afterWrite).toMatchObject({ cached: true, asOf: first.asOf, figures: { volume: 1 } });
    // … and the recomputation it started lands for the readers after it.
    const refreshed = await eventually('leaderCity', (s) => s.figures.volume === 2);
    expect(refreshed.cached).toBe(true);
    expect(refreshed.asOf).toBe(h.clock.now);

    // No write, but older than FIGURES_CACHE_SECONDS: served, and recomputed behind the answer.
    h.clock.now += 6000;
    const stale = await summary('leaderCity');
    expect(stale).toMatchObject({ cached: true, asOf: refreshed.asOf });
    await eventually('leaderCity', (s) => s.asOf === h.clock.now);

    // Older than the hard limit (60 s): the reader waits for a fresh answer.
    h.clock.now += 61_000;
    await submit(h);
    const old = await summary('leaderCity');
    expect(old).toMatchObject({ cached: false, asOf: h.clock.now, figures: { volume: 3 } });
  });

  it('checks the data scope before the cache: the city answer kept for the city leader is refused to a district leader', async () => {
    const city = await summary('leaderCity');
    expect(city.scope.unitId).not.toBe('a');
    const r = await h.api('leaderA', 'GET', `/api/v1/metrics/summary?unitId=${city.scope.unitId}`);
    expect(r.statusCode).toBe(403);
    const own = await summary('leaderA');
    expect(own.scope.unitId).toBe('a');
    const handler = await h.api('handA1', 'GET', `/api/v1/metrics/summary?unitId=${city.scope.unitId}`);
    expect(handler.statusCode).toBe(403);
  });

  it('keeps a peer group ranking, still marking the rows outside the reader’s scope', async () => {
    // One rated appeal in each district's station, so both are ranked.
    await closedByRating(h);
    const b = await submit(h, { regionCode: '360603' });
    await act(h, 'dispB', b.id, { action: 'dispatch', unitId: 'b-ps1' });
    await act(h, 'handB1', b.id, { action: 'accept' });
    await act(h, 'handB1', b.id, { action: 'reply', text: REPLY });
    const rated = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: b.trackingCode, secret: '13812345678', level: 5, solved: 'yes', contacted: true });
    expect(rated.statusCode, rated.body).toBe(200);
    const url = '/api/v1/metrics/rankings?peerGroup=police_station:township';
    const first = await h.api('leaderCity', 'GET', url);
    expect(first.statusCode, first.body).toBe(200);
    const again = await h.api('leaderA', 'GET', url);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().asOf).toBe(first.json().asOf);
    expect(again.json().cached).toBe(true);
    // The kept rows are the city's; whether each is in scope is the reader's.
    const inScope = (r: { json(): { units: { unitId: string; inScope: boolean }[] } }) => Object.fromEntries(r.json().units.map((u) => [u.unitId, u.inScope]));
    expect(inScope(first)).toEqual({ 'a-ps1': true, 'b-ps1': true });
    expect(inScope(again)).toEqual({ 'a-ps1': true, 'b-ps1': false });
  });
});
