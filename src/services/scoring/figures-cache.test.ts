import { describe, expect, it } from 'vitest';
import { FiguresCache } from './figures-cache.ts';

function setup(staleMs = 5000) {
  const state = { now: 1_000_000, version: 0, computed: 0, errors: [] as unknown[] };
  const cache = new FiguresCache<number>({ staleMs, hardMs: 60_000, now: () => state.now, version: () => state.version, onError: (e) => state.errors.push(e) });
  let release: (() => void) | null = null;
  const compute = (gate = false) => async () => {
    state.computed++;
    if (gate) await new Promise<void>((r) => (release = r));
    return state.computed;
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { state, cache, compute, settle, release: () => release?.() };
}

describe('FiguresCache', () => {
  it('computes once, then serves the kept answer while it is fresh', async () => {
    const { state, cache, compute } = setup();
    expect(await cache.get('k', compute())).toEqual({ value: 1, asOf: 1_000_000, cached: false });
    state.now += 5000;
    expect(await cache.get('k', compute())).toEqual({ value: 1, asOf: 1_000_000, cached: true });
    expect(state.computed).toBe(1);
  });

  it('after a write (version moved) serves the kept answer and recomputes it behind', async () => {
    const { state, cache, compute, settle } = setup();
    await cache.get('k', compute());
    state.version++;
    expect((await cache.get('k', compute())).value).toBe(1);
    await settle();
    expect(state.computed).toBe(2);
    expect(await cache.get('k', compute())).toMatchObject({ value: 2, cached: true });
    expect(state.computed).toBe(2);
  });

  it('recomputes behind an answer older than staleMs, and waits for one older than hardMs', async () => {
    const { state, cache, compute, settle } = setup();
    await cache.get('k', compute());
    state.now += 5001;
    expect((await cache.get('k', compute())).value).toBe(1);
    await settle();
    expect(state.computed).toBe(2);
    state.now += 60_001;
    expect(await cache.get('k', compute())).toEqual({ value: 3, asOf: state.now, cached: false });
  });

  it('treats an answer from the future (a clock set back) as missing', async () => {
    const { state, cache, compute } = setup();
    await cache.get('k', compute());
    state.now -= 1;
    expect(await cache.get('k', compute())).toMatchObject({ value: 2, cached: false });
  });

  it('shares one computation among concurrent callers, and one background refresh among stale hits', async () => {
    const { state, cache, compute, settle, release } = setup();
    const many = Array.from({ length: 50 }, () => cache.get('k', compute(true)));
    await settle();
    release();
    const answers = await Promise.all(many);
    expect(new Set(answers.map((a) => a.value))).toEqual(new Set([1]));
    expect(state.computed).toBe(1);
    state.version++;
    for (let i = 0; i < 20; i++) expect((await cache.get('k', compute(true))).value).toBe(1);
    expect(state.computed).toBe(2);
    release();
    await settle();
    expect((await cache.get('k', compute())).value).toBe(2);
  });

  it('keys are separate; a failed background refresh is reported and the kept answer stays', async () => {
    const { state, cache, compute, settle } = setup();
    await cache.get('a', compute());
    await cache.get('b', compute());
    expect(state.computed).toBe(2);
    state.version++;
    const failing = async () => {
      throw new Error('database gone');
    };
    expect((await cache.get('a', failing)).value).toBe(1);
    await settle();
    expect(state.errors).toHaveLength(1);
    expect((await cache.get('a', compute())).value).toBe(1);
  });

  it('a failing first computation reaches the caller', async () => {
    const { cache } = setup();
    await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('staleMs 0 turns it off: every call computes', async () => {
    const { state, cache, compute } = setup(0);
    await cache.get('k', compute());
    expect(await cache.get('k', compute())).toMatchObject({ value: 2, cached: false });
    expect(state.computed).toBe(2);
  });
});
