// Tokenisation of Chinese appeal text: jieba words plus character n-grams.
//
// Word segmentation alone misses unknown place names and new words (jieba splits "丽发新城" oddly);
// character bigrams/trigrams recover them, so every consumer gets both views of the same text.
// Input may be raw text (what citizens type) or text already segmented by spaces (public corpora
// ship that way); both give the same kind of tokens.
import { createRequire } from 'node:module';

// `@node-rs/jieba` is CommonJS and reads a 5 MB dictionary when loaded: require it lazily so that
// modules which never segment (e.g. the gazetteer) do not pay for it.
const requireCjs = createRequire(import.meta.url);

interface JiebaLike {
  cut(sentence: string, hmm?: boolean | null): string[];
}

let jiebaInstance: JiebaLike | null = null;

/** The shared jieba instance, created on first use (≈ 250 ms once per process). */
export function jieba(): JiebaLike {
  if (!jiebaInstance) {
    const { Jieba } = requireCjs('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = requireCjs('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array };
    jiebaInstance = Jieba.withDict(dict);
  }
  return jiebaInstance;
}

let idfTable: Map<string, number> | null = null;
let idfMedian = 10;

/**
 * jieba's general-corpus IDF table (shipped with the package), used where no corpus of our own
 * exists yet (reply quality, cold-start hotspot keywords). Unknown words get the median IDF.
 */
export function generalIdf(word: string): number {
  if (!idfTable) {
    const { idf } = requireCjs('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array };
    const table = new Map<string, number>();
    const text = Buffer.from(idf).toString('utf8');
    const values = new Float64Array(text.length >> 3);
    let n = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const sp = text.lastIndexOf(' ', end);
      if (sp > start) {
        const v = Number(text.slice(sp + 1, end));
        if (Number.isFinite(v)) {
          table.set(text.slice(start, sp), v);
          if (n < values.length) values[n++] = v;
        }
      }
      start = end + 1;
    }
    const sorted = values.subarray(0, n).sort();
    idfMedian = sorted[n >> 1] ?? 10;
    idfTable = table;
  }
  return idfTable.get(word) ?? idfMedian;
}

/** Small stop-word list: function words and the boilerplate of appeals that say nothing about the topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 和 与 及 或 是 在 有 也 就 都 而 且 但 并 被 把 让 给 对 从 向 于 以 为 之 其 这 那 此 该 个 些 ' +
    '我 我们 你 你们 您 他 她 它 他们 她们 它们 自己 本人 大家 人家 ' +
    '吗 呢 吧 啊 呀 哦 嘛 么 啦 哈 嗯 喔 ' +
    '着 过 得 地 很 太 更 最 又 还 再 才 已 已经 曾 将 会 能 要 可 可以 应 应该 需要 想 请 ' +
    '不 没 没有 无 非 未 别 ' +
    '这个 那个 这些 那些 这样 那样 这里 那里 哪 哪里 什么 怎么 怎样 如何 为什么 多少 ' +
    '一 一个 一些 一下 一直 一起 两 两个 ' +
    '因为 所以 如果 但是 而且 然后 虽然 或者 还是 以及 因此 由于 并且 不过 只是 只要 就是 但 ' +
    '上 下 中 内 外 前 后 里 时 时候 现在 目前 今天 ' +
    '等 等等 啥 咋 谁 ' +
    '问题 反映 情况 相关 有关 部门 领导 希望 要求 请求 解决 处理 一下 谢谢 感谢 您好 你好 尊敬'
  ).split(/\s+/).filter((w) => w.length > 0),
);

// Lone surrogates come from truncated emoji; they would reach the native tokenizer as invalid UTF-16.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\uFEFF]/g;

/** NFKC (full-width → half-width), lower case, no control characters or broken surrogates. */
export function normalizeText(text: string): string {
  if (!text) return '';
  return text.replace(LONE_SURROGATE, '').normalize('NFKC').replace(CONTROL, '').toLowerCase();
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_G = /[\u3400-\u9fff\uf900-\ufaff]/g;

export function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

/**
 * True when the text is already segmented: most boundaries between two CJK characters are spaces.
 * Raw Chinese almost never has a space between two Chinese characters; jieba output has one every
 * ~2 characters.
 */
export function isPreSegmented(text: string): boolean {
  let spaced = 0;
  let joined = 0;
  let prevCjk = false;
  let pendingSpace = false;
  for (const ch of text) {
    if (ch === ' ' || ch === '\t' || ch === '\u3000') {
      if (prevCjk) pendingSpace = true;
      continue;
    }
    const c = CJK.test(ch);
    if (c && prevCjk) {
      if (pendingSpace) spaced++;
      else joined++;
    }
    prevCjk = c;
    pendingSpace = false;
  }
  return spaced >= 2 && spaced / (spaced + joined) > 0.2;
}

/** Letter or digit? Fast paths for ASCII and CJK, the Unicode property test for the rest. */
export function isWordCodePoint(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf)) return true;
  return WORDCHAR_ONE.test(String.fromCodePoint(cp));
}
const WORDCHAR_ONE = /^[\p{L}\p{N}]$/u;

// A token worth keeping has at least one letter or digit (drops punctuation, symbols, emoji).
const WORDLIKE = /[\p{L}\p{N}]/u;

export interface WordOptions {
  /** Keep stop words (default false). */
  keepStopWords?: boolean;
  /** Drop tokens shorter than this many characters (default 1). */
  minLength?: number;
}

/** Words of the text: jieba for raw text, whitespace split for pre-segmented text; normalised, filtered. */
export function segmentWords(text: string, opts: WordOptions = {}): string[] {
  const norm = normalizeText(text);
  if (!norm.trim()) return [];
  const raw = isPreSegmented(norm) ? norm.split(/\s+/) : jieba().cut(norm, true);
  const minLength = opts.minLength ?? 1;
  const out: string[] = [];
  for (const tok of raw) {
    const w = tok.trim();
    if (!w || w.length < minLength || !WORDLIKE.test(w)) continue;
    if (!opts.keepStopWords && STOP_WORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}

/**
 * Character n-grams over runs of letters/digits. Spaces between CJK characters are removed first so
 * that pre-segmented and raw text give the same n-grams; punctuation and other spaces break runs.
 */
export function charNgrams(text: string, sizes: readonly number[] = [2, 3]): string[] {
  const norm = normalizeText(text).replace(/(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])/g, '');
  const out: string[] = [];
  for (const run of norm.split(/[^\p{L}\p{N}]+/u)) {
    if (!run) continue;
    const chars = Array.from(run);
    for (const n of sizes) {
      if (n <= 0) continue;
      for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(''));
    }
  }
  return out;
}

/** Number of CJK characters (useful to decide whether a text is Chinese at all). */
export function countCjk(text: string): number {
  return text.match(CJK_G)?.length ?? 0;
}

export interface Tokens {
  words: string[];
  chars: string[];
}

/** Both views of a text: filtered words and character bigrams + trigrams. */
export function tokenize(text: string, opts: WordOptions = {}): Tokens {
  return { words: segmentWords(text, opts), chars: charNgrams(text) };
}

/** Split into sentences on Chinese and Western end punctuation and line breaks, keeping the mark. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const m of normalizeText(text).matchAll(/[^。！？!?；;\n]+[。！？!?；;]*/g)) {
    const s = m[0].trim();
    if (s) out.push(s);
  }
  return out;
}
