// Region resolution for appeals arriving from other systems (Open311, hotline imports): the
// deployment's regions in a gazetteer (names, short names, aliases), cached with the org tree.
import { Gazetteer, type Region } from '../../domain/text/gazetteer.ts';
import type { RegionTable } from '../../store/schema.ts';
import type { OrgService } from '../org.ts';

function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export class RegionResolver {
  private cache: { rows: RegionTable[]; gazetteer: Gazetteer; byName: Map<string, string> } | null = null;

  constructor(private readonly org: OrgService) {}

  private async load() {
    const rows = await this.org.regions();
    if (this.cache && this.cache.rows === rows) return this.cache;
    const regions: Region[] = rows.map((r) => ({ code: r.code, name: r.name, shortNames: parseList(r.short_names), aliases: parseList(r.aliases), parentCode: r.parent_code }));
    const byName = new Map<string, string>();
    for (const r of regions) {
      for (const n of [r.name, ...(r.shortNames ?? []), ...(r.aliases ?? [])]) if (n && !byName.has(n)) byName.set(n, r.code);
    }
    this.cache = { rows, gazetteer: new Gazetteer(regions), byName };
    return this.cache;
  }

  async rows(): Promise<RegionTable[]> {
    return (await this.load()).rows;
  }

  async isKnown(code: string): Promise<boolean> {
    const { rows } = await this.load();
    return rows.length === 0 ? /^\d{6}(\d{3})?$/.test(code) : rows.some((r) => r.code === code);
  }

  async name(code: string): Promise<string | null> {
    return (await this.load()).rows.find((r) => r.code === code)?.name ?? null;
  }

  /** A region given by code, exact name ("清江区"), short name or alias; null when none matches. */
  async byCodeOrName(v: string): Promise<string | null> {
    const t = v.trim();
    if (!t) return null;
    const c = await this.load();
    if (/^\d{6}(\d{3})?$/.test(t) && c.rows.some((r) => r.code === t)) return t;
    return c.byName.get(t) ?? c.gazetteer.resolve(t, null)?.code ?? null;
  }

  /** The best region from an address and free text (address first), or null. */
  async resolve(address: string | null | undefined, text: string | null | undefined): Promise<string | null> {
    return (await this.load()).gazetteer.resolve(address, text)?.code ?? null;
  }

  /** The one top-level region of the deployment (a city), when there is exactly one. */
  async single(): Promise<string | null> {
    const { rows } = await this.load();
    const codes = new Set(rows.map((r) => r.code));
    const tops = rows.filter((r) => !r.parent_code || !codes.has(r.parent_code));
    return tops.length === 1 ? tops[0]!.code : null;
  }
}
