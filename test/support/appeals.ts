// Appeals in a given state through the HTTP API, as the people concerned would bring them there.
import { expect } from 'vitest';
import type { Harness } from './harness.ts';

export const submitBody = (over: Record<string, unknown> = {}) => ({
  type: 'complaint',
  categoryId: 'order.noise',
  title: '小区夜间施工噪音扰民',
  body: '丽华小区旁边的工地每天晚上十一点以后还在施工,噪音很大,老人孩子都睡不着,希望尽快处理。',
  regionCode: '360602001',
  address: '清江区城关街道丽华小区3栋',
  citizenName: '王建国',
  phone: '13812345678',
  anonymous: false,
  ...over,
});

export interface Submitted {
  id: string;
  trackingCode: string;
  accessPin: string | null;
}

export async function submit(h: Harness, over: Record<string, unknown> = {}): Promise<Submitted> {
  const r = await h.api(null, 'POST', '/api/v1/appeals', submitBody(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as Submitted;
}

export async function act(h: Harness, user: string, id: string, body: Record<string, unknown>, status = 200) {
  const r = await h.api(user, 'POST', `/api/v1/appeals/${id}/actions`, body);
  expect(r.statusCode, `${user} ${String(body.action)}: ${r.body}`).toBe(status);
  return r.json();
}

export const REPLY = '经查,该工地夜间施工未办理夜间施工许可,已责令停止夜间施工,依据《中华人民共和国噪声污染防治法》第四十三条。';

/** Submitted → dispatched to a-ps1 → accepted → replied. */
export async function replied(h: Harness, over: Record<string, unknown> = {}): Promise<Submitted> {
  const a = await submit(h, over);
  await act(h, 'dispA', a.id, { action: 'dispatch', unitId: 'a-ps1' });
  await act(h, 'handA1', a.id, { action: 'accept' });
  await act(h, 'handA1', a.id, { action: 'reply', text: REPLY });
  return a;
}

/** Replied, then rated by the citizen on the web (closed). */
export async function closedByRating(h: Harness, over: Record<string, unknown> = {}, level = 4): Promise<Submitted> {
  const a = await replied(h, over);
  const secret = a.accessPin ?? String(submitBody(over).phone);
  const r = await h.api(null, 'POST', '/api/v1/track/rating', { trackingCode: a.trackingCode, secret, level, solved: 'yes', contacted: true });
  expect(r.statusCode, r.body).toBe(200);
  return a;
}
