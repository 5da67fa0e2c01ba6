// The `minbiao` command line: the same configuration (environment variables) as the server.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { DomainError } from '../lib/errors.ts';
import * as migrate from './commands/migrate.ts';
import * as seed from './commands/seed.ts';
import * as serve from './commands/serve.ts';
import * as users from './commands/users.ts';
import * as security from './commands/security.ts';

const program = new Command();
program.name('minbiao').description('民标 MinBiao — 以民意为导向的政法业绩评价平台').showHelpAfterError();
for (const m of [serve, migrate, seed, users, security]) m.register(program);
(await import('./commands/score.ts')).register(program);
(await import('./commands/interop.ts')).register(program);
(await import('./commands/notify.ts')).register(program);
(await import('./commands/participation.ts')).register(program);
(await import('./commands/text.ts')).register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof DomainError) {
    process.stderr.write(`错误 / error [${e.code}]: ${e.messageZh} / ${e.messageEn}\n`);
    process.exit(1);
  }
  process.stderr.write(`错误 / error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
