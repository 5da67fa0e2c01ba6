// `minbiao users create`: creates a staff account. The password is asked for (or read from
// MINBIAO_NEW_PASSWORD for scripts): no default password ever exists.
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { ROLES, type Role } from '../../domain/access/roles.ts';
import { createServices } from '../../services/index.ts';

async function askPassword(): Promise<string> {
  if (process.env.MINBIAO_NEW_PASSWORD) return process.env.MINBIAO_NEW_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question('密码 / password: ');
  } finally {
    rl.close();
  }
}

export function register(program: Command): void {
  const users = program.command('users').description('员工账号 / staff accounts');
  users
    .command('create')
    .description('创建员工账号 / create a staff account')
    .requiredOption('--username <name>', '用户名 / user name')
    .requiredOption('--unit <id>', '所属单位编号 / unit id')
    .requiredOption('--roles <list>', `角色,逗号分隔 / roles, comma-separated: ${ROLES.join(',')}`)
    .option('--name <display>', '姓名 / display name')
    .action(async (opts: { username: string; unit: string; roles: string; name?: string }) => {
      const roles = opts.roles.split(',').map((r) => r.trim()) as Role[];
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length) throw new Error(`未知角色 / unknown roles: ${bad.join(', ')}`);
      const s = await createServices(loadConfig());
      try {
        const password = await askPassword();
        const u = await s.auth.createUser(null, { username: opts.username, displayName: opts.name ?? opts.username, password, unitId: opts.unit, roles, mustChangePassword: true });
        process.stdout.write(`已创建 / created: ${u.username} (${u.roles.join(',')}) @ ${u.unitId}\n`);
      } finally {
        await s.close();
      }
    });
  users
    .command('reset-password')
    .description('设置临时密码(下次登录须修改)/ set a temporary password (to be changed at the next sign-in)')
    .requiredOption('--username <name>', '用户名 / user name')
    .action(async (opts: { username: string }) => {
      const s = await createServices(loadConfig());
      try {
        await s.auth.resetPasswordByOperator(opts.username, await askPassword());
        process.stdout.write(`已重置 / reset: ${opts.username}\n`);
      } finally {
        await s.close();
      }
    });
}
