// The citizen's e-mail address (optional): the channel a citizen who gave one is told of progress by
// (an Open311 client's `email`, or the web form). Stored encrypted like phone and ID number.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('appeals').addColumn('citizen_email_enc', 'text').execute();
}
