// Notifications: the outbox (written in the event's transaction), the staff inbox, templates, preferences.
import type { NotifyInboxTable, NotifyOutboxTable, NotifyPrefTable, NotifyTemplateTable } from '../knowledge-schema.ts';
import type { Executor } from './appeals.ts';

export class NotifyRepository {
  /** Inserts messages; a delivery key already present is left alone (the event was projected before). */
  async enqueue(db: Executor, rows: readonly NotifyOutboxTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insertInto('notify_outbox')
        .values(rows.slice(i, i + 200) as NotifyOutboxTable[])
        .onConflict((oc) => oc.column('delivery_key').doNothing())
        .execute();
    }
  }

  due(db: Executor, now: number, limit: number): Promise<NotifyOutboxTable[]> {
    return db
      .selectFrom('notify_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  get(db: Executor, id: string): Promise<NotifyOutboxTable | undefined> {
    return db.selectFrom('notify_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Records the outcome of an attempt, only if the message is still pending (guards against a second sender). */
  async settle(db: Executor, id: string, patch: Partial<NotifyOutboxTable>): Promise<boolean> {
    const r = await db.updateTable('notify_outbox').set(patch).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async retry(db: Executor, id: string, now: number): Promise<boolean> {
    const r = await db
      .updateTable('notify_outbox')
      .set({ status: 'pending', next_attempt_at: now, expires_at: now + 86_400_000, last_error: null })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'skipped'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async counts(db: Executor): Promise<Record<string, number>> {
    const rows = await db.selectFrom('notify_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  // ------------------------------------------------------------ inbox

  async deliverInbox(db: Executor, row: NotifyInboxTable): Promise<void> {
    await db.insertInto('notify_inbox').values(row).onConflict((oc) => oc.column('delivery_key').doNothing()).execute();
  }

  // ------------------------------------------------------------ templates and preferences

  templates(db: Executor): Promise<NotifyTemplateTable[]> {
    return db.selectFrom('notify_templates').selectAll().execute();
  }

  async saveTemplate(db: Executor, row: NotifyTemplateTable): Promise<void> {
    const { key: _k, ...rest } = row;
    await db.insertInto('notify_templates').values(row).onConflict((oc) => oc.column('key').doUpdateSet(rest)).execute();
  }

  async deleteTemplate(db: Executor, key: string): Promise<void> {
    await db.deleteFrom('notify_templates').where('key', '=', key).execute();
  }

  pref(db: Executor, userId: string): Promise<NotifyPrefTable | undefined> {
    return db.selectFrom('notify_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async savePref(db: Executor, row: NotifyPrefTable): Promise<void> {
    const { user_id: _u, ...rest } = row;
    await db.insertInto('notify_prefs').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(rest)).execute();
  }

  /** Active staff of a unit with their roles and whether they asked for e-mail copies. */
  async staffOf(db: Executor, unitId: string): Promise<{ id: string; roles: string; email: boolean }[]> {
    const rows = await db
      .selectFrom('users')
      .leftJoin('notify_prefs', 'notify_prefs.user_id', 'users.id')
      .select(['users.id as id', 'users.roles as roles', 'notify_prefs.email_enabled as email_enabled', 'notify_prefs.email_enc as email_enc'])
      .where('users.unit_id', '=', unitId)
      .where('users.active', '=', 1)
      .execute();
    return rows.map((r) => ({ id: r.id, roles: r.roles, email: Number(r.email_enabled ?? 0) === 1 && !!r.email_enc }));
  }
}

export const notifyRepo = new NotifyRepository();
