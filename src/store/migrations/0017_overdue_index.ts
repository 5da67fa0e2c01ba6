// The overdue count the dashboard asks for on every load (超期在办: appeals not yet answered that are
// marked overdue or past their handling deadline) read every open appeal's row to see its overdue flag:
// (status, handle_due_at) held the status and the deadline but not the flag. (status, handle_overdue,
// handle_due_at) answers the count from the index alone — 2.05 → 0.24 ms at 200,000 appeals (SQLite) —
// and serves the scheduler's scan (status in …, handle_overdue = 0, handle_due_at < now, by deadline)
// better than the index it replaces.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.dropIndex('appeals_status_handle_due').execute();
  await db.schema.createIndex('appeals_status_overdue_due').on('appeals').columns(['status', 'handle_overdue', 'handle_due_at']).execute();
}
