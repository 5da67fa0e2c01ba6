// The citizen's side after submission: tracking (code + phone, or the PIN of an anonymous appeal) and rating.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { citizenOf } from '../../plugins/auth.ts';
import { errorResponses } from '../../schemas.ts';
import { RatingFields } from '../appeals/schema.ts';

// POST, not GET: the phone number must not appear in URLs, logs or browser history.
const Verify = { trackingCode: z.string().trim().min(6).max(20), secret: z.string().trim().min(4).max(20) };

const TrackingView = z.object({
  trackingCode: z.string(),
  title: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  statusLabelEn: z.string(),
  createdAt: z.string(),
  handleDueAt: z.string(),
  unitName: z.string().nullable(),
  reply: z.string().nullable(),
  canRate: z.boolean(),
  rated: z.boolean(),
  steps: z.array(z.object({ at: z.string(), text: z.string(), textEn: z.string() })),
});

export const trackRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.post('/api/v1/track', {
    schema: {
      tags: ['citizen'],
      summary: 'Track an appeal: tracking code + the phone given (or the PIN of an anonymous appeal)',
      body: z.strictObject(Verify),
      response: { 200: TrackingView, ...errorResponses },
    },
  }, async (req) => s.queries.track(req.body.trackingCode, req.body.secret));

  app.post('/api/v1/track/rating', {
    // A staff session that comes along is recorded with the rating (anti-gaming evidence), never used.
    config: { staffSessionNoted: true },
    schema: {
      tags: ['citizen'],
      summary: 'Rate the handling with the five faces, solved?, contacted?',
      body: z.strictObject({ ...Verify, ...RatingFields }),
      response: { 200: TrackingView, ...errorResponses },
    },
  }, async (req) => {
    const { trackingCode, secret, ...rating } = req.body;
    await s.handling.rateByCitizen(citizenOf(req), trackingCode, secret, rating);
    return s.queries.track(trackingCode, secret);
  });
};
