// Providers that POST JSON over HTTP: the SMS gateway and the webhook.
//
// Status codes: 2xx delivered; 409 "already have this delivery key" also counts as delivered (the
// gateway deduplicates on the Idempotency-Key); 408, 425, 429 and 5xx and network errors are retried;
// other 4xx are permanent (a request the gateway will never accept).
import { createHmac } from 'node:crypto';
import { DeliveryError, type OutgoingMessage, type Provider } from './types.ts';

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    throw new DeliveryError(`network: ${err.name === 'TimeoutError' ? 'timeout' : (err.cause?.code ?? err.message)}`, false);
  }
  const text = await res.text().catch(() => '');
  return { status: res.status, text };
}

function outcome(status: number, text: string, what: string): { ref: string | null } {
  if ((status >= 200 && status < 300) || status === 409) {
    try {
      const j = JSON.parse(text) as { id?: unknown; messageId?: unknown };
      const ref = j.messageId ?? j.id;
      return { ref: typeof ref === 'string' || typeof ref === 'number' ? String(ref).slice(0, 100) : null };
    } catch {
      return { ref: null };
    }
  }
  const transient = status === 408 || status === 425 || status === 429 || status >= 500;
  throw new DeliveryError(`${what} answered HTTP ${status}`, !transient);
}

export class SmsHttpProvider implements Provider {
  readonly channel = 'sms' as const;
  readonly describe: string;
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs: number,
  ) {
    this.describe = `SMS gateway ${new URL(url).host}`;
  }

  async send(m: OutgoingMessage): Promise<{ ref: string | null }> {
    const body = JSON.stringify({ deliveryKey: m.deliveryKey, to: m.to, text: m.body, template: m.template });
    const headers: Record<string, string> = { 'idempotency-key': m.deliveryKey };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const r = await post(this.url, body, headers, this.timeoutMs);
    return outcome(r.status, r.text, 'SMS gateway');
  }
}

export class WebhookProvider implements Provider {
  readonly channel = 'webhook' as const;
  readonly describe: string;
  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
    private readonly timeoutMs: number,
    private readonly now: () => number,
  ) {
    this.describe = `webhook ${new URL(url).host}`;
  }

  async send(m: OutgoingMessage): Promise<{ ref: string | null }> {
    const body = JSON.stringify({
      deliveryKey: m.deliveryKey,
      template: m.template,
      audience: m.audience,
      title: m.title,
      text: m.body,
      appealId: m.appealId,
      trackingCode: m.trackingCode,
      sentAt: new Date(this.now()).toISOString(),
    });
    const headers: Record<string, string> = { 'idempotency-key': m.deliveryKey, 'x-minbiao-delivery': m.deliveryKey };
    if (this.secret) headers['x-minbiao-signature'] = `sha256=${createHmac('sha256', this.secret).update(body).digest('hex')}`;
    const r = await post(this.url, body, headers, this.timeoutMs);
    return outcome(r.status, r.text, 'webhook');
  }
}
