// Near-duplicate and repeat detection over a sliding window (default 90 days).
//
// MinHash over character bigram shingles estimates the Jaccard similarity of two appeals; LSH banding
// (16 bands × 4 rows) turns "find everything similar" into a few hash-bucket look-ups, so a query
// costs the same at 1 million stored appeals as at 1 thousand. Storage is typed arrays (no object per
// appeal) and old entries are dropped by compaction, amortised O(1) per insert.
// Matches from the same phone blind index are the same citizen repeating an appeal (重复诉求); the
// rest are other citizens raising the same matter (same issue).
import { fmix32 } from './hashing.ts';
import { isWordCodePoint, normalizeText } from './segment.ts';

export const DAY_MS = 86_400_000;

export interface NearDuplicateOptions {
  /** Entries further apart than this in time never match (ms; default 90 days). */
  windowMs: number;
  /** LSH bands and rows per band; the signature has bands × rows MinHash values. */
  bands: number;
  rows: number;
  /** Character shingle length. */
  shingle: number;
  /** Minimum estimated Jaccard similarity for a different citizen's appeal ("same issue"). */
  sameIssueThreshold: number;
  /** Minimum estimated Jaccard similarity for the same citizen's appeal ("repeat"). */
  repeatThreshold: number;
  /** Bucket entries examined per band at most (newest first): bounds the cost of very common texts. */
  maxBucketScan: number;
  seed: number;
}

export const DEFAULT_NEAR_DUPLICATE_OPTIONS: NearDuplicateOptions = {
  windowMs: 90 * DAY_MS,
  bands: 16,
  rows: 4,
  shingle: 2,
  sameIssueThreshold: 0.5,
  repeatThreshold: 0.3,
  maxBucketScan: 128,
  seed: 0x5eed,
};

export interface DuplicateMatch {
  id: string;
  /** Estimated Jaccard similarity of the character shingle sets (0..1). */
  similarity: number;
  time: number;
  /** `repeat`: same citizen (phone blind index); `same-issue`: someone else about the same matter. */
  kind: 'repeat' | 'same-issue';
}

/** A MinHash signature and its LSH band keys. */
export interface MinHashSignature {
  values: Uint32Array;
  bandKeys: Uint32Array;
  /** The text had no letters or digits: it matches nothing. */
  empty: boolean;
}

/** Shingle hashes of a text: character n-grams of letters and digits only (punctuation/spaces ignored). */
export function shingleHashes(text: string, size = 2): Uint32Array {
  const cps: number[] = [];
  for (const ch of normalizeText(text)) {
    const cp = ch.codePointAt(0)!;
    if (isWordCodePoint(cp)) cps.push(cp);
  }
  if (cps.length === 0) return new Uint32Array(0);
  const n = Math.min(size, cps.length);
  const set = new Set<number>();
  for (let i = 0; i + n <= cps.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < n; k++) {
      h ^= cps[i + k]!;
      h = Math.imul(h, 0x01000193);
    }
    set.add(fmix32(h));
  }
  return Uint32Array.from(set);
}

/** MinHash signature with `bands × rows` values and one key per band. */
export function minhash(text: string, opts: Pick<NearDuplicateOptions, 'bands' | 'rows' | 'shingle' | 'seed'> = DEFAULT_NEAR_DUPLICATE_OPTIONS): MinHashSignature {
  const k = opts.bands * opts.rows;
  const values = new Uint32Array(k).fill(0xffffffff);
  const shingles = shingleHashes(text, opts.shingle);
  // h_i(x) = fmix32(x XOR s_i): independent-enough permutations for MinHash at this size.
  const salts = saltsFor(k, opts.seed);
  for (let s = 0; s < shingles.length; s++) {
    const x = shingles[s]!;
    for (let i = 0; i < k; i++) {
      const h = fmix32(x ^ salts[i]!);
      if (h < values[i]!) values[i] = h;
    }
  }
  const bandKeys = new Uint32Array(opts.bands);
  for (let b = 0; b < opts.bands; b++) {
    let h = 0x9747b28c ^ b;
    for (let r = 0; r < opts.rows; r++) h = fmix32(Math.imul(h, 0x01000193) ^ values[b * opts.rows + r]!);
    bandKeys[b] = h;
  }
  return { values, bandKeys, empty: shingles.length === 0 };
}

const saltCache = new Map<string, Uint32Array>();
function saltsFor(k: number, seed: number): Uint32Array {
  const key = `${k}:${seed}`;
  let s = saltCache.get(key);
  if (!s) {
    s = new Uint32Array(k);
    let x = seed >>> 0;
    for (let i = 0; i < k; i++) {
      x = fmix32(x + 0x9e3779b9 + i);
      s[i] = x;
    }
    saltCache.set(key, s);
  }
  return s;
}

/** Estimated Jaccard similarity of two texts (for tests and one-off comparisons). */
export function estimatedSimilarity(a: string, b: string, opts = DEFAULT_NEAR_DUPLICATE_OPTIONS): number {
  const sa = minhash(a, opts).values;
  const sb = minhash(b, opts).values;
  let m = 0;
  for (let i = 0; i < sa.length; i++) if (sa[i] === sb[i]) m++;
  return sa.length ? m / sa.length : 0;
}

const EMPTY = -1;

/**
 * LSH index of recent appeals. Entries live in slots of typed arrays; each band has an
 * open-addressing table from band key to the newest slot in that bucket, and slots chain to older
 * slots of the same bucket.
 */
export class NearDuplicateIndex {
  readonly options: NearDuplicateOptions;
  private k: number;
  private capacity = 0;
  private count = 0; // slots used (live + expired)
  private ids: string[] = [];
  private phones: (string | undefined)[] = [];
  private times = new Float64Array(0);
  private sig16 = new Uint16Array(0); // low 16 bits of each MinHash value: enough to estimate similarity
  private bandKeys = new Uint32Array(0);
  private empty = new Uint8Array(0);
  private next = new Int32Array(0); // [slot * bands + band] → older slot in the same bucket
  private tableKeys: Uint32Array[] = [];
  private tableHeads: Int32Array[] = [];
  private tableMask = 0;
  private byPhone = new Map<string, number[]>();
  private stamp = new Uint32Array(0);
  private stampValue = 0;
  private maxTime = -Infinity;

  constructor(options: Partial<NearDuplicateOptions> = {}) {
    this.options = { ...DEFAULT_NEAR_DUPLICATE_OPTIONS, ...options };
    if (this.options.bands < 1 || this.options.rows < 1) throw new Error('bands and rows must be ≥ 1');
    this.k = this.options.bands * this.options.rows;
    this.allocate(1024);
  }

  /** Entries currently held (including expired ones not yet compacted away). */
  get size(): number {
    return this.count;
  }

  private allocate(capacity: number): void {
    const { bands } = this.options;
    this.capacity = capacity;
    this.times = new Float64Array(capacity);
    this.sig16 = new Uint16Array(capacity * this.k);
    this.bandKeys = new Uint32Array(capacity * bands);
    this.empty = new Uint8Array(capacity);
    this.next = new Int32Array(capacity * bands);
    this.stamp = new Uint32Array(capacity);
    let tableSize = 1;
    while (tableSize < capacity * 2) tableSize <<= 1;
    this.tableMask = tableSize - 1;
    this.tableKeys = Array.from({ length: bands }, () => new Uint32Array(tableSize));
    this.tableHeads = Array.from({ length: bands }, () => new Int32Array(tableSize).fill(EMPTY));
  }

  /** Bucket position of `key` in band `b` (open addressing, linear probing). */
  private findSlot(b: number, key: number): number {
    const keys = this.tableKeys[b]!;
    const heads = this.tableHeads[b]!;
    let p = fmix32(key ^ b) & this.tableMask;
    while (heads[p] !== EMPTY && keys[p] !== key) p = (p + 1) & this.tableMask;
    return p;
  }

  private link(slot: number): void {
    const { bands } = this.options;
    for (let b = 0; b < bands; b++) {
      const key = this.bandKeys[slot * bands + b]!;
      const p = this.findSlot(b, key);
      this.next[slot * bands + b] = this.tableHeads[b]![p]!;
      this.tableKeys[b]![p] = key;
      this.tableHeads[b]![p] = slot;
    }
  }

  /** Add an appeal. `phoneIndex` is the keyed blind index of the citizen's phone, if known. */
  add(id: string, text: string, time: number, phoneIndex?: string | null): void {
    this.addSignature(id, minhash(text, this.options), time, phoneIndex ?? undefined);
  }

  addSignature(id: string, sig: MinHashSignature, time: number, phoneIndex?: string): void {
    if (!Number.isFinite(time)) throw new Error('time must be a finite epoch-ms number');
    if (this.count === this.capacity) this.makeRoom();
    const slot = this.count++;
    const { bands } = this.options;
    this.ids[slot] = id;
    this.phones[slot] = phoneIndex;
    this.times[slot] = time;
    for (let i = 0; i < this.k; i++) this.sig16[slot * this.k + i] = sig.values[i]! & 0xffff;
    this.bandKeys.set(sig.bandKeys.subarray(0, bands), slot * bands);
    this.empty[slot] = sig.empty ? 1 : 0;
    if (!sig.empty) this.link(slot);
    if (phoneIndex) {
      let list = this.byPhone.get(phoneIndex);
      if (!list) this.byPhone.set(phoneIndex, (list = []));
      list.push(slot);
    }
    if (time > this.maxTime) this.maxTime = time;
  }

  /** Full: drop expired entries if that frees at least half, else double the capacity. */
  private makeRoom(): void {
    const cutoff = this.maxTime - this.options.windowMs;
    let alive = 0;
    for (let s = 0; s < this.count; s++) if (this.times[s]! >= cutoff) alive++;
    const capacity = alive * 2 <= this.capacity ? this.capacity : this.capacity * 2;
    this.rebuild(capacity, cutoff);
  }

  /** Drop entries older than `maxTime − window` now (normally done lazily when the arrays fill up). */
  compact(): void {
    this.rebuild(this.capacity, this.maxTime - this.options.windowMs);
  }

  private rebuild(capacity: number, cutoff: number): void {
    const { bands } = this.options;
    const old = {
      count: this.count,
      ids: this.ids,
      phones: this.phones,
      times: this.times,
      sig16: this.sig16,
      bandKeys: this.bandKeys,
      empty: this.empty,
    };
    this.allocate(capacity);
    this.ids = [];
    this.phones = [];
    this.byPhone = new Map();
    this.count = 0;
    for (let s = 0; s < old.count; s++) {
      if (old.times[s]! < cutoff) continue;
      const slot = this.count++;
      this.ids[slot] = old.ids[s]!;
      this.phones[slot] = old.phones[s];
      this.times[slot] = old.times[s]!;
      this.sig16.set(old.sig16.subarray(s * this.k, (s + 1) * this.k), slot * this.k);
      this.bandKeys.set(old.bandKeys.subarray(s * bands, (s + 1) * bands), slot * bands);
      this.empty[slot] = old.empty[s]!;
      if (!old.empty[s]) this.link(slot);
      const phone = old.phones[s];
      if (phone) {
        let list = this.byPhone.get(phone);
        if (!list) this.byPhone.set(phone, (list = []));
        list.push(slot);
      }
    }
  }

  private similarity(sig: MinHashSignature, slot: number): number {
    let m = 0;
    const base = slot * this.k;
    for (let i = 0; i < this.k; i++) if (this.sig16[base + i] === (sig.values[i]! & 0xffff)) m++;
    return m / this.k;
  }

  /**
   * Similar appeals within the window of `time`, most similar first. Same-phone entries are found
   * through the phone index too, so a citizen's rephrased repeat is caught at the lower threshold.
   */
  query(text: string, time: number, phoneIndex?: string | null, limit = 20): DuplicateMatch[] {
    return this.querySignature(minhash(text, this.options), time, phoneIndex ?? undefined, limit);
  }

  querySignature(sig: MinHashSignature, time: number, phoneIndex?: string, limit = 20, excludeId?: string): DuplicateMatch[] {
    const { bands, windowMs, maxBucketScan, sameIssueThreshold, repeatThreshold } = this.options;
    const out: DuplicateMatch[] = [];
    this.stampValue = (this.stampValue + 1) >>> 0;
    if (this.stampValue === 0) {
      this.stamp.fill(0);
      this.stampValue = 1;
    }
    if (sig.empty) return out;
    const consider = (slot: number) => {
      if (this.stamp[slot] === this.stampValue || this.empty[slot]) return;
      this.stamp[slot] = this.stampValue;
      const t = this.times[slot]!;
      if (Math.abs(t - time) > windowMs) return;
      const id = this.ids[slot]!;
      if (id === excludeId) return;
      const same = phoneIndex !== undefined && this.phones[slot] === phoneIndex;
      const sim = this.similarity(sig, slot);
      if (sim >= (same ? repeatThreshold : sameIssueThreshold)) out.push({ id, similarity: sim, time: t, kind: same ? 'repeat' : 'same-issue' });
    };
    if (phoneIndex) for (const slot of this.byPhone.get(phoneIndex) ?? []) consider(slot);
    for (let b = 0; b < bands; b++) {
      const p = this.findSlot(b, sig.bandKeys[b]!);
      let slot = this.tableHeads[b]![p]!;
      for (let seen = 0; slot !== EMPTY && seen < maxBucketScan; seen++) {
        consider(slot);
        slot = this.next[slot * bands + b]!;
      }
    }
    out.sort((a, b) => b.similarity - a.similarity || b.time - a.time);
    return out.slice(0, Math.max(0, limit));
  }

  /** Query, then add: the usual call at intake. */
  check(id: string, text: string, time: number, phoneIndex?: string | null, limit = 20): DuplicateMatch[] {
    const sig = minhash(text, this.options);
    const matches = this.querySignature(sig, time, phoneIndex ?? undefined, limit, id);
    this.addSignature(id, sig, time, phoneIndex ?? undefined);
    return matches;
  }

  /** Exhaustive scan (the baseline the LSH look-up is measured against). */
  scan(text: string, time: number, phoneIndex?: string | null, limit = 20): DuplicateMatch[] {
    const sig = minhash(text, this.options);
    const out: DuplicateMatch[] = [];
    if (sig.empty) return out;
    for (let slot = 0; slot < this.count; slot++) {
      if (this.empty[slot]) continue;
      const t = this.times[slot]!;
      if (Math.abs(t - time) > this.options.windowMs) continue;
      const same = !!phoneIndex && this.phones[slot] === phoneIndex;
      const sim = this.similarity(sig, slot);
      if (sim >= (same ? this.options.repeatThreshold : this.options.sameIssueThreshold)) {
        out.push({ id: this.ids[slot]!, similarity: sim, time: t, kind: same ? 'repeat' : 'same-issue' });
      }
    }
    out.sort((a, b) => b.similarity - a.similarity || b.time - a.time);
    return out.slice(0, limit);
  }
}
