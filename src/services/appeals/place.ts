// The place index of an appeal, set once at intake by every path that creates appeals (web and staff
// intake, Open311 through it, the bulk import, the demo seed) and by `minbiao score rebuild` for
// appeals older than the column: the keyed index of the specific place named by the address (or title).
import { appealPlace } from '../../domain/text/places.ts';
import type { PiiCipher } from '../../lib/pii.ts';

export function appealPlaceIndex(pii: Pick<PiiCipher, 'placeIndex'>, address: string | null | undefined, title: string | null | undefined): string | null {
  return pii.placeIndex(appealPlace(address, title)?.key ?? null);
}
