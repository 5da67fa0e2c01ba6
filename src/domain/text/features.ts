// Hashed sparse features of a text: words, word bigrams and character n-grams.
//
// Hashing keeps the feature space fixed (no vocabulary to grow or ship) and makes featurisation a
// single pass. Word features use the lower half of the space and character features the upper half,
// so each block can be weighted and normalised on its own.
import { fnv1a, fmix32 } from './hashing.ts';
import { isWordCodePoint, normalizeText, segmentWords } from './segment.ts';

export interface FeatureOptions {
  /** log2 of the hashed feature space (default 20 → 1,048,576 buckets). */
  hashBits: number;
  /** Add adjacent word pairs (default true). */
  wordBigrams: boolean;
  /** Character n-gram sizes (default [2, 3]). */
  charSizes: number[];
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { hashBits: 20, wordBigrams: true, charSizes: [2, 3] };

/** Sparse term counts: sorted distinct indices and their counts. */
export interface SparseCounts {
  idx: Int32Array;
  cnt: Float32Array;
}

const SEED_WORD = 0x9e3779b1;
const SEED_BIGRAM = 0x7f4a7c15;

const CJK_SPACE = /(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])/g;

/**
 * Counting table for non-negative int keys: open addressing over typed arrays, reused between calls
 * (a Map per document was a third of featurisation time).
 */
class CountTable {
  private keys = new Int32Array(4096).fill(-1);
  private vals = new Float32Array(4096);
  private used: number[] = [];

  clear(): void {
    for (const slot of this.used) this.keys[slot] = -1;
    this.used.length = 0;
  }

  add(key: number): void {
    if (this.used.length * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = fmix32(key) & mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === key) {
        this.vals[slot]!++;
        return;
      }
      if (k === -1) {
        this.keys[slot] = key;
        this.vals[slot] = 1;
        this.used.push(slot);
        return;
      }
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldUsed = this.used;
    this.keys = new Int32Array(oldKeys.length * 2).fill(-1);
    this.vals = new Float32Array(oldKeys.length * 2);
    this.used = [];
    const mask = this.keys.length - 1;
    for (const s of oldUsed) {
      let slot = fmix32(oldKeys[s]!) & mask;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = oldKeys[s]!;
      this.vals[slot] = oldVals[s]!;
      this.used.push(slot);
    }
  }

  toSparse(): SparseCounts {
    const n = this.used.length;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = this.keys[this.used[i]!]!;
    idx.sort();
    const cnt = new Float32Array(n);
    // Look each sorted key up again (tables are small; this avoids sorting pairs).
    const mask = this.keys.length - 1;
    for (let i = 0; i < n; i++) {
      let slot = fmix32(idx[i]!) & mask;
      while (this.keys[slot] !== idx[i]) slot = (slot + 1) & mask;
      cnt[i] = this.vals[slot]!;
    }
    return { idx, cnt };
  }
}

const COUNTS = new CountTable();

/** Count hashed features of one text. */
export function hashFeatures(text: string, opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): SparseCounts {
  const half = 1 << (opts.hashBits - 1);
  const mask = half - 1;
  const counts = COUNTS;
  counts.clear();
  const add = (i: number) => counts.add(i);

  const words = segmentWords(text);
  for (let i = 0; i < words.length; i++) {
    add(fnv1a(words[i]!, SEED_WORD) & mask);
    if (opts.wordBigrams && i + 1 < words.length) add(fnv1a(words[i]! + '\u0001' + words[i + 1]!, SEED_BIGRAM) & mask);
  }

  // Character n-grams, hashed straight from code points (no substring allocation).
  const norm = normalizeText(text).replace(CJK_SPACE, '');
  const cps: number[] = [];
  const flush = () => {
    for (const n of opts.charSizes) {
      if (n <= 0) continue;
      for (let i = 0; i + n <= cps.length; i++) {
        let h = (0x811c9dc5 ^ Math.imul(n, 0x27d4eb2d)) >>> 0;
        for (let k = 0; k < n; k++) {
          h ^= cps[i + k]!;
          h = Math.imul(h, 0x01000193);
        }
        add(half + (fmix32(h) & mask));
      }
    }
    cps.length = 0;
  };
  for (let i = 0; i < norm.length; i++) {
    let cp = norm.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < norm.length) {
      cp = norm.codePointAt(i)!;
      i++;
    }
    if (isWordCodePoint(cp)) cps.push(cp);
    else if (cps.length) flush();
  }
  if (cps.length) flush();

  return counts.toSparse();
}
