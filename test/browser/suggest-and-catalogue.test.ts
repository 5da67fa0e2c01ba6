// The category suggested live from the citizen's text (chips on the 375 px form), and the admin's
// 派单目录 editor (filter, change an entry's unit; the API then returns the new unit). Fails on any
// console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launch, login, openPage, screenshot, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ appeals: 200 });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('category suggestions and the 派单目录', () => {
  it('suggests 噪音扰民 while the citizen writes about noise; a tap sets the category', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    const classify: { title: string; body: string }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/classify') && r.method() === 'POST') classify.push(r.postDataJSON() as { title: string; body: string });
    });
    await page.goto(server.url + '/submit');
    await page.waitForSelector('[data-testid=submit-form]');
    // A short text asks nothing and shows the usual hint.
    await page.getByTestId('title').fill('噪音');
    await page.waitForTimeout(700);
    expect(classify).toEqual([]);
    expect(await page.getByTestId('category-suggest').count()).toBe(0);
    await page.getByText('不确定可以不选,工作人员会帮您归类。').waitFor();

    // Typed key by key: the debounce sends one request for the settled text, not one per key.
    await page.getByTestId('title').fill('');
    await page.getByTestId('title').pressSequentially('楼上每天半夜噪音扰民', { delay: 40 });
    await page.getByTestId('body').fill('楼上住户每天半夜拖椅子、跺地板,还开着音响,吵得全家睡不着觉,多次敲门劝说无效。');
    const chips = page.getByTestId('category-suggest');
    await chips.waitFor({ timeout: 15_000 });
    expect(await chips.textContent()).toContain('可能的类别');
    const noise = page.getByTestId('suggest-order.noise');
    await noise.waitFor();
    expect((await noise.textContent())?.replace(/\s/g, '')).toBe('噪音扰民');
    expect(await noise.getAttribute('aria-pressed')).toBe('false');
    expect(classify.length).toBeLessThanOrEqual(3);
    expect(classify.at(-1)?.body).toContain('拖椅子');
    // Nothing is chosen for the citizen.
    expect(await page.getByTestId('category').textContent()).toBe('选择或搜索分类,如“噪音扰民”');

    await noise.click();
    await expect.poll(async () => page.getByTestId('category').textContent()).toBe('噪音扰民');
    expect(await noise.getAttribute('aria-pressed')).toBe('true');
    // The category's default type (投诉) comes with it, as when picked from the list.
    expect(await page.locator('.type-grid .ant-radio-button-wrapper-checked').textContent()).toContain('投诉');
    await screenshot(page, 'citizen-category-suggest-375');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('admin changes the unit of a 派单目录 entry; the API returns the new unit', async () => {
    const admin = await apiAs(server.url, 'admin');
    const cat = (await admin('GET', '/api/v1/dispatch-catalogue')).json.items as { categoryId: string; regionCode: string; unitId: string }[];
    const regions = (await admin('GET', '/api/v1/regions')).json.items as { code: string; name: string; level: string }[];
    const units = (await admin('GET', '/api/v1/units')).json.items as { id: string; name: string; type: string; active: boolean }[];
    const entry = cat.find((e) => e.categoryId === 'order.noise' && e.regionCode.length === 9)!;
    expect(entry).toBeTruthy();
    const street = regions.find((r) => r.code === entry.regionCode)!;
    const before = units.find((u) => u.id === entry.unitId)!;
    const other = units.find((u) => u.active && u.type === before.type && u.id !== before.id)!;
    expect(other).toBeTruthy();

    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'admin');
    await page.getByRole('tab', { name: '派单目录' }).click();
    const panel = page.getByTestId('catalogue');
    await panel.locator('tbody tr.ant-table-row').first().waitFor();
    // Names, not ids.
    expect(await panel.locator('tbody').textContent()).not.toMatch(/order\.\w+/);

    // Filter by category and by the street.
    await page.getByTestId('cat-filter-category').click();
    await page.keyboard.type('噪音');
    await page.locator('.ant-select-tree-node-content-wrapper[title="噪音扰民"]:visible').click();
    await page.getByTestId('cat-filter-region').click();
    await page.keyboard.type(street.name);
    await page.locator(`.ant-select-tree-node-content-wrapper[title="${street.name}"]:visible`).first().click();
    const row = panel.locator(`tr[data-row-key="order.noise@${entry.regionCode}"]`);
    await row.waitFor();
    await expect.poll(async () => panel.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await row.textContent()).toContain('噪音扰民');
    expect(await row.textContent()).toContain(street.name);
    expect(await row.getByTestId('cat-row-unit').textContent()).toBe(before.name);

    // Change its unit.
    await row.getByTestId('cat-edit').click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '修改承办单位' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('cat-editing').textContent()).toContain(before.name);
    await dialog.getByTestId('cat-unit').click();
    await page.keyboard.type(other.name);
    await page.locator(`.ant-select-tree-node-content-wrapper[title="${other.name}"]:visible`).first().click();
    await screenshot(page, 'admin-catalogue-edit');
    await dialog.getByTestId('cat-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => row.getByTestId('cat-row-unit').textContent()).toBe(other.name);
    const after = (await admin('GET', '/api/v1/dispatch-catalogue')).json.items as typeof cat;
    expect(after.find((e) => e.categoryId === 'order.noise' && e.regionCode === entry.regionCode)?.unitId).toBe(other.id);
    expect(after.length).toBe(cat.length);

    // Add an entry whose unit was switched off meanwhile: the server's own words, under the unit field.
    const third = units.find((u) => u.active && u.type === before.type && u.id !== before.id && u.id !== other.id)!;
    await page.getByTestId('cat-add').click();
    const add = page.locator('.ant-modal').filter({ hasText: '新增派单目录条目' });
    await add.waitFor();
    // The filters carry over into the form: the entry exists already, and the form says so.
    await add.getByText(`该类别在该地区已有条目(当前:${other.name})`, { exact: false }).waitFor();
    await add.getByTestId('cat-unit').click();
    await page.keyboard.type(third.name);
    await page.locator(`.ant-select-tree-node-content-wrapper[title="${third.name}"]:visible`).first().click();
    expect((await admin('PATCH', `/api/v1/units/${third.id}`, { active: false })).status).toBe(200);
    await add.getByTestId('cat-save').click();
    await add.getByRole('alert').first().waitFor();
    expect(await add.textContent()).toContain('承办单位不存在或已停用');
    expect(await add.locator('.ant-form-item-explain-error').textContent()).toContain('承办单位不存在或已停用');
    await add.getByRole('button', { name: /取\s*消/ }).click();
    const still = (await admin('GET', '/api/v1/dispatch-catalogue')).json.items as typeof cat;
    expect(still.find((e) => e.categoryId === 'order.noise' && e.regionCode === entry.regionCode)?.unitId).toBe(other.id);
    // The refused PUT is the one network error the browser logs.
    expect(t.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await t.context.close();
  });
});
