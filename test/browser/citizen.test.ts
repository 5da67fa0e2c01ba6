// A citizen submits an appeal on a phone (375 px), staff handle it, and the citizen tracks it and
// rates the handling with the faces. Fails on any console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launch, openPage, screenshot, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('citizen H5 (375 px)', () => {
  let trackingCode = '';
  const phone = '13907915678';

  it('submits an appeal and gets a tracking code', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await page.goto(server.url + '/');
    await page.getByTestId('go-submit').waitFor();
    await screenshot(page, 'citizen-home-375');
    await page.getByTestId('go-submit').click();
    await page.waitForSelector('[data-testid=submit-form]');

    // Validation in words before anything is sent.
    await page.getByTestId('submit').click();
    await page.waitForSelector('.ant-form-item-explain-error');
    const firstError = await page.locator('.ant-form-item-explain-error').first().textContent();
    expect(firstError).toMatch(/请选择诉求类型|请填写/);

    await page.locator('.type-grid label').filter({ hasText: '投诉' }).click();
    await page.getByTestId('category').click();
    await page.keyboard.type('噪音');
    await page.locator('.ant-select-tree-node-content-wrapper[title="噪音扰民"]').click();
    await page.getByTestId('title').fill('楼下烧烤店每晚营业到凌晨两点,噪音扰民');
    await page.getByTestId('body').fill('人民路锦绣花园北门的烧烤店每天营业到凌晨两点,食客喧哗划拳,多次劝说无效,老人小孩无法休息,希望依法处理。');
    // 释疑解惑: answers from the knowledge base appear while the citizen types.
    const kb = page.getByTestId('kb-suggest');
    await kb.waitFor({ timeout: 15_000 });
    await kb.locator('a').first().click();
    const article = page.locator('.ant-modal').filter({ has: page.locator('.kb-article') });
    await article.waitFor();
    expect(await article.textContent()).toContain('法律依据');
    await article.getByRole('button', { name: '没解决,继续反映' }).click();
    await article.waitFor({ state: 'hidden' });
    await page.getByTestId('region').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '清江区' }).first().click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '府前街道' }).first().click();
    await page.getByTestId('address').fill('人民路 18 号锦绣花园北门');
    await page.getByTestId('name').fill('王先生');
    await page.getByTestId('phone').fill(phone);
    // The optional e-mail: a malformed one is refused in words, a good one kept for progress notices.
    await page.getByTestId('email').fill('wang@');
    await page.getByText('邮箱格式不正确').waitFor();
    await page.getByTestId('email').fill('wang.xiansheng@example.com');
    await page.locator('label').filter({ hasText: '我承诺所反映的情况属实' }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'citizen-submit-375', { fullPage: true });
    await page.getByTestId('submit').click();

    const code = page.getByTestId('tracking-code');
    await code.waitFor({ timeout: 30_000 });
    trackingCode = ((await code.textContent()) ?? '').trim();
    expect(trackingCode).toMatch(/^MB\d{4}-[0-9A-Z]{6}$/);
    await screenshot(page, 'citizen-submitted-375');
    // Nothing overflows sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('tracks it after staff answered, and rates with the faces', async () => {
    expect(trackingCode).not.toBe('');
    // Staff handle it through the API (their own pages are covered by staff.test.ts).
    const disp = await apiAs(server.url, 'dispatcher');
    const hand = await apiAs(server.url, 'handler');
    const found = await disp('GET', `/api/v1/appeals?q=${encodeURIComponent(trackingCode)}`);
    const appeal = found.json.items[0] as { id: string };
    // The address is stored and shown to staff masked.
    expect((await disp('GET', `/api/v1/appeals/${appeal.id}`)).json.citizen.email).toBe('w***@example.com');
    const me = await hand('GET', '/api/v1/auth/me');
    expect((await disp('POST', `/api/v1/appeals/${appeal.id}/actions`, { action: 'dispatch', unitId: me.json.user.unitId })).status).toBe(200);
    expect((await hand('POST', `/api/v1/appeals/${appeal.id}/actions`, { action: 'accept' })).status).toBe(200);
    expect((await hand('POST', `/api/v1/appeals/${appeal.id}/actions`, { action: 'contact', method: 'phone', note: '已电话联系' })).status).toBe(200);
    const reply = '您好!经民警现场核查,该烧烤店确有夜间噪音扰民情况,已依据《治安管理处罚法》第五十八条对经营者予以警告,责令其晚十点后停止室外经营。如仍有问题,可拨打 110 或联系府前派出所。';
    expect((await hand('POST', `/api/v1/appeals/${appeal.id}/actions`, { action: 'reply', text: reply })).status).toBe(200);

    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await page.goto(`${server.url}/track?code=${encodeURIComponent(trackingCode)}`);
    await page.getByTestId('track-secret').fill(phone);
    await page.getByTestId('track-submit').click();
    await page.getByTestId('track-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('track-status').textContent()).toContain('已答复');
    const steps = await page.locator('.citizen-timeline').textContent();
    expect(steps).toContain('已派至');
    expect(steps).toContain('工作人员已与您联系');
    expect(await page.getByTestId('track-reply').textContent()).toContain('治安管理处罚法');

    // The rating: five large faces, solved?, contacted?, a comment.
    await page.getByTestId('rate-card').scrollIntoViewIfNeeded();
    await page.getByTestId('rate-submit').click();
    await page.waitForSelector('.field-error');
    await page.getByTestId('face-4').click();
    await page.getByTestId('solved').getByText('已解决').click();
    await page.getByTestId('contacted').getByText('联系过').click();
    await page.getByTestId('comment').fill('民警来得很快,处理得当,谢谢!');
    await screenshot(page, 'citizen-rate-375', { fullPage: true });
    await page.getByTestId('rate-submit').click();
    await page.getByTestId('rate-thanks').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('rate-thanks').textContent()).toContain('感谢您的评价');
    expect(await page.getByTestId('track-status').textContent()).toContain('已办结');

    const detail = await disp('GET', `/api/v1/appeals/${appeal.id}`);
    expect(detail.json.lastRating).toMatchObject({ level: 4, solved: 'yes', contacted: true, channel: 'web' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('switches to English', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    await t.page.goto(server.url + '/submit');
    await t.page.getByTestId('lang-switch').click();
    await t.page.getByText('Submit an appeal').first().waitFor();
    expect(await t.page.getAttribute('html', 'lang')).toBe('en');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});
