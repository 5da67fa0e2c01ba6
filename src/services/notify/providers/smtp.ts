// A minimal SMTP client over node:net (RFC 5321): EHLO, optional STARTTLS and AUTH PLAIN, MAIL, RCPT,
// DATA, QUIT — one connection per message, which is plenty for notification volumes. The Message-ID is
// derived from the delivery key, so a retried message carries the same id and can be recognised.
// Reply classes: 4xx are retried, 5xx are permanent; connection errors and timeouts are retried.
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import { createHash } from 'node:crypto';
import { DeliveryError, scrubError, type OutgoingMessage, type Provider } from './types.ts';

export interface SmtpOptions {
  host: string;
  port: number;
  from: string;
  user?: string | undefined;
  password?: string | undefined;
  starttls: boolean;
  timeoutMs: number;
  /** Accept self-signed certificates (tests only). */
  insecureTls?: boolean;
}

interface Reply {
  code: number;
  lines: string[];
}

class SmtpConnection {
  private buf = '';
  private replyLines: string[] = [];
  private ready: Reply[] = [];
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    private socket: net.Socket,
    private readonly timeoutMs: number,
  ) {
    this.attach(socket);
  }

  private attach(s: net.Socket): void {
    s.setTimeout(this.timeoutMs);
    s.on('data', (d: Buffer) => this.onData(d.toString('latin1')));
    s.on('timeout', () => this.fail(new DeliveryError('SMTP timeout', false)));
    s.on('error', (e: Error & { code?: string }) => this.fail(new DeliveryError(`SMTP connection: ${e.code ?? e.message}`, false)));
    s.on('close', () => this.fail(new DeliveryError('SMTP connection closed', false)));
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      this.replyLines.push(line);
      // The last line of a reply has a space (or nothing) after the code; continuation lines a dash.
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.replyLines.map((l) => l.slice(4)) };
        this.replyLines = [];
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          w.resolve(reply);
        } else this.ready.push(reply);
      } else if (!/^\d{3}-/.test(line)) {
        this.fail(new DeliveryError('SMTP: malformed reply', false));
      }
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(this.failure);
    }
  }

  read(): Promise<Reply> {
    const r = this.ready.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  write(data: string): void {
    this.socket.write(data, 'utf8');
  }

  async command(line: string, expect: readonly number[], what: string): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.expect(expect, what);
  }

  async expect(expect: readonly number[], what: string): Promise<Reply> {
    const r = await this.read();
    if (!expect.includes(r.code)) {
      throw new DeliveryError(`SMTP ${what}: ${r.code} ${scrubError(r.lines.join(' '))}`, r.code >= 500);
    }
    return r;
  }

  async upgrade(host: string, insecure: boolean): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    plain.removeAllListeners('error');
    plain.removeAllListeners('close');
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ socket: plain, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: !insecure }, () => resolve(s));
      s.once('error', (e) => reject(new DeliveryError(`SMTP TLS: ${(e as Error & { code?: string }).code ?? e.message}`, false)));
    });
    this.socket = secure;
    this.attach(secure);
  }

  close(): void {
    this.socket.destroy();
  }
}

function encodeHeader(s: string): string {
  // RFC 2047 encoded-words, split so that each stays under the line limit.
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  const parts: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (Buffer.byteLength(cur + ch, 'utf8') > 45) {
      parts.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) parts.push(cur);
  return parts.map((p) => `=?UTF-8?B?${Buffer.from(p, 'utf8').toString('base64')}?=`).join('\r\n ');
}

export function messageIdOf(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 32)}@minbiao>`;
}

/** The RFC 5322 message (headers, base64 UTF-8 text body), dot-stuffed and terminated for DATA. */
export function buildMessage(o: { from: string; to: string; subject: string; text: string; deliveryKey: string; date: Date }): string {
  const body = Buffer.from(o.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{1,76}/g, '$&\r\n');
  const headers = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${encodeHeader(o.subject)}`,
    `Date: ${o.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageIdOf(o.deliveryKey)}`,
    `X-MinBiao-Delivery: ${o.deliveryKey.replace(/[^\x21-\x7e]/g, '')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
  ];
  const msg = `${headers.join('\r\n')}\r\n\r\n${body}`;
  return `${msg.replace(/^\./gm, '..')}.\r\n`;
}

const ADDRESS = /^[^\s<>@,;:"]+@[^\s<>@,;:"]+$/;

export async function smtpSend(o: SmtpOptions, m: { to: string; subject: string; text: string; deliveryKey: string; date: Date }): Promise<string> {
  if (!ADDRESS.test(m.to)) throw new DeliveryError('SMTP: invalid recipient address', true);
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: o.host, port: o.port });
    const t = setTimeout(() => {
      s.destroy();
      reject(new DeliveryError('SMTP connect timeout', false));
    }, o.timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      resolve(s);
    });
    s.once('error', (e: Error & { code?: string }) => {
      clearTimeout(t);
      reject(new DeliveryError(`SMTP connect: ${e.code ?? e.message}`, false));
    });
  });
  const c = new SmtpConnection(socket, o.timeoutMs);
  try {
    await c.expect([220], 'greeting');
    const name = os.hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'minbiao';
    let ehlo = await c.command(`EHLO ${name}`, [250, 500, 501, 502, 504], 'EHLO');
    if (ehlo.code !== 250) ehlo = await c.command(`HELO ${name}`, [250], 'HELO');
    const offers = (kw: string) => ehlo.lines.some((l) => l.toUpperCase().startsWith(kw));
    if (o.starttls && offers('STARTTLS')) {
      await c.command('STARTTLS', [220], 'STARTTLS');
      await c.upgrade(o.host, o.insecureTls ?? false);
      ehlo = await c.command(`EHLO ${name}`, [250], 'EHLO');
    }
    if (o.user) {
      if (!offers('AUTH')) throw new DeliveryError('SMTP: server offers no AUTH (is STARTTLS enabled?)', true);
      const token = Buffer.from(`\u0000${o.user}\u0000${o.password ?? ''}`, 'utf8').toString('base64');
      await c.command(`AUTH PLAIN ${token}`, [235], 'AUTH');
    }
    await c.command(`MAIL FROM:<${o.from}>`, [250], 'MAIL');
    await c.command(`RCPT TO:<${m.to}>`, [250, 251], 'RCPT');
    await c.command('DATA', [354], 'DATA');
    c.write(buildMessage({ from: o.from, to: m.to, subject: m.subject, text: m.text, deliveryKey: m.deliveryKey, date: m.date }));
    const done = await c.expect([250], 'message');
    c.write('QUIT\r\n');
    return done.lines.join(' ').slice(0, 100);
  } finally {
    // QUIT's answer is not awaited: the message is accepted once DATA got its 250.
    setTimeout(() => c.close(), 50).unref();
  }
}

export class SmtpProvider implements Provider {
  readonly channel = 'email' as const;
  readonly describe: string;
  constructor(
    private readonly o: SmtpOptions,
    private readonly now: () => number,
  ) {
    this.describe = `SMTP ${o.host}:${o.port}`;
  }

  async send(m: OutgoingMessage): Promise<{ ref: string | null }> {
    const reply = await smtpSend(this.o, { to: m.to, subject: m.title, text: m.body, deliveryKey: m.deliveryKey, date: new Date(this.now()) });
    return { ref: scrubError(reply) || null };
  }
}
