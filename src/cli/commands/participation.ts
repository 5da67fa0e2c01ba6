// `minbiao survey …` and `minbiao consultation …`: list rounds and consultations, export results to .xlsx.
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createServices, type Services } from '../../services/index.ts';
import { consultationWorkbook, surveyWorkbook, writeWorkbook } from '../../services/participation/export.ts';

async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const s = await createServices(loadConfig());
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

function xlsxPath(out: string): string {
  if (!/\.xlsx$/i.test(out)) throw new Error('--out 须以 .xlsx 结尾 / --out must end in .xlsx');
  return path.resolve(out);
}

export function register(program: Command): void {
  const survey = program.command('survey').description('群众安全感·满意度调查 / the 安全感·满意度 survey');
  survey
    .command('rounds')
    .description('列出调查轮次 / list the survey rounds')
    .action(() =>
      withServices(async (s) => {
        const rows = await s.ctx.db.selectFrom('survey_rounds').select(['id', 'name', 'status', 'region_code', 'opens_at', 'closes_at']).orderBy('opens_at', 'desc').execute();
        for (const r of rows) {
          const n = await s.ctx.db.selectFrom('survey_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', r.id).executeTakeFirst();
          process.stdout.write(`${r.id}\t${r.status}\t${r.region_code}\t${new Date(r.opens_at).toISOString().slice(0, 10)}…${new Date(r.closes_at).toISOString().slice(0, 10)}\t${Number(n?.n ?? 0)} 份\t${r.name}\n`);
        }
      }),
    );
  survey
    .command('export')
    .description('导出调查结果(加权指数、区域、题目、加权单元、答卷)/ export a round’s results to .xlsx')
    .requiredOption('--round <id>', '调查轮次编号 / round id')
    .requiredOption('--out <file>', '输出文件 / output .xlsx file')
    .option('--region <code>', '只导出该地区 / only this region')
    .action((opts: { round: string; out: string; region?: string }) =>
      withServices(async (s) => {
        const file = xlsxPath(opts.out);
        if (opts.region && !/^\d{6}(\d{3})?$/.test(opts.region)) throw new Error('--region 应为6位或9位区划代码 / --region must have 6 or 9 digits');
        await writeWorkbook(await surveyWorkbook(s, opts.round, opts.region), file);
        process.stdout.write(`已导出 / written: ${file}\n`);
      }),
    );

  const consultation = program.command('consultation').description('意见征集 / consultations');
  consultation
    .command('list')
    .description('列出意见征集 / list the consultations')
    .action(() =>
      withServices(async (s) => {
        const rows = await s.ctx.db.selectFrom('consultations').select(['id', 'title', 'published', 'opens_at', 'closes_at']).orderBy('opens_at', 'desc').execute();
        for (const r of rows) process.stdout.write(`${r.id}\t${r.published ? 'published' : 'draft'}\t${new Date(r.opens_at).toISOString().slice(0, 10)}…${new Date(r.closes_at).toISOString().slice(0, 10)}\t${r.title}\n`);
      }),
    );
  consultation
    .command('export')
    .description('导出征集结果(概况、全部建议及处理、落实任务)/ export a consultation to .xlsx')
    .requiredOption('--id <id>', '征集编号 / consultation id')
    .requiredOption('--out <file>', '输出文件 / output .xlsx file')
    .action((opts: { id: string; out: string }) =>
      withServices(async (s) => {
        const file = xlsxPath(opts.out);
        await writeWorkbook(await consultationWorkbook(s, opts.id), file);
        process.stdout.write(`已导出 / written: ${file}\n`);
      }),
    );
}
