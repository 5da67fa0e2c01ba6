// Dev helper (not a test): screenshots of every page into /tmp/shots for a visual review.
import { launch, login, openPage, startServer } from './support.ts';
const server = await startServer({ appeals: 800 });
const browser = await launch();
const out = '/tmp/shots';
const errs: string[] = [];
async function shot(name: string, url: string, opts: { w?: number; h?: number; user?: string; wait?: string; full?: boolean; mobile?: boolean; en?: boolean } = {}) {
  const t = await openPage(browser, { width: opts.w ?? 1440, height: opts.h ?? 900, mobile: opts.mobile ?? false });
  if (opts.en) await t.context.addInitScript(() => localStorage.setItem('mb.lang', 'en'));
  if (opts.user) await login(t, server.url, opts.user);
  await t.page.goto(server.url + url);
  if (opts.wait) await t.page.waitForSelector(opts.wait, { timeout: 20000 }).catch(() => errs.push(`${name}: no ${opts.wait}`));
  await t.page.waitForTimeout(1500);
  await t.page.screenshot({ path: `${out}/${name}.png`, fullPage: opts.full ?? false });
  for (const e of t.errors) errs.push(`${name}: ${e}`);
  await t.context.close();
}
const only = process.argv[2];
const list: [string, string, Parameters<typeof shot>[2]][] = [
  ['en-dashboard', '/staff/dashboard', { user: 'leader', w: 1920, h: 1080, wait: '[data-testid=panel-faces]', en: true }],
  ['en-submit', '/submit', { w: 375, h: 812, mobile: true, en: true, full: true }],
  ['en-workbench', '/staff/workbench', { user: 'handler', en: true, wait: '[data-testid=appeal-table]' }],
  ['admin-375', '/staff/admin', { user: 'admin', w: 375, h: 812, mobile: true, wait: '[data-testid=admin]' }],
  ['dispatch-375', '/staff/dispatch', { user: 'dispatcher', w: 375, h: 812, mobile: true, wait: '[data-testid=queue-table]' }],
  ['home-375', '/', { w: 375, h: 812, mobile: true, full: true }],
  ['submit-375', '/submit', { w: 375, h: 812, mobile: true, full: true, wait: '[data-testid=submit-form]' }],
  ['track-375', '/track', { w: 375, h: 812, mobile: true }],
  ['login', '/login', {}],
  ['workbench', '/staff/workbench', { user: 'handler', wait: '[data-testid=appeal-table]' }],
  ['dispatch', '/staff/dispatch', { user: 'dispatcher', wait: '[data-testid=queue-table]' }],
  ['appeals', '/staff/appeals', { user: 'dispatcher', wait: '[data-testid=appeal-table]' }],
  ['dashboard-1920', '/staff/dashboard', { user: 'leader', w: 1920, h: 1080, wait: '[data-testid=panel-faces]', full: true }],
  ['bigscreen-1920', '/staff/bigscreen', { user: 'leader', w: 1920, h: 1080, wait: '[data-testid=panel-faces]' }],
  ['dashboard-375', '/staff/dashboard', { user: 'leader', w: 375, h: 812, mobile: true, wait: '[data-testid=panel-faces]', full: true }],
  ['admin', '/staff/admin', { user: 'admin', wait: '[data-testid=admin]' }],
  ['audit', '/staff/audit', { user: 'auditor', wait: '[data-testid=audit]' }],
  ['workbench-375', '/staff/workbench', { user: 'handler', w: 375, h: 812, mobile: true, wait: '[data-testid=appeal-table]' }],
];
for (const [n, u, o] of list) if (!only || n.includes(only)) await shot(n, u, o);
console.log(errs.join('\n') || 'no console errors');
await browser.close();
await server.close();
