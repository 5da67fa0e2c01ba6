// Results of participation as .xlsx (exceljs): a survey round (overall, regions, questions, weighting
// cells, anonymous answers, open answers) and a consultation (figures, every suggestion with its
// moderation and answer — phones masked —, follow-up tasks). Used by the CLI and the staff API.
import ExcelJS from 'exceljs';
import { OUTCOME_LABELS, TASK_STATUS_LABELS, type AnswerOutcome, type TaskStatus } from '../../domain/participation/consultation.ts';
import { MODERATION_REASON_LABELS, type ModerationReason } from '../../domain/participation/moderation.ts';
import { SEX_LABELS, type Sex } from '../../domain/participation/survey.ts';
import { errors } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/pii.ts';
import type { Services } from '../index.ts';
import { consultationRepo } from './consultations.ts';
import { isoOf, parseJson } from './common.ts';

const round1 = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);
const STATUS_ZH: Record<string, string> = { pending: '待审核', published: '已公开', hidden: '已隐藏', draft: '草稿', open: '进行中', closed: '已结束' };

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: unknown[][], widths?: number[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  header.forEach((_, i) => {
    ws.getColumn(i + 1).width = widths?.[i] ?? 16;
  });
  return ws;
}

type EstimateLike = { value: number | null; interval95: [number, number] | null; respondents: number; effectiveN: number | null; designEffect: number | null; weighting: string };
const estimateCells = (e: EstimateLike) => [round1(e.value), round1(e.interval95?.[0]), round1(e.interval95?.[1]), e.respondents, round1(e.effectiveN), e.designEffect === null ? null : Math.round(e.designEffect * 100) / 100];

/** The workbook of a survey round. */
export async function surveyWorkbook(s: Services, roundId: string, regionCode?: string): Promise<ExcelJS.Workbook> {
  const data = await s.participation.surveys.exportData(roundId);
  const res = regionCode ? await s.participation.surveys.resultsForSystem(roundId, regionCode) : data.results;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MinBiao 民标';
  wb.created = new Date(s.ctx.now());
  const estHead = ['指数 index', '95%下限 lower', '95%上限 upper', '样本量 n', '有效样本量 n_eff', '设计效应 deff'];
  sheet(
    wb,
    '总体 Overall',
    ['项目 item', ...estHead],
    [
      ['综合指数 Survey index', ...estimateCells(res.index)],
      ['安全感 Sense of security', ...estimateCells(res.security)],
      ['满意度 Satisfaction', ...estimateCells(res.satisfaction)],
      [],
      ['调查 Round', data.round.name],
      ['范围 Region', `${res.regionName} (${res.regionCode})`],
      ['状态 Status', STATUS_ZH[data.round.status] ?? data.round.status],
      ['时间 Field period', `${data.round.opensAt.slice(0, 10)} — ${data.round.closesAt.slice(0, 10)}`],
      ['加权 Weighting', res.weighting === 'post-stratified' ? '事后分层加权(年龄×性别)post-stratified by age × sex' : `未加权 unweighted — 缺少人口结构的地区 regions without margins: ${res.regionsWithoutMargins.join(', ')}`],
      ['人口结构已冻结 Margins frozen', res.marginsFrozen ? '是 yes' : '否 no'],
      ['渠道 Channels', Object.entries(res.channels).map(([k, v]) => `${k === 'web' ? '网上' : k === 'phone' ? '电话' : k} ${v}`).join(',')],
      ['方差 Variance', 'v = Σ W_h² s_h² / n_h(分层线性化方差;单样本层借用合并方差)— docs/participation.md §4'],
    ],
    [28, 14, 14, 14, 12, 16, 14],
  );
  sheet(wb, '分区域 Regions', ['区划代码 code', '地区 region', '加权 weighted', '综合 index', '下限', '上限', '样本量 n', 'n_eff', 'deff', '安全感 security', '满意度 satisfaction'],
    res.regions.map((r) => [r.regionCode, r.regionName, r.weighted ? '是' : '否', ...estimateCells(r.index), round1(r.security.value), round1(r.satisfaction.value)]));
  sheet(wb, '分题目 Questions', ['编号 id', '题目 question', '维度 dimension', '平均得分 score', '下限', '上限', '好评率 top-two %', '下限', '上限', '回答人数 n', ...['5', '4', '3', '2', '1', '0'].map((v) => `选项 ${v}`)],
    res.items.map((it) => [it.id, it.text, it.dimension === 'security' ? '安全感' : it.dimension === 'satisfaction' ? '满意度' : '', round1(it.score.value), round1(it.score.interval95?.[0]), round1(it.score.interval95?.[1]), round1(it.topTwo.value), round1(it.topTwo.interval95?.[0]), round1(it.topTwo.interval95?.[1]), it.score.respondents, ...['5', '4', '3', '2', '1', '0'].map((v) => it.counts[v] ?? 0)]),
    [18, 48]);
  sheet(wb, '加权单元 Cells', ['区划代码 region', '性别 sex', '年龄组 age', '人口 N_h', '样本 n_h', '单元均值 mean', '权重份额 W_h', '每人权重 w'],
    res.cells.map((c) => [c.regionCode, SEX_LABELS[c.sex as Sex]?.zh ?? c.sex, c.ageGroup, c.population, c.respondents, round1(c.mean), Math.round(c.share * 1e6) / 1e6, Math.round(c.weight * 100) / 100]));
  const q = data.round.questionnaire;
  sheet(wb, '答卷 Responses', ['编号 id', '区划代码 region', '性别 sex', '年龄组 age', '渠道 channel', '时间 time', ...q.questions.map((x) => x.id)],
    data.responses.filter((r) => !regionCode || r.regionCode.startsWith(regionCode.replace(/(00)+$/, ''))).map((r) => [r.id, r.regionCode, SEX_LABELS[r.sex as Sex]?.zh ?? r.sex, r.ageGroup, r.channel === 'web' ? '网上' : '电话', r.createdAt, ...q.questions.map((x) => r.answers[x.id] ?? '')]));
  sheet(wb, '开放题 Open answers', ['区划代码 region', '时间 time', '回答 answer'], res.openAnswers.map((o) => [o.regionCode, o.at, o.text]), [16, 24, 80]);
  return wb;
}

/** The workbook of a consultation (staff export: hidden suggestions included with their reason). */
export async function consultationWorkbook(s: Services, id: string): Promise<ExcelJS.Workbook> {
  const c = await consultationRepo.find(s.ctx.db, id);
  if (!c) throw errors.notFound(`Consultation ${id}`, '征集');
  const rows = await consultationRepo.suggestionsOf(s.ctx.db, id, { sort: 'support', limit: 100_000, offset: 0 });
  const tasks = await consultationRepo.tasksOf(s.ctx.db, id);
  const updates = await consultationRepo.taskUpdates(s.ctx.db, tasks.map((t) => t.id));
  const units = new Map((await s.org.all()).map((u) => [u.id, u.name]));
  const published = c.published === 1;
  const results = published ? await s.participation.consultations.results(id) : null;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MinBiao 民标';
  wb.created = new Date(s.ctx.now());
  const f = results?.figures;
  sheet(wb, '概况 Summary', ['项目 item', '值 value'], [
    ['主题 Topic', c.title],
    ['地区 Region', c.region_code],
    ['征集期 Period', `${isoOf(c.opens_at).slice(0, 10)} — ${isoOf(c.closes_at).slice(0, 10)}`],
    ['收到建议 Received', f?.received ?? rows.length],
    ['公开 Published', f?.published ?? null],
    ['待审核 Held', f?.pending ?? null],
    ['已隐藏 Hidden', f?.hidden ?? null],
    ['参与人数 Participants', f?.participants ?? null],
    ['点赞支持 Supports', f?.supports ?? null],
    ['支持人数 Supporters', f?.supporters ?? null],
    ['已答复 Answered', f?.answered ?? null],
    ['采纳 Adopted', f?.outcomes.adopted ?? null],
    ['部分采纳 Partly adopted', f?.outcomes.partly_adopted ?? null],
    ['未采纳 Not adopted', f?.outcomes.not_adopted ?? null],
    ['落实任务 Tasks (done / overdue)', f ? `${f.tasks}(完成 ${f.tasksDone},逾期 ${f.tasksOverdue})` : tasks.length],
    ['结论 Summary', c.summary ?? ''],
  ], [28, 90]);
  sheet(wb, '建议 Suggestions', ['编号 id', '提交时间 time', '状态 status', '标题 title', '内容 text', '支持数 supports', '自动检测 flags', '处理原因 reason', '处理说明 note', '答复 outcome', '答复理由 reason', '将采取措施 action', '答复单位 unit', '手机(脱敏) phone'],
    rows.map((r) => {
      let phone: string | null = null;
      try {
        phone = maskPhone(s.ctx.pii.decrypt(r.author_phone_enc));
      } catch {
        phone = null;
      }
      return [
        r.id,
        isoOf(r.created_at),
        STATUS_ZH[r.status] ?? r.status,
        r.title,
        r.body,
        r.support_count,
        parseJson<{ kind: string; count: number }[]>(r.flags, []).map((x) => `${x.kind}×${x.count}`).join(' '),
        r.mod_reason ? (MODERATION_REASON_LABELS[r.mod_reason as ModerationReason]?.zh ?? r.mod_reason) : '',
        r.mod_note ?? '',
        r.answer_outcome ? OUTCOME_LABELS[r.answer_outcome as AnswerOutcome]?.zh ?? r.answer_outcome : '',
        r.answer_reason ?? '',
        r.answer_action ?? '',
        r.answer_unit_id ? (units.get(r.answer_unit_id) ?? r.answer_unit_id) : '',
        phone ?? '',
      ];
    }),
    [30, 22, 10, 28, 60, 10, 16, 16, 24, 12, 40, 40, 24, 16]);
  sheet(wb, '落实任务 Tasks', ['任务 task', '建议编号 suggestion', '责任单位 unit', '期限 due', '状态 status', '完成时间 done', '进展 progress'],
    tasks.map((t) => [t.title, t.suggestion_id, units.get(t.unit_id) ?? t.unit_id, isoOf(t.due_at).slice(0, 10), TASK_STATUS_LABELS[t.status as TaskStatus]?.zh ?? t.status, t.done_at ? isoOf(t.done_at).slice(0, 10) : '', updates.filter((u) => u.task_id === t.id).map((u) => `${isoOf(u.at).slice(0, 10)} ${u.note}`).join('\n')]),
    [28, 30, 24, 12, 10, 12, 80]);
  if (results) {
    sheet(wb, '题目统计 Questions', ['题目 question', '选项 option', '人数 count'], results.questions.flatMap((q) => q.options.map((o) => [q.text, o.option, o.count])), [40, 24, 10]);
  }
  return wb;
}

export async function writeWorkbook(wb: ExcelJS.Workbook, file: string): Promise<void> {
  await wb.xlsx.writeFile(file);
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
