// Solving the proof-of-work captcha as a client does: fetch a challenge, find the number, encode the
// ALTCHA payload for the x-captcha header.
import type { FastifyInstance } from 'fastify';
import { encodePayload, solveChallenge, type AltchaChallenge } from '../../src/lib/altcha.ts';

export function solve(c: AltchaChallenge): string {
  const n = solveChallenge(c);
  if (n === null) throw new Error('captcha challenge has no solution');
  return encodePayload(c, n);
}

/** A fresh solved challenge through the app (in-process). */
export async function solvedCaptcha(app: FastifyInstance): Promise<string> {
  const r = await app.inject({ method: 'GET', url: '/api/v1/captcha' });
  if (r.statusCode !== 200) throw new Error(`GET /api/v1/captcha → ${r.statusCode} ${r.body}`);
  return solve(r.json() as AltchaChallenge);
}

/** A fresh solved challenge from a server over HTTP. */
export async function solvedCaptchaHttp(baseUrl: string): Promise<string> {
  const r = await fetch(new URL('/api/v1/captcha', baseUrl));
  if (r.status !== 200) throw new Error(`GET /api/v1/captcha → ${r.status}`);
  return solve((await r.json()) as AltchaChallenge);
}
