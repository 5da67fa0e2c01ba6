// Exports (docs/interop.md §3): the appeal list with the same filters and data scope as
// GET /api/v1/appeals, streamed page by page (keyset paging) into .xlsx or .csv, personal data
// masked unless the user may unmask and states a reason (then audited); and the figures — peer-group
// rankings with intervals and breakdowns — from the evaluation engine, in the user's scope.
import { APPEAL_TYPE_LABELS, isHandleOverdue, STATUS_LABELS, type AppealStatus, type AppealType } from '../../domain/appeal/types.ts';
import { errors } from '../../lib/errors.ts';
import { maskAddress, maskName, maskPhone } from '../../lib/pii.ts';
import { scopeFilter } from '../../store/repositories/appeals.ts';
import type { AppealTable } from '../../store/schema.ts';
import { whereAppealFilters, type AppealFilters } from '../appeals/filters.ts';
import type { Services } from '../index.ts';
import { requirePermission, type StaffPrincipal } from '../principal.ts';
import type { FiguresView, RankingRow } from '../scoring/engine.ts';
import { fromArray, localDateTime, tableStream, type ColumnDef, type SheetDef, type TableFormat } from './tabular.ts';
import type { Readable } from 'node:stream';

export type ExportFilters = Omit<AppealFilters, 'page' | 'pageSize'>;

const URGENCY_LABELS: Record<string, string> = { general: '一般', urgent: '紧急', emergency: '特急' };
const CHANNEL_LABELS: Record<string, string> = { web: '网上', hotline: '热线', open311: 'Open311', import: '导入', api: '接口' };
const FACES: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' };

export interface ExportResult {
  stream: Readable;
  fileName: string;
  contentType: string;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10000) / 10000);
const num1 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
const interval = (iv: readonly [number, number] | null | undefined, scale = 1, digits = 1) =>
  iv ? `${(iv[0] * scale).toFixed(digits)}–${(iv[1] * scale).toFixed(digits)}` : '';

export function stamp(ms: number): string {
  return localDateTime(ms).replace(/[-: ]/g, '').slice(0, 12);
}

export class ExportService {
  constructor(private readonly s: Services) {}

  /**
   * The appeals a user may list, with the filters of GET /api/v1/appeals (kept in step with
   * AppealQueryService.list — test/integration/export.test.ts compares the two), page by page.
   */
  async *appealRows(p: StaffPrincipal, f: ExportFilters, pageSize = 1000): AsyncGenerator<AppealTable> {
    requirePermission(p, 'appeal.read');
    const now = this.s.ctx.now();
    const db = this.s.ctx.db;
    const sort = f.sort ?? 'created_desc';
    const keyCol = sort === 'due_asc' ? 'handle_due_at' : 'created_at';
    const desc = sort === 'created_desc';
    let after: { k: number; id: string } | null = null;
    for (;;) {
      let q = db.selectFrom('appeals').selectAll().where(scopeFilter([p.scopePath]));
      q = whereAppealFilters(q, p, f, now, this.s.ctx.pii);
      if (after) {
        const a = after;
        q = desc
          ? q.where((eb) => eb.or([eb(keyCol, '<', a.k), eb.and([eb(keyCol, '=', a.k), eb('id', '<', a.id)])]))
          : q.where((eb) => eb.or([eb(keyCol, '>', a.k), eb.and([eb(keyCol, '=', a.k), eb('id', '>', a.id)])]));
      }
      const rows = await q.orderBy(keyCol, desc ? 'desc' : 'asc').orderBy('id', desc ? 'desc' : 'asc').limit(pageSize).execute();
      for (const r of rows) yield r;
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { k: Number(last[keyCol]), id: last.id };
    }
  }

  async appealColumns(unmask: boolean): Promise<ColumnDef<AppealTable>[]> {
    const units = new Map((await this.s.org.all()).map((u) => [u.id, u.name] as const));
    const cats = new Map((await this.s.categories.all()).map((c) => [c.id, c.name] as const));
    const regions = new Map((await this.s.org.regions()).map((r) => [r.code, r.name] as const));
    const pii = this.s.ctx.pii;
    const now = this.s.ctx.now();
    const dec = (box: string | null) => {
      try {
        return pii.decrypt(box);
      } catch {
        return null;
      }
    };
    return [
      { header: '查询码', width: 16, value: (r) => r.tracking_code },
      { header: '标题', width: 36, value: (r) => r.title },
      { header: '状态', width: 10, value: (r) => STATUS_LABELS[r.status as AppealStatus]?.zh ?? r.status },
      { header: '诉求类型', width: 8, value: (r) => APPEAL_TYPE_LABELS[r.type as AppealType]?.zh ?? r.type },
      { header: '诉求分类', width: 14, value: (r) => (r.category_id ? (cats.get(r.category_id) ?? r.category_id) : '') },
      { header: '紧急程度', width: 8, value: (r) => URGENCY_LABELS[r.urgency] ?? r.urgency },
      { header: '渠道', width: 8, value: (r) => CHANNEL_LABELS[r.channel] ?? r.channel },
      { header: '所属区域', width: 12, value: (r) => regions.get(r.region_code) ?? r.region_code },
      { header: '受理中心', width: 16, value: (r) => units.get(r.intake_unit_id) ?? r.intake_unit_id },
      { header: '承办单位', width: 16, value: (r) => (r.unit_id ? (units.get(r.unit_id) ?? r.unit_id) : '') },
      { header: '受理时间', width: 17, value: (r) => localDateTime(r.created_at) },
      { header: '响应时限', width: 17, value: (r) => localDateTime(r.response_due_at) },
      { header: '办理时限', width: 17, value: (r) => localDateTime(r.handle_due_at) },
      { header: '首次联系', width: 17, value: (r) => localDateTime(r.first_contact_at) },
      { header: '答复时间', width: 17, value: (r) => localDateTime(r.replied_at) },
      { header: '办结时间', width: 17, value: (r) => localDateTime(r.closed_at) },
      { header: '是否超期', width: 8, value: (r) => (isHandleOverdue({ status: r.status, handleOverdue: r.handle_overdue === 1, handleDueAt: r.handle_due_at }, now) ? '是' : '否') },
      { header: '督办级别', width: 8, value: (r) => r.supervision_level },
      { header: '轮次', width: 6, value: (r) => r.round },
      { header: '退单次数', width: 8, value: (r) => r.return_count },
      { header: '重办次数', width: 8, value: (r) => r.reopen_count },
      { header: '评价', width: 10, value: (r) => (r.last_rating_level ? FACES[r.last_rating_level] : '') },
      { header: '匿名', width: 6, value: (r) => (r.anonymous === 1 ? '是' : '否') },
      { header: '来电人', width: 10, value: (r) => (unmask ? dec(r.citizen_name_enc) : maskName(dec(r.citizen_name_enc))) },
      { header: '联系电话', width: 14, value: (r) => (unmask ? dec(r.citizen_phone_enc) : maskPhone(dec(r.citizen_phone_enc))) },
      { header: '诉求地址', width: 30, value: (r) => (unmask ? dec(r.address_enc) : maskAddress(dec(r.address_enc))) },
    ];
  }

  /** The appeal list as a file. Unmasking needs pii.unmask and a reason; every export is audited. */
  async appeals(p: StaffPrincipal, f: ExportFilters, opts: { format: TableFormat; unmask?: boolean | undefined; reason?: string | undefined }): Promise<ExportResult> {
    requirePermission(p, 'appeal.read');
    const unmask = opts.unmask === true;
    if (unmask) {
      requirePermission(p, 'pii.unmask');
      if (!opts.reason || opts.reason.trim().length < 4) throw errors.validation('导出明文个人信息须填写原因(至少4个字)', 'State a reason (at least 4 characters) to export personal data in clear', { field: 'reason' });
    }
    const columns = await this.appealColumns(unmask);
    const now = this.s.ctx.now();
    const sheet: SheetDef<AppealTable> = {
      name: '诉求清单',
      caption: [`民标 · 诉求清单(导出时间 ${localDateTime(now)}${unmask ? ',含个人信息明文,注意保密' : ',个人信息已脱敏'})`],
      columns,
      rows: this.appealRows(p, f),
    };
    const details = { format: opts.format, filters: f, unmask, reason: unmask ? opts.reason!.trim() : undefined };
    // Audited before the first row leaves; a failure while streaming is recorded too.
    await this.s.audit.record(p, { action: unmask ? 'appeal.export.unmasked' : 'appeal.export', objectType: 'appeal', objectId: null, outcome: 'success', details });
    const stream = tableStream(opts.format, [sheet], (rows, error) => {
      if (!error) return;
      void this.s.audit
        .record(p, { action: unmask ? 'appeal.export.unmasked' : 'appeal.export', objectType: 'appeal', objectId: null, outcome: 'failure', details: { ...details, rows, error: error.message.slice(0, 200) } })
        .catch((e: unknown) => this.s.ctx.log.error({ err: e }, 'export audit failed'));
    });
    return { stream, fileName: `诉求清单-${stamp(now)}.${opts.format}`, contentType: opts.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }

  rankingColumns(): ColumnDef<RankingRow>[] {
    return [
      { header: '名次', width: 6, value: (r) => r.index.rank },
      { header: '名次95%区间', width: 12, value: (r) => `${r.index.rankInterval95[0]}–${r.index.rankInterval95[1]}` },
      { header: '单位', width: 24, value: (r) => r.name },
      { header: '诉求量', width: 8, value: (r) => r.volume },
      { header: '参评', width: 8, value: (r) => r.assessed },
      { header: '有效评价', width: 8, value: (r) => r.rated },
      { header: '响应率', width: 9, numFmt: '0.00%', value: (r) => pct(r.raw.response) },
      { header: '解决率', width: 9, numFmt: '0.00%', value: (r) => pct(r.raw.resolution) },
      { header: '满意率', width: 9, numFmt: '0.00%', value: (r) => pct(r.raw.satisfaction) },
      { header: '民标指数(原始)', width: 12, value: (r) => num1(r.raw.index) },
      { header: '民标指数(校正)', width: 12, value: (r) => num1(r.index.estimate) },
      { header: '指数95%区间', width: 14, value: (r) => interval(r.index.interval95) },
      { header: '优于中位数概率', width: 12, numFmt: '0.0%', value: (r) => pct(r.index.pBetterThanMedian) },
      { header: '与中位数可区分', width: 12, value: (r) => (r.index.notDistinguishableFromMedian ? '否' : '是') },
      { header: '满意率O/E', width: 10, value: (r) => (r.caseMix.satisfactionOE === null ? null : Math.round(r.caseMix.satisfactionOE * 100) / 100) },
      { header: '本人范围内', width: 10, value: (r) => (r.inScope ? '是' : '否') },
    ];
  }

  /** A peer group's ranking (as GET /api/v1/metrics/rankings shows it) as a file; the unranked units on a second sheet. */
  async rankings(p: StaffPrincipal, q: { period?: string | undefined; peerGroup?: string | undefined }, format: TableFormat): Promise<ExportResult> {
    const r = await this.s.scoring.rankings(p, { period: q.period, peerGroup: q.peerGroup });
    const caption = [`民标 · ${r.labelZh} 排名 · ${r.period.label}(${r.period.from} 至 ${r.period.to})`, `经验贝叶斯校正,${r.draws} 次模拟;区间为95%;与中位数不可区分的单位不宜列入红黑榜`];
    const sheets: SheetDef<any>[] = [
      { name: '排名', caption, columns: this.rankingColumns(), rows: fromArray(r.units) },
      {
        name: '未排名',
        columns: [
          { header: '单位', width: 24, value: (u: (typeof r.unranked)[number]) => u.name },
          { header: '诉求量', width: 8, value: (u: (typeof r.unranked)[number]) => u.volume },
          { header: '原因', width: 30, value: (u: (typeof r.unranked)[number]) => (u.reason === 'no-valid-ratings' ? '本期无有效评价' : '本期无响应数据') },
        ],
        rows: fromArray(r.unranked),
      },
    ];
    await this.s.audit.record(p, { action: 'metrics.export', objectType: 'peer_group', objectId: r.peerGroup, outcome: 'success', details: { kind: 'rankings', period: r.period.label, format, rows: r.units.length } });
    const stream = tableStream(format, sheets);
    return { stream, fileName: `排名-${r.peerGroup.replace(/[^A-Za-z0-9_-]/g, '_')}-${r.period.label}.${format}`, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }

  figuresColumns<T>(get: (row: T) => FiguresView, label: { header: string; value: (row: T) => string }): ColumnDef<T>[] {
    return [
      { header: label.header, width: 24, value: label.value },
      { header: '诉求量', width: 8, value: (r) => get(r).volume },
      { header: '参评', width: 8, value: (r) => get(r).assessed },
      { header: '有效评价', width: 8, value: (r) => get(r).rated },
      { header: '响应率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).response.value) },
      { header: '解决率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).resolution.value) },
      { header: '满意率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).satisfaction.value) },
      { header: '民标指数', width: 10, value: (r) => num1(get(r).index.value) },
      { header: '指数95%区间', width: 14, value: (r) => interval(get(r).index.interval95) },
      { header: '按期办结率', width: 10, numFmt: '0.00%', value: (r) => pct(get(r).onTimeClosure.value) },
      { header: '回退率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).returnRate.value) },
      { header: '重办率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).reopenRate.value) },
      { header: '延期率', width: 9, numFmt: '0.00%', value: (r) => pct(get(r).extensionRate.value) },
    ];
  }

  /** A breakdown (by child unit, unit, category, region or peer group) as a file. */
  async breakdown(p: StaffPrincipal, q: { period?: string | undefined; unitId?: string | undefined; by?: 'child' | 'unit' | 'category' | 'region' | 'peerGroup' | undefined }, format: TableFormat): Promise<ExportResult> {
    const r = await this.s.scoring.breakdown(p, q);
    type Item = (typeof r.items)[number];
    const byLabel: Record<string, string> = { child: '下级单位', unit: '单位', category: '诉求分类', region: '行政区划', peerGroup: '同类单位组' };
    const sheet: SheetDef<Item> = {
      name: '分项',
      caption: [`民标 · 分项统计(按${byLabel[r.by]})· ${r.period.label}(${r.period.from} 至 ${r.period.to})`],
      columns: this.figuresColumns<Item>((i) => i.figures, { header: byLabel[r.by] ?? r.by, value: (i) => i.labelZh }),
      rows: fromArray(r.items),
    };
    await this.s.audit.record(p, { action: 'metrics.export', objectType: 'unit', objectId: r.unitId, outcome: 'success', details: { kind: 'breakdown', by: r.by, period: r.period.label, format, rows: r.items.length } });
    const stream = tableStream(format, [sheet]);
    return { stream, fileName: `分项-${r.by}-${r.period.label}.${format}`, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
}
