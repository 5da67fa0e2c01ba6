// 回访 (callback) and rectification tasks around appeals.
import type { Executor } from './appeals.ts';
import type { TaskTable } from '../schema.ts';

export type TaskKind = 'callback' | 'rectification';

export class TaskRepository {
  /** Inserts the task unless one of this kind already exists for the appeal's round. */
  async insertOnce(db: Executor, row: TaskTable): Promise<boolean> {
    const res = await db
      .insertInto('tasks')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'appeal_id', 'round']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  find(db: Executor, id: string): Promise<TaskTable | undefined> {
    return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  }
  forAppeal(db: Executor, appealId: string): Promise<TaskTable[]> {
    return db.selectFrom('tasks').selectAll().where('appeal_id', '=', appealId).orderBy('created_at').execute();
  }
  async complete(db: Executor, id: string, at: number, by: string | null, result: unknown, status = 'done'): Promise<void> {
    await db.updateTable('tasks').set({ status, done_at: at, done_by: by, result: JSON.stringify(result) }).where('id', '=', id).execute();
  }
}
