import { describe, expect, it } from 'vitest';
import { antiGamingSignals, normaliseComment } from './antiGaming.ts';
import type { AppealFact } from './facts.ts';
import { computeUnitFigures } from './rates.ts';
import { fact, rated } from './testSupport.ts';

function many(unitId: string, n: number, over: (i: number) => Partial<AppealFact> = () => ({})): AppealFact[] {
  return Array.from({ length: n }, (_, i) => fact({ appealId: `${unitId}-${String(i).padStart(3, '0')}`, unitId, citizenKey: `${unitId}-c${i}`, rating: rated(i % 5 === 0 ? 3 : 5, 'yes'), ...over(i) }));
}

describe('anti-gaming signals', () => {
  it('stays silent on ordinary data', () => {
    expect(antiGamingSignals([...many('A', 40), ...many('B', 40)])).toEqual([]);
  });

  it('flags staff networks and sessions, fast ratings, contact disputes', () => {
    const facts = many('A', 10, (i) => ({
      ratingSource: { staffNetwork: i === 1, sessionId: i === 2 ? 'staff-s' : `s${i}` },
      replyToRatingSeconds: i === 3 ? 12 : 86_400,
      ...(i === 4 ? { rating: { ...rated(5, 'yes'), contacted: false } } : {}),
    }));
    const kinds = antiGamingSignals(facts, { staffSessionIds: new Set(['staff-s']) }).map((s) => [s.kind, s.appealIds]);
    expect(kinds).toEqual([
      ['contact-disputed', ['A-004']],
      ['fast-rating', ['A-003']],
      ['staff-network', ['A-001']],
      ['staff-session', ['A-002']],
    ]);
  });

  it('flags one session rating many citizens, and identical comments, listing the appeals', () => {
    const facts = [
      ...many('A', 6, (i) => ({ ratingSource: { sessionId: i < 3 ? 'shared' : `s${i}` }, comment: i < 3 ? '处理及时,态度很好!非常感谢' : null })),
      ...many('B', 3, (i) => ({ comment: i === 0 ? '处理及时 态度很好 非常感谢' : '好' })),
    ];
    const s = antiGamingSignals(facts);
    const shared = s.find((x) => x.kind === 'shared-rating-source')!;
    expect(shared.appealIds).toEqual(['A-000', 'A-001', 'A-002']);
    const comments = s.filter((x) => x.kind === 'identical-comments');
    expect(comments.map((c) => [c.key, c.appealIds])).toEqual([
      ['A', ['A-000', 'A-001', 'A-002']],
      ['B', ['B-000']],
    ]);
    expect(comments[0]!.evidence[0]!.appealIds).toHaveLength(4);
    expect(normaliseComment('处理及时, 态度很好!')).toBe('处理及时态度很好');
  });

  it('flags an unusual share of appeals taken out of the assessment, against the peers', () => {
    const peers = ['P', 'Q', 'R', 'S'].flatMap((u) => many(u, 100, (i) => (i < 5 ? { status: 'redirected' } : {})));
    const gamer = many('G', 100, (i) => (i < 30 ? { status: 'unreasonable', excludedReason: 'unreasonable' } : {}));
    const s = antiGamingSignals([...peers, ...gamer]).filter((x) => x.kind === 'exclusion-share');
    expect(s.map((x) => x.key)).toEqual(['G']);
    expect(s[0]!.appealIds).toHaveLength(30);
  });

  it('flags callback ratings far above the unit’s web ratings, beyond the peers’ usual gap', () => {
    const normal = ['P', 'Q', 'R'].flatMap((u) => many(u, 60, (i) => ({ rating: rated(i % 4 === 0 ? 1 : 5, 'yes', { channel: i % 2 === 0 ? 'web' : 'callback' }) })));
    const jump = many('J', 60, (i) => ({ rating: i % 2 === 0 ? rated(i % 4 === 0 ? 1 : 2, 'no') : rated(5, 'yes', { channel: 'callback' }) }));
    const s = antiGamingSignals([...normal, ...jump]).filter((x) => x.kind === 'callback-jump');
    expect(s.map((x) => x.key)).toEqual(['J']);
    expect(s[0]!.appealIds).toHaveLength(30);
  });

  it('never changes a score', () => {
    const facts = many('A', 10, () => ({ ratingSource: { staffNetwork: true } }));
    const before = JSON.stringify(computeUnitFigures(facts));
    antiGamingSignals(facts);
    expect(JSON.stringify(computeUnitFigures(facts))).toBe(before);
  });
});
