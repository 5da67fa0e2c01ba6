import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG, makeMetricsConfig, validateMetricsConfig } from './config.ts';

describe('metrics config', () => {
  it('has the defaults of DESIGN.md §6 and they are valid', () => {
    expect(DEFAULT_METRICS_CONFIG.weights).toEqual({ response: 0.1, resolution: 0.5, satisfaction: 0.4 });
    expect(DEFAULT_METRICS_CONFIG.levelWeights).toEqual({ 5: 1, 4: 1, 3: 0.9, 2: 0, 1: 0 });
    expect(DEFAULT_METRICS_CONFIG.solvedWeights).toEqual({ yes: 1, partly: 0.5, no: 0 });
    expect(validateMetricsConfig(DEFAULT_METRICS_CONFIG)).toEqual([]);
  });

  it('accepts weights summing to 1 within 1e-9 (0.1 + 0.2 + 0.7 in floating point)', () => {
    expect(() => makeMetricsConfig({ weights: { response: 0.1, resolution: 0.2, satisfaction: 0.7 } })).not.toThrow();
  });

  it('reports every problem with a path and messages in Chinese and English', () => {
    const issues = validateMetricsConfig({
      weights: { response: -0.1, resolution: 0.6, satisfaction: 0.5 },
      levelWeights: { 5: 1, 4: 1, 3: 1.2, 2: 0, 1: Number.NaN },
      solvedWeights: { yes: 1, partly: 0.5, no: 0 },
    });
    expect(issues.map((i) => i.path)).toEqual(['weights.response', 'levelWeights.1', 'levelWeights.3']);
    expect(issues[0]!.messageZh).toContain('之间');
    expect(issues[0]!.messageEn).toContain('between 0 and 1');
  });

  it('rejects weights that do not sum to 1', () => {
    expect(() => makeMetricsConfig({ weights: { response: 0.2 } })).toThrowError(/sum to 1/);
    try {
      makeMetricsConfig({ weights: { response: 0.2 } });
    } catch (e) {
      expect((e as { code: string }).code).toBe('METRICS_CONFIG_INVALID');
      expect((e as { status: number }).status).toBe(400);
    }
  });
});
