// bench/import: hotline work-order import through `minbiao import` as an operator runs it, on a
// generated CSV with Chinese headers, mixed date formats and ~1 % bad rows. Measured per run: rows per
// second and the peak resident memory (VmHWM) of the importing process. The baseline is the same
// import of a file 10× smaller in the same run: if the import streams, the larger file needs about
// the same memory. Then the large file again, which must import nothing (exactly once). Prints JSON.
//   node --import tsx/esm bench/import/run.ts [--rows 200000] [--baseline 20000] [--heap-cap 128] [--no-pg]
// The importing process runs with --max-old-space-size=HEAP_CAP: it could not hold the file if it tried.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { demoCategories, leafCategories } from '../../src/demo/index.ts';
import { generateCity } from '../../src/demo/city.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { tempDatabase } from '../lib/setup.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const ROWS = Number(arg('rows', '200000'));
const BASELINE = Number(arg('baseline', String(Math.max(1000, Math.round(ROWS / 10)))));
const NOW = Date.parse('2026-11-05T09:00:00+08:00');
/** The importing process runs with its JS heap capped: a streaming import fits whatever the file size. */
const HEAP_CAP_MB = Number(arg('heap-cap', '128'));

/** A deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generate(file: string, rows: number, seed: number): { bytes: number; bad: number } {
  const city = generateCity(7);
  const streets = city.regions.filter((r) => r.level === 'township');
  const districts = city.regions.filter((r) => r.level === 'county');
  const cats = leafCategories(demoCategories());
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const types = ['投诉', '求助', '咨询', '举报', '建议', '纠纷'];
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
  const roads = ['人民路', '解放路', '建设路', '中山路', '和平路', '新华路', '文化路', '幸福路', '胜利路', '滨江路'];
  const out = fs.openSync(file, 'w');
  let bytes = 0;
  let bad = 0;
  const w = (s: string) => {
    const b = Buffer.from(s);
    fs.writeSync(out, b);
    bytes += b.length;
  };
  w('\uFEFF工单编号,来电时间,诉求类型,诉求分类,诉求内容,诉求地址,来电人,联系电话,所属区域,紧急程度\r\n');
  let buf = '';
  const start = Date.parse('2026-07-01T00:00:00+08:00');
  const span = Date.parse('2026-10-31T00:00:00+08:00') - start;
  for (let i = 0; i < rows; i++) {
    const t = start + Math.floor(rand() * span);
    const d = new Date(t + 8 * 3600_000);
    const [y, mo, da, h, mi] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
    const p2 = (n: number) => String(n).padStart(2, '0');
    const fmt = i % 4;
    let when = fmt === 0 ? `${y}/${mo}/${da} ${h}:${p2(mi)}` : fmt === 1 ? `${y}-${p2(mo)}-${p2(da)} ${p2(h)}:${p2(mi)}:00` : fmt === 2 ? `${y}年${mo}月${da}日 ${h}时${p2(mi)}分` : `${y}-${p2(mo)}-${p2(da)}T${p2(h)}:${p2(mi)}`;
    const street = pick(streets);
    const cat = pick(cats);
    let body = `${street.name}${pick(roads)}附近${cat.name}问题,已持续${1 + Math.floor(rand() * 30)}天,${pick(['影响居民正常生活', '多次反映未解决', '希望相关部门尽快处理', '请派人现场核查'])}。${pick(['夜间尤为严重', '周边老人孩子较多', '存在安全隐患', '群众意见很大', ''])}`;
    let phone = `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
    if (rand() < 0.01) {
      bad++;
      const k = Math.floor(rand() * 3);
      if (k === 0) when = '不详';
      else if (k === 1) body = '';
      else phone = `138****${String(i % 10000).padStart(4, '0')}`;
    }
    const name = `${pick([...surnames])}${pick([...given])}${rand() < 0.5 ? pick([...given]) : ''}`;
    const region = rand() < 0.7 ? street.name : pick(districts).name;
    buf += `GD${String(seed).padStart(2, '0')}${String(i).padStart(8, '0')},${when},${pick(types)},${cat.name},"${body}",${street.name}${pick(roads)}${1 + Math.floor(rand() * 300)}号,${name},${phone},${region},${rand() < 0.05 ? '紧急' : '一般'}\r\n`;
    if (buf.length > 1 << 20) {
      w(buf);
      buf = '';
    }
  }
  w(buf);
  fs.closeSync(out);
  return { bytes, bad };
}

async function prepare(dialect: 'sqlite' | 'postgres') {
  const db = await tempDatabase(dialect, 'bench-imp');
  const env = { ...db.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' };
  const s = await createServices(loadConfig(env), { now: () => NOW });
  await seedDemo(s, { appeals: 0, seed: 7, now: NOW });
  await s.close();
  return { env, dir: db.dataDir, cleanup: db.cleanup };
}

/** Runs `minbiao import` and samples the child's memory from /proc until it exits. */
function runImport(file: string, env: Record<string, string>, errors: string): Promise<{ seconds: number; peakRssMB: number; report: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, 'bin/minbiao.mjs', 'import', file, '--quiet', '--errors', errors], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peakKB = 0;
    const sample = () => {
      try {
        const st = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(st);
        if (hwm) peakKB = Math.max(peakKB, Number(hwm[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 25);
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`import exited ${code}: ${err}`));
      const report = JSON.parse(out.trim().split('\n').at(-1)!);
      resolve({ seconds: (performance.now() - t0) / 1000, peakRssMB: Math.round(peakKB / 102.4) / 10, report });
    });
  });
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function bench(dialect: 'sqlite' | 'postgres') {
  const db = await prepare(dialect);
  try {
    const small = path.join(db.dir, 'small.csv');
    const large = path.join(db.dir, 'large.csv');
    const gs = generate(small, BASELINE, 1);
    const gl = generate(large, ROWS, 2);
    const result = async (file: string, g: { bytes: number; bad: number }, rows: number) => {
      const r = await runImport(file, db.env, `${file}.errors.csv`);
      return {
        rows,
        fileMB: round(g.bytes / 1048576),
        badRowsGenerated: g.bad,
        seconds: round(r.seconds),
        rowsPerSecond: Math.round(rows / r.seconds),
        importRowsPerSecond: r.report.rowsPerSecond,
        peakRssMB: r.peakRssMB,
        accepted: r.report.accepted,
        duplicates: r.report.duplicates,
        rejected: r.report.rejected,
      };
    };
    const baseline = await result(small, gs, BASELINE);
    const main = await result(large, gl, ROWS);
    const rerun = await result(large, gl, ROWS);
    return {
      baseline,
      main,
      rerun,
      peakRssGrowthMB: round(main.peakRssMB - baseline.peakRssMB),
      memoryRatio: round(main.peakRssMB / baseline.peakRssMB, 2),
      exactlyOnce: rerun.accepted === 0 && rerun.duplicates === main.accepted,
    };
  } finally {
    await db.cleanup();
  }
}

if (process.argv[1]?.endsWith('run.ts')) {
const out: Record<string, unknown> = { rows: ROWS, baselineRows: BASELINE, v8HeapCapMB: HEAP_CAP_MB, machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => round(x, 2)), node: process.version } };
out.sqlite = await bench('sqlite');
if (!args.includes('--no-pg')) out.postgres = await bench('postgres');
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
