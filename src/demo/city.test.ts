import { describe, expect, it } from 'vitest';
import { demoCategories, dispatchCatalogue, leafCategories, seedExamples } from './categories.ts';
import { generateCity } from './city.ts';
import { allTemplates, compile, hasSlot } from './text.ts';

describe('generateCity', () => {
  for (const seed of [1, 2, 3, 20260101]) {
    it(`builds a consistent city for seed ${seed}`, () => {
      const city = generateCity(seed);
      expect(generateCity(seed)).toEqual(city);
      const districts = city.regions.filter((r) => r.level === 'county');
      const streets = city.regions.filter((r) => r.level === 'township');
      expect(districts.length).toBeGreaterThanOrEqual(6);
      expect(districts.length).toBeLessThanOrEqual(8);
      for (const d of districts) {
        expect(d.code).toMatch(/^3612\d\d$/);
        const own = streets.filter((s) => s.parentCode === d.code);
        expect(own.length).toBeGreaterThanOrEqual(5);
        expect(own.length).toBeLessThanOrEqual(10);
        expect(d.population).toBe(own.reduce((s, r) => s + r.population, 0));
        for (const s of own) {
          expect(s.code).toMatch(new RegExp(`^${d.code}\\d{3}$`));
          expect(s.name).toMatch(/(街道|镇|乡)$/);
          expect(s.shortNames[0]!.length).toBeGreaterThan(0);
        }
      }
      expect(new Set(city.regions.map((r) => r.code)).size).toBe(city.regions.length);

      // The unit tree: unique ids, parents exist, one root, peer groups.
      const ids = new Set(city.units.map((u) => u.id));
      expect(ids.size).toBe(city.units.length);
      const roots = city.units.filter((u) => u.parentId === null);
      expect(roots.map((u) => u.type)).toEqual(['committee']);
      for (const u of city.units) {
        if (u.parentId) expect(ids.has(u.parentId)).toBe(true);
        expect(u.peerGroup).toBe(`${u.type}:${u.level}`);
        expect(u.population).toBeGreaterThan(0);
        expect(u.regionCode).toMatch(/^\d{6}(\d{3})?$/);
      }
      for (const s of streets) {
        const here = city.units.filter((u) => u.regionCode === s.code);
        expect(here.some((u) => u.type === 'police_station')).toBe(true);
        expect(here.some((u) => u.type === 'justice_office')).toBe(true);
        expect(city.tribunalOf[s.code]).toBeDefined();
        const kinds = new Set(city.places.filter((p) => p.regionCode === s.code).map((p) => p.kind));
        expect(kinds.has('market') && kinds.has('school') && kinds.has('road')).toBe(true);
        expect(kinds.has('residential') || kinds.has('village')).toBe(true);
      }
      for (const d of districts) {
        const tribunals = city.units.filter((u) => u.type === 'tribunal' && u.parentId === `u-${d.code}-fy`);
        expect(tribunals.length).toBeGreaterThanOrEqual(2);
        expect(tribunals.length).toBeLessThanOrEqual(3);
      }
      expect(new Set(city.places.map((p) => p.name)).size).toBe(city.places.length);
    });
  }
});

describe('categories and catalogue', () => {
  const cats = demoCategories();
  const leaves = leafCategories(cats);
  const city = generateCity(1);

  it('has a two-level tree with 20+ leaves', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(20);
    const ids = new Set(cats.map((c) => c.id));
    for (const c of cats) {
      if (c.parentId) {
        expect(ids.has(c.parentId)).toBe(true);
        expect(c.id.startsWith(`${c.parentId}.`)).toBe(true);
        expect(cats.find((p) => p.id === c.parentId)!.parentId).toBeNull();
      }
      expect(c.handleWorkingDays).toBeGreaterThanOrEqual(1);
      expect(c.handleWorkingDays).toBeLessThanOrEqual(15);
    }
  });

  it('routes every leaf in every street and district to a unit of the right kind', () => {
    const entries = dispatchCatalogue(city, cats);
    const units = new Map(city.units.map((u) => [u.id, u]));
    const regions = city.regions.filter((r) => r.level !== 'city');
    expect(entries.length).toBe(leaves.length * regions.length);
    const find = (cat: string, region: string) => units.get(entries.find((e) => e.categoryId === cat && e.regionCode === region)!.unitId)!;
    const street = regions.find((r) => r.level === 'township')!;
    const district = street.parentCode!;
    expect(find('order.noise', street.code).id).toBe(`u-${street.code}-pcs`);
    expect(find('dispute.neighbour', street.code).id).toBe(`u-${street.code}-sfs`);
    expect(find('litigation.filing', street.code).id).toBe(city.tribunalOf[street.code]);
    expect(find('procuratorate.food', street.code).id).toBe(`u-${district}-jcy`);
    expect(find('conduct.delay', street.code).id).toBe(`u-${district}-zfw`);
    expect(find('safety.fire', street.code).id).toBe(`u-${district}-zzzx`);
    expect(find('suggestion.patrol', street.code).id).toBe(`u-${district}-zzzx`);
    expect(find('order.noise', district).id).toBe(`u-${district}-ga`);
    for (const e of entries) expect(units.has(e.unitId)).toBe(true);
  });

  it('has at least 8 seed examples per leaf, all distinct', () => {
    const ex = seedExamples;
    for (const c of leaves) expect(ex.filter((e) => e.categoryId === c.id).length).toBeGreaterThanOrEqual(8);
    expect(new Set(ex.map((e) => e.text)).size).toBe(ex.length);
  });

  it('uses only slots the text generator knows', () => {
    const unknown = new Set<string>();
    for (const t of allTemplates()) {
      const parts = compile(t);
      for (let i = 1; i < parts.length; i += 2) if (!hasSlot(parts[i]!)) unknown.add(parts[i]!);
    }
    expect([...unknown]).toEqual([]);
  });
});
