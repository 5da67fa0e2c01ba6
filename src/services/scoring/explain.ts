// Plain-language lines (zh + en) saying how one appeal counts in each figure: the drill-down's "why".
import { RATING_LABELS } from '../../domain/appeal/types.ts';
import type { ExclusionReason, FactContribution, MetricsConfig } from '../../domain/metrics/index.ts';
import type { ScoreFact } from './facts.ts';

export const EXCLUSION_LABELS: Record<ExclusionReason, { zh: string; en: string }> = {
  redirected: { zh: '引导至法定途径(不参评)', en: 'Redirected to its statutory channel (not assessed)' },
  unreasonable: { zh: '经审批认定为不合理诉求(不参评)', en: 'Approved as unreasonable (not assessed)' },
  merged: { zh: '作为重复件并入另一件诉求(由主件参评)', en: 'Merged into another appeal (the main appeal is assessed)' },
  'upheld-rating-appeal': { zh: '评价申诉复核成立,评价作废', en: 'Rating voided: the unit’s appeal against it was upheld' },
};

const SOLVED_LABELS = { yes: { zh: '已解决', en: 'solved' }, partly: { zh: '部分解决', en: 'partly solved' }, no: { zh: '未解决', en: 'not solved' } } as const;

export type DrillMetric =
  | 'volume'
  | 'assessed'
  | 'excluded'
  | 'response'
  | 'onTimeClosure'
  | 'resolution'
  | 'satisfaction'
  | 'ratingCoverage'
  | 'returnRate'
  | 'reopenRate'
  | 'extensionRate'
  | 'repeat';

export interface Line {
  figure: DrillMetric;
  zh: string;
  en: string;
}

const pct = (x: number) => String(Math.round(x * 1000) / 1000);

/** Every line of the appeal's contribution, in the order of the figures. */
export function explainLines(f: ScoreFact, c: FactContribution, config: MetricsConfig): Line[] {
  const lines: Line[] = [{ figure: 'volume', zh: '计入诉求量', en: 'Counted in the volume' }];
  if (c.excluded && c.excluded.scope === 'appeal') {
    const l = EXCLUSION_LABELS[c.excluded.reason];
    lines.push({ figure: 'excluded', zh: `整件不参评:${l.zh}`, en: `Not assessed: ${l.en}` });
    return lines;
  }
  lines.push({ figure: 'assessed', zh: '参评诉求', en: 'Assessed' });
  lines.push({ figure: 'response', ...responseWhy(f, c) });
  lines.push({ figure: 'onTimeClosure', ...closureWhy(f, c) });
  if (c.excluded && c.excluded.scope === 'rating') {
    lines.push({ figure: 'excluded', zh: '评价经申诉复核成立已作废:不计入解决率、满意率', en: 'Rating voided by an upheld appeal: not in resolution or satisfaction' });
  } else if (c.satisfactionScore !== null && f.rating) {
    const face = RATING_LABELS[f.rating.level];
    const sol = SOLVED_LABELS[f.rating.solved];
    const via = f.rating.channel === 'callback' ? { zh: '回访', en: 'callback' } : { zh: '网上', en: 'web' };
    lines.push({ figure: 'resolution', zh: `解决率:${sol.zh},得分 ${pct(c.resolutionScore!)}(${via.zh}评价)`, en: `Resolution: ${sol.en}, score ${pct(c.resolutionScore!)} (${via.en} rating)` });
    lines.push({ figure: 'satisfaction', zh: `满意率:${face.face} ${face.zh},得分 ${pct(c.satisfactionScore)}`, en: `Satisfaction: ${face.face} ${face.en}, score ${pct(c.satisfactionScore)}` });
  } else {
    lines.push({ figure: 'satisfaction', zh: '尚无有效评价:不计入解决率、满意率', en: 'No valid rating yet: not in resolution or satisfaction' });
  }
  if (c.answered) {
    lines.push(
      c.satisfactionScore !== null
        ? { figure: 'ratingCoverage', zh: '评价覆盖率:已答复且有有效评价', en: 'Rating coverage: answered and validly rated' }
        : { figure: 'ratingCoverage', zh: '评价覆盖率:已答复但无有效评价', en: 'Rating coverage: answered without a valid rating' },
    );
  }
  if (c.returned) lines.push({ figure: 'returnRate', zh: `回退率:曾被退单 ${f.returned} 次`, en: `Returns: returned ${f.returned} time(s)` });
  if (c.reopened) lines.push({ figure: 'reopenRate', zh: `重办率:曾被重办 ${f.reopened} 次`, en: `Reopenings: reopened ${f.reopened} time(s)` });
  if (c.extended) lines.push({ figure: 'extensionRate', zh: `延期率:经批准延期 ${f.extended} 次`, en: `Extensions: extended ${f.extended} time(s)` });
  return lines;
}

export function responseWhy(f: ScoreFact, c: FactContribution): { zh: string; en: string } {
  switch (c.response) {
    case 'hit':
      return { zh: '响应率:在响应时限内首次联系群众(计入分子和分母)', en: 'Response: first contact within the deadline (numerator and denominator)' };
    case 'miss':
      if (f.respondedOnTime === false) return { zh: '响应率:首次联系晚于响应时限(只计入分母)', en: 'Response: first contact after the deadline (denominator only)' };
      return { zh: '响应率:响应时限已过仍未联系群众(只计入分母)', en: 'Response: the deadline passed without contact (denominator only)' };
    case 'pending':
      return { zh: '响应率:尚未联系、响应时限未到,暂不计入', en: 'Response: not contacted yet, deadline not reached — not counted yet' };
    default:
      return { zh: '响应率:不参评', en: 'Response: not assessed' };
  }
}

export function closureWhy(f: ScoreFact, c: FactContribution): { zh: string; en: string } {
  switch (c.onTimeClosure) {
    case 'hit':
      return { zh: '按期办结率:在办理时限内答复(计入分子和分母)', en: 'On-time closure: replied within the deadline (numerator and denominator)' };
    case 'miss':
      if (f.closedOnTime === false) return { zh: '按期办结率:答复晚于办理时限(只计入分母)', en: 'On-time closure: replied after the deadline (denominator only)' };
      return { zh: '按期办结率:办理时限已过仍未答复(只计入分母)', en: 'On-time closure: the deadline passed without a reply (denominator only)' };
    case 'pending':
      return { zh: '按期办结率:尚未答复、办理时限未到,暂不计入', en: 'On-time closure: not replied yet, deadline not reached — not counted yet' };
    default:
      return { zh: '按期办结率:不参评', en: 'On-time closure: not assessed' };
  }
}

/** The one line that answers "why is this appeal in this list". */
export function whyFor(metric: DrillMetric, f: ScoreFact, c: FactContribution, config: MetricsConfig): { zh: string; en: string } {
  const lines = explainLines(f, c, config);
  const hit = lines.find((l) => l.figure === metric);
  if (hit) return { zh: hit.zh, en: hit.en };
  if (metric === 'resolution' || metric === 'satisfaction') {
    const s = lines.find((l) => l.figure === 'satisfaction' || l.figure === 'excluded');
    if (s) return { zh: s.zh, en: s.en };
  }
  return { zh: lines[lines.length - 1]!.zh, en: lines[lines.length - 1]!.en };
}
