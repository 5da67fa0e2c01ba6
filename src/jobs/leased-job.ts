// The skeleton every background job shares: a timer that runs one pass at a time (a pass still
// running is joined, not doubled), an error in a pass logged and the loop kept going, and on stop the
// pass awaited and the job's lease released so another instance takes over at once. The pass itself
// acquires the lease (`repos.leases.acquire(…, lease, holder, …)`) and does the work only when it holds it.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';

export abstract class LeasedJob<R> {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<R> | null = null;

  constructor(
    protected readonly s: Services,
    /** The name of the job's row in job_leases. */
    protected readonly lease: string,
    /** Delay before the first pass after start (ms). */
    private readonly firstDelayMs: number,
  ) {}

  protected abstract runOnce(): Promise<R>;

  start(intervalMs: number): void {
    const loop = async () => {
      try {
        await this.tick();
      } catch (e) {
        this.s.ctx.log.error({ err: e }, `${this.lease} run failed`);
      }
      if (this.timer !== null) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, this.firstDelayMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await repos.leases.release(this.s.ctx.db, this.lease, this.holder).catch(() => undefined);
  }

  /** One pass (safe to call from tests with an injected clock). */
  tick(): Promise<R> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }
}
