// Org units, regions (the gazetteer) and the dispatch catalogue.
import type { Executor } from './appeals.ts';
import type { OrgUnitTable, RegionTable } from '../schema.ts';

export class OrgRepository {
  all(db: Executor): Promise<OrgUnitTable[]> {
    return db.selectFrom('org_units').selectAll().orderBy('path').execute();
  }
  find(db: Executor, id: string): Promise<OrgUnitTable | undefined> {
    return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  }
  async insert(db: Executor, rows: OrgUnitTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('org_units').values(rows.slice(i, i + 200)).execute();
  }
  async update(db: Executor, id: string, patch: Partial<OrgUnitTable>): Promise<void> {
    await db.updateTable('org_units').set(patch).where('id', '=', id).execute();
  }
  regions(db: Executor): Promise<RegionTable[]> {
    return db.selectFrom('regions').selectAll().orderBy('code').execute();
  }
  async insertRegions(db: Executor, rows: RegionTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('regions').values(rows.slice(i, i + 200)).execute();
  }
  catalogue(db: Executor) {
    return db.selectFrom('dispatch_catalogue').selectAll().execute();
  }
  async catalogueUnit(db: Executor, categoryId: string, regionCode: string): Promise<string | null> {
    const r = await db
      .selectFrom('dispatch_catalogue')
      .select('unit_id')
      .where('category_id', '=', categoryId)
      .where('region_code', '=', regionCode)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }
  async upsertCatalogue(db: Executor, rows: { category_id: string; region_code: string; unit_id: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 300) {
      await db
        .insertInto('dispatch_catalogue')
        .values(rows.slice(i, i + 300))
        .onConflict((oc) => oc.columns(['category_id', 'region_code']).doUpdateSet((eb) => ({ unit_id: eb.ref('excluded.unit_id') })))
        .execute();
    }
  }
}
