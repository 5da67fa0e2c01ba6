// Writes the demo city into an empty database: units, regions, categories, the dispatch catalogue,
// staff accounts, and N appeals with their full event histories, generated deterministically by
// src/demo and replayed through the real state machine and working-day calendar, in bulk.
import { createHash } from 'node:crypto';
import { computeDeadlines, extendDeadline } from '../domain/calendar/index.ts';
import { execute } from '../domain/appeal/machine.ts';
import type { AppealEvent, Command } from '../domain/appeal/events.ts';
import { DEFAULT_HANDLE_DAYS, type AppealState } from '../domain/appeal/types.ts';
import { pathOf } from '../domain/access/scope.ts';
import type { Role } from '../domain/access/roles.ts';
import {
  demoAppealKey,
  demoCategories,
  dispatchCatalogue,
  generateAppealPlans,
  generateCity,
  leafCategories,
  type AppealPlan,
  type DemoStep,
} from '../demo/index.ts';
import { DomainError } from '../lib/errors.ts';
import { hashPassword } from '../lib/password.ts';
import { eventToRow, stateColumns } from '../store/repositories/appeals.ts';
import { repos } from '../store/repositories/index.ts';
import type { AppealTable, OrgUnitTable, RatingTable, TaskTable } from '../store/schema.ts';
import type { Services } from './index.ts';
import type { Actor } from '../domain/appeal/types.ts';
import { addMonths, ensurePartitions, maintainPartitions, monthOf } from '../store/partitions.ts';
import { rebuildScoreFacts } from './scoring/projector.ts';
import { appealPlaceIndex } from './appeals/place.ts';

/** The demo staff accounts (demo mode only; a production start never creates them). */
export const DEMO_ACCOUNTS: { username: string; password: string; role: Role; label: string }[] = [
  { username: 'dispatcher', password: 'Demo@2026', role: 'dispatcher', label: '派单员 · 市综治中心 (dispatcher)' },
  { username: 'handler', password: 'Demo@2026', role: 'handler', label: '承办人 · 派出所 (handler)' },
  { username: 'leader', password: 'Demo@2026', role: 'leader', label: '领导 · 市委政法委 (leader)' },
  { username: 'admin', password: 'Demo@2026', role: 'sysadmin', label: '系统管理员 (system admin)' },
  { username: 'security', password: 'Demo@2026', role: 'secadmin', label: '安全管理员 (security admin)' },
  { username: 'auditor', password: 'Demo@2026', role: 'auditor', label: '安全审计员 (auditor)' },
];

export interface SeedOptions {
  appeals: number;
  seed: number;
  now?: number;
  months?: number;
  progress?: boolean;
  createUsers?: boolean;
  /** Compute the text insights and hotspots of the seeded appeals (default true; benchmarks of other parts turn it off). */
  analyzeText?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
  units: number;
  categories: number;
  appeals: number;
  events: number;
  ratings: number;
  skippedSteps: number;
  ms: number;
}

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Deterministic, unique tracking code per plan index (a bijection of the index mod 31^6). */
function demoTrackingCode(index: number, createdAt: number): string {
  const space = 31 ** 6;
  let x = (index * 387_420_489 + 12_345) % space;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = ALPHABET[x % 31] + s;
    x = Math.floor(x / 31);
  }
  const d = new Date(createdAt + 8 * 3600_000);
  return `MB${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}-${s}`;
}

/** Deterministic ULID-shaped id: the creation time, then a hash of seed and index. */
function demoAppealId(seed: number, index: number, createdAt: number): string {
  let t = createdAt;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const h = createHash('sha1').update(`${seed}:${index}`).digest();
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[h[i]! % 32];
  return time + rand;
}

export async function seedDemo(s: Services, opts: SeedOptions): Promise<SeedReport> {
  const t0 = Date.now();
  const now = opts.now ?? s.ctx.now();
  const db = s.ctx.db;
  // PostgreSQL: the months about to be written get their partitions first (rows go straight to them).
  if (s.ctx.handle.dialect === 'postgres') await ensurePartitions(db, addMonths(monthOf(now), -((opts.months ?? 12) + 1)), addMonths(monthOf(now), 2));
  const city = generateCity(opts.seed);
  const categories = demoCategories();
  const catalogue = dispatchCatalogue(city, categories);

  // Org, regions, categories, catalogue.
  const paths = new Map<string, string>();
  const byId = new Map(city.units.map((u) => [u.id, u]));
  const pathFor = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const u = byId.get(id)!;
    const p = pathOf(u.parentId ? pathFor(u.parentId) : null, id);
    paths.set(id, p);
    return p;
  };
  const unitRows: OrgUnitTable[] = city.units.map((u) => ({
    id: u.id,
    parent_id: u.parentId,
    name: u.name,
    short_name: u.shortName,
    type: u.type,
    level: u.level,
    region_code: u.regionCode,
    population: u.population,
    peer_group: u.peerGroup,
    path: pathFor(u.id),
    active: 1,
    created_at: now,
  }));
  // Parents first, for the foreign key.
  unitRows.sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  await db.transaction().execute(async (trx) => {
    await repos.org.insert(trx, unitRows);
    await repos.org.insertRegions(
      trx,
      city.regions.map((r) => ({ code: r.code, name: r.name, parent_code: r.parentCode, level: r.level, short_names: JSON.stringify(r.shortNames), aliases: JSON.stringify(r.aliases) })),
    );
    const sorted = [...categories].sort((a, b) => (a.parentId === null ? 0 : 1) - (b.parentId === null ? 0 : 1));
    await repos.categories.insert(
      trx,
      sorted.map((c, i) => ({
        id: c.id,
        parent_id: c.parentId,
        name: c.name,
        name_en: c.nameEn,
        default_unit_type: c.defaultUnitType,
        handle_days: c.handleWorkingDays,
        urgency: c.urgency,
        default_type: c.defaultAppealType,
        sort: i,
        active: 1,
      })),
    );
    await repos.org.upsertCatalogue(trx, catalogue.map((e) => ({ category_id: e.categoryId, region_code: e.regionCode, unit_id: e.unitId })));
  });
  await s.org.refresh();

  // Staff: the listed demo accounts, plus one named (but sign-in disabled) handler per unit so the
  // histories have real actors.
  const root = city.units.find((u) => u.parentId === null)!;
  const cityCenter = city.units.find((u) => u.type === 'center' && u.parentId === root.id)!;
  const firstStation = city.units.find((u) => u.type === 'police_station')!;
  const actorByUnitRole = new Map<string, string>();
  const staffRows = city.units.map((u) => ({
    id: `staff-${u.id}`,
    username: `staff.${u.id}`,
    display_name: `${u.shortName}工作人员`,
    password_hash: '!disabled',
    unit_id: u.id,
    roles: u.type === 'center' ? 'dispatcher' : u.type === 'committee' ? 'leader' : 'handler',
    active: 1,
    must_change_password: 0,
    failed_logins: 0,
    locked_until: null,
    password_changed_at: now,
    created_at: now,
  }));
  for (let i = 0; i < staffRows.length; i += 200) await db.insertInto('users').values(staffRows.slice(i, i + 200)).execute();
  for (const u of city.units) actorByUnitRole.set(u.id, `staff-${u.id}`);
  if (opts.createUsers) {
    const unitFor: Record<Role, string> = { dispatcher: cityCenter.id, handler: firstStation.id, leader: root.id, sysadmin: root.id, secadmin: root.id, auditor: root.id };
    const hash = await hashPassword(DEMO_ACCOUNTS[0]!.password);
    for (const a of DEMO_ACCOUNTS) {
      await db
        .insertInto('users')
        .values({
          id: `demo-${a.username}`,
          username: a.username,
          display_name: a.label.split(' (')[0]!,
          password_hash: hash,
          unit_id: unitFor[a.role],
          roles: a.role,
          active: 1,
          must_change_password: 0,
          failed_logins: 0,
          locked_until: null,
          password_changed_at: now,
          created_at: now,
        })
        .execute();
    }
  }

  // Appeals.
  const cal = await s.calendar.calendar();
  const catById = new Map(categories.map((c) => [c.id, c]));
  const handleDaysOf = (categoryId: string | null | undefined, type: keyof typeof DEFAULT_HANDLE_DAYS) =>
    (categoryId ? catById.get(categoryId)?.handleWorkingDays : undefined) ?? DEFAULT_HANDLE_DAYS[type];
  const deadlines = {
    compute: (i: { createdAt: number; urgency: AppealState['urgency']; handleWorkingDays: number }) => computeDeadlines(i, cal),
    extend: (dueAt: number, days: number) => extendDeadline(dueAt, days, cal),
  };
  const intakeFor = new Map<string, { id: string; path: string }>();
  const intakeOf = async (region: string) => {
    let v = intakeFor.get(region);
    if (!v) {
      const c = await s.org.intakeCenterFor(region);
      v = { id: c.id, path: c.path };
      intakeFor.set(region, v);
    }
    return v;
  };

  const report: SeedReport = { units: unitRows.length, categories: categories.length, appeals: 0, events: 0, ratings: 0, skippedSteps: 0, ms: 0 };
  let appealBatch: AppealTable[] = [];
  let eventBatch: ReturnType<typeof eventToRow>[] = [];
  let ratingBatch: RatingTable[] = [];
  let taskBatch: TaskTable[] = [];
  const flush = async () => {
    if (appealBatch.length === 0) return;
    const a = appealBatch, e = eventBatch, r = ratingBatch, t = taskBatch;
    appealBatch = [];
    eventBatch = [];
    ratingBatch = [];
    taskBatch = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < a.length; i += 400) await trx.insertInto('appeals').values(a.slice(i, i + 400)).execute();
      for (let i = 0; i < e.length; i += 1500) await trx.insertInto('appeal_events').values(e.slice(i, i + 1500)).execute();
      for (let i = 0; i < r.length; i += 1500) await trx.insertInto('ratings').values(r.slice(i, i + 1500)).execute();
      for (let i = 0; i < t.length; i += 1500) await trx.insertInto('tasks').values(t.slice(i, i + 1500)).execute();
    });
  };

  const actorOf = (step: DemoStep): Actor => {
    if (step.role === 'citizen') return { kind: 'citizen', id: null };
    if (step.role === 'system') return { kind: 'system', id: null };
    return { kind: 'staff', id: (step.actorUnitId && actorByUnitRole.get(step.actorUnitId)) ?? null };
  };

  const idOf = (index: number, createdAt: number) => demoAppealId(opts.seed, index, createdAt);
  const createdAtOf = new Map<number, number>(); // for merge targets (always earlier plans)

  const plans = generateAppealPlans(city, categories, catalogue, { count: opts.appeals, seed: opts.seed, now, months: opts.months ?? 12, deadlines });
  const total = opts.appeals;
  let lastProgress = 0;
  for (const plan of plans) {
    await writePlan(plan);
    if (appealBatch.length >= 1000) await flush();
    if (opts.onProgress && (report.appeals - lastProgress >= 2000 || report.appeals === total)) {
      lastProgress = report.appeals;
      opts.onProgress(report.appeals, total);
    }
  }
  await flush();
  opts.onProgress?.(report.appeals, total);
  await rebuildScoreFacts(s);
  // Every stored appeal gets its insight (by the cold-start model: the scheduler retrains on the demo's
  // confirmed categories in the background, in a worker), then the hotspots are detected.
  if (opts.analyzeText !== false) {
    await s.text.backfill();
    await s.text.hotspots.refresh();
  }
  await (await import('./participation/demo.ts')).seedParticipationDemo(s, { seed: opts.seed, now });
  await (await import('./knowledge/starter.ts')).seedKnowledgeBase(s, { now });
  // PostgreSQL: anything that still reached a default partition gets its month's partition.
  if (s.ctx.handle.dialect === 'postgres') await maintainPartitions(db, now);
  report.ms = Date.now() - t0;
  return report;

  async function writePlan(plan: AppealPlan): Promise<void> {
    const id = idOf(plan.index, plan.createdAt);
    createdAtOf.set(plan.index, plan.createdAt);
    let state: AppealState | null = null;
    const events: AppealEvent[] = [];
    for (const step of plan.steps) {
      const cmd = completeCommand(step, state, plan);
      if (!cmd) {
        report.skippedSteps++;
        continue;
      }
      try {
        const r = execute(state, cmd, { appealId: id, at: step.at, actor: actorOf(step) });
        state = r.state;
        events.push(r.event);
        if (r.event.action === 'rate' && state.lastRating) {
          ratingBatch.push({
            appeal_id: id,
            round: state.round,
            region_code: plan.regionCode,
            unit_id: state.unitId,
            level: state.lastRating.level,
            solved: state.lastRating.solved,
            contacted: state.lastRating.contacted ? 1 : 0,
            channel: state.lastRating.channel,
            comment: state.lastRating.comment,
            rated_at: r.event.at,
            actor_id: r.event.actor.id,
            source_ip: null,
          });
          const cb = taskBatch.find((t) => t.appeal_id === id && t.round === state!.round && t.kind === 'callback');
          if (cb && state.lastRating.channel === 'callback') {
            cb.status = 'done';
            cb.done_at = r.event.at;
            cb.done_by = r.event.actor.id;
          }
          if (state.lastRating.level <= 2) {
            taskBatch.push({
              id: `${id}-rect${state.round}`,
              kind: 'rectification',
              appeal_id: id,
              region_code: plan.regionCode,
              unit_id: state.unitId,
              round: state.round,
              status: now - r.event.at > 30 * 86_400_000 ? 'done' : 'open',
              created_at: r.event.at,
              due_at: extendDeadline(r.event.at, 15, cal),
              done_at: now - r.event.at > 30 * 86_400_000 ? r.event.at + 10 * 86_400_000 : null,
              done_by: null,
              result: JSON.stringify({ contactDueAt: extendDeadline(r.event.at, 1, cal), level: state.lastRating.level }),
            });
          }
        }
        if (r.event.action === 'schedule_callback') {
          const p = (r.event as AppealEvent<'schedule_callback'>).payload;
          taskBatch.push({
            id: p.taskId,
            kind: 'callback',
            appeal_id: id,
            region_code: plan.regionCode,
            unit_id: (await intakeOf(plan.regionCode)).id,
            round: state.round,
            status: 'open',
            created_at: r.event.at,
            due_at: p.dueAt,
            done_at: null,
            done_by: null,
            result: null,
          });
        }
      } catch (e) {
        if (e instanceof DomainError) {
          report.skippedSteps++;
          continue;
        }
        throw e;
      }
    }
    if (!state) return;
    const intake = await intakeOf(plan.regionCode);
    const unitPath = state.unitId ? (paths.get(state.unitId) ?? null) : null;
    const phone = plan.citizen.anonymous ? null : plan.citizen.phone;
    appealBatch.push({
      id,
      tracking_code: demoTrackingCode(plan.index, plan.createdAt),
      region_code: plan.regionCode,
      intake_unit_id: intake.id,
      intake_path: intake.path,
      title: plan.title,
      body: plan.body,
      address_enc: s.ctx.pii.encrypt(plan.address),
      citizen_name_enc: plan.citizen.anonymous ? null : s.ctx.pii.encrypt(plan.citizen.name),
      citizen_phone_enc: s.ctx.pii.encrypt(phone),
      citizen_phone_idx: s.ctx.pii.blindIndex(phone),
      citizen_id_enc: null,
      citizen_email_enc: null,
      place_key: appealPlaceIndex(s.ctx.pii, plan.address, plan.title),
      anonymous: plan.citizen.anonymous ? 1 : 0,
      access_pin_hash: null,
      ...stateColumns(state, unitPath),
    });
    for (const e of events) eventBatch.push(eventToRow(e, plan.regionCode));
    report.appeals++;
    report.events += events.length;
    if (state.lastRating) report.ratings++;
  }

  /** Fills the deadlines the generator leaves to the calendar, and maps demo keys to real ids. */
  function completeCommand(step: DemoStep, state: AppealState | null, plan: AppealPlan): Command | null {
    const c = step.command;
    switch (c.action) {
      case 'submit': {
        const d = computeDeadlines({ createdAt: step.at, urgency: c.payload.urgency, handleWorkingDays: handleDaysOf(c.payload.categoryId, c.payload.type) }, cal);
        return { action: 'submit', payload: { ...c.payload, ...d } };
      }
      case 'dispatch': {
        if (!state || c.payload.categoryId === undefined || c.payload.categoryId === state.categoryId) return c;
        const d = computeDeadlines({ createdAt: state.createdAt, urgency: state.urgency, handleWorkingDays: handleDaysOf(c.payload.categoryId, state.type) }, cal);
        return { action: 'dispatch', payload: { ...c.payload, deadlines: d } };
      }
      case 'reopen': {
        if (!state) return null;
        const d = computeDeadlines({ createdAt: step.at, urgency: state.urgency, handleWorkingDays: handleDaysOf(state.categoryId, state.type) }, cal);
        return { action: 'reopen', payload: { ...c.payload, ...d } };
      }
      case 'decide_extension': {
        if (!state) return null;
        if (!c.payload.approved) return { action: 'decide_extension', payload: c.payload };
        return { action: 'decide_extension', payload: { ...c.payload, handleDueAt: extendDeadline(state.handleDueAt, state.pendingExtensionDays ?? 1, cal) } };
      }
      case 'mark_overdue': {
        if (!state) return null;
        const dueAt = c.payload.kind === 'response' ? state.responseDueAt : state.handleDueAt;
        // Only what really was late by the real calendar is marked.
        if (step.at <= dueAt) return null;
        return { action: 'mark_overdue', payload: { kind: c.payload.kind, dueAt } };
      }
      case 'merge': {
        const m = /^demo-(\d+)$/.exec(c.payload.intoId);
        const target = m ? Number(m[1]) : null;
        if (target === null || !createdAtOf.has(target)) return null;
        return { action: 'merge', payload: { ...c.payload, intoId: idOf(target, createdAtOf.get(target)!) } };
      }
      case 'schedule_callback':
        return { action: 'schedule_callback', payload: { ...c.payload, taskId: `${idOf(plan.index, plan.createdAt)}-cb${state?.round ?? 1}` } };
      default:
        return c as Command;
    }
  }
}

export { demoAppealKey };
