// The scheduler: marks overdue appeals and escalates them (督办) to the unit above, creates 回访 tasks
// when the handling deadline passes, and opens rectification tasks for bad ratings.
// Every job is a scan of state ("what should have happened by now and has not"), not a timer per
// appeal, so after downtime the next run catches up on everything it missed.
// Only one process runs it at a time: a lease row in the database, renewed each tick.
import { AWAITING_REPLY_STATUSES } from '../domain/appeal/types.ts';
import { addWorkingDays } from '../domain/calendar/index.ts';
import { newId } from '../lib/ids.ts';
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';
import { LeasedJob } from './leased-job.ts';
import type { SystemPrincipal } from '../services/principal.ts';

const BATCH = 200;
const RECTIFICATION_WINDOW_DAYS = 30;
const sys = (job: string): SystemPrincipal => ({ kind: 'system', job });

export interface TickReport {
  ranAt: number;
  leader: boolean;
  responseOverdue: number;
  handleOverdue: number;
  callbacks: number;
  rectifications: number;
  errors: number;
  /** Set when this tick refreshed the hotspots / retrained the classifier. */
  hotspots?: { detected: number; resolved: number };
  retrained?: string;
}

export class Scheduler extends LeasedJob<TickReport> {
  private hotspotsAt = -Infinity;
  lastReport: TickReport | null = null;

  constructor(s: Services) {
    super(s, 'scheduler', 1000);
  }

  protected async runOnce(): Promise<TickReport> {
    const ctx = this.s.ctx;
    const now = ctx.now();
    const ttl = Math.max(3 * ctx.config.SCHEDULER_INTERVAL_SECONDS * 1000, 30_000);
    const report: TickReport = { ranAt: now, leader: false, responseOverdue: 0, handleOverdue: 0, callbacks: 0, rectifications: 0, errors: 0 };
    if (!(await repos.leases.acquire(ctx.db, this.lease, this.holder, Date.now(), ttl))) {
      this.lastReport = report;
      return report;
    }
    report.leader = true;
    const guard = this.guardCounting(report);

    report.responseOverdue += await this.markResponseOverdue(now, report);
    report.handleOverdue += await this.markHandleOverdue(now, report);
    report.callbacks += await this.scheduleCallbacks(now, report);
    report.rectifications += await this.openRectifications(now, report);

    // Hotspots: a refresh every few minutes; the classifier: retrained when the active model is older
    // than the configured span (nightly by default). Both are skipped when their interval is 0.
    const hotspotMs = ctx.config.HOTSPOT_REFRESH_MINUTES * 60_000;
    if (hotspotMs > 0 && now - this.hotspotsAt >= hotspotMs) {
      await guard(async () => {
        const h = await this.s.text.hotspots.refresh();
        report.hotspots = { detected: h.detected, resolved: h.resolved };
        this.hotspotsAt = now;
        return true;
      });
    }
    const retrainMs = ctx.config.TEXT_RETRAIN_HOURS * 3600_000;
    if (retrainMs > 0 && !this.s.text.classification.isTraining) {
      await guard(async () => {
        if (!(await this.s.text.classification.dueForRetraining(now, retrainMs))) return false;
        // In the background (a worker thread): the deadlines above must not wait minutes for it.
        report.retrained = 'started';
        void this.s.text.classification.retrainNightly().catch((e: unknown) => ctx.log.error({ err: e }, 'classifier retraining failed'));
        return true;
      });
    }

    this.lastReport = report;
    if (report.responseOverdue + report.handleOverdue + report.callbacks + report.rectifications > 0) {
      ctx.log.info({ scheduler: report }, 'scheduler tick');
    }
    return report;
  }


  /** 1. Response deadline passed without a first contact: marked overdue. */
  async markResponseOverdue(now: number, errors: { errors: number } = { errors: 0 }): Promise<number> {
    return this.drain(
      errors,
      () =>
        this.s.ctx.db
          .selectFrom('appeals')
          .select(['id', 'response_due_at'])
          .where('status', 'in', ['submitted', 'returned', 'dispatched', 'accepted'])
          .where('response_due_at', '<', now)
          .where('response_overdue', '=', 0)
          .where('first_contact_at', 'is', null)
          .orderBy('response_due_at')
          .limit(BATCH)
          .execute(),
      async (r) => {
        await this.s.writer.apply(sys('overdue'), r.id, () => ({ action: 'mark_overdue', payload: { kind: 'response', dueAt: r.response_due_at } }));
      },
    );
  }

  /**
   * 2. Handling deadline passed before `now`: marked overdue and escalated to the unit above (督办);
   * returns how many. Public so a scene can let this one job see a later hour.
   */
  async markHandleOverdue(now: number, errors: { errors: number } = { errors: 0 }): Promise<number> {
    return this.drain(
      errors,
      () =>
        this.s.ctx.db
          .selectFrom('appeals')
          .select(['id', 'handle_due_at', 'unit_id', 'intake_unit_id'])
          .where('status', 'in', AWAITING_REPLY_STATUSES)
          .where('handle_due_at', '<', now)
          .where('handle_overdue', '=', 0)
          .orderBy('handle_due_at')
          .limit(BATCH)
          .execute(),
      async (r) => {
        await this.s.writer.apply(sys('overdue'), r.id, () => ({ action: 'mark_overdue', payload: { kind: 'handle', dueAt: r.handle_due_at } }));
        const above = r.unit_id ? await this.s.org.parentOf(r.unit_id) : await this.s.org.parentOf(r.intake_unit_id);
        await this.s.writer.apply(sys('escalate'), r.id, () => ({
          action: 'supervise',
          payload: { note: `超过办理期限,系统自动提级督办${above ? `(${above.name})` : ''}`, byUnitId: above?.id ?? null, automatic: true },
        }));
      },
    );
  }

  /**
   * 3. 回访: a task for every replied appeal whose handling deadline passed before `now` without the
   * citizen's rating; returns how many. Public so a scene can let this one job see a later hour.
   */
  async scheduleCallbacks(now: number, errors: { errors: number } = { errors: 0 }): Promise<number> {
    const cal = await this.s.calendar.calendar();
    return this.drain(
      errors,
      () =>
        this.s.ctx.db
          .selectFrom('appeals')
          .leftJoin('tasks', (j) => j.onRef('tasks.appeal_id', '=', 'appeals.id').onRef('tasks.round', '=', 'appeals.round').on('tasks.kind', '=', 'callback'))
          .select(['appeals.id', 'appeals.round', 'appeals.region_code', 'appeals.intake_unit_id'])
          .where('appeals.status', '=', 'replied')
          .where('appeals.handle_due_at', '<', now)
          .where('tasks.id', 'is', null)
          .limit(BATCH)
          .execute(),
      async (r) => {
        const taskId = newId(now);
        const dueAt = addWorkingDays(now, 1, cal);
        await this.s.writer.apply(sys('callback'), r.id, () => ({ action: 'schedule_callback', payload: { taskId, dueAt } }), {
          after: async (trx) => {
            await repos.tasks.insertOnce(trx, {
              id: taskId,
              kind: 'callback',
              appeal_id: r.id,
              region_code: r.region_code,
              unit_id: r.intake_unit_id,
              round: r.round,
              status: 'open',
              created_at: now,
              due_at: dueAt,
              done_at: null,
              done_by: null,
              result: null,
            });
          },
        });
      },
    );
  }

  /**
   * 4. Rectification (整改) for the bottom two faces: contact within 1 working day, fix within 15.
   * Only ratings of the last RECTIFICATION_WINDOW_DAYS: enough to catch up after any downtime, and the
   * scan stays the size of a month's ratings instead of every low rating in history on every tick.
   */
  async openRectifications(now: number, errors: { errors: number } = { errors: 0 }): Promise<number> {
    const cal = await this.s.calendar.calendar();
    const since = now - RECTIFICATION_WINDOW_DAYS * 86_400_000;
    const db = this.s.ctx.db;
    return this.drain(
      errors,
      () =>
        db
          .selectFrom('ratings')
          .leftJoin('tasks', (j) => j.onRef('tasks.appeal_id', '=', 'ratings.appeal_id').onRef('tasks.round', '=', 'ratings.round').on('tasks.kind', '=', 'rectification'))
          .select(['ratings.appeal_id', 'ratings.round', 'ratings.region_code', 'ratings.unit_id', 'ratings.rated_at', 'ratings.level'])
          .where('ratings.level', '<=', 2)
          .where('ratings.rated_at', '>=', since)
          .where('tasks.id', 'is', null)
          .limit(BATCH)
          .execute(),
      async (r) => {
        await db.transaction().execute(async (trx) => {
          const id = newId(now);
          const inserted = await repos.tasks.insertOnce(trx, {
            id,
            kind: 'rectification',
            appeal_id: r.appeal_id,
            region_code: r.region_code,
            unit_id: r.unit_id,
            round: r.round,
            status: 'open',
            created_at: now,
            due_at: addWorkingDays(r.rated_at, 15, cal),
            done_at: null,
            done_by: null,
            result: JSON.stringify({ contactDueAt: addWorkingDays(r.rated_at, 1, cal), level: r.level }),
          });
          if (inserted) {
            await this.s.audit.record(sys('rectification'), { action: 'task.rectification.open', objectType: 'appeal', objectId: r.appeal_id, outcome: 'success', details: { taskId: id, round: r.round } }, trx);
          }
        });
      },
    );
  }

  /**
   * A scan: `act` on each row of `next()`, batch after batch, until a batch comes back short (or more
   * than 50 items failed — a row that keeps failing comes back in every batch); returns how many succeeded.
   */
  private async drain<R>(errors: { errors: number }, next: () => Promise<R[]>, act: (r: R) => Promise<void>): Promise<number> {
    const guard = this.guardCounting(errors);
    let done = 0;
    for (;;) {
      const rows = await next();
      for (const r of rows) {
        if (await guard(async () => (await act(r), true))) done++;
      }
      if (rows.length < BATCH || errors.errors > 50) break;
    }
    return done;
  }

  /** Runs one item; a failure (a concurrent change) is counted and logged and must not stop the others. */
  private guardCounting(count: { errors: number }): (fn: () => Promise<boolean>) => Promise<boolean> {
    return async (fn) => {
      try {
        return await fn();
      } catch (e) {
        count.errors++;
        this.s.ctx.log.warn({ err: e }, 'scheduler item failed');
        return false;
      }
    };
  }
}
