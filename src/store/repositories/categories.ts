// The category tree and the admin's working-calendar overrides.
import type { Executor } from './appeals.ts';
import type { CalendarOverrideTable, CategoryTable } from '../schema.ts';

export class CategoryRepository {
  all(db: Executor): Promise<CategoryTable[]> {
    return db.selectFrom('categories').selectAll().orderBy('sort').orderBy('id').execute();
  }
  find(db: Executor, id: string): Promise<CategoryTable | undefined> {
    return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insert(db: Executor, rows: CategoryTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('categories').values(rows.slice(i, i + 200)).execute();
  }
  async update(db: Executor, id: string, patch: Partial<CategoryTable>): Promise<void> {
    await db.updateTable('categories').set(patch).where('id', '=', id).execute();
  }
  calendarOverrides(db: Executor): Promise<CalendarOverrideTable[]> {
    return db.selectFrom('calendar_overrides').selectAll().orderBy('ymd').execute();
  }
  async upsertCalendarOverride(db: Executor, row: CalendarOverrideTable): Promise<void> {
    await db
      .insertInto('calendar_overrides')
      .values(row)
      .onConflict((oc) => oc.column('ymd').doUpdateSet({ is_workday: row.is_workday, note: row.note, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute();
  }
  async deleteCalendarOverride(db: Executor, ymd: string): Promise<void> {
    await db.deleteFrom('calendar_overrides').where('ymd', '=', ymd).execute();
  }
}
