// The text commands as an analyst runs them: `minbiao classify cv|train|eval` and `minbiao hotspots`
// on a CSV (here built from the shipped seed sentences; the public sets live outside the repository).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedExamples } from '../../demo/categories.ts';
import { segmentWords } from '../../domain/text/index.ts';

const run = promisify(execFile);
const minbiao = (args: string[]) => run(process.execPath, ['bin/minbiao.mjs', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 120_000 });
let dir: string;
const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minbiao-cli-text-'));
  const groups = ['order.noise', 'legal.aid', 'fraud.victim', 'dispute.labour'];
  const rows = seedExamples.filter((e) => groups.includes(e.categoryId));
  fs.writeFileSync(path.join(dir, 'raw.csv'), `文本,类别\n${rows.map((r) => `${csvField(r.text)},${r.categoryId}`).join('\n')}\n`);
  // The same rows already segmented (space-separated words), as the public sets ship them.
  fs.writeFileSync(path.join(dir, 'seg.csv'), `text,label\n${rows.map((r) => `${csvField(segmentWords(r.text).join(' '))},${r.categoryId}`).join('\n')}\n`);
  const msgs = ['金桂苑小区门口烧烤摊油烟扰民', '金桂苑小区门口烧烤摊油烟太大', '投诉金桂苑门口烧烤摊占道油烟', '金桂苑小区门口烧烤摊夜里吵', '东湖路公交站牌损坏'];
  fs.writeFileSync(path.join(dir, 'msgs.csv'), `主题,详情,时间\n${msgs.map((m, i) => `${m},${csvField(`${m}，严重影响居民生活，请处理。`)},2026-11-0${i + 1} 10:00:00`).join('\n')}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('minbiao classify / hotspots', () => {
  it('cross-validates raw and pre-segmented text, prints JSON {accuracy, macroF1, perClass}', async () => {
    for (const [file, text, label] of [['raw.csv', '文本', '类别'], ['seg.csv', 'text', 'label']] as const) {
      const r = await minbiao(['classify', 'cv', '--csv', path.join(dir, file), '--text-col', text, '--label-col', label, '--folds', '3', '--json']);
      const j = JSON.parse(r.stdout);
      expect(j.accuracy).toBeGreaterThan(0.5);
      expect(Object.keys(j.perClass).sort()).toEqual(['dispute.labour', 'fraud.victim', 'legal.aid', 'order.noise']);
      expect(j.macroF1).toBeGreaterThan(0.4);
    }
  });

  it('trains a model file and evaluates it; a missing column is a clear error', async () => {
    const model = path.join(dir, 'm.json');
    await minbiao(['classify', 'train', '--csv', path.join(dir, 'raw.csv'), '--text-col', '文本', '--label-col', '类别', '--model', model]);
    expect(fs.statSync(model).size).toBeGreaterThan(1000);
    const e = JSON.parse((await minbiao(['classify', 'eval', '--model', model, '--csv', path.join(dir, 'raw.csv'), '--text-col', '文本', '--label-col', '类别', '--json'])).stdout);
    expect(e.accuracy).toBeGreaterThan(0.9); // on its own training rows
    const bad = await minbiao(['classify', 'eval', '--model', model, '--csv', path.join(dir, 'raw.csv'), '--text-col', 'nope', '--label-col', '类别']).catch((x: { code: number; stderr: string }) => x);
    expect((bad as { code: number }).code).not.toBe(0);
    expect((bad as { stderr: string }).stderr).toMatch(/nope/);
  });

  it('finds the hotspot in a CSV of messages', async () => {
    const r = await minbiao(['hotspots', '--csv', path.join(dir, 'msgs.csv'), '--text-col', '详情', '--title-col', '主题', '--time-col', '时间', '--top', '3', '--json']);
    const list = JSON.parse(r.stdout) as { label: string; messages: unknown[] }[];
    expect(list[0]!.label).toContain('金桂苑');
    expect(list[0]!.messages.length).toBe(4);
  });
});
