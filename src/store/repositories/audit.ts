// The audit trail: append-only, each record chained to the previous by an SM3 hash.
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

export function auditHash(prev: string, e: Omit<AuditLogTable, 'seq' | 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([prev, e.at, e.actor_id, e.actor_name, e.action, e.object_type, e.object_id, e.outcome, e.ip, e.details]);
  return createHash(HASH).update(canonical).digest('hex');
}

export class AuditRepository {
  async append(db: Executor, dialect: 'sqlite' | 'postgres', entry: AuditEntry): Promise<void> {
    // One chain means one writer at a time: SQLite serialises writers; PostgreSQL takes a
    // transaction-scoped advisory lock (callers run this inside a transaction).
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7261001)`.execute(db);
    const last = await db.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const prev = last?.hash ?? GENESIS_HASH;
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
    await db.insertInto('audit_log').values({ ...row, prev_hash: prev, hash: auditHash(prev, row) }).execute();
  }

  async *scan(db: Executor, batch = 5000): AsyncGenerator<Selectable<AuditLogTable>> {
    let after = -1;
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
