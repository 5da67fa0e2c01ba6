// Staff accounts and their sessions.
import type { Executor } from './appeals.ts';
import type { SessionTable, UserTable } from '../schema.ts';

export class UserRepository {
  findByUsername(db: Executor, username: string): Promise<UserTable | undefined> {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  }
  find(db: Executor, id: string): Promise<UserTable | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }
  list(db: Executor, unitPaths?: string[]): Promise<(UserTable & { unit_path: string })[]> {
    let q = db.selectFrom('users').innerJoin('org_units', 'org_units.id', 'users.unit_id').selectAll('users').select('org_units.path as unit_path');
    if (unitPaths) q = q.where((eb) => eb.or(unitPaths.map((p) => eb('org_units.path', 'like', `${p}%`))));
    return q.orderBy('users.username').execute();
  }
  async insert(db: Executor, row: UserTable): Promise<void> {
    await db.insertInto('users').values(row).execute();
  }
  async update(db: Executor, id: string, patch: Partial<UserTable>): Promise<void> {
    await db.updateTable('users').set(patch).where('id', '=', id).execute();
  }
  async insertSession(db: Executor, row: SessionTable): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  }
  findSession(db: Executor, id: string): Promise<SessionTable | undefined> {
    return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async touchSession(db: Executor, id: string, at: number): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
  }
  async deleteSession(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  }
  async deleteSessionsOf(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }
}
