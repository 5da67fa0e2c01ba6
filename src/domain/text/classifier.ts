// Appeal classifier: a linear model over hashed word + character n-gram TF-IDF features.
//
// Why linear: on short Chinese complaint texts a TF-IDF linear SVM is the published strong baseline,
// trains in seconds on one core (so a nightly full retrain is cheap), and its weights can be shipped
// as JSON. We train one-vs-rest L2-loss SVMs by dual coordinate descent (the liblinear solver), then
// turn margins into probabilities with a softmax whose temperature is fitted on out-of-fold margins,
// so that "confidence 0.8" means about 80 % right and a threshold can send the rest to triage.
import { DEFAULT_FEATURE_OPTIONS, hashFeatures, type FeatureOptions, type SparseCounts } from './features.ts';
import { fnv1a, mulberry32, shuffleInPlace } from './hashing.ts';
import { normalizeText } from './segment.ts';

export interface LabeledText {
  text: string;
  label: string;
}

export interface ClassifierOptions extends FeatureOptions {
  /** Seed for every random choice (example order, calibration folds). */
  seed: number;
  /** SVM cost C (higher = less regularisation). */
  c: number;
  /** Maximum passes of coordinate descent per class. */
  maxEpochs: number;
  /** Stop when the projected-gradient spread is below this (liblinear's eps). */
  tolerance: number;
  /** Share of the vector's squared norm given to character n-grams (words get the rest). */
  charShare: number;
  /** Drop hashed features seen in fewer training documents than this. */
  minDf: number;
  /** Weight the positive examples of each one-vs-rest problem by (n / (K · n_class))^power (0 = unweighted). */
  classWeightPower: number;
  /** NB-SVM: scale features by each class's smoothed log-count ratio before the SVM (Wang & Manning 2012); 0 = off. */
  nbAlpha: number;
  /** Folds used to fit the confidence temperature on held-out margins (0 = keep the default temperature). */
  calibrationFolds: number;
}

// Chosen by 5-fold CV on the public 7-class set (docs/text-intelligence.md): 4M-bucket hashing (fewer
// collisions), word bigrams and character 1–3-grams, NB scaling and a weakly regularised SVM.
export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = {
  ...DEFAULT_FEATURE_OPTIONS,
  hashBits: 22,
  charSizes: [1, 2, 3],
  seed: 42,
  c: 8,
  maxEpochs: 10,
  tolerance: 0.1,
  charShare: 0.5,
  minDf: 2,
  classWeightPower: 0,
  nbAlpha: 0.1,
  calibrationFolds: 3,
};

export interface RankedLabel {
  label: string;
  probability: number;
}

export interface Prediction {
  label: string;
  /** Calibrated probability of `label` (0..1). */
  confidence: number;
  /** All labels, most probable first. */
  ranked: RankedLabel[];
}

/** Dispatch automatically above the threshold, otherwise queue for a human. */
export function routeByConfidence(p: Prediction, threshold: number): 'auto' | 'triage' {
  return p.confidence >= threshold ? 'auto' : 'triage';
}

interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

/** The JSON form of a trained model (typed arrays as base64 little-endian). */
export interface ClassifierJSON {
  format: 'minbiao-text-classifier';
  version: 1;
  options: ClassifierOptions;
  labels: string[];
  docCount: number;
  temperature: number;
  features: string;
  idf: string;
  weights: string;
  bias: number[];
}

const BIAS = 1; // value of the constant feature that carries each class's intercept

export class TextClassifier {
  private colOf: Int32Array;

  private constructor(
    readonly options: ClassifierOptions,
    private labelList: string[],
    private features: Int32Array,
    private idf: Float32Array,
    private weights: Float32Array,
    private bias: Float64Array,
    private temperature: number,
    private docCount: number,
  ) {
    this.colOf = buildColumnMap(options.hashBits, features);
  }

  get labels(): readonly string[] {
    return this.labelList;
  }

  /** Number of hashed features kept by the model. */
  get featureCount(): number {
    return this.features.length;
  }

  get calibrationTemperature(): number {
    return this.temperature;
  }

  /** Train from labelled texts. Deterministic for a given `seed`. */
  static train(rows: readonly LabeledText[], options: Partial<ClassifierOptions> = {}): TextClassifier {
    const opts = { ...DEFAULT_CLASSIFIER_OPTIONS, ...options };
    const counts = rows.map((r) => hashFeatures(r.text, opts));
    return TextClassifier.fromCounts(counts, rows.map((r) => r.label), opts);
  }

  /** Train from pre-hashed counts (lets cross-validation hash each text once). */
  static fromCounts(counts: readonly SparseCounts[], labels: readonly string[], opts: ClassifierOptions): TextClassifier {
    if (counts.length !== labels.length) throw new Error('counts and labels differ in length');
    const labelList = [...new Set(labels)].sort();
    const y = Int32Array.from(labels, (l) => labelList.indexOf(l));

    // Document frequencies → kept columns and their IDF.
    const space = 1 << opts.hashBits;
    const df = new Int32Array(space);
    for (const c of counts) for (let k = 0; k < c.idx.length; k++) df[c.idx[k]!]!++;
    const kept: number[] = [];
    for (let i = 0; i < space; i++) if (df[i]! >= Math.max(1, opts.minDf)) kept.push(i);
    const features = Int32Array.from(kept);
    const n = counts.length;
    const idf = new Float32Array(features.length);
    for (let j = 0; j < features.length; j++) idf[j] = Math.log((1 + n) / (1 + df[features[j]!]!)) + 1;

    const model = new TextClassifier(opts, labelList, features, idf, new Float32Array(0), new Float64Array(labelList.length), 1, n);
    const X = counts.map((c) => model.vectorize(c));
    const rand = mulberry32(opts.seed);
    const { weights, bias } = trainOneVsRest(X, y, labelList.length, features.length, opts, rand);
    model.weights = weights;
    model.bias = bias;
    model.temperature = opts.calibrationFolds >= 2 ? fitTemperatureOutOfFold(X, y, labelList.length, features.length, opts) : 0.25;
    return model;
  }

  /** Hashed counts → TF-IDF vector in the model's columns (sublinear tf, per-block L2 norm). */
  private vectorize(c: SparseCounts): SparseVec {
    const half = 1 << (this.options.hashBits - 1);
    const idx: number[] = [];
    const val: number[] = [];
    let wordNorm = 0;
    let charNorm = 0;
    for (let k = 0; k < c.idx.length; k++) {
      const h = c.idx[k]!;
      const col = this.colOf[h]!;
      if (col < 0) continue;
      const v = (1 + Math.log(c.cnt[k]!)) * this.idf[col]!;
      idx.push(col);
      val.push(v);
      if (h >= half) charNorm += v * v;
      else wordNorm += v * v;
    }
    const share = this.options.charShare;
    // If one block is empty the other takes the whole norm.
    const wScale = wordNorm > 0 ? Math.sqrt((charNorm > 0 ? 1 - share : 1) / wordNorm) : 0;
    const cScale = charNorm > 0 ? Math.sqrt((wordNorm > 0 ? share : 1) / charNorm) : 0;
    const out = new Float32Array(val.length);
    for (let k = 0; k < val.length; k++) out[k] = val[k]! * (this.features[idx[k]!]! >= half ? cScale : wScale);
    return { idx: Int32Array.from(idx), val: out };
  }

  private margins(x: SparseVec): Float64Array {
    const K = this.labelList.length;
    const m = new Float64Array(K);
    const F = this.features.length;
    for (let k = 0; k < K; k++) {
      let s = this.bias[k]! * BIAS;
      const base = k * F;
      for (let j = 0; j < x.idx.length; j++) s += this.weights[base + x.idx[j]!]! * x.val[j]!;
      m[k] = s;
    }
    return m;
  }

  /** Predict the label of one text with a calibrated confidence. */
  predict(text: string): Prediction {
    return this.predictCounts(hashFeatures(text, this.options));
  }

  predictCounts(c: SparseCounts): Prediction {
    if (this.labelList.length === 0) return { label: '', confidence: 0, ranked: [] };
    const p = softmax(this.margins(this.vectorize(c)), this.temperature);
    const ranked = this.labelList.map((label, k) => ({ label, probability: p[k]! })).sort((a, b) => b.probability - a.probability);
    return { label: ranked[0]!.label, confidence: ranked[0]!.probability, ranked };
  }

  /**
   * Learn from a few corrected examples without a full retrain (passive-aggressive PA-II updates).
   * New words get a document frequency of 1; new labels start with zero weights. A nightly full
   * retrain remains the way to re-estimate IDF and re-fit the confidence temperature.
   */
  update(rows: readonly LabeledText[], aggressiveness = 0.5, passes = 3): void {
    if (rows.length === 0) return;
    for (const r of rows) if (!this.labelList.includes(r.label)) this.addLabel(r.label);
    const counts = rows.map((r) => hashFeatures(r.text, this.options));
    this.addFeatures(counts);
    const X = counts.map((c) => this.vectorize(c));
    const y = rows.map((r) => this.labelList.indexOf(r.label));
    const F = this.features.length;
    const order = rows.map((_, i) => i);
    const rand = mulberry32(this.options.seed ^ this.docCount);
    for (let pass = 0; pass < passes; pass++) {
      shuffleInPlace(order, rand);
      for (const i of order) {
        const x = X[i]!;
        const yi = y[i]!;
        const m = this.margins(x);
        let r = -1;
        for (let k = 0; k < m.length; k++) if (k !== yi && (r < 0 || m[k]! > m[r]!)) r = k;
        if (r < 0) continue;
        const loss = Math.max(0, 1 - (m[yi]! - m[r]!));
        if (loss <= 0) continue;
        let sq = BIAS * BIAS;
        for (let j = 0; j < x.val.length; j++) sq += x.val[j]! * x.val[j]!;
        const tau = loss / (2 * sq + 1 / (2 * aggressiveness));
        for (let j = 0; j < x.idx.length; j++) {
          this.weights[yi * F + x.idx[j]!]! += tau * x.val[j]!;
          this.weights[r * F + x.idx[j]!]! -= tau * x.val[j]!;
        }
        this.bias[yi]! += tau * BIAS;
        this.bias[r]! -= tau * BIAS;
      }
    }
    this.docCount += rows.length;
  }

  private addLabel(label: string): void {
    const F = this.features.length;
    const w = new Float32Array((this.labelList.length + 1) * F);
    w.set(this.weights);
    this.weights = w;
    const b = new Float64Array(this.labelList.length + 1);
    b.set(this.bias);
    this.bias = b;
    this.labelList.push(label);
  }

  private addFeatures(counts: readonly SparseCounts[]): void {
    const fresh = new Set<number>();
    for (const c of counts) for (const h of c.idx) if (this.colOf[h]! < 0) fresh.add(h);
    if (fresh.size === 0) return;
    const oldF = this.features.length;
    const newF = oldF + fresh.size;
    const features = new Int32Array(newF);
    features.set(this.features);
    const idf = new Float32Array(newF);
    idf.set(this.idf);
    const rareIdf = Math.log((1 + this.docCount) / 2) + 1;
    let j = oldF;
    for (const h of fresh) {
      features[j] = h;
      idf[j] = rareIdf;
      this.colOf[h] = j;
      j++;
    }
    const K = this.labelList.length;
    const w = new Float32Array(K * newF);
    for (let k = 0; k < K; k++) w.set(this.weights.subarray(k * oldF, (k + 1) * oldF), k * newF);
    this.features = features;
    this.idf = idf;
    this.weights = w;
  }

  toJSON(): ClassifierJSON {
    return {
      format: 'minbiao-text-classifier',
      version: 1,
      options: this.options,
      labels: [...this.labelList],
      docCount: this.docCount,
      temperature: this.temperature,
      features: toBase64(this.features),
      idf: toBase64(this.idf),
      weights: toBase64(this.weights),
      bias: Array.from(this.bias),
    };
  }

  static fromJSON(json: unknown): TextClassifier {
    const j = json as Partial<ClassifierJSON> | null;
    if (!j || j.format !== 'minbiao-text-classifier' || j.version !== 1) throw new Error('not a minbiao text classifier model (format/version)');
    const options = { ...DEFAULT_CLASSIFIER_OPTIONS, ...j.options };
    const labels = j.labels ?? [];
    const features = new Int32Array(fromBase64(j.features ?? ''));
    const idf = new Float32Array(fromBase64(j.idf ?? ''));
    const weights = new Float32Array(fromBase64(j.weights ?? ''));
    const bias = Float64Array.from(j.bias ?? []);
    if (idf.length !== features.length || weights.length !== labels.length * features.length || bias.length !== labels.length) {
      throw new Error('corrupt classifier model: array sizes do not match');
    }
    const space = 1 << options.hashBits;
    for (const h of features) if (h < 0 || h >= space) throw new Error('corrupt classifier model: feature out of range');
    return new TextClassifier(options, [...labels], features, idf, weights, bias, j.temperature ?? 0.25, j.docCount ?? 0);
  }
}

function buildColumnMap(hashBits: number, features: Int32Array): Int32Array {
  const colOf = new Int32Array(1 << hashBits).fill(-1);
  for (let j = 0; j < features.length; j++) colOf[features[j]!] = j;
  return colOf;
}

function toBase64(a: Int32Array | Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64(s: string): ArrayBuffer {
  const b = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer (typed arrays need 4-byte alignment).
  const out = new ArrayBuffer(b.length - (b.length % 4));
  new Uint8Array(out).set(b.subarray(0, out.byteLength));
  return out;
}

export function softmax(m: ArrayLike<number>, temperature: number): Float64Array {
  const t = temperature > 0 ? temperature : 1;
  let max = -Infinity;
  for (let k = 0; k < m.length; k++) max = Math.max(max, m[k]! / t);
  const p = new Float64Array(m.length);
  let sum = 0;
  for (let k = 0; k < m.length; k++) {
    p[k] = Math.exp(m[k]! / t - max);
    sum += p[k]!;
  }
  for (let k = 0; k < m.length; k++) p[k]! /= sum;
  return p;
}

/** One-vs-rest L2-regularised L2-loss linear SVMs, dual coordinate descent with shrinking (Hsieh et al., 2008). */
function trainOneVsRest(
  X: readonly SparseVec[],
  y: Int32Array,
  K: number,
  F: number,
  opts: ClassifierOptions,
  rand: () => number,
): { weights: Float32Array; bias: Float64Array } {
  const n = X.length;
  // Flatten to CSR: one contiguous pass over memory per epoch instead of thousands of small arrays.
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + X[i]!.idx.length;
  const cols = new Int32Array(start[n]!);
  const base = new Float32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    cols.set(X[i]!.idx, start[i]!);
    base.set(X[i]!.val, start[i]!);
  }
  const vals = new Float32Array(base.length);
  const weights = new Float32Array(K * F);
  const bias = new Float64Array(K);
  const classSize = new Float64Array(K);
  for (let i = 0; i < n; i++) classSize[y[i]!]!++;
  const dii = new Float64Array(n);
  const qii = new Float64Array(n);
  const index = new Int32Array(n);
  const w = new Float64Array(F);
  const alpha = new Float64Array(n);
  for (let k = 0; k < K; k++) {
    w.fill(0);
    alpha.fill(0);
    let b = 0;
    // NB scaling is applied to a per-class copy of the values, so the inner loops stay plain.
    const r = opts.nbAlpha > 0 ? logCountRatio(cols, base, start, y, k, F, opts.nbAlpha) : null;
    if (r) for (let e = 0; e < base.length; e++) vals[e] = base[e]! * r[cols[e]!]!;
    else vals.set(base);
    // Per-example cost: the rarer class's positives may weigh more (helps macro-F1).
    const posWeight = classSize[k]! > 0 ? (n / (K * classSize[k]!)) ** opts.classWeightPower : 1;
    for (let i = 0; i < n; i++) {
      dii[i] = 1 / (2 * opts.c * (y[i] === k ? posWeight : 1));
      let s = BIAS * BIAS;
      for (let e = start[i]!; e < start[i + 1]!; e++) s += vals[e]! * vals[e]!;
      qii[i] = s + dii[i]!;
      index[i] = i;
    }
    let active = n;
    let pgMaxOld = Infinity;
    let pgMinOld = -Infinity;
    for (let epoch = 0; epoch < opts.maxEpochs; epoch++) {
      // Shuffle the active part only.
      for (let s = active - 1; s > 0; s--) {
        const j = Math.floor(rand() * (s + 1));
        const t = index[s]!;
        index[s] = index[j]!;
        index[j] = t;
      }
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let s = 0; s < active; s++) {
        const i = index[s]!;
        const yi = y[i] === k ? 1 : -1;
        const e0 = start[i]!;
        const e1 = start[i + 1]!;
        let dot = b * BIAS;
        for (let e = e0; e < e1; e++) dot += w[cols[e]!]! * vals[e]!;
        const g = yi * dot - 1 + dii[i]! * alpha[i]!;
        let pg = g;
        if (alpha[i] === 0) {
          // Shrinking: a bound example far on the right side is unlikely to move; skip it.
          if (g > pgMaxOld) {
            active--;
            index[s] = index[active]!;
            index[active] = i;
            s--;
            continue;
          }
          if (g > 0) pg = 0;
        }
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const old = alpha[i]!;
          const a = Math.max(old - g / qii[i]!, 0);
          alpha[i] = a;
          const d = (a - old) * yi;
          for (let e = e0; e < e1; e++) w[cols[e]!]! += d * vals[e]!;
          b += d * BIAS;
        }
      }
      if (pgMax - pgMin <= opts.tolerance) {
        if (active === n) break;
        // Converged on the shrunk set: check everything once more.
        active = n;
        pgMaxOld = Infinity;
        pgMinOld = -Infinity;
        continue;
      }
      pgMaxOld = pgMax <= 0 ? Infinity : pgMax;
      pgMinOld = pgMin >= 0 ? -Infinity : pgMin;
    }
    void pgMinOld; // only bound-at-zero shrinking applies to the L2 loss (no upper bound on alpha)
    // Fold the NB scaling into the weights so that prediction stays a plain dot product.
    if (r) for (let j = 0; j < F; j++) w[j]! *= r[j]!;
    weights.set(w, k * F);
    bias[k] = b;
  }
  return { weights, bias };
}

/** NB log-count ratio of class k against the rest, over the (TF-IDF) feature values. */
function logCountRatio(
  cols: Int32Array,
  vals: Float32Array,
  start: Int32Array,
  y: Int32Array,
  k: number,
  F: number,
  alpha: number,
): Float64Array {
  const p = new Float64Array(F).fill(alpha);
  const q = new Float64Array(F).fill(alpha);
  for (let i = 0; i < y.length; i++) {
    const t = y[i] === k ? p : q;
    for (let e = start[i]!; e < start[i + 1]!; e++) t[cols[e]!]! += vals[e]!;
  }
  let ps = 0;
  let qs = 0;
  for (let j = 0; j < F; j++) {
    ps += p[j]!;
    qs += q[j]!;
  }
  const r = new Float64Array(F);
  for (let j = 0; j < F; j++) r[j] = Math.log(p[j]! / ps / (q[j]! / qs));
  return r;
}

/** Temperature for softmax(margins / T) minimising the log-loss of out-of-fold margins. */
function fitTemperatureOutOfFold(X: readonly SparseVec[], y: Int32Array, K: number, F: number, opts: ClassifierOptions): number {
  const n = X.length;
  if (n < opts.calibrationFolds * 2 || K < 2) return 0.25;
  const folds = stratifiedFolds(Array.from(y, String), opts.calibrationFolds, opts.seed + 1);
  const margins: Float64Array[] = new Array(n);
  for (let f = 0; f < opts.calibrationFolds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) (folds[i] === f ? testIdx : trainIdx).push(i);
    const { weights, bias } = trainOneVsRest(
      trainIdx.map((i) => X[i]!),
      Int32Array.from(trainIdx, (i) => y[i]!),
      K,
      F,
      opts,
      mulberry32(opts.seed + 17 * (f + 1)),
    );
    for (const i of testIdx) {
      const x = X[i]!;
      const m = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        let s = bias[k]! * BIAS;
        for (let j = 0; j < x.idx.length; j++) s += weights[k * F + x.idx[j]!]! * x.val[j]!;
        m[k] = s;
      }
      margins[i] = m;
    }
  }
  const nll = (t: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s -= Math.log(Math.max(1e-12, softmax(margins[i]!, t)[y[i]!]!));
    return s;
  };
  // Golden-section search on log10(T) in [-2.5, 1].
  let lo = -2.5;
  let hi = 1;
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let bb = lo + g * (hi - lo);
  let fa = nll(10 ** a);
  let fb = nll(10 ** bb);
  for (let it = 0; it < 40; it++) {
    if (fa < fb) {
      hi = bb;
      bb = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(10 ** a);
    } else {
      lo = a;
      a = bb;
      fa = fb;
      bb = lo + g * (hi - lo);
      fb = nll(10 ** bb);
    }
  }
  return 10 ** ((lo + hi) / 2);
}

/**
 * Fold number of each row: stratified by label, and rows with the same (normalised) text always in
 * the same fold so that duplicated appeals cannot leak from training into testing.
 */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number, texts?: readonly string[]): Int32Array {
  const n = labels.length;
  const folds = new Int32Array(n);
  const rand = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, rand);
  // Group duplicates: the first occurrence decides the fold of the whole group.
  const groupOf = new Map<number, number>();
  const members = new Map<number, number[]>();
  for (const i of order) {
    const key = texts ? fnv1a(normalizeText(texts[i]!).replace(/\s+/g, '')) : i;
    const head = groupOf.get(key);
    if (head === undefined) {
      groupOf.set(key, i);
      members.set(i, [i]);
    } else members.get(head)!.push(i);
  }
  const perLabel = new Map<string, number>();
  for (const [head, rows] of members) {
    const label = labels[head]!;
    const c = perLabel.get(label) ?? Math.floor(rand() * k);
    perLabel.set(label, c + 1);
    for (const i of rows) folds[i] = c % k;
  }
  return folds;
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface CoveragePoint {
  threshold: number;
  /** Share of items at or above the threshold (dispatched automatically). */
  coverage: number;
  /** Accuracy on those items. */
  accuracy: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: Record<string, ClassReport>;
  /** Rows are true labels, columns predicted labels, both in `labels` order. */
  confusion: { labels: string[]; matrix: number[][] };
  /** Expected calibration error over 10 equal-width confidence bins. */
  ece: number;
  coverage: CoveragePoint[];
}

export interface CrossValidationReport extends EvalReport {
  folds: number;
  seed: number;
  foldMacroF1: number[];
  foldAccuracy: number[];
}

/** Score predictions against truth. `confidences` enables calibration and coverage figures. */
export function scorePredictions(truth: readonly string[], predicted: readonly string[], confidences?: readonly number[]): EvalReport {
  const labels = [...new Set([...truth, ...predicted])].filter((l) => l !== '').sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]!);
    const p = index.get(predicted[i]!);
    if (t !== undefined && p !== undefined) matrix[t]![p]!++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass: Record<string, ClassReport> = {};
  let macro = 0;
  let weighted = 0;
  let truthLabels = 0;
  labels.forEach((l, i) => {
    const tp = matrix[i]![i]!;
    const support = matrix[i]!.reduce((a, b) => a + b, 0);
    const predictedCount = matrix.reduce((a, row) => a + row[i]!, 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[l] = { precision, recall, f1, support };
    if (support > 0) {
      macro += f1;
      truthLabels++;
      weighted += f1 * support;
    }
  });
  const n = truth.length;
  let ece = 0;
  const coverage: CoveragePoint[] = [];
  if (confidences && confidences.length === n && n > 0) {
    const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, acc: 0 }));
    for (let i = 0; i < n; i++) {
      const c = confidences[i]!;
      const b = bins[Math.min(9, Math.max(0, Math.floor(c * 10)))]!;
      b.n++;
      b.conf += c;
      b.acc += truth[i] === predicted[i] ? 1 : 0;
    }
    for (const b of bins) if (b.n) ece += (b.n / n) * Math.abs(b.acc / b.n - b.conf / b.n);
    for (const threshold of [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]) {
      let m = 0;
      let ok = 0;
      for (let i = 0; i < n; i++) {
        if (confidences[i]! >= threshold) {
          m++;
          if (truth[i] === predicted[i]) ok++;
        }
      }
      coverage.push({ threshold, coverage: m / n, accuracy: m ? ok / m : 0 });
    }
  }
  return {
    n,
    accuracy: n ? correct / n : 0,
    macroF1: truthLabels ? macro / truthLabels : 0,
    weightedF1: n ? weighted / n : 0,
    perClass,
    confusion: { labels, matrix },
    ece,
    coverage,
  };
}

/** Evaluate a trained model on labelled rows. */
export function evaluate(model: TextClassifier, rows: readonly LabeledText[]): EvalReport {
  const preds = rows.map((r) => model.predict(r.text));
  return scorePredictions(
    rows.map((r) => r.label),
    preds.map((p) => p.label),
    preds.map((p) => p.confidence),
  );
}

/**
 * Stratified k-fold cross-validation (duplicates kept in one fold). Each text is hashed once; every
 * fold re-estimates IDF and the kept features from its own training part, so nothing leaks.
 */
export function crossValidate(
  rows: readonly LabeledText[],
  k = 5,
  seed = 42,
  options: Partial<ClassifierOptions> = {},
): CrossValidationReport {
  if (k < 2 || rows.length < k) throw new Error(`cross-validation needs k ≥ 2 and at least k rows (k=${k}, rows=${rows.length})`);
  const opts = { ...DEFAULT_CLASSIFIER_OPTIONS, seed, ...options };
  const counts = rows.map((r) => hashFeatures(r.text, opts));
  const labels = rows.map((r) => r.label);
  const folds = stratifiedFolds(labels, k, seed, rows.map((r) => r.text));
  const predicted: string[] = new Array(rows.length);
  const conf: number[] = new Array(rows.length);
  const foldMacroF1: number[] = [];
  const foldAccuracy: number[] = [];
  for (let f = 0; f < k; f++) {
    const tr: number[] = [];
    const te: number[] = [];
    for (let i = 0; i < rows.length; i++) (folds[i] === f ? te : tr).push(i);
    const model = TextClassifier.fromCounts(
      tr.map((i) => counts[i]!),
      tr.map((i) => labels[i]!),
      opts,
    );
    for (const i of te) {
      const p = model.predictCounts(counts[i]!);
      predicted[i] = p.label;
      conf[i] = p.confidence;
    }
    const fr = scorePredictions(
      te.map((i) => labels[i]!),
      te.map((i) => predicted[i]!),
    );
    foldMacroF1.push(fr.macroF1);
    foldAccuracy.push(fr.accuracy);
  }
  return { ...scorePredictions(labels, predicted, conf), folds: k, seed, foldMacroF1, foldAccuracy };
}
