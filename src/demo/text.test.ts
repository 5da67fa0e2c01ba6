import { describe, expect, it } from 'vitest';
import { generateAppealPlans } from './appeals.ts';
import { demoCategories, dispatchCatalogue } from './categories.ts';
import { generateCity } from './city.ts';

const NOW = Date.UTC(2026, 10, 29, 6, 0, 0);

describe('appeal texts', () => {
  const city = generateCity(2);
  const categories = demoCategories();
  const catalogue = dispatchCatalogue(city, categories);
  const sample = [...generateAppealPlans(city, categories, catalogue, { count: 1000, seed: 21, now: NOW })];

  it('does not read repetitive: ≥ 95% distinct bodies, ≥ 60% distinct titles', () => {
    const bodies = new Set(sample.map((p) => p.body)).size / sample.length;
    const titles = new Set(sample.map((p) => p.title)).size / sample.length;
    console.log(`distinct bodies ${(bodies * 100).toFixed(1)}%, titles ${(titles * 100).toFixed(1)}%`);
    expect(bodies).toBeGreaterThanOrEqual(0.95);
    expect(titles).toBeGreaterThanOrEqual(0.6);
  });

  it('keeps titles ≤ 30 and bodies 60–400 characters, with every slot filled', () => {
    for (const p of sample) {
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.title.length).toBeLessThanOrEqual(30);
      expect(p.body.length).toBeGreaterThanOrEqual(60);
      expect(p.body.length).toBeLessThanOrEqual(400);
      for (const s of [p.title, p.body, p.address]) expect(s).not.toMatch(/[{}]|undefined|null/);
      for (const step of p.steps) {
        const texts = Object.values(step.command.payload).filter((v): v is string => typeof v === 'string');
        for (const t of texts) expect(t).not.toMatch(/[{}]|undefined/);
      }
    }
  });

  it('writes replies that cite a legal basis where one applies', () => {
    const replies = sample.flatMap((p) => p.steps.flatMap((s) => (s.command.action === 'reply' ? [s.command.payload.text] : [])));
    expect(replies.length).toBeGreaterThan(500);
    const cited = replies.filter((r) => /《[^》]+》/.test(r)).length / replies.length;
    expect(cited).toBeGreaterThan(0.5);
    expect(new Set(replies).size / replies.length).toBeGreaterThan(0.95);
    for (const r of replies) expect(r.length).toBeGreaterThan(40);
  });
});
