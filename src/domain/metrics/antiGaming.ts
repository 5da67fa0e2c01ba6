// Anti-gaming signals for the auditor (DESIGN.md §5, §6; GB/T 39734-2020 4.1 forbids forcing or
// interfering with ratings). Each signal names the appeals behind it so it can be checked by hand.
// Signals never change a score: they are evidence for a human decision, not a penalty.

import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './config.ts';
import { byUnit, exclusionOf, keysOf, type AppealFact, type KeyOf } from './facts.ts';
import { funnelLimits } from './funnel.ts';

export type SignalKind =
  | 'staff-network' // rated from the staff network
  | 'staff-session' // rated in a staff member's session
  | 'shared-rating-source' // one session / IP rated many different citizens' appeals
  | 'fast-rating' // rated seconds after the reply
  | 'identical-comments' // the same comment text on several appeals
  | 'exclusion-share' // unusually many appeals redirected / unreasonable / merged / withdrawn
  | 'callback-jump' // 回访 ratings much better than the unit's own web ratings, beyond the peers' gap
  | 'contact-disputed'; // the unit recorded a contact, the citizen says there was none

export interface GamingSignal {
  key: string;
  kind: SignalKind;
  /** The size of the signal (a count, a share or a gap — see detail). */
  measure: number;
  /** The threshold it was compared with. */
  threshold: number;
  /** Every appeal behind the signal, sorted. */
  appealIds: string[];
  /** Groups of appeals that belong together (the same comment, the same session …). */
  evidence: { label: string; appealIds: string[] }[];
  detail: Record<string, number | string | null>;
  messageZh: string;
  messageEn: string;
}

export interface AntiGamingOptions {
  keyOf?: KeyOf;
  config?: MetricsConfig;
  /** Session ids of staff accounts (known to the service layer). */
  staffSessionIds?: ReadonlySet<string>;
  /** A rating this many seconds or fewer after the reply is "fast" (default 60). */
  fastRatingSeconds?: number;
  /** A session that rated this many different citizens' appeals is flagged (default 3). */
  minAppealsPerSession?: number;
  /** An IP that rated this many (carrier NAT shares IPs, so higher; default 10). */
  minAppealsPerIp?: number;
  /** Comments shorter than this (after normalisation, in characters) are ignored: "满意" is not evidence (default 6). */
  minCommentLength?: number;
  /** A comment on at least this many appeals is flagged (default 3). */
  minCommentCopies?: number;
  /** Callback vs web: each needs this many ratings (default 5) … */
  minRatingsEach?: number;
  /** … and the unit's gap must exceed the peers' gap by this much (default 0.15) … */
  minExcessGap?: number;
  /** … with this z (default 2.576, two-sided 1 %). */
  zThreshold?: number;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Comparable comment text: NFKC, lower case, no spaces, punctuation or symbols. */
export function normaliseComment(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Who a rating belongs to, for counting distinct citizens (an appeal without a citizen key is its own). */
function citizenOf(f: AppealFact): string {
  return f.citizenKey ? `c:${f.citizenKey}` : `a:${f.appealId}`;
}

const EXCLUDED_STATUSES = new Set(['redirected', 'unreasonable', 'merged', 'withdrawn']);

/** Every signal, sorted by unit key then kind. The facts should be one peer group (shares are compared with it). */
export function antiGamingSignals(facts: readonly AppealFact[], options: AntiGamingOptions = {}): GamingSignal[] {
  const keyOf = options.keyOf ?? byUnit;
  const config = options.config ?? DEFAULT_METRICS_CONFIG;
  const fastSeconds = options.fastRatingSeconds ?? 60;
  const minPerSession = options.minAppealsPerSession ?? 3;
  const minPerIp = options.minAppealsPerIp ?? 10;
  const minLen = options.minCommentLength ?? 6;
  const minCopies = options.minCommentCopies ?? 3;
  const minEach = options.minRatingsEach ?? 5;
  const minGap = options.minExcessGap ?? 0.15;
  const zCrit = options.zThreshold ?? 2.576;
  const staffSessions = options.staffSessionIds ?? new Set<string>();
  const sorted = [...facts].sort((a, b) => cmp(a.appealId, b.appealId));
  const signals: GamingSignal[] = [];
  const emit = (s: Omit<GamingSignal, 'evidence'> & { evidence?: GamingSignal['evidence'] }) =>
    signals.push({ ...s, appealIds: [...new Set(s.appealIds)].sort(cmp), evidence: s.evidence ?? [] });

  // Per unit: appeals by simple per-rating tests.
  interface UnitAcc {
    ids: Set<string>;
    volume: number;
    excluded: number;
    excludedIds: string[];
    rated: AppealFact[];
    staffNet: string[];
    /** Session → its appeals (the evidence of staff-session). */
    staffSessBy: Map<string, string[]>;
    fast: string[];
    disputed: string[];
    contacted: number;
    webN: number;
    webSum: number;
    cbN: number;
    cbSum: number;
    cbIds: string[];
  }
  const units = new Map<string, UnitAcc>();
  const unitOf = (k: string): UnitAcc => {
    let u = units.get(k);
    if (u === undefined) {
      u = { ids: new Set(), volume: 0, excluded: 0, excludedIds: [], rated: [], staffNet: [], staffSessBy: new Map(), fast: [], disputed: [], contacted: 0, webN: 0, webSum: 0, cbN: 0, cbSum: 0, cbIds: [] };
      units.set(k, u);
    }
    return u;
  };
  let peerWebN = 0;
  let peerWebSum = 0;
  let peerCbN = 0;
  let peerCbSum = 0;
  for (const f of sorted) {
    const keys = keysOf(keyOf, f);
    const isExcluded = exclusionOf(f) !== null || EXCLUDED_STATUSES.has(f.status);
    const r = f.rating;
    const score = r ? config.levelWeights[r.level] : 0;
    if (r) {
      if (r.channel === 'callback') {
        peerCbN++;
        peerCbSum += score;
      } else {
        peerWebN++;
        peerWebSum += score;
      }
    }
    for (const k of keys) {
      const u = unitOf(k);
      u.volume++;
      u.ids.add(f.appealId);
      if (isExcluded) {
        u.excluded++;
        u.excludedIds.push(f.appealId);
      }
      if (!r) continue;
      u.rated.push(f);
      if (f.ratingSource?.staffNetwork === true) u.staffNet.push(f.appealId);
      const sid = f.ratingSource?.sessionId;
      if (sid && staffSessions.has(sid)) {
        const bySession = u.staffSessBy.get(sid);
        if (bySession) bySession.push(f.appealId);
        else u.staffSessBy.set(sid, [f.appealId]);
      }
      if (f.replyToRatingSeconds !== undefined && f.replyToRatingSeconds !== null && f.replyToRatingSeconds <= fastSeconds && r.channel === 'web') {
        u.fast.push(f.appealId);
      }
      if (f.respondedOnTime !== null) u.contacted++;
      if (f.respondedOnTime !== null && r.contacted === false) u.disputed.push(f.appealId);
      if (r.channel === 'callback') {
        u.cbN++;
        u.cbSum += score;
        u.cbIds.push(f.appealId);
      } else {
        u.webN++;
        u.webSum += score;
      }
    }
  }

  // Deployment-wide groupings: shared sessions / IPs, identical comments.
  const groupBy = (get: (f: AppealFact) => string | null | undefined) => {
    const m = new Map<string, AppealFact[]>();
    for (const f of sorted) {
      const g = get(f);
      if (!g) continue;
      const arr = m.get(g);
      if (arr) arr.push(f);
      else m.set(g, [f]);
    }
    return m;
  };
  const distinctCitizens = (fs: AppealFact[]) => new Set(fs.map(citizenOf)).size;
  const flaggedGroups = (m: Map<string, AppealFact[]>, min: number, label: (g: string) => string) => {
    const perUnit = new Map<string, { label: string; appealIds: string[] }[]>();
    for (const g of [...m.keys()].sort(cmp)) {
      const fs = m.get(g)!;
      if (distinctCitizens(fs) < min) continue;
      const all = fs.map((f) => f.appealId);
      const unitKeys = new Set(fs.flatMap((f) => [...keysOf(keyOf, f)]));
      for (const k of unitKeys) {
        const list = perUnit.get(k) ?? [];
        list.push({ label: label(g), appealIds: all });
        perUnit.set(k, list);
      }
    }
    return perUnit;
  };
  const sessions = flaggedGroups(groupBy((f) => (f.rating ? f.ratingSource?.sessionId : null)), minPerSession, (g) => `session ${g}`);
  const ips = flaggedGroups(groupBy((f) => (f.rating ? f.ratingSource?.ip : null)), minPerIp, (g) => `ip ${g}`);
  const comments = flaggedGroups(
    groupBy((f) => {
      if (!f.comment) return null;
      const t = normaliseComment(f.comment);
      return [...t].length >= minLen ? t : null;
    }),
    minCopies,
    (g) => g,
  );

  // Peer share of excluded appeals, for the funnel test.
  let peerVol = 0;
  let peerExcl = 0;
  for (const u of units.values()) {
    peerVol += u.volume;
    peerExcl += u.excluded;
  }
  const p0Excl = peerVol > 0 ? peerExcl / peerVol : 0;
  const peerWeb = peerWebN > 0 ? peerWebSum / peerWebN : null;
  const peerCb = peerCbN > 0 ? peerCbSum / peerCbN : null;
  const peerGap = peerWeb !== null && peerCb !== null ? peerCb - peerWeb : 0;

  for (const key of [...units.keys()].sort(cmp)) {
    const u = units.get(key)!;
    const nRated = u.rated.length;
    if (u.staffNet.length > 0) {
      emit({
        key, kind: 'staff-network', measure: u.staffNet.length, threshold: 1, appealIds: u.staffNet,
        detail: { ratings: nRated, share: u.staffNet.length / nRated },
        messageZh: `${u.staffNet.length} 条评价来自单位内网`, messageEn: `${u.staffNet.length} rating(s) came from the staff network`,
      });
    }
    const staffSess = [...u.staffSessBy.values()].flat();
    if (staffSess.length > 0) {
      emit({
        key, kind: 'staff-session', measure: staffSess.length, threshold: 1, appealIds: staffSess,
        evidence: [...u.staffSessBy.keys()].sort(cmp).map((sid) => ({ label: `session ${sid}`, appealIds: u.staffSessBy.get(sid)! })),
        detail: { ratings: nRated, share: staffSess.length / nRated },
        messageZh: `${staffSess.length} 条评价在工作人员的登录会话中提交`, messageEn: `${staffSess.length} rating(s) were submitted in a staff session`,
      });
    }
    const shared = [...(sessions.get(key) ?? []), ...(ips.get(key) ?? [])];
    if (shared.length > 0) {
      const ids = shared.flatMap((g) => g.appealIds.filter((id) => u.ids.has(id)));
      emit({
        key, kind: 'shared-rating-source', measure: shared.length, threshold: minPerSession, appealIds: ids, evidence: shared,
        detail: { groups: shared.length, minAppealsPerSession: minPerSession, minAppealsPerIp: minPerIp },
        messageZh: `${shared.length} 个会话或 IP 为多名不同群众的诉求提交了评价`,
        messageEn: `${shared.length} session(s) or IP(s) rated appeals of several different citizens`,
      });
    }
    if (u.fast.length > 0) {
      emit({
        key, kind: 'fast-rating', measure: u.fast.length, threshold: fastSeconds, appealIds: u.fast,
        detail: { ratings: nRated, share: u.fast.length / nRated, seconds: fastSeconds },
        messageZh: `${u.fast.length} 条网上评价在答复后 ${fastSeconds} 秒内提交`, messageEn: `${u.fast.length} web rating(s) within ${fastSeconds} s of the reply`,
      });
    }
    const com = comments.get(key) ?? [];
    if (com.length > 0) {
      emit({
        key, kind: 'identical-comments', measure: com.length, threshold: minCopies, appealIds: com.flatMap((g) => g.appealIds.filter((id) => u.ids.has(id))), evidence: com,
        detail: { groups: com.length, minCopies, minLength: minLen },
        messageZh: `${com.length} 段相同的评价留言出现在多件诉求中`, messageEn: `${com.length} identical comment(s) appear on several appeals`,
      });
    }
    if (u.volume > 0 && peerVol > 0) {
      const limits = funnelLimits(p0Excl, u.volume);
      const share = u.excluded / u.volume;
      if (share > limits.upper998) {
        const ids = u.excludedIds;
        emit({
          key, kind: 'exclusion-share', measure: share, threshold: limits.upper998, appealIds: ids,
          detail: { excluded: u.excluded, volume: u.volume, peerShare: p0Excl },
          messageZh: `不参评(引导/不合理/合并/撤回)占比 ${(share * 100).toFixed(1)}%,高于同类单位 99.8% 控制限`,
          messageEn: `share not assessed (redirected/unreasonable/merged/withdrawn) ${(share * 100).toFixed(1)}% is above the peers' 99.8% limit`,
        });
      }
    }
    if (u.cbN >= minEach && u.webN >= minEach) {
      const sc = u.cbSum / u.cbN;
      const sw = u.webSum / u.webN;
      const gap = sc - sw;
      const excess = gap - peerGap;
      // Smoothed shares keep the standard error above 0 when a side is all 0 or all 1.
      const pc = (u.cbSum + 0.5) / (u.cbN + 1);
      const pw = (u.webSum + 0.5) / (u.webN + 1);
      const se = Math.sqrt((pc * (1 - pc)) / u.cbN + (pw * (1 - pw)) / u.webN);
      const z = excess / se;
      if (excess >= minGap && z >= zCrit) {
        emit({
          key, kind: 'callback-jump', measure: excess, threshold: minGap, appealIds: u.cbIds,
          detail: { callbackRatings: u.cbN, webRatings: u.webN, callbackSatisfaction: sc, webSatisfaction: sw, peerGap, z },
          messageZh: `回访满意率比网上评价高 ${(gap * 100).toFixed(1)} 个百分点,超出同类单位差距 ${(excess * 100).toFixed(1)} 个百分点`,
          messageEn: `callback satisfaction exceeds web by ${(gap * 100).toFixed(1)} points, ${(excess * 100).toFixed(1)} beyond the peers' gap`,
        });
      }
    }
    if (u.disputed.length > 0) {
      emit({
        key, kind: 'contact-disputed', measure: u.disputed.length, threshold: 1, appealIds: u.disputed,
        detail: { contactedAndRated: u.contacted, share: u.contacted > 0 ? u.disputed.length / u.contacted : null },
        messageZh: `${u.disputed.length} 件诉求记录已联系,但群众评价称未被联系`,
        messageEn: `${u.disputed.length} appeal(s) recorded as contacted where the citizen says no contact was made`,
      });
    }
  }
  return signals.sort((a, b) => cmp(a.key, b.key) || cmp(a.kind, b.kind));
}
