// A period's full assessment — every unit's figures, every peer group's ranking, 潜绩 — computed from
// facts replayed out of appeal_events as they stood at a moment (asOf). Publishing stores it as a
// frozen snapshot; verifying recomputes it the same way and compares.
import { DAY_MS, hashFacts, repeatAppealRates, type AppealFact, type MetricsConfig } from '../../domain/metrics/index.ts';
import type { ScoreSnapshotFactTable } from '../../store/scoring-schema.ts';
import type { Executor } from '../../store/repositories/index.ts';
import { scoringRepo } from '../../store/repositories/scoring.ts';
import { factJson, factsFromEvents, statColumnsOf, type ScoreFact } from './facts.ts';
import {
  figuresView,
  groupFacts,
  rankPeers,
  regionPrefixOf,
  repeatsByUnit,
  repeatView,
  REPEAT_WINDOW_DAYS,
  sourceGovernanceView,
  sumByKey,
  type FiguresView,
  type LatentView,
  type PeerRankingView,
  type UnitInfo,
} from './engine.ts';
import { yearEarlier, type ScorePeriod } from './period.ts';

export const PERIOD_RULE =
  'An appeal is assessed in the period holding the close of its current round (rating, closing, merge, redirect, approved unreasonable); an open appeal in the period holding the start of its current round (submission or latest reopening).';

/** The definition of "the same place" that new snapshots are published under (AssessmentParameters.repeatPlace). */
export const REPEAT_PLACE = 'place-key' as const;

/** Draws of the published rankings: enough that the 2.5 % tails carry a Monte Carlo error of ±0.25 points. */
export const PUBLISH_DRAWS = 4000;

export interface AssessmentParameters {
  draws: number;
  rankRates: boolean;
  seedBase: string;
  periodRule: string;
  caseMixStrata: 'category|type|channel';
  repeatWindowDays: number;
  /**
   * What "the same place" of the repeat-appeal figure is: 'place-key' — the same township, the same
   * specific place (appeals.place_key) and category (migration 0015, REPEAT_PLACE). Absent in snapshots
   * published before it, whose place was the whole township (region code): verifying one replays its
   * facts under that definition, so its facts hash and figures still match.
   */
  repeatPlace?: 'place-key';
  /** The inputs as they stood at this instant (events at or before it). */
  asOf: number;
  /** The org as it was: unit → peer group, path, population (org edits after publication change nothing). */
  units: UnitInfo[];
}

export interface SnapshotFigures {
  parameters: AssessmentParameters;
  appeals: number;
  units: { key: string; name: string; peerGroup: string; figures: FiguresView }[];
  rankings: PeerRankingView[];
  latent: ({ key: string } & LatentView)[];
}

export interface AssessmentInput {
  period: ScorePeriod;
  facts: readonly ScoreFact[];
  later: readonly AppealFact[];
  sourceCounts: ReadonlyMap<string, { count: number; countLastYear: number }>;
  config: MetricsConfig;
  parameters: AssessmentParameters;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The assessment of a period from its facts: a pure function. */
export function assess(input: AssessmentInput): SnapshotFigures {
  const { config, parameters } = input;
  const units = [...parameters.units].sort((a, b) => cmp(a.id, b.id));
  const strata = groupFacts(input.facts, true);
  const unitCols = sumByKey(strata);
  const info = new Map(units.map((u) => [u.id, u] as const));
  const unitRows = [...unitCols.keys()].sort(cmp).map((id) => ({
    key: id,
    name: info.get(id)?.name ?? id,
    peerGroup: info.get(id)?.peerGroup ?? '',
    figures: figuresView(id, unitCols.get(id)!, config),
  }));
  const groups = new Map<string, UnitInfo[]>();
  for (const u of units) {
    const arr = groups.get(u.peerGroup) ?? [];
    arr.push(u);
    groups.set(u.peerGroup, arr);
  }
  const rankings = [...groups.keys()]
    .sort(cmp)
    .map((g) => rankPeers(g, groups.get(g)!, unitCols, strata, config, { draws: parameters.draws, rankRates: parameters.rankRates, seedBase: parameters.seedBase }));
  const closed = input.facts.filter((f) => f.status === 'closed');
  const repeats = new Map(repeatsByUnit(closed, input.later, parameters.asOf).map((r) => [r.key, r] as const));
  const latent = units.map((u) => {
    const sc = input.sourceCounts.get(u.id);
    return {
      key: u.id,
      repeat: repeatView(repeats.get(u.id)),
      sourceGovernance: sc ? sourceGovernanceView(u, sc.count, sc.countLastYear) : null,
      hotspotsResolved: null,
      surveyIndex: null,
    };
  });
  return { parameters, appeals: input.facts.length, units: unitRows, rankings, latent };
}

/** Appeal ids with an event in [start, end) at or before asOf: every appeal that may belong to the period. */
async function candidateIds(db: Executor, start: number, end: number, asOf: number): Promise<string[]> {
  const rows = await db
    .selectFrom('appeal_events')
    .select('appeal_id')
    .distinct()
    .where('at', '>=', start)
    .where('at', '<', Math.min(end, asOf + 1))
    .execute();
  return rows.map((r) => r.appeal_id);
}

export interface Recomputed {
  figures: SnapshotFigures;
  factsHash: string;
  facts: ScoreFact[];
  /** The appeals that may repeat the period's closed ones (the 90-day window), as replayed. */
  later: ScoreFact[];
}

/** 重复诉求 outcome of each closed, assessed appeal, judged as the published latent figures judge it. */
export function repeatOutcomes(facts: readonly ScoreFact[], later: readonly AppealFact[], asOf: number): Map<string, { outcome: 'repeat' | 'no-repeat' | 'pending'; followers: string[] }> {
  const closed = facts.filter((f) => f.status === 'closed');
  const perAppeal = repeatAppealRates(closed, later, { windowDays: REPEAT_WINDOW_DAYS, observedUntil: asOf, keyOf: (f) => f.appealId });
  const out = new Map<string, { outcome: 'repeat' | 'no-repeat' | 'pending'; followers: string[] }>();
  for (const r of perAppeal) {
    const m = r.repeats[0];
    if (m) out.set(r.key, { outcome: 'repeat', followers: m.followedBy });
    else if (r.pending > 0) out.set(r.key, { outcome: 'pending', followers: [] });
    else out.set(r.key, { outcome: 'no-repeat', followers: [] });
  }
  return out;
}

/** The frozen per-appeal rows stored with a snapshot: what each appeal counted for at publication. */
export function snapshotFactRows(snapshotId: string, r: Pick<Recomputed, 'facts' | 'later'>, asOf: number): ScoreSnapshotFactTable[] {
  const repeats = repeatOutcomes(r.facts, r.later, asOf);
  return r.facts.map((f) => {
    const rep = repeats.get(f.appealId);
    return {
      snapshot_id: snapshotId,
      appeal_id: f.appealId,
      unit_id: f.unitId,
      unit_path: f.unitPath,
      status: f.status,
      period_at: f.periodAt,
      fact: factJson(f),
      repeat_outcome: rep?.outcome ?? null,
      repeat_followers: rep && rep.followers.length > 0 ? JSON.stringify(rep.followers) : null,
      ...statColumnsOf(f),
    };
  });
}

/**
 * Recomputes a period from appeal_events as they stood at `parameters.asOf`: the period's facts (every
 * appeal with an event in the period, replayed and placed by the period rule), the later appeals for
 * the 90-day repeat window, and the appeal counts for 源头治理.
 */
export async function recomputeFromEvents(db: Executor, period: ScorePeriod, config: MetricsConfig, parameters: AssessmentParameters): Promise<Recomputed> {
  const asOf = parameters.asOf;
  const unitPaths = new Map(parameters.units.map((u) => [u.id, u.path] as const));
  const placeRule = parameters.repeatPlace === 'place-key' ? ('place-key' as const) : ('region' as const);
  const facts: ScoreFact[] = [];
  const ids = await candidateIds(db, period.start, period.end, asOf);
  for await (const batch of factsFromEvents(db, { appealIds: ids, asOf, unitPaths, placeRule })) {
    for (const f of batch) if (f.periodAt >= period.start && f.periodAt < period.end) facts.push(f);
  }
  facts.sort((a, b) => cmp(a.appealId, b.appealId));
  const laterEnd = Math.min(period.end + REPEAT_WINDOW_DAYS * DAY_MS, asOf);
  const laterIds = (
    await db.selectFrom('appeals').select('id').where('created_at', '>', period.start).where('created_at', '<=', laterEnd).execute()
  ).map((r) => r.id);
  const later: ScoreFact[] = [];
  for await (const batch of factsFromEvents(db, { appealIds: laterIds, asOf, unitPaths, placeRule })) later.push(...batch);
  const sourceCounts = await sourceCountsFor(db, period, parameters.units, asOf);
  return { figures: assess({ period, facts, later, sourceCounts, config, parameters }), factsHash: hashFacts(facts), facts, later };
}

/** Appeals created in the period, and the same days a year earlier, per unit jurisdiction (region prefix). */
export async function sourceCountsFor(db: Executor, period: ScorePeriod, units: readonly UnitInfo[], asOf?: number) {
  const prefixes = [...new Set(units.map((u) => regionPrefixOf(u.regionCode)))];
  const now = await scoringRepo.countCreatedByRegionPrefix(db, period.start, period.end, prefixes, asOf);
  const ly = yearEarlier(period);
  const last = await scoringRepo.countCreatedByRegionPrefix(db, ly.start, ly.end, prefixes, asOf);
  const out = new Map<string, { count: number; countLastYear: number }>();
  for (const u of units) {
    const p = regionPrefixOf(u.regionCode);
    out.set(u.id, { count: now.get(p) ?? 0, countLastYear: last.get(p) ?? 0 });
  }
  return out;
}
