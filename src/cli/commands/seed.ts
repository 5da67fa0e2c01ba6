// `minbiao seed --demo [--appeals N] [--seed S]`: fills an empty database with the demo city.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createServices } from '../../services/index.ts';
import { seedDemo } from '../../services/demo-seed.ts';

export function register(program: Command): void {
  program
    .command('seed')
    .description('写入演示数据 / write demo data')
    .requiredOption('--demo', '演示城市 / the demo city')
    .option('--appeals <n>', '诉求数量 / number of appeals', '20000')
    .option('--seed <s>', '随机种子 / random seed (same seed, same city)', '2026')
    .option('--months <m>', '时间跨度(月)/ months of history', '12')
    .option('--users', '同时创建演示账号 / also create the demo accounts', false)
    .action(async (opts: { appeals: string; seed: string; months: string; users: boolean }) => {
      const appeals = Number(opts.appeals);
      const seed = Number(opts.seed);
      if (!Number.isInteger(appeals) || appeals < 0 || appeals > 50_000_000) throw new Error('--appeals 须为 0 到 50000000 的整数 / must be an integer 0..50000000');
      if (!Number.isInteger(seed)) throw new Error('--seed 须为整数 / must be an integer');
      const s = await createServices(loadConfig());
      try {
        if ((await s.org.all()).length > 0) throw new Error('数据库非空,演示数据只能写入空数据库 / the database is not empty: demo data goes into an empty database only');
        const bar = new cliProgress.SingleBar({ format: '写入诉求 / appeals [{bar}] {percentage}% {value}/{total} · {rate}/s · ETA {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic);
        const started = Date.now();
        bar.start(appeals, 0, { rate: 0 });
        const r = await seedDemo(s, {
          appeals,
          seed,
          months: Number(opts.months),
          createUsers: opts.users,
          onProgress: (done) => bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) }),
        });
        bar.stop();
        process.stdout.write(`${JSON.stringify(r)}\n`);
      } finally {
        await s.close();
      }
    });
}
