// Every action of consequence goes to the hash-chained audit trail (DESIGN.md §10).
// Records are linked (each carries the previous one's hash) and sealed with HMAC-SM3 under the
// deployment's key, and the head of the chain is sealed too: editing, deleting, reordering or
// truncating records is found by `verify`, even by someone who can write to the database but does
// not hold MINBIAO_SECRET.
import { repos, type Executor } from '../store/repositories/index.ts';
import { auditCanonical, auditHash, GENESIS_HASH, headCanonical, type AuditEntry } from '../store/repositories/audit.ts';
import type { ServiceContext } from './context.ts';
import type { Principal } from './principal.ts';

export function actorOf(p: Principal): { actorId: string | null; actorName: string | null; ip: string | null } {
  if (p.kind === 'staff') return { actorId: p.userId, actorName: p.username, ip: p.ip };
  if (p.kind === 'citizen') return { actorId: null, actorName: 'citizen', ip: p.ip };
  return { actorId: null, actorName: `system:${p.job}`, ip: null };
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** The first record that does not verify (for a truncated tail: the first missing seq). */
  firstBroken: null | { seq: number; reason: string };
  /** The sealed head: record it outside the system to detect a later rollback of the whole tail. */
  head: { seq: number; hash: string } | null;
}

export class AuditService {
  private legacyMaxSeq: number | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  private async legacy(db: Executor): Promise<number> {
    if (this.legacyMaxSeq === null) this.legacyMaxSeq = Number((await repos.audit.head(db))?.legacy_max_seq ?? 0);
    return this.legacyMaxSeq;
  }

  /**
   * Seals the head written by migration 0003 (it cannot hold the key). Only while no keyed record
   * exists: an unsealed head after that is a sign of tampering, left for `verify` to report.
   */
  async init(): Promise<void> {
    const head = await repos.audit.head(this.ctx.db);
    if (!head || head.mac !== null) return;
    const keyed = await this.ctx.db.selectFrom('audit_log').select('seq').where('seq', '>', head.legacy_max_seq).limit(1).executeTakeFirst();
    if (keyed) {
      this.ctx.log.error('audit head is not sealed although keyed records exist: run `minbiao audit verify`');
      return;
    }
    await this.ctx.db
      .updateTable('audit_head')
      .set({ mac: this.ctx.pii.seal(headCanonical(head.seq, head.hash, head.legacy_max_seq)) })
      .where('id', '=', 1)
      .where('mac', 'is', null)
      .execute();
  }

  /** Appends inside the caller's transaction when given one, so the record and the change commit together. */
  async record(
    p: Principal,
    e: Omit<AuditEntry, 'at' | 'actorId' | 'actorName' | 'ip' | 'details'> & { at?: number; details?: AuditEntry['details'] },
    db: Executor = this.ctx.db,
  ): Promise<void> {
    const entry: AuditEntry = { ...e, details: e.details ?? null, at: e.at ?? this.ctx.now(), ...actorOf(p) };
    const seal = (data: string) => this.ctx.pii.seal(data);
    if (db === this.ctx.db) {
      await this.ctx.db.transaction().execute(async (trx) => repos.audit.append(trx, this.ctx.handle.dialect, entry, seal, await this.legacy(trx)));
    } else {
      await repos.audit.append(db, this.ctx.handle.dialect, entry, seal, await this.legacy(db));
    }
  }

  /**
   * Walks the chain and compares it with its sealed head; names the first record that does not verify.
   * Runs without blocking writers: records appended while it runs are walked too before the head is compared.
   */
  async verify(): Promise<AuditVerifyResult> {
    const pii = this.ctx.pii;
    let head = await repos.audit.head(this.ctx.db);
    const broken = (seq: number, reason: string, checked: number): AuditVerifyResult => ({
      ok: false,
      checked,
      firstBroken: { seq, reason },
      head: head ? { seq: Number(head.seq), hash: head.hash } : null,
    });
    if (!head) return broken(0, 'the sealed head of the chain is missing', 0);
    const legacyMax = Number(head.legacy_max_seq);
    let prev = GENESIS_HASH;
    let checked = 0;
    let lastSeq = 0;
    for (let pass = 0; ; pass++) {
      for await (const r of repos.audit.scan(this.ctx.db, 5000, lastSeq)) {
        const seq = Number(r.seq);
        checked++;
        if (seq !== lastSeq + 1) {
          return broken(seq, lastSeq === 0 ? `the chain starts at seq ${seq}: earlier records were deleted` : `gap after seq ${lastSeq}: a record was deleted`, checked);
        }
        if (r.prev_hash !== prev) return broken(seq, 'link to the previous record broken (deleted, inserted or reordered)', checked);
        const { seq: _s, hash, prev_hash: _p, ...rest } = r;
        if (seq <= legacyMax) {
          if (auditHash(prev, rest) !== hash) return broken(seq, 'content changed after it was written', checked);
        } else {
          const verdict = pii.checkSeal(auditCanonical(seq, prev, rest), hash);
          if (verdict === 'unknown-key') return broken(seq, 'sealed with a key that is not configured (MINBIAO_SECRET)', checked);
          if (verdict === 'bad') return broken(seq, 'content changed after it was written (seal does not match)', checked);
        }
        prev = hash;
        lastSeq = seq;
      }
      // The head is read after the walk: it can only be ahead of it if records were appended meanwhile
      // (walk on) or deleted from the end.
      head = await repos.audit.head(this.ctx.db);
      if (!head) return broken(lastSeq + 1, 'the sealed head of the chain is missing', checked);
      const headSeq = Number(head.seq);
      if (head.mac === null) {
        if (lastSeq > legacyMax || headSeq !== legacyMax) return broken(lastSeq + 1, 'the head of the chain is not sealed', checked);
      } else if (Number(head.legacy_max_seq) !== legacyMax || pii.checkSeal(headCanonical(headSeq, head.hash, legacyMax), head.mac) !== 'ok') {
        return broken(headSeq, 'the head of the chain was altered (seal does not match)', checked);
      }
      if (headSeq > lastSeq && pass < 5) continue;
      if (headSeq > lastSeq) return broken(lastSeq + 1, `records after seq ${lastSeq} were deleted (the sealed head is at seq ${headSeq})`, checked);
      if (headSeq < lastSeq) return broken(headSeq + 1, `records after seq ${headSeq} were not written by the application`, checked);
      if (head.hash !== prev) return broken(lastSeq, 'the last record does not match the sealed head', checked);
      return { ok: true, checked, firstBroken: null, head: { seq: headSeq, hash: head.hash } };
    }
  }
}
