// Browser-test support: a real server in-process on a random port (fresh SQLite, the demo city),
// Debian's Chromium through playwright-core, pages that fail the test on any console error, and
// helpers to sign in and to save screenshots for docs/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
export const PASSWORD = 'Demo@2026';

export interface Server {
  url: string;
  services: Services;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startServer(opts: { appeals?: number; env?: Record<string, string> } = {}): Promise<Server> {
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build:web` before the browser tests');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-browser-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SCHEDULER_ENABLED: 'false',
    // Tests read their own writes at once: dashboards computed per request (figures-cache tests turn it on).
    FIGURES_CACHE_SECONDS: '0',
    MINBIAO_SECRET: 'x'.repeat(40),
    // The demo accounts sign in with their published password and no second factor (as `serve --demo`);
    // the citizen's captcha stays on, so the pages solve it as in production.
    DEMO_MODE: 'true',
    // Scenes route appeals by hand; the automatic dispatch has its own integration test.
    AUTO_DISPATCH: 'off',
    ...opts.env,
  });
  const services = await createServices(config);
  await seedDemo(services, { appeals: opts.appeals ?? 800, seed: 7, createUsers: true });
  const app = await buildApp(services, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    services,
    app,
    async close() {
      await app.close();
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, opts: { width?: number; height?: number; mobile?: boolean } = {}): Promise<TestPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1440, height: opts.height ?? 900 },
    deviceScaleFactor: 1,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // On failure: a screenshot and the page's errors, to see what the test saw.
  const onFail = (fn: Parameters<typeof onTestFailed>[0]) => {
    try {
      onTestFailed(fn);
    } catch {
      /* outside a test (scripts) */
    }
  };
  onFail(async ({ task }) => {
    const dir = path.join(os.tmpdir(), 'minbiao-browser-failures');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${task.name.replace(/[^\w一-龥]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`failure screenshot: ${file}\nurl: ${page.url()}\nerrors: ${errors.join('\n') || 'none'}`);
  });
  return { page, context, errors };
}

export async function login(t: TestPage, base: string, username: string): Promise<void> {
  const { page } = t;
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname.startsWith('/staff/'), { timeout: 30_000 });
}

export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let charts finish their animations and fonts settle.
  await page.waitForTimeout(900);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: opts.fullPage ?? false, animations: 'disabled' });
}

/** Calls the API as a demo account (bearer token), for setting up a scene. */
export async function apiAs(base: string, username: string): Promise<(method: string, url: string, body?: unknown) => Promise<{ status: number; json: any }>> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const { token } = (await r.json()) as { token: string };
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
}

const HOTLINE = [
  { type: 'complaint', categoryId: 'order.noise', title: '小区楼下烧烤店深夜噪音扰民', body: '人民路锦绣花园北门的烧烤店每天营业到凌晨两点,食客喧哗划拳,多次劝说无效,严重影响老人小孩休息。' },
  { type: 'help', categoryId: 'fraud.impersonation', title: '母亲接到冒充公检法电话,怀疑被骗', body: '我母亲今天上午接到自称公安局的电话,说她涉嫌洗钱,要求把存款转到“安全账户”,已转出两万元,请求帮助。' },
  { type: 'dispute', categoryId: 'dispute.neighbour', title: '楼上漏水多次协商不成', body: '楼上住户卫生间漏水导致我家天花板发霉,多次找对方协商维修都被拒绝,物业也不管,希望调解。' },
  { type: 'consult', categoryId: 'legal.aid', title: '咨询法律援助申请条件', body: '我在工地干活被拖欠三个月工资,想申请法律援助打官司,请问需要什么条件和材料,到哪里办理?' },
  { type: 'report', categoryId: 'safety.school', title: '举报学校周边无证经营网吧接纳未成年人', body: '文昌街道实验小学对面有一家没有招牌的网吧,经常有学生放学后进去上网到很晚,怀疑无证经营。' },
  { type: 'complaint', categoryId: 'conduct.delay', title: '办理户籍迁移多次往返仍未办结', body: '为孩子办理户口迁入,前后跑了四趟派出所,每次都说缺材料但不一次性告知,希望规范办事流程。' },
  { type: 'suggestion', categoryId: 'suggestion.patrol', title: '建议在滨江公园增设夜间巡逻', body: '滨江公园晚上散步的人多,但路灯较暗、偏僻路段没有监控,建议增加夜间巡逻和照明,提升安全感。' },
  { type: 'dispute', categoryId: 'dispute.consumer', title: '装修公司收取定金后拒不施工', body: '今年九月与一家装修公司签订合同并交了一万元定金,对方一直拖延不开工,现在电话也不接,要求退还定金。' },
];

export interface Scene {
  handlerUnitId: string;
  /** Hotline appeals left in the triage queue (tracking codes). */
  queued: string[];
  /** Appeals dispatched to the handler's unit. */
  dispatched: string[];
}

type Api = Awaited<ReturnType<typeof apiAs>>;

/** Submits a hotline appeal as `as` (a dispatcher) and fails the scene unless it is taken in. */
async function hotline(as: Api, body: Record<string, unknown>): Promise<{ id: string; trackingCode: string; handleDueAt: string }> {
  const r = await as('POST', '/api/v1/appeals', { anonymous: false, ...body });
  if (r.status !== 201) throw new Error(`hotline submission failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Acts on an appeal as `as` and fails the scene unless the action is taken. */
async function act(as: Api, id: string, body: Record<string, unknown>): Promise<void> {
  const r = await as('POST', `/api/v1/appeals/${id}/actions`, body);
  if (r.status !== 200) throw new Error(`${String(body.action)} failed: ${r.status} ${JSON.stringify(r.json)}`);
}

/** Fills the demo with work in hand: hotline appeals in the queue, some dispatched to the demo
 *  handler's station (one signed for, one contacted), and a few overdue ones transferred there. */
export async function setScene(server: Server): Promise<Scene> {
  const base = server.url;
  const disp = await apiAs(base, 'dispatcher');
  const hand = await apiAs(base, 'handler');
  const me = await hand('GET', '/api/v1/auth/me');
  const handlerUnitId = me.json.user.unitId as string;
  const unit = await hand('GET', `/api/v1/units/${handlerUnitId}`);
  const regionCode = unit.json.regionCode as string;
  const created: { id: string; trackingCode: string }[] = [];
  for (const [i, a] of HOTLINE.entries()) {
    created.push(await hotline(disp, { ...a, regionCode, address: `人民路 ${10 + i} 号`, citizenName: '王先生', phone: `1390791${String(1000 + i)}` }));
  }
  const dispatched: string[] = [];
  // Police matters go to the station; disputes, legal aid and suggestions stay in the queue.
  for (const i of [0, 1, 4, 5]) {
    const a = created[i]!;
    await act(disp, a.id, { action: 'dispatch', unitId: handlerUnitId, note: '请尽快核实处理' });
    dispatched.push(a.trackingCode);
    if (i >= 4) await hand('POST', `/api/v1/appeals/${a.id}/actions`, { action: 'accept' });
    if (i === 5) await hand('POST', `/api/v1/appeals/${a.id}/actions`, { action: 'contact', method: 'phone', note: '已电话联系,约定上门查看' });
  }
  // One emergency in the station's hands past its 2-hour deadline, whatever the hour of the week: the
  // scheduler's overdue job is run as if that deadline had passed (it marks and escalates it, 督办).
  const urgent = await hotline(disp, {
    type: 'help',
    categoryId: 'order.fight',
    urgency: 'emergency',
    title: '小区门口有人持棍斗殴',
    body: '人民路锦绣花园南门有两伙人持木棍打架,已有人受伤,请民警马上过来。',
    regionCode,
    address: '人民路 30 号',
    citizenName: '赵先生',
    phone: '13907912000',
  });
  await act(disp, urgent.id, { action: 'dispatch', unitId: handlerUnitId, note: '紧急警情,立即出警' });
  await new Scheduler(server.services).markHandleOverdue(Date.parse(urgent.handleDueAt) + 60_000);
  // Overdue work elsewhere in the city moves to the station too.
  const overdue = await disp('GET', '/api/v1/appeals?status=dispatched,accepted,contacted&overdue=true&pageSize=100');
  const police = (overdue.json.items as { id: string; unitId: string; categoryId: string | null }[]).filter((a) => /^(order|fraud)\./.test(a.categoryId ?? ''));
  for (const a of police.slice(0, 3)) {
    if (a.unitId !== handlerUnitId) await disp('POST', `/api/v1/appeals/${a.id}/actions`, { action: 'transfer', unitId: handlerUnitId, reason: '属地管辖,转由辖区派出所办理' });
  }
  return { handlerUnitId, queued: [2, 3, 6, 7].map((i) => created[i]!.trackingCode), dispatched };
}

/**
 * An answered appeal waiting for its 回访: a hotline appeal handled to a reply through the API, then the
 * scheduler's callback job run as if its handling deadline had passed (the demo has such appeals only
 * at some hours of the week, so a journey cannot count on one). Returns the tracking code.
 */
export async function awaitingCallback(server: Server): Promise<string> {
  const disp = await apiAs(server.url, 'dispatcher');
  const hand = await apiAs(server.url, 'handler');
  const me = await hand('GET', '/api/v1/auth/me');
  const unitId = me.json.user.unitId as string;
  const unit = await hand('GET', `/api/v1/units/${unitId}`);
  const a = await hotline(disp, {
    type: 'complaint',
    categoryId: 'order.noise',
    title: '广场舞音响声音过大',
    body: '每天晚上八点到十点,小区广场跳舞的音响开得很大,家里老人心脏不好,希望管一管音量。',
    regionCode: unit.json.regionCode,
    address: '人民路 88 号',
    citizenName: '李女士',
    phone: '13907918888',
  });
  await act(disp, a.id, { action: 'dispatch', unitId });
  await act(hand, a.id, { action: 'accept' });
  await act(hand, a.id, { action: 'contact', method: 'phone', note: '已电话联系' });
  await act(hand, a.id, { action: 'reply', text: '您好!社区民警已到现场与广场舞队伍负责人沟通,约定晚九点前结束并调低音量,我们将持续巡查。' });
  // The deadline as taken in (a reply does not move it).
  const opened = await new Scheduler(server.services).scheduleCallbacks(Date.parse(a.handleDueAt) + 60_000);
  if (opened < 1) throw new Error('the callback job opened no task');
  return a.trackingCode;
}
