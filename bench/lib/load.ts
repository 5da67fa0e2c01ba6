// A small closed-loop load generator: `concurrency` clients, each sending the next request as soon as
// the previous answered, for a fixed time. Keep-alive connections, latencies recorded per request.
import http from 'node:http';

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  statuses: Record<string, number>;
}

export async function runLoad(opts: {
  url: string;
  concurrency: number;
  seconds: number;
  method?: string;
  /** The JSON body of request i; none (no content-type) when absent, as for a GET. */
  body?: (i: number) => unknown;
  headers?: (i: number) => Record<string, string>;
  okStatus?: (s: number) => boolean;
  /** Each answered request's latency (ms) is also pushed here, to pool several runs. */
  latencies?: number[];
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const u = new URL(opts.url);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let i = 0;
  let ok = 0;
  let errors = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const okStatus = opts.okStatus ?? ((s: number) => s >= 200 && s < 300);
  const one = (n: number) =>
    new Promise<void>((resolve) => {
      const payload = opts.body ? JSON.stringify(opts.body(n)) : undefined;
      const t = performance.now();
      const req = http.request(
        {
          agent,
          host: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          method: opts.method ?? (payload === undefined ? 'GET' : 'POST'),
          headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...(opts.headers?.(n) ?? {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const ms = performance.now() - t;
            lat.push(ms);
            opts.latencies?.push(ms);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if (okStatus(res.statusCode ?? 0)) ok++;
            else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (payload === undefined) req.end();
      else req.end(payload);
    });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (performance.now() < deadline) await one(i++);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return summarize(lat, ok, errors, seconds, statuses);
}

/** The figures of a set of latencies (ms): one run's, or several runs' pooled. */
export function summarize(latencies: number[], ok: number, errors: number, seconds: number, statuses: Record<string, number>): LoadResult {
  const lat = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : 0);
  return { requests: lat.length, ok, errors, seconds: round(seconds), perSecond: round(ok / seconds), p50ms: round(q(0.5)), p99ms: round(q(0.99)), statuses };
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
