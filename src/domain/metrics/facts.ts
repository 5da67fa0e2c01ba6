// The input of the evaluation engine: one flat record per appeal and assessment.
// The service layer derives it from the appeal's events; everything in this folder is a pure
// function of these records (DESIGN.md §6), so a published assessment can be recomputed exactly.

export type AppealType = 'consult' | 'help' | 'complaint' | 'report' | 'suggestion' | 'dispute';
export type Channel = 'web' | 'hotline' | 'open311' | 'import' | 'api';
export type RatingLevel = 1 | 2 | 3 | 4 | 5; // 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
export type Solved = 'yes' | 'partly' | 'no';

export const RATING_LEVELS: readonly RatingLevel[] = [1, 2, 3, 4, 5];
export const SOLVED_VALUES: readonly Solved[] = ['yes', 'partly', 'no'];

/** Why an appeal (or its rating) does not enter the assessment (DESIGN.md §6). */
export type ExclusionReason = 'redirected' | 'unreasonable' | 'merged' | 'upheld-rating-appeal';

export interface FactRating {
  level: RatingLevel;
  solved: Solved;
  contacted: boolean;
  channel: 'web' | 'callback';
  ratedAt: number;
  /** The unit's 申诉复核 against this rating was upheld: the rating is void, the appeal still counts. */
  excluded?: 'upheld-appeal';
}

/** One appeal's facts for one assessment, derived from its events by the service layer. */
export interface AppealFact {
  appealId: string;
  unitId: string; // the unit assessed (the unit that handled the final round)
  regionCode: string;
  categoryId: string;
  type: AppealType;
  channel: Channel;
  createdAt: number; // epoch ms
  status: string; // 'closed' | 'redirected' | 'unreasonable' | 'merged' | open states…
  respondedOnTime: boolean | null; // first contact before response deadline; null if never contacted
  closedOnTime: boolean | null; // replied before the (possibly extended) handle deadline; null if not replied
  returned: number; // count of 退单
  reopened: number; // count of 重办
  extended: number; // count of approved 延期
  rating: null | FactRating;
  excludedReason?: ExclusionReason;
  citizenKey?: string | null; // blind index of the phone, for repeat detection
  placeKey?: string | null; // the specific place within the township (compound, village, road + number), for repeat detection; null: none named
  closedAt?: number | null;
  repliedAt?: number | null;
  replyToRatingSeconds?: number | null; // for anti-gaming
  ratingSource?: { ip?: string | null; sessionId?: string | null; staffNetwork?: boolean } | null;
  comment?: string | null;
  /**
   * The response deadline passed without a first contact (the scheduler's overdue mark).
   * Lets an open, never-contacted appeal count as a late response without reading the clock.
   */
  responseOverdue?: boolean;
  /** The handling deadline passed without a reply (the scheduler's overdue mark). */
  handleOverdue?: boolean;
}

/** Statuses that take an appeal out of the assessment even when the service set no excludedReason. */
const STATUS_EXCLUSIONS: Readonly<Record<string, ExclusionReason>> = {
  redirected: 'redirected',
  unreasonable: 'unreasonable',
  merged: 'merged',
};

/** The reason the whole appeal is not assessed, or null when it is assessed. */
export function exclusionOf(f: AppealFact): ExclusionReason | null {
  return f.excludedReason ?? STATUS_EXCLUSIONS[f.status] ?? null;
}

/** A rating that counts: present, on an assessed appeal, and not voided by an upheld 申诉复核. */
export function validRatingOf(f: AppealFact): FactRating | null {
  if (f.rating === null || f.rating.excluded !== undefined || exclusionOf(f) !== null) return null;
  return f.rating;
}

/** The unit has answered: the citizen could have rated it. */
export function isAnswered(f: AppealFact): boolean {
  return (
    f.rating !== null ||
    f.status === 'replied' ||
    f.status === 'closed' ||
    (f.repliedAt !== undefined && f.repliedAt !== null) ||
    (f.closedAt !== undefined && f.closedAt !== null)
  );
}

/** How a grouping key is taken from a fact: one key, or several (a fact counts in every ancestor subtree). */
export type KeyOf = (f: AppealFact) => string | readonly string[];

export const byUnit: KeyOf = (f) => f.unitId;

export function keysOf(keyOf: KeyOf, f: AppealFact): readonly string[] {
  const k = keyOf(f);
  if (typeof k === 'string') return [k];
  // A key listed twice would count the appeal twice in one group.
  return k.length > 1 ? [...new Set(k)] : k;
}
