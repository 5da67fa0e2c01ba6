// Appeal plans: who submitted what, when, where, and the commands that carried each appeal through
// its life. Streaming (a generator, O(1) memory per plan), deterministic for a seed, and legal for
// the appeal state machine by construction (src/demo/appeals.test.ts replays plans through it).
import type { Command } from '../domain/appeal/events.ts';
import type { AppealStatus, AppealType, Channel, RatingLevel, RedirectChannel, Solved, Urgency } from '../domain/appeal/types.ts';
import type { DispatchEntry, DemoCategory } from './categories.ts';
import { leafCategories } from './categories.ts';
import type { CityIndex, DemoCity, DemoRegion, DemoUnit, UnitType } from './city.ts';
import { indexCity } from './city.ts';
import { EMERGENCIES } from './corpus.ts';
import { honorific, mobilePhone, personName } from './names.ts';
import { mixKeys, Rng, WeightedTable } from './random.ts';
import type { Outcome, TextEnv } from './text.ts';
import * as T from './text.ts';

// ---------------------------------------------------------------------------------------------
// Public types

/** Deadline fields the seeder fills in from its working-day calendar. */
type DeadlineFields = {
  submit: 'responseDueAt' | 'handleDueAt';
  reopen: 'responseDueAt' | 'handleDueAt';
  decide_extension: 'handleDueAt';
};

type WithoutDeadlines<C> = C extends { action: infer A; payload: infer P }
  ? A extends keyof DeadlineFields
    ? { action: A; payload: Omit<P, DeadlineFields[A]> }
    : C
  : never;

/** A domain `Command` without the deadlines that need the calendar (the seeder computes them). */
export type DemoCommand = WithoutDeadlines<Command>;

export type DemoRole = 'dispatcher' | 'handler' | 'citizen' | 'system' | 'leader';

export interface DemoStep {
  at: number;
  role: DemoRole;
  /** The unit whose staff acts (handler: the holding unit; dispatcher: the district 综治中心;
   *  leader: the 政法委), null for citizens and the system. */
  actorUnitId: string | null;
  command: DemoCommand;
}

export interface DemoCitizen {
  name: string;
  phone: string;
  anonymous: boolean;
}

export interface AppealPlan {
  index: number;
  createdAt: number;
  /** The street (9 digits) the appeal is about. */
  regionCode: string;
  address: string;
  citizen: DemoCitizen;
  channel: Channel;
  type: AppealType;
  urgency: Urgency;
  /** The true category (the submit command may carry none or a wrong one, corrected at dispatch). */
  categoryId: string;
  title: string;
  body: string;
  steps: DemoStep[];
  /** The unit holding the appeal after the last step (null if never dispatched). */
  unitId: string | null;
  /** For merged duplicates: the plan index it was merged into (its merge command's intoId is demoAppealKey of it). */
  mergedIntoIndex: number | null;
}

/** The deadline arithmetic used to time events (overdue, extensions). Pass the same functions the
 *  seeder uses (computeDeadlines / extendDeadline with the real calendar) so "late" is exactly late. */
export interface DemoDeadlines {
  compute(input: { createdAt: number; urgency: Urgency; handleWorkingDays: number }): { responseDueAt: number; handleDueAt: number };
  extend(dueAt: number, workingDays: number): number;
}

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Epoch ms; no step is later than this (later steps are dropped, leaving the appeal open). */
  now: number;
  months?: number;
  deadlines?: DemoDeadlines;
}

/** The id a plan refers to in merge commands (`intoId`) and callback task ids. */
export function demoAppealKey(index: number): string {
  return `demo-${index}`;
}

// ---------------------------------------------------------------------------------------------
// Time

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TZ = 8 * HOUR;

function localDay(t: number): number {
  return Math.floor((t + TZ) / DAY);
}
function localHour(t: number): number {
  return ((t + TZ) % DAY) / HOUR;
}
/** 0 = Sunday. 1970-01-01 was a Thursday. */
function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
function localMonth(t: number): number {
  return new Date(t + TZ).getUTCMonth();
}

/**
 * Default deadlines: the domain's default policy (emergency 30 min / 2 h, urgent 2 h / 24 h,
 * general: end of the 1st / n-th working day after the submission day) over a Monday–Friday
 * calendar. Holidays are the seeder's business; pass its calendar through `deadlines`.
 */
export const weekendDeadlines: DemoDeadlines = {
  compute({ createdAt, urgency, handleWorkingDays }) {
    if (urgency === 'emergency') return { responseDueAt: createdAt + 30 * MIN, handleDueAt: createdAt + 2 * HOUR };
    if (urgency === 'urgent') return { responseDueAt: createdAt + 2 * HOUR, handleDueAt: createdAt + DAY };
    const handleDueAt = addWeekdays(createdAt, handleWorkingDays);
    return { responseDueAt: Math.min(addWeekdays(createdAt, 1), handleDueAt), handleDueAt };
  },
  extend(dueAt, days) {
    return days === 0 ? dueAt : addWeekdays(dueAt, days);
  },
};

function addWeekdays(start: number, n: number): number {
  let day = localDay(start);
  const isWork = (d: number): boolean => {
    const w = dayOfWeek(d);
    return w !== 0 && w !== 6;
  };
  if (n === 0) {
    while (!isWork(day)) day++;
  } else {
    for (let i = 0; i < n; i++) {
      day++;
      while (!isWork(day)) day++;
    }
  }
  return (day + 1) * DAY - TZ - 1;
}

type Schedule = 'police' | 'office' | 'center';

function scheduleOf(type: UnitType): Schedule {
  return type === 'police_station' || type === 'police_bureau' ? 'police' : type === 'center' ? 'center' : 'office';
}

/** Moves t into the hours people of that kind actually work. */
function workTime(t: number, rng: Rng, schedule: Schedule): number {
  const h = localHour(t);
  const day = localDay(t);
  const morning = (d: number, from: number, spread: number): number => d * DAY - TZ + from * HOUR + rng.next() * spread * HOUR;
  switch (schedule) {
    case 'center':
      if (h >= 7.5 && h < 22) return t;
      return morning(h >= 22 ? day + 1 : day, 7.5, 1.5);
    case 'police':
      if ((h >= 7 && h < 23) || rng.chance(0.35)) return t;
      return morning(h >= 23 ? day + 1 : day, 7.5, 1.5);
    case 'office': {
      const w = dayOfWeek(day);
      const weekday = w !== 0 && w !== 6;
      if (weekday && h >= 8.5 && h < 17.5) return t;
      // Weekend duty (值班) handles a few.
      if (!weekday && h >= 9 && h < 17 && rng.chance(0.15)) return t;
      let d = weekday && h < 8.5 ? day : day + 1;
      while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d++;
      return morning(d, 8.5, 2.5);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The city's rhythm

// Relative volume per category (a 政法 intake: disputes and public order dominate).
const LEAF_WEIGHT: Record<string, number> = {
  'order.noise': 9, 'order.fight': 3, 'order.theft': 4, 'order.provocation': 2, 'order.vice': 1.5, 'order.hazard': 2.5, 'order.unlicensed': 3,
  'fraud.victim': 4, 'fraud.suspicious': 2.5, 'fraud.impersonation': 2,
  'dispute.neighbour': 7, 'dispute.family': 4, 'dispute.property': 5, 'dispute.land': 2.5, 'dispute.labour': 5, 'dispute.contract': 3,
  'dispute.damage': 2.5, 'dispute.relocation': 1.5, 'dispute.medical': 1, 'dispute.consumer': 2.5,
  'litigation.filing': 2.5, 'litigation.progress': 2, 'litigation.enforcement': 2.5, 'litigation.fees': 1,
  'procuratorate.food': 0.8, 'procuratorate.environment': 0.8, 'procuratorate.complaint': 0.8, 'procuratorate.filing': 0.6,
  'conduct.irregular': 1, 'conduct.delay': 1.2, 'conduct.attitude': 1, 'conduct.corruption': 0.4,
  'legal.aid': 2.5, 'legal.notary': 1.2, 'legal.lawyer': 0.6, 'legal.correction': 0.7, 'legal.resettlement': 0.5,
  'safety.fire': 2.5, 'safety.school': 1.5, 'safety.food': 1.5, 'safety.hazchem': 0.6,
  'suggestion.patrol': 1, 'suggestion.governance': 1, 'suggestion.law': 0.8, 'suggestion.traffic': 1,
};

// Month multipliers (Jan … Dec): summer nights are loud, wages are chased before the Spring Festival,
// fire risk peaks in winter, school safety at term start.
const SEASONS: Record<string, number[]> = {
  summer: [0.8, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.1, 1.0, 0.9, 0.8],
  wages: [1.8, 1.3, 0.8, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.2, 1.6],
  fraud: [1.2, 1.1, 0.9, 0.9, 1.0, 1.0, 0.9, 1.0, 1.0, 1.0, 1.3, 1.2],
  winter: [1.5, 1.4, 1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.5],
  school: [0.6, 0.7, 1.3, 1.1, 1.1, 0.9, 0.3, 0.4, 1.6, 1.2, 1.1, 1.0],
  family: [1.1, 1.5, 1.3, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 0.9, 1.0],
};
const LEAF_SEASON: Record<string, string> = {
  'order.noise': 'summer', 'order.fight': 'summer', 'order.unlicensed': 'summer', 'safety.food': 'summer',
  'dispute.labour': 'wages', 'legal.aid': 'wages',
  'fraud.victim': 'fraud', 'fraud.suspicious': 'fraud', 'fraud.impersonation': 'fraud',
  'safety.fire': 'winter', 'safety.hazchem': 'winter',
  'safety.school': 'school', 'suggestion.traffic': 'school',
  'dispute.family': 'family',
};
const URBAN_LEAVES = new Set(['order.noise', 'order.unlicensed', 'dispute.property', 'dispute.consumer', 'fraud.victim', 'fraud.impersonation', 'safety.fire', 'conduct.attitude', 'legal.notary', 'litigation.filing']);
const RURAL_LEAVES = new Set(['dispute.land', 'dispute.relocation', 'procuratorate.environment', 'order.vice', 'legal.resettlement']);

// Case-mix effect on satisfaction: some problems are hard to solve whoever handles them.
const CATEGORY_EFFECT: Record<string, number> = {
  'litigation.enforcement': -0.6, 'dispute.relocation': -0.5, 'dispute.labour': -0.3, 'procuratorate.filing': -0.5,
  'fraud.victim': -0.5, 'fraud.impersonation': -0.2, 'dispute.medical': -0.4, 'dispute.land': -0.3, 'conduct.delay': -0.3,
  'conduct.irregular': -0.3, 'conduct.corruption': -0.4, 'suggestion.patrol': 0.4, 'suggestion.governance': 0.4, 'suggestion.law': 0.5,
  'suggestion.traffic': 0.3, 'legal.notary': 0.3, 'legal.correction': 0.4, 'fraud.suspicious': 0.4, 'litigation.fees': 0.2,
};

// Volume by month, weekday (Sun…Sat) and hour.
const MONTH_VOLUME = [0.95, 0.85, 1.0, 1.0, 1.05, 1.1, 1.15, 1.1, 1.0, 0.95, 1.0, 1.0];
const DOW_VOLUME = [0.62, 1.08, 1.05, 1.02, 1.0, 0.98, 0.72];
const HOUR_VOLUME = [0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.2, 0.5, 1.1, 1.6, 1.7, 1.5, 1.0, 1.1, 1.5, 1.55, 1.45, 1.2, 0.9, 0.85, 0.95, 0.9, 0.6, 0.3];
// Lunar New Year's Day (Asia/Shanghai), for the Spring Festival lull.
const SPRING_FESTIVAL = ['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];

function holidayFactor(day: number): number {
  for (const s of SPRING_FESTIVAL) {
    const d0 = Math.floor(Date.parse(`${s}T00:00:00Z`) / DAY);
    if (day >= d0 - 2 && day <= d0 + 6) return 0.45;
  }
  const d = new Date(day * DAY);
  if (d.getUTCMonth() === 9 && d.getUTCDate() <= 7) return 0.6;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// Model: everything computed once per run

interface Episode {
  categoryId: string;
  street: DemoRegion;
  start: number;
  end: number;
  p: number;
  preset: Record<string, string>;
}

interface Model {
  idx: CityIndex;
  cats: Map<string, DemoCategory>;
  leaves: DemoCategory[];
  leafByMonth: WeightedTable<DemoCategory>[];
  streetsByLeaf: Map<string, WeightedTable<DemoRegion>>;
  catalogue: Map<string, string>;
  quality: Map<string, number>;
  centerOf: Map<string, DemoUnit>;
  committeeOf: Map<string, DemoUnit>;
  start: number;
  now: number;
  cumulative: Float64Array;
  binWeights: Float64Array;
  episodes: Episode[];
  deadlines: DemoDeadlines;
  frequentPool: number;
  seedKey: number;
}

/** Latent quality of each unit (≈ N(0,1)): speed, punctuality and ratings follow it. */
export function unitQualities(city: DemoCity): Map<string, number> {
  const r = new Rng(`quality:${city.seed}`);
  const out = new Map<string, number>();
  for (const u of city.units) out.set(u.id, Math.max(-2.5, Math.min(2.5, r.fork(u.id).normal())));
  return out;
}

function urbanity(street: DemoRegion, district: DemoRegion): number {
  const urbanDistrict = district.kind === 'district';
  switch (street.kind) {
    case 'subdistrict':
      return urbanDistrict ? 1 : 0.8;
    case 'town':
      return urbanDistrict ? 0.6 : 0.3;
    default:
      return 0.1;
  }
}

function buildModel(city: DemoCity, categories: readonly DemoCategory[], catalogue: readonly DispatchEntry[], opts: GenerateOptions): Model {
  const idx = indexCity(city);
  const root = new Rng(`appeals:${opts.seed}`);
  const leaves = leafCategories(categories);
  if (leaves.length === 0) throw new Error('no leaf categories');
  const cats = new Map(categories.map((c) => [c.id, c]));

  const leafByMonth = Array.from({ length: 12 }, (_, m) =>
    new WeightedTable(
      leaves,
      leaves.map((c) => (LEAF_WEIGHT[c.id] ?? 1) * (SEASONS[LEAF_SEASON[c.id] ?? '']?.[m] ?? 1)),
    ),
  );

  // Streets by category: population × how urban the problem is × a district's own temper.
  const districtTemper = new Map(idx.districts.map((d) => [d.code, root.fork(`temper:${d.code}`).logNormal(1, 0.25)]));
  const streetsByLeaf = new Map<string, WeightedTable<DemoRegion>>();
  for (const c of leaves) {
    const weights = idx.streets.map((s) => {
      const d = idx.regionByCode.get(s.parentCode as string) as DemoRegion;
      const u = urbanity(s, d);
      const fit = URBAN_LEAVES.has(c.id) ? 0.2 + u : RURAL_LEAVES.has(c.id) ? 1.2 - u : 1;
      return s.population * (0.6 + 0.6 * u) * fit * (districtTemper.get(d.code) ?? 1);
    });
    streetsByLeaf.set(c.id, new WeightedTable(idx.streets, weights));
  }

  const cat = new Map<string, string>();
  for (const e of catalogue) cat.set(`${e.categoryId}|${e.regionCode}`, e.unitId);

  const centerOf = new Map<string, DemoUnit>();
  const committeeOf = new Map<string, DemoUnit>();
  for (const d of idx.districts) {
    const center = idx.unitAt.get(`center@${d.code}`);
    const committee = idx.unitAt.get(`committee@${d.code}`);
    if (center) centerOf.set(d.code, center);
    if (committee) committeeOf.set(d.code, committee);
  }

  // Hourly intensity over the period, as a cumulative table for inverse-CDF sampling.
  const months = opts.months ?? 12;
  const start = opts.now - Math.round(months * 30.4375 * DAY);
  const bins = Math.max(1, Math.ceil((opts.now - start) / HOUR));
  const binWeights = new Float64Array(bins);
  const cumulative = new Float64Array(bins);
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    const t = start + b * HOUR;
    const day = localDay(t);
    const growth = 0.75 + 0.5 * (b / bins);
    const w = growth * (MONTH_VOLUME[localMonth(t)] ?? 1) * (DOW_VOLUME[dayOfWeek(day)] ?? 1) * (HOUR_VOLUME[Math.floor(localHour(t))] ?? 1) * holidayFactor(day);
    binWeights[b] = w;
    sum += w;
    cumulative[b] = sum;
  }

  // Hotspots: a bar, a construction site, a village … that draws many appeals for a few weeks.
  const episodes: Episode[] = [];
  const er = root.fork('hotspots');
  const prone: [string, string[]][] = [
    ['order.noise', ['bar', 'xq']],
    ['order.unlicensed', ['road', 'bbq']],
    ['dispute.labour', ['company', 'road', 'bossName']],
    ['dispute.property', ['xq', 'wy']],
    ['dispute.relocation', ['xq']],
    ['safety.fire', ['xq']],
    ['procuratorate.environment', ['factory', 'xq']],
    ['safety.food', ['market']],
    ['order.theft', ['xq']],
    ['fraud.impersonation', ['fakeOrg']],
  ];
  const spanDays = (opts.now - start) / DAY;
  const episodeCount = Math.max(4, Math.round(months * 0.9));
  for (let k = 0; k < episodeCount; k++) {
    const [cid, slots] = er.pick(prone);
    if (!cats.has(cid)) continue;
    const street = (streetsByLeaf.get(cid) as WeightedTable<DemoRegion>).pick(er);
    const durDays = er.int(15, 45);
    const s0 = start + er.next() * Math.max(0, opts.now - start - 10 * DAY);
    // Each episode gets ~0.4% of all appeals.
    const p = Math.min(0.35, (0.004 * spanDays) / durDays);
    const places = idx.placesByStreet.get(street.code) ?? [];
    const env: TextEnv = { street, district: idx.regionByCode.get(street.parentCode as string) as DemoRegion, places, createdAt: s0 };
    const probe = new T.TextContext(er.fork(k), env);
    const preset: Record<string, string> = {};
    for (const slot of slots) preset[slot] = probe.get(slot);
    episodes.push({ categoryId: cid, street, start: s0, end: s0 + durDays * DAY, p, preset });
  }

  return {
    idx,
    cats,
    leaves,
    leafByMonth,
    streetsByLeaf,
    catalogue: cat,
    quality: unitQualities(city),
    centerOf,
    committeeOf,
    start,
    now: opts.now,
    cumulative,
    binWeights,
    episodes,
    deadlines: opts.deadlines ?? weekendDeadlines,
    frequentPool: Math.max(20, Math.floor(opts.count / 10)),
    seedKey: root.key,
  };
}

// ---------------------------------------------------------------------------------------------
// The path of one appeal through the state machine

const HANDLING: ReadonlySet<AppealStatus> = new Set(['submitted', 'returned', 'dispatched', 'accepted', 'contacted']);

class Path {
  readonly steps: DemoStep[] = [];
  t: number;
  status: AppealStatus | null = null;
  unit: DemoUnit | null = null;
  respDue = 0;
  handleDue = 0;
  contacted = false;
  respMarked = false;
  handleMarked = false;
  respLate = false;
  handleLate = false;

  constructor(
    private readonly rng: Rng,
    private readonly m: Model,
    private readonly district: DemoRegion,
    start: number,
  ) {
    this.t = start;
  }

  private dispatcherUnit(): string | null {
    return this.m.centerOf.get(this.district.code)?.id ?? null;
  }

  private actor(role: DemoRole, unitId?: string | null): string | null {
    if (unitId !== undefined) return unitId;
    switch (role) {
      case 'handler':
        return this.unit?.id ?? null;
      case 'dispatcher':
        return this.dispatcherUnit();
      case 'leader':
        return this.m.committeeOf.get(this.district.code)?.id ?? null;
      default:
        return null;
    }
  }

  /** Appends a step at or after `at` (never before the previous one), marking overdue first. */
  push(at: number, role: DemoRole, command: DemoCommand, actorUnitId?: string | null): number {
    at = Math.round(at);
    if (this.status !== null) {
      this.overdueBefore(Math.max(at, this.t + 1000));
      at = Math.max(at, this.t + 1000);
    }
    this.steps.push({ at, role, actorUnitId: this.actor(role, actorUnitId), command });
    this.t = at;
    this.apply(command);
    return at;
  }

  /** The scheduler's view: deadlines that passed before `before` while the appeal was held. */
  private overdueBefore(before: number): void {
    for (;;) {
      if (this.status === null || !HANDLING.has(this.status)) return;
      const resp = !this.contacted && !this.respMarked && this.respDue < before ? this.respDue : Infinity;
      const handle = !this.handleMarked && this.handleDue < before ? this.handleDue : Infinity;
      const due = Math.min(resp, handle);
      if (due === Infinity) return;
      const kind: 'response' | 'handle' = resp <= handle ? 'response' : 'handle';
      const markAt = Math.round(Math.max(this.t + 1000, due + this.rng.int(1, 10) * MIN));
      this.steps.push({ at: markAt, role: 'system', actorUnitId: null, command: { action: 'mark_overdue', payload: { kind, dueAt: due } } });
      this.t = markAt;
      if (kind === 'response') {
        this.respMarked = true;
        this.respLate = true;
      } else {
        this.handleMarked = true;
        this.handleLate = true;
      }
      const parent = this.unit?.parentId ?? this.m.committeeOf.get(this.district.code)?.id ?? null;
      const supAt = this.t + this.rng.int(1, 5) * MIN;
      this.steps.push({
        at: supAt,
        role: 'system',
        actorUnitId: null,
        command: {
          action: 'supervise',
          payload: { note: T.superviseNote(this.rng, kind === 'response' ? 'automatic-response' : 'automatic-handle', this.unit), byUnitId: parent, automatic: true },
        },
      });
      this.t = supAt;
    }
  }

  /** Mirrors the state machine's status changes (machine.ts) for the actions used here. */
  private apply(cmd: DemoCommand): void {
    switch (cmd.action) {
      case 'submit':
        this.status = 'submitted';
        break;
      case 'dispatch':
        this.status = 'dispatched';
        this.unit = this.m.idx.unitById.get(cmd.payload.unitId) ?? null;
        break;
      case 'transfer':
        this.status = 'dispatched';
        this.unit = this.m.idx.unitById.get(cmd.payload.unitId) ?? null;
        break;
      case 'accept':
        this.status = 'accepted';
        break;
      case 'return':
        this.status = 'returned';
        this.unit = null;
        break;
      case 'contact':
        if (this.status === 'accepted') this.status = 'contacted';
        this.contacted = true;
        break;
      case 'reply':
        this.status = 'replied';
        this.contacted = true;
        break;
      case 'rate':
      case 'close':
        this.status = 'closed';
        break;
      case 'reopen':
        this.status = 'dispatched';
        this.contacted = false;
        this.respMarked = false;
        this.handleMarked = false;
        this.respLate = false;
        this.handleLate = false;
        break;
      case 'merge':
        this.status = 'merged';
        break;
      case 'redirect':
        this.status = 'redirected';
        break;
      case 'decide_unreasonable':
        if (cmd.payload.approved) this.status = 'unreasonable';
        break;
      default:
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Plans

interface Recent {
  index: number;
  textKey: number;
  createdAt: number;
  citizenIdx: number;
  preset: Record<string, string> | undefined;
}

const REDIRECTS: Record<string, [RedirectChannel, number][]> = {
  'dispute.labour': [['arbitration', 1]],
  'dispute.contract': [['litigation', 1]],
  'dispute.damage': [['litigation', 1]],
  'dispute.family': [['litigation', 1]],
  'dispute.land': [['litigation', 0.5], ['petition', 0.5]],
  'dispute.relocation': [['reconsideration', 0.5], ['petition', 0.5]],
  'dispute.consumer': [['litigation', 1]],
  'dispute.medical': [['litigation', 1]],
  'litigation.filing': [['litigation', 1]],
  'litigation.progress': [['litigation', 1]],
  'litigation.enforcement': [['litigation', 1]],
  'procuratorate.complaint': [['litigation', 0.5], ['petition', 0.5]],
  'procuratorate.filing': [['petition', 1]],
  'conduct.irregular': [['reconsideration', 0.6], ['petition', 0.4]],
  'conduct.delay': [['petition', 1]],
  'conduct.attitude': [['petition', 1]],
  'conduct.corruption': [['petition', 1]],
  'order.provocation': [['reconsideration', 1]],
  'order.fight': [['reconsideration', 1]],
  'legal.lawyer': [['litigation', 1]],
};
const REDIRECT_RATE: Record<string, number> = { dispute: 0.035, litigation: 0.03, procuratorate: 0.03, conduct: 0.06, order: 0.008, legal: 0.02 };
const EXTENSION_RATE: Record<string, number> = { dispute: 0.11, litigation: 0.07, procuratorate: 0.08, conduct: 0.06, legal: 0.04, safety: 0.05, order: 0.04, fraud: 0.03, suggestion: 0.06 };
/** Units a dispatcher may wrongly send to (not its own 综治中心 or the 政法委). */
const MISROUTABLE: ReadonlySet<UnitType> = new Set(['police_station', 'justice_office', 'tribunal', 'court', 'procuratorate', 'justice_bureau', 'mediation']);
const EMERGENCY_CATS = [...new Set(EMERGENCIES.map((e) => e.categoryId))];

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function ratingFromScore(z: number): RatingLevel {
  if (z > 0.3) return 5;
  if (z > -0.4) return 4;
  if (z > -1.0) return 3;
  if (z > -1.6) return 2;
  return 1;
}

function solvedFromScore(s: number): Solved {
  return s > -0.5 ? 'yes' : s > -1.3 ? 'partly' : 'no';
}

export function* generateAppealPlans(
  city: DemoCity,
  categories: readonly DemoCategory[],
  catalogue: readonly DispatchEntry[],
  opts: GenerateOptions,
): Generator<AppealPlan, void, undefined> {
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new RangeError(`count must be a non-negative integer, got ${opts.count}`);
  if (opts.count === 0) return;
  const m = buildModel(city, categories, catalogue, opts);
  const recent = new Map<string, Recent>();
  const citizenRoot = new Rng(mixKeys(m.seedKey, 0xc171_2e17));
  let bin = 0;
  const total = m.cumulative[m.cumulative.length - 1] as number;

  for (let i = 0; i < opts.count; i++) {
    const r = Rng.fromKey(mixKeys(m.seedKey, i));
    // Stratified inverse-CDF sampling: createdAt increases with the index.
    const x = ((i + r.next()) / opts.count) * total;
    while (bin < m.cumulative.length - 1 && (m.cumulative[bin] as number) <= x) bin++;
    const before = bin > 0 ? (m.cumulative[bin - 1] as number) : 0;
    const w = m.binWeights[bin] as number;
    const frac = w > 0 ? Math.min(0.999999, (x - before) / w) : 0;
    const createdAt = Math.min(opts.now, Math.floor(m.start + (bin + frac) * HOUR));
    yield planOne(m, i, createdAt, r, recent, citizenRoot);
  }
}

function planOne(m: Model, index: number, createdAt: number, r: Rng, recent: Map<string, Recent>, citizenRoot: Rng): AppealPlan {
  const month = localMonth(createdAt);

  // What and where.
  let leaf: DemoCategory;
  let street: DemoRegion;
  let preset: Record<string, string> | undefined;
  const episode = m.episodes.find((e) => createdAt >= e.start && createdAt < e.end && m.cats.has(e.categoryId));
  const emergency = r.chance(0.008);
  if (emergency) {
    leaf = m.cats.get(r.pick(EMERGENCY_CATS)) ?? (m.leafByMonth[month] as WeightedTable<DemoCategory>).pick(r);
    street = (m.streetsByLeaf.get(leaf.id) as WeightedTable<DemoRegion>).pick(r);
  } else if (episode && r.chance(episode.p)) {
    leaf = m.cats.get(episode.categoryId) as DemoCategory;
    street = episode.street;
    preset = episode.preset;
  } else {
    leaf = (m.leafByMonth[month] as WeightedTable<DemoCategory>).pick(r);
    street = (m.streetsByLeaf.get(leaf.id) as WeightedTable<DemoRegion>).pick(r);
  }

  // Who: most citizens write once; a pool of regulars writes again and again, mostly about home.
  let citizenIdx: number;
  if (r.chance(0.16)) {
    const u = r.next();
    citizenIdx = Math.floor(m.frequentPool * u * Math.sqrt(u));
  } else {
    citizenIdx = m.frequentPool + index;
  }
  if (!emergency && !preset && citizenIdx < m.frequentPool && !URBAN_LEAVES.has(leaf.id) && !RURAL_LEAVES.has(leaf.id)) {
    const home = citizenRoot.fork(citizenIdx).fork('home');
    if (home.chance(0.7)) street = m.idx.streets[Math.floor(home.next() * m.idx.streets.length)] as DemoRegion;
  }

  // Duplicates: the same problem again within two weeks, often by the same person.
  const key = `${leaf.id}|${street.code}`;
  const prev = recent.get(key);
  const duplicate = !emergency && prev !== undefined && createdAt - prev.createdAt < 14 * DAY && r.chance(0.3);
  if (duplicate && prev) {
    preset = prev.preset;
    if (r.chance(0.6)) citizenIdx = prev.citizenIdx;
  }
  const cr = citizenRoot.fork(citizenIdx);
  const person = personName(cr);
  const phone = mobilePhone(cr);
  const district = m.idx.regionByCode.get(street.parentCode as string) as DemoRegion;
  const places = m.idx.placesByStreet.get(street.code) ?? [];

  // Text (a duplicate replays the earlier appeal's text stream).
  const textRng = duplicate && prev ? Rng.fromKey(prev.textKey) : r.fork('text');
  const textKey = textRng.key;
  const env: TextEnv = { street, district, places, createdAt: duplicate && prev ? prev.createdAt : createdAt };
  const text = T.composeAppeal(textRng, leaf.id, env, { emergency, duplicate, preset });
  const ctx = text.ctx;
  if (!emergency && !duplicate) recent.set(key, { index, textKey, createdAt, citizenIdx, preset });

  // Channel and form.
  const h = localHour(createdAt);
  const night = h < 7 || h >= 22;
  const channel: Channel = emergency
    ? 'hotline'
    : r.weighted<Channel>(['web', 'hotline', 'open311', 'import', 'api'], night ? [0.62, 0.28, 0.05, 0.0, 0.05] : [0.4, 0.42, 0.06, 0.04, 0.08]);
  const anonymous = !emergency && r.chance(channel === 'hotline' ? 0.04 : 0.13);
  const type: AppealType = text.type ?? leaf.defaultAppealType;
  const urgency: Urgency = emergency ? 'emergency' : leaf.urgency === 'urgent' || r.chance(0.015) ? 'urgent' : 'general';

  const pr = r.fork('path');
  const path = new Path(pr, m, district, createdAt);
  const rightUnitId = m.catalogue.get(`${leaf.id}|${street.code}`) ?? m.catalogue.get(`${leaf.id}|${district.code}`) ?? m.centerOf.get(district.code)?.id;
  const rightUnit = rightUnitId ? (m.idx.unitById.get(rightUnitId) ?? null) : null;

  // Submission: the category as first recorded may be missing or wrong; triage corrects it.
  let submittedCategory: string | null = leaf.id;
  const cr2 = pr.fork('category');
  if (channel === 'open311' ? cr2.chance(0.4) : channel === 'hotline' ? cr2.chance(0.08) : cr2.chance(0.22)) submittedCategory = null;
  else if (cr2.chance(0.07)) {
    const siblings = m.leaves.filter((c) => c.parentId === leaf.parentId && c.id !== leaf.id);
    submittedCategory = siblings.length > 0 ? cr2.pick(siblings).id : cr2.pick(m.leaves).id;
  }
  const submitRole: DemoRole = channel === 'hotline' ? 'dispatcher' : channel === 'web' || channel === 'open311' ? 'citizen' : 'system';
  const deadlines = m.deadlines.compute({ createdAt, urgency, handleWorkingDays: leaf.handleWorkingDays });
  path.respDue = deadlines.responseDueAt;
  path.handleDue = deadlines.handleDueAt;
  path.push(createdAt, submitRole, { action: 'submit', payload: { type, urgency, channel, categoryId: submittedCategory } }, submitRole === 'dispatcher' ? undefined : null);

  const citizenName = person.name;
  const hon = anonymous ? null : honorific(person);
  const plan: AppealPlan = {
    index,
    createdAt,
    regionCode: street.code,
    address: text.address,
    citizen: { name: citizenName, phone, anonymous },
    channel,
    type,
    urgency,
    categoryId: leaf.id,
    title: text.title,
    body: text.body,
    steps: path.steps,
    unitId: null,
    mergedIntoIndex: null,
  };

  if (emergency) {
    path.push(createdAt + pr.int(1, 6) * MIN, 'dispatcher', { action: 'redirect', payload: { channel: 'police110', guidance: T.redirectGuidance(pr, 'police110', leaf.id, { district }) } });
    return finish(plan, path, m.now);
  }
  if (!rightUnit) return finish(plan, path, m.now);

  const urgent = urgency !== 'general';
  const triage = (t: number): number => (urgent ? t + pr.logNormal(10 * MIN, 0.6) : workTime(t + pr.logNormal(40 * MIN, 1.0), pr, 'center'));

  // Duplicates are mostly merged into the earlier appeal at triage.
  if (duplicate && prev && pr.chance(0.75)) {
    plan.mergedIntoIndex = prev.index;
    path.push(triage(createdAt), 'dispatcher', { action: 'merge', payload: { intoId: demoAppealKey(prev.index), note: T.mergeNote(pr) } });
    return finish(plan, path, m.now);
  }

  const group = leaf.parentId ?? leaf.id;
  const redirectOptions = REDIRECTS[leaf.id];
  const redirectRate = redirectOptions ? (REDIRECT_RATE[group] ?? 0) : 0;
  const pickRedirect = (): RedirectChannel => pr.weighted(redirectOptions!.map((o) => o[0]), redirectOptions!.map((o) => o[1]));

  // Triage may send it straight to its statutory channel.
  if (pr.chance(redirectRate * 0.5)) {
    const ch = pickRedirect();
    path.push(triage(createdAt), 'dispatcher', { action: 'redirect', payload: { channel: ch, guidance: T.redirectGuidance(pr, ch, leaf.id, { district }) } });
    return finish(plan, path, m.now);
  }

  const dispatchCat = submittedCategory === leaf.id ? undefined : leaf.id;
  const q = m.quality.get(rightUnit.id) ?? 0;

  // Misrouting: a wrong type of unit (returned), or the neighbouring jurisdiction (transferred).
  const misroute = pr.next();
  let wrongUnit: DemoUnit | null = null;
  let mode: 'return' | 'transfer' | null = null;
  if (misroute < 0.05) {
    const other = m.leaves.filter((c) => c.parentId !== leaf.parentId);
    for (let k = 0; k < 4 && !wrongUnit; k++) {
      const c = pr.pick(other);
      const id = m.catalogue.get(`${c.id}|${street.code}`);
      const u = id ? m.idx.unitById.get(id) : undefined;
      if (u && u.id !== rightUnit.id && u.type !== rightUnit.type && MISROUTABLE.has(u.type)) wrongUnit = u;
    }
    if (wrongUnit) mode = 'return';
  } else if (misroute < 0.09 && (rightUnit.type === 'police_station' || rightUnit.type === 'justice_office' || rightUnit.type === 'tribunal')) {
    const siblings = m.idx.streets.filter((s) => s.parentCode === district.code && s.code !== street.code);
    for (let k = 0; k < 4 && !wrongUnit && siblings.length > 0; k++) {
      const s = pr.pick(siblings);
      const id = m.catalogue.get(`${leaf.id}|${s.code}`);
      const u = id ? m.idx.unitById.get(id) : undefined;
      if (u && u.id !== rightUnit.id && u.type === rightUnit.type) wrongUnit = u;
    }
    if (wrongUnit) mode = 'transfer';
  }

  let t = triage(createdAt);
  path.push(t, 'dispatcher', { action: 'dispatch', payload: { unitId: (wrongUnit ?? rightUnit).id, categoryId: dispatchCat, note: T.dispatchNote(pr, type) } });

  const delay = (median: number, sigma: number, unit: DemoUnit, quality: number): number => {
    const base = pr.logNormal(median * Math.exp(-0.45 * quality) * (urgent ? 0.15 : 1), sigma);
    return urgent && scheduleOf(unit.type) !== 'office' ? path.t + base : workTime(path.t + base, pr, scheduleOf(unit.type));
  };

  if (wrongUnit && mode === 'return') {
    const wq = m.quality.get(wrongUnit.id) ?? 0;
    if (pr.chance(0.5)) path.push(delay(1.5 * HOUR, 1.0, wrongUnit, wq), 'handler', { action: 'accept', payload: { note: null } });
    path.push(delay(2 * HOUR, 1.0, wrongUnit, wq), 'handler', { action: 'return', payload: { reason: T.returnReason(pr, leaf.id, wrongUnit, rightUnit) } });
    t = triage(path.t);
    path.push(t, 'dispatcher', { action: 'dispatch', payload: { unitId: rightUnit.id, categoryId: dispatchCat === undefined ? undefined : leaf.id, note: null } });
  } else if (wrongUnit && mode === 'transfer') {
    const wq = m.quality.get(wrongUnit.id) ?? 0;
    if (pr.chance(0.7)) path.push(delay(1.5 * HOUR, 1.0, wrongUnit, wq), 'handler', { action: 'accept', payload: { note: null } });
    path.push(delay(2 * HOUR, 1.0, wrongUnit, wq), 'handler', {
      action: 'transfer',
      payload: { unitId: rightUnit.id, reason: T.transferReason(pr, ctx.primaryPlace?.name ?? null, street, rightUnit) },
    });
  }

  // Handling rounds: accept, contact, maybe extension, reply, rating; a bad rating may reopen.
  const supervised = pr.chance(group === 'conduct' ? 0.12 : 0.025);
  for (let round = 1; round <= 3; round++) {
    const rq = q + (round > 1 ? 0.4 : 0);
    path.push(delay(1.5 * HOUR, 1.0, rightUnit, rq), 'handler', { action: 'accept', payload: { note: null } });

    // Redirected by the handler once the facts are known.
    if (round === 1 && pr.chance(redirectRate * 0.5)) {
      const ch = pickRedirect();
      path.push(delay(4 * HOUR, 1.0, rightUnit, rq), 'handler', { action: 'redirect', payload: { channel: ch, guidance: T.redirectGuidance(pr, ch, leaf.id, { district }) } });
      break;
    }

    const skipContact = pr.chance(0.03 * Math.exp(-0.7 * rq));
    if (!skipContact) {
      const slow = pr.chance(sigmoid(-3.4 - 1.1 * rq));
      let at = slow ? workTime(Math.max(path.t, path.respDue) + pr.logNormal(6 * HOUR, 0.8), pr, scheduleOf(rightUnit.type)) : delay(1.5 * HOUR, 0.9, rightUnit, rq);
      // Handlers watch the response clock: most call before it runs out.
      if (!slow && at > path.respDue - 10 * MIN && path.respDue > path.t + 20 * MIN && pr.chance(sigmoid(2 + rq))) {
        at = path.t + (path.respDue - path.t) * pr.float(0.2, 0.9);
      }
      const method = pr.weighted<'phone' | 'visit' | 'sms' | 'other'>(['phone', 'visit', 'sms', 'other'], [0.72, 0.16, 0.08, 0.04]);
      path.push(at, 'handler', { action: 'contact', payload: { method, note: T.contactNote(pr, method) } });
    }

    if (round === 1 && supervised) {
      const leader = pr.chance(0.6);
      const byUnit = leader ? (m.committeeOf.get(district.code) ?? null) : (m.centerOf.get(district.code) ?? null);
      path.push(path.t + pr.logNormal(10 * HOUR, 0.8), leader ? 'leader' : 'dispatcher', {
        action: 'supervise',
        payload: { note: T.superviseNote(pr, leader ? 'leader' : 'dispatcher', rightUnit), byUnitId: byUnit?.id ?? null, automatic: false },
      });
    }

    // 不合理诉求: flagged by the handler, decided by a leader.
    if (round === 1 && pr.chance(group === 'conduct' || group === 'dispute' ? 0.02 : 0.008)) {
      path.push(delay(8 * HOUR, 0.8, rightUnit, rq), 'handler', { action: 'flag_unreasonable', payload: { reason: T.unreasonableReason(pr) } });
      const approved = pr.chance(0.7);
      path.push(workTime(path.t + pr.logNormal(20 * HOUR, 0.7), pr, 'office'), 'leader', {
        action: 'decide_unreasonable',
        payload: { approved, note: T.unreasonableDecisionNote(pr, approved) },
      });
      if (approved) break;
    }

    // 延期.
    let extension: 'approved' | 'rejected' | null = null;
    if (pr.chance((EXTENSION_RATE[group] ?? 0.04) * Math.exp(-0.2 * rq)) && path.handleDue > path.t + 2 * HOUR) {
      const reqAt = path.t + (path.handleDue - path.t) * pr.float(0.3, 0.85);
      const days = Math.min(15, Math.max(1, pr.pick([3, 5, 5, 5, 7, 10, 15])));
      path.push(reqAt, 'handler', { action: 'request_extension', payload: { days, reason: T.extensionReason(pr, leaf.id) } });
      const approved = pr.chance(0.8);
      const byLeader = pr.chance(0.3);
      const decideAt = workTime(path.t + pr.logNormal(5 * HOUR, 0.8), pr, 'center');
      const decidedAt = path.push(decideAt, byLeader ? 'leader' : 'dispatcher', {
        action: 'decide_extension',
        payload: { approved, note: T.extensionDecisionNote(pr, approved) },
      });
      if (approved) {
        // As the machine does: a new deadline still ahead clears the overdue flag.
        path.handleDue = m.deadlines.extend(path.handleDue, days);
        if (path.handleDue > decidedAt) path.handleMarked = false;
      }
      extension = approved ? 'approved' : 'rejected';
    }

    // Reply: on time for most, late for weak units.
    const lateP = sigmoid(-2.8 - 1.2 * rq) * (extension === 'approved' ? 0.5 : extension === 'rejected' ? 1.5 : 1);
    let replyAt: number;
    if (pr.chance(lateP) || path.handleDue <= path.t) {
      replyAt = workTime(Math.max(path.t, path.handleDue) + pr.logNormal(1.5 * DAY * Math.exp(-0.3 * rq), 0.8), pr, scheduleOf(rightUnit.type));
    } else {
      const window = path.handleDue - path.t;
      const frac = Math.pow(pr.next(), Math.exp(0.45 * rq)) * 0.92;
      const raw = path.t + window * frac;
      const shifted = urgent ? raw : workTime(raw, pr, scheduleOf(rightUnit.type));
      replyAt = shifted < path.handleDue ? shifted : raw < path.handleDue ? raw : path.handleDue - pr.int(10, 120) * MIN;
      if (replyAt <= path.t) replyAt = path.t + pr.int(5, 60) * MIN;
    }

    // The outcome is known to the handler when replying; the rating follows from it.
    const late = path.handleLate || replyAt > path.handleDue;
    const respLate = path.respLate || (!path.contacted && path.respDue < replyAt);
    const z =
      0.85 * rq +
      pr.normal(0, 0.9) +
      (CATEGORY_EFFECT[leaf.id] ?? 0) +
      (type === 'consult' || type === 'suggestion' ? 0.3 : 0) +
      0.5 -
      (late ? 1.1 : 0) -
      (respLate ? 0.5 : 0) -
      (skipContact ? 0.7 : 0) -
      (extension === 'rejected' ? 0.3 : 0) -
      (wrongUnit ? 0.35 : 0) +
      (round > 1 ? 0.3 : 0);
    const solved = solvedFromScore(z + pr.normal(0, 0.5));
    const outcome: Outcome = solved === 'yes' ? 'good' : solved === 'partly' ? 'partial' : 'bad';
    const replyText = T.composeReply(ctx, { categoryId: leaf.id, unit: rightUnit, at: replyAt, round, outcome, honorific: hon, type });
    replyAt = path.push(replyAt, 'handler', { action: 'reply', payload: { text: replyText } });

    // Rating: ~70% by the citizen on the web; the rest through 回访, some never reached.
    const level = ratingFromScore(z);
    const contactedAnswer = skipContact ? pr.chance(0.3) : pr.chance(0.97);
    const callbackAt = Math.max(replyAt + DAY, path.handleDue);
    const webAt = replyAt + pr.logNormal(5 * HOUR, 1.3);
    let rated = false;
    if (pr.chance(0.7) && webAt < callbackAt) {
      path.push(webAt, 'citizen', {
        action: 'rate',
        payload: { level, solved, contacted: contactedAnswer, channel: 'web', comment: T.ratingComment(ctx, level, 'web', rightUnit) },
      });
      rated = true;
    } else {
      const cbAt = Math.round(workTime(callbackAt, pr, 'center'));
      path.push(cbAt, 'system', { action: 'schedule_callback', payload: { taskId: `${demoAppealKey(index)}-cb${round}`, dueAt: cbAt + 2 * DAY } });
      if (pr.chance(0.62)) {
        path.push(workTime(cbAt + pr.logNormal(20 * HOUR, 0.8), pr, 'center'), 'dispatcher', {
          action: 'rate',
          payload: { level, solved, contacted: contactedAnswer, channel: 'callback', comment: T.ratingComment(ctx, level, 'callback', rightUnit) },
        });
        rated = true;
      } else {
        path.push(workTime(cbAt + pr.float(2, 4) * DAY, pr, 'center'), 'dispatcher', { action: 'close', payload: { reason: T.closeReason(pr) } });
      }
    }
    if (!rated || level > 2 || solved === 'yes') break;

    // A bad rating: reopened (重办), or the unit appeals the rating (申诉复核).
    if (round < 3 && pr.chance(0.55)) {
      // Deadlines run from the reopening, as the seeder computes them from the step's time.
      const at = path.push(workTime(path.t + pr.logNormal(20 * HOUR, 0.8), pr, 'center'), 'dispatcher', { action: 'reopen', payload: { reason: T.reopenReason(pr) } });
      const d = m.deadlines.compute({ createdAt: at, urgency, handleWorkingDays: leaf.handleWorkingDays });
      path.respDue = d.responseDueAt;
      path.handleDue = d.handleDueAt;
      continue;
    }
    if (pr.chance(0.15)) {
      path.push(workTime(path.t + pr.logNormal(1.5 * DAY, 0.6), pr, 'office'), 'handler', { action: 'appeal_rating', payload: { reason: T.ratingAppealReason(pr) } });
      const upheld = pr.chance(0.3);
      path.push(workTime(path.t + pr.logNormal(3 * DAY, 0.5), pr, 'office'), 'leader', {
        action: 'decide_rating_appeal',
        payload: { upheld, note: T.ratingAppealDecisionNote(pr, upheld) },
      });
    }
    break;
  }
  return finish(plan, path, m.now);
}

/** Drops the steps after `now` (the appeal stays open where it stands) and records the holder. */
function finish(plan: AppealPlan, path: Path, now: number): AppealPlan {
  const steps = path.steps;
  let n = steps.length;
  while (n > 0 && (steps[n - 1] as DemoStep).at > now) n--;
  steps.length = n;
  let unitId: string | null = null;
  for (const s of steps) {
    if (s.command.action === 'dispatch' || s.command.action === 'transfer') unitId = s.command.payload.unitId;
    else if (s.command.action === 'return') unitId = null;
  }
  plan.unitId = unitId;
  return plan;
}

