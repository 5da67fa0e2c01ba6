// bench/scale's seeding process (a child of bench/scale/load.ts, so its memory is its own): writes the
// generated city into the database the environment points at, then times the full recompute of the
// figures from the appeal events and the month's ranking of every peer group on the result, against a
// bare SQL aggregate of the same month. Prints one JSON line on stdout.
//   node --import tsx/esm bench/scale/seed.ts --appeals N --now MS --month YYYY-MM   (env: DATA_DIR / DATABASE_URL …)
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { createServices } from '../../src/services/index.ts';
import { seedDemo } from '../../src/services/demo-seed.ts';
import { parsePeriod } from '../../src/services/scoring/period.ts';
import { rebuildScoreFacts } from '../../src/services/scoring/projector.ts';
import { addMonths, ensurePartitions, monthOf } from '../../src/store/partitions.ts';
import { round } from '../lib/load.ts';
import { flag, heapMemory, procMemory } from '../lib/setup.ts';

const args = process.argv.slice(2);
const appeals = Number(flag(args, 'appeals', '10000'));
const now = Number(flag(args, 'now', String(Date.now())));
const month = flag(args, 'month', '');
const log = (m: string) => process.stderr.write(`[bench/scale seed] ${m}\n`);

const s = await createServices(loadConfig({ ...process.env, LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false' }), { now: () => now });
const db = s.ctx.db;
const postgres = s.ctx.handle.dialect === 'postgres';
// A year of history on PostgreSQL goes to its monthly partitions, as on a system that has run for a year
// (the maintenance job creates them ahead of time); otherwise it would all sit in the default partitions.
if (postgres) await ensurePartitions(db, addMonths(monthOf(now), -13), addMonths(monthOf(now), 2));

let last = 0;
const t0 = performance.now();
const seed = await seedDemo(s, {
  appeals,
  seed: 2026,
  now,
  months: 12,
  createUsers: true,
  analyzeText: false,
  onProgress: (done, total) => {
    if (done - last >= Math.max(10_000, total / 10) || (done === total && done > last)) {
      last = done;
      log(`${done}/${total} appeals · ${Math.round((performance.now() - t0) / 1000)} s`);
    }
  },
});
const seedMs = performance.now() - t0;
const memoryAfterSeed = { ...procMemory('self'), ...heapMemory() };
if (postgres) await sql`analyze`.execute(db);

// The full recompute: score_facts and score_stats rebuilt from appeal_events, then the month's ranking of
// every peer group (1000 draws, as live) on the rebuilt statistics.
log('recompute from events …');
const [rebuild, rebuildMs] = await timed(() => rebuildScoreFacts(s));
const period = parsePeriod(month || undefined, now);
const [rankings, rankingMs] = await timed(() => s.scoring.allRankings(period, { draws: 1000 }));
// The baseline: a bare SQL aggregate over the same month's appeals (what bench/scale/server.ts serves).
const aggregate = () =>
  db
    .selectFrom('appeals')
    .select(['unit_id', sql<number>`count(*)`.as('n')])
    .where('created_at', '>=', period.start)
    .where('created_at', '<', period.end)
    .groupBy('unit_id')
    .execute();
let baselineMs = Infinity;
let monthAppeals = 0;
for (let i = 0; i < 3; i++) {
  const [rows, ms] = await timed(aggregate);
  baselineMs = Math.min(baselineMs, ms);
  monthAppeals = rows.reduce((a, r) => a + Number(r.n), 0);
}
const memoryAfterRecompute = { ...procMemory('self'), ...heapMemory() };
await s.close();

process.stdout.write(
  `${JSON.stringify({
    dialect: s.ctx.handle.dialect,
    appeals: seed.appeals,
    events: seed.events,
    ratings: seed.ratings,
    units: seed.units,
    seedSeconds: round(seedMs / 1000, 1),
    seedAppealsPerSecond: Math.round(seed.appeals / (seedMs / 1000)),
    memoryAfterSeed,
    recompute: {
      month: period.label,
      monthAppeals,
      rebuildFromEventsSeconds: round(rebuildMs / 1000, 2),
      rebuiltAppeals: rebuild.appeals,
      statRows: rebuild.statRows,
      monthRankingAllPeerGroupsMs: round(rankingMs, 1),
      peerGroups: rankings.length,
      baselineMonthAggregateMs: round(baselineMs, 2),
      ratioRankingOverAggregate: round(rankingMs / baselineMs, 1),
      ratioRebuildPlusRankingOverAggregate: round((rebuildMs + rankingMs) / baselineMs, 1),
    },
    memoryAfterRecompute,
  })}\n`,
);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}
