// The notifier job: sends what the outbox has due (retries included), and does the knowledge base's
// housekeeping — takes articles whose validity ended off the public index, and turns new consultation
// appeals into questions for the gap list. One process at a time holds its lease (like the scheduler),
// so two instances never send the same message concurrently.
import { repos } from '../store/repositories/index.ts';
import type { Services } from '../services/index.ts';
import { LeasedJob } from './leased-job.ts';
import type { SendReport } from '../services/notify/sender.ts';

export const NOTIFIER_LEASE = 'notifier';

export interface NotifierReport {
  leader: boolean;
  send: SendReport | null;
  expired: number;
  questions: number;
}

export class NotifierJob extends LeasedJob<NotifierReport> {
  constructor(s: Services) {
    super(s, NOTIFIER_LEASE, 1000);
  }

  protected async runOnce(): Promise<NotifierReport> {
    const ttl = Math.max(3 * this.s.ctx.config.NOTIFY_INTERVAL_SECONDS * 1000, 60_000);
    const report: NotifierReport = { leader: false, send: null, expired: 0, questions: 0 };
    if (!(await repos.leases.acquire(this.s.ctx.db, this.lease, this.holder, Date.now(), ttl))) return report;
    report.leader = true;
    report.send = await this.s.notify.sender.sendPending();
    report.expired = await this.s.knowledge.expireDue();
    report.questions = await this.s.knowledge.processAppealQuestions();
    return report;
  }
}
