// Every action of consequence goes to the hash-chained audit trail (DESIGN.md §10).
import { repos, type Executor } from '../store/repositories/index.ts';
import { auditHash, GENESIS_HASH, type AuditEntry } from '../store/repositories/audit.ts';
import type { ServiceContext } from './context.ts';
import type { Principal } from './principal.ts';

export function actorOf(p: Principal): { actorId: string | null; actorName: string | null; ip: string | null } {
  if (p.kind === 'staff') return { actorId: p.userId, actorName: p.username, ip: p.ip };
  if (p.kind === 'citizen') return { actorId: null, actorName: 'citizen', ip: p.ip };
  return { actorId: null, actorName: `system:${p.job}`, ip: null };
}

export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Appends inside the caller's transaction when given one, so the record and the change commit together. */
  async record(
    p: Principal,
    e: Omit<AuditEntry, 'at' | 'actorId' | 'actorName' | 'ip'> & { at?: number },
    db: Executor = this.ctx.db,
  ): Promise<void> {
    const entry: AuditEntry = { ...e, at: e.at ?? this.ctx.now(), ...actorOf(p) };
    if (db === this.ctx.db) {
      await this.ctx.db.transaction().execute((trx) => repos.audit.append(trx, this.ctx.handle.dialect, entry));
    } else {
      await repos.audit.append(db, this.ctx.handle.dialect, entry);
    }
  }

  /** Walks the chain; returns the first record whose hash or link does not match. */
  async verify(): Promise<{ ok: boolean; checked: number; firstBroken: null | { seq: number; reason: string } }> {
    let prev = GENESIS_HASH;
    let checked = 0;
    let lastSeq = 0;
    for await (const r of repos.audit.scan(this.ctx.db)) {
      checked++;
      if (lastSeq !== 0 && r.seq !== lastSeq + 1) {
        return { ok: false, checked, firstBroken: { seq: r.seq, reason: `gap after seq ${lastSeq} (a record was deleted)` } };
      }
      if (r.prev_hash !== prev) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'link to the previous record broken (deleted or reordered)' } };
      const { seq: _s, hash, prev_hash: _p, ...rest } = r;
      if (auditHash(prev, rest) !== hash) return { ok: false, checked, firstBroken: { seq: r.seq, reason: 'content changed after it was written' } };
      prev = hash;
      lastSeq = r.seq;
    }
    return { ok: true, checked, firstBroken: null };
  }
}
