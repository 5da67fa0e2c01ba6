// Real servers on 127.0.0.1 standing in for the outside world of notifications: an SMTP catcher
// (node:net, speaking enough RFC 5321 for any client) and an HTTP endpoint for the SMS gateway and the
// webhook (node:http). Both can be told to fail — refuse, error, or accept and then drop the connection
// before answering (the case where only the delivery key prevents a duplicate).
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CaughtMail {
  from: string;
  to: string[];
  headers: Record<string, string>;
  subject: string;
  text: string;
  messageId: string;
  deliveryKey: string;
}

function decodeWords(s: string): string {
  return s.replace(/\s*=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

export class SmtpCatcher {
  readonly messages: CaughtMail[] = [];
  /** Answer this many MAIL commands with 451 (a temporary failure), then accept. */
  failMail = 0;
  connections = 0;
  private server = net.createServer((sock) => this.session(sock));
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private session(sock: net.Socket): void {
    this.connections++;
    let buf = '';
    let inData = false;
    let data: string[] = [];
    let from = '';
    let to: string[] = [];
    sock.write('220 catcher.test ESMTP ready\r\n');
    sock.on('error', () => undefined);
    sock.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            this.store(from, to, data);
            data = [];
            sock.write(`250 2.0.0 queued as Q${this.messages.length}\r\n`);
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') sock.write('250-catcher.test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n');
        else if (cmd === 'HELO') sock.write('250 catcher.test\r\n');
        else if (cmd === 'MAIL') {
          if (this.failMail > 0) {
            this.failMail--;
            sock.write('451 4.3.0 Temporary local problem, try again\r\n');
          } else {
            from = /<([^>]*)>/.exec(line)?.[1] ?? '';
            to = [];
            sock.write('250 2.1.0 OK\r\n');
          }
        } else if (cmd === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          sock.write('250 2.1.5 OK\r\n');
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (cmd === 'QUIT') {
          sock.end('221 2.0.0 Bye\r\n');
        } else if (cmd === 'RSET' || cmd === 'NOOP') sock.write('250 OK\r\n');
        else sock.write('502 5.5.2 Command not recognised\r\n');
      }
    });
  }

  private store(from: string, to: string[], lines: string[]): void {
    const blank = lines.indexOf('');
    const headerLines = lines.slice(0, blank);
    const headers: Record<string, string> = {};
    let last = '';
    for (const l of headerLines) {
      if (/^\s/.test(l) && last) headers[last] += l;
      else {
        const i = l.indexOf(':');
        last = l.slice(0, i).toLowerCase();
        headers[last] = l.slice(i + 1).trim();
      }
    }
    const body = lines.slice(blank + 1).join('');
    const text = /base64/i.test(headers['content-transfer-encoding'] ?? '') ? Buffer.from(body, 'base64').toString('utf8') : body;
    this.messages.push({
      from,
      to,
      headers,
      subject: decodeWords(headers.subject ?? ''),
      text,
      messageId: headers['message-id'] ?? '',
      deliveryKey: headers['x-minbiao-delivery'] ?? '',
    });
  }
}

export interface HttpCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  outcome: 'delivered' | 'duplicate' | 'failed' | 'dropped';
}

/**
 * An SMS gateway / webhook receiver that deduplicates on the Idempotency-Key header, as the gateway
 * contract asks: a key seen before is answered 409 and not delivered again.
 */
export class HttpSink {
  readonly calls: HttpCall[] = [];
  /** Delivered messages, one per idempotency key, in order. */
  readonly delivered = new Map<string, Record<string, unknown>>();
  /** Answer this many requests with 503 without delivering. */
  failNext = 0;
  /** Deliver this many requests, then drop the connection before answering. */
  dropNext = 0;
  private server = http.createServer((req, res) => this.handle(req, res));
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        /* recorded as is */
      }
      const call: HttpCall = { path: req.url ?? '/', headers: req.headers, body, json, outcome: 'failed' };
      this.calls.push(call);
      if (this.failNext > 0) {
        this.failNext--;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
        return;
      }
      if (key && this.delivered.has(key)) {
        call.outcome = 'duplicate';
        res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ duplicate: true, messageId: `m-${[...this.delivered.keys()].indexOf(key) + 1}` }));
        return;
      }
      this.delivered.set(key || `anon-${this.calls.length}`, json);
      if (this.dropNext > 0) {
        this.dropNext--;
        call.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      call.outcome = 'delivered';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId: `m-${this.delivered.size}` }));
    });
  }
}
