// Hotspots (热点) of the deployment (DESIGN.md §7): an incremental clustering of the appeals of the last
// 90 days by topic and place, kept in memory and caught up from the database (so every instance sees
// every appeal), persisted by a periodic refresh with stable ids so leaders can follow a hotspot from
// the day it appears until it is resolved (化解) — which feeds the 潜绩 slot 热点化解 of its owner unit.
import { HotspotDetector, type Hotspot } from '../../domain/text/index.ts';
import { makeRate } from '../../domain/metrics/rates.ts';
import { OPEN_STATUSES, type AppealStatus } from '../../domain/appeal/types.ts';
import type { HotspotsResolved } from '../../domain/metrics/latent.ts';
import { inScope } from '../../domain/access/scope.ts';
import { errors } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { AppealTail } from './appeal-tail.ts';
import type { HotspotTable } from '../../store/text-schema.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type StaffPrincipal } from '../principal.ts';

const DAY = 86_400_000;
const WINDOW_MS = 90 * DAY;
/** Hotspots kept per refresh (the rest are noise for a leader). */
const TOP = 60;
/** A detected hotspot continues a stored one when they share at least this share of the smaller one's appeals. */
const SAME_HOTSPOT_OVERLAP = 0.34;
/** Resolved (化解): at least this share of its appeals closed, and the last 14 days' volume at most half its peak. */
const CLOSED_SHARE = 0.8;
const QUIET_SPAN = 14 * DAY;

export interface HotspotView {
  id: string;
  label: string;
  place: string | null;
  problem: string;
  keywords: string[];
  heat: number;
  heatParts: Record<string, number>;
  appeals: number;
  citizens: number;
  trend: { day: string; count: number }[];
  ownerUnit: { id: string; name: string } | null;
  regionCode: string | null;
  status: 'active' | 'resolved';
  firstAt: string;
  lastAt: string;
  resolvedAt: string | null;
}

export interface RefreshReport {
  detected: number;
  created: number;
  updated: number;
  resolved: number;
  appealsIndexed: number;
}

export class HotspotService {
  private detector: HotspotDetector | null = null;
  private readonly tail: AppealTail;
  private refreshing: Promise<RefreshReport> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
  ) {
    this.tail = new AppealTail(ctx, WINDOW_MS, { skipMerged: true });
  }

  /** Adds the appeals stored since the last call (by any instance) to the clustering. */
  private async catchUp(): Promise<HotspotDetector> {
    if (!this.detector) {
      const regions = await this.org.regions();
      this.detector = new HotspotDetector({ windowMs: WINDOW_MS, knownPlaces: regions.map((r) => r.name) });
    }
    const d = this.detector;
    await this.tail.catchUp((a) => d.add({ id: a.id, time: a.createdAt, title: a.title, text: a.body, citizenKey: a.phoneIdx, regionCode: a.regionCode }));
    return d;
  }

  /** Detects, persists with stable ids, and settles which hotspots are resolved. One refresh at a time. */
  refresh(): Promise<RefreshReport> {
    this.refreshing ??= this.runRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async runRefresh(): Promise<RefreshReport> {
    const detector = await this.catchUp();
    const now = this.ctx.now();
    const found = detector.top(TOP, now, { minMessages: 3 });
    const report: RefreshReport = { detected: found.length, created: 0, updated: 0, resolved: 0, appealsIndexed: detector.messageCount };
    const db = this.ctx.db;
    const seen = new Set<string>();
    for (const h of found) {
      const ids = h.messageIds;
      const owner = await this.ownerOf(ids);
      // Continue the stored hotspot that shares the most appeals, if enough.
      const overlaps = ids.length
        ? await db
            .selectFrom('hotspot_appeals')
            .select(['hotspot_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where('appeal_id', 'in', ids.slice(0, 2000))
            .groupBy('hotspot_id')
            .orderBy('n', 'desc')
            .limit(5)
            .execute()
        : [];
      let id: string | null = null;
      for (const o of overlaps) {
        if (seen.has(o.hotspot_id)) continue;
        const prev = await db.selectFrom('hotspots').select(['appeals', 'status']).where('id', '=', o.hotspot_id).executeTakeFirst();
        if (prev && Number(o.n) >= SAME_HOTSPOT_OVERLAP * Math.min(prev.appeals, ids.length)) {
          id = o.hotspot_id;
          break;
        }
      }
      const values = this.rowOf(h, owner, now);
      await db.transaction().execute(async (trx) => {
        if (id) {
          await trx.updateTable('hotspots').set(values).where('id', '=', id).execute();
          await trx.deleteFrom('hotspot_appeals').where('hotspot_id', '=', id).execute();
          report.updated++;
        } else {
          id = newId(now);
          await trx.insertInto('hotspots').values({ id, ...values, status: 'active', resolved_at: null, first_at: h.firstTime }).execute();
          report.created++;
        }
        for (let i = 0; i < ids.length; i += 500) {
          await trx.insertInto('hotspot_appeals').values(ids.slice(i, i + 500).map((appeal_id) => ({ hotspot_id: id!, appeal_id }))).execute();
        }
      });
      seen.add(id!);
    }
    report.resolved = await this.settle(now);
    return report;
  }

  private rowOf(h: Hotspot, owner: { id: string; path: string } | null, now: number): Omit<HotspotTable, 'id' | 'status' | 'resolved_at' | 'first_at'> {
    return {
      region_code: h.regionCode,
      label: h.label,
      place: h.place,
      problem: h.problem,
      keywords: JSON.stringify(h.keywords),
      heat: h.heat,
      heat_parts: JSON.stringify(h.heatParts),
      appeals: h.messages,
      citizens: h.citizens,
      trend: JSON.stringify(h.trend),
      owner_unit_id: owner?.id ?? null,
      owner_unit_path: owner?.path ?? null,
      last_at: h.lastTime,
      updated_at: now,
    };
  }

  /** The unit holding most of the hotspot's appeals (else the 综治中心 that took most of them in). */
  private async ownerOf(ids: readonly string[]): Promise<{ id: string; path: string } | null> {
    if (ids.length === 0) return null;
    const rows = await this.ctx.db.selectFrom('appeals').select(['unit_id', 'intake_unit_id']).where('id', 'in', ids.slice(0, 2000)).execute();
    const count = new Map<string, number>();
    for (const r of rows) {
      const u = r.unit_id ?? r.intake_unit_id;
      count.set(u, (count.get(u) ?? 0) + (r.unit_id ? 2 : 1));
    }
    const best = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (!best) return null;
    const unit = await this.org.get(best[0]);
    return unit ? { id: unit.id, path: unit.path } : null;
  }

  /** Marks active hotspots resolved when most of their appeals are closed and their volume fell by half. */
  private async settle(now: number): Promise<number> {
    const db = this.ctx.db;
    const active = await db.selectFrom('hotspots').select(['id']).where('status', '=', 'active').execute();
    let resolved = 0;
    for (const h of active) {
      const members = await db
        .selectFrom('hotspot_appeals')
        .innerJoin('appeals', 'appeals.id', 'hotspot_appeals.appeal_id')
        .select(['appeals.status', 'appeals.created_at'])
        .where('hotspot_appeals.hotspot_id', '=', h.id)
        .execute();
      if (members.length === 0) continue;
      const open = members.filter((m) => OPEN_STATUSES.has(m.status as AppealStatus)).length;
      const closedShare = 1 - open / members.length;
      // The peak 14-day volume against the last 14 days.
      const times = members.map((m) => Number(m.created_at)).sort((a, b) => a - b);
      let peak = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= QUIET_SPAN) j++;
        peak = Math.max(peak, i - j + 1);
      }
      const recent = times.filter((t) => t > now - QUIET_SPAN).length;
      if (closedShare >= CLOSED_SHARE && recent * 2 <= peak && peak >= 3) {
        await db.updateTable('hotspots').set({ status: 'resolved', resolved_at: now, updated_at: now }).where('id', '=', h.id).execute();
        resolved++;
      }
    }
    return resolved;
  }

  // ------------------------------------------------------------------ reading

  async list(p: StaffPrincipal, q: { status?: 'active' | 'resolved' | undefined; limit?: number | undefined }): Promise<HotspotView[]> {
    requirePermission(p, 'metrics.read');
    let query = this.ctx.db.selectFrom('hotspots').selectAll();
    if (q.status) query = query.where('status', '=', q.status);
    const rows = await query.orderBy('heat', 'desc').orderBy('id').limit(500).execute();
    const visible = rows.filter((r) => this.visible(p, r));
    return Promise.all(visible.slice(0, q.limit ?? 20).map((r) => this.view(r)));
  }

  async get(p: StaffPrincipal, id: string): Promise<HotspotView & { appealIds: string[] }> {
    requirePermission(p, 'metrics.read');
    const row = await this.ctx.db.selectFrom('hotspots').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !this.visible(p, row)) throw errors.notFound(`Hotspot ${id}`, '热点');
    const members = await this.ctx.db.selectFrom('hotspot_appeals').select('appeal_id').where('hotspot_id', '=', id).orderBy('appeal_id', 'desc').execute();
    return { ...(await this.view(row)), appealIds: members.map((m) => m.appeal_id) };
  }

  /** The hotspots of the appeal (for the detail page). */
  async ofAppeal(appealId: string): Promise<{ id: string; label: string; status: string }[]> {
    return this.ctx.db
      .selectFrom('hotspot_appeals')
      .innerJoin('hotspots', 'hotspots.id', 'hotspot_appeals.hotspot_id')
      .select(['hotspots.id', 'hotspots.label', 'hotspots.status'])
      .where('hotspot_appeals.appeal_id', '=', appealId)
      .execute();
  }

  private visible(p: StaffPrincipal, r: Pick<HotspotTable, 'owner_unit_path'>): boolean {
    return r.owner_unit_path ? inScope(p.scopePath, r.owner_unit_path) : p.scopePath === '/';
  }

  private async view(r: HotspotTable): Promise<HotspotView> {
    const owner = r.owner_unit_id ? await this.org.get(r.owner_unit_id) : undefined;
    return {
      id: r.id,
      label: r.label,
      place: r.place,
      problem: r.problem,
      keywords: JSON.parse(r.keywords) as string[],
      heat: Math.round(r.heat * 10) / 10,
      heatParts: JSON.parse(r.heat_parts) as Record<string, number>,
      appeals: r.appeals,
      citizens: r.citizens,
      trend: JSON.parse(r.trend) as { day: string; count: number }[],
      ownerUnit: owner ? { id: owner.id, name: owner.name } : null,
      regionCode: r.region_code,
      status: r.status === 'resolved' ? 'resolved' : 'active',
      firstAt: new Date(Number(r.first_at)).toISOString(),
      lastAt: new Date(Number(r.last_at)).toISOString(),
      resolvedAt: r.resolved_at === null ? null : new Date(Number(r.resolved_at)).toISOString(),
    };
  }

  /**
   * 热点化解 of a unit (or its subtree) for a period: hotspots it owned that were open during the
   * period, and those resolved within it.
   */
  async resolvedFor(unit: { id: string; path: string }, period: { start: number; end: number }, subtree: boolean): Promise<HotspotsResolved | null> {
    let q = this.ctx.db
      .selectFrom('hotspots')
      .select(['id', 'status', 'resolved_at'])
      .where('first_at', '<', period.end)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', period.start)]));
    q = subtree ? q.where('owner_unit_path', 'like', `${unit.path}%`) : q.where('owner_unit_id', '=', unit.id);
    const rows = await q.execute();
    if (rows.length === 0) return null;
    const resolved = rows.filter((r) => r.status === 'resolved' && r.resolved_at !== null && Number(r.resolved_at) < period.end);
    return { hotspots: rows.length, resolved: resolved.length, rate: makeRate(resolved.length, rows.length), hotspotIds: resolved.map((r) => r.id) };
  }
}

