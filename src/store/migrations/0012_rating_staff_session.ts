// A citizen's rating records whether a valid staff session came with the request (the staff member and a
// reference naming the session): the evidence of the auditor's 工作人员会话评价 (staff-session) signal,
// which could not fire before because ratings did not record the session.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('ratings').addColumn('staff_user_id', 'text').execute();
  await db.schema.alterTable('ratings').addColumn('staff_session', 'text').execute();
}
