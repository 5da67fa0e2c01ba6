// Hotspots (热点): incremental clustering of appeals by topic and place over a sliding window.
//
// Each appeal joins the most similar live cluster (cosine of TF-IDF keyword vectors, plus a bonus for
// the same place and a penalty for a clearly different one) or starts a new cluster. Candidate clusters
// come from an inverted index on keywords and place bigrams with bounded posting lists, so the cost of
// one update does not grow with the number of stored appeals. Heat is computed when a report is asked
// for, at a given `now` (no clock reads here).
import { DAY_MS } from './duplicates.ts';
import { extractPlaces, isCoarsePlace, placeBigrams, placeKey, placeSimilarity } from './places.ts';
import { assessRisk } from './risk.ts';
import { generalIdf, normalizeText, segmentWords } from './segment.ts';

export interface HotspotMessage {
  id: string;
  /** Epoch ms. */
  time: number;
  title?: string | null;
  text: string;
  /** Support shown by others (likes, 点赞, co-signatures). */
  likes?: number | null;
  /** Who raised it (the phone blind index, an account id …); messages without one count as distinct citizens. */
  citizenKey?: string | null;
  /** A place already known (e.g. from the address); otherwise extracted from title and text. */
  place?: string | null;
  regionCode?: string | null;
}

export interface HotspotOptions {
  /** Clusters with no message within this span before `now` are closed (ms). */
  windowMs: number;
  /** Minimum combined similarity to join a cluster. */
  assignThreshold: number;
  /** Added to the similarity when message and cluster name the same place. */
  placeBonus: number;
  /** Subtracted when both name places and they clearly differ. */
  placeMismatchPenalty: number;
  /** The place bonus applies only when the texts already share this much (a place alone is not an issue). */
  minTopicSimilarity: number;
  /** Share of a message's vector given to its title (titles are short and on point), the rest to the body. */
  titleShare: number;
  /** Weight of each title character trigram. */
  titleGramWeight: number;
  /** Body text beyond this many characters is ignored (the point of an appeal comes first). */
  maxBodyChars: number;
  /** Terms kept in a cluster centroid / indexed for look-up / used from a message to find candidates. */
  centroidTerms: number;
  indexTerms: number;
  queryTerms: number;
  /** In a report, two live clusters at the same place are one hotspot above this centroid cosine. */
  samePlaceMerge: number;
  /** Candidate clusters scored in full per message (the rest are ruled out by the partial score). */
  maxCandidates: number;
  /** Latest members of a candidate cluster compared one by one (for the best few candidates only), and the discount on that similarity. */
  memberChecks: number;
  memberCheckCandidates: number;
  memberDiscount: number;
  /** Most recently active clusters kept per keyword in the inverted index. */
  maxPosting: number;
  /** Extra place names to recognise (gazetteer names, known compounds). */
  knownPlaces: readonly string[];
  /** Severity of one message in 0..1 (default: the risk detector's score). */
  severity: (m: HotspotMessage) => number;
}

export const DEFAULT_HOTSPOT_OPTIONS: HotspotOptions = {
  windowMs: 90 * DAY_MS,
  assignThreshold: 0.3,
  placeBonus: 0.15,
  placeMismatchPenalty: 0.25,
  minTopicSimilarity: 0.12,
  titleShare: 0.6,
  titleGramWeight: 0.5,
  maxBodyChars: 600,
  centroidTerms: 40,
  indexTerms: 8,
  queryTerms: 8,
  maxPosting: 64,
  samePlaceMerge: 0.18,
  maxCandidates: 24,
  memberChecks: 8,
  memberCheckCandidates: 6,
  memberDiscount: 0.85,
  knownPlaces: [],
  severity: (m) => assessRisk(`${m.title ?? ''}。${m.text}`).score,
};

/** Words of appeals in general: they say nothing about the topic of one. */
const APPEAL_WORDS = new Set(
  (
    '反映 投诉 举报 咨询 建议 希望 请求 要求 恳请 请问 强烈 严重 相关 有关 部门 领导 政府 市民 群众 居民 业主 网友 ' +
    '问题 情况 事情 现象 解决 处理 落实 核实 调查 尽快 及时 重视 关注 监管 管理 整改 回复 答复 谢谢 感谢 您好 你好 ' +
    '我们 他们 你们 自己 本人 大家 今天 现在 目前 已经 一直 经常 每天 不能 没有 可以 是否 能否 怎么 为什么 如何 什么 ' +
    '存在 导致 影响 进行 出现 发现 造成 希望 能够 为了 因为 所以 但是 而且 如果 还是 还有 这个 那个 这些 那些 这样 ' +
    '一个 一些 很多 非常 特别 多次 时间 时候 地方 方面 工作 人员 同志 书记 市长 区长 县长 局长 感谢您 请问 是不是 ' +
    '市委 区委 县委 街道办 社区'
  ).split(/\s+/),
);

// Anonymised or administrative tokens such as "A3区", "K9县" carry place, not topic.
const ADMIN_TOKEN = /^[a-z]\d{0,2}(?:市|区|县)?$/i;
const ADMIN_IN_TEXT = /[a-z]\d{0,2}(?:市|区|县)|[\u4e00-\u9fff]{2}省/gi;
// A number followed by a name, not by a unit: "58车贷", "3号线" (but not "2019年", "3栋", "10万").
const NUMBERED_NAME = /(?<![0-9a-z.])[0-9]{1,4}(?![0-9])(?:号线|(?![年月日号栋楼层期元万亿千百个次天点分米户人位名多余岁平间套辆条家路届级周小时所座])[\u4e00-\u9fff]{2})/g;

const EMPTY_VEC: Map<number, number> = new Map();

export interface HotspotTrendPoint {
  /** Calendar day in Asia/Shanghai, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface HeatParts {
  messages: number;
  citizens: number;
  likes: number;
  /** Messages in the last 7 days before `now`, and the weekly average of the 4 weeks before that. */
  recent: number;
  baselinePerWeek: number;
  growth: number;
  severity: number;
}

export interface Hotspot {
  id: number;
  /** "地点 · 问题", e.g. "丽发新城 · 小区附近搅拌站噪音扰民". */
  label: string;
  place: string | null;
  problem: string;
  keywords: string[];
  messageIds: string[];
  messages: number;
  citizens: number;
  likes: number;
  firstTime: number;
  lastTime: number;
  trend: HotspotTrendPoint[];
  heat: number;
  heatParts: HeatParts;
  regionCode: string | null;
}

interface Member {
  id: string;
  time: number;
  title: string;
  likes: number;
  citizen: string;
  vec: Map<number, number>;
  placeKey: string | null;
  place: string | null;
  /** 2: specific and in the title; 1: specific, body only; 0: township/community or none. */
  placeStrength: number;
  regionCode: string | null;
}

interface Cluster {
  id: number;
  members: Member[];
  centroid: Map<number, number>;
  norm: number;
  indexed: Set<number>;
  placeCounts: Map<string, number>;
  placeKey: string | null;
  /** Strength of the cluster's main place (as for messages), the best seen among its messages. */
  placeStrength: number;
  lastTime: number;
  firstTime: number;
  /** The three highest message severities (risk scores), highest first. */
  severities: number[];
  closed: boolean;
}

/** Epoch ms → Asia/Shanghai calendar day index (days since 1970-01-01 at UTC+8). */
export function shanghaiDay(time: number): number {
  return Math.floor((time + 8 * 3_600_000) / DAY_MS);
}

function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class HotspotDetector {
  readonly options: HotspotOptions;
  private vocab = new Map<string, number>();
  private words: string[] = [];
  private df: number[] = [];
  private docs = 0;
  private clusters = new Map<number, Cluster>();
  private nextId = 1;
  private postings = new Map<number, number[]>(); // term id → cluster ids (most recent last)
  private placePostings = new Map<string, number[]>(); // place-key bigram → cluster ids
  private maxTime = -Infinity;
  private addsSincePurge = 0;

  constructor(options: Partial<HotspotOptions> = {}) {
    this.options = { ...DEFAULT_HOTSPOT_OPTIONS, ...options };
  }

  /** Messages added so far. */
  get messageCount(): number {
    return this.docs;
  }

  /** Live clusters (including singletons). */
  get clusterCount(): number {
    return this.clusters.size;
  }

  private termId(w: string): number {
    let id = this.vocab.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.vocab.set(w, id);
      this.words.push(w);
      this.df.push(0);
    }
    return id;
  }

  /**
   * IDF from the stream itself (what is common in *these* appeals), capped by jieba's general IDF
   * while the stream is young or for words it has barely seen.
   */
  private idf(id: number): number {
    const word = this.words[id]!;
    // Title trigrams ("#…") are not words: stream IDF only (a neutral 8 until the stream has 200 messages).
    if (word.startsWith('#')) return this.docs < 200 ? 8 : Math.log((this.docs + 1) / (this.df[id]! + 1)) + 1;
    const general = generalIdf(word);
    if (this.docs < 200) return general;
    const stream = Math.log((this.docs + 1) / (this.df[id]! + 1)) + 1;
    return Math.min(general, stream);
  }

  /**
   * Keyword vector of a message: title words weigh more; place names and administrative codes are
   * left out (place is matched separately, and would otherwise glue different issues together).
   */
  private vectorize(m: HotspotMessage, places: readonly string[]): Map<number, number> {
    const placeText = places.map((p) => normalizeText(p));
    const words = (text: string, into: Map<number, number>) => {
      const clean = normalizeText(text).replace(ADMIN_IN_TEXT, ' ');
      // Names that start with digits ("58车贷", "6号线") are split by jieba; keep them whole too.
      for (const e of clean.matchAll(NUMBERED_NAME)) {
        const id = this.termId(e[0]);
        into.set(id, (into.get(id) ?? 0) + 1);
      }
      for (const w of segmentWords(clean, { minLength: 2 })) {
        if (APPEAL_WORDS.has(w) || ADMIN_TOKEN.test(w) || /^[0-9.]+$/.test(w)) continue;
        if (placeText.some((p) => p.includes(w))) continue;
        const id = this.termId(w);
        into.set(id, (into.get(id) ?? 0) + 1);
      }
    };
    const title = new Map<number, number>();
    if (m.title) {
      words(m.title, title);
      // Character trigrams of the title catch names jieba splits ("58车贷", "捆绑销售") and rephrasings.
      let t = normalizeText(m.title).replace(ADMIN_IN_TEXT, ' ');
      for (const p of placeText) t = t.split(p).join(' ');
      const chars = Array.from(t.replace(/[^\p{L}\p{N}]+/gu, ' '));
      for (let i = 0; i + 3 <= chars.length; i++) {
        const g = chars.slice(i, i + 3).join('');
        if (g.includes(' ')) continue;
        const id = this.termId(`#${g}`);
        title.set(id, (title.get(id) ?? 0) + 1);
      }
    }
    const body = new Map<number, number>();
    words((m.text ?? '').slice(0, this.options.maxBodyChars), body);
    // Document frequency counts each term once per message.
    this.docs++;
    for (const id of new Set([...title.keys(), ...body.keys()])) this.df[id]!++;
    // Title and body are normalised separately and then mixed, so a long body cannot drown the title.
    const unit = (tf: Map<number, number>) => {
      const out = new Map<number, number>();
      let norm = 0;
      for (const [id, f] of tf) {
        const v = (1 + Math.log(f)) * this.idf(id) * (this.words[id]!.startsWith('#') ? this.options.titleGramWeight : 1);
        out.set(id, v);
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [id, v] of out) out.set(id, v / norm);
      return out;
    };
    const share = title.size && body.size ? this.options.titleShare : title.size ? 1 : 0;
    const mixed = new Map<number, number>();
    for (const [id, v] of unit(title)) mixed.set(id, share * v);
    for (const [id, v] of unit(body)) mixed.set(id, (mixed.get(id) ?? 0) + (1 - share) * v);
    const kept = [...mixed.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.centroidTerms);
    let norm = 0;
    for (const [, v] of kept) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return new Map(kept.map(([id, v]) => [id, v / norm]));
  }

  /** Places named by the message: a given place first, then the title's, then the opening of the body. */
  private placesOf(m: HotspotMessage): string[] {
    const opts = { knownNames: this.options.knownPlaces, limit: 4 };
    const out: string[] = [];
    if (m.place) out.push(m.place);
    if (m.title) out.push(...extractPlaces(m.title, opts));
    out.push(...extractPlaces((m.text ?? '').slice(0, 200), opts));
    return [...new Set(out)];
  }

  /** The place that names the issue: the first specific one (a compound, a road, a school) before a township. */
  private mainPlace(m: HotspotMessage, places: readonly string[]): { place: string | null; strength: number } {
    if (m.place) return { place: m.place, strength: isCoarsePlace(m.place) ? 0 : 2 };
    const titled = m.title ? places.filter((p) => normalizeText(m.title!).includes(normalizeText(p))) : [];
    const specificTitled = titled.find((p) => !isCoarsePlace(p));
    if (specificTitled) return { place: specificTitled, strength: 2 };
    // A place only in the body, or only a township, is weak evidence of what the issue is about.
    const specific = places.find((p) => !isCoarsePlace(p));
    if (specific) return { place: specific, strength: 1 };
    return { place: titled[0] ?? places[0] ?? null, strength: 0 };
  }

  /** Add one appeal; returns the cluster it joined and whether that cluster is new. */
  add(m: HotspotMessage): { clusterId: number; created: boolean; similarity: number } {
    const time = Number.isFinite(m.time) ? m.time : 0;
    if (time > this.maxTime) this.maxTime = time;
    const places = this.placesOf(m);
    const vec = this.vectorize(m, places);
    const { place, strength } = this.mainPlace(m, places);
    const pKey = place ? placeKey(place) : null;
    const member: Member = {
      id: String(m.id),
      time,
      title: (m.title ?? '').trim(),
      likes: Math.max(0, Number(m.likes) || 0),
      citizen: m.citizenKey ? String(m.citizenKey) : `#${m.id}`,
      vec,
      placeKey: pKey,
      place,
      placeStrength: strength,
      regionCode: m.regionCode ?? null,
    };
    let severity = 0;
    try {
      severity = Math.min(1, Math.max(0, this.options.severity(m) || 0));
    } catch {
      severity = 0;
    }

    const best = this.bestCluster(vec, pKey, strength, time);
    let cluster: Cluster;
    let created = false;
    if (best && best.score >= this.options.assignThreshold) {
      cluster = best.cluster;
    } else {
      cluster = {
        id: this.nextId++,
        members: [],
        centroid: new Map(),
        norm: 0,
        indexed: new Set(),
        placeCounts: new Map(),
        placeKey: null,
        placeStrength: 0,
        lastTime: time,
        firstTime: time,
        severities: [],
        closed: false,
      };
      this.clusters.set(cluster.id, cluster);
      created = true;
    }
    this.join(cluster, member, severity);
    if (++this.addsSincePurge >= 1000) this.purge();
    return { clusterId: cluster.id, created, similarity: best?.score ?? 0 };
  }

  private bestCluster(vec: Map<number, number>, pKey: string | null, strength: number, time: number): { cluster: Cluster; score: number } | null {
    const cutoff = time - this.options.windowMs;
    const live = (c: Cluster | undefined): c is Cluster => !!c && !c.closed && c.lastTime >= cutoff && c.norm > 0;
    // 1. Through the postings of the message's strongest terms, accumulate a partial cosine per
    //    cluster (the classic inverted-index accumulator); clusters at the same place join at 0.
    const acc = new Map<number, number>();
    const top = [...vec.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.queryTerms);
    for (const [id, v] of top) {
      for (const cid of this.postings.get(id) ?? []) {
        const c = this.clusters.get(cid);
        if (!live(c)) continue;
        const w = c.centroid.get(id);
        acc.set(cid, (acc.get(cid) ?? 0) + (w === undefined ? 0 : (v * w) / c.norm));
      }
    }
    if (pKey) {
      for (const g of placeBigrams(pKey)) {
        for (const cid of this.placePostings.get(g) ?? []) if (!acc.has(cid) && live(this.clusters.get(cid))) acc.set(cid, 0);
      }
    }
    // 2. Score fully only the most promising few: cost per message stays bounded however many
    //    clusters exist.
    const samePlace = (c: Cluster) => !!pKey && !!c.placeKey && (c.placeKey.includes(pKey) || pKey.includes(c.placeKey));
    const shortlist = [...acc.entries()]
      .map(([cid, partial]) => {
        const c = this.clusters.get(cid)!;
        return { c, rank: partial + (samePlace(c) ? this.options.placeBonus : 0) };
      })
      .sort((a, b) => b.rank - a.rank || a.c.id - b.c.id)
      .slice(0, this.options.maxCandidates);
    // Centroid similarity (with the place adjustment) for the shortlist; the costlier comparison with
    // the latest members only for the few best of them.
    const scored: { c: Cluster; sim: number; placeAdjust: number }[] = [];
    for (const { c } of shortlist) {
      let placeAdjust = 0;
      if (pKey && c.placeKey) {
        const ps = placeSimilarity(pKey, c.placeKey);
        // Both specific and titled: full bonus/penalty; a body-only place: half; a township: bonus only.
        const both = Math.min(strength, c.placeStrength);
        const scale = both >= 2 ? 1 : 0.5;
        // Two titles naming different specific places are different hotspots, however alike the words
        // ("X小区麻将馆扰民" and "Y小区麻将馆扰民").
        if (ps < 0.3 && both >= 2) continue;
        if (ps >= 0.6) placeAdjust = this.options.placeBonus * ps * scale;
        else if (ps < 0.3 && both >= 1) placeAdjust = -this.options.placeMismatchPenalty * scale;
      }
      let dot = 0;
      for (const [id, v] of vec) {
        const w = c.centroid.get(id);
        if (w !== undefined) dot += v * w;
      }
      scored.push({ c, sim: dot / c.norm, placeAdjust });
    }
    scored.sort((a, b) => b.sim + b.placeAdjust - (a.sim + a.placeAdjust) || a.c.id - b.c.id);
    let best: { cluster: Cluster; score: number } | null = null;
    scored.forEach((x, rank) => {
      // Similar to the cluster as a whole, or very similar to one of its latest messages (a short
      // message rarely resembles the average of long ones, but does resemble its closest sibling).
      let sim = x.sim;
      if (rank < this.options.memberCheckCandidates && x.c.members.length > 1) {
        for (const mm of x.c.members.slice(-this.options.memberChecks)) {
          let d = 0;
          for (const [id, v] of vec) {
            const w = mm.vec.get(id);
            if (w !== undefined) d += v * w;
          }
          sim = Math.max(sim, this.options.memberDiscount * d);
        }
      }
      // The place bonus needs some shared words first: a place alone is not an issue.
      const score = sim + (x.placeAdjust > 0 && sim < this.options.minTopicSimilarity ? 0 : x.placeAdjust);
      if (!best || score > best.score) best = { cluster: x.c, score };
    });
    return best;
  }

  private join(c: Cluster, m: Member, severity: number): void {
    c.members.push(m);
    // Only the latest members are compared one by one; older ones drop their vectors to save memory.
    const old = c.members.length - 1 - this.options.memberChecks;
    if (old >= 0) c.members[old]!.vec = EMPTY_VEC;
    c.lastTime = Math.max(c.lastTime, m.time);
    c.firstTime = Math.min(c.firstTime, m.time);
    if (severity > 0) {
      c.severities.push(severity);
      c.severities.sort((a, b) => b - a);
      c.severities.length = Math.min(3, c.severities.length);
    }
    for (const [id, v] of m.vec) c.centroid.set(id, (c.centroid.get(id) ?? 0) + v);
    // Keep the centroid small: its strongest terms describe the cluster; the tail is noise and cost.
    if (c.centroid.size > this.options.centroidTerms * 2) {
      const kept = [...c.centroid.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.centroidTerms);
      c.centroid = new Map(kept);
    }
    let norm = 0;
    for (const v of c.centroid.values()) norm += v * v;
    c.norm = Math.sqrt(norm);
    if (m.placeKey) {
      // A township name is weak evidence of where the issue is; a compound or road is strong.
      c.placeCounts.set(m.placeKey, (c.placeCounts.get(m.placeKey) ?? 0) + (m.placeStrength === 2 ? 1 : 0.3));
      const prev = c.placeKey;
      let bestKey = prev;
      let bestCount = prev ? (c.placeCounts.get(prev) ?? 0) : 0;
      for (const [k, n] of c.placeCounts) if (n > bestCount) [bestKey, bestCount] = [k, n];
      if (bestKey && bestKey !== prev) {
        c.placeKey = bestKey;
        // The main place changed: its strength is the best among the messages that name it.
        c.placeStrength = 0;
        for (const x of c.members) if (x.placeKey && placeSimilarity(bestKey, x.placeKey) >= 0.6) c.placeStrength = Math.max(c.placeStrength, x.placeStrength);
        for (const g of placeBigrams(bestKey)) this.post(this.placePostings, g, c.id);
      } else if (bestKey && placeSimilarity(bestKey, m.placeKey) >= 0.6) c.placeStrength = Math.max(c.placeStrength, m.placeStrength);
    }
    // Index the cluster under its strongest terms (new ones only; stale entries are trimmed lazily).
    const topTerms = [...c.centroid.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.indexTerms);
    for (const [id] of topTerms) {
      if (c.indexed.has(id)) continue;
      c.indexed.add(id);
      this.post(this.postings, id, c.id);
    }
  }

  /** Append to a posting list, keeping it bounded to the most recently active clusters. */
  private post<K>(map: Map<K, number[]>, key: K, clusterId: number): void {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    list.push(clusterId);
    const cap = this.options.maxPosting;
    if (list.length > cap * 1.5) {
      const seen = new Set<number>();
      const live: Cluster[] = [];
      for (let i = list.length - 1; i >= 0; i--) {
        const id = list[i]!;
        if (seen.has(id)) continue;
        seen.add(id);
        const c = this.clusters.get(id);
        if (c && !c.closed) live.push(c);
      }
      live.sort((a, b) => b.lastTime - a.lastTime);
      const keep = live.slice(0, cap).reverse();
      for (const c of live.slice(cap)) if (typeof key === 'number') c.indexed.delete(key);
      map.set(
        key,
        keep.map((c) => c.id),
      );
    }
  }

  /** Close clusters that fell out of the window (amortised: every 1,000 adds). */
  private purge(): void {
    this.addsSincePurge = 0;
    const cutoff = this.maxTime - this.options.windowMs;
    for (const [id, c] of this.clusters) {
      if (c.lastTime < cutoff) {
        c.closed = true;
        this.clusters.delete(id);
      }
    }
  }

  /**
   * The hottest issues at `now`. Clusters active within the window are first consolidated — the same
   * issue sometimes starts two clusters when its first messages were worded differently — then
   * scored, and the top `n` returned.
   */
  top(n: number, now: number, opts: { minMessages?: number; minLikes?: number } = {}): Hotspot[] {
    const minMessages = opts.minMessages ?? 2;
    const minLikes = opts.minLikes ?? 50;
    const cutoff = now - this.options.windowMs;
    // Singletons without support cannot be reported and are left out of the consolidation too (they
    // were already matched against every cluster when they arrived): this keeps `top` proportional to
    // the clusters with some mass, not to the number of stored appeals.
    const live: { c: Cluster; members: Member[] }[] = [];
    for (const c of this.clusters.values()) {
      if (c.lastTime < cutoff) continue;
      if (c.members.length < 2 && (c.members[0]?.likes ?? 0) < minLikes) continue;
      const members = c.members.filter((m) => m.time >= cutoff && m.time <= now);
      if (members.length) live.push({ c, members });
    }
    const groups = this.consolidate(live);
    const out: Hotspot[] = [];
    for (const g of groups) {
      const likes = g.members.reduce((a, m) => a + m.likes, 0);
      if (g.members.length < minMessages && likes < minLikes) continue;
      out.push(this.describe(g.cluster, g.members, now));
    }
    out.sort((a, b) => b.heat - a.heat || a.id - b.id);
    return out.slice(0, Math.max(0, n));
  }

  /**
   * Union clusters that are the same issue: same place and related words, or no reliable place and
   * clearly the same words. Pairs are found through shared place bigrams and top keywords (bounded
   * lists), never all pairs.
   */
  private consolidate(live: { c: Cluster; members: Member[] }[]): { cluster: Cluster; members: Member[] }[] {
    const parent = live.map((_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) {
        parent[i] = parent[parent[i]!]!;
        i = parent[i]!;
      }
      return i;
    };
    const buckets = new Map<string, number[]>();
    live.forEach((x, i) => {
      const keys: string[] = [];
      if (x.c.placeKey) for (const g of placeBigrams(x.c.placeKey)) keys.push(`p:${g}`);
      for (const [id] of [...x.c.centroid.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)) keys.push(`k:${id}`);
      for (const k of keys) {
        let list = buckets.get(k);
        if (!list) buckets.set(k, (list = []));
        list.push(i);
      }
    });
    const tried = new Set<number>();
    const n = live.length;
    for (const list of buckets.values()) {
      // Bound the pairs per key: the largest clusters are the ones worth consolidating.
      const idx = list.length > 100 ? [...list].sort((a, b) => live[b]!.members.length - live[a]!.members.length).slice(0, 100) : list;
      for (let u = 0; u < idx.length; u++) {
        for (let v = u + 1; v < idx.length; v++) {
          const i = idx[u]!;
          const j = idx[v]!;
          const key = i < j ? i * n + j : j * n + i;
          if (tried.has(key)) continue;
          tried.add(key);
          if (find(i) === find(j)) continue;
          if (this.sameIssue(live[i]!.c, live[j]!.c)) parent[find(i)] = find(j);
        }
      }
    }
    // Build each group once (copying a growing centroid per merge would be quadratic in group size).
    const groups = new Map<number, number[]>();
    live.forEach((_, i) => {
      const r = find(i);
      const g = groups.get(r);
      if (g) g.push(i);
      else groups.set(r, [i]);
    });
    const out: { cluster: Cluster; members: Member[] }[] = [];
    for (const idx of groups.values()) {
      if (idx.length === 1) {
        out.push({ cluster: live[idx[0]!]!.c, members: live[idx[0]!]!.members });
        continue;
      }
      // Keep the largest cluster's identity; pool members, centroid, severities and place counts.
      const parts = idx.map((i) => live[i]!);
      const big = parts.reduce((a, x) => (x.c.members.length > a.c.members.length ? x : a)).c;
      const centroid = new Map<number, number>();
      const placeCounts = new Map<string, number>();
      const members: Member[] = [];
      let severities: number[] = [];
      let placeStrength = 0;
      for (const x of parts) {
        for (const [k, v] of x.c.centroid) centroid.set(k, (centroid.get(k) ?? 0) + v);
        for (const [k, v] of x.c.placeCounts) placeCounts.set(k, (placeCounts.get(k) ?? 0) + v);
        members.push(...x.members);
        severities = severities.concat(x.c.severities);
        placeStrength = Math.max(placeStrength, x.c.placeStrength);
      }
      const kept = new Map([...centroid.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.options.centroidTerms * 2));
      out.push({
        cluster: {
          ...big,
          centroid: kept,
          norm: Math.sqrt([...kept.values()].reduce((a, v) => a + v * v, 0)),
          placeCounts,
          severities: severities.sort((a, b) => b - a).slice(0, 3),
          placeStrength,
        },
        members,
      });
    }
    return out;
  }

  private sameIssue(a: Cluster, b: Cluster): boolean {
    const cos = cosine(a.centroid, b.centroid);
    const ps = a.placeKey && b.placeKey ? placeSimilarity(a.placeKey, b.placeKey) : 0;
    if (ps >= 0.6) return cos >= this.options.samePlaceMerge; // same place, related words
    // Different specific places are different hotspots; otherwise the words must agree clearly.
    if (a.placeKey && b.placeKey && a.placeStrength >= 2 && b.placeStrength >= 2) return false;
    return cos >= 0.4;
  }

  /** Heat, label, keywords and trend of one cluster at `now`. */
  private describe(c: Cluster, members: Member[], now: number): Hotspot {
    const citizens = new Set(members.map((m) => m.citizen)).size;
    const likes = members.reduce((a, m) => a + m.likes, 0);
    const today = shanghaiDay(now);
    let recent = 0;
    let base = 0;
    for (const m of members) {
      const age = today - shanghaiDay(m.time);
      if (age >= 0 && age < 7) recent++;
      else if (age >= 7 && age < 35) base++;
    }
    const baselinePerWeek = base / 4;
    const growth = (recent + 1) / (baselinePerWeek + 1);
    const parts: HeatParts = {
      messages: members.length,
      citizens,
      likes,
      recent,
      baselinePerWeek,
      growth,
      // One threatening message should not make a large cluster "severe": mean of the top three.
      severity: c.severities.reduce((a, v) => a + v, 0) / 3,
    };
    const heat = heatScore(parts);

    // Place: the key named (or contained) by the most messages, titled specific places weighing most,
    // shown by its most common full name — and only if a fair share of the messages name it.
    let place: string | null = null;
    const keyed = members.filter((m) => m.placeKey);
    const weightOf = (m: Member) => (m.placeStrength === 2 ? 1 : m.placeStrength === 1 ? 0.5 : 0.3);
    // Tally by exact key first, then compare distinct keys (k² comparisons, not k × messages).
    const tally = new Map<string, { weight: number; count: number }>();
    for (const m of keyed) {
      const t = tally.get(m.placeKey!) ?? { weight: 0, count: 0 };
      t.weight += weightOf(m);
      t.count++;
      tally.set(m.placeKey!, t);
    }
    const distinct = [...tally.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 50);
    let bestKey: { key: string; score: number; count: number } | null = null;
    for (const [key] of distinct) {
      let score = 0;
      let count = 0;
      for (const [other, t] of distinct) {
        if (placeSimilarity(key, other) >= 0.6) {
          score += t.weight;
          count += t.count;
        }
      }
      if (!bestKey || score > bestKey.score || (score === bestKey.score && key.length > bestKey.key.length)) bestKey = { key, score, count };
    }
    const enough = members.length === 1 ? keyed[0]?.placeStrength !== undefined && keyed[0].placeStrength >= 1 : (bestKey?.count ?? 0) >= Math.max(2, 0.3 * members.length);
    if (bestKey && enough) {
      const names = new Map<string, number>();
      for (const m of keyed) if (m.place && placeSimilarity(m.placeKey!, bestKey.key) >= 0.6) names.set(m.place, (names.get(m.place) ?? 0) + weightOf(m));
      place = [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length)[0]?.[0] ?? null;
    }
    const placeWords = place ? [place, placeKey(place)] : [];
    const keywords = [...c.centroid.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => this.words[id]!)
      .filter((w) => !w.startsWith('#'))
      .filter((w) => !placeWords.some((p) => p.includes(w) || w.includes(p)))
      .slice(0, 6);
    const problem = this.problemPhrase(c, members, place, keywords);
    const days = new Map<number, number>();
    for (const m of members) {
      const d = shanghaiDay(m.time);
      days.set(d, (days.get(d) ?? 0) + 1);
    }
    const trend = [...days.entries()].sort((a, b) => a[0] - b[0]).map(([d, count]) => ({ day: dayString(d), count }));
    const regions = new Map<string, number>();
    for (const m of members) if (m.regionCode) regions.set(m.regionCode, (regions.get(m.regionCode) ?? 0) + 1);
    const regionCode = [...regions.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const sorted = [...members].sort((a, b) => a.time - b.time);
    return {
      id: c.id,
      label: place ? `${place} · ${problem}` : problem,
      place,
      problem,
      keywords,
      messageIds: sorted.map((m) => m.id),
      messages: members.length,
      citizens,
      likes,
      firstTime: sorted[0]!.time,
      lastTime: sorted[sorted.length - 1]!.time,
      trend,
      heat,
      heatParts: parts,
      regionCode,
    };
  }

  /**
   * What is wrong, in the citizens' words: the title closest to the cluster's centre, with places,
   * administrative prefixes and appeal verbs removed; else the top keywords.
   */
  private problemPhrase(c: Cluster, members: Member[], place: string | null, keywords: string[]): string {
    // Score each distinct title by how much of the cluster's strongest vocabulary it contains,
    // preferring short titles: labels must be read at a glance.
    const top = [...c.centroid.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([id, w]) => ({ w, word: this.words[id]!.replace(/^#/, '') }));
    let best: { m: Member; phrase: string; s: number } | null = null;
    const seen = new Set<string>();
    for (const m of members) {
      if (!m.title || seen.has(m.title)) continue;
      seen.add(m.title);
      const phrase = cleanTitle(m.title, [place, m.place].filter((x): x is string => !!x));
      if (phrase.length < 2) continue;
      let s = 0;
      for (const t of top) if (phrase.includes(t.word)) s += t.w;
      s /= 1 + 0.04 * Math.max(0, phrase.length - 10);
      // A title that names the hotspot's place exactly leaves no misspelt remnant of it in the phrase.
      if (place && normalizeText(m.title).includes(normalizeText(place))) s *= 1.25;
      if (!best || s > best.s) best = { m, phrase, s };
    }
    if (best && best.s > 0) return best.phrase;
    return keywords.slice(0, 3).join('');
  }
}

/**
 * Heat = 10 · [ ln(1 + citizens) + 0.3 · ln(1 + messages − citizens) + 0.35 · ln(1 + likes)
 *              + 0.5 · max(0, ln growth) ] · (1 + 0.5 · severity)
 * Distinct citizens count most; repeats by the same people count a little; support (likes) counts on a
 * log scale so a single viral post does not drown ten neighbours; growth is this week against the
 * previous four weeks' average; severity (risk of escalation) multiplies.
 */
export function heatScore(p: Pick<HeatParts, 'messages' | 'citizens' | 'likes' | 'growth' | 'severity'>): number {
  const base =
    Math.log1p(p.citizens) +
    0.3 * Math.log1p(Math.max(0, p.messages - p.citizens)) +
    0.35 * Math.log1p(Math.max(0, p.likes)) +
    0.5 * Math.max(0, Math.log(Math.max(p.growth, 1e-9)));
  return Math.round(10 * base * (1 + 0.5 * Math.min(1, Math.max(0, p.severity))) * 10) / 10;
}

function cosine(a: Map<number, number>, b: Map<number, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

const TITLE_LEAD =
  /^(?:关于|反映|投诉|举报|咨询|建议|希望|请求|要求|恳请|请问|强烈|再次|紧急|实名|求助|请|对|有关|严重|市民|网友|业主|居民)+/;
const ADMIN_ANY = /[a-z]\d{0,2}(?:市|区|县)|[\u4e00-\u9fff]{2}省/gi;

/** A title reduced to its problem: no places, no administrative prefixes, no appeal verbs. */
export function cleanTitle(title: string, places: readonly string[]): string {
  let t = normalizeText(title).replace(/\s+/g, '');
  for (const p of [...places].sort((a, b) => b.length - a.length)) if (p) t = t.split(normalizeText(p)).join('');
  t = t.replace(ADMIN_ANY, '');
  t = t.replace(TITLE_LEAD, '');
  t = t.replace(/^[的在与和及、,，:：\-—]+/, '');
  // Drop a trailing "的问题" — unless the words before it need it ("存在一系列问题").
  t = t.replace(/(?<!一系列|诸多|很多|许多|重大|严重|种种|等)(?:的)?(?:问题|情况|事宜|一事)?(?:[?？!！。.]+)?$/, '');
  t = t.replace(/[?？!！。.]+$/, '');
  return Array.from(t).slice(0, 20).join('');
}
