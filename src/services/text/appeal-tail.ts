// Follows the appeals table in creation order from a starting time, handing each appeal stored since
// the last call to a consumer exactly once — also appeals other instances stored, and ones committed
// late with the same millisecond as the last one seen. The in-memory text indexes (near-duplicates,
// hotspots) are kept current with it.
import type { ServiceContext } from '../context.ts';

export interface TailedAppeal {
  id: string;
  title: string;
  body: string;
  createdAt: number;
  phoneIdx: string | null;
  regionCode: string;
}

const PAGE = 5000;

export class AppealTail {
  private until: number | null = null;
  private readonly atBoundary = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    /** How far back the first call starts (ms before now). */
    private readonly windowMs: number,
    private readonly opts: { skipMerged?: boolean } = {},
  ) {}

  /** Feeds every appeal stored since the previous call; concurrent callers share one pass. */
  catchUp(consume: (a: TailedAppeal) => void): Promise<void> {
    this.running ??= this.run(consume).finally(() => (this.running = null));
    return this.running;
  }

  private async run(consume: (a: TailedAppeal) => void): Promise<void> {
    let until = this.until ?? this.ctx.now() - this.windowMs;
    for (;;) {
      // ≥ the last time seen: an appeal committed later with the same millisecond is not missed.
      const base = this.ctx.db
        .selectFrom('appeals')
        .select(['id', 'title', 'body', 'created_at', 'citizen_phone_idx', 'region_code'])
        .where('created_at', '>=', until);
      const rows = await (this.opts.skipMerged ? base.where('status', '!=', 'merged') : base).orderBy('created_at').limit(PAGE).execute();
      let added = 0;
      for (const r of rows) {
        const t = Number(r.created_at);
        if (t === until && this.atBoundary.has(r.id)) continue;
        if (t > until) {
          until = t;
          this.until = t;
          this.atBoundary.clear();
        }
        this.atBoundary.add(r.id);
        consume({ id: r.id, title: r.title, body: r.body, createdAt: t, phoneIdx: r.citizen_phone_idx, regionCode: r.region_code });
        added++;
      }
      if (rows.length < PAGE || added === 0) break;
    }
    this.until = until;
  }
}
