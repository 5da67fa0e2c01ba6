// Warming the text analysis before an instance listens (src/server.ts): the first citizen must not wait
// for the classifier, the tokenizer's dictionary and the duplicate index to load. Warming is a lookup:
// it may train the cold-start model (as the first submission would have), and stores nothing else.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const count = async (table: 'appeals' | 'appeal_events' | 'appeal_insights' | 'text_models') =>
  Number((await h.s.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

it('loads the model and stores no appeal, event or insight', async () => {
  const before = { appeals: await count('appeals'), events: await count('appeal_events'), insights: await count('appeal_insights') };
  expect(await count('text_models')).toBe(0);
  await h.s.text.analyzer.warm();
  // The cold-start model, trained from the seed sentences, is in place before any appeal arrives.
  expect(await count('text_models')).toBe(1);
  expect({ appeals: await count('appeals'), events: await count('appeal_events'), insights: await count('appeal_insights') }).toEqual(before);
  // A second warm-up (another instance starting) trains nothing more.
  await h.s.text.analyzer.warm();
  expect(await count('text_models')).toBe(1);
  // The first submission is analysed with that model.
  const r = await h.api(null, 'POST', '/api/v1/appeals', { type: 'complaint', regionCode: '360602001', title: '楼上半夜噪音扰民', body: '楼上每天半夜拖椅子跺地板，吵得睡不着。', anonymous: true });
  expect(r.statusCode, r.body).toBe(201);
  const insight = await h.api('dispA', 'GET', `/api/v1/appeals/${r.json().id}/insight`);
  expect(insight.json().predicted).not.toBeNull();
  expect(await count('text_models')).toBe(1);
});
