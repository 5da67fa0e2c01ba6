// From the appeal's events to the evaluation engine's input: one ScoreFact per appeal (its current
// AppealFact plus where and when it is assessed), and what it adds to each sufficient statistic.
//
// Period rule (docs/metrics.md §1): an appeal is assessed in the period that holds its
// **assessment time** — the closing of its current round (rating, closing without rating, merge,
// redirect, approved unreasonable flag) when the round is closed, otherwise the start of the current
// round (submission, or the latest 重办 reopening). The assessed unit is the unit holding the current
// round; an appeal still in triage (never dispatched, or returned) is held by the 综治中心 that took
// it in.
//
// Exclusions (whole appeal): redirected 引导, approved unreasonable 不合理诉求, merged 合并 — from the
// status. Rating only: a rating whose 申诉复核 was upheld is void (the appeal still counts for the
// response and on-time figures). Ratings of earlier rounds never count: after a 重办 the appeal is
// judged on its new round.
import { replay } from '../../domain/appeal/machine.ts';
import type { AppealEvent } from '../../domain/appeal/events.ts';
import type { AppealState } from '../../domain/appeal/types.ts';
import { localDayNumber } from '../../domain/calendar/calendar.ts';
import { addToStats, emptyStats, exclusionOf, type AppealFact, type ExclusionReason, type UnitStats } from '../../domain/metrics/index.ts';
import { rowToEvent } from '../../store/repositories/appeals.ts';
import type { Executor } from '../../store/repositories/index.ts';
import { STAT_COLUMNS, type StatColumns, type ScoreFactTable } from '../../store/scoring-schema.ts';

/** The engine's AppealFact with what the service needs to place and group it. */
export interface ScoreFact extends AppealFact {
  /** Materialised path of the assessed unit (for subtree figures). */
  unitPath: string;
  round: number;
  /** Start of the current round: submission, or the latest reopening. */
  roundStartedAt: number;
  /** The assessment time: closedAt when the current round is closed, else roundStartedAt. */
  periodAt: number;
}

/** The columns of an appeal that never change after submission. */
export interface AppealStatics {
  regionCode: string;
  intakeUnitId: string;
  intakePath: string;
  citizenKey: string | null;
  /**
   * The place index (appeals.place_key: a keyed index of the compound, village, school or road and
   * number named by the address or title), null when the appeal names no specific place.
   */
  placeKey: string | null;
}

/** The assessment time of a state (see the period rule above). */
export function periodAtOf(state: Pick<AppealState, 'closedAt'>, roundStartedAt: number): number {
  return state.closedAt ?? roundStartedAt;
}

/**
 * Start of the current round after one more event, from the previous value (null when unknown: the
 * caller then reads the history with roundStartFromEvents).
 */
export function roundStartAfter(event: Pick<AppealEvent, 'action' | 'at'>, state: Pick<AppealState, 'createdAt'>, previous: number | null): number | null {
  if (event.action === 'submit') return state.createdAt;
  if (event.action === 'reopen') return event.at;
  return previous;
}

/** Start of the current round from the history: the latest reopen, else the submission. */
export function roundStartFromEvents(events: readonly AppealEvent[]): number {
  let t = events[0]?.at ?? 0;
  for (const e of events) if (e.action === 'reopen') t = e.at;
  return t;
}

/**
 * The fact of an appeal in a given state. Pure: the same state, statics and round start always give
 * the same fact. `unitPath` is the path of state.unitId (ignored while the appeal is in triage).
 */
export function deriveFact(state: AppealState, statics: AppealStatics, unitPath: string | null, roundStartedAt: number): ScoreFact {
  const held = state.unitId !== null;
  const r = state.lastRating !== null && state.lastRating.round === state.round ? state.lastRating : null;
  const fact: ScoreFact = {
    appealId: state.id,
    unitId: held ? state.unitId! : statics.intakeUnitId,
    unitPath: held ? (unitPath ?? '') : statics.intakePath,
    regionCode: statics.regionCode,
    categoryId: state.categoryId ?? '',
    type: state.type,
    channel: state.channel,
    createdAt: state.createdAt,
    status: state.status,
    respondedOnTime: state.firstContactAt !== null ? state.firstContactAt <= state.responseDueAt : null,
    closedOnTime: state.repliedAt !== null ? state.repliedAt <= state.handleDueAt : null,
    returned: state.returnCount,
    reopened: state.reopenCount,
    extended: state.extensionCount,
    rating:
      r === null
        ? null
        : {
            level: r.level,
            solved: r.solved,
            contacted: r.contacted,
            channel: r.channel,
            ratedAt: r.ratedAt,
            ...(state.ratingAppeal === 'upheld' ? { excluded: 'upheld-appeal' as const } : {}),
          },
    citizenKey: statics.citizenKey,
    placeKey: statics.placeKey,
    closedAt: state.closedAt,
    repliedAt: state.repliedAt,
    replyToRatingSeconds: r !== null && state.repliedAt !== null ? (r.ratedAt - state.repliedAt) / 1000 : null,
    comment: r?.comment ?? null,
    responseOverdue: state.responseOverdue,
    handleOverdue: state.handleOverdue,
    round: state.round,
    roundStartedAt,
    periodAt: periodAtOf(state, roundStartedAt),
  };
  return fact;
}

/**
 * Actions that change nothing an AppealFact holds (supervision level, a pending extension or
 * unreasonable flag, a pending rating appeal, a scheduled callback): the projector skips them.
 * The property test in facts.test.ts checks it on random histories.
 */
export const NO_FACT_CHANGE: ReadonlySet<string> = new Set(['supervise', 'schedule_callback', 'request_extension', 'flag_unreasonable', 'appeal_rating']);

/** The fact as stored and hashed: JSON round trip drops undefined members, exactly as canonical JSON does. */
export function factJson(f: ScoreFact): string {
  return JSON.stringify(f);
}

export function parseFact(json: string): ScoreFact {
  return JSON.parse(json) as ScoreFact;
}

// ---- sufficient statistics as columns ----

export function zeroColumns(): StatColumns {
  return Object.fromEntries(STAT_COLUMNS.map((c) => [c, 0])) as StatColumns;
}

const EXCLUSION_COLUMN: Record<ExclusionReason, keyof StatColumns> = {
  redirected: 'excl_redirected',
  unreasonable: 'excl_unreasonable',
  merged: 'excl_merged',
  'upheld-rating-appeal': 'excl_upheld',
};

/** What one fact adds to every statistic — computed by the domain's own addToStats. */
export function statColumnsOf(f: AppealFact): StatColumns {
  const s = emptyStats();
  addToStats(s, f, 1);
  const c = zeroColumns();
  c.volume = s.volume;
  c.assessed = s.assessed;
  c.answered = s.answered;
  c.response_num = s.responseNum;
  c.response_den = s.responseDen;
  c.closure_num = s.closureNum;
  c.closure_den = s.closureDen;
  c.face_1 = s.faces[0];
  c.face_2 = s.faces[1];
  c.face_3 = s.faces[2];
  c.face_4 = s.faces[3];
  c.face_5 = s.faces[4];
  c.solved_yes = s.solvedYes;
  c.solved_partly = s.solvedPartly;
  c.solved_no = s.solvedNo;
  c.rated_web = s.ratedWeb;
  c.rated_callback = s.ratedCallback;
  c.returned_appeals = s.returnedAppeals;
  c.reopened_appeals = s.reopenedAppeals;
  c.extended_appeals = s.extendedAppeals;
  c.returns = s.returns;
  c.reopens = s.reopens;
  c.extensions = s.extensions;
  const reason = exclusionOf(f);
  if (reason !== null) c[EXCLUSION_COLUMN[reason]] = 1;
  else if (f.rating !== null && f.rating.excluded === 'upheld-appeal') c.excl_rating = 1;
  return c;
}

export function addColumns(into: StatColumns, add: StatColumns, sign: 1 | -1 = 1): StatColumns {
  for (const k of STAT_COLUMNS) into[k] += sign * add[k];
  return into;
}

export function columnsEqual(a: StatColumns, b: StatColumns): boolean {
  return STAT_COLUMNS.every((k) => a[k] === b[k]);
}

/** The domain's UnitStats from summed columns (the per-appeal exclusion list is kept apart: see excludedCountsOf). */
export function statsFromColumns(c: StatColumns): UnitStats {
  const s = emptyStats();
  s.volume = c.volume;
  s.assessed = c.assessed;
  s.answered = c.answered;
  s.responseNum = c.response_num;
  s.responseDen = c.response_den;
  s.closureNum = c.closure_num;
  s.closureDen = c.closure_den;
  s.faces = [c.face_1, c.face_2, c.face_3, c.face_4, c.face_5];
  s.solvedYes = c.solved_yes;
  s.solvedPartly = c.solved_partly;
  s.solvedNo = c.solved_no;
  s.ratedWeb = c.rated_web;
  s.ratedCallback = c.rated_callback;
  s.returnedAppeals = c.returned_appeals;
  s.reopenedAppeals = c.reopened_appeals;
  s.extendedAppeals = c.extended_appeals;
  s.returns = c.returns;
  s.reopens = c.reopens;
  s.extensions = c.extensions;
  return s;
}

export interface ExcludedCounts {
  redirected: number;
  unreasonable: number;
  merged: number;
  'upheld-rating-appeal': number;
  /** Ratings voided by an upheld 申诉复核 (the appeal itself still counts). */
  ratingVoided: number;
}

export function excludedCountsOf(c: StatColumns): ExcludedCounts {
  return {
    redirected: c.excl_redirected,
    unreasonable: c.excl_unreasonable,
    merged: c.excl_merged,
    'upheld-rating-appeal': c.excl_upheld,
    ratingVoided: c.excl_rating,
  };
}

/** The score_facts row of a fact (`json`: its factJson, when the caller already has it). */
export function factRow(f: ScoreFact, json?: string): ScoreFactTable {
  return {
    appeal_id: f.appealId,
    region_code: f.regionCode,
    unit_id: f.unitId,
    unit_path: f.unitPath,
    category_id: f.categoryId,
    type: f.type,
    channel: f.channel,
    status: f.status,
    created_at: f.createdAt,
    closed_at: f.closedAt ?? null,
    period_at: f.periodAt,
    day: localDayNumber(f.periodAt),
    citizen_key: f.citizenKey ?? null,
    place_key: f.placeKey ?? null,
    fact: json ?? factJson(f),
    ...statColumnsOf(f),
  };
}

/** The stratum key of the per-day statistics. */
export interface StatKey {
  unit_id: string;
  day: number;
  category_id: string;
  type: string;
  channel: string;
}

export function statKeyOf(f: ScoreFact): StatKey {
  return { unit_id: f.unitId, day: localDayNumber(f.periodAt), category_id: f.categoryId, type: f.type, channel: f.channel };
}

export function statKeyString(k: StatKey): string {
  return `${k.unit_id}\u0000${k.day}\u0000${k.category_id}\u0000${k.type}\u0000${k.channel}`;
}

/** Facts summed per stratum-day (the rows of score_stats), for the bulk writers: the rebuild and the import. */
export class StratumSums {
  private readonly sums = new Map<string, StatKey & StatColumns>();

  add(f: ScoreFact): void {
    const key = statKeyOf(f);
    const k = statKeyString(key);
    let e = this.sums.get(k);
    if (!e) this.sums.set(k, (e = { ...key, ...zeroColumns() }));
    addColumns(e, statColumnsOf(f));
  }

  rows(): (StatKey & StatColumns)[] {
    return [...this.sums.values()];
  }
}

// ---- the full recompute from events ----

export interface ReplayOptions {
  /** Only these appeals (default: every appeal). */
  appealIds?: readonly string[];
  /** Replay only events at or before this instant: the facts as they stood then. */
  asOf?: number;
  /** Unit id → materialised path. */
  unitPaths: ReadonlyMap<string, string>;
  batchSize?: number;
  /**
   * 'region': the place of a fact is its township region code, as before migration 0015 — to replay
   * the facts of a snapshot published under that definition exactly (its facts hash covers placeKey).
   */
  placeRule?: 'region' | 'place-key';
}

/**
 * Facts derived from appeal_events alone (plus the immutable columns of the appeal): the full
 * recompute that the incrementally maintained score_facts must equal, and what `verify` replays.
 * Yields batches, in appeal id order.
 */
export async function* factsFromEvents(db: Executor, opts: ReplayOptions): AsyncGenerator<ScoreFact[]> {
  const batch = opts.batchSize ?? 1000;
  const toFacts = async (rows: { id: string; region_code: string; intake_unit_id: string; intake_path: string; citizen_phone_idx: string | null; place_key: string | null }[]) => {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    let q = db.selectFrom('appeal_events').selectAll().where('appeal_id', 'in', ids);
    if (opts.asOf !== undefined) q = q.where('at', '<=', opts.asOf);
    const evRows = await q.orderBy('appeal_id').orderBy('seq').execute();
    const byId = new Map<string, AppealEvent[]>();
    for (const e of evRows) {
      let arr = byId.get(e.appeal_id);
      if (!arr) byId.set(e.appeal_id, (arr = []));
      arr.push(rowToEvent(e));
    }
    const out: ScoreFact[] = [];
    for (const r of rows) {
      const events = byId.get(r.id);
      if (!events || events.length === 0 || events[0]!.action !== 'submit') continue; // not yet submitted at asOf
      const state = replay(events);
      const statics: AppealStatics = {
        regionCode: r.region_code,
        intakeUnitId: r.intake_unit_id,
        intakePath: r.intake_path,
        citizenKey: r.citizen_phone_idx,
        placeKey: opts.placeRule === 'region' ? r.region_code : r.place_key,
      };
      out.push(deriveFact(state, statics, state.unitId ? (opts.unitPaths.get(state.unitId) ?? null) : null, roundStartFromEvents(events)));
    }
    return out;
  };
  const cols = ['id', 'region_code', 'intake_unit_id', 'intake_path', 'citizen_phone_idx', 'place_key'] as const;
  if (opts.appealIds) {
    const ids = [...new Set(opts.appealIds)].sort();
    for (let i = 0; i < ids.length; i += batch) {
      const rows = await db.selectFrom('appeals').select(cols).where('id', 'in', ids.slice(i, i + batch)).orderBy('id').execute();
      yield await toFacts(rows);
    }
    return;
  }
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('appeals').select(cols).where('id', '>', after).orderBy('id').limit(batch).execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield await toFacts(rows);
  }
}
