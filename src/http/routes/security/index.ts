// Public security endpoints: the proof-of-work captcha challenge (ALTCHA-compatible), and the policy
// the sign-in and citizen pages show (demo mode, password rules, what is required).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../../services/index.ts';
import { PASSWORD_HISTORY } from '../../../services/auth.ts';

export const securityRoutes = (s: Services): FastifyPluginAsyncZod => async (app) => {
  app.get('/api/v1/captcha', {
    schema: {
      tags: ['citizen'],
      summary: 'A proof-of-work challenge (ALTCHA-compatible): find n ≤ maxnumber with SHA-256(salt + n) = challenge; send base64(JSON {algorithm, challenge, number, salt, signature}) in the x-captcha header of the submission, tracking or rating. Single use.',
      response: { 200: z.object({ algorithm: z.literal('SHA-256'), challenge: z.string(), salt: z.string(), signature: z.string(), maxnumber: z.number() }) },
    },
  }, async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
    return s.security.captcha.challenge();
  });

  app.get('/api/v1/security/policy', {
    schema: {
      tags: ['system'],
      summary: 'The security policy the pages show: demo mode, password rules, second factor, captcha',
      response: {
        200: z.object({
          demo: z.boolean(),
          captcha: z.boolean(),
          password: z.object({ minLength: z.number(), classes: z.number(), history: z.number(), maxAgeDays: z.number(), lockAfterFailures: z.number(), lockMinutes: z.number() }),
          mfaRequiredRoles: z.array(z.string()),
          sessionIdleMinutes: z.number(),
        }),
      },
    },
  }, async () => ({
    demo: s.ctx.config.DEMO_MODE,
    captcha: s.ctx.config.CAPTCHA_ENABLED,
    password: { minLength: 8, classes: 3, history: PASSWORD_HISTORY, maxAgeDays: s.ctx.config.PASSWORD_MAX_AGE_DAYS, lockAfterFailures: 5, lockMinutes: 15 },
    mfaRequiredRoles: s.ctx.config.DEMO_MODE ? [] : s.ctx.config.MFA_REQUIRED_ROLES.split(',').map((r) => r.trim()).filter(Boolean),
    sessionIdleMinutes: s.ctx.config.SESSION_IDLE_MINUTES,
  }));
};
