import { describe, expect, it } from 'vitest';
import { APPEAL_STATUSES, AWAITING_REPLY_STATUSES, isHandleOverdue } from './types.ts';

describe('isHandleOverdue (超期)', () => {
  const now = Date.parse('2026-11-30T09:00:00+08:00');
  it('is overdue once marked, whatever happened since', () => {
    for (const status of APPEAL_STATUSES) expect(isHandleOverdue({ status, handleOverdue: true, handleDueAt: now + 86_400_000 }, now)).toBe(true);
  });
  it('is overdue unmarked only while not yet answered and past the deadline', () => {
    for (const status of APPEAL_STATUSES) {
      const awaiting = AWAITING_REPLY_STATUSES.includes(status);
      expect(isHandleOverdue({ status, handleOverdue: false, handleDueAt: now - 1 }, now), status).toBe(awaiting);
      expect(isHandleOverdue({ status, handleOverdue: false, handleDueAt: now }, now), status).toBe(false);
    }
    expect(AWAITING_REPLY_STATUSES).toEqual(['submitted', 'returned', 'dispatched', 'accepted', 'contacted']);
  });
});
