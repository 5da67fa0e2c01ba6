// A finer "same place" for the 重复诉求 (repeat-appeal) figure: the place an appeal is about — a
// residential compound, a village, a school, a road and house number — taken at intake from its address
// (or title), stored as a keyed index (PiiCipher.placeIndex), never in clear: the address is personal data.
// appeals.place_key is written once at intake; score_facts.place_key is the fact's placeKey.
//
// Existing appeals keep place_key null here: the index needs the PII key, which migrations do not have.
// `minbiao score rebuild` fills it from the decrypted address and title (src/services/appeals/place.ts)
// and rebuilds the facts; until then an old appeal is a repeat only by the same citizen (docs/metrics.md).
//
// The repeat probe becomes an equality on place, township and category and a range on created_at:
// (place_key, region_code, category_id, created_at) answers it. 0014's (region_code, category_id,
// created_at) served only the old township-wide probe and is dropped (one index less to maintain on
// every fact write). On PostgreSQL a column added to the partitioned parent reaches every partition.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await db.schema.alterTable('appeals').addColumn('place_key', 'text').execute();
  await db.schema.alterTable('score_facts').addColumn('place_key', 'text').execute();
  await db.schema.dropIndex('score_facts_place').execute();
  await db.schema.createIndex('score_facts_place_key').on('score_facts').columns(['place_key', 'region_code', 'category_id', 'created_at']).execute();
}
