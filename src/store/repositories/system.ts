// Plumbing tables: job leases (one scheduler at a time), idempotency keys, settings.
import type { Executor } from './appeals.ts';

export class LeaseRepository {
  /** Takes or renews the lease when it is free, expired or already ours. */
  async acquire(db: Executor, name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    await db
      .insertInto('job_leases')
      .values({ name, holder, expires_at: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const res = await db
      .updateTable('job_leases')
      .set({ holder, expires_at: now + ttlMs })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
  async release(db: Executor, name: string, holder: string): Promise<void> {
    await db.updateTable('job_leases').set({ expires_at: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
  }
}

export class IdempotencyRepository {
  find(db: Executor, key: string) {
    return db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
  }
  async insert(db: Executor, row: { key: string; scope: string; request_hash: string; response: string; created_at: number }): Promise<void> {
    await db.insertInto('idempotency_keys').values(row).execute();
  }
}

export class SettingsRepository {
  async get<T>(db: Executor, key: string): Promise<T | undefined> {
    const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
  async set(db: Executor, key: string, value: unknown, at: number, by: string | null): Promise<void> {
    const v = JSON.stringify(value);
    await db
      .insertInto('settings')
      .values({ key, value: v, updated_at: at, updated_by: by })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: at, updated_by: by }))
      .execute();
  }
}
