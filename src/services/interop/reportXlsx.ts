// The monthly report's full tables as a workbook: overview, areas, every unit, every ranking row with
// its intervals and list status, hotspots, overdue and reopened cases, typical cases, method.
import { PassThrough } from 'node:stream';
import type { FiguresView, RankingRow } from '../scoring/engine.ts';
import type { MonthlyReportData } from './report.ts';
import { fromArray, localDateTime, writeXlsx, type ColumnDef, type SheetDef } from './tabular.ts';

const p4 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10000) / 10000);
const n1 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
const iv = (x: readonly [number, number] | null | undefined) => (x ? `${x[0].toFixed(1)}–${x[1].toFixed(1)}` : '');

function figureCols<T>(get: (r: T) => FiguresView): ColumnDef<T>[] {
  return [
    { header: '诉求量', value: (r) => get(r).volume },
    { header: '参评', value: (r) => get(r).assessed },
    { header: '有效评价', value: (r) => get(r).rated },
    { header: '评价覆盖率', numFmt: '0.00%', value: (r) => p4(get(r).ratingCoverage.value) },
    { header: '响应率', numFmt: '0.00%', value: (r) => p4(get(r).response.value) },
    { header: '解决率', numFmt: '0.00%', value: (r) => p4(get(r).resolution.value) },
    { header: '满意率', numFmt: '0.00%', value: (r) => p4(get(r).satisfaction.value) },
    { header: '民标指数', value: (r) => n1(get(r).index.value) },
    { header: '指数95%区间', value: (r) => iv(get(r).index.interval95) },
    { header: '按期办结率', numFmt: '0.00%', value: (r) => p4(get(r).onTimeClosure.value) },
    { header: '回退率', numFmt: '0.00%', value: (r) => p4(get(r).returnRate.value) },
    { header: '重办率', numFmt: '0.00%', value: (r) => p4(get(r).reopenRate.value) },
    { header: '延期率', numFmt: '0.00%', value: (r) => p4(get(r).extensionRate.value) },
  ];
}

export async function renderXlsx(d: MonthlyReportData): Promise<Buffer> {
  const cap = [`${d.scope.name} · ${d.period.label} 政法业绩“民标”评价通报(数据${d.source.kind === 'snapshot' ? `:已发布快照 ${d.source.id}` : `截至 ${localDateTime(d.generatedAt)}`})`];
  type RankLine = RankingRow & { group: string; list: string };
  const rankLines: RankLine[] = d.groups.flatMap((g) =>
    g.rows.map((r) => ({ ...r, group: g.labelZh, list: g.red.includes(r) ? '红榜' : g.black.includes(r) ? '黑榜' : r.index.notDistinguishableFromMedian ? '与中位数无显著差异' : '' })),
  );
  const sheets: SheetDef<any>[] = [
    {
      name: '总体情况',
      caption: cap,
      columns: [{ header: '范围', value: () => d.scope.name }, ...figureCols<null>(() => d.figures)],
      rows: fromArray([null]),
    },
    {
      name: '表情包',
      columns: [
        { header: '评价', value: (r: (typeof d.faces)[number]) => r.labelZh },
        { header: '件数', value: (r: (typeof d.faces)[number]) => r.count },
      ],
      rows: fromArray(d.faces),
    },
    {
      name: '近12个月',
      columns: [
        { header: '月份', value: (r: (typeof d.trend)[number]) => r.period },
        { header: '诉求量', value: (r: (typeof d.trend)[number]) => r.volume },
        { header: '有效评价', value: (r: (typeof d.trend)[number]) => r.rated },
        { header: '响应率', numFmt: '0.00%', value: (r: (typeof d.trend)[number]) => p4(r.response) },
        { header: '解决率', numFmt: '0.00%', value: (r: (typeof d.trend)[number]) => p4(r.resolution) },
        { header: '满意率', numFmt: '0.00%', value: (r: (typeof d.trend)[number]) => p4(r.satisfaction) },
        { header: '民标指数', value: (r: (typeof d.trend)[number]) => n1(r.index) },
      ],
      rows: fromArray(d.trend),
    },
    { name: '各地区部门', caption: cap, columns: [{ header: '地区/部门', value: (r: (typeof d.children)[number]) => r.name }, ...figureCols<(typeof d.children)[number]>((r) => r.figures)], rows: fromArray(d.children) },
    {
      name: '各单位',
      caption: cap,
      columns: [{ header: '单位', value: (r: (typeof d.units)[number]) => r.name }, { header: '同类组', value: (r: (typeof d.units)[number]) => r.peerLabel }, ...figureCols<(typeof d.units)[number]>((r) => r.figures)],
      rows: fromArray(d.units),
    },
    {
      name: '排名及红黑榜',
      caption: [...cap, '红黑榜:仅与同类中位数差异的95%区间不含0的单位列入'],
      columns: [
        { header: '同类组', value: (r: RankLine) => r.group },
        { header: '名次', value: (r: RankLine) => r.index.rank },
        { header: '名次95%区间', value: (r: RankLine) => `${r.index.rankInterval95[0]}–${r.index.rankInterval95[1]}` },
        { header: '单位', value: (r: RankLine) => r.name },
        { header: '有效评价', value: (r: RankLine) => r.rated },
        { header: '响应率', numFmt: '0.00%', value: (r: RankLine) => p4(r.raw.response) },
        { header: '解决率', numFmt: '0.00%', value: (r: RankLine) => p4(r.raw.resolution) },
        { header: '满意率', numFmt: '0.00%', value: (r: RankLine) => p4(r.raw.satisfaction) },
        { header: '民标指数(原始)', value: (r: RankLine) => n1(r.raw.index) },
        { header: '民标指数(校正)', value: (r: RankLine) => n1(r.index.estimate) },
        { header: '指数95%区间', value: (r: RankLine) => iv(r.index.interval95) },
        { header: '与中位数差值95%区间', value: (r: RankLine) => iv(r.index.diffFromMedian95) },
        { header: '优于中位数概率', numFmt: '0.0%', value: (r: RankLine) => p4(r.index.pBetterThanMedian) },
        { header: '榜单', value: (r: RankLine) => r.list },
      ],
      rows: fromArray(rankLines),
    },
    {
      name: '热点',
      columns: [
        { header: '热点问题', value: (r: (typeof d.hotspots)[number]) => r.label },
        { header: '件数', value: (r: (typeof d.hotspots)[number]) => r.messages },
        { header: '涉及群众', value: (r: (typeof d.hotspots)[number]) => r.citizens },
        { header: '区域', value: (r: (typeof d.hotspots)[number]) => r.region },
        { header: '关键词', value: (r: (typeof d.hotspots)[number]) => r.keywords.join('、') },
        { header: '起止', value: (r: (typeof d.hotspots)[number]) => `${r.firstDay}至${r.lastDay}` },
      ],
      rows: fromArray(d.hotspots),
    },
    ...(['overdue', 'reopened'] as const).map((k) => ({
      name: k === 'overdue' ? '超期' : '重办',
      columns: [
        { header: '查询码', value: (r: (typeof d.overdue.cases)[number]) => r.trackingCode },
        { header: '承办单位', value: (r: (typeof d.overdue.cases)[number]) => r.unitName },
        { header: '诉求分类', value: (r: (typeof d.overdue.cases)[number]) => r.categoryName },
        { header: '受理时间', value: (r: (typeof d.overdue.cases)[number]) => localDateTime(r.createdAt) },
        { header: '办理时限', value: (r: (typeof d.overdue.cases)[number]) => localDateTime(r.dueAt) },
        { header: k === 'overdue' ? '超期时间' : '重办时间', value: (r: (typeof d.overdue.cases)[number]) => localDateTime(r.eventAt) },
        { header: k === 'overdue' ? '超期天数' : '轮次', value: (r: (typeof d.overdue.cases)[number]) => r.measure },
        { header: '重办原因', value: (r: (typeof d.overdue.cases)[number]) => r.reason },
        { header: '诉求摘要(已脱敏)', value: (r: (typeof d.overdue.cases)[number]) => r.summary },
      ],
      rows: fromArray(d[k].cases),
    })),
    {
      name: '典型案例',
      columns: [
        { header: '类别', value: (r: (typeof d.good)[number] & { kind: string }) => r.kind },
        { header: '查询码', value: (r: (typeof d.good)[number] & { kind: string }) => r.trackingCode },
        { header: '承办单位', value: (r: (typeof d.good)[number] & { kind: string }) => r.unitName },
        { header: '诉求分类', value: (r: (typeof d.good)[number] & { kind: string }) => r.categoryName },
        { header: '评价', value: (r: (typeof d.good)[number] & { kind: string }) => r.level },
        { header: '是否解决', value: (r: (typeof d.good)[number] & { kind: string }) => r.solved },
        { header: '联系用时(小时)', value: (r: (typeof d.good)[number] & { kind: string }) => r.hoursToContact },
        { header: '答复用时(天)', value: (r: (typeof d.good)[number] & { kind: string }) => r.daysToReply },
        { header: '诉求摘要(已脱敏)', value: (r: (typeof d.good)[number] & { kind: string }) => r.summary },
        { header: '答复摘要(已脱敏)', value: (r: (typeof d.good)[number] & { kind: string }) => r.reply },
        { header: '群众留言(已脱敏)', value: (r: (typeof d.good)[number] & { kind: string }) => r.comment },
      ],
      rows: fromArray([...d.good.map((g) => ({ ...g, kind: '正面典型' })), ...d.bad.map((b) => ({ ...b, kind: '反面典型' }))]),
    },
    {
      name: '计算口径',
      columns: [{ header: '说明', width: 120, value: (r: string) => r }],
      rows: fromArray([
        `民标指数 = 100 × (${d.weights.response} × 响应率 + ${d.weights.resolution} × 解决率 + ${d.weights.satisfaction} × 满意率)`,
        '红黑榜仅在同类单位间比较;校正值为经验贝叶斯收缩估计,区间为95%;与中位数无显著差异的单位不列入红黑榜',
        `每月一题:${d.keyProblem ? `${d.keyProblem.title}${d.keyProblem.suggested ? '(建议)' : ''}` : '未确定'}`,
      ]),
    },
  ];
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeXlsx(out, sheets);
  await done;
  return Buffer.concat(chunks);
}
