// PIPL storage limitation: a citizen's identity (name, phone and its blind index, address, the PIN of an
// anonymous appeal, the source address of a web rating) is erased a configurable period after the
// appeal was closed (PII_RETENTION_DAYS). So are the keyed indexes derived from them — the phone's blind
// index and the place index of the address (a road and house number can name one household), in the
// appeal and in its figures' fact — since whoever holds the key can test any candidate phone or address
// against them. The appeal itself, its events and figures stay.
import type { AuditService } from '../audit.ts';
import type { ServiceContext } from '../context.ts';
import { repos } from '../../store/repositories/index.ts';
import type { SystemPrincipal } from '../principal.ts';

const BATCH = 500;
const CURSOR_KEY = 'retention.cursor';

export interface RetentionReport {
  dryRun: boolean;
  retentionDays: number;
  /** Appeals closed before this time (epoch ms) lose the citizen's identity. */
  cutoff: number;
  /** Appeals found with an identity past the cutoff. */
  due: number;
  erased: number;
}

export class RetentionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  private candidates(from: number, cutoff: number, afterId: string, limit: number) {
    return this.ctx.db
      .selectFrom('appeals')
      .select(['id'])
      .where('closed_at', 'is not', null)
      .where('closed_at', '>=', from)
      .where('closed_at', '<', cutoff)
      .where('id', '>', afterId)
      .where((eb) =>
        eb.or([
          eb('citizen_name_enc', 'is not', null),
          eb('citizen_id_enc', 'is not', null),
          eb('citizen_email_enc', 'is not', null),
          eb('citizen_phone_enc', 'is not', null),
          eb('citizen_phone_idx', 'is not', null),
          eb('address_enc', 'is not', null),
          eb('access_pin_hash', 'is not', null),
          eb('place_key', 'is not', null),
        ]),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Erases what is due. `full` rescans every closed appeal (the CLI does); the scheduled run starts from
   * where the last complete run stopped. A dry run only counts.
   */
  async run(opts: { dryRun?: boolean; full?: boolean; actor?: SystemPrincipal } = {}): Promise<RetentionReport> {
    const days = this.ctx.config.PII_RETENTION_DAYS;
    const cutoff = this.ctx.now() - days * 86_400_000;
    const from = opts.full ? 0 : Math.min(cutoff, (await repos.settings.get<number>(this.ctx.db, CURSOR_KEY)) ?? 0);
    const actor: SystemPrincipal = opts.actor ?? { kind: 'system', job: 'retention' };
    const report: RetentionReport = { dryRun: !!opts.dryRun, retentionDays: days, cutoff, due: 0, erased: 0 };
    let afterId = '';
    for (;;) {
      const rows = await this.candidates(from, cutoff, afterId, BATCH);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const ids = rows.map((r) => r.id);
      report.due += ids.length;
      if (opts.dryRun) continue;
      await this.ctx.db.transaction().execute(async (trx) => {
        // Re-checked inside the transaction: an appeal reopened meanwhile keeps its citizen.
        const res = await trx
          .updateTable('appeals')
          .set({ citizen_name_enc: null, citizen_phone_enc: null, citizen_phone_idx: null, citizen_id_enc: null, citizen_email_enc: null, address_enc: null, access_pin_hash: null, place_key: null })
          .where('id', 'in', ids)
          .where('closed_at', 'is not', null)
          .where('closed_at', '<', cutoff)
          .executeTakeFirst();
        await trx.updateTable('ratings').set({ source_ip: null }).where('appeal_id', 'in', ids).execute();
        // The figures' facts carry both indexes (the citizen and the place of a repeat appeal): they go too.
        await trx.updateTable('score_facts').set({ citizen_key: null, place_key: null }).where('appeal_id', 'in', ids).execute();
        const n = Number(res.numUpdatedRows);
        report.erased += n;
        await this.audit.record(actor, {
          action: 'pii.retention.erase',
          objectType: 'appeal',
          objectId: null,
          outcome: 'success',
          details: { count: n, firstId: ids[0], lastId: ids[ids.length - 1], cutoff: new Date(cutoff).toISOString(), retentionDays: days },
        }, trx);
      });
    }
    if (!opts.dryRun) await repos.settings.set(this.ctx.db, CURSOR_KEY, cutoff, this.ctx.now(), actor.job);
    return report;
  }
}
