// The single write path of an appeal: load, decide, persist row + event (+ projections) + audit in
// one transaction. Every other service changes appeals through here.
import { execute } from '../../domain/appeal/machine.ts';
import type { AppealEvent, Command } from '../../domain/appeal/events.ts';
import type { Actor, AppealState } from '../../domain/appeal/types.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { rowToState, stateColumns } from '../../store/repositories/appeals.ts';
import { repos, type Executor } from '../../store/repositories/index.ts';
import type { AppealTable } from '../../store/schema.ts';
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import type { Principal } from '../principal.ts';

export function actorFor(p: Principal): Actor {
  if (p.kind === 'staff') return { kind: 'staff', id: p.userId };
  return { kind: p.kind, id: null };
}

export interface Applied {
  row: AppealTable;
  state: AppealState;
  event: AppealEvent;
}

/** Runs inside the transaction of every appeal change (including submission), after the row and
 *  event are written: read models such as the figures' facts stay exactly in step with the events. */
export type Projector = (trx: Executor, applied: Applied) => Promise<void>;

export class AppealWriter {
  private readonly projectors: Projector[] = [];

  addProjector(p: Projector): void {
    this.projectors.push(p);
  }

  /** For the intake path, which writes the first event itself. */
  async project(trx: Executor, applied: Applied): Promise<void> {
    for (const p of this.projectors) await p(trx, applied);
  }

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly audit: AuditService,
  ) {}

  /** Applies a command to an existing appeal. `build` runs before the transaction (it may look things
   *  up); the transaction only writes, guarded by the version read. A concurrent change makes it start
   *  over (unless the caller pinned `expectedVersion`). `after` runs inside the transaction. */
  async apply(
    p: Principal,
    appealId: string,
    build: (row: AppealTable, state: AppealState) => Promise<Command> | Command,
    opts: { expectedVersion?: number | undefined; after?: (trx: Executor, applied: Applied) => Promise<void> } = {},
  ): Promise<Applied> {
    for (let attempt = 0; ; attempt++) {
      const row = await repos.appeals.findRow(this.ctx.db, appealId);
      if (!row) throw errors.notFound(`Appeal ${appealId}`, '诉求');
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
        throw new AppError(409, 'CONCURRENT_UPDATE', '该诉求已被他人更新,请刷新后重试', 'The appeal was changed by someone else; reload and retry', {
          expectedVersion: opts.expectedVersion,
          actualVersion: row.version,
        });
      }
      const state = rowToState(row);
      const cmd = await build(row, state);
      const { event, state: next } = execute(state, cmd, { appealId, at: this.ctx.now(), actor: actorFor(p) });
      const unitPath = next.unitId ? (await this.org.require(next.unitId)).path : null;
      try {
        return await this.ctx.db.transaction().execute(async (trx) => {
          await repos.appeals.update(trx, row.region_code, row.version, next, unitPath, event);
          if (event.action === 'rate' && next.lastRating) {
            await repos.appeals.insertRating(trx, {
              appealId,
              round: next.round,
              regionCode: row.region_code,
              unitId: next.unitId,
              rating: next.lastRating,
              actorId: p.kind === 'staff' ? p.userId : null,
              sourceIp: p.kind === 'staff' || p.kind === 'citizen' ? p.ip : null,
              staffSession: p.kind === 'citizen' ? (p.staffSession ?? null) : null,
            });
          }
          const applied: Applied = { row: { ...row, ...stateColumns(next, unitPath) }, state: next, event };
          if (opts.after) await opts.after(trx, applied);
          await this.project(trx, applied);
          await this.audit.record(
            p,
            { action: `appeal.${event.action}`, objectType: 'appeal', objectId: appealId, outcome: 'success', details: { from: event.fromStatus, to: event.toStatus, seq: event.seq } },
            trx,
          );
          return applied;
        });
      } catch (e) {
        const concurrent = e instanceof AppError && e.code === 'CONCURRENT_UPDATE';
        if (!concurrent || opts.expectedVersion !== undefined || attempt >= 2) throw e;
      }
    }
  }
}
