// The leader's barometer: the dashboard at 1920 px, drill-down from a number to the appeals behind
// it (and the count matches), the big-screen mode, and the phone layout. Fails on any console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, login, openPage, screenshot, setScene, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  await setScene(server);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const num = (s: string | null) => Number((s ?? '').replace(/[^\d.]/g, ''));

/** The first day ('YYYY-MM-DD') of the Beijing month `offset` months from now's. */
function monthStart(offset: number): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
}

/** Switches the period to 上月 and waits until the header shows that month. */
async function lastMonth(page: Page): Promise<void> {
  await page.getByTestId('period-presets').getByText('上月', { exact: true }).click();
  await page.locator('.dash-sub').filter({ hasText: `考评周期 ${monthStart(-1)}` }).waitFor();
}

describe('leader barometer', () => {
  it('shows the dashboard and every drilled number equals the appeals behind it', async () => {
    const t = await openPage(browser, { width: 1920, height: 1080 });
    const { page } = t;
    await login(t, server.url, 'leader');
    expect(page.url()).toContain('/staff/dashboard');
    await page.getByTestId('panel-faces').waitFor();
    // Last month, complete whatever today's date: in the first days of a month the current one has too
    // few ratings to rank anyone (the page then says so in each panel).
    await lastMonth(page);
    await page.getByTestId('map-chart').waitFor();
    await page.getByTestId('panel-ranking').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByTestId('panel-funnel').locator('canvas').first().waitFor();
    // The figures say when they were computed (the server keeps a dashboard answer for a few seconds).
    expect(await page.getByTestId('dash-asof').textContent()).toMatch(/数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await screenshot(page, 'leader-dashboard-1920');
    await screenshot(page, 'leader-dashboard-1920-full', { fullPage: true });

    // 😄 非常满意: the count on the dashboard → the drill-down list.
    const faces = num(await page.getByTestId('face-count-5').textContent());
    expect(faces).toBeGreaterThan(0);
    await page.getByTestId('face-bar-5').click();
    await page.getByTestId('drill-total').waitFor();
    expect(num(await page.getByTestId('drill-total').textContent())).toBe(faces);
    await page.locator('[data-testid=drilldown] tbody tr.ant-table-row').first().waitFor();
    await screenshot(page, 'leader-drilldown');

    // 诉求量 → the same number of appeals.
    await page.goBack();
    await page.getByTestId('kpi-volume').waitFor();
    const volume = num(await page.getByTestId('kpi-volume-value').textContent());
    await page.getByTestId('kpi-volume').click();
    await page.getByTestId('drill-total').waitFor();
    expect(num(await page.getByTestId('drill-total').textContent())).toBe(volume);

    // 超期在办 (live) → the appeal list with the same total.
    await page.goBack();
    await page.getByTestId('kpi-overdue').waitFor();
    await expect.poll(async () => (await page.getByTestId('kpi-overdue-value').textContent())?.trim()).not.toBe('…');
    const overdue = num(await page.getByTestId('kpi-overdue-value').textContent());
    await page.getByTestId('kpi-overdue').click();
    await page.getByTestId('appeal-list').waitFor();
    await expect.poll(async () => (await page.getByTestId('list-total').textContent())?.trim()).not.toBe('…');
    expect(num(await page.getByTestId('list-total').textContent())).toBe(overdue);

    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('publishes last month (frozen) and verifies it against the events', async () => {
    const t = await openPage(browser, { width: 1920, height: 1080 });
    const { page } = t;
    await login(t, server.url, 'leader');
    const panel = page.getByTestId('panel-snapshots');
    await panel.scrollIntoViewIfNeeded();
    await panel.getByRole('button', { name: /发布 .* 考评/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /发\s*布/ }).click();
    await panel.locator('tbody tr.ant-table-row').first().waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: '重算校验' }).first().click();
    await panel.getByText('一致,未被改动').waitFor({ timeout: 60_000 });
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('has a full-screen dark big-screen mode', async () => {
    const t = await openPage(browser, { width: 1920, height: 1080 });
    const { page } = t;
    await login(t, server.url, 'leader');
    await page.getByTestId('go-bigscreen').click();
    await page.getByTestId('bigscreen').waitFor();
    await page.getByTestId('panel-faces').waitFor();
    await lastMonth(page);
    await page.getByTestId('map-chart').waitFor();
    await page.getByTestId('panel-ranking').locator('tbody tr.ant-table-row').first().waitFor();
    // One screen: nothing scrolls.
    const scroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    expect(scroll).toBeLessThanOrEqual(1);
    await screenshot(page, 'leader-bigscreen-1920');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('offers last month when the current month has no ratings yet', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    // The page's clock a month ahead: its 本月 then has no data at all, as on the 1st of a month.
    const ahead = Date.now() + 31 * 86_400_000;
    await page.clock.setSystemTime(ahead);
    await login(t, server.url, 'leader');
    const faces = page.getByTestId('panel-faces');
    await faces.getByText('本期尚无有效评价').waitFor();
    await faces.getByTestId('see-last-month').click();
    // Last month of that clock is this (real) month.
    await page.locator('.dash-sub').filter({ hasText: `考评周期 ${monthStart(0)}` }).waitFor();
    // Not offered for a month other than the current one.
    expect(await page.getByTestId('see-last-month').count()).toBe(0);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('reads on a phone (375 px)', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await login(t, server.url, 'leader');
    await page.getByTestId('panel-faces').waitFor();
    await page.getByTestId('map-chart').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'leader-dashboard-375');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});
