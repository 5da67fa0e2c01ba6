// The staff session: who is signed in, their permissions, sign-in and sign-out. The session itself
// is an httpOnly cookie; the CSRF token comes with the sign-in answer and with /auth/me.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setUnauthenticatedHandler } from './api.ts';
import type { Me, User } from './types.ts';
import { invalidate } from './useAsync.ts';

const HINT_KEY = 'mb.signedIn';

type Status = 'idle' | 'loading' | 'signedIn' | 'signedOut' | 'error';

interface AuthState {
  status: Status;
  me: Me | null;
  error: unknown;
  /** Loads the session if one may exist (called by staff pages only: citizen pages never ask). */
  ensure: () => void;
  login: (username: string, password: string, otp?: string) => Promise<{ user: User; restriction: Me['restriction'] }>;
  /** Reloads /auth/me (after changing the password or enrolling the second factor). */
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
  can: (perm: string) => boolean;
  /** Set when the session ended by itself (expiry, idle timeout): the sign-in page says so. */
  expired: boolean;
}

const Ctx = createContext<AuthState | null>(null);

function hint(): boolean {
  try {
    return localStorage.getItem(HINT_KEY) === '1';
  } catch {
    return false;
  }
}
function setHint(v: boolean): void {
  try {
    if (v) localStorage.setItem(HINT_KEY, '1');
    else localStorage.removeItem(HINT_KEY);
  } catch {
    /* ignore */
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status>('idle');
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [expired, setExpired] = useState(false);
  const loading = useRef(false);

  const load = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    setStatus('loading');
    try {
      const m = await api<Me>('/api/v1/auth/me');
      setCsrfToken(m.csrfToken);
      setMe(m);
      setStatus('signedIn');
    } catch (e) {
      if ((e as { status?: number }).status === 401) {
        setHint(false);
        setMe(null);
        setStatus('signedOut');
      } else {
        setError(e);
        setStatus('error');
      }
    } finally {
      loading.current = false;
    }
  }, []);

  const ensure = useCallback(() => {
    if (status !== 'idle') return;
    // Without the hint there is no session to find: skip the request (and its 401).
    if (!hint()) setStatus('signedOut');
    else void load();
  }, [status, load]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setHint(false);
      setCsrfToken(null);
      setMe(null);
      setExpired(true);
      setStatus('signedOut');
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  const login = useCallback(
    async (username: string, password: string, otp?: string) => {
      const r = await api<{ user: User; csrfToken: string; token: string; restriction?: Me['restriction'] }>('/api/v1/auth/login', { method: 'POST', body: otp ? { username, password, otp } : { username, password } });
      setCsrfToken(r.csrfToken);
      setHint(true);
      setExpired(false);
      invalidate('ref:units');
      invalidate('staff:');
      await load();
      return { user: r.user, restriction: r.restriction ?? null };
    },
    [load],
  );

  const logout = useCallback(async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST', body: {} });
    } catch {
      /* the session may already be gone */
    }
    setHint(false);
    setCsrfToken(null);
    setMe(null);
    setExpired(false);
    invalidate('ref:units');
    invalidate('staff:');
    setStatus('signedOut');
  }, []);

  const value = useMemo<AuthState>(() => {
    const perms = new Set(me?.permissions ?? []);
    return { status, me, error, ensure, login, logout, expired, refresh: load, can: (p) => perms.has(p) };
  }, [status, me, error, ensure, login, logout, expired, load]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** Where each role starts. */
export function homeFor(roles: string[]): string {
  if (roles.includes('dispatcher')) return '/staff/dispatch';
  if (roles.includes('handler')) return '/staff/workbench';
  if (roles.includes('leader')) return '/staff/dashboard';
  if (roles.includes('auditor')) return '/staff/audit';
  if (roles.includes('sysadmin') || roles.includes('secadmin')) return '/staff/admin';
  return '/staff/appeals';
}
