// The citizen's e-mail address (optional): the channel a citizen who gave one is told of progress by
// (an Open311 client's `email`, or the web form). Stored encrypted like phone and ID number.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('appeals').addColumn('citizen_email_enc', 'text').execute();
  // Open311 kept the address beside the request, where neither retention nor notices saw it: move it.
  await sql`update appeals set citizen_email_enc = (select o.email_enc from open311_requests o where o.appeal_id = appeals.id)
            where exists (select 1 from open311_requests o where o.appeal_id = appeals.id and o.email_enc is not null)`.execute(db);
  await sql`update open311_requests set email_enc = null where email_enc is not null`.execute(db);
}
