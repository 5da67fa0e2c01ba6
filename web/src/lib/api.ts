// The one way the app talks to the server: JSON over fetch, the server's error shape turned into
// ApiError (Chinese and English messages), the CSRF token echoed on state-changing requests.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageZh: string;
  readonly messageEn: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(status: number, code: string, messageZh: string, messageEn: string, details?: Record<string, unknown>) {
    super(messageEn);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messageZh = messageZh;
    this.messageEn = messageEn;
    this.details = details;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a staff request finds the session gone (expired, idle timeout, signed out elsewhere). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  /** Citizen requests carry no staff cookie: a signed-in staff member testing the H5 page stays a citizen. */
  anonymous?: boolean;
  /**
   * With `anonymous`: send the cookies all the same (still no CSRF token). For the citizen's rating, where
   * the server notes a staff session that comes along for the auditor (the staff-session signal) and
   * grants it nothing.
   */
  withCookies?: boolean;
  signal?: AbortSignal;
}

export function buildQuery(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken && !opts.anonymous) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path + buildQuery(opts.query), {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      credentials: opts.anonymous && !opts.withCookies ? 'omit' : 'same-origin',
      signal: opts.signal ?? null,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '网络连接失败,请检查网络后重试', 'Network error: check your connection and retry');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; messageEn?: string; details?: Record<string, unknown> } } | null)?.error;
    const e = new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ?? (res.status >= 500 ? '服务器暂时无法处理,请稍后重试' : `请求失败(${res.status})`),
      err?.messageEn ?? (res.status >= 500 ? 'The server could not handle the request: retry later' : `Request failed (${res.status})`),
      err?.details,
    );
    if (res.status === 401 && !opts.anonymous && !path.endsWith('/auth/login')) onUnauthenticated?.();
    throw e;
  }
  return data as T;
}

/** A fresh idempotency key: retries of the same submission reuse it, so nothing is stored twice. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
