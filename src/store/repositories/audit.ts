// The audit trail: append-only (database triggers refuse updates and early deletes), each record
// chained to the previous one and sealed with a keyed SM3 MAC (HMAC-SM3), the head of the chain sealed too.
import { createHash, getHashes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Executor } from './appeals.ts';
import type { AuditLogTable } from '../schema.ts';

const HASH = getHashes().includes('sm3') ? 'sm3' : 'sha256';
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** The plain SM3 link of the records written before the chain was keyed (migration 0003). */
export function auditHash(prev: string, e: Omit<AuditLogTable, 'seq' | 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([prev, e.at, e.actor_id, e.actor_name, e.action, e.object_type, e.object_id, e.outcome, e.ip, e.details]);
  return createHash(HASH).update(canonical).digest('hex');
}

/** What the keyed seal of a record covers: its place in the chain, the previous link and every field. */
export function auditCanonical(seq: number, prev: string, e: Omit<AuditLogTable, 'seq' | 'hash' | 'prev_hash'>): string {
  return JSON.stringify([seq, prev, e.at, e.actor_id, e.actor_name, e.action, e.object_type, e.object_id, e.outcome, e.ip, e.details]);
}

export const headCanonical = (seq: number, hash: string, legacyMaxSeq: number) => JSON.stringify(['audit-head', seq, hash, legacyMaxSeq]);

/** Seals data with the deployment's key (HMAC-SM3, "keyid:hex"): see PiiCipher.seal. */
export type Sealer = (data: string) => string;

export class AuditRepository {
  /**
   * Appends one record: seq is the previous seq + 1 (set here, not by a database sequence, so a rolled
   * back transaction leaves no gap), `hash` is the keyed seal of the record and the previous hash, and
   * the sealed head moves to it in the same transaction.
   */
  async append(db: Executor, dialect: 'sqlite' | 'postgres', entry: AuditEntry, seal: Sealer, legacyMaxSeq: number): Promise<void> {
    // One chain means one writer at a time: SQLite serialises writers; PostgreSQL takes a
    // transaction-scoped advisory lock (callers run this inside a transaction).
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7261001)`.execute(db);
    const last = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const prev = last?.hash ?? GENESIS_HASH;
    const seq = Number(last?.seq ?? 0) + 1;
    const row = {
      at: entry.at,
      actor_id: entry.actorId,
      actor_name: entry.actorName,
      action: entry.action,
      object_type: entry.objectType,
      object_id: entry.objectId,
      outcome: entry.outcome,
      ip: entry.ip,
      details: entry.details ? JSON.stringify(entry.details) : null,
    };
    const hash = seal(auditCanonical(seq, prev, row));
    await db.insertInto('audit_log').values({ seq, ...row, prev_hash: prev, hash }).execute();
    await db
      .updateTable('audit_head')
      .set({ seq, hash, mac: seal(headCanonical(seq, hash, legacyMaxSeq)), updated_at: entry.at })
      .where('id', '=', 1)
      .execute();
  }

  head(db: Executor) {
    return db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  async *scan(db: Executor, batch = 5000, afterSeq = -1): AsyncGenerator<Selectable<AuditLogTable>> {
    let after = afterSeq;
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
      if (rows.length === 0) return;
      for (const r of rows) yield r;
      after = rows[rows.length - 1]!.seq;
    }
  }

  list(db: Executor, opts: { limit: number; offset: number; action?: string | undefined; actorId?: string | undefined; objectId?: string | undefined }) {
    let q = db.selectFrom('audit_log').selectAll();
    if (opts.action) q = q.where('action', '=', opts.action);
    if (opts.actorId) q = q.where('actor_id', '=', opts.actorId);
    if (opts.objectId) q = q.where('object_id', '=', opts.objectId);
    return q.orderBy('seq', 'desc').limit(opts.limit).offset(opts.offset).execute();
  }
}
