// The results of a survey round for a region (pure): the weighted index with its interval, the two
// sub-indices, each question, the regions below, and what the sample looked like.
import { scoreAnswers, topTwoValues, type Answers, type Questionnaire } from './survey.ts';
import {
  assignWeightingRegion,
  postStratifiedEstimate,
  regionPrefix,
  regionWithin,
  unweightedEstimate,
  type Estimate,
  type MarginCell,
  type Observation,
} from './weighting.ts';

export interface ResponseRow {
  regionCode: string;
  sex: string;
  ageGroup: string;
  channel: string;
  answers: Answers;
}

/**
 * Margins ready for weighting when regions are nested: a region's cells minus the cells of its
 * largest sub-regions that have margins of their own (clipped at 0), so that no resident is counted
 * twice. Respondents then use the most specific region with margins (`assignWeightingRegion`).
 */
export function residualMargins(cells: readonly MarginCell[]): MarginCell[] {
  const regions = [...new Set(cells.map((c) => c.regionCode))];
  const strictlyWithin = (a: string, b: string) => a !== b && regionWithin(a, b) && regionPrefix(a).length > regionPrefix(b).length;
  const out: MarginCell[] = [];
  for (const r of regions) {
    const children = regions.filter((c) => strictlyWithin(c, r));
    const maximal = children.filter((c) => !children.some((o) => strictlyWithin(c, o)));
    for (const cell of cells.filter((c) => c.regionCode === r)) {
      let n = cell.population;
      for (const ch of maximal) {
        n -= cells.find((c) => c.regionCode === ch && c.ageGroup === cell.ageGroup && c.sex === cell.sex)?.population ?? 0;
      }
      out.push({ ...cell, population: Math.max(0, n) });
    }
  }
  return out;
}

export interface EstimateView {
  value: number | null;
  se: number | null;
  interval95: [number, number] | null;
  respondents: number;
  unweighted: number | null;
  effectiveN: number | null;
  designEffect: number | null;
  weighting: Estimate['weighting'];
}

export const viewOf = (e: Estimate): EstimateView => ({
  value: e.value,
  se: e.se,
  interval95: e.interval95,
  respondents: e.respondents,
  unweighted: e.unweighted,
  effectiveN: e.effectiveN,
  designEffect: e.designEffect,
  weighting: e.weighting,
});

export interface RegionResult {
  regionCode: string;
  /** The region's responses were weighted with its own (or its parent's) margins. */
  weighted: boolean;
  respondents: number;
  index: EstimateView;
  security: EstimateView;
  satisfaction: EstimateView;
}

export interface ItemResult {
  id: string;
  dimension: string | null;
  /** Mean score 0..100. */
  score: EstimateView;
  /** Share (0..100) giving one of the two best answers. */
  topTwo: EstimateView;
  /** Unweighted counts per option value. */
  counts: Record<string, number>;
}

export interface RoundResults {
  regionCode: string;
  respondents: number;
  /** 'post-stratified' when every respondent met margins; otherwise 'none' with the regions lacking them. */
  weighting: Estimate['weighting'];
  regionsWithoutMargins: string[];
  index: EstimateView;
  security: EstimateView;
  satisfaction: EstimateView;
  /** The cells of the overall index: population, respondents, weights. */
  cells: Estimate['strata'];
  emptyCells: Estimate['emptyCells'];
  unmatched: number;
  items: ItemResult[];
  regions: RegionResult[];
  channels: Record<string, number>;
  sample: { sex: string; ageGroup: string; respondents: number }[];
}

type Scored = ResponseRow & { weightRegion: string | null; scores: ReturnType<typeof scoreAnswers> };

function estimate(rows: readonly Scored[], y: (r: Scored) => number | null, margins: readonly MarginCell[], weighted: boolean): Estimate {
  const obs: Observation[] = rows.map((r) => ({ regionCode: r.weightRegion ?? r.regionCode, ageGroup: r.ageGroup, sex: r.sex, y: y(r) }));
  return weighted ? postStratifiedEstimate(obs, margins) : unweightedEstimate(obs);
}

/** Results of the responses inside `regionCode`, weighted with `margins` (raw, as entered). */
export function computeRoundResults(q: Questionnaire, responses: readonly ResponseRow[], margins: readonly MarginCell[], regionCode: string): RoundResults {
  const cells = residualMargins(margins);
  const marginRegions = [...new Set(cells.map((c) => c.regionCode))];
  const rows: Scored[] = responses
    .filter((r) => regionWithin(r.regionCode, regionCode))
    .map((r) => ({ ...r, weightRegion: assignWeightingRegion(r.regionCode, marginRegions), scores: scoreAnswers(q, r.answers) }));

  const lacking = [...new Set(rows.filter((r) => r.weightRegion === null).map((r) => r.regionCode.slice(0, 6)))].sort();
  const weighted = rows.length > 0 && lacking.length === 0;

  const overall = estimate(rows, (r) => r.scores.overall, cells, weighted);
  const items: ItemResult[] = q.questions
    .filter((x) => x.kind === 'scale')
    .map((x) => {
      const top = topTwoValues(x);
      const counts: Record<string, number> = Object.fromEntries(x.options.map((o) => [o.value, 0]));
      for (const r of rows) {
        const v = r.answers[x.id];
        if (v !== undefined && v in counts) counts[v]!++;
      }
      return {
        id: x.id,
        dimension: x.dimension,
        score: viewOf(estimate(rows, (r) => r.scores.items[x.id] ?? null, cells, weighted)),
        topTwo: viewOf(estimate(rows, (r) => (r.scores.items[x.id] === null || r.scores.items[x.id] === undefined ? null : top.has(r.answers[x.id]!) ? 100 : 0), cells, weighted)),
        counts,
      };
    });

  // Regions below: by weighting region where there are margins, else by county.
  const groups = new Map<string, Scored[]>();
  for (const r of rows) {
    const k = r.weightRegion ?? r.regionCode.slice(0, 6);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const regions: RegionResult[] = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, g]) => {
      const w = g.every((r) => r.weightRegion !== null);
      return {
        regionCode: code,
        weighted: w,
        respondents: g.length,
        index: viewOf(estimate(g, (r) => r.scores.overall, cells, w)),
        security: viewOf(estimate(g, (r) => r.scores.security, cells, w)),
        satisfaction: viewOf(estimate(g, (r) => r.scores.satisfaction, cells, w)),
      };
    });

  const channels: Record<string, number> = {};
  const sample = new Map<string, { sex: string; ageGroup: string; respondents: number }>();
  for (const r of rows) {
    channels[r.channel] = (channels[r.channel] ?? 0) + 1;
    const k = `${r.sex}|${r.ageGroup}`;
    const s = sample.get(k) ?? { sex: r.sex, ageGroup: r.ageGroup, respondents: 0 };
    s.respondents++;
    sample.set(k, s);
  }

  return {
    regionCode,
    respondents: rows.length,
    weighting: weighted ? 'post-stratified' : 'none',
    regionsWithoutMargins: lacking,
    index: viewOf(overall),
    security: viewOf(estimate(rows, (r) => r.scores.security, cells, weighted)),
    satisfaction: viewOf(estimate(rows, (r) => r.scores.satisfaction, cells, weighted)),
    cells: overall.strata,
    emptyCells: overall.emptyCells,
    unmatched: overall.unmatched,
    items,
    regions,
    channels,
    sample: [...sample.values()].sort((a, b) => (a.sex + a.ageGroup < b.sex + b.ageGroup ? -1 : 1)),
  };
}
