// Text intelligence over the API (src/http/routes/text): the analysis of an appeal, the draft-reply
// check, risk alerts (矛盾易发点), hotspots (热点) and the classifier's report.
import type { AppealStatus, Urgency } from './types.ts';

export type RiskLevel = 'none' | 'low' | 'medium' | 'high';
export type RiskKind = 'violence' | 'weapon' | 'self-harm' | 'group' | 'emotion' | 'escalation';

export interface RiskSignal {
  kind: RiskKind | string;
  words: string[];
  weight: number;
}

export interface LinkedAppeal {
  id: string;
  trackingCode: string;
  title: string;
  status: AppealStatus;
  createdAt: string;
}

export interface Insight {
  appealId: string;
  predicted: { categoryId: string; name: string; confidence: number } | null;
  ranked: { categoryId: string; name: string; probability: number }[];
  route: 'auto' | 'triage';
  /** In Chinese, from the server. */
  routeReason: string;
  autoUnit: { id: string; name: string } | null;
  risk: { level: RiskLevel; score: number; signals: RiskSignal[] };
  repeatOf: LinkedAppeal | null;
  sameIssueAs: LinkedAppeal | null;
  similarity: number | null;
  sameIssue: LinkedAppeal[];
  hotspots: { id: string; label: string; status: 'active' | 'resolved' | string }[];
}

export type ReplyPart = 'relevance' | 'completeness' | 'basis' | 'tone' | 'specificity' | 'timeliness';

export interface ReplyCheck {
  /** 0–100. */
  overall: number;
  /** Each 0–1; timeliness is null when it does not apply. */
  parts: Record<Exclude<ReplyPart, 'timeliness'>, number> & { timeliness: number | null };
  points: { text: string; kind: 'question' | 'request' | string; answered: boolean; overlap: number }[];
  citations: string[];
  hints: { code: string; zh: string; en: string }[];
}

export interface RiskAlert {
  appealId: string;
  trackingCode: string;
  title: string;
  status: AppealStatus;
  urgency: Urgency;
  createdAt: string;
  level: RiskLevel;
  score: number;
  signals: RiskSignal[];
}

export interface Hotspot {
  id: string;
  label: string;
  place: string | null;
  problem: string;
  keywords: string[];
  heat: number;
  heatParts: Record<string, number>;
  appeals: number;
  citizens: number;
  trend: { day: string; count: number }[];
  ownerUnit: { id: string; name: string } | null;
  regionCode: string | null;
  status: 'active' | 'resolved';
  firstAt: string;
  lastAt: string;
  resolvedAt: string | null;
}

export interface HotspotDetail extends Hotspot {
  appealIds: string[];
}

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ModelReport {
  n: number;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  perClass: Record<string, ClassReport>;
  confusion: { labels: string[]; matrix: number[][] };
  ece: number;
  coverage: { threshold: number; coverage: number; accuracy: number }[];
  folds: number;
  foldMacroF1: number[];
  foldAccuracy?: number[];
}

export interface ModelSummary {
  id: string;
  createdAt: string;
  createdBy?: string | null;
  reason: 'seed' | 'nightly' | 'manual' | string;
  trainingRows: number;
  confirmedRows: number;
  labels: { categoryId: string; name: string; nameEn: string | null }[];
  report: ModelReport | null;
  threshold: number;
  autoDispatch: boolean;
}

export const RISK_COLOR: Record<RiskLevel, string> = { none: 'default', low: 'blue', medium: 'orange', high: 'red' };

export function isRiskLevel(v: string): v is RiskLevel {
  return v === 'none' || v === 'low' || v === 'medium' || v === 'high';
}

export const RISK_KINDS: readonly string[] = ['violence', 'weapon', 'self-harm', 'group', 'emotion', 'escalation'];
