// Security housekeeping on a timer, one process at a time (lease 'maintenance'): erases citizens'
// identities past the retention period (PIPL), forgets spent captcha challenges, ended sessions and
// old idempotency keys. Like the scheduler it scans state, so a run after downtime catches up.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';
import type { RetentionReport } from '../services/security/retention.ts';

export interface MaintenanceReport {
  ranAt: number;
  leader: boolean;
  retention: RetentionReport | null;
  purged: { captcha: number; sessions: number; idempotency: number } | null;
}

export class MaintenanceJob {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<MaintenanceReport> | null = null;

  constructor(private readonly s: Services) {}

  start(intervalMs: number): void {
    const loop = async () => {
      try {
        await this.tick();
      } catch (e) {
        this.s.ctx.log.error({ err: e }, 'maintenance run failed');
      }
      if (this.timer !== null) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, 5_000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await repos.leases.release(this.s.ctx.db, 'maintenance', this.holder).catch(() => undefined);
  }

  tick(): Promise<MaintenanceReport> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async runOnce(): Promise<MaintenanceReport> {
    const ctx = this.s.ctx;
    const report: MaintenanceReport = { ranAt: ctx.now(), leader: false, retention: null, purged: null };
    if (!(await repos.leases.acquire(ctx.db, 'maintenance', this.holder, Date.now(), 30 * 60_000))) return report;
    report.leader = true;
    report.retention = await this.s.security.retention.run({ actor: { kind: 'system', job: 'retention' } });
    report.purged = await this.s.security.housekeeping();
    if (report.retention.erased > 0) ctx.log.info({ retention: report.retention }, 'identities erased after the retention period');
    return report;
  }
}
