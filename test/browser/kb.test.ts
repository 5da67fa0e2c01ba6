// 释疑解惑 for the staff: an owner (the demo handler, kb.manage) starts an article from a gap — a
// question people asked several times that nothing answered — and submits it; a different user with
// kb.publish (the demo dispatcher) reviews and publishes it, and is refused when reviewing a version
// they wrote themselves; the citizen's form then finds the article while they type. The admin edits a
// notification template and sees the server's preview.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launch, login, openPage, screenshot, startServer, type Server } from './support.ts';

let server: Server;
let browser: Browser;

const TITLE = '护照怎么办理、换发和补办?';
const BODY = [
  '护照由公安机关出入境管理机构办理。首次申请、到期换发、丢失补办,都可以在全国任一出入境接待大厅申请。',
  '请携带居民身份证,现场采集照片和指纹,一般7个工作日内办结,可以选择邮寄送达。',
].join('\n');

beforeAll(async () => {
  server = await startServer({ appeals: 120 });
  // People asked about passports on the submission page and found nothing (one visit each).
  const asked = ['护照过期了怎么换新的', '护照到期怎么办理换发', '办护照需要什么材料', '护照丢了怎么补办'];
  for (const [i, q] of asked.entries()) {
    const r = await fetch(`${server.url}/api/v1/kb/search?q=${encodeURIComponent(q)}&session=kb-browser-gap-${i}-xxxx`);
    expect(r.status).toBe(200);
  }
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('knowledge base (staff)', () => {
  let articleId = '';

  it('the owner sees the gap, starts a draft from it and submits it for review', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'handler');
    await page.locator('.ant-menu').getByText('知识库', { exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/staff/kb');
    await page.getByTestId('kb-table').locator('tbody tr.ant-table-row').first().waitFor();

    await page.getByRole('tab', { name: '问题缺口' }).click();
    const gaps = page.getByTestId('kb-gaps');
    const row = gaps.locator('tbody tr.ant-table-row').filter({ has: page.getByTestId('kb-gap-key').filter({ hasText: '护照' }) });
    await row.first().waitFor();
    const rowText = (await row.first().textContent()) ?? '';
    expect(rowText).toMatch(/护照(过期了怎么换新的|到期怎么办理换发|丢了怎么补办)|办护照需要什么材料/);
    await screenshot(page, 'kb-gaps');

    await row.first().getByTestId('kb-gap-draft').click();
    const editor = page.getByTestId('kb-editor');
    await editor.waitFor();
    // Started from the gap: one of the people's questions as the title, its topic as a keyword.
    expect(await page.getByTestId('kb-f-title').inputValue()).toContain('护照');
    expect(await page.getByTestId('kb-f-keywords').textContent()).toContain('护照');
    await page.getByTestId('kb-f-title').fill(TITLE);
    await page.getByTestId('kb-f-body').fill(BODY);
    await page.getByTestId('kb-f-keywords').locator('input').fill('出入境');
    await page.keyboard.press('Enter');
    await page.getByTestId('kb-add-basis').click();
    await page.getByTestId('kb-f-law').fill('中华人民共和国护照法');
    await page.getByTestId('kb-f-article').fill('第五条');
    await screenshot(page, 'kb-editor');
    await page.getByTestId('kb-save').click();
    await page.getByText('已保存为草稿,等待其他人员审核').waitFor();
    await editor.waitFor({ state: 'hidden' });

    // In the list as a draft; the owner has no review or publish buttons.
    await page.getByTestId('kb-search').locator('input').fill('护照怎么办理');
    await page.getByTestId('kb-search').locator('input').press('Enter');
    const mine = page.getByTestId('kb-table').locator('tbody tr.ant-table-row').filter({ hasText: TITLE });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('草稿');
    await mine.getByTestId('kb-open').click();
    const view = page.getByTestId('kb-article');
    await view.waitFor();
    articleId = (await view.getAttribute('data-article-id')) ?? '';
    expect(articleId).not.toBe('');
    expect(await view.locator('.kb-article').textContent()).toContain('出入境接待大厅');
    expect(await view.textContent()).toContain('《中华人民共和国护照法》第五条');
    expect(await page.getByTestId('kb-review').count()).toBe(0);
    expect(await page.getByTestId('kb-publish').count()).toBe(0);
    expect(await page.getByTestId('kb-edit').count()).toBe(1);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('another user with kb.publish reviews and publishes it; reviewing their own edit is refused', async () => {
    expect(articleId).not.toBe('');
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'dispatcher');
    await page.goto(`${server.url}/staff/kb`);
    // The status filter: drafts only.
    await page.getByTestId('kb-status-filter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^草稿$/ }).click();
    const row = page.getByTestId('kb-table').locator('tbody tr.ant-table-row').filter({ hasText: TITLE });
    await row.waitFor();
    const statuses = await page.getByTestId('kb-table').getByTestId('kb-status').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['草稿']));
    await row.getByTestId('kb-open').click();
    const view = page.getByTestId('kb-article');
    await view.waitFor();

    await page.getByTestId('kb-review').click();
    await expect.poll(async () => view.getByTestId('kb-status').first().textContent()).toBe('已审核');
    await page.getByTestId('kb-publish').click();
    await expect.poll(async () => view.getByTestId('kb-status').first().textContent()).toBe('已发布');
    expect(await view.textContent()).toContain('公开版本 v1');

    // The workflow log names who did what.
    await view.getByRole('tab', { name: '流转记录' }).click();
    const log = page.getByTestId('kb-log');
    await log.waitFor();
    const logText = (await log.textContent()) ?? '';
    expect(logText).toContain('新建');
    expect(logText).toContain('审核');
    expect(logText).toContain('发布');
    expect(logText).toMatch(/handler[\s\S]*dispatcher|dispatcher[\s\S]*handler/);

    // The reviewer improves the summary: a new version in draft, the published one stays public …
    await view.getByRole('tab', { name: '内容' }).click();
    await page.getByTestId('kb-edit').click();
    await page.getByTestId('kb-editor').waitFor();
    await expect.poll(async () => page.getByTestId('kb-f-title').inputValue()).toBe(TITLE);
    await page.getByTestId('kb-f-summary').fill('首次申请、到期换发、丢失补办护照,都到出入境接待大厅办理。');
    await page.getByTestId('kb-f-note').fill('补充摘要');
    await page.getByTestId('kb-save').click();
    await page.getByTestId('kb-editor').waitFor({ state: 'hidden' });
    await page.getByTestId('kb-status-filter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^全部$/ }).click();
    const again = page.getByTestId('kb-table').locator('tbody tr.ant-table-row').filter({ hasText: TITLE });
    await again.waitFor();
    await expect.poll(async () => again.textContent()).toContain('v2');
    expect(await again.textContent()).toContain('公开版本 v1');
    await again.getByTestId('kb-open').click();
    const view2 = page.getByTestId('kb-article');
    await view2.waitFor();
    // … and they may not review a version they wrote: the server's words are shown.
    await page.getByTestId('kb-review').click();
    await view2.getByText('不能审核自己编写的版本,请由其他人员审核').waitFor();
    expect(await view2.getByTestId('kb-status').first().textContent()).toBe('草稿');

    // The versions: who changed what, when.
    await view2.getByRole('tab', { name: '版本记录' }).click();
    const versions = page.getByTestId('kb-versions');
    await versions.locator('tbody tr.ant-table-row').nth(1).waitFor();
    const rows = await versions.locator('tbody tr.ant-table-row').allTextContents();
    expect(rows[0]).toContain('v2');
    expect(rows[0]).toContain('dispatcher');
    expect(rows[0]).toContain('摘要');
    expect(rows[0]).toContain('补充摘要');
    expect(rows[1]).toContain('v1');
    expect(rows[1]).toContain('handler');
    await screenshot(page, 'kb-versions');
    // In English, the page and the server's refusal switch language together (the switch sits under
    // the drawer's mask: clicked directly).
    await page.getByTestId('lang-switch').dispatchEvent('click');
    await view2.getByText('You cannot review a version you wrote yourself').waitFor();
    await page.getByRole('tab', { name: 'Gaps' }).waitFor();
    expect(await view2.getByTestId('kb-status').first().textContent()).toBe('Draft');
    await page.getByTestId('lang-switch').dispatchEvent('click');
    await view2.getByText('不能审核自己编写的版本,请由其他人员审核').waitFor();
    // The refused self-review (409) is the only error the page logged.
    expect(t.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    await t.context.close();
  });

  it('the published answer is found by the public search and on the citizen’s form', async () => {
    const r = await fetch(`${server.url}/api/v1/kb/search?q=${encodeURIComponent('护照过期了怎么换新的')}`);
    const found = (await r.json()) as { items: { id: string; title: string; legalBasis: { law: string }[] }[] };
    expect(found.items[0]?.id).toBe(articleId);
    expect(found.items[0]?.title).toBe(TITLE);
    expect(found.items[0]?.legalBasis[0]?.law).toBe('中华人民共和国护照法');
    // The live version is still v1 (the dispatcher's v2 is an unreviewed draft).
    const pub = await fetch(`${server.url}/api/v1/kb/articles/${articleId}/public`);
    expect(((await pub.json()) as { version: number }).version).toBe(1);

    const t = await openPage(browser, { width: 1280, height: 900 });
    const { page } = t;
    await page.goto(`${server.url}/submit`);
    await page.waitForSelector('[data-testid=submit-form]');
    await page.getByTestId('title').fill('护照丢了怎么补办');
    const kb = page.getByTestId('kb-suggest');
    await kb.waitFor({ timeout: 15_000 });
    await expect.poll(async () => kb.textContent(), { timeout: 15_000 }).toContain(TITLE);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('the gap is gone once answered', async () => {
    const hand = await apiAs(server.url, 'handler');
    const g = await hand('GET', '/api/v1/kb/gaps?minCount=2');
    expect(g.status).toBe(200);
    expect((g.json.items as { key: string }[]).some((i) => i.key.includes('护照'))).toBe(false);
  });
});

describe('notifications (admin)', () => {
  it('the admin edits a template, sees the server’s preview, and is refused an unknown variable', async () => {
    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'admin');
    await page.locator('.ant-menu').getByText('通知', { exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/staff/notify');
    const templates = page.getByTestId('ntf-templates');
    await templates.locator('tbody tr.ant-table-row').first().waitFor();
    expect(await templates.locator('tbody tr.ant-table-row').count()).toBe(9);

    // The saved wording, rendered with sample values.
    await page.getByTestId('ntf-preview-citizen.received').click();
    const rowPreview = page.getByTestId('ntf-row-preview');
    await rowPreview.waitFor();
    expect(await rowPreview.textContent()).toContain('受理编号MB2603-7KQ4XR');

    await page.getByTestId('ntf-edit-citizen.received').click();
    const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('ntf-editor') });
    await modal.waitFor();
    await expect.poll(async () => page.getByTestId('ntf-f-title').inputValue()).toBe('诉求已受理');
    // A typo in a variable: the preview says so, and saving is refused in the server's words.
    await page.getByTestId('ntf-f-body').fill('【民标】您的诉求已受理,编号{{trakingCode}}。');
    await page.getByTestId('ntf-preview').click();
    await modal.getByText('未定义的变量:trakingCode').waitFor();
    await page.getByTestId('ntf-save').click();
    await modal.getByText('模板中有未定义的变量:trakingCode').waitFor();

    await page.getByTestId('ntf-f-body').fill('【民标】{{unitName}}已收到您的{{typeLabel}},受理编号{{trackingCode}},请凭编号查询进度:{{trackUrl}}');
    await page.getByTestId('ntf-preview').click();
    const box = page.getByTestId('ntf-preview-body');
    await expect.poll(async () => box.textContent()).toBe('【民标】城关派出所已收到您的投诉,受理编号MB2603-7KQ4XR,请凭编号查询进度:https://minbiao.example.gov.cn/track?code=MB2603-7KQ4XR');
    await screenshot(page, 'admin-notify-template');
    await page.getByTestId('ntf-save').click();
    await modal.waitFor({ state: 'hidden' });
    const row = templates.locator('tbody tr.ant-table-row').filter({ hasText: 'citizen.received' });
    await expect.poll(async () => row.textContent()).toContain('已自定义');
    expect(await row.textContent()).toContain('{{unitName}}已收到您的{{typeLabel}}');

    // The server renders the saved template the same way.
    const admin = await apiAs(server.url, 'admin');
    const p = await admin('POST', '/api/v1/notify/templates/citizen.received/preview');
    expect(p.json.body).toContain('城关派出所已收到您的投诉');

    // Back to the default wording.
    await page.getByTestId('ntf-reset-citizen.received').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    // (The row's own "恢复默认" link contains 默认: wait for the default wording itself.)
    await expect.poll(async () => row.textContent()).toContain('请妥善保存');
    expect(await row.textContent()).not.toContain('已自定义');

    // The outbox, by status.
    await page.getByRole('tab', { name: '发送记录' }).click();
    const outbox = page.getByTestId('ntf-outbox');
    await outbox.waitFor();
    await page.getByTestId('ntf-status-filter').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^失败$/ }).click();
    await outbox.locator('.ant-table').waitFor();
    // The one refused save (400) is the only error the page logged.
    expect(t.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await t.context.close();
  });
});
