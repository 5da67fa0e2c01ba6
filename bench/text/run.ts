// Text-intelligence benchmark. Prints one JSON object; progress goes to stderr.
//
//   node --import tsx/esm bench/text/run.ts [--data ../shared/data] [--max 1000000] [--budget-s 420] [--quick]
//        [--only classification,duplicates,hotspots]
//
// Every figure comes with a baseline measured in the same run:
// - classification throughput vs jieba segmentation alone (the floor of any word-based classifier);
// - training time vs featurising the same rows (the part no learner can skip);
// - hotspot update cost per appeal at growing stored sizes (10k, 100k, 1M) vs segmenting the same
//   appeals alone — flat growth is the claim;
// - duplicate look-up p50/p99 at growing stored sizes vs an exhaustive scan of the same index.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DAY_MS,
  HotspotDetector,
  NearDuplicateIndex,
  TextClassifier,
  hashFeatures,
  minhash,
  mulberry32,
  parseCsv,
  segmentWords,
  DEFAULT_CLASSIFIER_OPTIONS,
} from '../../src/domain/text/index.ts';

const args = process.argv.slice(2);
const arg = (name: string, def?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const quick = args.includes('--quick');
const dataDir = path.resolve(arg('data', '../shared/data')!);
const maxStored = Number(arg('max', quick ? '100000' : '1000000'));
const budgetMs = Number(arg('budget-s', quick ? '60' : '420')) * 1000;
const only = new Set((arg('only', 'classification,duplicates,hotspots') ?? '').split(','));
const log = (s: string) => process.stderr.write(`${s}\n`);

// Timings are CPU time of this process (user + system, all its threads) in ms: the machine may be
// shared, and "per core" figures must not include time spent waiting for a core. Wall time is
// reported next to the main figures.
const now = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const wall = () => performance.now();
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : 0;
}
function memoryMb() {
  const m = process.memoryUsage();
  return { heapUsedMb: Math.round(m.heapUsed / 1e6), externalMb: Math.round((m.external + m.arrayBuffers) / 1e6), rssMb: Math.round(m.rss / 1e6) };
}

// ---------------------------------------------------------------- synthetic appeals
// Varied, realistic-looking appeals: thousands of places × dozens of problems, Zipf-skewed so that
// some (place, problem) pairs recur (hotspots) and most do not.
const NAME_CHARS = '丽华幸福和平建设人民解放东方红星光明新金色阳翠湖碧水蓝天锦绣春秋实嘉禾瑞祥安康泰宁德政文昌兴隆盛世恒远鸿达富贵吉利顺通汇景园林山海云松竹梅兰桂枫桃李杏柳';
const SUFFIXES = ['小区', '花园', '家园', '新村', '路', '街', '广场', '公寓', '大厦', '市场', '学校', '华庭', '雅苑', '新城'];
const PROBLEMS = [
  ['夜间施工噪音扰民', '工地每天晚上十一点以后还在施工，打桩机噪音很大'],
  ['餐饮店油烟直排', '楼下饭店油烟直接排放，家里窗户都不敢开'],
  ['井盖缺失', '路上井盖丢了好几天，晚上很危险'],
  ['路灯不亮', '路灯坏了一个多月，晚上出行很不安全'],
  ['占道经营', '流动摊贩占道经营，行人只能走机动车道'],
  ['垃圾堆放', '垃圾堆放好几天没人清运，臭气熏天'],
  ['违章搭建', '有住户在楼顶违章搭建，存在安全隐患'],
  ['物业乱收费', '物业公司擅自提高停车费，还强制收取其他费用'],
  ['电梯经常故障', '电梯经常停运，老人上下楼非常困难'],
  ['拖欠农民工工资', '包工头拖欠工资半年，工人讨薪无门'],
  ['麻将馆扰民', '一楼麻将馆通宵营业，吵得居民无法休息'],
  ['广场舞音响太吵', '广场舞音响声音太大，早晚都在放'],
  ['飙车炸街', '深夜有改装车飙车炸街，噪音很大'],
  ['学校违规补课收费', '学校暑假组织补课并收取费用'],
  ['频繁停水', '最近频繁停水，没有任何通知'],
  ['下水道堵塞', '下水道堵塞污水横流，物业不管'],
  ['电信诈骗被骗', '接到冒充客服的电话被骗走两万元'],
  ['房屋质量问题', '新房墙面开裂漏水，开发商拒绝维修'],
  ['停车难', '小区车位不足，车辆乱停乱放堵塞消防通道'],
  ['群租房安全隐患', '有人把房子隔成十几间出租，消防隐患很大'],
  ['噪音扰民的KTV', 'KTV营业到凌晨，音乐声传到居民楼'],
  ['无证经营', '有人在居民楼里无证开设小作坊'],
  ['公交站点设置不合理', '公交站点离小区太远，老人出行不便'],
  ['绿化带被毁', '有人毁坏绿化带种菜，还施用农药'],
];
const CLAUSES = [
  '家里有老人和小孩', '我们多次找物业沟通', '打12345也反映过', '社区说不归他们管', '晚上根本睡不着觉', '上下班高峰特别明显',
  '周围几栋楼的住户都有意见', '已经影响到孩子学习', '有老人因此摔倒过', '下雨天情况更糟', '周末尤其严重', '附近还有一所小学',
  '之前整改过一次又反弹了', '业主群里大家都在讨论', '拍了照片和视频作为证据', '希望不要再推诿', '找过街道办没有结果',
  '对面商户也受到影响', '夏天味道特别大', '外地车辆也经常过来', '已经向媒体反映', '城管来过一次就再没来',
];
const DURATIONS = ['已经一个星期了', '持续了一个多月', '好几天了', '反映多次仍未解决', '今年以来一直如此', '最近越来越严重'];
const REQUESTS = ['希望相关部门尽快处理', '请有关部门查处', '恳请领导重视', '希望尽快解决', '请给个说法', '盼回复'];

function syntheticAppeals(seed: number) {
  const rand = mulberry32(seed);
  const places: string[] = [];
  for (let i = 0; i < 20000; i++) {
    let name = '';
    const len = 2 + Math.floor(rand() * 2);
    for (let k = 0; k < len; k++) name += NAME_CHARS[Math.floor(rand() * NAME_CHARS.length)];
    places.push(name + SUFFIXES[Math.floor(rand() * SUFFIXES.length)]);
  }
  // Zipf-like choice: a few places and problems are much more frequent.
  const zipf = (n: number) => Math.min(n - 1, Math.floor(n * rand() ** 3));
  return (i: number) => {
    const place = places[zipf(places.length)]!;
    const [problem, detail] = PROBLEMS[zipf(PROBLEMS.length)]!;
    const building = 1 + Math.floor(rand() * 30);
    const title = `${place}${problem}`;
    const extra = [0, 1, 2].filter(() => rand() < 0.5).map(() => CLAUSES[Math.floor(rand() * CLAUSES.length)]!);
    const text = `我住在${place}${building}栋，${detail}，${extra.length ? `${extra.join('，')}，` : ''}${DURATIONS[Math.floor(rand() * DURATIONS.length)]}，${REQUESTS[Math.floor(rand() * REQUESTS.length)]}。`;
    return { id: `s${i}`, title, text, citizenKey: `c${Math.floor(rand() * 5_000_000)}`, likes: rand() < 0.05 ? Math.floor(rand() * 50) : 0 };
  };
}

// ---------------------------------------------------------------- classification
async function benchClassification() {
  const file = path.join(dataDir, 'teddy2020_task1_train_segmented.csv');
  if (!existsSync(file)) return { skipped: `not found: ${file}` };
  const records = parseCsv(await readFile(file, 'utf8'));
  const h = records[0]!;
  const rows = records.slice(1).map((r) => ({ text: r[h.indexOf('text')] ?? '', label: r[h.indexOf('label')] ?? '' }));
  log(`classification: ${rows.length} rows`);

  // Baseline for training: featurising every row once (hashing words and character n-grams).
  let t = now();
  for (const r of rows) hashFeatures(r.text, DEFAULT_CLASSIFIER_OPTIONS);
  const featurizeMs = now() - t;

  t = now();
  const w0 = wall();
  const model = TextClassifier.train(rows);
  const trainMs = now() - t;
  const trainWallMs = wall() - w0;
  t = now();
  TextClassifier.train(rows, { calibrationFolds: 0 });
  const trainNoCalibrationMs = now() - t;
  log(`  trained in ${Math.round(trainMs)} ms (${Math.round(trainNoCalibrationMs)} ms without calibration)`);

  // Throughput on pre-segmented text (the training file).
  t = now();
  for (const r of rows) model.predict(r.text);
  const segmentedPerSec = rows.length / ((now() - t) / 1000);

  // Throughput on raw appeals (title + body), the production case, against jieba alone.
  const raw: string[] = [];
  const f2 = path.join(dataDir, 'teddy2020_task2_messages.csv');
  if (existsSync(f2)) {
    const rec2 = parseCsv(await readFile(f2, 'utf8'));
    const h2 = rec2[0]!;
    for (const r of rec2.slice(1)) raw.push(`${r[h2.indexOf('留言主题')] ?? ''}\n${r[h2.indexOf('留言详情')] ?? ''}`);
  }
  const rawTexts = raw.length ? raw : rows.map((r) => r.text.replace(/\s+/g, ''));
  segmentWords(rawTexts[0] ?? ''); // load jieba outside the timing
  t = now();
  for (const x of rawTexts) segmentWords(x);
  const jiebaPerSec = rawTexts.length / ((now() - t) / 1000);
  t = now();
  for (const x of rawTexts) model.predict(x);
  const rawPerSec = rawTexts.length / ((now() - t) / 1000);
  const avgChars = rawTexts.reduce((a, x) => a + x.length, 0) / Math.max(1, rawTexts.length);

  return {
    rows: rows.length,
    features: model.featureCount,
    trainMs: Math.round(trainMs),
    trainWallMs: Math.round(trainWallMs),
    trainNoCalibrationMs: Math.round(trainNoCalibrationMs),
    baselineFeaturizeMs: Math.round(featurizeMs),
    trainVsFeaturize: round(trainMs / featurizeMs, 2),
    throughputSegmentedPerSec: Math.round(segmentedPerSec),
    rawAppeals: rawTexts.length,
    rawAvgChars: Math.round(avgChars),
    throughputRawPerSec: Math.round(rawPerSec),
    baselineJiebaOnlyPerSec: Math.round(jiebaPerSec),
    classifyVsJieba: round(rawPerSec / jiebaPerSec, 3),
  };
}

// ---------------------------------------------------------------- hotspots
function benchHotspots() {
  const gen = syntheticAppeals(7);
  const checkpoints = [10_000, 30_000, 100_000, 300_000, 1_000_000].filter((c) => c <= maxStored);
  const spanMs = 85 * DAY_MS; // everything stays inside the 90-day window
  const total = checkpoints[checkpoints.length - 1] ?? 0;
  const d = new HotspotDetector();
  const sample = 2000;
  const points: Record<string, unknown>[] = [];
  const started = now();
  let stored = 0;
  let stoppedEarly: string | null = null;
  for (const cp of checkpoints) {
    // Fill up to the checkpoint minus the measured sample.
    const fillTo = cp - sample;
    const fillStart = now();
    const fillFrom = stored;
    while (stored < fillTo) {
      const m = gen(stored);
      d.add({ ...m, time: Date.UTC(2024, 0, 1) + (stored / total) * spanMs });
      stored++;
      if (stored % 50_000 === 0) log(`  hotspots: ${stored} stored, ${d.clusterCount} clusters, ${Math.round((now() - started) / 1000)} s`);
    }
    const fillMs = now() - fillStart;
    // Measure the next `sample` adds, and segmentation alone on the same appeals as the baseline.
    const msgs = Array.from({ length: sample }, (_, k) => ({ ...gen(stored + k), time: Date.UTC(2024, 0, 1) + ((stored + k) / total) * spanMs }));
    let t = now();
    for (const m of msgs) segmentWords(`${m.title}\n${m.text}`);
    const segUs = ((now() - t) * 1000) / sample;
    t = now();
    for (const m of msgs) d.add(m);
    const addUs = ((now() - t) * 1000) / sample;
    stored += sample;
    // A report at this size (what a dashboard asks for).
    t = now();
    d.top(20, Date.UTC(2024, 0, 1) + (stored / total) * spanMs);
    const topMs = now() - t;
    points.push({ stored: cp, clusters: d.clusterCount, addUsPerAppeal: round(addUs), baselineSegmentUs: round(segUs), addVsSegment: round(addUs / segUs, 2), top20Ms: Math.round(topMs), ...memoryMb() });
    log(`  hotspots @${cp}: ${round(addUs)} µs/appeal (segmentation alone ${round(segUs)} µs) ${JSON.stringify(points[points.length - 1])}`);
    // Stop growing if the next checkpoint would not fit in the time budget.
    const next = checkpoints[checkpoints.indexOf(cp) + 1];
    if (next) {
      const perAppealMs = (fillMs + (addUs * sample) / 1000) / Math.max(1, stored - fillFrom);
      const projected = (next - stored) * perAppealMs;
      if (now() - started + projected > budgetMs) {
        stoppedEarly = `stopped before ${next}: projected ${Math.round(projected / 1000)} s exceeds the --budget-s time budget`;
        log(`  hotspots: ${stoppedEarly}`);
        break;
      }
    }
  }
  const first = points[0] as { addUsPerAppeal: number } | undefined;
  const last = points[points.length - 1] as { addUsPerAppeal: number; stored: number } | undefined;
  const top = d.top(5, Date.UTC(2024, 0, 1) + spanMs);
  return {
    window: '90 days (all synthetic appeals inside it)',
    points,
    growthFirstToLast: first && last ? round(last.addUsPerAppeal / first.addUsPerAppeal, 2) : null,
    storedGrowth: first && last ? round(last.stored / (points[0] as { stored: number }).stored, 0) : null,
    stoppedEarly,
    sampleTopLabels: top.map((h) => `${h.label} (${h.messages})`),
  };
}

// ---------------------------------------------------------------- duplicates
function benchDuplicates() {
  const gen = syntheticAppeals(11);
  const sizes = [10_000, 100_000, 1_000_000].filter((c) => c <= maxStored);
  const idx = new NearDuplicateIndex();
  const t0 = Date.UTC(2024, 0, 1);
  const span = 85 * DAY_MS;
  const total = sizes[sizes.length - 1] ?? 0;
  const rand = mulberry32(5);
  const points: Record<string, unknown>[] = [];
  let stored = 0;
  const texts: string[] = [];
  const started = now();
  for (const size of sizes) {
    const addStart = now();
    const from = stored;
    while (stored < size) {
      const m = gen(stored);
      const text = `${m.title}。${m.text}`;
      if (texts.length < 200_000) texts.push(text);
      idx.add(m.id, text, t0 + (stored / total) * span, m.citizenKey);
      stored++;
    }
    const addUs = ((now() - addStart) * 1000) / Math.max(1, stored - from);
    // Queries: half light edits of stored appeals (should match), half fresh appeals.
    const queries: string[] = [];
    for (let q = 0; q < 1000; q++) {
      if (q % 2 === 0) {
        const base = texts[Math.floor(rand() * texts.length)]!;
        queries.push(base.replace('希望', '盼望').replace('。', '！'));
      } else queries.push(`${gen(10_000_000 + q).title}。${gen(20_000_000 + q).text}`);
    }
    // Appeals with no near-duplicate at all (random characters): the common case in production.
    const unrelated: string[] = [];
    for (let q = 0; q < 500; q++) {
      let u = '';
      for (let k = 0; k < 80; k++) u += String.fromCharCode(0x4e00 + Math.floor(rand() * 6000));
      unrelated.push(u);
    }
    const at = t0 + span;
    // The constant part of every look-up: computing the query's MinHash signature.
    const ts = now();
    for (const q of queries) minhash(q, idx.options);
    const signatureUs = ((now() - ts) * 1000) / queries.length;
    const lat: number[] = [];
    let found = 0;
    for (const q of queries) {
      const t = now();
      const r = idx.query(q, at);
      lat.push((now() - t) * 1000);
      if (r.length) found++;
    }
    const latUnrelated: number[] = [];
    for (const q of unrelated) {
      const t = now();
      idx.query(q, at);
      latUnrelated.push((now() - t) * 1000);
    }
    // Baseline: an exhaustive scan over the same index (fewer queries at large sizes: it is slow).
    const scanQueries = size >= 1_000_000 ? 20 : size >= 100_000 ? 50 : 200;
    const scanLat: number[] = [];
    for (const q of queries.slice(0, scanQueries)) {
      const t = now();
      idx.scan(q, at);
      scanLat.push((now() - t) * 1000);
    }
    const p50 = percentile(lat, 0.5);
    const scanP50 = percentile(scanLat, 0.5);
    points.push({
      stored: size,
      addUsPerAppeal: round(addUs),
      queryP50Us: round(p50),
      queryP99Us: round(percentile(lat, 0.99)),
      queriesWithMatch: found,
      unrelatedQueryP50Us: round(percentile(latUnrelated, 0.5)),
      unrelatedQueryP99Us: round(percentile(latUnrelated, 0.99)),
      signatureUs: round(signatureUs),
      baselineScanP50Us: round(scanP50),
      baselineScanP99Us: round(percentile(scanLat, 0.99)),
      scanVsLsh: round(scanP50 / p50, 1),
      ...memoryMb(),
    });
    log(`  duplicates @${size}: p50 ${round(p50)} µs, p99 ${round(percentile(lat, 0.99))} µs; scan p50 ${round(scanP50)} µs ${JSON.stringify(points[points.length - 1])}`);
    if (now() - started > budgetMs) break;
  }
  return { window: '90 days', lsh: '16 bands × 4 rows MinHash over character bigrams', points };
}

const result: Record<string, unknown> = {
  timing: 'CPU time of the benchmark process (user + system) unless a field says wall',
  node: process.version,
  cpu: (await import('node:os')).cpus()[0]?.model ?? 'unknown',
  cores: (await import('node:os')).cpus().length,
  loadAverage: (await import('node:os')).loadavg().map((x) => round(x, 2)),
  dataDir,
};
if (only.has('classification')) {
  log('— classification');
  result.classification = await benchClassification();
}
if (only.has('duplicates')) {
  log('— duplicates');
  result.duplicates = benchDuplicates();
}
if (only.has('hotspots')) {
  log('— hotspots');
  result.hotspots = benchHotspots();
}
result.loadAverageAfter = (await import('node:os')).loadavg().map((x) => round(x, 2));
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
