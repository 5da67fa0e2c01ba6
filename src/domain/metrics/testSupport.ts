// Test helpers (not exported from index.ts): a fact builder and a fast-check generator of facts.

import fc from 'fast-check';
import type { AppealFact, AppealType, Channel, RatingLevel, Solved } from './facts.ts';

export function fact(over: Partial<AppealFact> & { appealId: string }): AppealFact {
  return {
    unitId: 'u1',
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

export function rated(level: RatingLevel, solved: Solved, extra: Partial<NonNullable<AppealFact['rating']>> = {}): NonNullable<AppealFact['rating']> {
  return { level, solved, contacted: true, channel: 'web', ratedAt: 1, ...extra };
}

const TYPES: AppealType[] = ['consult', 'help', 'complaint', 'report', 'suggestion', 'dispute'];
const CHANNELS: Channel[] = ['web', 'hotline', 'open311', 'import', 'api'];
const STATUSES = ['closed', 'replied', 'contacted', 'dispatched', 'redirected', 'unreasonable', 'merged'];

/** Any fact with the given id: every branch of the rules is reachable. */
export function arbFact(appealId: string): fc.Arbitrary<AppealFact> {
  return fc
    .record({
      unitId: fc.constantFrom('u1', 'u2', 'u3'),
      categoryId: fc.constantFrom('c1', 'c2'),
      type: fc.constantFrom(...TYPES),
      channel: fc.constantFrom(...CHANNELS),
      status: fc.constantFrom(...STATUSES),
      respondedOnTime: fc.constantFrom(true, false, null),
      closedOnTime: fc.constantFrom(true, false, null),
      returned: fc.nat(2),
      reopened: fc.nat(2),
      extended: fc.nat(2),
      rating: fc.option(
        fc.record({
          level: fc.constantFrom<RatingLevel>(1, 2, 3, 4, 5),
          solved: fc.constantFrom<Solved>('yes', 'partly', 'no'),
          contacted: fc.boolean(),
          channel: fc.constantFrom<'web' | 'callback'>('web', 'callback'),
          ratedAt: fc.nat(1000),
          upheld: fc.boolean(),
        }),
        { nil: null },
      ),
      excludedReason: fc.option(fc.constantFrom<'redirected' | 'upheld-rating-appeal'>('redirected', 'upheld-rating-appeal'), { nil: undefined }),
      responseOverdue: fc.boolean(),
      handleOverdue: fc.boolean(),
      repliedAt: fc.option(fc.nat(1000), { nil: null }),
    })
    .map((r) => {
      const { rating, excludedReason, ...rest } = r;
      const f: AppealFact = {
        appealId,
        regionCode: '110105',
        createdAt: 0,
        ...rest,
        rating:
          rating === null
            ? null
            : {
                level: rating.level,
                solved: rating.solved,
                contacted: rating.contacted,
                channel: rating.channel,
                ratedAt: rating.ratedAt,
                ...(rating.upheld ? { excluded: 'upheld-appeal' as const } : {}),
              },
      };
      if (excludedReason !== undefined) f.excludedReason = excludedReason;
      return f;
    });
}
