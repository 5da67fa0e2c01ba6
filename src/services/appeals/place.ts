// The place index of an appeal (appeals.place_key): the keyed index of the specific place named by its
// address (or title), for the repeat-appeal figure. Set once at intake by every path that creates
// appeals (web and staff intake, Open311 through it, the bulk import, the demo seed). Appeals taken in
// before migration 0015 get it from `minbiao score rebuild` (backfillPlaceKeys): a migration cannot
// compute it (the index needs the PII key); until then such an appeal has no place index and is a
// repeat only by the same citizen (docs/metrics.md §9).
import { appealPlace } from '../../domain/text/places.ts';
import type { PiiCipher } from '../../lib/pii.ts';
import type { Services } from '../index.ts';

export function appealPlaceIndex(pii: Pick<PiiCipher, 'placeIndex'>, address: string | null | undefined, title: string | null | undefined): string | null {
  return pii.placeIndex(appealPlace(address, title)?.key ?? null);
}

export interface PlaceKeyBackfillReport {
  /** Appeals without a place index that were looked at. */
  scanned: number;
  /** Appeals given one. */
  keyed: number;
  /** Addresses that could not be decrypted (a key no longer configured): the title alone was used. */
  unreadable: number;
}

/** Fills appeals.place_key where it is null and the address or title names a place. Idempotent. */
export async function backfillPlaceKeys(s: Services, opts: { batchSize?: number } = {}): Promise<PlaceKeyBackfillReport> {
  const db = s.ctx.db;
  const pii = s.ctx.pii;
  const batch = opts.batchSize ?? 1000;
  const report: PlaceKeyBackfillReport = { scanned: 0, keyed: 0, unreadable: 0 };
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('appeals')
      .select(['id', 'address_enc', 'title'])
      .where('place_key', 'is', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return report;
    after = rows[rows.length - 1]!.id;
    report.scanned += rows.length;
    const keyed: { id: string; key: string }[] = [];
    for (const r of rows) {
      let address: string | null = null;
      try {
        address = pii.decrypt(r.address_enc);
      } catch {
        report.unreadable++;
      }
      const key = appealPlaceIndex(pii, address, r.title);
      if (key) keyed.push({ id: r.id, key });
    }
    if (keyed.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      for (const k of keyed) await trx.updateTable('appeals').set({ place_key: k.key }).where('id', '=', k.id).where('place_key', 'is', null).execute();
    });
    report.keyed += keyed.length;
  }
}
