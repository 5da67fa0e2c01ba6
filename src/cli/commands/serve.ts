// `minbiao serve [--demo]`: runs the server; with --demo, fills an empty database with the demo city.
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../server.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../../services/demo-seed.ts';

export function register(program: Command): void {
  program
    .command('serve')
    .description('启动服务 / start the server')
    .option('--demo', '空数据库时写入演示数据 / seed the demo city into an empty database')
    .option('--appeals <n>', '演示诉求数量 / number of demo appeals', '6000')
    .action(async (opts: { demo?: boolean; appeals: string }) => {
      // Demo mode (demo accounts with published passwords, no second factor) only with --demo; refused in production.
      const config = loadConfig(opts.demo ? { ...process.env, DEMO_MODE: 'true' } : process.env);
      const running = await startServer(config, {
        beforeListen: async (s) => {
          if (!opts.demo) return;
          if ((await s.org.all()).length > 0) return;
          s.ctx.log.info('empty database: seeding the demo city');
          await seedDemo(s, { appeals: Number(opts.appeals), seed: 2026, progress: true, createUsers: true });
        },
      });
      const lines = [
        '',
        `  民标 MinBiao 已启动 / is running:  ${running.url}`,
        `  API 文档 / API docs:               ${running.url}api/docs`,
        `  数据库 / database:                 ${running.services.ctx.handle.dialect}${running.services.ctx.handle.file ? ` (${running.services.ctx.handle.file})` : ''}`,
      ];
      if (opts.demo) {
        lines.push('', '  ⚠ 演示模式:账号密码公开,切勿用于真实诉求 / DEMO MODE: published passwords, never for real appeals', '  演示账号 / demo accounts (demo mode only):');
        for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(12)} ${a.password.padEnd(14)} ${a.label}`);
      }
      process.stdout.write(lines.join('\n') + '\n\n');
      const shutdown = (signal: string) => {
        running.services.ctx.log.info({ signal }, 'shutting down');
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
}
