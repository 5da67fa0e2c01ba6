// Request and response schemas of the metrics endpoints (docs/api-metrics.md has the full shapes).
// Responses are loose objects: every field the service returns is passed through unchanged.
import { z } from 'zod';
import { Id } from '../../schemas.ts';

export const PeriodSpec = z.string().trim().max(40).optional().describe('2026-10 | 2026-Q4 | 2026 | 2026-W43 | 2026-10-15 | 2026-10-01..2026-10-20 (default: the current month)');
const PeerGroup = z.string().trim().min(1).max(60).regex(/^[A-Za-z0-9_.:-]+$/, 'invalid peer group');
const Bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const PeriodQuery = z.strictObject({ period: PeriodSpec });
export const SummaryQuery = z.strictObject({ period: PeriodSpec, unitId: Id.optional() });
export const RankingQuery = z.strictObject({ period: PeriodSpec, peerGroup: PeerGroup.optional(), rates: Bool });
export const FunnelQuery = z.strictObject({
  period: PeriodSpec,
  peerGroup: PeerGroup.optional(),
  metric: z.enum(['satisfaction', 'resolution', 'response', 'onTimeClosure']).optional(),
});
export const BreakdownQuery = z.strictObject({
  period: PeriodSpec,
  unitId: Id.optional(),
  by: z.enum(['child', 'unit', 'category', 'region', 'peerGroup']).optional(),
});
export const DrillMetricEnum = z.enum([
  'volume',
  'assessed',
  'excluded',
  'response',
  'onTimeClosure',
  'resolution',
  'satisfaction',
  'ratingCoverage',
  'returnRate',
  'reopenRate',
  'extensionRate',
  'repeat',
]);
export const DrilldownQuery = z.strictObject({
  period: PeriodSpec,
  unitId: Id,
  subtree: Bool,
  metric: DrillMetricEnum,
  outcome: z.string().trim().min(1).max(20).regex(/^[a-z0-9-]+$/).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});
/** The drill-down of a published snapshot: the same as the live one, the period being the snapshot's. */
export const SnapshotDrilldownQuery = DrilldownQuery.omit({ period: true });
export const SignalsQuery = z.strictObject({ period: PeriodSpec, peerGroup: PeerGroup.optional() });
export const PublishBody = z.strictObject({ period: z.string().trim().min(4).max(40) });

/**
 * The weights. Values are checked by the domain's validator (every problem listed in zh and en), so
 * the schema only fixes the shape: no unknown fields.
 */
const val = z.unknown().describe('a number in [0, 1] (checked by the domain validator)');
export const ConfigBody = z.strictObject({
  weights: z.strictObject({ response: val, resolution: val, satisfaction: val }).optional(),
  levelWeights: z.strictObject({ '1': val, '2': val, '3': val, '4': val, '5': val }).optional(),
  solvedWeights: z.strictObject({ yes: val, partly: val, no: val }).optional(),
});

const loose = (shape: Record<string, z.ZodType>) => z.looseObject(shape);
const Num = z.number();
const NumN = z.number().nullable();
const Pair = z.tuple([Num, Num]);
export const RateSchema = loose({ num: Num, den: Num, value: NumN, wilson95: Pair });
export const PeriodSchema = loose({ kind: z.string(), label: z.string(), start: Num, end: Num, from: z.string(), to: z.string() });
export const FiguresSchema = loose({
  key: z.string(),
  volume: Num,
  assessed: Num,
  rated: Num,
  excludedCounts: z.record(z.string(), Num),
  ratingCoverage: RateSchema,
  response: RateSchema,
  resolution: RateSchema,
  satisfaction: RateSchema,
  onTimeClosure: RateSchema,
  returnRate: RateSchema,
  reopenRate: RateSchema,
  extensionRate: RateSchema,
  eventCounts: loose({ returns: Num, reopens: Num, extensions: Num }),
  faces: z.record(z.string(), Num),
  solved: loose({ yes: Num, partly: Num, no: Num }),
  ratingChannels: loose({ web: Num, callback: Num }),
  index: loose({ value: NumN, interval95: Pair.nullable() }),
});
const Any = z.any();
export const SummaryResponse = loose({ period: PeriodSchema, scope: Any, figures: FiguresSchema, faces: z.array(Any), trend: z.array(Any), children: z.array(Any), latent: Any, weights: Any, asOf: Num, cached: z.boolean() });
export const UnitResponse = loose({ period: PeriodSchema, unit: Any, figures: FiguresSchema, subtree: FiguresSchema.nullable(), excluded: z.array(Any), ranking: Any, unranked: Any, caseMix: Any, latent: Any, trend: z.array(Any) });
export const PeerGroupsResponse = loose({ items: z.array(Any) });
export const RankingResponse = loose({ period: PeriodSchema, peerGroup: z.string(), draws: Num, seed: z.string(), priors: Any, units: z.array(Any), unranked: z.array(Any), asOf: Num, cached: z.boolean() });
export const FunnelResponse = loose({ period: PeriodSchema, peerGroup: z.string(), metric: z.string(), target: Num, method: z.string(), points: z.array(Any), curve: z.array(Any) });
export const BreakdownResponse = loose({ period: PeriodSchema, unitId: z.string(), by: z.string(), items: z.array(loose({ key: z.string(), labelZh: z.string(), labelEn: z.string(), figures: FiguresSchema })) });
export const DrilldownResponse = loose({ period: PeriodSchema, unitId: z.string(), metric: z.string(), figure: Any, total: Num, page: Num, pageSize: Num, items: z.array(Any) });
export const SnapshotDrilldownResponse = loose({ snapshotId: z.string(), period: PeriodSchema, unitId: z.string(), metric: z.string(), figure: Any, total: Num, page: Num, pageSize: Num, items: z.array(Any) });
export const ExplainResponse = loose({ appealId: z.string(), fact: Any, contribution: Any, lines: z.array(Any), events: z.array(Any) });
export const SnapshotMetaSchema = loose({ id: z.string(), period: PeriodSchema, publishedAt: Num, publishedBy: z.string().nullable(), asOf: Num, factsHash: z.string(), contentHash: z.string(), appeals: Num, units: Num });
export const SnapshotListResponse = loose({ items: z.array(SnapshotMetaSchema) });
export const SnapshotResponse = loose({ meta: SnapshotMetaSchema, sealOk: z.boolean(), config: Any, parameters: Any, units: z.array(Any), rankings: z.array(Any), latent: z.array(Any) });
export const VerifyResponse = loose({ ok: z.boolean(), sealOk: z.boolean(), factsHashMatches: z.boolean(), recomputedFactsHash: z.string(), appeals: Num, differenceCount: Num, differences: z.array(Any), storedFactsOk: z.boolean().nullable(), storedFactsBackfilled: z.boolean() });
export const ConfigResponse = loose({ config: Any, defaults: Any, updatedAt: NumN, updatedBy: z.string().nullable() });
export const SignalsResponse = loose({ period: PeriodSchema, items: z.array(Any) });
