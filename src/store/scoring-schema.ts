// Tables of the evaluation engine (issue 3): the per-appeal facts, their per-unit-day sufficient
// statistics (kept incrementally), and the published snapshots. Same conventions as schema.ts.

/**
 * The integer sufficient statistics of the figures (src/domain/metrics/rates.ts UnitStats), one
 * column each. score_facts holds one appeal's contribution (0/1 or a count), score_stats the sums.
 */
export const STAT_COLUMNS = [
  'volume',
  'assessed',
  'answered',
  'response_num',
  'response_den',
  'closure_num',
  'closure_den',
  'face_1',
  'face_2',
  'face_3',
  'face_4',
  'face_5',
  'solved_yes',
  'solved_partly',
  'solved_no',
  'rated_web',
  'rated_callback',
  'returned_appeals',
  'reopened_appeals',
  'extended_appeals',
  'returns',
  'reopens',
  'extensions',
  'excl_redirected',
  'excl_unreasonable',
  'excl_merged',
  'excl_upheld',
  'excl_rating',
] as const;
export type StatColumn = (typeof STAT_COLUMNS)[number];
export type StatColumns = Record<StatColumn, number>;

export interface ScoreFactTable extends StatColumns {
  appeal_id: string;
  region_code: string;
  /** The unit assessed: the unit holding the current round, or the intake 综治中心 while in triage. */
  unit_id: string;
  unit_path: string;
  /** '' when the appeal has no category. */
  category_id: string;
  type: string;
  channel: string;
  status: string;
  created_at: number;
  closed_at: number | null;
  /** The assessment time that places the appeal in a period (docs/metrics.md §1). */
  period_at: number;
  /** Asia/Shanghai day number of period_at. */
  day: number;
  citizen_key: string | null;
  /** The appeal's place index (appeals.place_key), null when it names no specific place. */
  place_key: string | null;
  /** The AppealFact (ScoreFact) as JSON. */
  fact: string;
}

export interface ScoreStatTable extends StatColumns {
  unit_id: string;
  day: number;
  category_id: string;
  type: string;
  channel: string;
}

/** score_stats summed per unit and Beijing month ('YYYY-MM'), kept by triggers on score_stats (migration 0016). */
export interface ScoreStatMonthTable extends StatColumns {
  unit_id: string;
  month: string;
}

export interface ScoreSnapshotTable {
  id: string;
  period_label: string;
  period_kind: string;
  period_start: number;
  period_end: number;
  /** The moment the inputs were read: verify replays the events up to here. */
  as_of: number;
  published_at: number;
  published_by: string | null;
  facts_hash: string;
  content_hash: string;
  appeals: number;
  units: number;
  /** The MetricsSnapshot as canonical JSON. */
  body: string;
}

/** A published snapshot's frozen fact of one appeal: what it counted for then (insert-only). */
export interface ScoreSnapshotFactTable extends StatColumns {
  snapshot_id: string;
  appeal_id: string;
  unit_id: string;
  unit_path: string;
  status: string;
  period_at: number;
  /** The ScoreFact as JSON, as replayed at the snapshot's asOf. */
  fact: string;
  /** 重复诉求 as judged at publication: 'repeat' | 'no-repeat' | 'pending'; null when not judged. */
  repeat_outcome: string | null;
  /** JSON array of the later appeals that repeat it. */
  repeat_followers: string | null;
}

export interface ScoringTables {
  score_facts: ScoreFactTable;
  score_stats: ScoreStatTable;
  score_stats_month: ScoreStatMonthTable;
  score_snapshots: ScoreSnapshotTable;
  score_snapshot_facts: ScoreSnapshotFactTable;
}
