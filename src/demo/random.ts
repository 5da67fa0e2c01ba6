// Seeded randomness for the demo generator. Pure and portable: the same seed gives the same city
// and the same appeals on every machine. sfc32 is fast (plain 32-bit integer ops) and passes
// PractRand; forks derive from a key, not from the parent's position, so drawing one more number
// in one place never shifts an unrelated sub-stream.

/** FNV-1a over UTF-16 code units, then an avalanche: stable 32-bit hash of a label. */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** murmur3 finaliser: a bijective mix of 32 bits. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two 32-bit values into one key (order matters). */
export function mixKeys(a: number, b: number): number {
  return fmix32((Math.imul(a ^ 0x9e3779b9, 0x27d4eb2d) + fmix32(b ^ 0x165667b1)) | 0);
}

function toKey(seed: number | string): number {
  if (typeof seed === 'string') return hashString(seed);
  // Keep integer seeds beyond 32 bits distinct too.
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return hi === 0 ? fmix32(lo ^ 0x2545f491) : mixKeys(fmix32(lo), hi);
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;
  /** Identity of this stream; forks derive from it. */
  readonly key: number;

  constructor(seed: number | string) {
    this.key = toKey(seed);
    this.a = this.key;
    this.b = fmix32(this.key ^ 0xdeadbeef);
    this.c = fmix32(this.key ^ 0x41c64e6d);
    this.d = 1;
    // sfc32 needs a few rounds to decorrelate nearby keys.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Recreates the stream whose `key` this is (e.g. to replay an appeal's text). */
  static fromKey(key: number): Rng {
    const r = Object.create(Rng.prototype) as Rng;
    (r as { key: number }).key = key;
    r.a = key;
    r.b = fmix32(key ^ 0xdeadbeef);
    r.c = fmix32(key ^ 0x41c64e6d);
    r.d = 1;
    r.spare = null;
    for (let i = 0; i < 12; i++) r.uint32();
    return r;
  }

  /** An independent stream named by a label; depends only on this stream's key and the label. */
  fork(label: string | number): Rng {
    const l = typeof label === 'number' ? fmix32(label ^ 0x5bd1e995) : hashString(label);
    return Rng.fromKey(mixKeys(this.key, l));
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks items[i] with probability weights[i] / sum(weights). Linear: for short lists. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Standard normal by Marsaglia's polar method (caches the second draw). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return mean + sd * u * m;
  }

  /** Log-normal with the given median and log-scale sigma: right-skewed durations. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count; Knuth for small means, a rounded normal beyond (good enough for a demo). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Fisher–Yates in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** k distinct items in random order (k capped at the list length). */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle([...items]).slice(0, Math.min(k, items.length));
  }
}

/** A weighted choice over a fixed list, O(log n) per draw: for the hot path of the generator. */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError('WeightedTable needs one weight per item and at least one item');
    }
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    for (let i = 0; i < items.length; i++) {
      const w = weights[i] ?? 0;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`bad weight ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (sum <= 0) throw new RangeError('WeightedTable weights sum to zero');
    this.total = sum;
  }

  pick(rng: Rng): T {
    return this.items[this.indexOf(rng.next())] as T;
  }

  /** Index of the item at quantile u in [0, 1). */
  indexOf(u: number): number {
    const x = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
