// Security housekeeping on a timer, one process at a time (lease 'maintenance'): erases citizens'
// identities past the retention period (PIPL), forgets spent captcha challenges, ended sessions and
// old idempotency keys; on PostgreSQL it creates the coming months' partitions (src/store/partitions.ts).
// Like the scheduler it scans state, so a run after downtime catches up.
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';
import { LeasedJob } from './leased-job.ts';
import type { RetentionReport } from '../services/security/retention.ts';
import { maintainPartitions, type EnsureReport } from '../store/partitions.ts';

export interface MaintenanceReport {
  ranAt: number;
  leader: boolean;
  retention: RetentionReport | null;
  purged: { captcha: number; sessions: number; idempotency: number } | null;
  partitions: EnsureReport | null;
}

export class MaintenanceJob extends LeasedJob<MaintenanceReport> {
  constructor(s: Services) {
    super(s, 'maintenance', 5_000);
  }

  protected async runOnce(): Promise<MaintenanceReport> {
    const ctx = this.s.ctx;
    const report: MaintenanceReport = { ranAt: ctx.now(), leader: false, retention: null, purged: null, partitions: null };
    if (!(await repos.leases.acquire(ctx.db, this.lease, this.holder, Date.now(), 30 * 60_000))) return report;
    report.leader = true;
    report.retention = await this.s.security.retention.run({ actor: { kind: 'system', job: 'retention' } });
    report.purged = await this.s.security.housekeeping();
    if (ctx.handle.dialect === 'postgres') {
      // Months are created two ahead, so a missed run (or a day's downtime) never sends rows to the default.
      report.partitions = await maintainPartitions(ctx.db, ctx.now());
      if (report.partitions.created.length) ctx.log.info({ partitions: report.partitions }, 'partitions created');
    }
    if (report.retention.erased > 0) ctx.log.info({ retention: report.retention }, 'identities erased after the retention period');
    return report;
  }
}
