// The worked example of docs/metrics.md (派出所 A, one month, ten appeals), shared by the tests so the
// documentation and the code cannot drift apart.

import type { AppealFact, FactRating, RatingLevel, Solved } from './facts.ts';

function r(level: RatingLevel, solved: Solved, excluded = false): FactRating {
  return { level, solved, contacted: true, channel: 'web', ratedAt: 1, ...(excluded ? { excluded: 'upheld-appeal' as const } : {}) };
}

function f(appealId: string, over: Partial<AppealFact>): AppealFact {
  return {
    appealId,
    unitId: 'A',
    regionCode: '110105',
    categoryId: 'noise',
    type: 'complaint',
    channel: 'web',
    createdAt: 0,
    status: 'closed',
    respondedOnTime: true,
    closedOnTime: true,
    returned: 0,
    reopened: 0,
    extended: 0,
    rating: null,
    ...over,
  };
}

export const WORKED_EXAMPLE: readonly AppealFact[] = [
  f('a01', { rating: r(5, 'yes') }),
  f('a02', { rating: r(4, 'yes') }),
  f('a03', { rating: r(3, 'partly'), returned: 1 }),
  f('a04', { rating: r(2, 'no'), closedOnTime: false, reopened: 1 }),
  f('a05', { rating: r(5, 'yes') }),
  f('a06', { rating: r(1, 'no', true) }), // the unit's 申诉复核 was upheld: the rating is void
  f('a07', { rating: r(3, 'yes'), respondedOnTime: false, extended: 1 }),
  f('a08', { status: 'dispatched', respondedOnTime: null, closedOnTime: null }), // still open, deadline not passed
  f('a09', { status: 'redirected', respondedOnTime: null, closedOnTime: null }), // 引导 to litigation
  f('a10', { status: 'unreasonable', excludedReason: 'unreasonable', closedOnTime: null }),
];
