// Text-intelligence commands on any CSV file: `classify train|eval|cv|predict`, `hotspots`,
// `reply-quality` and `risk`. Thin adapters: read the file, call src/domain/text, print.
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  CsvParser,
  DAY_MS,
  HotspotDetector,
  TextClassifier,
  assessRisk,
  crossValidate,
  evaluate,
  scoreReply,
  type ClassReport,
  type EvalReport,
  type Hotspot,
  type LabeledText,
} from '../../domain/text/index.ts';

/** Read a CSV file as objects keyed by header, streaming (files of any size). */
export async function readCsvFile(file: string): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const parser = new CsvParser();
  let header: string[] | null = null;
  const rows: Record<string, string>[] = [];
  const take = (records: string[][]) => {
    for (const r of records) {
      if (!header) {
        header = r.map((h) => h.trim());
        continue;
      }
      const o: Record<string, string> = {};
      header.forEach((h, i) => (o[h] = r[i] ?? ''));
      rows.push(o);
    }
  };
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const chunk of stream) take(parser.push(chunk as string));
  } catch (e) {
    throw new Error(`无法读取文件 ${file} / cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  take(parser.end());
  return { header: header ?? [], rows };
}

function requireColumn(header: string[], name: string | undefined, flag: string): string {
  if (!name) throw new Error(`缺少参数 ${flag} / missing ${flag}`);
  if (!header.includes(name)) {
    throw new Error(`列 "${name}" 不存在（可用列：${header.join(', ')}）/ column "${name}" not found (columns: ${header.join(', ')})`);
  }
  return name;
}

/**
 * Parse a time cell: epoch ms, ISO 8601 with zone, or a local Asia/Shanghai date-time such as
 * "2019/2/28 11:25:05" or "2019-02-28 11:25". Returns NaN when unreadable.
 */
export function parseTime(s: string | undefined): number {
  const t = (s ?? '').trim();
  if (!t) return Number.NaN;
  if (/^\d{11,14}$/.test(t)) return Number(t);
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0) - 8, +(m[5] ?? 0), +(m[6] ?? 0));
  const iso = Date.parse(t);
  return Number.isFinite(iso) ? iso : Number.NaN;
}

function labelled(rows: Record<string, string>[], textCol: string, labelCol: string): LabeledText[] {
  return rows.map((r) => ({ text: r[textCol] ?? '', label: (r[labelCol] ?? '').trim() })).filter((r) => r.label !== '');
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function printReport(r: EvalReport, title: string): void {
  const out: string[] = [];
  out.push(title);
  out.push(`  样本 / rows: ${r.n}`);
  out.push(`  准确率 / accuracy: ${pct(r.accuracy)}`);
  out.push(`  宏平均F1 / macro-F1: ${r.macroF1.toFixed(4)}`);
  out.push(`  加权F1 / weighted-F1: ${r.weightedF1.toFixed(4)}`);
  out.push('  各类 / per class:              precision  recall     F1   support');
  for (const [label, c] of Object.entries(r.perClass)) {
    out.push(`    ${label.padEnd(16, '　')} ${c.precision.toFixed(4)}   ${c.recall.toFixed(4)}  ${c.f1.toFixed(4)}  ${String(c.support).padStart(6)}`);
  }
  if (r.coverage.length) {
    out.push(`  置信度校准 / calibration: ECE ${r.ece.toFixed(4)}`);
    for (const c of r.coverage) out.push(`    阈值 threshold ${c.threshold.toFixed(2)}: 自动分派 auto ${pct(c.coverage)}, 其准确率 accuracy ${pct(c.accuracy)}`);
  }
  out.push('  混淆矩阵 / confusion (rows = true, columns = predicted):');
  out.push(`    ${r.confusion.labels.map((l, i) => `[${i}]${l}`).join('  ')}`);
  r.confusion.matrix.forEach((row, i) => out.push(`    [${i}] ${row.map((v) => String(v).padStart(5)).join(' ')}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

function perClassJson(r: EvalReport): Record<string, ClassReport> {
  return r.perClass;
}

function hotspotJson(h: Hotspot, byId: Map<string, { title: string; time: number; likes: number }>) {
  return {
    label: h.label,
    place: h.place,
    problem: h.problem,
    keywords: h.keywords,
    heat: h.heat,
    heatParts: h.heatParts,
    count: h.messages,
    citizens: h.citizens,
    likes: h.likes,
    firstTime: new Date(h.firstTime).toISOString(),
    lastTime: new Date(h.lastTime).toISOString(),
    trend: h.trend,
    regionCode: h.regionCode,
    messages: h.messageIds.map((id) => {
      const m = byId.get(id);
      return { id, title: m?.title ?? '', time: m && Number.isFinite(m.time) ? new Date(m.time).toISOString() : null, likes: m?.likes ?? 0 };
    }),
  };
}

export function register(program: Command): void {
  const classify = program.command('classify').description('诉求分类模型 / appeal classifier (train, eval, cv, predict)');

  classify
    .command('train')
    .description('在CSV上训练分类模型 / train a model on a CSV')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--text-col <name>', '文本列（原文或已分词）/ text column (raw or space-segmented)')
    .requiredOption('--label-col <name>', '类别列 / label column')
    .requiredOption('--model <out>', '模型输出文件(JSON)/ model file to write (JSON)')
    .option('--seed <n>', '随机种子 / random seed', '42')
    .option('--no-calibrate', '不拟合置信度温度（更快）/ skip confidence calibration (faster)')
    .action(async (o: { csv: string; textCol: string; labelCol: string; model: string; seed: string; calibrate: boolean }) => {
      const { header, rows } = await readCsvFile(o.csv);
      const data = labelled(rows, requireColumn(header, o.textCol, '--text-col'), requireColumn(header, o.labelCol, '--label-col'));
      if (data.length < 2) throw new Error('训练数据不足（至少 2 行带类别）/ not enough labelled rows (need at least 2)');
      const t0 = performance.now();
      const model = TextClassifier.train(data, { seed: Number(o.seed), ...(o.calibrate ? {} : { calibrationFolds: 0 }) });
      const trainMs = performance.now() - t0;
      await writeFile(o.model, JSON.stringify(model.toJSON()));
      process.stdout.write(
        `${JSON.stringify({ rows: data.length, labels: model.labels, features: model.featureCount, temperature: model.calibrationTemperature, trainMs: Math.round(trainMs), model: o.model })}\n`,
      );
    });

  classify
    .command('eval')
    .description('评估模型 / evaluate a model on a labelled CSV')
    .requiredOption('--model <file>', '模型文件 / model file')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--text-col <name>', '文本列 / text column')
    .requiredOption('--label-col <name>', '类别列 / label column')
    .option('--json', '输出 JSON {accuracy, macroF1, perClass} / print JSON', false)
    .action(async (o: { model: string; csv: string; textCol: string; labelCol: string; json: boolean }) => {
      const model = TextClassifier.fromJSON(JSON.parse(await readFile(o.model, 'utf8')));
      const { header, rows } = await readCsvFile(o.csv);
      const data = labelled(rows, requireColumn(header, o.textCol, '--text-col'), requireColumn(header, o.labelCol, '--label-col'));
      const r = evaluate(model, data);
      if (o.json) process.stdout.write(`${JSON.stringify({ accuracy: r.accuracy, macroF1: r.macroF1, perClass: perClassJson(r) })}\n`);
      else printReport(r, `模型评估 / evaluation of ${o.model} on ${o.csv}`);
    });

  classify
    .command('cv')
    .description('k折交叉验证 / k-fold cross-validation')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--text-col <name>', '文本列 / text column')
    .requiredOption('--label-col <name>', '类别列 / label column')
    .option('--folds <k>', '折数 / folds', '5')
    .option('--seed <n>', '随机种子 / random seed', '42')
    .option('--no-calibrate', '不拟合置信度温度（更快）/ skip confidence calibration (faster)')
    .option('--json', '输出 JSON / print JSON', false)
    .action(async (o: { csv: string; textCol: string; labelCol: string; folds: string; seed: string; calibrate: boolean; json: boolean }) => {
      const k = Number(o.folds);
      if (!Number.isInteger(k) || k < 2 || k > 50) throw new Error('--folds 须为 2 到 50 的整数 / must be an integer 2..50');
      const { header, rows } = await readCsvFile(o.csv);
      const data = labelled(rows, requireColumn(header, o.textCol, '--text-col'), requireColumn(header, o.labelCol, '--label-col'));
      const t0 = performance.now();
      const r = crossValidate(data, k, Number(o.seed), o.calibrate ? {} : { calibrationFolds: 0 });
      const ms = Math.round(performance.now() - t0);
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ accuracy: r.accuracy, macroF1: r.macroF1, perClass: r.perClass, folds: r.folds, seed: r.seed, foldMacroF1: r.foldMacroF1, foldAccuracy: r.foldAccuracy, confusion: r.confusion, ece: r.ece, coverage: r.coverage, totalMs: ms })}\n`,
        );
      } else {
        printReport(r, `${k} 折交叉验证 / ${k}-fold cross-validation (seed ${o.seed}, ${ms} ms)`);
        process.stdout.write(`  各折宏F1 / macro-F1 per fold: ${r.foldMacroF1.map((x) => x.toFixed(4)).join(' ')}\n`);
      }
    });

  classify
    .command('predict')
    .description('对一段文本分类 / classify one text')
    .requiredOption('--model <file>', '模型文件 / model file')
    .requiredOption('--text <text>', '文本 / text')
    .option('--threshold <p>', '自动分派阈值 / auto-dispatch threshold', '0.8')
    .action(async (o: { model: string; text: string; threshold: string }) => {
      const model = TextClassifier.fromJSON(JSON.parse(await readFile(o.model, 'utf8')));
      const p = model.predict(o.text);
      const route = p.confidence >= Number(o.threshold) ? 'auto' : 'triage';
      process.stdout.write(`${JSON.stringify({ ...p, ranked: p.ranked.slice(0, 3), route })}\n`);
    });

  program
    .command('hotspots')
    .description('从留言CSV中发现热点问题 / find hotspots in a CSV of messages')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--text-col <name>', '正文列 / body column')
    .option('--title-col <name>', '标题列 / title column')
    .option('--time-col <name>', '时间列 / time column (YYYY/M/D H:MM:SS, Asia/Shanghai; ISO; epoch ms)')
    .option('--likes-col <name>', '点赞/支持数列 / likes or support column')
    .option('--citizen-col <name>', '提交人列（用于统计不同群众）/ submitter column (to count distinct citizens)')
    .option('--id-col <name>', '编号列 / id column')
    .option('--top <n>', '输出前 N 个 / how many', '10')
    .option('--window-days <d>', '滑动窗口天数（默认整个文件）/ sliding window in days (default: the whole file)')
    .option('--now <time>', '统计时点（默认最后一条留言的时间）/ report time (default: the last message)')
    .option('--json', '输出 JSON / print JSON', false)
    .action(
      async (o: {
        csv: string;
        textCol: string;
        titleCol?: string;
        timeCol?: string;
        likesCol?: string;
        citizenCol?: string;
        idCol?: string;
        top: string;
        windowDays?: string;
        now?: string;
        json: boolean;
      }) => {
        const { header, rows } = await readCsvFile(o.csv);
        const textCol = requireColumn(header, o.textCol, '--text-col');
        const titleCol = o.titleCol ? requireColumn(header, o.titleCol, '--title-col') : undefined;
        const timeCol = o.timeCol ? requireColumn(header, o.timeCol, '--time-col') : undefined;
        const likesCol = o.likesCol ? requireColumn(header, o.likesCol, '--likes-col') : undefined;
        const citizenCol = o.citizenCol ? requireColumn(header, o.citizenCol, '--citizen-col') : undefined;
        const idCol = o.idCol ? requireColumn(header, o.idCol, '--id-col') : undefined;
        const n = Number(o.top);
        if (!Number.isInteger(n) || n < 1) throw new Error('--top 须为正整数 / must be a positive integer');
        const msgs = rows.map((r, i) => ({
          id: idCol ? r[idCol]! : String(i + 1),
          time: timeCol ? parseTime(r[timeCol]) : i, // without times, file order stands in for time
          title: titleCol ? r[titleCol] : undefined,
          text: r[textCol] ?? '',
          likes: likesCol ? Number(r[likesCol]) || 0 : 0,
          citizenKey: citizenCol ? r[citizenCol] : undefined,
        }));
        const unreadable = msgs.filter((m) => !Number.isFinite(m.time)).length;
        const timed = msgs.filter((m) => Number.isFinite(m.time)).sort((a, b) => a.time - b.time);
        const windowMs = o.windowDays ? Number(o.windowDays) * DAY_MS : Number.MAX_SAFE_INTEGER / 4;
        if (!(windowMs > 0)) throw new Error('--window-days 须为正数 / must be positive');
        const now = o.now ? parseTime(o.now) : (timed[timed.length - 1]?.time ?? 0);
        if (!Number.isFinite(now)) throw new Error('--now 无法识别 / cannot read --now');
        const d = new HotspotDetector({ windowMs });
        const t0 = performance.now();
        for (const m of timed) d.add(m);
        const top = d.top(n, now);
        const ms = performance.now() - t0;
        const byId = new Map(timed.map((m) => [m.id, { title: m.title ?? '', time: m.time, likes: m.likes }]));
        if (o.json) {
          process.stdout.write(`${JSON.stringify(top.map((h) => hotspotJson(h, byId)))}\n`);
          return;
        }
        const out: string[] = [
          `热点问题 / hotspots: ${timed.length} 条留言 messages${unreadable ? `（${unreadable} 条时间无法识别已跳过 / ${unreadable} skipped: unreadable time）` : ''}, ${d.clusterCount} 个簇 clusters, ${Math.round(ms)} ms`,
        ];
        top.forEach((h, i) => {
          out.push(`\n${i + 1}. ${h.label}   热度 heat ${h.heat}`);
          out.push(`   留言 messages ${h.messages} · 群众 citizens ${h.citizens} · 点赞 likes ${h.likes} · ${new Date(h.firstTime).toISOString().slice(0, 10)} → ${new Date(h.lastTime).toISOString().slice(0, 10)}`);
          out.push(`   关键词 keywords: ${h.keywords.join('、')}`);
          for (const id of h.messageIds.slice(0, 5)) out.push(`   - [${id}] ${byId.get(id)?.title || ''}`);
          if (h.messageIds.length > 5) out.push(`   … 另 ${h.messageIds.length - 5} 条 / ${h.messageIds.length - 5} more`);
        });
        process.stdout.write(`${out.join('\n')}\n`);
      },
    );

  program
    .command('reply-quality')
    .description('答复质量评分 / score replies against their appeals in a CSV')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--appeal-col <name>', '诉求正文列 / appeal body column')
    .requiredOption('--reply-col <name>', '答复列 / reply column')
    .option('--title-col <name>', '诉求标题列 / appeal title column')
    .option('--appeal-time-col <name>', '诉求时间列 / appeal time column')
    .option('--reply-time-col <name>', '答复时间列 / reply time column')
    .option('--deadline-days <d>', '答复时限（日历日）/ reply deadline in calendar days', '7')
    .option('--json', '逐条输出 JSON / print one JSON object per row', false)
    .action(
      async (o: { csv: string; appealCol: string; replyCol: string; titleCol?: string; appealTimeCol?: string; replyTimeCol?: string; deadlineDays: string; json: boolean }) => {
        const { header, rows } = await readCsvFile(o.csv);
        const a = requireColumn(header, o.appealCol, '--appeal-col');
        const r = requireColumn(header, o.replyCol, '--reply-col');
        const tc = o.titleCol ? requireColumn(header, o.titleCol, '--title-col') : undefined;
        const at = o.appealTimeCol ? requireColumn(header, o.appealTimeCol, '--appeal-time-col') : undefined;
        const rt = o.replyTimeCol ? requireColumn(header, o.replyTimeCol, '--reply-time-col') : undefined;
        const scores = rows.map((row) =>
          scoreReply({
            appealTitle: tc ? row[tc] : undefined,
            appealText: row[a] ?? '',
            reply: row[r] ?? '',
            appealTime: at ? parseTime(row[at]) : undefined,
            replyTime: rt ? parseTime(row[rt]) : undefined,
            deadlineDays: Number(o.deadlineDays),
          }),
        );
        if (o.json) {
          process.stdout.write(scores.map((s) => JSON.stringify(s)).join('\n') + '\n');
          return;
        }
        const q = (xs: number[], p: number) => {
          const s = [...xs].sort((x, y) => x - y);
          return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : 0;
        };
        const overall = scores.map((s) => s.overall);
        const hist = new Array(10).fill(0) as number[];
        for (const x of overall) hist[Math.min(9, Math.floor(x / 10))]!++;
        const codes = new Map<string, number>();
        for (const s of scores) for (const h of s.hints) codes.set(h.code, (codes.get(h.code) ?? 0) + 1);
        const mean = (k: keyof (typeof scores)[number]['parts']) => {
          const xs = scores.map((s) => s.parts[k]).filter((x): x is number => x !== null);
          return xs.length ? (xs.reduce((x, y) => x + y, 0) / xs.length).toFixed(3) : '-';
        };
        const out = [
          `答复质量 / reply quality: ${scores.length} 条 rows`,
          `  总分分位 / overall percentiles p5 ${q(overall, 0.05)} · p25 ${q(overall, 0.25)} · p50 ${q(overall, 0.5)} · p75 ${q(overall, 0.75)} · p95 ${q(overall, 0.95)}`,
          `  分布 / histogram (0–9, 10–19, …): ${hist.join(' ')}`,
          `  均值 / means: relevance ${mean('relevance')} · completeness ${mean('completeness')} · basis ${mean('basis')} · tone ${mean('tone')} · specificity ${mean('specificity')} · timeliness ${mean('timeliness')}`,
          `  提示 / hints: ${[...codes.entries()].sort((x, y) => y[1] - x[1]).map(([c, k]) => `${c} ${k}`).join(' · ')}`,
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      },
    );

  program
    .command('risk')
    .description('风险预警扫描 / scan a CSV for risk signals')
    .requiredOption('--csv <file>', 'CSV 文件 / CSV file')
    .requiredOption('--text-col <name>', '正文列 / text column')
    .option('--title-col <name>', '标题列 / title column')
    .option('--min-level <level>', '输出的最低级别 / lowest level to list (low|medium|high)', 'medium')
    .option('--json', '输出 JSON / print JSON', false)
    .action(async (o: { csv: string; textCol: string; titleCol?: string; minLevel: string; json: boolean }) => {
      const order = ['none', 'low', 'medium', 'high'];
      const min = order.indexOf(o.minLevel);
      if (min < 1) throw new Error('--min-level 须为 low|medium|high / must be low|medium|high');
      const { header, rows } = await readCsvFile(o.csv);
      const tc = requireColumn(header, o.textCol, '--text-col');
      const ti = o.titleCol ? requireColumn(header, o.titleCol, '--title-col') : undefined;
      const counts: Record<string, number> = { none: 0, low: 0, medium: 0, high: 0 };
      const listed: { row: number; title: string; score: number; level: string; signals: unknown }[] = [];
      rows.forEach((r, i) => {
        const a = assessRisk(`${ti ? `${r[ti]}。` : ''}${r[tc] ?? ''}`);
        counts[a.level]!++;
        if (order.indexOf(a.level) >= min) listed.push({ row: i + 1, title: ti ? (r[ti] ?? '') : (r[tc] ?? '').slice(0, 30), score: a.score, level: a.level, signals: a.signals });
      });
      if (o.json) process.stdout.write(`${JSON.stringify({ counts, items: listed })}\n`);
      else {
        const out = [`风险扫描 / risk scan: ${JSON.stringify(counts)}`];
        for (const x of listed.sort((p, q) => q.score - p.score)) out.push(`  [${x.level} ${x.score}] #${x.row} ${x.title} :: ${JSON.stringify(x.signals)}`);
        process.stdout.write(`${out.join('\n')}\n`);
      }
    });
}
