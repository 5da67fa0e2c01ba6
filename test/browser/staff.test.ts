// Staff journeys: a dispatcher routes an appeal from the triage queue; a handler signs for it,
// contacts the citizen (after unmasking the contact with a reason) and replies. Keyboard-driven
// where the pages promise it. Fails on any console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, awaitingCallback, launch, login, openPage, screenshot, setScene, startServer, type Scene, type Server } from './support.ts';

let server: Server;
let browser: Browser;
let scene: Scene;

beforeAll(async () => {
  server = await startServer();
  scene = await setScene(server);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('dispatcher console', () => {
  it('routes an appeal from the queue to a unit', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'dispatcher');
    expect(page.url()).toContain('/staff/dispatch');
    const queue = page.getByTestId('queue-table');
    await queue.locator('tbody tr.ant-table-row').first().waitFor();
    await expect.poll(async () => Number(await page.getByTestId('dc-queue-value').textContent())).toBeGreaterThanOrEqual(scene.queued.length);
    await screenshot(page, 'dispatcher-console');

    const code = scene.queued[0]!;
    await queue.getByTestId(`row-${code}`).click();
    const drawer = page.getByTestId('appeal-detail');
    await drawer.waitFor();
    await drawer.getByTestId('act-dispatch').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '派单' });
    await modal.waitFor();
    // The suggested unit (the category's unit type in the appeal's street) is one click away.
    await modal.getByTestId('suggested-unit').click();
    const unitName = (await modal.getByTestId('suggested-unit').textContent())?.trim() ?? '';
    expect(unitName).toMatch(/司法所|派出所|法庭|综治中心/);
    await screenshot(page, 'dispatcher-dispatch');
    await modal.getByTestId('action-ok').click();
    await page.locator('.ant-modal').filter({ hasText: '派单' }).waitFor({ state: 'detached' });
    await drawer.getByText('已派单').first().waitFor();
    expect(await drawer.locator('.staff-timeline').textContent()).toContain(unitName);

    const disp = await apiAs(server.url, 'dispatcher');
    const r = await disp('GET', `/api/v1/appeals?q=${code}`);
    expect(r.json.items[0].status).toBe('dispatched');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('records a 回访 answer as a rating', async () => {
    const code = await awaitingCallback(server);
    const disp = await apiAs(server.url, 'dispatcher');
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'dispatcher');
    await page.getByTestId('dc-callbacks').click();
    await page.getByTestId('callbacks').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId(`callback-${code}`).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '记录回访' });
    await modal.getByTestId('face-5').click();
    await modal.getByText('已解决', { exact: true }).click();
    await modal.getByText('联系过', { exact: true }).click();
    await modal.getByTestId('callback-ok').click();
    await modal.waitFor({ state: 'detached' });
    const after = await disp('GET', `/api/v1/appeals?q=${code}`);
    expect(after.json.items[0].status).toBe('closed');
    expect(after.json.items[0].lastRatingLevel).toBe(5);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});

describe('handler workbench', () => {
  it('signs for, contacts and replies, from the keyboard where it can', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'handler');
    expect(page.url()).toContain('/staff/workbench');
    const table = page.getByTestId('appeal-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // Overdue appeals come first and are marked.
    expect(await table.locator('tr.row-overdue').count()).toBeGreaterThan(0);
    await screenshot(page, 'handler-workbench');

    const code = scene.dispatched[0]!;
    await page.keyboard.press('/');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await table.getByTestId(`row-${code}`).waitFor();
    await expect.poll(async () => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Enter');
    const drawer = page.getByTestId('appeal-detail');
    await drawer.waitFor();
    expect(await drawer.locator('.detail-title').textContent()).toBeTruthy();

    // 签收 with its shortcut key.
    await page.keyboard.press('a');
    await page.locator('.ant-modal-confirm').waitFor();
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    await drawer.getByTestId('act-contact').waitFor();

    // The contact is masked; unmasking needs a reason and is audited.
    expect(await drawer.getByTestId('citizen-contact').textContent()).toMatch(/\*/);
    await drawer.getByTestId('unmask').click();
    await page.getByTestId('unmask-reason').fill('电话联系群众核实情况');
    await page.locator('.ant-modal').filter({ hasText: '查看群众完整信息' }).locator('.ant-btn-primary').click();
    await drawer.getByText('已显示完整信息').waitFor();
    expect(await drawer.getByTestId('citizen-contact').textContent()).toMatch(/1390791\d{4}/);

    await drawer.getByTestId('act-contact').click();
    await page.getByTestId('contact-note').fill('已电话联系王先生,约定今晚到现场查看');
    await page.getByTestId('action-ok').click();
    await page.locator('.ant-modal').filter({ hasText: '联系群众' }).waitFor({ state: 'detached' });

    await drawer.getByTestId('act-reply').click();
    await page.getByTestId('reply-text').fill('您好!经民警现场核查,该烧烤店确有夜间经营噪音扰民情况,已依据《治安管理处罚法》第五十八条予以警告并责令整改。如仍有问题,可拨打 110 或联系府前派出所,我们将跟踪回访。');
    await page.locator('.reply-hints').waitFor();
    // The knowledge base offers the legal basis to cite.
    await page.locator('.kb-staff .ant-collapse-header').click();
    await page.getByTestId('kb-for-appeal').getByRole('button', { name: '插入引用' }).first().click();
    await expect.poll(async () => page.getByTestId('reply-text').inputValue()).toMatch(/《[^》]+》[\s\S]*《/);
    await screenshot(page, 'handler-reply');
    await page.getByTestId('action-ok').click();
    await page.locator('.ant-modal').filter({ hasText: '答复' }).waitFor({ state: 'detached' });
    await drawer.getByText('已答复').first().waitFor();
    await screenshot(page, 'handler-detail');

    const hand = await apiAs(server.url, 'handler');
    const r = await hand('GET', `/api/v1/appeals?q=${code}`);
    expect(r.json.items[0].status).toBe('replied');
    const audit = await apiAs(server.url, 'auditor');
    const a = await audit('GET', '/api/v1/audit?action=pii.unmask');
    expect(a.json.items.length).toBeGreaterThan(0);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('works at 375 px without sideways scrolling', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    await login(t, server.url, 'handler');
    // On a phone the inbox is a list of cards, overdue ones marked.
    await t.page.getByTestId('appeal-table').locator('.appeal-card').first().waitFor();
    expect(await t.page.locator('.appeal-card.card-overdue').count()).toBeGreaterThan(0);
    await t.page.locator('.appeal-card').first().click();
    await t.page.getByTestId('appeal-detail').waitFor();
    await screenshot(t.page, 'handler-detail-375');
    await t.page.keyboard.press('Escape');
    await t.page.getByTestId('appeal-detail').waitFor({ state: 'detached' });
    const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(t.page, 'handler-workbench-375');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});
