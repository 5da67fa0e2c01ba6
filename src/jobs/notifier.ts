// The notifier job: sends what the outbox has due (retries included), and does the knowledge base's
// housekeeping — takes articles whose validity ended off the public index, and turns new consultation
// appeals into questions for the gap list. One process at a time holds its lease (like the scheduler),
// so two instances never send the same message concurrently.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';
import type { SendReport } from '../services/notify/sender.ts';

export const NOTIFIER_LEASE = 'notifier';

export interface NotifierReport {
  leader: boolean;
  send: SendReport | null;
  expired: number;
  questions: number;
}

export class NotifierJob {
  readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<NotifierReport> | null = null;

  constructor(private readonly s: Services) {}

  start(intervalMs: number): void {
    const loop = async () => {
      try {
        await this.tick();
      } catch (e) {
        this.s.ctx.log.error({ err: e }, 'notifier tick failed');
      }
      if (this.timer !== null) this.timer = setTimeout(loop, intervalMs);
    };
    this.timer = setTimeout(loop, 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await repos.leases.release(this.s.ctx.db, NOTIFIER_LEASE, this.holder).catch(() => undefined);
  }

  tick(): Promise<NotifierReport> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async runOnce(): Promise<NotifierReport> {
    const ttl = Math.max(3 * this.s.ctx.config.NOTIFY_INTERVAL_SECONDS * 1000, 60_000);
    const report: NotifierReport = { leader: false, send: null, expired: 0, questions: 0 };
    if (!(await repos.leases.acquire(this.s.ctx.db, NOTIFIER_LEASE, this.holder, Date.now(), ttl))) return report;
    report.leader = true;
    report.send = await this.s.notify.sender.sendPending();
    report.expired = await this.s.knowledge.expireDue();
    report.questions = await this.s.knowledge.processAppealQuestions();
    return report;
  }
}
