// The monthly 通报 (docs/interop.md §4): everything it says comes from the evaluation engine
// (ScoringService — figures, rankings with intervals, the not-distinguishable-from-median rule that
// decides the 红黑榜), from the appeal events (overdue and reopened this month), the ratings (typical
// cases, anonymised) and the text-intelligence hotspot detector; rendered as Word (reportDocx.ts)
// or as the full tables in .xlsx (reportXlsx.ts). When the month has been published (frozen), the
// per-unit figures and the rankings are the snapshot's, and the document says so.
// Its reads go to `ctx.readDb` (a replica when DATABASE_READ_URL is set), except the month's key
// problem and the snapshot, which are set or published just before and read from the primary.
import { APPEAL_TYPE_LABELS, RATING_LABELS, type AppealType, type RatingLevel } from '../../domain/appeal/types.ts';
import { makeStaff, type StaffPrincipal } from '../principal.ts';
import { HotspotDetector } from '../../domain/text/hotspots.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { maskAddress } from '../../lib/pii.ts';
import { scopeFilter } from '../../store/repositories/appeals.ts';
import { repos } from '../../store/repositories/index.ts';
import type { Services } from '../index.ts';
import { requirePermission } from '../principal.ts';
import type { FiguresView, RankingRow } from '../scoring/engine.ts';
import type { ScorePeriod } from '../scoring/period.ts';
import { peerGroupLabel, type TrendPoint, type UnitRef } from '../scoring/service.ts';
import { publicText } from './open311.ts';
import { renderDocx } from './reportDocx.ts';
import { renderXlsx } from './reportXlsx.ts';

export const KEY_PROBLEM_SETTING = 'report.key-problem';

export interface KeyProblem {
  title: string;
  categoryId: string | null;
  note: string | null;
  setBy: string | null;
  setAt: number | null;
}

export interface CaseLine {
  trackingCode: string;
  unitName: string;
  categoryName: string;
  createdAt: number;
  dueAt: number;
  eventAt: number;
  /** Days past the handling deadline (overdue), or the reopening round (reopened). */
  measure: number;
  summary: string;
  reason: string | null;
}

export interface CaseStory {
  trackingCode: string;
  unitName: string;
  categoryName: string;
  typeLabel: string;
  createdAt: number;
  ratedAt: number;
  level: RatingLevel;
  solved: string;
  hoursToContact: number | null;
  daysToReply: number | null;
  summary: string;
  reply: string | null;
  comment: string | null;
  reopened: boolean;
}

export interface GroupLists {
  peerGroup: string;
  labelZh: string;
  draws: number;
  units: number;
  /** Ranked units of the bulletin's scope, by rank. */
  rows: RankingRow[];
  /** Better than the peer median beyond doubt (diffFromMedian95 above 0). */
  red: RankingRow[];
  /** Worse than the peer median beyond doubt (diffFromMedian95 below 0). */
  black: RankingRow[];
  unranked: { unitId: string; name: string; reason: string; volume: number }[];
}

export interface HotspotLine {
  label: string;
  messages: number;
  citizens: number;
  region: string | null;
  keywords: string[];
  firstDay: string;
  lastDay: string;
}

export interface MonthlyReportData {
  period: ScorePeriod;
  generatedAt: number;
  scope: UnitRef;
  source: { kind: 'snapshot'; id: string; publishedAt: number; publishedBy: string | null; contentHash: string } | { kind: 'live'; asOf: number };
  complete: boolean;
  weights: { response: number; resolution: number; satisfaction: number };
  figures: FiguresView;
  faces: { level: number; labelZh: string; count: number }[];
  trend: TrendPoint[];
  previous: TrendPoint | null;
  children: { unitId: string; name: string; figures: FiguresView }[];
  units: { unitId: string; name: string; peerGroup: string; peerLabel: string; figures: FiguresView }[];
  groups: GroupLists[];
  hotspots: HotspotLine[];
  keyProblem: (KeyProblem & { suggested: boolean; figures: FiguresView | null }) | null;
  overdue: { count: number; byUnit: { name: string; count: number }[]; cases: CaseLine[] };
  reopened: { count: number; byUnit: { name: string; count: number }[]; cases: CaseLine[] };
  good: CaseStory[];
  bad: CaseStory[];
}

export interface ReportFile {
  buffer: Buffer;
  fileName: string;
  contentType: string;
  summary: { unit: string; source: string; appeals: number; red: number; black: number; hotspots: number };
}

const DAY = 86_400_000;
const SOLVED_ZH: Record<string, string> = { yes: '已解决', partly: '部分解决', no: '未解决' };

export class ReportService {
  constructor(private readonly s: Services) {}

  /** The principal of the command line: a leader's view of the chosen root (the operator runs on the host). */
  private async principalFor(p: StaffPrincipal | null, unitId: string | undefined): Promise<StaffPrincipal> {
    if (p) return p;
    const all = await this.s.org.all();
    const root = unitId ? all.find((u) => u.id === unitId) : all.find((u) => u.parentId === null);
    if (!root) throw unitId ? errors.notFound(`Unit ${unitId}`, '单位') : new AppError(409, 'NO_ORG', '尚未配置组织机构', 'The organisation tree has not been set up');
    return makeStaff({ userId: 'cli', username: 'cli', displayName: '命令行', unitId: root.id, roles: ['leader'], scopePath: root.path, scopeRootId: root.id, sessionId: null, ip: null });
  }

  private monthOf(spec: string): ScorePeriod {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(spec)) throw new AppError(400, 'PERIOD_INVALID', `通报周期须为月份,如 2026-10(收到「${spec}」)`, `The bulletin period must be a month such as 2026-10 (got "${spec}")`, { field: 'period' });
    return this.s.scoring.period(spec);
  }

  // ---- 每月一题 ----

  async keyProblem(periodLabel: string): Promise<KeyProblem | null> {
    return (await repos.settings.get<KeyProblem>(this.s.ctx.db, `${KEY_PROBLEM_SETTING}:${periodLabel}`)) ?? null;
  }

  /** The leader names the month's key problem (每月一题); audited. */
  async setKeyProblem(p: StaffPrincipal, spec: string, input: { title: string; categoryId?: string | null | undefined; note?: string | null | undefined }): Promise<KeyProblem> {
    requirePermission(p, 'metrics.publish');
    const period = this.monthOf(spec);
    if (input.categoryId) await this.s.categories.require(input.categoryId);
    const now = this.s.ctx.now();
    const v: KeyProblem = { title: input.title.trim(), categoryId: input.categoryId ?? null, note: input.note?.trim() || null, setBy: p.displayName || p.username, setAt: now };
    await this.s.ctx.db.transaction().execute(async (trx) => {
      await repos.settings.set(trx, `${KEY_PROBLEM_SETTING}:${period.label}`, v, now, p.userId);
      await this.s.audit.record(p, { action: 'report.key-problem.set', objectType: 'setting', objectId: `${KEY_PROBLEM_SETTING}:${period.label}`, outcome: 'success', details: { ...v } }, trx);
    });
    return v;
  }

  // ---- the data ----

  async data(principal: StaffPrincipal | null, q: { period: string; unitId?: string | undefined }): Promise<MonthlyReportData> {
    const p = await this.principalFor(principal, q.unitId);
    const period = this.monthOf(q.period);
    const now = this.s.ctx.now();
    const scoring = this.s.scoring;
    const summary = await scoring.summary(p, { period: period.label, unitId: q.unitId ?? p.scopeRootId });
    const scope = summary.scope;
    const root = await this.s.org.require(scope.unitId);
    const units = new Map((await this.s.org.all()).map((u) => [u.id, u] as const));
    const inScope = (id: string) => !!units.get(id)?.path.startsWith(root.path);

    const snapRow = await scoring.findSnapshotByPeriod(period.label);
    let source: MonthlyReportData['source'] = { kind: 'live', asOf: now };
    let unitFigures: MonthlyReportData['units'];
    let rankings: { peerGroup: string; draws: number; units: RankingRow[]; unranked: GroupLists['unranked'] }[];
    if (snapRow) {
      const snap = await scoring.getSnapshot(p, snapRow.id);
      source = { kind: 'snapshot', id: snapRow.id, publishedAt: Number(snapRow.published_at), publishedBy: snapRow.published_by, contentHash: snapRow.content_hash };
      unitFigures = snap.units.filter((u) => inScope(u.key)).map((u) => ({ unitId: u.key, name: units.get(u.key)?.name ?? u.name, peerGroup: u.peerGroup, peerLabel: peerGroupLabel(u.peerGroup).zh, figures: u.figures }));
      rankings = snap.rankings.map((g) => ({ peerGroup: g.key, draws: g.draws, units: g.units, unranked: g.unranked.map(({ unitId, name, reason, volume }) => ({ unitId, name, reason, volume })) }));
    } else {
      const byUnit = await scoring.breakdown(p, { period: period.label, unitId: scope.unitId, by: 'unit' });
      unitFigures = byUnit.items.map((i) => {
        const u = units.get(i.key)!;
        return { unitId: i.key, name: u?.name ?? i.labelZh, peerGroup: u?.peerGroup ?? '', peerLabel: peerGroupLabel(u?.peerGroup ?? '').zh, figures: i.figures };
      });
      rankings = [];
      for (const g of (await scoring.peerGroups(p)).items) {
        if (g.unitsInScope === 0) continue;
        const r = await scoring.rankings(p, { period: period.label, peerGroup: g.peerGroup });
        rankings.push({ peerGroup: g.peerGroup, draws: r.draws, units: r.units, unranked: r.unranked });
      }
    }
    unitFigures = unitFigures.filter((u) => u.figures.volume > 0).sort((a, b) => a.peerGroup.localeCompare(b.peerGroup) || (b.figures.index.value ?? -1) - (a.figures.index.value ?? -1) || a.unitId.localeCompare(b.unitId));

    const groups: GroupLists[] = rankings
      .map((g) => {
        const rows = g.units.filter((r) => inScope(r.unitId)).sort((a, b) => a.index.rank - b.index.rank || a.unitId.localeCompare(b.unitId));
        return {
          peerGroup: g.peerGroup,
          labelZh: peerGroupLabel(g.peerGroup).zh,
          draws: g.draws,
          units: g.units.length + g.unranked.length,
          rows,
          // Only units whose difference from the peer median is clear of zero are named (docs/metrics.md).
          red: rows.filter((r) => !r.index.notDistinguishableFromMedian && r.index.diffFromMedian95[0] > 0),
          black: rows.filter((r) => !r.index.notDistinguishableFromMedian && r.index.diffFromMedian95[1] < 0).reverse(),
          unranked: g.unranked.filter((u) => inScope(u.unitId)),
        };
      })
      .filter((g) => g.rows.length > 0 || g.unranked.length > 0)
      .sort((a, b) => a.peerGroup.localeCompare(b.peerGroup));

    const childrenBreakdown = await scoring.breakdown(p, { period: period.label, unitId: scope.unitId, by: 'child' });
    const children = childrenBreakdown.items.filter((i) => i.figures.volume > 0).map((i) => ({ unitId: i.key, name: i.labelZh, figures: i.figures }));

    const trend = summary.trend;
    const idx = trend.findIndex((t) => t.period === period.label);
    const previous = idx > 0 ? trend[idx - 1]! : null;

    const hotspots = await this.hotspots(period, root.path);
    let keyProblem: MonthlyReportData['keyProblem'] = null;
    const named = await this.keyProblem(period.label);
    if (named) {
      let figures: FiguresView | null = null;
      if (named.categoryId) {
        const byCat = await scoring.breakdown(p, { period: period.label, unitId: scope.unitId, by: 'category' });
        figures = byCat.items.find((i) => i.key === named.categoryId)?.figures ?? null;
      }
      keyProblem = { ...named, suggested: false, figures };
    } else if (hotspots[0]) {
      keyProblem = { title: hotspots[0].label, categoryId: null, note: `本月热度最高的问题(${hotspots[0].messages}件,涉及${hotspots[0].citizens}名群众),建议列为下月“每月一题”`, setBy: null, setAt: null, suggested: true, figures: null };
    }

    const overdue = await this.eventCases(period, root.path, 'mark_overdue');
    const reopened = await this.eventCases(period, root.path, 'reopen');
    const { good, bad } = await this.typicalCases(period, root.path);

    return {
      period,
      generatedAt: now,
      scope,
      source,
      complete: period.end <= now,
      weights: summary.weights,
      figures: summary.figures,
      faces: summary.faces.map((f) => ({ level: f.level, labelZh: f.labelZh, count: f.count })),
      trend,
      previous,
      children,
      units: unitFigures,
      groups,
      hotspots,
      keyProblem,
      overdue,
      reopened,
      good,
      bad,
    };
  }

  /** Hotspots of the month's appeals in scope (the text module's incremental clustering), labels anonymised. */
  private async hotspots(period: ScorePeriod, rootPath: string): Promise<HotspotLine[]> {
    const regions = await this.s.org.regions();
    const regionName = new Map(regions.map((r) => [r.code, r.name] as const));
    const rows = await this.s.ctx.readDb
      .selectFrom('appeals')
      .select(['id', 'created_at', 'title', 'body', 'citizen_phone_idx', 'region_code', 'address_enc'])
      .where(scopeFilter([rootPath]))
      .where('created_at', '>=', period.start)
      .where('created_at', '<', period.end)
      .where('status', '!=', 'merged')
      .orderBy('created_at', 'desc')
      .limit(20_000)
      .execute();
    rows.reverse();
    const det = new HotspotDetector({ knownPlaces: regions.map((r) => r.name) });
    for (const r of rows) {
      det.add({ id: r.id, time: Number(r.created_at), title: r.title, text: r.body, citizenKey: r.citizen_phone_idx, regionCode: r.region_code });
    }
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    return det.top(5, period.end - 1, { minMessages: 3 }).map((h) => ({
      label: publicText(h.label),
      messages: h.messages,
      citizens: h.citizens,
      region: h.regionCode ? (regionName.get(h.regionCode) ?? null) : null,
      keywords: h.keywords.slice(0, 6).map((k) => publicText(k)),
      firstDay: day(h.firstTime),
      lastDay: day(h.lastTime),
    }));
  }

  private async names() {
    const units = new Map((await this.s.org.all()).map((u) => [u.id, u.name] as const));
    const cats = new Map((await this.s.categories.all()).map((c) => [c.id, c.name] as const));
    return { unit: (id: string | null) => (id ? (units.get(id) ?? id) : '未派单'), category: (id: string | null) => (id ? (cats.get(id) ?? id) : '未分类') };
  }

  /** Text about an appeal made fit for a bulletin: the citizen's name, phone and address masked, patterns too. */
  private anonymise(text: string, row: { citizen_name_enc: string | null; citizen_phone_enc: string | null; address_enc: string | null }): string {
    const pii = this.s.ctx.pii;
    const dec = (b: string | null) => {
      try {
        return pii.decrypt(b);
      } catch {
        return null;
      }
    };
    let t = publicText(text, { name: dec(row.citizen_name_enc), phone: dec(row.citizen_phone_enc) });
    const address = dec(row.address_enc);
    if (address && address.length >= 4) t = t.split(address).join(maskAddress(address) ?? '');
    return t;
  }

  /** Appeals that went overdue (handling deadline) or were reopened this month, from their events. */
  private async eventCases(period: ScorePeriod, rootPath: string, action: 'mark_overdue' | 'reopen'): Promise<MonthlyReportData['overdue']> {
    const n = await this.names();
    let q = this.s.ctx.readDb
      .selectFrom('appeal_events')
      .innerJoin('appeals', 'appeals.id', 'appeal_events.appeal_id')
      .select(['appeals.tracking_code', 'appeals.unit_id', 'appeals.category_id', 'appeals.created_at', 'appeals.handle_due_at', 'appeals.closed_at', 'appeals.title', 'appeals.round', 'appeals.citizen_name_enc', 'appeals.citizen_phone_enc', 'appeals.address_enc', 'appeal_events.at', 'appeal_events.payload'])
      .where(scopeFilter([rootPath]))
      .where('appeal_events.action', '=', action)
      .where('appeal_events.at', '>=', period.start)
      .where('appeal_events.at', '<', period.end);
    if (action === 'mark_overdue') q = q.where('appeal_events.payload', 'like', '%"kind":"handle"%');
    const rows = await q.orderBy('appeal_events.at').limit(50_000).execute();
    const byUnit = new Map<string, number>();
    const seen = new Set<string>();
    const cases: CaseLine[] = [];
    for (const r of rows) {
      if (seen.has(r.tracking_code)) continue;
      seen.add(r.tracking_code);
      const unitName = n.unit(r.unit_id);
      byUnit.set(unitName, (byUnit.get(unitName) ?? 0) + 1);
      const payload = JSON.parse(r.payload) as { dueAt?: number; reason?: string };
      const due = payload.dueAt ?? Number(r.handle_due_at);
      const end = r.closed_at ? Number(r.closed_at) : Math.min(this.s.ctx.now(), period.end);
      cases.push({
        trackingCode: r.tracking_code,
        unitName,
        categoryName: n.category(r.category_id),
        createdAt: Number(r.created_at),
        dueAt: due,
        eventAt: Number(r.at),
        measure: action === 'mark_overdue' ? Math.max(0, Math.round(((end - due) / DAY) * 10) / 10) : r.round,
        summary: this.anonymise(r.title, r),
        reason: action === 'reopen' && payload.reason ? this.anonymise(payload.reason, r) : null,
      });
    }
    cases.sort((a, b) => b.measure - a.measure || a.trackingCode.localeCompare(b.trackingCode));
    return {
      count: seen.size,
      byUnit: [...byUnit].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      cases,
    };
  }

  /** Typical cases of the month from the ratings: the best (😄 and solved) and the worst (bottom two faces), one per unit. */
  private async typicalCases(period: ScorePeriod, rootPath: string): Promise<{ good: CaseStory[]; bad: CaseStory[] }> {
    const n = await this.names();
    const base = () =>
      this.s.ctx.readDb
        .selectFrom('ratings')
        .innerJoin('appeals', 'appeals.id', 'ratings.appeal_id')
        .select(['appeals.tracking_code', 'appeals.unit_id', 'appeals.category_id', 'appeals.type', 'appeals.created_at', 'appeals.first_contact_at', 'appeals.replied_at', 'appeals.title', 'appeals.reply', 'appeals.reopen_count', 'appeals.citizen_name_enc', 'appeals.citizen_phone_enc', 'appeals.address_enc', 'ratings.level', 'ratings.solved', 'ratings.comment', 'ratings.rated_at', 'ratings.unit_id as rated_unit'])
        .where(scopeFilter([rootPath]))
        .where('ratings.rated_at', '>=', period.start)
        .where('ratings.rated_at', '<', period.end);
    const story = (r: Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number]): CaseStory => ({
      trackingCode: r.tracking_code,
      unitName: n.unit(r.rated_unit ?? r.unit_id),
      categoryName: n.category(r.category_id),
      typeLabel: APPEAL_TYPE_LABELS[r.type as AppealType]?.zh ?? r.type,
      createdAt: Number(r.created_at),
      ratedAt: Number(r.rated_at),
      level: r.level as RatingLevel,
      solved: SOLVED_ZH[r.solved] ?? r.solved,
      hoursToContact: r.first_contact_at ? Math.round(((Number(r.first_contact_at) - Number(r.created_at)) / 3600_000) * 10) / 10 : null,
      daysToReply: r.replied_at ? Math.round(((Number(r.replied_at) - Number(r.created_at)) / DAY) * 10) / 10 : null,
      summary: this.anonymise(r.title, r),
      reply: r.reply ? this.anonymise([...r.reply].slice(0, 120).join(''), r) : null,
      comment: r.comment ? this.anonymise([...r.comment].slice(0, 80).join(''), r) : null,
      reopened: r.reopen_count > 0,
    });
    const pick = (rows: Awaited<ReturnType<ReturnType<typeof base>['execute']>>) => {
      const out: CaseStory[] = [];
      const units = new Set<string>();
      for (const r of rows) {
        const u = r.rated_unit ?? r.unit_id ?? '';
        if (units.has(u)) continue;
        units.add(u);
        out.push(story(r));
        if (out.length === 3) break;
      }
      return out;
    };
    const good = await base().where('ratings.level', '=', 5).where('ratings.solved', '=', 'yes').orderBy('ratings.rated_at', 'desc').orderBy('appeals.tracking_code').limit(500).execute();
    const bad = await base().where('ratings.level', '<=', 2).orderBy('ratings.level').orderBy('ratings.rated_at', 'desc').orderBy('appeals.tracking_code').limit(500).execute();
    // Cases where the citizen said something in their own words first, then those with a reply.
    const withText = <T extends { comment: string | null; reply: string | null }>(rows: T[]) => [...rows.filter((r) => r.comment), ...rows.filter((r) => !r.comment && r.reply), ...rows.filter((r) => !r.comment && !r.reply)];
    return { good: pick(withText(good)), bad: pick(withText(bad)) };
  }

  // ---- the files ----

  async monthly(principal: StaffPrincipal | null, q: { period: string; unitId?: string | undefined; format: 'docx' | 'xlsx' }): Promise<ReportFile> {
    const data = await this.data(principal, q);
    const buffer = q.format === 'docx' ? await renderDocx(data) : await renderXlsx(data);
    const p = await this.principalFor(principal, q.unitId);
    await this.s.audit.record(p.userId === 'cli' ? { kind: 'system', job: 'cli' } : p, {
      action: 'report.monthly',
      objectType: 'unit',
      objectId: data.scope.unitId,
      outcome: 'success',
      details: { period: data.period.label, format: q.format, source: data.source.kind, bytes: buffer.length },
    });
    return {
      buffer,
      fileName: `民标评价通报-${data.scope.shortName || data.scope.name}-${data.period.label}.${q.format}`,
      contentType: q.format === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      summary: {
        unit: data.scope.name,
        source: data.source.kind,
        appeals: data.figures.volume,
        red: data.groups.reduce((n, g) => n + g.red.length, 0),
        black: data.groups.reduce((n, g) => n + g.black.length, 0),
        hotspots: data.hotspots.length,
      },
    };
  }
}

export { RATING_LABELS };
