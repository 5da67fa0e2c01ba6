// Frozen assessments: once a period is published (公布), its figures, parameters and the hash of its
// inputs are stored; `minbiao score verify` recomputes them from events and diffs the two.
// Canonical JSON makes the same content always produce the same bytes and so the same hash.

import { createHash } from 'node:crypto';
import type { MetricsConfig } from './config.ts';
import type { AppealFact } from './facts.ts';

/** Significant digits kept for non-integer numbers: beyond float noise, far below any published precision. */
export const CANONICAL_DIGITS = 15;

/** A number's canonical text: integers in full, others rounded to 15 significant digits, −0 as 0. */
export function canonicalNumber(x: number): string {
  if (!Number.isFinite(x)) throw new TypeError(`canonical JSON cannot hold ${x}`);
  if (Object.is(x, -0) || x === 0) return '0';
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return String(x);
  // Rounding then printing the shortest round-trip form gives one spelling per value.
  const rounded = Number(x.toPrecision(CANONICAL_DIGITS));
  // Rounding the largest doubles up would overflow to Infinity: keep those as they are.
  return String(Number.isFinite(rounded) ? rounded : x);
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, numbers by canonicalNumber,
 * undefined object members left out (as JSON.stringify does). Maps, Sets, functions, NaN and
 * Infinity are refused rather than silently changed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return canonicalNumber(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      if (value instanceof Map || value instanceof Set) throw new TypeError('canonical JSON cannot hold a Map or Set');
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The hash of an assessment's inputs: SHA-256 over the canonical JSON of the facts sorted by appeal
 * id, so it does not depend on the order the database returned them in.
 */
export function hashFacts(facts: Iterable<AppealFact>): string {
  const lines = [...facts].map((f) => ({ id: f.appealId, json: canonicalJson(f) }));
  lines.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.json < b.json ? -1 : a.json > b.json ? 1 : 0));
  const h = createHash('sha256');
  h.update('minbiao.facts/1\n');
  for (const l of lines) h.update(`${l.json}\n`);
  return `sha256:${h.digest('hex')}`;
}

export interface AssessmentPeriod {
  kind: 'day' | 'week' | 'month' | 'quarter' | 'year' | 'custom';
  /** e.g. "2026-10". */
  label: string;
  /** [start, end) in epoch ms. */
  start: number;
  end: number;
}

export interface MetricsSnapshot<F = unknown> {
  schema: 'minbiao.metrics.snapshot/1';
  period: AssessmentPeriod;
  config: MetricsConfig;
  figures: F;
  factsHash: string;
  /** SHA-256 of the canonical JSON of everything above: the seal of the published assessment. */
  contentHash: string;
}

/** A frozen assessment. The service adds who published it and when (this code reads no clock). */
export function buildSnapshot<F>(period: AssessmentPeriod, config: MetricsConfig, figures: F, factsHash: string): MetricsSnapshot<F> {
  const body = { schema: 'minbiao.metrics.snapshot/1' as const, period, config, figures, factsHash };
  // Round-tripping through canonical JSON freezes the numbers exactly as they will be stored.
  const frozen = JSON.parse(canonicalJson(body)) as Omit<MetricsSnapshot<F>, 'contentHash'>;
  return { ...frozen, contentHash: `sha256:${sha256Hex(canonicalJson(frozen))}` };
}

/** Does the snapshot's seal still match its content? */
export function verifySnapshotSeal(s: MetricsSnapshot): boolean {
  const { contentHash, ...body } = s;
  return contentHash === `sha256:${sha256Hex(canonicalJson(body))}`;
}

export interface SnapshotDifference {
  /** e.g. "figures[unit-7].satisfaction.value" — arrays of objects with a `key` are addressed by it. */
  path: string;
  a: unknown;
  b: unknown;
}

/** Array elements are matched by their `key` (or `appealId`) when every element has one, else by position. */
function identityOf(v: unknown): string | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.key === 'string') return o.key;
    if (typeof o.appealId === 'string') return o.appealId;
  }
  return null;
}

function diffInto(a: unknown, b: unknown, path: string, out: SnapshotDifference[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    const ids = [...a, ...b].map(identityOf);
    if (ids.every((x) => x !== null) && new Set(ids.slice(0, a.length)).size === a.length && new Set(ids.slice(a.length)).size === b.length) {
      const ma = new Map(a.map((x) => [identityOf(x)!, x] as const));
      const mb = new Map(b.map((x) => [identityOf(x)!, x] as const));
      const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort();
      for (const k of keys) diffInto(ma.get(k), mb.get(k), `${path}[${k}]`, out);
      return;
    }
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) diffInto(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort();
    for (const k of keys) diffInto(oa[k], ob[k], path === '' ? k : `${path}.${k}`, out);
    return;
  }
  const ca = a === undefined ? undefined : canonicalJson(a);
  const cb = b === undefined ? undefined : canonicalJson(b);
  if (ca !== cb) out.push({ path, a: a === undefined ? null : a, b: b === undefined ? null : b });
}

/**
 * Every figure that differs between two snapshots (e.g. the published one and a recompute from events),
 * compared after canonical formatting, so float noise below 15 significant digits is not a difference.
 */
export function diffSnapshots(a: MetricsSnapshot | Record<string, unknown>, b: MetricsSnapshot | Record<string, unknown>): SnapshotDifference[] {
  const out: SnapshotDifference[] = [];
  const norm = (x: unknown) => JSON.parse(canonicalJson(x)) as unknown;
  diffInto(norm(a), norm(b), '', out);
  return out;
}
