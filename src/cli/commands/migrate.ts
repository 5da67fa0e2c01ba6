// `minbiao migrate`: applies pending migrations to the configured database.
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../store/database.ts';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('执行数据库迁移 / apply database migrations')
    .action(async () => {
      const config = loadConfig();
      const handle = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
      try {
        const applied = await handle.migrate();
        process.stdout.write(applied.length ? `已执行 / applied: ${applied.join(', ')}\n` : '数据库已是最新 / database is up to date\n');
      } finally {
        await handle.close();
      }
    });
}
