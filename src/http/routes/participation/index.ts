// Participation (问计于民, issue 7): consultations (征集) and the 安全感·满意度 survey.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Services } from '../../../services/index.ts';
import { consultationRoutes } from './consultations.ts';
import { surveyRoutes } from './surveys.ts';

export const participationRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  await app.register(consultationRoutes(s));
  await app.register(surveyRoutes(s));
};
