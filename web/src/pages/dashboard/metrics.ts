// The evaluation API (docs/api-metrics.md): types and fetchers used by the dashboard and drill-down.
import { api } from '../../lib/api.ts';

export interface Period {
  kind: string;
  label: string;
  start: number;
  end: number;
  from: string;
  to: string;
}
export interface Rate {
  num: number;
  den: number;
  value: number | null;
  wilson95: [number, number];
}
export interface Figures {
  key: string;
  volume: number;
  assessed: number;
  rated: number;
  excludedCounts: Record<string, number>;
  ratingCoverage: Rate;
  response: Rate;
  resolution: Rate;
  satisfaction: Rate;
  onTimeClosure: Rate;
  returnRate: Rate;
  reopenRate: Rate;
  extensionRate: Rate;
  eventCounts: { returns: number; reopens: number; extensions: number };
  faces: Record<'1' | '2' | '3' | '4' | '5', number>;
  solved: { yes: number; partly: number; no: number };
  ratingChannels: { web: number; callback: number };
  index: { value: number | null; interval95: [number, number] | null };
}
export interface TrendPoint {
  period: string;
  from: string;
  to: string;
  volume: number;
  rated: number;
  index: number | null;
  response: number | null;
  resolution: number | null;
  satisfaction: number | null;
}
export interface UnitRef {
  unitId: string;
  name: string;
  shortName: string;
  type: string;
  typeLabel: string;
  level: string;
  peerGroup: string;
  regionCode: string;
  population: number;
}
export interface Latent {
  repeat: null | { rate: Rate; repeats: number; pending: number; windowDays: number };
  sourceGovernance: null | { per10k: number | null; per10kLastYear: number | null; change: number | null; ratio: number | null; count: number; countLastYear: number; population: number };
  /** 热点化解: hotspots owned in the scope during the period and how many were resolved. */
  hotspotsResolved: null | { hotspots: number; resolved: number; rate: Rate; hotspotIds: string[] };
  /** 安全感·满意度 from the latest closed survey covering the scope's region. */
  surveyIndex: null | {
    value: number | null;
    respondents: number;
    interval95: [number, number] | null;
    surveyId?: string;
    roundName?: string;
    closedAt?: string;
    security?: number;
    satisfaction?: number;
  };
}
export interface Summary {
  period: Period;
  scope: UnitRef;
  figures: Figures;
  faces: { level: number; labelZh: string; labelEn: string; face: string; count: number }[];
  trend: TrendPoint[];
  children: { unit: UnitRef; volume: number; assessed: number; rated: number; index: number | null; response: number | null; resolution: number | null; satisfaction: number | null }[];
  latent: Latent;
  weights: { response: number; resolution: number; satisfaction: number };
  /** When the figures were computed (the server keeps a dashboard answer for a few seconds). */
  asOf: number;
}
export interface PeerGroup {
  peerGroup: string;
  labelZh: string;
  labelEn: string;
  units: number;
  unitsInScope: number;
}
export interface RankStats {
  estimate: number;
  interval95: [number, number];
  rank: number;
  medianRank: number;
  rankInterval95: [number, number];
  pBest: number;
  pWorst: number;
  pBetterThanMedian: number;
  diffFromMedian95: [number, number];
  notDistinguishableFromMedian: boolean;
}
export interface RankingRow {
  key: string;
  unitId: string;
  name: string;
  inScope: boolean;
  volume: number;
  assessed: number;
  rated: number;
  raw: { response: number | null; resolution: number | null; satisfaction: number | null; index: number | null };
  wilson95: { index: [number, number] | null };
  index: RankStats;
  caseMix: { satisfactionOE: number | null; resolutionOE: number | null };
}
export interface Rankings {
  period: Period;
  peerGroup: string;
  labelZh: string;
  labelEn: string;
  draws: number;
  units: RankingRow[];
  unranked: { unitId: string; name: string; reason: string; volume: number }[];
}
export interface FunnelPoint {
  unitId: string;
  name: string;
  inScope: boolean;
  num: number;
  n: number;
  value: number;
  z: number;
  band95: 'inside' | 'above' | 'below';
  band998: 'inside' | 'above' | 'below';
}
export interface Funnel {
  period: Period;
  peerGroup: string;
  metric: string;
  target: number;
  points: FunnelPoint[];
  curve: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}
export interface Breakdown {
  period: Period;
  unitId: string;
  by: string;
  items: { key: string; labelZh: string; labelEn: string; figures: Figures }[];
}
export interface DrillItem {
  appealId: string;
  trackingCode: string;
  title: string;
  status: string;
  unitId: string | null;
  createdAt: number;
  periodAt: number;
  score: number | null;
  whyZh: string;
  whyEn: string;
}
export interface Drilldown {
  period: Period;
  unitId: string;
  subtree: boolean;
  metric: string;
  outcome?: string;
  figure: { num: number; den: number };
  total: number;
  page: number;
  pageSize: number;
  items: DrillItem[];
}

type Q = Record<string, string | number | boolean | undefined>;
const get = <T,>(path: string, query: Q, signal?: AbortSignal) => api<T>(`/api/v1/metrics/${path}`, { query, ...(signal ? { signal } : {}) });

export const metricsApi = {
  summary: (q: { period: string; unitId?: string }, s?: AbortSignal) => get<Summary>('summary', q, s),
  peerGroups: (q: { period: string }, s?: AbortSignal) => get<{ items: PeerGroup[] }>('peer-groups', q, s),
  rankings: (q: { period: string; peerGroup?: string }, s?: AbortSignal) => get<Rankings>('rankings', q, s),
  funnel: (q: { period: string; peerGroup?: string; metric?: string }, s?: AbortSignal) => get<Funnel>('funnel', q, s),
  breakdown: (q: { period: string; unitId?: string; by: string }, s?: AbortSignal) => get<Breakdown>('breakdown', q, s),
  drilldown: (q: { period: string; unitId: string; subtree: boolean; metric: string; outcome?: string; page?: number; pageSize?: number }, s?: AbortSignal) => get<Drilldown>('drilldown', q, s),
};

/** Period specs for the presets, in Shanghai time. */
export function periodPresets(now = Date.now()): { key: string; spec: string }[] {
  const d = new Date(now + 8 * 3600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
  return [
    { key: 'thisMonth', spec: `${y}-${pad(m)}` },
    { key: 'lastMonth', spec: prev },
    { key: 'thisQuarter', spec: `${y}-Q${Math.floor((m - 1) / 3) + 1}` },
    { key: 'thisYear', spec: `${y}` },
  ];
}

/** Recomputes the 民标指数 of summed figures (for map areas made of several streets). */
export function indexOf(resp: { num: number; den: number }, res: { num: number; den: number }, sat: { num: number; den: number }, w: Summary['weights']): number | null {
  if (!resp.den || !res.den || !sat.den) return null;
  return 100 * (w.response * (resp.num / resp.den) + w.resolution * (res.num / res.den) + w.satisfaction * (sat.num / sat.den));
}
