// `minbiao score`: the 民标 figures from the command line.
//   minbiao score --period 2026-10 [--unit ID] [--json]   the ranking table (Chinese) or JSON
//   minbiao score publish --period 2026-10 [--json]       freeze the period (a snapshot with the hash of its inputs)
//   minbiao score verify --period 2026-10 [--json]        recompute the snapshot from events; exit code 1 on any difference
//   minbiao score rebuild                                 fill missing place indexes, rebuild score_facts / score_stats from appeal_events
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { createServices, type Services } from '../../services/index.ts';
import type { SystemPrincipal } from '../../services/principal.ts';
import { rebuildScoreFacts } from '../../services/scoring/projector.ts';
import { backfillPlaceKeys } from '../../services/appeals/place.ts';
import { peerGroupLabel } from '../../services/scoring/service.ts';
import type { PeerRankingView } from '../../services/scoring/engine.ts';

const CLI: SystemPrincipal = { kind: 'system', job: 'cli' };

async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const s = await createServices(loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', SCHEDULER_ENABLED: 'false' }));
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** Display width: CJK and full-width characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const padR = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padL = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, d = 1) => (x === null ? '—' : x.toFixed(d));
const rk = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function table(g: PeerRankingView, mark?: string): string {
  const head = ['名次', '单位', '诉求量', '有效评价', '响应率', '解决率', '满意率', '民标指数', '调整后指数 [95%区间]', '名次区间', '说明'];
  const rows = g.units.map((u) => [
    `${u.unitId === mark ? '▶' : ''}${u.index.rank}`,
    u.name,
    String(u.volume),
    String(u.rated),
    pct(u.raw.response),
    pct(u.raw.resolution),
    pct(u.raw.satisfaction),
    num(u.raw.index),
    `${num(u.index.estimate)} [${num(u.index.interval95[0])}, ${num(u.index.interval95[1])}]`,
    `${rk(u.index.rankInterval95[0])}–${rk(u.index.rankInterval95[1])}`,
    u.index.notDistinguishableFromMedian ? '与中位数无显著差异' : u.index.pBetterThanMedian > 0.5 ? '显著优于中位数' : '显著低于中位数',
  ]);
  for (const u of g.unranked) rows.push([`${u.unitId === mark ? '▶' : ''}—`, u.name, String(u.volume), '0', '', '', '', '', '', '', u.reason === 'no-valid-ratings' ? '无有效评价,不排名' : '无响应数据,不排名']);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const right = new Set([0, 2, 3, 4, 5, 6, 7]);
  const line = (r: string[]) => r.map((c, i) => (right.has(i) ? padL(c, widths[i]!) : padR(c, widths[i]!))).join('  ').trimEnd();
  const l = peerGroupLabel(g.peerGroup);
  return [`【${l.zh}】${g.peerGroup} · 排名 ${g.units.length} 个,未排名 ${g.unranked.length} 个`, line(head), ...rows.map(line)].join('\n');
}

export function register(program: Command): void {
  const score = program
    .command('score')
    .description('民标评价:排名表、发布、核验 / the 民标 figures: ranking table, publish, verify')
    .option('--period <p>', '考评周期 / period: 2026-10, 2026-Q4, 2026, 2026-W43, 2026-10-15, 2026-10-01..2026-10-20')
    .option('--unit <id>', '只看该单位所在同类组,并列出该单位指标 / only this unit’s peer group, with its figures')
    .option('--draws <n>', '排名模拟次数 / simulation draws of the ranking', '1000')
    .option('--json', '输出 JSON / print JSON', false)
    .action(async (opts: { period?: string; unit?: string; draws: string; json: boolean }) => {
      const draws = Number(opts.draws);
      if (!Number.isInteger(draws) || draws < 100 || draws > 20000) throw new Error('--draws 须为 100 到 20000 的整数 / must be an integer 100..20000');
      await withServices(async (s) => {
        const period = s.scoring.period(opts.period);
        let peerGroups: string[] | undefined;
        let unitFigures = null;
        if (opts.unit) {
          const u = (await s.scoring.units()).find((x) => x.id === opts.unit);
          if (!u) throw new Error(`单位不存在 / no such unit: ${opts.unit}`);
          peerGroups = [u.peerGroup];
          unitFigures = await s.scoring.figuresOfUnits(period, [u.id], u.id);
        }
        const t0 = performance.now();
        const rankings = await s.scoring.allRankings(period, { draws, ...(peerGroups ? { peerGroups } : {}) });
        const ms = performance.now() - t0;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ period, draws, computedMs: Math.round(ms), ...(unitFigures ? { unit: unitFigures } : {}), rankings }, null, 2)}\n`);
          return;
        }
        const out: string[] = [`民标考评排名 · ${period.label}(${period.from} 至 ${period.to})· 模拟 ${draws} 次 · 用时 ${Math.round(ms)} ms`];
        out.push('说明:调整后指数为向同类均值收缩后的民标指数;名次区间为 95% 模拟区间;"与中位数无显著差异"的单位不宜点名为最好或最差。');
        if (unitFigures) {
          const f = unitFigures;
          out.push(
            '',
            `单位 ${opts.unit}:诉求量 ${f.volume},参评 ${f.assessed},有效评价 ${f.rated};响应率 ${pct(f.response.value)},解决率 ${pct(f.resolution.value)},满意率 ${pct(f.satisfaction.value)},按期办结率 ${pct(f.onTimeClosure.value)},民标指数 ${num(f.index.value)}`,
          );
        }
        for (const g of rankings) out.push('', table(g, opts.unit));
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });

  // `score publish --period X`: commander hands --period and --json to the parent command (which has
  // them too), so the subcommands take them from whichever level received them.
  const merged = (own: { period?: string; json: boolean }) => {
    const parent = score.opts<{ period?: string; json?: boolean }>();
    const period = own.period ?? parent.period;
    if (!period) throw new Error('缺少 --period / --period is required (e.g. 2026-10)');
    return { period, json: own.json || parent.json === true };
  };

  score
    .command('publish')
    .description('发布(冻结)某一考评周期 / publish (freeze) a period')
    .option('--period <p>', '考评周期 / period')
    .option('--json', '输出 JSON / print JSON', false)
    .action(async (own: { period?: string; json: boolean }) => {
      const opts = merged(own);
      await withServices(async (s) => {
        const meta = await s.scoring.publish(CLI, opts.period);
        if (opts.json) process.stdout.write(`${JSON.stringify(meta, null, 2)}\n`);
        else
          process.stdout.write(
            `已发布 / published ${meta.period.label}:快照 ${meta.id},诉求 ${meta.appeals} 件,单位 ${meta.units} 个\n输入哈希 factsHash ${meta.factsHash}\n封签 contentHash ${meta.contentHash}\n`,
          );
      });
    });

  score
    .command('verify')
    .description('从事件重算已发布的考评并比对;有差异时退出码为 1 / recompute a published period from events; exit code 1 on any difference')
    .option('--period <p>', '考评周期 / period')
    .option('--json', '输出 JSON / print JSON', false)
    .action(async (own: { period?: string; json: boolean }) => {
      const opts = merged(own);
      const ok = await withServices(async (s) => {
        const row = await s.scoring.findSnapshotByPeriod(opts.period);
        if (!row) throw new Error(`考评周期 ${opts.period} 尚未发布 / the period ${opts.period} has not been published`);
        const r = await s.scoring.verify(CLI, row.id);
        if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          const lines = [
            r.ok ? `核验通过 / verified: ${row.period_label} 与事件重算结果完全一致(${r.appeals} 件诉求)` : `核验未通过 / verification FAILED: ${row.period_label}`,
            `封签 seal: ${r.sealOk ? '完好 / intact' : '不符 / BROKEN'};输入哈希 facts hash: ${r.factsHashMatches ? '一致 / matches' : `不一致 / differs (${r.recomputedFactsHash})`}`,
          ];
          if (r.storedFactsBackfilled) lines.push('逐件诉求数据 stored per-appeal facts: 已从事件补存 / stored now from the events (the snapshot predates them)');
          else if (r.storedFactsOk !== null) lines.push(`逐件诉求数据 stored per-appeal facts: ${r.storedFactsOk ? '一致 / match' : '被改动 / ALTERED'}`);
          if (r.differenceCount > 0) {
            lines.push(`差异 ${r.differenceCount} 项 / ${r.differenceCount} difference(s)(已发布 → 重算 / published → recomputed):`);
            for (const d of r.differences.slice(0, 50)) lines.push(`  ${d.path}: ${JSON.stringify(d.a)} → ${JSON.stringify(d.b)}`);
          }
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return r.ok;
      });
      if (!ok) process.exitCode = 1;
    });

  score
    .command('rebuild')
    .description('补齐诉求地点索引并从事件重建评价数据(score_facts、score_stats)/ fill missing place indexes, then rebuild the figures’ read model from appeal_events')
    .action(async () => {
      await withServices(async (s) => {
        // Appeals older than migration 0015 get their place index first, so the rebuilt facts carry it.
        const placeKeys = await backfillPlaceKeys(s);
        const r = await rebuildScoreFacts(s);
        process.stdout.write(`${JSON.stringify({ ...r, placeKeys })}\n`);
      });
    });
}
