// `minbiao migrate`: applies pending migrations to the configured database.
// `minbiao partitions [--ensure]`: PostgreSQL's monthly partitions (src/store/partitions.ts).
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../store/database.ts';
import { listPartitions, maintainPartitions } from '../../store/partitions.ts';

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

  program
    .command('partitions')
    .description('按月分区(仅 PostgreSQL)/ monthly partitions (PostgreSQL only)')
    .option('--ensure', '创建本月及之后两个月的分区,并拆分默认分区 / create this and the next two months, split the default partitions')
    .option('--json', 'JSON 输出 / JSON output')
    .action(async (opts: { ensure?: boolean; json?: boolean }) => {
      const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
      if (config.dialect !== 'postgres') {
        process.stderr.write('SQLite 不分区:分区只用于 PostgreSQL(设置 DATABASE_URL)/ SQLite is not partitioned: partitions are for PostgreSQL (set DATABASE_URL)\n');
        process.exitCode = 2;
        return;
      }
      const handle = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
      try {
        await handle.migrate();
        const ensured = opts.ensure ? await maintainPartitions(handle.db, Date.now()) : null;
        const parts = await listPartitions(handle.db);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ensured, partitions: parts })}\n`);
          return;
        }
        if (ensured) process.stdout.write(`新建 / created: ${ensured.created.length ? ensured.created.join(', ') : '—'};移入 / rows moved: ${ensured.moved}\n`);
        for (const p of parts) process.stdout.write(`${p.table.padEnd(14)} ${p.month.padEnd(8)} ${String(p.rows).padStart(12)}  ${p.partition}\n`);
      } finally {
        await handle.close();
      }
    });
}
