// Region resolution from an appeal's address and text, for routing by the dispatch catalogue.
//
// Citizens write places loosely ("岳麓区", "岳麓", "麓谷街道", an old name …), so every region is
// matched by its name, short names and aliases with a character trie (one pass over the text,
// longest match at each position). The address field is more reliable than free text, and a street
// (乡镇街道) routes more precisely than its district, so candidates are ranked in that order; a name
// shared by several regions is settled by an ancestor mentioned nearby, or else by their common parent.
import { normalizeText } from './segment.ts';

export interface Region {
  /** GB/T 2260 code: 6 digits (province/city/district) or 9 with the township/street. */
  code: string;
  name: string;
  shortNames?: string[];
  aliases?: string[];
  /** Parent region code; inferred from the code when absent. */
  parentCode?: string | null;
  /** 1 province, 2 city, 3 district/county, 4 township/street; inferred from the code when absent. */
  depth?: number;
}

export interface RegionMatch {
  code: string;
  name: string;
  /** The words that matched, in order of appearance. */
  matched: string[];
  source: 'address' | 'text';
  depth: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** Regions whose name/short name/alias ends here, with how strong that form is. */
  regions: { code: string; exact: boolean }[];
}

interface Hit {
  codes: string[];
  word: string;
  exact: boolean;
}

/** Depth from a GB/T 2260 code: XX0000 province, XXXX00 city, XXXXXX district, 9+ digits street. */
export function depthFromCode(code: string): number {
  if (code.length > 6) return 4;
  if (/^\d{2}0000$/.test(code)) return 1;
  if (/^\d{4}00$/.test(code)) return 2;
  return 3;
}

/** Parent code from a GB/T 2260 code (null for a province). */
export function parentFromCode(code: string): string | null {
  if (code.length > 6) return code.slice(0, 6);
  if (/^\d{2}0000$/.test(code)) return null;
  if (/^\d{4}00$/.test(code)) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

// Short names shorter than this are too ambiguous to match in free text ("新区", "城关" are fine; "新" is not).
const MIN_NAME_LENGTH = 2;

export class Gazetteer {
  private root: TrieNode = { next: new Map(), regions: [] };
  private byCode = new Map<string, Region & { depth: number; parentCode: string | null }>();

  constructor(regions: readonly Region[]) {
    for (const r of regions) {
      if (!r.code || !r.name) continue;
      const full = { ...r, depth: r.depth ?? depthFromCode(r.code), parentCode: r.parentCode === undefined ? parentFromCode(r.code) : r.parentCode };
      this.byCode.set(r.code, full);
    }
    for (const r of this.byCode.values()) {
      this.insert(r.name, r.code, true);
      for (const s of r.shortNames ?? []) this.insert(s, r.code, false);
      for (const a of r.aliases ?? []) this.insert(a, r.code, false);
    }
  }

  get size(): number {
    return this.byCode.size;
  }

  region(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  private insert(word: string, code: string, exact: boolean): void {
    const w = normalizeText(word).trim();
    if (Array.from(w).length < MIN_NAME_LENGTH) return;
    let node = this.root;
    for (const ch of w) {
      let nx = node.next.get(ch);
      if (!nx) {
        nx = { next: new Map(), regions: [] };
        node.next.set(ch, nx);
      }
      node = nx;
    }
    if (!node.regions.some((x) => x.code === code)) node.regions.push({ code, exact });
  }

  /** Longest names found in the text, left to right, non-overlapping. */
  private scan(text: string): Hit[] {
    const chars = Array.from(normalizeText(text));
    const hits: Hit[] = [];
    let i = 0;
    while (i < chars.length) {
      let node: TrieNode | undefined = this.root;
      let best: { end: number; node: TrieNode } | null = null;
      for (let j = i; j < chars.length && node; j++) {
        node = node.next.get(chars[j]!);
        if (node && node.regions.length) best = { end: j + 1, node };
      }
      if (best) {
        hits.push({
          codes: best.node.regions.map((x) => x.code),
          word: chars.slice(i, best.end).join(''),
          exact: best.node.regions.some((x) => x.exact),
        });
        i = best.end;
      } else i++;
    }
    return hits;
  }

  private isAncestor(anc: string, code: string): boolean {
    let cur = this.byCode.get(code)?.parentCode ?? null;
    for (let guard = 0; cur && guard < 10; guard++) {
      if (cur === anc) return true;
      cur = this.byCode.get(cur)?.parentCode ?? null;
    }
    return false;
  }

  private related(a: string, b: string): boolean {
    return a === b || this.isAncestor(a, b) || this.isAncestor(b, a);
  }

  private commonAncestor(codes: readonly string[]): string | null {
    if (codes.length === 0) return null;
    const chain = (c: string) => {
      const out: string[] = [];
      let cur: string | null = c;
      for (let guard = 0; cur && guard < 10; guard++) {
        out.push(cur);
        cur = this.byCode.get(cur)?.parentCode ?? null;
      }
      return out;
    };
    let common = chain(codes[0]!);
    for (const c of codes.slice(1)) {
      const set = new Set(chain(c));
      common = common.filter((x) => set.has(x));
    }
    return common.find((x) => this.byCode.has(x)) ?? null;
  }

  /**
   * Candidate regions of one source, each hit reduced to one code: an ambiguous name keeps the
   * reading supported by another mention (an ancestor or descendant named in the same texts), else
   * the common parent of its readings.
   */
  private candidates(hits: readonly Hit[], context: readonly Hit[]): { code: string; word: string; exact: boolean }[] {
    const out: { code: string; word: string; exact: boolean }[] = [];
    for (const h of hits) {
      let code: string | null;
      if (h.codes.length === 1) code = h.codes[0]!;
      else {
        const others = context.filter((o) => o !== h).flatMap((o) => o.codes);
        const supported = h.codes.filter((c) => others.some((o) => o !== c && this.related(o, c)));
        code = supported.length === 1 ? supported[0]! : this.commonAncestor(supported.length ? supported : h.codes);
      }
      if (code) out.push({ code, word: h.word, exact: h.exact });
    }
    return out;
  }

  /**
   * The best region for an appeal, or null. Address first; a deeper region from the text is used
   * only when it lies inside what the address says (or the address says nothing).
   */
  resolve(address?: string | null, text?: string | null): RegionMatch | null {
    const addrHits = address ? this.scan(address) : [];
    const textHits = text ? this.scan(text) : [];
    const all = [...addrHits, ...textHits];
    const addr = this.candidates(addrHits, all);
    const txt = this.candidates(textHits, all);

    const rank = (cands: { code: string; word: string; exact: boolean }[], pool: { code: string }[]) => {
      // Deeper first; then support from other mentions on the same branch; then exact names; then length.
      const scored = cands.map((c) => {
        const r = this.byCode.get(c.code)!;
        const support = pool.filter((o) => o.code !== c.code && this.related(o.code, c.code)).length;
        return { c, depth: r.depth, support, exact: c.exact ? 1 : 0, len: c.word.length };
      });
      scored.sort((a, b) => b.depth - a.depth || b.support - a.support || b.exact - a.exact || b.len - a.len);
      return scored;
    };

    const pool = [...addr, ...txt];
    let chosen: { code: string; word: string } | null = null;
    let source: 'address' | 'text' = 'address';
    if (addr.length) {
      const ranked = rank(addr, pool);
      chosen = ranked[0]!.c;
      // A more precise region from the text, if it sits inside the address's region.
      const inner = rank(
        txt.filter((t) => this.isAncestor(chosen!.code, t.code)),
        pool,
      );
      if (inner.length) {
        chosen = inner[0]!.c;
        source = 'text';
      }
    } else if (txt.length) {
      const ranked = rank(txt, pool);
      // In free text, an unsupported deep match by a short name is weak: prefer a supported one if any.
      const best = ranked.find((r) => r.exact || r.support > 0) ?? ranked[0]!;
      chosen = best.c;
      source = 'text';
    }
    if (!chosen) return null;
    const region = this.byCode.get(chosen.code)!;
    const matched = [...addrHits, ...textHits].filter((h) => h.codes.some((c) => this.related(c, chosen!.code))).map((h) => h.word);
    return { code: region.code, name: region.name, matched, source, depth: region.depth };
  }
}

/** Convenience: the best region code for an address and text, or null. */
export function resolveRegion(regions: readonly Region[] | Gazetteer, address?: string | null, text?: string | null): string | null {
  const g = regions instanceof Gazetteer ? regions : new Gazetteer(regions);
  return g.resolve(address, text)?.code ?? null;
}
