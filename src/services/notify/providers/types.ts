// What every delivery provider implements. A provider receives the message's delivery key and must
// pass it on (Idempotency-Key header, Message-ID, payload field) so that a retry after a lost answer
// is recognised downstream instead of delivered twice.

export type Channel = 'sms' | 'email' | 'webhook' | 'inbox';
export const CHANNELS: readonly Channel[] = ['sms', 'email', 'webhook', 'inbox'];

export interface OutgoingMessage {
  deliveryKey: string;
  channel: Channel;
  /** Phone number, e-mail address, user id or endpoint name — never logged. */
  to: string;
  title: string;
  body: string;
  template: string;
  audience: string;
  appealId: string | null;
  trackingCode: string | null;
}

export interface Provider {
  readonly channel: Channel;
  /** A short description for logs and the admin (no secrets, no addresses). */
  readonly describe: string;
  send(m: OutgoingMessage): Promise<{ ref: string | null }>;
}

/** A failed delivery: `permanent` ones are not retried (a refused address, a bad request). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Removes what could be personal data from an error text before it is stored or logged. */
export function scrubError(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
    .replace(/\+?\d[\d\s-]{6,}\d/g, '<number>')
    .slice(0, 300);
}
