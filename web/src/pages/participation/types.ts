// The shapes of the participation API (docs/participation.md).

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ConsultationQuestion {
  id: string;
  kind: 'single' | 'multi' | 'text';
  text: string;
  textEn?: string | null;
  required: boolean;
  options: string[];
}

export interface Consultation {
  id: string;
  title: string;
  background: string;
  regionCode: string;
  regionName: string;
  unitName: string;
  questions: ConsultationQuestion[];
  opensAt: string;
  closesAt: string;
  phase: 'draft' | 'upcoming' | 'open' | 'closed';
  phaseLabel: Bilingual;
  premoderation: boolean;
  summary: string | null;
  suggestions: number;
}

export interface ConsultationStaff extends Consultation {
  published: boolean;
  categoryId: string | null;
  unitId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  counts: { pending: number; published: number; hidden: number; answered: number; participants: number; supports: number };
}

export type Outcome = 'adopted' | 'partly_adopted' | 'not_adopted';

export interface Answer {
  outcome: Outcome;
  outcomeLabel: Bilingual;
  reason: string;
  action: string | null;
  answeredAt: string | null;
  unitName: string | null;
}

export interface Suggestion {
  id: string;
  title: string;
  body: string;
  supportCount: number;
  createdAt: string;
  masked: boolean;
  answers: Record<string, string | string[]>;
  answer: Answer | null;
}

export interface SuggestionStaff extends Suggestion {
  status: 'pending' | 'published' | 'hidden';
  flags: { kind: string; count: number }[];
  modReason: string | null;
  modReasonLabel: Bilingual | null;
  modNote: string | null;
  hasOriginal: boolean;
  authorPhoneMasked: string | null;
  categoryId: string | null;
  updatedAt: string;
  tasks: { id: string; title: string; status: string; dueAt: string }[];
}

export interface Task {
  id: string;
  suggestionId: string;
  suggestionTitle?: string | null;
  title: string;
  description: string;
  unitId: string;
  unitName: string;
  dueAt: string;
  status: 'open' | 'in_progress' | 'done' | 'cancelled';
  statusLabel: Bilingual;
  overdue: boolean;
  doneAt: string | null;
  updates: { at: string; status: string; note: string }[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ConsultationResults {
  consultation: Consultation;
  figures: {
    received: number;
    published: number;
    pending: number;
    hidden: number;
    hiddenByReason: { reason: string; label: Bilingual; count: number }[];
    participants: number;
    supports: number;
    supporters: number;
    answered: number;
    outcomes: Record<Outcome, number>;
    tasks: number;
    tasksDone: number;
    tasksOverdue: number;
  };
  top: Suggestion[];
  answers: Suggestion[];
  tasks: Task[];
  questions: { id: string; kind: string; text: string; textEn: string | null; answered: number; options: { option: string; count: number }[] }[];
}

export interface SurveyOption {
  value: string;
  label: string;
  labelEn: string;
  score: number | null;
}

export interface SurveyQuestion {
  id: string;
  kind: 'scale' | 'text';
  text: string;
  textEn: string;
  dimension: 'security' | 'satisfaction' | null;
  required: boolean;
  options: SurveyOption[];
}

export interface Questionnaire {
  version: 1;
  intro: string;
  introEn: string;
  questions: SurveyQuestion[];
}

export interface PublicRound {
  id: string;
  name: string;
  regionCode: string;
  regionName: string;
  opensAt: string;
  closesAt: string;
  questionnaire: Questionnaire;
  regions: { code: string; name: string; parentCode: string | null; level: string }[];
  ageGroups: string[];
  sexes: { value: string; label: string; labelEn: string }[];
}

export interface Round {
  id: string;
  name: string;
  regionCode: string;
  regionName: string;
  unitId: string;
  unitName: string;
  status: 'draft' | 'open' | 'closed';
  acceptingWeb: boolean;
  opensAt: string;
  closesAt: string;
  closedAt: string | null;
  marginsFrozen: boolean;
  questionnaire: Questionnaire;
  responses: number;
  canManage: boolean;
  createdAt: string;
}

export interface Estimate {
  value: number | null;
  se: number | null;
  interval95: [number, number] | null;
  respondents: number;
  unweighted: number | null;
  effectiveN: number | null;
  designEffect: number | null;
  weighting: 'post-stratified' | 'none';
}

export interface RoundResults {
  round: Round;
  regionCode: string;
  regionName: string;
  marginsFrozen: boolean;
  respondents: number;
  weighting: 'post-stratified' | 'none';
  regionsWithoutMargins: string[];
  index: Estimate;
  security: Estimate;
  satisfaction: Estimate;
  cells: { regionCode: string; ageGroup: string; sex: string; population: number; respondents: number; mean: number | null; share: number; weight: number }[];
  emptyCells: { regionCode: string; ageGroup: string; sex: string; population: number }[];
  unmatched: number;
  items: { id: string; text: string; textEn: string; dimension: string | null; score: Estimate; topTwo: Estimate; counts: Record<string, number>; options: SurveyOption[] }[];
  regions: { regionCode: string; regionName: string; weighted: boolean; respondents: number; index: Estimate; security: Estimate; satisfaction: Estimate }[];
  channels: Record<string, number>;
  sample: { sex: string; ageGroup: string; respondents: number }[];
  openAnswers: { regionCode: string; questionId: string; text: string; at: string }[];
}

export interface TrendPoint {
  roundId: string;
  name: string;
  status: string;
  opensAt: string;
  closesAt: string;
  respondents: number;
  weighting: string;
  index: Estimate;
  security: Estimate;
  satisfaction: Estimate;
}

export interface MarginsItem {
  regionCode: string;
  regionName: string;
  source: string | null;
  updatedAt: string | null;
  total: number;
  cells: { ageGroup: string; sex: string; population: number }[];
}
