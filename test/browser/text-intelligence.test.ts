// Text intelligence in the web app: the dispatcher reads an appeal's 智能分析 (predicted category,
// route and reason, risk with its trigger words, the repeat it duplicates) and dispatches with the
// predicted category preselected; the handler checks a draft reply; the leader sees hotspots and risk
// alerts on the barometer and the 潜绩 slots filled; the admin reads the classifier's report.
// Fails on any console error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launch, login, openPage, screenshot, setScene, startServer, type Scene, type Server } from './support.ts';

let server: Server;
let browser: Browser;
let scene: Scene;
/** A threatening appeal and its repeat by the same citizen, both left in the triage queue. */
let risky: { id: string; trackingCode: string };
let repeat: { id: string; trackingCode: string };

const THREAT = {
  type: 'dispute',
  title: '邻居扬言要拿刀砍人',
  body: '我家楼上邻居因为漏水纠纷多次与我争吵,昨晚他拿着菜刀在楼道里扬言要杀了我全家,还说要同归于尽,我们全家非常害怕,请求尽快处理。',
  address: '人民路 88 号',
  anonymous: false,
  citizenName: '李女士',
  phone: '13907990001',
};

beforeAll(async () => {
  server = await startServer();
  scene = await setScene(server);
  const disp = await apiAs(server.url, 'dispatcher');
  const hand = await apiAs(server.url, 'handler');
  const me = await hand('GET', '/api/v1/auth/me');
  const unit = await hand('GET', `/api/v1/units/${me.json.user.unitId}`);
  const a = await disp('POST', '/api/v1/appeals', { ...THREAT, regionCode: unit.json.regionCode });
  expect(a.status).toBe(201);
  risky = a.json;
  const b = await disp('POST', '/api/v1/appeals', { ...THREAT, regionCode: unit.json.regionCode, body: THREAT.body.replace('昨晚', '今天早上') });
  expect(b.status).toBe(201);
  repeat = b.json;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const num = (s: string | null) => Number((s ?? '').replace(/[^\d.]/g, ''));

describe('text intelligence', () => {
  it('dispatcher sees the analysis of an appeal and dispatches with the predicted category preselected', async () => {
    const disp = await apiAs(server.url, 'dispatcher');
    const insight = (await disp('GET', `/api/v1/appeals/${repeat.id}/insight`)).json;
    expect(insight.route).toBe('triage');
    expect(insight.risk.level).toBe('high');
    expect(insight.repeatOf?.trackingCode).toBe(risky.trackingCode);
    expect(insight.predicted).not.toBeNull();

    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'dispatcher');
    const queue = page.getByTestId('queue-table');
    await queue.locator('tbody tr.ant-table-row').first().waitFor();
    await queue.getByTestId(`row-${repeat.trackingCode}`).click();
    const drawer = page.getByTestId('appeal-detail');
    const section = drawer.getByTestId('insight');
    await section.getByTestId('insight-predicted').locator('strong').waitFor();

    // Predicted category and confidence, as the API has them.
    const predicted = await section.getByTestId('insight-predicted').textContent();
    expect(predicted).toContain(insight.predicted.name);
    expect(predicted).toContain(`置信度 ${Math.round(insight.predicted.confidence * 100)}%`);
    expect(predicted).toContain('其次');
    // Routed to triage, with the reason.
    const route = await section.getByTestId('insight-route').textContent();
    expect(route).toContain('人工分拣');
    expect(route).toContain(insight.routeReason);
    // High risk, coloured, with the trigger words.
    const risk = section.getByTestId('insight-risk');
    expect(await risk.getByTestId('risk-level').textContent()).toBe('高风险');
    expect(await risk.getByTestId('risk-level').getAttribute('class')).toMatch(/ant-tag-red/);
    const riskText = await risk.textContent();
    expect(riskText).toContain('暴力威胁');
    expect(riskText).toContain('同归于尽');
    expect(riskText).toContain('菜刀');
    // The earlier appeal it repeats, one click away (opens on top).
    const links = section.getByTestId('insight-links');
    expect(await links.textContent()).toContain('重复诉求');
    await links.getByTestId(`linked-${risky.trackingCode}`).click();
    await expect.poll(async () => page.getByTestId('appeal-detail').count()).toBe(2);
    const inner = page.getByTestId('appeal-detail').nth(1);
    await inner.locator('.detail-title').filter({ hasText: THREAT.title }).waitFor();
    expect(await inner.textContent()).toContain(risky.trackingCode);
    await screenshot(page, 'dispatcher-insight');
    await page.keyboard.press('Escape');
    await expect.poll(async () => page.getByTestId('appeal-detail').count()).toBe(1);

    // Dispatch: a prediction of at least 50 % is preselected and said so; a weaker one is not chosen.
    await drawer.getByTestId('act-dispatch').click();
    const modal = page.locator('.ant-modal').filter({ hasText: '派单' });
    const before = await disp('GET', `/api/v1/appeals/${repeat.id}`);
    const preset = insight.predicted.confidence >= 0.5;
    if (preset) {
      await modal.getByTestId('predicted-preset').waitFor();
      expect(await modal.getByTestId('predicted-preset').textContent()).toContain(insight.predicted.name);
      expect(await modal.locator('.ant-form-item').filter({ hasText: '分类(可更正)' }).locator('.ant-select-content, .ant-select-selection-item').first().textContent()).toContain(insight.predicted.name);
    } else {
      await modal.getByTestId('suggested-unit').waitFor();
      expect(await modal.getByTestId('predicted-preset').count()).toBe(0);
    }
    await modal.getByTestId('suggested-unit').click();
    await modal.getByTestId('action-ok').click();
    await page.locator('.ant-modal').filter({ hasText: '派单' }).waitFor({ state: 'detached' });
    await drawer.getByText('已派单').first().waitFor();
    const after = await disp('GET', `/api/v1/appeals/${repeat.id}`);
    expect(after.json.status).toBe('dispatched');
    expect(after.json.categoryId).toBe(preset ? insight.predicted.categoryId : before.json.categoryId);
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('handler checks a draft reply and sees the score, its parts and the hints', async () => {
    const code = scene.dispatched[3]!; // contacted: a reply may be written
    const hand = await apiAs(server.url, 'handler');
    const found = await hand('GET', `/api/v1/appeals?q=${code}`);
    const appealId = found.json.items[0].id as string;
    const draft = '您好,已收到,我们会处理。';
    const expected = (await hand('POST', `/api/v1/appeals/${appealId}/reply-check`, { text: draft })).json;

    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'handler');
    const table = page.getByTestId('appeal-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await table.getByTestId(`row-${code}`).click();
    const drawer = page.getByTestId('appeal-detail');
    await drawer.getByTestId('insight').waitFor();
    await drawer.getByTestId('act-reply').click();
    await page.getByTestId('reply-text').fill(draft);
    await page.getByTestId('reply-check-btn').click();
    const result = page.getByTestId('reply-check-result');
    await result.waitFor();
    expect(num(await result.getByTestId('reply-check-overall').textContent())).toBe(Math.round(expected.overall));
    expect(expected.overall).toBeLessThan(60);
    expect(await result.textContent()).toContain('待改进');
    for (const part of ['relevance', 'completeness', 'basis', 'tone', 'specificity']) {
      await result.getByTestId(`rc-part-${part}`).waitFor();
    }
    expect(await result.getByTestId('rc-part-basis').textContent()).toContain('依据');
    const hints = await result.getByTestId('reply-check-hints').locator('li').allTextContents();
    expect(hints.length).toBe(expected.hints.length);
    expect(hints.join('\n')).toContain('答复过短');
    expect(hints.join('\n')).toContain('未引用法律法规或政策依据');
    const unanswered = (expected.points as { answered: boolean; text: string }[]).filter((p) => !p.answered);
    if (unanswered.length) expect(await result.getByTestId('reply-check-unanswered').textContent()).toContain(unanswered[0]!.text);
    else expect(await result.textContent()).toContain('均已回应');
    await screenshot(page, 'handler-reply-check');

    // A better draft scores higher; the old result is marked stale until checked again.
    await page
      .getByTestId('reply-text')
      .fill('您好!关于您反映办理户口迁入多次往返的问题,经核查,窗口民警未按规定一次性告知所需材料,已依据《公安机关执法公开规定》第十条对相关人员批评教育,并将迁入材料清单在大厅公示。您的孩子户口迁入手续已于今日办结。如仍有问题,可拨打派出所电话联系,我们将跟踪回访。感谢您的监督。');
    await result.getByText('草稿已修改').waitFor();
    await page.getByTestId('reply-check-btn').click();
    await expect.poll(async () => num(await result.getByTestId('reply-check-overall').textContent())).toBeGreaterThan(Math.round(expected.overall));
    expect(await result.textContent()).not.toContain('草稿已修改');
    expect(await result.textContent()).not.toContain('答复过短');
    // Nothing was sent: the appeal still waits for its reply.
    expect((await hand('GET', `/api/v1/appeals/${appealId}`)).json.status).toBe('contacted');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('leader sees the hotspots and risk panels and the latent slots filled', async () => {
    const lead = await apiAs(server.url, 'leader');
    const hot = (await lead('GET', '/api/v1/hotspots?status=active&limit=8')).json.items as { id: string; label: string; heat: number; appeals: number }[];
    expect(hot.length).toBeGreaterThan(0);
    const alerts = (await lead('GET', '/api/v1/risk-alerts?open=true&limit=10')).json.items as { trackingCode: string; title: string }[];
    expect(alerts.map((a) => a.trackingCode)).toContain(risky.trackingCode);
    const d = new Date(Date.now() + 8 * 3600_000);
    const period = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    const summary = (await lead('GET', `/api/v1/metrics/summary?period=${period}`)).json;

    const t = await openPage(browser, { width: 1920, height: 1080 });
    const { page } = t;
    await login(t, server.url, 'leader');
    const hotPanel = page.getByTestId('panel-hotspots');
    await hotPanel.locator('tbody tr.ant-table-row').first().waitFor();
    // Hottest first, as the API ranks them, with heat and appeals.
    expect(await hotPanel.getByTestId('hotspot-label').allTextContents()).toEqual(hot.map((h) => h.label));
    const first = hotPanel.locator('tbody tr.ant-table-row').first();
    expect(await first.getByTestId('hotspot-heat').textContent()).toBe(hot[0]!.heat.toFixed(1));
    expect(await first.locator('svg.spark').count()).toBe(1);

    const riskPanel = page.getByTestId('panel-risk');
    const line = riskPanel.getByTestId(`risk-${risky.trackingCode}`);
    await line.waitFor();
    expect(await line.textContent()).toContain(THREAT.title);
    expect(await line.textContent()).toContain('同归于尽');
    expect(await line.getByTestId('risk-level').textContent()).toBe('高风险');

    // 潜绩: 热点化解 and 安全感·满意度 from the summary.
    const latent = page.getByTestId('panel-latent');
    const h = summary.latent.hotspotsResolved;
    if (h && h.hotspots > 0) {
      expect(await latent.getByTestId('latent-hotspots').textContent()).toContain(`${h.resolved} / ${h.hotspots} 个热点已化解`);
      expect(await latent.getByTestId('latent-hotspots').locator('.latent-value').textContent()).toBe(`${(h.rate.value * 100).toFixed(1)}%`);
    }
    const sv = summary.latent.surveyIndex;
    if (sv && sv.value !== null) {
      expect(await latent.getByTestId('latent-survey').locator('.latent-value').textContent()).toBe(sv.value.toFixed(1));
      expect(await latent.getByTestId('latent-survey').textContent()).toContain('人作答');
    }
    expect(h !== null || sv !== null, 'at least one latent slot is filled in the demo').toBe(true);
    // 重复诉求率: provisional while some 90-day windows are open, said in words beside the rate.
    const r = summary.latent.repeat as { repeats: number; pending: number } | null;
    if (r && r.pending > 0) {
      await latent.getByTestId('repeat-provisional').waitFor();
      expect(await latent.getByTestId('repeat-provisional').textContent()).toBe('暂计');
      expect(await latent.getByTestId('repeat-sub').textContent()).toBe(`已发现重复 ${r.repeats} 件 · ${r.pending.toLocaleString('zh-CN')} 件观察期未满`);
    } else {
      expect(await latent.getByTestId('repeat-provisional').count()).toBe(0);
      expect(await latent.getByTestId('repeat-sub').textContent()).toBe(r ? `90 天内重复 ${r.repeats} 件` : '尚无数据');
    }
    await hotPanel.scrollIntoViewIfNeeded();
    await screenshot(page, 'leader-hotspots-risk');

    // A hotspot opens with its appeals; an appeal shows the hotspot in its analysis.
    await first.click();
    const detail = page.getByTestId('hotspot-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain(`热点内的诉求 (${hot[0]!.appeals})`);
    await detail.locator('.hot-detail-appeals a').first().click();
    const drawer = page.getByTestId('appeal-detail');
    await drawer.getByTestId('insight-hotspots').waitFor();
    await expect.poll(async () => drawer.getByTestId('insight-hotspots').textContent()).toContain(hot[0]!.label);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await page.locator('.ant-modal').filter({ has: detail }).locator('.ant-modal-close').click();
    await detail.waitFor({ state: 'detached' });

    // A risk line opens the appeal.
    await line.click();
    await page.getByTestId('appeal-detail').locator('.detail-title').filter({ hasText: THREAT.title }).waitFor();
    expect(await page.getByTestId('appeal-detail').getByTestId('insight-risk').textContent()).toContain('同归于尽');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });

  it('admin opens the classifier page: figures, per-class table and confusion matrix', async () => {
    const admin = await apiAs(server.url, 'admin');
    const model = (await admin('GET', '/api/v1/text/model')).json;
    expect(model.report).not.toBeNull();

    const t = await openPage(browser, { width: 1440, height: 900 });
    const { page } = t;
    await login(t, server.url, 'admin');
    await page.getByRole('tab', { name: '分类模型' }).click();
    const clf = page.getByTestId('classifier');
    await clf.waitFor();
    expect(num(await clf.getByTestId('clf-rows-value').textContent())).toBe(model.trainingRows);
    expect(await clf.getByTestId('clf-accuracy-value').textContent()).toBe(`${(model.report.accuracy * 100).toFixed(1)}%`);
    expect(await clf.getByTestId('clf-macrof1-value').textContent()).toBe(model.report.macroF1.toFixed(3));
    expect(await clf.getByTestId('clf-threshold-value').textContent()).toBe(model.threshold.toFixed(2));
    expect(await clf.getByTestId('clf-accuracy').textContent()).toContain(`${model.report.folds} 折交叉验证`);

    // Per class: one row per category in the report, named, with its figures.
    const perClass = clf.getByTestId('clf-per-class');
    const rows = perClass.locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(Object.keys(model.report.perClass).length);
    const noiseId = 'order.noise';
    const noise = model.report.perClass[noiseId];
    expect(noise).toBeDefined();
    const noiseRow = perClass.locator('tbody tr.ant-table-row').filter({ hasText: '噪音扰民' });
    const cells = await noiseRow.locator('td').allTextContents();
    expect(cells).toEqual(['噪音扰民', noise.precision.toFixed(3), noise.recall.toFixed(3), noise.f1.toFixed(3), String(noise.support)]);

    // The confusion matrix: a heatmap and the most frequent confusions named by category.
    const confusion = clf.getByTestId('clf-confusion');
    await confusion.getByTestId('confusion-chart').locator('canvas').first().waitFor();
    const labels = model.labels as { categoryId: string; name: string }[];
    const { labels: cl, matrix } = model.report.confusion as { labels: string[]; matrix: number[][] };
    let top = { a: '', p: '', n: 0 };
    matrix.forEach((row, i) => row.forEach((n, j) => i !== j && n > top.n && (top = { a: cl[i]!, p: cl[j]!, n })));
    const name = (id: string) => labels.find((l) => l.categoryId === id)?.name ?? id;
    expect(top.n).toBeGreaterThan(0);
    expect(await confusion.getByTestId('clf-top-confusions').locator('li').first().textContent()).toMatch(new RegExp(`→.*:${top.n} 条`));
    expect(await confusion.getByTestId('clf-top-confusions').textContent()).toContain(`${name(top.a)} → ${name(top.p)}:${top.n} 条`);
    // Coverage at threshold: one row per threshold of the report.
    expect(await clf.getByTestId('clf-coverage').locator('tbody tr.ant-table-row').count()).toBe(model.report.coverage.length);
    await screenshot(page, 'admin-classifier');
    expect(t.errors).toEqual([]);
    await t.context.close();
  });
});
