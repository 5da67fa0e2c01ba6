// Helpers of the participation tests: citizens with an address of their own (the app trusts
// X-Forwarded-For from loopback, so each call counts as another citizen for the rate limits), and ISO
// times relative to the harness clock. The harness solves the captcha of guarded citizen routes.
import type { Harness } from './harness.ts';

let citizenNo = 0;
export function citizenAddress(): string {
  citizenNo++;
  return `10.${(citizenNo >> 16) & 255}.${(citizenNo >> 8) & 255}.${citizenNo & 255}`;
}

/** A citizen's public write: no session, an address of its own (captcha solved by the harness). */
export async function citizenPost(h: Harness, url: string, body: unknown, headers: Record<string, string> = {}) {
  return h.api(null, 'POST', url, body, { 'x-forwarded-for': citizenAddress(), ...headers });
}

export const at = (h: Harness, days: number) => new Date(h.clock.now + days * 86_400_000).toISOString();
