// The citizen's resident ID number (居民身份证号), optional, stored encrypted like name, phone and address.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('appeals').addColumn('citizen_id_enc', 'text').execute();
}
