// Writes the starter knowledge base (src/domain/knowledge/starter.ts) into a deployment: each article
// published by the system, owned by the city-level unit of its kind (司法局, 公安局, 中级法院, 检察院).
// Idempotent: articles already present are skipped. Called at the end of the demo seed.
import { paragraphsToHtml, STARTER_ARTICLES, type OwnerType } from '../../domain/knowledge/starter.ts';
import type { Services } from '../index.ts';

export interface KnowledgeSeedReport {
  articles: number;
  published: number;
  expired: number;
  skipped: number;
}

export async function seedKnowledgeBase(s: Services, opts: { now?: number } = {}): Promise<KnowledgeSeedReport> {
  const units = await s.org.all();
  const root = units.find((u) => u.parentId === null);
  if (!root) return { articles: 0, published: 0, expired: 0, skipped: 0 };
  // The highest unit of each type (nearest to the root): the city's bureau, court, procuratorate.
  const depth = (path: string) => path.split('/').length;
  const ownerOf = (t: OwnerType): string =>
    units
      .filter((u) => u.type === t && u.active)
      .sort((a, b) => depth(a.path) - depth(b.path) || (a.id < b.id ? -1 : 1))[0]?.id ?? root.id;
  const categories = new Set((await s.categories.all()).map((c) => c.id));
  const existing = new Set((await s.ctx.db.selectFrom('kb_articles').select('id').execute()).map((r) => r.id));
  const now = opts.now ?? s.ctx.now();
  const report: KnowledgeSeedReport = { articles: STARTER_ARTICLES.length, published: 0, expired: 0, skipped: 0 };
  const sys = { kind: 'system', job: 'kb-starter' } as const;
  for (const a of STARTER_ARTICLES) {
    if (existing.has(a.id)) {
      report.skipped++;
      continue;
    }
    const validTo = a.validTo ? Date.parse(`${a.validTo}T00:00:00+08:00`) : null;
    await s.knowledge.importPublished(
      sys,
      {
        id: a.id,
        title: a.title,
        summary: a.summary,
        bodyHtml: paragraphsToHtml(a.body),
        categoryId: categories.has(a.categoryId) ? a.categoryId : categories.has(a.categoryId.split('.')[0]!) ? a.categoryId.split('.')[0] : null,
        regionCode: null,
        keywords: a.keywords,
        legalBasis: a.legalBasis,
        validFrom: a.validFrom ? Date.parse(`${a.validFrom}T00:00:00+08:00`) : null,
        validTo,
        ownerUnitId: ownerOf(a.owner),
      },
      { now },
    );
    if (validTo !== null && validTo <= now) report.expired++;
    else report.published++;
  }
  return report;
}
