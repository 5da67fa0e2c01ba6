// Tables of the text intelligence (issue 4, DESIGN.md §7): what the analysis found about each appeal at
// intake (predicted category and confidence, route, risk and its trigger words, repeat / same-issue
// links, hotspot), the trained classifier models with their cross-validated report, and the persisted
// hotspots with their member appeals. Same conventions as schema.ts: epoch-ms times, 0/1, JSON as text.

export interface AppealInsightTable {
  appeal_id: string;
  region_code: string;
  /** The classifier's best category (null when no model or the model knows no category). */
  predicted_category_id: string | null;
  /** Its calibrated probability 0..1. */
  confidence: number | null;
  /** JSON: [{ categoryId, probability }] — the three most probable categories. */
  ranked: string;
  model_id: string | null;
  /** 'auto': dispatched without a human; 'triage': waits in the dispatcher's queue (with the reason). */
  route: string;
  route_reason: string;
  auto_unit_id: string | null;
  risk_level: string;
  risk_score: number;
  /** JSON: [{ kind, words, weight }] — the words that triggered each signal. */
  risk_signals: string;
  /** The same citizen's earlier appeal on the same matter (重复诉求). */
  repeat_of: string | null;
  /** Another citizen's earlier appeal on the same matter (one issue, many citizens). */
  same_issue_as: string | null;
  similarity: number | null;
  /** The first appeal of the matter: every appeal linked to it shares this id. */
  issue_id: string;
  created_at: number;
}

export interface TextModelTable {
  id: string;
  created_at: number;
  created_by: string | null;
  /** 'seed' (cold start), 'nightly', 'manual'. */
  reason: string;
  training_rows: number;
  /** Rows from the deployment's confirmed categories (the rest are shipped seed examples). */
  confirmed_rows: number;
  /** JSON of the trained model (ClassifierJSON). */
  model: string;
  /** JSON: the k-fold cross-validation report (accuracy, macro-F1, per class, confusion matrix), or null. */
  report: string | null;
  active: number;
}

export interface HotspotTable {
  id: string;
  region_code: string | null;
  label: string;
  place: string | null;
  problem: string;
  /** JSON string[] */
  keywords: string;
  heat: number;
  /** JSON HeatParts */
  heat_parts: string;
  appeals: number;
  citizens: number;
  /** JSON [{ day, count }] */
  trend: string;
  owner_unit_id: string | null;
  owner_unit_path: string | null;
  /** 'active' | 'resolved' */
  status: string;
  first_at: number;
  last_at: number;
  resolved_at: number | null;
  updated_at: number;
}

export interface HotspotAppealTable {
  hotspot_id: string;
  appeal_id: string;
}

export interface TextTables {
  appeal_insights: AppealInsightTable;
  text_models: TextModelTable;
  hotspots: HotspotTable;
  hotspot_appeals: HotspotAppealTable;
}
