// The appeal list's total stops counting at LIST_TOTAL_CAP and then says so (totalCapped), on the
// database under test; below the cap it is exact. The city-wide scope (whose predicate the list leaves
// out, since every appeal is in it) lists every district's appeals; a district's staff only their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submit } from '../support/appeals.ts';
import { createHarness, FUNCTIONAL_ENV, type Harness } from '../support/harness.ts';

let h: Harness;
type ListPage = { items: { id: string }[]; total: number; totalCapped?: boolean };

beforeAll(async () => {
  h = await createHarness({ env: { ...FUNCTIONAL_ENV, LIST_TOTAL_CAP: '3' } });
  for (let i = 0; i < 4; i++) {
    await submit(h, { type: i === 0 ? 'suggestion' : 'complaint' });
    h.clock.now += 60_000;
  }
  await submit(h, { regionCode: '360603' });
});
afterAll(async () => h?.close());

async function list(user: string, query = ''): Promise<ListPage> {
  const r = await h.api(user, 'GET', `/api/v1/appeals${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as ListPage;
}

describe('appeal list total', () => {
  it('caps the count, not the page', async () => {
    const city = await list('leaderCity');
    expect(city).toMatchObject({ total: 3, totalCapped: true });
    expect(city.items).toHaveLength(5);
    const district = await list('leaderA');
    expect(district).toMatchObject({ total: 3, totalCapped: true });
    expect(district.items).toHaveLength(4);
  });

  it('pageSize 0 answers the total alone (the dashboard counters)', async () => {
    const only = await list('leaderCity', '?type=suggestion&pageSize=0');
    expect(only).toMatchObject({ total: 1, items: [], pageSize: 0 });
    expect((await h.api('leaderCity', 'GET', '/api/v1/appeals?pageSize=-1')).statusCode).toBe(400);
  });

  it('orders a list of appeals in hand (sorted apart from the creation index) as any other list', async () => {
    const all = (await list('leaderCity', '?pageSize=50')).items.map((x) => x.id);
    const inHand = (await list('leaderCity', '?status=submitted,dispatched,returned&pageSize=50')).items.map((x) => x.id);
    expect(inHand.length).toBeGreaterThan(1);
    expect(inHand).toEqual(all.filter((id) => inHand.includes(id)));
    const oldest = (await list('leaderCity', '?status=submitted,dispatched,returned&sort=created_asc&pageSize=50')).items.map((x) => x.id);
    expect(oldest).toEqual([...inHand].reverse());
  });

  it('is exact below the cap, and each scope keeps its own appeals', async () => {
    const suggestions = await list('leaderCity', '?type=suggestion');
    expect(suggestions.total).toBe(1);
    expect(suggestions.totalCapped).toBeUndefined();
    const b = await list('dispB');
    expect(b.total).toBe(1);
    expect(b.totalCapped).toBeUndefined();
    const cityIds = new Set((await list('leaderCity')).items.map((x) => x.id));
    for (const x of [...(await list('leaderA')).items, ...b.items]) expect(cityIds.has(x.id)).toBe(true);
    const aIds = new Set((await list('leaderA')).items.map((x) => x.id));
    expect(aIds.has(b.items[0]!.id)).toBe(false);
  });

  it('lists as overdue exactly the appeals it marks overdue, before the scheduler has run', async () => {
    type Flagged = { id: string; status: string; overdue: boolean };
    const flagged = async (q: string) => (await list('leaderCity', q)).items as unknown as Flagged[];
    expect(await flagged('?overdue=true&pageSize=50')).toEqual([]);
    h.clock.now += 40 * 86_400_000; // past every handling deadline; no scheduler run marks them
    const all = await flagged('?pageSize=50');
    expect(all.length).toBe(5);
    expect(all.every((a) => a.status === 'submitted' && a.overdue)).toBe(true);
    expect((await flagged('?overdue=true&pageSize=50')).map((a) => a.id).sort()).toEqual(all.map((a) => a.id).sort());
    expect(await flagged('?overdue=false&pageSize=50')).toEqual([]);
    expect((await list('leaderCity', '?status=submitted,returned,dispatched,accepted,contacted&overdue=true&pageSize=0')).total).toBe(3); // the cap
  });
});
