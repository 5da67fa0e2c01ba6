// bench/score: the evaluation engine on a generated city. For each size (and each database):
//   - a month's full ranking for every unit (every peer group: shrinkage + simulated rank intervals),
//     cold and cached, read from the incrementally maintained statistics;
//   - the same ranking recomputed from the month's per-appeal rows (GROUP BY over score_facts);
//   - the baseline measured in the same run: a plain SQL GROUP BY of the three raw rates over the
//     month's appeals and ratings (what a naive ranking does), and the ratio to it;
//   - the incremental update per new rating: the projector's share of the rating transaction, the
//     whole transaction, and the in-memory accumulator update;
//   - how much fewer draws change the conclusions (flags that flip between 1000 and 4000 draws).
// Prints JSON.
//   node --import tsx/esm bench/score/run.ts [--appeals 100000[,300000,…]] [--pg] [--no-sqlite] [--ratings 300] [--warmup 20]
import os from 'node:os';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_METRICS_CONFIG as DEFAULT_CONFIG, FiguresAccumulator } from '../../src/domain/metrics/index.ts';
import { STAT_COLUMNS as STAT_COLUMNS_LIST } from '../../src/store/scoring-schema.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { tempDatabase } from '../lib/setup.ts';
import { makeStaff } from '../../src/services/principal.ts';
import { parseFact } from '../../src/services/scoring/facts.ts';
import { rankPeers, sumByKey } from '../../src/services/scoring/engine.ts';
import { parsePeriod } from '../../src/services/scoring/period.ts';
import { projectorTiming, rebuildScoreFacts } from '../../src/services/scoring/projector.ts';
import { scoringRepo } from '../../src/store/repositories/scoring.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const sizes = arg('appeals', '100000').split(',').map(Number);
const ratingsToTime = Number(arg('ratings', '300'));
// Ratings run before the timed ones: the rating path is cold after the bulk seed (JIT, statement caches).
const warmupRatings = Number(arg('warmup', '20'));
const dialects: ('sqlite' | 'postgres')[] = [...(args.includes('--no-sqlite') ? [] : (['sqlite'] as const)), ...(args.includes('--pg') ? (['postgres'] as const) : [])];
const NOW = Date.parse('2026-11-15T10:00:00+08:00');
const MONTH = '2026-10';

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: readonly number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return r1(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
};
const log = (m: string) => process.stderr.write(`[bench/score] ${m}\n`);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}
async function best<T>(n: number, fn: () => Promise<T>): Promise<[T, number]> {
  let out: [T, number] | null = null;
  for (let i = 0; i < n; i++) {
    const r = await time(fn);
    if (!out || r[1] < out[1]) out = r;
  }
  return out!;
}

async function openDb(dialect: 'sqlite' | 'postgres') {
  const db = await tempDatabase(dialect, 'bench-score');
  const clock = { now: NOW };
  const s = await createServices(loadConfig({ ...db.env, LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' }), { now: () => clock.now });
  return {
    s,
    clock,
    cleanup: async () => {
      await s.close();
      await db.cleanup();
    },
  };
}

/** The naive baseline: the three raw rates per unit by plain GROUP BYs over the month's rows. */
async function baselineGroupBy(s: Services, start: number, end: number) {
  const db = s.ctx.db;
  const resp = await db
    .selectFrom('appeals')
    .select([
      'unit_id',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when first_contact_at is not null and first_contact_at <= response_due_at then 1 else 0 end)`.as('hit'),
    ])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .where('unit_id', 'is not', null)
    .groupBy('unit_id')
    .execute();
  const rates = await db
    .selectFrom('ratings')
    .select([
      'unit_id',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case solved when 'yes' then 1.0 when 'partly' then 0.5 else 0 end)`.as('solved'),
      sql<number>`sum(case when level >= 4 then 1.0 when level = 3 then 0.9 else 0 end)`.as('satisfied'),
    ])
    .where('rated_at', '>=', start)
    .where('rated_at', '<', end)
    .groupBy('unit_id')
    .execute();
  return { units: new Set([...resp.map((r) => r.unit_id), ...rates.map((r) => r.unit_id)]).size, rows: resp.reduce((a, r) => a + Number(r.n), 0) + rates.reduce((a, r) => a + Number(r.n), 0) };
}

async function runSize(dialect: 'sqlite' | 'postgres', appeals: number) {
  log(`${dialect} · seeding ${appeals} appeals …`);
  const { s, clock, cleanup } = await openDb(dialect);
  try {
    const [seed, seedMs] = await time(() => seedDemo(s, { appeals, seed: 2026, now: NOW, months: 12, analyzeText: false }));
    log(`${dialect} · seeded in ${Math.round(seedMs / 1000)} s; full rebuild from events …`);
    const [rebuild] = await time(() => rebuildScoreFacts(s));
    const period = parsePeriod(MONTH, NOW);
    const units = await s.scoring.units();
    const groups = [...new Set(units.map((u) => u.peerGroup))];
    const monthStatRows = Number(
      (await s.ctx.db.selectFrom('score_stats').select(sql<number>`count(*)`.as('n')).where('day', '>=', period.startDay).where('day', '<', period.endDay).executeTakeFirst())?.n ?? 0,
    );
    const monthFacts = Number(
      (await s.ctx.db.selectFrom('score_facts').select(sql<number>`count(*)`.as('n')).where('day', '>=', period.startDay).where('day', '<', period.endDay).executeTakeFirst())?.n ?? 0,
    );

    // Month ranking for every unit, from the maintained statistics.
    const fresh = () => (s.scoring as unknown as { cache: { clear(): void } }).cache.clear();
    const [, statsQueryMs] = await best(3, () => scoringRepo.statsByUnit(s.ctx.db, period.startDay, period.endDay, { strata: true }));
    fresh();
    const cpuR = process.cpuUsage();
    const [rank1000, coldMs] = await time(() => s.scoring.allRankings(period, { draws: 1000 }));
    const cpuRank = process.cpuUsage(cpuR);
    const [, cachedMs] = await best(3, () => s.scoring.allRankings(period, { draws: 1000 }));
    fresh();
    const [, cold2Ms] = await time(() => s.scoring.allRankings(period, { draws: 1000 }));
    fresh();
    const [rank4000, publishGradeMs] = await time(() => s.scoring.allRankings(period, { draws: 4000, rankRates: true }));
    fresh();
    const [, draws2000RatesMs] = await time(() => s.scoring.allRankings(period, { draws: 2000, rankRates: true }));
    fresh();
    // Conclusions at 1000 vs 4000 draws.
    let flips = 0;
    let rankedUnits = 0;
    let maxRankBoundDiff = 0;
    for (const g of rank1000) {
      const other = rank4000.find((x) => x.peerGroup === g.peerGroup)!;
      for (const u of g.units) {
        const v = other.units.find((x) => x.unitId === u.unitId)!;
        rankedUnits++;
        if (u.index.notDistinguishableFromMedian !== v.index.notDistinguishableFromMedian) flips++;
        maxRankBoundDiff = Math.max(maxRankBoundDiff, Math.abs(u.index.rankInterval95[0] - v.index.rankInterval95[0]), Math.abs(u.index.rankInterval95[1] - v.index.rankInterval95[1]));
        if (u.index.rank !== v.index.rank) throw new Error('point ranks depend on the draws?');
      }
    }

    // The same ranking from the month's per-appeal rows (no pre-aggregation).
    const [, fromFactsMs] = await best(2, async () => {
      const rows = await s.ctx.db
        .selectFrom('score_facts')
        .select(['unit_id', 'category_id', 'type', 'channel', ...(await import('../../src/store/repositories/scoring.ts')).sumSelections()])
        .where('day', '>=', period.startDay)
        .where('day', '<', period.endDay)
        .groupBy(['unit_id', 'category_id', 'type', 'channel'])
        .execute();
      const strata = rows.map((r) => ({ key: r.unit_id, sub: `${r.category_id}|${r.type}|${r.channel}`, cols: r as never }));
      const cols = sumByKey(strata);
      const config = await s.scoring.config();
      return groups.map((g) => rankPeers(g, units.filter((u) => u.peerGroup === g), cols, strata, config, { draws: 1000, rankRates: false, seedBase: MONTH }));
    });

    // Baseline: plain GROUP BY of the three raw rates over the same month.
    const [base, baselineMs] = await best(3, () => baselineGroupBy(s, period.start, period.end));

    // Incremental update per new rating.
    const all = await s.org.all();
    const root = all.find((u) => u.parentId === null)!;
    const center = all.find((u) => u.type === 'center' && u.parentId === root.id)!;
    const dispatcher = makeStaff({ userId: `staff-${center.id}`, username: 'bench', displayName: 'bench', unitId: center.id, roles: ['dispatcher'], scopePath: root.path, scopeRootId: root.id, sessionId: null, ip: null });
    const candidates = await s.ctx.db.selectFrom('appeals').select('id').where('status', '=', 'replied').orderBy('id').limit(ratingsToTime + warmupRatings).execute();
    const warmup = candidates.slice(0, Math.min(warmupRatings, Math.floor(candidates.length / 4)));
    const replied = candidates.slice(warmup.length);
    const rate = (i: number, id: string) => s.handling.act(dispatcher, id, { action: 'rate', level: (1 + (i % 5)) as 1, solved: i % 3 === 0 ? 'no' : 'yes', contacted: true });
    for (const [i, r] of warmup.entries()) {
      clock.now += 1000;
      await rate(i, r.id);
    }
    projectorTiming.ns = 0n;
    projectorTiming.calls = 0;
    projectorTiming.cpuUs = 0;
    projectorTiming.wallUsSamples = [];
    projectorTiming.cpuUsSamples = [];
    projectorTiming.enabled = true;
    let txMs = 0;
    const cpu0 = process.cpuUsage();
    for (const [i, r] of replied.entries()) {
      clock.now += 1000;
      const [, ms] = await time(() => rate(i, r.id));
      txMs += ms;
    }
    projectorTiming.enabled = false;
    const cpuTx = process.cpuUsage(cpu0);
    const projectorCpuUs = projectorTiming.calls > 0 ? projectorTiming.cpuUs / projectorTiming.calls : null;
    const projectorUs = projectorTiming.calls > 0 ? Number(projectorTiming.ns) / projectorTiming.calls / 1000 : null;
    // Reading a unit's month figures right after a rating.
    const someUnit = units.find((u) => u.type === 'police_station')!;
    const [, refreshUnitMs] = await best(5, () => s.scoring.figuresOfUnits(period, [someUnit.id], someUnit.id));
    // The domain's in-memory accumulator, for reference.
    const sample = (await s.ctx.db.selectFrom('score_facts').select('fact').limit(20_000).execute()).map((r) => parseFact(r.fact));
    const acc = new FiguresAccumulator();
    for (const f of sample) acc.add(f);
    const t0 = performance.now();
    const reps = 200_000;
    for (let i = 0; i < reps; i++) {
      const f = sample[i % sample.length]!;
      acc.apply(f, f);
    }
    const accumulatorUs = ((performance.now() - t0) / reps) * 1000;

    return {
      dialect,
      loadAverage1m: r1(os.loadavg()[0]!),
      appeals: seed.appeals,
      events: seed.events,
      ratings: seed.ratings,
      units: units.length,
      peerGroups: groups.length,
      largestPeerGroup: Math.max(...groups.map((g) => units.filter((u) => u.peerGroup === g).length)),
      seedSeconds: r1(seedMs / 1000),
      rebuildFromEventsSeconds: r1(rebuild.ms / 1000),
      month: { label: MONTH, facts: monthFacts, statRows: monthStatRows },
      ranking: {
        draws: 1000,
        coldMs: r1(Math.min(coldMs, cold2Ms)),
        firstCallMs: r1(coldMs),
        firstCallCpuMs: r1((cpuRank.user + cpuRank.system) / 1000),
        statsQueryMs: r1(statsQueryMs),
        cachedMs: r1(cachedMs),
        fromFactRowsMs: r1(fromFactsMs),
        publishGrade4000DrawsWithRatesMs: r1(publishGradeMs),
        draws2000WithRatesMs: r1(draws2000RatesMs),
      },
      baseline: { sqlGroupByThreeRawRatesMs: r1(baselineMs), units: base.units, rows: base.rows },
      ratio: {
        rankingColdOverBaseline: r3(Math.min(coldMs, cold2Ms) / baselineMs),
        rankingCachedOverBaseline: r3(cachedMs / baselineMs),
        rankingFromFactRowsOverBaseline: r3(fromFactsMs / baselineMs),
      },
      incremental: {
        ratingsTimed: replied.length,
        warmupRatings: warmup.length,
        projectorUsPerRating: projectorUs === null ? null : r1(projectorUs),
        projectorCpuUsPerRating: projectorCpuUs === null ? null : r1(projectorCpuUs),
        // Medians: robust to a garbage collection or a preemption by another process landing in one call.
        projectorMedianUs: median(projectorTiming.wallUsSamples),
        projectorMedianCpuUs: median(projectorTiming.cpuUsSamples),
        ratingTransactionCpuMsPerRating: replied.length ? r3((cpuTx.user + cpuTx.system) / 1000 / replied.length) : null,
        ratingTransactionMsPerRating: replied.length ? r3(txMs / replied.length) : null,
        accumulatorUsPerUpdate: r3(accumulatorUs),
        unitMonthFiguresReadMs: r1(refreshUnitMs),
      },
      drawsCheck: { rankedUnits, notDistinguishableFlagFlips1000vs4000: flips, maxRankIntervalBoundDiff: maxRankBoundDiff },
    };
  } finally {
    await cleanup();
  }
}

/** A province-sized peer group (the domain author's 300 units) ranked in memory: draws × units is the cost. */
function syntheticLargeGroup(unitsN = 300) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const members = Array.from({ length: unitsN }, (_, i) => ({ id: `u${String(i).padStart(3, '0')}`, parentId: null, name: `单位${i}`, shortName: `单位${i}`, type: 'police_station', level: 'township', regionCode: '000000', population: 0, peerGroup: 'g', path: `/u${i}/` }));
  const cols = new Map<string, import('../../src/store/scoring-schema.ts').StatColumns>();
  for (const u of members) {
    const n = 5 + Math.floor(rnd() * 600);
    const p = 0.75 + 0.2 * rnd();
    const good = Math.round(n * p);
    const c = Object.fromEntries(STAT_COLUMNS_LIST.map((k) => [k, 0])) as import('../../src/store/scoring-schema.ts').StatColumns;
    c.volume = c.assessed = c.answered = c.response_den = n;
    c.response_num = Math.round(n * (0.8 + 0.15 * rnd()));
    c.face_5 = good;
    c.face_2 = n - good;
    c.solved_yes = good;
    c.solved_no = n - good;
    c.rated_web = n;
    cols.set(u.id, c);
  }
  const out: Record<string, number> = {};
  for (const [draws, rankRates] of [[1000, false], [2000, false], [2000, true], [4000, true]] as const) {
    const t = performance.now();
    rankPeers('g', members, cols, [], DEFAULT_CONFIG, { draws, rankRates, seedBase: 'bench' });
    out[`draws${draws}${rankRates ? 'WithRates' : 'IndexOnly'}Ms`] = r1(performance.now() - t);
  }
  return { units: unitsN, ...out };
}

const results = [];
if (args.includes('--synthetic-only')) {
  process.stdout.write(`${JSON.stringify({ syntheticPeerGroupOf300: syntheticLargeGroup(), loadAverage1m: r1(os.loadavg()[0]!) }, null, 2)}\n`);
  process.exit(0);
}
for (const dialect of dialects)
  for (const n of sizes) {
    const r = await runSize(dialect, n);
    results.push(r);
    // One line per size as soon as it is measured (a long run can be read before it ends).
    process.stderr.write(`[bench/score] result ${JSON.stringify(r)}\n`);
  }
process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'score',
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      month: MONTH,
      syntheticPeerGroupOf300: syntheticLargeGroup(),
      results,
    },
    null,
    2,
  )}\n`,
);
