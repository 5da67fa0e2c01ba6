// Computed dashboard answers (the city summary, a peer group's ranking), kept so that fifty leaders
// opening the dashboard at once cost one computation, not fifty (docs/deployment.md §5).
//
// An answer is served while it is younger than `hardMs`. It is recomputed in the background — the
// caller still gets the kept answer at once — when it is older than `staleMs` or when this process has
// committed a write since it was computed (DataVersion). Only without any kept answer (or one older
// than `hardMs`, or from a clock that went backwards) does a caller wait for the computation; callers
// arriving meanwhile share it. So an answer lags the data by at most `staleMs` plus one computation
// while requests keep coming, and never by more than `hardMs`. `staleMs = 0` turns the cache off:
// every call computes (the integration tests, which read their own writes at once, run so).
export interface FiguresCacheOptions {
  staleMs: number;
  hardMs: number;
  max?: number;
  now: () => number;
  version: () => number;
  onError: (err: unknown, key: string) => void;
}

interface Entry<T> {
  value: T;
  version: number;
  at: number;
}

export interface CachedAnswer<T> {
  value: T;
  /** When the answer was computed (the clock of the service). */
  asOf: number;
  cached: boolean;
}

export class FiguresCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, Promise<Entry<T>>>();
  private readonly max: number;

  constructor(private readonly o: FiguresCacheOptions) {
    this.max = o.max ?? 256;
  }

  get enabled(): boolean {
    return this.o.staleMs > 0;
  }

  async get(key: string, compute: () => Promise<T>): Promise<CachedAnswer<T>> {
    if (!this.enabled) return { value: await compute(), asOf: this.o.now(), cached: false };
    const e = this.entries.get(key);
    const age = e ? this.o.now() - e.at : -1;
    if (e && age >= 0 && age <= this.o.hardMs) {
      if (age > this.o.staleMs || e.version !== this.o.version()) {
        this.refresh(key, compute).catch((err: unknown) => this.o.onError(err, key));
      }
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, e);
      return { value: e.value, asOf: e.at, cached: true };
    }
    const fresh = await this.refresh(key, compute);
    return { value: fresh.value, asOf: fresh.at, cached: false };
  }

  /** Computes once per key at a time; the version and clock are read before computing. */
  private refresh(key: string, compute: () => Promise<T>): Promise<Entry<T>> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const version = this.o.version();
    const at = this.o.now();
    const p = compute()
      .then((value) => {
        const entry = { value, version, at };
        this.entries.delete(key);
        this.entries.set(key, entry);
        while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  clear(): void {
    this.entries.clear();
  }
}
