// Hostile text shown as text (issue 6): markup a citizen writes into an appeal — a <script>, an
// <img onerror>, an "javascript:" link — reaches the dispatcher's and handler's pages and the citizen's
// tracking page as literal characters, never as markup that runs. Fails on any console error too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launch, login, openPage, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

const TITLE = '<script>window.__xss=1</script>小区噪音<img src=x onerror="window.__xss=2">';
const BODY = '楼下每晚噪音扰民。<img src=x onerror="window.__xss=3"><a href="javascript:window.__xss=4">点我</a><svg onload="window.__xss=5"></svg>请处理。';
const REPLY = '已处理<script>window.__xss=6</script>,依据《治安管理处罚法》第五十八条予以警告。<b onmouseover="window.__xss=7">谢谢</b>';
const PHONE = '13907917788';

beforeAll(async () => {
  server = await startServer({ appeals: 60 });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function noScriptRan(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('script:has-text("__xss")').count()).toBe(0);
  expect(await page.locator('img[src="x"], svg[onload], a[href^="javascript:"]').count()).toBe(0);
}

describe('hostile markup in an appeal', () => {
  it('is shown literally to staff and to the citizen, and never runs', async () => {
    const disp = await apiAs(server.url, 'dispatcher');
    const hand = await apiAs(server.url, 'handler');
    const me = await hand('GET', '/api/v1/auth/me');
    const created = await disp('POST', '/api/v1/appeals', { type: 'complaint', title: TITLE, body: BODY, regionCode: (await disp('GET', `/api/v1/units/${me.json.user.unitId}`)).json.regionCode, anonymous: false, citizenName: '<b>王</b>', phone: PHONE });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const { id, trackingCode } = created.json as { id: string; trackingCode: string };
    if ((await disp('GET', `/api/v1/appeals/${id}`)).json.status === 'submitted') {
      expect((await disp('POST', `/api/v1/appeals/${id}/actions`, { action: 'dispatch', unitId: me.json.user.unitId })).status).toBe(200);
    }
    expect((await hand('POST', `/api/v1/appeals/${id}/actions`, { action: 'accept' })).status).toBe(200);
    expect((await hand('POST', `/api/v1/appeals/${id}/actions`, { action: 'reply', text: REPLY })).status).toBe(200);

    // The handler's workbench and the appeal's detail.
    const t = await openPage(browser);
    const { page } = t;
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await login(t, server.url, 'handler');
    await page.goto(`${server.url}/staff/appeals?q=${encodeURIComponent(trackingCode)}`);
    await page.getByTestId(`row-${trackingCode}`).first().click();
    const detail = page.getByTestId('appeal-detail');
    await detail.waitFor({ timeout: 30_000 });
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain('<script>window.__xss=1</script>');
    expect(text).toContain('<img src=x onerror="window.__xss=3">');
    expect(text).toContain('<script>window.__xss=6</script>');
    await page.mouse.move(300, 300);
    await noScriptRan(page);

    // The citizen's tracking page.
    const c = await openPage(browser, { width: 375, height: 812, mobile: true });
    c.page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await c.page.goto(`${server.url}/track?code=${encodeURIComponent(trackingCode)}`);
    await c.page.getByTestId('track-secret').fill(PHONE);
    await c.page.getByTestId('track-submit').click();
    await c.page.getByTestId('track-result').waitFor({ timeout: 30_000 });
    expect(await c.page.getByTestId('track-reply').textContent()).toContain('<script>window.__xss=6</script>');
    await noScriptRan(c.page);
    expect(dialogs).toBe(0);
    expect(t.errors.concat(c.errors)).toEqual([]);
  });
});
