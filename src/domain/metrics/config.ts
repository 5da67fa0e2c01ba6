// The parameters of the 民标 figures. Every weight is configurable per deployment (DESIGN.md §6);
// a published snapshot stores the config it was computed with.

import { DomainError } from '../../lib/errors.ts';
import type { RatingLevel, Solved } from './facts.ts';

/** Weights of the three rates in the 民标指数; non-negative, summing to 1. */
export interface MetricWeights {
  response: number;
  resolution: number;
  satisfaction: number;
}

export interface MetricsConfig {
  weights: MetricWeights;
  /** Score of each face in the 满意率, each in [0, 1]. */
  levelWeights: Record<RatingLevel, number>;
  /** Score of each answer to "solved?" in the 解决率, each in [0, 1]. */
  solvedWeights: Record<Solved, number>;
}

export const DEFAULT_WEIGHTS: Readonly<MetricWeights> = Object.freeze({ response: 0.1, resolution: 0.5, satisfaction: 0.4 });

export const DEFAULT_METRICS_CONFIG: Readonly<MetricsConfig> = Object.freeze({
  weights: DEFAULT_WEIGHTS,
  levelWeights: Object.freeze({ 5: 1, 4: 1, 3: 0.9, 2: 0, 1: 0 }),
  solvedWeights: Object.freeze({ yes: 1, partly: 0.5, no: 0 }),
});

export interface ConfigIssue {
  path: string;
  messageZh: string;
  messageEn: string;
}

const WEIGHT_SUM_TOLERANCE = 1e-9;

function checkNumber(path: string, v: unknown, lo: number, hi: number, issues: ConfigIssue[]): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ path, messageZh: `${path} 必须是有限数值`, messageEn: `${path} must be a finite number` });
    return false;
  }
  if (v < lo || v > hi) {
    issues.push({
      path,
      messageZh: `${path} 必须在 ${lo} 到 ${hi} 之间(当前 ${v})`,
      messageEn: `${path} must be between ${lo} and ${hi} (got ${v})`,
    });
    return false;
  }
  return true;
}

/** Every problem of a config, empty when it is valid. Scores are bounded by [0, 1] so rates stay proportions. */
export function validateMetricsConfig(c: MetricsConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const w = c?.weights;
  if (w === undefined || w === null) {
    issues.push({ path: 'weights', messageZh: '缺少指数权重', messageEn: 'weights are missing' });
  } else {
    let ok = true;
    for (const k of ['response', 'resolution', 'satisfaction'] as const) {
      ok = checkNumber(`weights.${k}`, w[k], 0, 1, issues) && ok;
    }
    if (ok) {
      const sum = w.response + w.resolution + w.satisfaction;
      if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
        issues.push({
          path: 'weights',
          messageZh: `三项权重之和必须为 1(当前 ${sum})`,
          messageEn: `the three weights must sum to 1 (got ${sum})`,
        });
      }
    }
  }
  const lw = c?.levelWeights;
  if (lw === undefined || lw === null) {
    issues.push({ path: 'levelWeights', messageZh: '缺少满意度等级权重', messageEn: 'levelWeights are missing' });
  } else {
    for (const level of [1, 2, 3, 4, 5] as const) checkNumber(`levelWeights.${level}`, lw[level], 0, 1, issues);
  }
  const sw = c?.solvedWeights;
  if (sw === undefined || sw === null) {
    issues.push({ path: 'solvedWeights', messageZh: '缺少解决程度权重', messageEn: 'solvedWeights are missing' });
  } else {
    for (const s of ['yes', 'partly', 'no'] as const) checkNumber(`solvedWeights.${s}`, sw[s], 0, 1, issues);
  }
  return issues;
}

/** Throws a 400 DomainError listing every issue; returns the config otherwise. */
export function assertValidMetricsConfig(c: MetricsConfig): MetricsConfig {
  const issues = validateMetricsConfig(c);
  if (issues.length > 0) {
    throw new DomainError(
      'METRICS_CONFIG_INVALID',
      `评价参数无效:${issues.map((i) => i.messageZh).join(';')}`,
      `Invalid metrics configuration: ${issues.map((i) => i.messageEn).join('; ')}`,
      { issues },
      400,
    );
  }
  return c;
}

export interface MetricsConfigInput {
  weights?: Partial<MetricWeights>;
  levelWeights?: Partial<Record<RatingLevel, number>>;
  solvedWeights?: Partial<Record<Solved, number>>;
}

/** The defaults overridden by a deployment's settings, validated. */
export function makeMetricsConfig(input: MetricsConfigInput = {}): MetricsConfig {
  const d = DEFAULT_METRICS_CONFIG;
  return assertValidMetricsConfig({
    weights: { ...d.weights, ...input.weights },
    levelWeights: { ...d.levelWeights, ...input.levelWeights },
    solvedWeights: { ...d.solvedWeights, ...input.solvedWeights },
  });
}
