// The system administrator's and the auditor's pages (三员分立: each sees only their own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launch, login, openPage, screenshot, setScene, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ appeals: 300 });
  // Some audited work: hotline appeals dispatched and handled, a personal-data view, a calendar change.
  await setScene(server);
  const hand = await apiAs(server.url, 'handler');
  const inbox = await hand('GET', '/api/v1/appeals?view=inbox&pageSize=1');
  await hand('POST', `/api/v1/appeals/${inbox.json.items[0].id}/unmask`, { reason: '电话联系群众核实情况' });
  const admin = await apiAs(server.url, 'admin');
  await admin('PUT', '/api/v1/calendar/overrides/2026-12-31', { workday: false, note: '防汛临时调休' });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('admin and auditor', () => {
  it('admin opens units, users (三员分立), categories and the calendar', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'admin');
    expect(page.url()).toContain('/staff/admin');
    await page.getByTestId('admin').locator('tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'admin-units');
    await page.getByRole('tab', { name: '用户与角色' }).click();
    await page.getByText('三员分立', { exact: true }).waitFor();
    await page.getByRole('tabpanel').locator('tbody tr.ant-table-row').first().waitFor();
    // The form refuses a separated role combined with another before sending.
    await page.getByRole('button', { name: /新建账号/ }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '新建账号' });
    await modal.locator('.ant-select').last().click();
    await page.locator('.ant-select-item-option').filter({ hasText: '安全审计员' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '派单员' }).click();
    await modal.locator('.ant-select-selection-item').filter({ hasText: '派单员' }).waitFor();
    // Closes the list by a click beside it: Escape would close the modal itself if the list had already closed.
    await modal.locator('.ant-modal-title').click();
    await modal.getByText('三员分立:系统管理员、安全管理员、审计员不能与其他角色兼任').first().waitFor();
    await screenshot(page, 'admin-users');
    await modal.getByRole('button', { name: /取\s*消/ }).click();
    await page.getByRole('tab', { name: '分类与时限' }).click();
    await page.getByRole('tabpanel').getByText('噪音扰民').first().waitFor();
    await page.getByRole('tab', { name: '工作日历' }).click();
    await page.getByText('已内置国务院公布的节假日').waitFor();
    await page.getByRole('tab', { name: '考评参数' }).click();
    await page.getByTestId('weights').waitFor();
    await expect.poll(async () => page.getByTestId('w-response').inputValue()).toBe('0.100');
    // The admin has no business pages.
    expect(await page.locator('.ant-menu').textContent()).not.toContain('晴雨表');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('auditor reads the audit trail and verifies the hash chain', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'auditor');
    expect(page.url()).toContain('/staff/audit');
    await page.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('审计链完整');
    await screenshot(page, 'auditor-audit');
    await page.getByRole('tab', { name: '评价异常信号' }).click();
    await page.getByTestId('signals').locator('.ant-table').waitFor();
    expect(await page.locator('.ant-menu').textContent()).not.toContain('派单');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});
