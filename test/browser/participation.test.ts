// 问计于民 in the browser: a citizen on a phone (375 px) makes a suggestion to the open consultation,
// supports another one, reads a finished consultation's answers and what was done, and answers the
// safety survey; staff then see the suggestion, answer it, and read the weighted survey results.
// Fails on any console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, login, openPage, screenshot, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;
const AUTHOR = '13807911234';
const SUPPORTER = '13907914321';
const RESPONDENT = '13607915555';

beforeAll(async () => {
  server = await startServer({ appeals: 300 });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

describe('citizen (375 px)', () => {
  it('makes a suggestion and supports another', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await page.goto(server.url + '/');
    await page.getByTestId('go-participate').click();
    await page.getByTestId('consultation-card').first().waitFor();
    await screenshot(page, 'participate-home-375');
    await page.getByTestId('consultation-card').filter({ hasText: '电动自行车' }).click();
    await page.getByTestId('consultation-title').waitFor();
    expect(await page.getByTestId('consultation-phase').textContent()).toContain('征集中');

    // Validation in words first.
    await page.getByTestId('suggest-submit').click();
    await page.waitForSelector('.ant-form-item-explain-error');

    await page.getByTestId('suggest-title').fill('地下车库增设电动车充电桩');
    await page.getByTestId('suggest-body').fill('我们小区地下车库没有充电桩,很多人把电动车推进楼道充电,建议物业在车库集中设置带自动断电的充电桩。有事可以打我电话 13807911234。');
    await page.getByTestId('suggest-q-concern').locator('label').filter({ hasText: /^楼道充电$/ }).click();
    await page.getByTestId('suggest-phone').fill(AUTHOR);
    await screenshot(page, 'participate-suggest-375', { fullPage: true });
    await page.getByTestId('suggest-submit').click();
    const result = page.getByTestId('suggest-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain('遮挡');

    // The new suggestion is public with the number masked.
    await page.getByTestId('suggestion-sort').getByText('最新').click();
    const mine = page.getByTestId('suggestion-item').filter({ hasText: '地下车库增设电动车充电桩' });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('138****1234');
    expect(await page.content()).not.toContain('13807911234');

    // Support the most supported suggestion.
    await page.getByTestId('suggestion-sort').getByText('按支持数').click();
    const top = page.getByTestId('suggestion-item').first();
    await top.waitFor();
    const before = Number(await top.getByTestId('support-count').textContent());
    await top.getByTestId('support-btn').click();
    await page.getByTestId('support-phone').fill(SUPPORTER);
    await page.getByTestId('support-ok').click();
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-testid=suggestion-item] [data-testid=support-count]');
      return el && Number(el.textContent) === n;
    }, before + 1, { timeout: 60_000 });
    expect(await top.getByTestId('support-btn').textContent()).toContain('已支持');
    await screenshot(page, 'participate-consultation-375', { fullPage: true });
    await noOverflow(page);
    expect(t.errors).toEqual([]);
    await t.context.close();

    const rows = await server.services.ctx.db.selectFrom('suggestions').selectAll().where('title', '=', '地下车库增设电动车充电桩').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.author_phone_idx).toBe(server.services.ctx.pii.blindIndex(AUTHOR));
  });

  it('reads a finished consultation: answers and what was done', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await page.goto(server.url + '/participate');
    await page.getByTestId('consultation-card').filter({ hasText: '夜间治安巡逻' }).click();
    await page.getByTestId('consultation-results').waitFor();
    expect(await page.getByTestId('consultation-phase').textContent()).toContain('已结束');
    expect(await page.getByTestId('task-item').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('suggestion-answer').count()).toBeGreaterThan(0);
    // Supports are closed with the consultation.
    expect(await page.getByTestId('support-btn').first().isDisabled()).toBe(true);
    await screenshot(page, 'participate-results-375', { fullPage: true });
    await noOverflow(page);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('answers the safety survey', async () => {
    const t = await openPage(browser, { width: 375, height: 812, mobile: true });
    const { page } = t;
    await page.goto(server.url + '/participate');
    await page.getByTestId('take-survey').first().click();
    await page.getByTestId('survey-title').waitFor();
    const before = await server.services.ctx.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();

    await page.getByTestId('survey-submit').click();
    await page.waitForSelector('.ant-form-item-explain-error');

    await page.getByTestId('survey-region').click();
    await page.locator('.ant-cascader-menu-item').filter({ hasText: '清江区' }).first().click();
    await page.locator('.ant-cascader-menu').nth(1).locator('.ant-cascader-menu-item').first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('survey-sex').locator('label').filter({ hasText: /^女$/ }).click();
    await page.getByTestId('survey-age').locator('label').filter({ hasText: /^40-49 岁$/ }).click();
    const picks: Record<string, string> = {
      sec_neighbourhood: '很安全',
      sec_night: '基本安全',
      sec_fraud: '不太安全',
      sat_police: '满意',
      sat_court: '基本满意',
      sat_procuratorate: '不了解',
      sat_justice: '很满意',
    };
    for (const [q, label] of Object.entries(picks)) {
      await page.getByTestId(`survey-q-${q}`).locator('label').filter({ hasText: new RegExp(`^${label}$`) }).click();
    }
    await page.getByTestId('survey-q-open_problem').fill('小区电动车被盗多发,希望加装监控');
    await page.getByTestId('survey-phone').fill(RESPONDENT);
    await screenshot(page, 'participate-survey-375', { fullPage: true });
    await page.getByTestId('survey-submit').click();
    await page.getByTestId('survey-thanks').waitFor({ timeout: 60_000 });
    await noOverflow(page);
    expect(t.errors).toEqual([]);
    await t.context.close();

    const after = await server.services.ctx.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    expect(Number(after!.n)).toBe(Number(before!.n) + 1);
    const row = await server.services.ctx.db.selectFrom('survey_responses').selectAll().where('channel', '=', 'web').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sex: 'female', age_group: '40-49' });
    expect(JSON.parse(row.answers)).toMatchObject({ sec_neighbourhood: '5', sec_fraud: '2', sat_procuratorate: '0', sat_justice: '5' });
    expect(row.region_code.startsWith('361202')).toBe(true);
    expect(JSON.stringify(row)).not.toContain(RESPONDENT);
  });
});

describe('staff', () => {
  it('answer the citizen’s suggestion and read the weighted survey results', async () => {
    const t = await openPage(browser);
    const { page } = t;
    await login(t, server.url, 'dispatcher');
    await page.goto(server.url + '/staff/participation');
    await page.getByText('关于电动自行车防盗和充电安全的意见征集').click();
    await page.getByRole('tab', { name: /已公开/ }).click();
    const card = page.getByTestId('staff-suggestion').filter({ hasText: '地下车库增设电动车充电桩' });
    await card.waitFor();
    expect(await card.textContent()).toContain('138****1234');
    await card.getByTestId('mod-answer').click();
    await page.getByTestId('answer-outcome').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^采纳$/ }).click();
    await page.getByTestId('answer-reason').fill('建议切实可行,符合电动自行车充电安全整治要求。');
    await page.getByTestId('answer-action').fill('由街道牵头,年内在辖区 20 个小区地下车库建设集中充电设施。');
    await page.getByTestId('mod-answer-form-ok').click();
    await card.getByText('建议切实可行').waitFor({ timeout: 30_000 });
    await screenshot(page, 'participation-staff-consultation');

    await page.goto(server.url + '/staff/participation');
    await page.getByRole('tab', { name: '满意度调查' }).click();
    await page.getByText('年度群众安全感·政法队伍满意度调查').first().waitFor();
    await page.locator('a', { hasText: '年度群众安全感·政法队伍满意度调查' }).first().click();
    await page.getByTestId('kpi-index').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('kpi-index').textContent()).toMatch(/\d+\.\d/);
    await page.getByTestId('chart-regions').locator('canvas').waitFor();
    await screenshot(page, 'participation-staff-survey');
    expect(t.errors).toEqual([]);
    await t.context.close();

    const s = await server.services.ctx.db.selectFrom('suggestions').selectAll().where('title', '=', '地下车库增设电动车充电桩').executeTakeFirstOrThrow();
    expect(s.answer_outcome).toBe('adopted');
  });
});
