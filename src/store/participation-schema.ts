// Tables of participation (issue 7): consultations (征集) with suggestions, supports, their
// moderation/answer history and follow-up tasks; the 安全感·满意度 survey with rounds, responses and
// the population margins used for weighting. Same conventions as schema.ts: times are epoch ms
// (bigint), booleans 0/1, JSON as text. Every large table carries region_code (Citus distribution).

type Bool = number;

export interface ConsultationTable {
  id: string;
  region_code: string;
  /** The unit that opened it (its staff manage it) and that unit's path, for data scope. */
  unit_id: string;
  unit_path: string;
  title: string;
  background: string;
  /** JSON ConsultationQuestion[]. */
  questions: string;
  category_id: string | null;
  opens_at: number;
  closes_at: number;
  published: Bool;
  /** 1: every suggestion waits for a moderator before it is public. */
  premoderation: Bool;
  /** The public conclusion written when the consultation is over. */
  summary: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface SuggestionTable {
  id: string;
  consultation_id: string;
  region_code: string;
  /** 'pending' (held for a moderator) | 'published' | 'hidden' (with a reason; never deleted). */
  status: string;
  /** The public title and text (personal data masked). */
  title: string;
  body: string;
  /** The text as submitted, encrypted, when the public copy differs from it (masked or redacted). */
  original_enc: string | null;
  /** JSON: answers to the consultation's structured questions. */
  answers: string;
  /** JSON Finding[] of the automatic screening. */
  flags: string;
  /** Why it is held or hidden (a ModerationReason) and the moderator's note. */
  mod_reason: string | null;
  mod_note: string | null;
  author_phone_enc: string | null;
  author_phone_idx: string | null;
  support_count: number;
  category_id: string | null;
  answer_outcome: string | null;
  answer_reason: string | null;
  answer_action: string | null;
  answered_at: number | null;
  answered_by: string | null;
  answer_unit_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface SuggestionSupportTable {
  suggestion_id: string;
  /** A key derived from the supporter's phone blind index and the consultation (not joinable to appeals). */
  supporter_key: string;
  consultation_id: string;
  region_code: string;
  created_at: number;
}

/** Append-only history of a suggestion: submission, screening, moderation, answers, tasks. */
export interface SuggestionEventTable {
  suggestion_id: string;
  seq: number;
  region_code: string;
  at: number;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  /** JSON. */
  payload: string;
}

export interface ConsultationTaskTable {
  id: string;
  consultation_id: string;
  suggestion_id: string;
  region_code: string;
  title: string;
  description: string;
  unit_id: string;
  unit_path: string;
  due_at: number;
  status: string;
  done_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConsultationTaskUpdateTable {
  task_id: string;
  seq: number;
  region_code: string;
  at: number;
  actor_id: string | null;
  status: string;
  /** The public progress note. */
  note: string;
}

export interface SurveyRoundTable {
  id: string;
  name: string;
  region_code: string;
  unit_id: string;
  unit_path: string;
  /** JSON Questionnaire. */
  questionnaire: string;
  opens_at: number;
  closes_at: number;
  /** 'draft' | 'open' | 'closed'. */
  status: string;
  /** JSON MarginCell[] frozen when the round is closed, so its published results never change. */
  margins_snapshot: string | null;
  closed_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface SurveyResponseTable {
  id: string;
  round_id: string;
  region_code: string;
  sex: string;
  age_group: string;
  /** 'web' | 'phone' (entered by an interviewer). */
  channel: string;
  /** JSON Answers (open text screened: personal data masked). */
  answers: string;
  /** Once per person and round: derived from the phone blind index and the round (null if none given). */
  respondent_key: string | null;
  entered_by: string | null;
  created_at: number;
}

export interface SurveyMarginTable {
  region_code: string;
  age_group: string;
  sex: string;
  population: number;
  source: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface ParticipationTables {
  consultations: ConsultationTable;
  suggestions: SuggestionTable;
  suggestion_supports: SuggestionSupportTable;
  suggestion_events: SuggestionEventTable;
  consultation_tasks: ConsultationTaskTable;
  consultation_task_updates: ConsultationTaskUpdateTable;
  survey_rounds: SurveyRoundTable;
  survey_responses: SurveyResponseTable;
  survey_margins: SurveyMarginTable;
}
