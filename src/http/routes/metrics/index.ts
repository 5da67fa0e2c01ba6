// The 民标 figures over HTTP: summary, unit figures, rankings, funnel, breakdowns, drill-down to the
// appeals and events, snapshots (publish / verify), the weights, and the auditor's signals.
// Shapes: docs/api-metrics.md. Permissions and data scope are enforced in ScoringService.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { MetricsConfig } from '../../../domain/metrics/index.ts';
import type { Services } from '../../../services/index.ts';
import { staffOf } from '../../plugins/auth.ts';
import { errorResponses, IdParams } from '../../schemas.ts';
import {
  BreakdownQuery,
  BreakdownResponse,
  ConfigBody,
  ConfigResponse,
  DrilldownQuery,
  DrilldownResponse,
  SnapshotDrilldownQuery,
  SnapshotDrilldownResponse,
  ExplainResponse,
  FunnelQuery,
  FunnelResponse,
  PeerGroupsResponse,
  PeriodQuery,
  PublishBody,
  RankingQuery,
  RankingResponse,
  SignalsQuery,
  SignalsResponse,
  SnapshotListResponse,
  SnapshotMetaSchema,
  SnapshotResponse,
  SummaryQuery,
  SummaryResponse,
  UnitResponse,
  VerifyResponse,
} from './schema.ts';

const tags = ['metrics'];

export const metricsRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/metrics/summary', {
    schema: { tags, summary: 'Figures of a subtree for a period: faces, 12-month trend, children, 潜绩 (leader dashboard)', querystring: SummaryQuery, response: { 200: SummaryResponse, ...errorResponses } },
  }, async (req) => s.scoring.summary(staffOf(req), req.query));

  app.get('/api/v1/metrics/units/:id', {
    schema: { tags, summary: 'One unit’s figures, its row in its peer-group ranking, case mix O/E and 潜绩', params: IdParams, querystring: PeriodQuery, response: { 200: UnitResponse, ...errorResponses } },
  }, async (req) => s.scoring.unitFigures(staffOf(req), req.params.id, req.query));

  app.get('/api/v1/metrics/peer-groups', {
    schema: { tags, summary: 'Peer groups whose ranking the user may see', querystring: PeriodQuery, response: { 200: PeerGroupsResponse, ...errorResponses } },
  }, async (req) => s.scoring.peerGroups(staffOf(req)));

  app.get('/api/v1/metrics/rankings', {
    schema: { tags, summary: 'Ranking of a peer group: shrunk rates, simulated rank intervals, not-distinguishable-from-median flags', querystring: RankingQuery, response: { 200: RankingResponse, ...errorResponses } },
  }, async (req) => s.scoring.rankings(staffOf(req), req.query));

  app.get('/api/v1/metrics/funnel', {
    schema: { tags, summary: 'Funnel-plot data of a peer group for one rate (control limits at 95 % and 99.8 %)', querystring: FunnelQuery, response: { 200: FunnelResponse, ...errorResponses } },
  }, async (req) => s.scoring.funnel(staffOf(req), req.query));

  app.get('/api/v1/metrics/breakdown', {
    schema: { tags, summary: 'Figures of a subtree split by child unit, unit, category, region or peer group', querystring: BreakdownQuery, response: { 200: BreakdownResponse, ...errorResponses } },
  }, async (req) => s.scoring.breakdown(staffOf(req), req.query));

  app.get('/api/v1/metrics/drilldown', {
    schema: { tags, summary: 'The appeals behind a figure, each with how and why it counts', querystring: DrilldownQuery, response: { 200: DrilldownResponse, ...errorResponses } },
  }, async (req) => s.scoring.drilldown(staffOf(req), req.query));

  app.get('/api/v1/metrics/appeals/:id', {
    schema: { tags, summary: 'How one appeal counts in the figures, with its events', params: IdParams, response: { 200: ExplainResponse, ...errorResponses } },
  }, async (req) => s.scoring.explainAppeal(staffOf(req), req.params.id));

  app.get('/api/v1/metrics/snapshots', {
    schema: { tags, summary: 'Published (frozen) assessments', response: { 200: SnapshotListResponse, ...errorResponses } },
  }, async (req) => s.scoring.listSnapshots(staffOf(req)));

  app.get('/api/v1/metrics/snapshots/:id', {
    schema: { tags, summary: 'One published assessment (filtered to the user’s scope), with its seal check', params: IdParams, response: { 200: SnapshotResponse, ...errorResponses } },
  }, async (req) => s.scoring.getSnapshot(staffOf(req), req.params.id));

  app.get('/api/v1/metrics/snapshots/:id/drilldown', {
    schema: {
      tags,
      summary: 'The appeals behind a published figure, as they were counted when the snapshot was published (later events change nothing)',
      params: IdParams,
      querystring: SnapshotDrilldownQuery,
      response: { 200: SnapshotDrilldownResponse, ...errorResponses },
    },
  }, async (req) => s.scoring.snapshotDrilldown(staffOf(req), req.params.id, req.query));

  app.post('/api/v1/metrics/snapshots', {
    schema: { tags, summary: 'Publish (freeze) a period’s assessment (leader)', body: PublishBody, response: { 201: SnapshotMetaSchema, ...errorResponses } },
  }, async (req, reply) => reply.status(201).send(await s.scoring.publish(staffOf(req), req.body.period)));

  app.post('/api/v1/metrics/snapshots/:id/verify', {
    schema: { tags, summary: 'Recompute a published assessment from the events and list every difference', params: IdParams, response: { 200: VerifyResponse, ...errorResponses } },
  }, async (req) => s.scoring.verify(staffOf(req), req.params.id));

  app.get('/api/v1/metrics/config', {
    schema: { tags, summary: 'The weights of the 民标 figures', response: { 200: ConfigResponse, ...errorResponses } },
  }, async (req) => s.scoring.getConfig(staffOf(req)));

  app.put('/api/v1/metrics/config', {
    schema: { tags, summary: 'Change the weights (system admin; validated, audited)', body: ConfigBody, response: { 200: ConfigResponse, ...errorResponses } },
  }, async (req) => s.scoring.putConfig(staffOf(req), req.body as unknown as MetricsConfig));

  app.get('/api/v1/metrics/signals', {
    schema: { tags, summary: 'Anti-gaming signals with the appeals behind each (auditor); they never change a score', querystring: SignalsQuery, response: { 200: SignalsResponse, ...errorResponses } },
  }, async (req) => s.scoring.signals(staffOf(req), req.query));
};
