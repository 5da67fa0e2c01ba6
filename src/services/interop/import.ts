// Hotline work orders into MinBiao (docs/interop.md §2): streamed from .xlsx or .csv, mapped by a
// (saved) profile, validated row by row, and written in batches — each appeal row with its submit
// event (through the domain state machine), its read-model projections and the imported work-order
// number in one transaction, so every accepted row is stored exactly once and a re-run imports
// nothing twice. Rejected rows are kept with their reason (encrypted: they hold names and phones).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { computeDeadlines } from '../../domain/calendar/index.ts';
import { execute } from '../../domain/appeal/machine.ts';
import { DEFAULT_HANDLE_DAYS, type AppealType, type Urgency } from '../../domain/appeal/types.ts';
import { checkMapping, IMPORT_FIELDS, mapRow, suggestMapping, titleFrom, type Cell, type ImportField, type ImportProfile, type MappedRow } from '../../domain/interop/importRows.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId, newTrackingCode } from '../../lib/ids.ts';
import { normalizePhone } from '../../lib/pii.ts';
import { appealRow, eventToRow, stateColumns, type AppealStatic } from '../../store/repositories/appeals.ts';
import type { ImportJobTable } from '../../store/interop-schema.ts';
import type { AppealTable } from '../../store/schema.ts';
import { isUniqueViolation } from '../appeals/intake.ts';
import { scoringRepo } from '../../store/repositories/scoring.ts';
import type { Executor } from '../../store/repositories/index.ts';
import { deriveFact, factRow, StratumSums } from '../scoring/facts.ts';
import { actorFor, type Applied } from '../appeals/writer.ts';
import { appealPlaceIndex } from '../appeals/place.ts';
import type { Category } from '../categories.ts';
import type { Services } from '../index.ts';
import { requirePermission, type Principal, type StaffPrincipal } from '../principal.ts';
import type { RegionResolver } from './regions.ts';
import { openTable, type TableFormat } from './sources.ts';

const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const URGENCY_RANK: Record<Urgency, number> = { general: 0, urgent: 1, emergency: 2 };
export const BUILTIN_PROFILE = 'hotline';

export interface ImportProgress {
  bytesDone: number;
  bytesTotal: number;
  rowsRead: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface RejectedRow {
  rowNo: number;
  sourceId: string | null;
  reason: string;
  cells: Cell[];
}

export interface ImportReport extends ImportProgress {
  jobId: string;
  file: string;
  format: TableFormat;
  header: string[];
  mapping: Record<string, ImportField>;
  ms: number;
  rowsPerSecond: number;
}

export interface ImportRunOptions {
  principal: StaffPrincipal | null;
  file: string;
  fileName?: string | undefined;
  format?: TableFormat | undefined;
  /** A saved profile's name (or "hotline", the built-in one that recognises the usual headers). */
  profileName?: string | undefined;
  /** Overrides on top of the profile: header → field. */
  mapping?: Record<string, string> | undefined;
  source?: string | undefined;
  defaults?: ImportProfile['defaults'];
  /** Save the profile actually used under this name. */
  saveProfileAs?: string | undefined;
  /** Continue an uploaded job (web page) instead of creating one. */
  jobId?: string | undefined;
  batchSize?: number | undefined;
  onProgress?: ((p: ImportProgress) => void) | undefined;
  onReject?: ((r: RejectedRow) => void | Promise<void>) | undefined;
  /** Called once the header is read and the mapping settled, before the first row. */
  onStart?: ((info: { jobId: string; header: string[]; profile: ImportProfile; bytesTotal: number }) => void | Promise<void>) | undefined;
}

export interface ImportJobView {
  id: string;
  fileName: string;
  format: string;
  status: string;
  profileName: string | null;
  header: string[];
  suggestedMapping: Record<string, ImportField>;
  createdAt: string;
  createdBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  bytesTotal: number;
  bytesDone: number;
  rowsRead: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  error: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function toJobView(j: ImportJobTable): ImportJobView {
  const header = j.header ? (JSON.parse(j.header) as string[]) : [];
  return {
    id: j.id,
    fileName: j.file_name,
    format: j.format,
    status: j.status,
    profileName: j.profile_name,
    header,
    suggestedMapping: suggestMapping(header),
    createdAt: iso(j.created_at)!,
    createdBy: j.created_by,
    startedAt: iso(j.started_at),
    finishedAt: iso(j.finished_at),
    bytesTotal: Number(j.bytes_total),
    bytesDone: Number(j.bytes_done),
    rowsRead: j.rows_read,
    accepted: j.accepted,
    duplicates: j.duplicates,
    rejected: j.rejected,
    error: j.error,
  };
}

interface Pending {
  rowNo: number;
  cells: Cell[];
  row: MappedRow;
  hash: string;
}

interface Prepared extends Pending {
  id: string;
  regionCode: string;
  intake: { id: string; path: string };
  stat: Omit<AppealStatic, 'trackingCode'>;
  applied: Omit<Applied, 'row'>;
}

const importer = (p: StaffPrincipal | null): Principal => p ?? { kind: 'system', job: 'import' };

export class ImportService {
  constructor(
    private readonly s: Services,
    private readonly regions: RegionResolver,
  ) {}

  private check(p: StaffPrincipal | null): void {
    if (p) requirePermission(p, 'appeal.create');
  }

  // ---- profiles --------------------------------------------------------------------------------

  async listProfiles(p: StaffPrincipal | null): Promise<{ name: string; profile: ImportProfile; updatedAt: string; updatedBy: string | null }[]> {
    this.check(p);
    const rows = await this.s.ctx.db.selectFrom('import_profiles').selectAll().orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, profile: JSON.parse(r.profile) as ImportProfile, updatedAt: iso(r.updated_at)!, updatedBy: r.updated_by }));
  }

  async getProfile(name: string): Promise<ImportProfile | null> {
    const r = await this.s.ctx.db.selectFrom('import_profiles').select('profile').where('name', '=', name).executeTakeFirst();
    return r ? (JSON.parse(r.profile) as ImportProfile) : null;
  }

  async saveProfile(p: StaffPrincipal | null, name: string, profile: ImportProfile): Promise<void> {
    this.check(p);
    if (!/^[\p{L}\p{N}_.-]{1,40}$/u.test(name)) throw errors.validation('方案名称只能包含文字、数字、_ . -(最多40字)', 'A profile name has letters, digits, _ . - (40 at most)', { field: 'name' });
    for (const f of Object.values(profile.mapping)) {
      if (!(IMPORT_FIELDS as readonly string[]).includes(f)) throw errors.validation(`未知的目标字段「${f}」`, `Unknown target field "${f}"`, { field: 'mapping' });
    }
    const now = this.s.ctx.now();
    const value = JSON.stringify(profile);
    const by = p?.username ?? 'cli';
    await this.s.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('import_profiles')
        .values({ name, profile: value, updated_at: now, updated_by: by })
        .onConflict((oc) => oc.column('name').doUpdateSet({ profile: value, updated_at: now, updated_by: by }))
        .execute();
      await this.s.audit.record(importer(p), { action: 'import.profile.save', objectType: 'import_profile', objectId: name, outcome: 'success', details: { mapping: profile.mapping, source: profile.source } }, trx);
    });
  }

  /** The profile for a header: saved (or built-in) profile, then the caller's overrides. */
  async resolveProfile(header: string[], o: Pick<ImportRunOptions, 'profileName' | 'mapping' | 'source' | 'defaults'>): Promise<ImportProfile> {
    let base: ImportProfile | null = null;
    if (o.profileName && o.profileName !== BUILTIN_PROFILE) {
      base = await this.getProfile(o.profileName);
      if (!base) throw errors.validation(`导入方案「${o.profileName}」不存在`, `No import profile named "${o.profileName}"`, { field: 'profile' });
    }
    const profile: ImportProfile = base ? { ...base, mapping: { ...base.mapping } } : { source: BUILTIN_PROFILE, mapping: suggestMapping(header) };
    if (o.mapping) {
      for (const [h, f] of Object.entries(o.mapping)) {
        // A field given a new column loses its old one.
        for (const [h2, f2] of Object.entries(profile.mapping)) if (f2 === f && h2 !== h) delete profile.mapping[h2];
        if (f === '' || f === null) delete profile.mapping[h];
        else profile.mapping[h] = f as ImportField;
      }
    }
    if (o.source) profile.source = o.source;
    if (o.defaults) profile.defaults = { ...(profile.defaults ?? {}), ...o.defaults };
    const bad = checkMapping(header, profile.mapping);
    if (bad) throw new AppError(400, 'IMPORT_MAPPING_INVALID', bad.zh, bad.en, { header, mapping: profile.mapping });
    if (!/^[\p{L}\p{N}_.:-]{1,40}$/u.test(profile.source)) throw errors.validation('来源系统名称无效', 'Invalid source name', { field: 'source' });
    return profile;
  }

  // ---- jobs (web upload) ----------------------------------------------------------------------

  uploadDir(): string {
    const dir = path.join(this.s.ctx.config.dataDir, 'imports');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  uploadPath(jobId: string, format: string): string {
    return path.join(this.uploadDir(), `${jobId}.${format}`);
  }

  /** Registers an uploaded file (already on disk at uploadPath(id, format)) and reads its header. */
  async registerUpload(p: StaffPrincipal, input: { id: string; fileName: string; format: TableFormat; bytes: number }): Promise<ImportJobView> {
    this.check(p);
    const file = this.uploadPath(input.id, input.format);
    let header: string[];
    try {
      const t = await openTable(file, { format: input.format });
      header = t.header;
      await t.records.return(undefined);
    } catch (e) {
      fs.rmSync(file, { force: true });
      throw errors.validation(`无法读取上传的文件:${(e as Error).message}`, `Cannot read the uploaded file: ${(e as Error).message}`);
    }
    if (header.length === 0) {
      fs.rmSync(file, { force: true });
      throw errors.validation('文件为空', 'The file is empty');
    }
    const row: ImportJobTable = {
      id: input.id,
      file_name: input.fileName.slice(0, 200),
      format: input.format,
      status: 'uploaded',
      profile: null,
      profile_name: null,
      created_at: this.s.ctx.now(),
      created_by: p.username,
      started_at: null,
      finished_at: null,
      bytes_total: input.bytes,
      bytes_done: 0,
      rows_read: 0,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      header: JSON.stringify(header),
      error: null,
    };
    await this.s.ctx.db.insertInto('import_jobs').values(row).execute();
    await this.s.audit.record(p, { action: 'import.upload', objectType: 'import_job', objectId: row.id, outcome: 'success', details: { fileName: row.file_name, bytes: input.bytes } });
    return toJobView(row);
  }

  async job(p: StaffPrincipal | null, id: string): Promise<ImportJobView> {
    this.check(p);
    const j = await this.s.ctx.db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!j || (p && j.created_by !== p.username && !p.permissions.has('appeal.dispatch'))) throw errors.notFound(`Import job ${id}`, '导入任务');
    return toJobView(j);
  }

  async jobs(p: StaffPrincipal): Promise<ImportJobView[]> {
    this.check(p);
    let q = this.s.ctx.db.selectFrom('import_jobs').selectAll();
    if (!p.permissions.has('appeal.dispatch')) q = q.where('created_by', '=', p.username);
    return (await q.orderBy('created_at', 'desc').orderBy('started_at', 'desc').orderBy('id', 'desc').limit(50).execute()).map(toJobView);
  }

  /** The rejected rows of a job: raw cells in clear only for users who may unmask personal data (audited). */
  async *rejects(p: StaffPrincipal | null, jobId: string, opts: { unmask?: boolean } = {}): AsyncGenerator<{ rowNo: number; sourceId: string | null; reason: string; cells: string[] }> {
    const job = await this.job(p, jobId);
    const clear = !p || (opts.unmask === true && p.permissions.has('pii.unmask'));
    if (clear && p) await this.s.audit.record(p, { action: 'import.rejects.read', objectType: 'import_job', objectId: job.id, outcome: 'success', details: { rejected: job.rejected } });
    let after = 0;
    for (;;) {
      const rows = await this.s.ctx.db.selectFrom('import_rejects').selectAll().where('job_id', '=', jobId).where('row_no', '>', after).orderBy('row_no').limit(1000).execute();
      if (rows.length === 0) return;
      for (const r of rows) {
        let cells: string[] = [];
        if (clear && r.raw_enc) {
          try {
            cells = JSON.parse(this.s.ctx.pii.decrypt(r.raw_enc) ?? '[]') as string[];
          } catch {
            cells = [];
          }
        }
        yield { rowNo: r.row_no, sourceId: r.source_id, reason: r.reason, cells };
      }
      after = rows[rows.length - 1]!.row_no;
    }
  }

  // ---- the run ----------------------------------------------------------------------------------

  async run(o: ImportRunOptions): Promise<ImportReport> {
    this.check(o.principal);
    const t0 = Date.now();
    const db = this.s.ctx.db;
    let jobId = o.jobId ?? newId(this.s.ctx.now());
    let opened: Awaited<ReturnType<typeof openTable>> | null = null;
    try {
      const table = (opened = await openTable(o.file, { format: o.format }));
      if (table.header.length === 0) throw errors.validation('文件为空', 'The file is empty');
      const profile = await this.resolveProfile(table.header, o);
      if (o.saveProfileAs) await this.saveProfile(o.principal, o.saveProfileAs, profile);
      const now = this.s.ctx.now();
      if (o.jobId) {
        const claimed = await db
          .updateTable('import_jobs')
          .set({ status: 'running', started_at: now, profile: JSON.stringify(profile), profile_name: o.saveProfileAs ?? o.profileName ?? null })
          .where('id', '=', o.jobId)
          .where('status', '=', 'uploaded')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) throw errors.conflict('IMPORT_JOB_STATE', '该导入任务已开始或已结束', 'This import job has already started or finished');
      } else {
        jobId = newId(now);
        await db
          .insertInto('import_jobs')
          .values({
            id: jobId,
            file_name: (o.fileName ?? path.basename(o.file)).slice(0, 200),
            format: table.format,
            status: 'running',
            profile: JSON.stringify(profile),
            profile_name: o.saveProfileAs ?? o.profileName ?? null,
            created_at: now,
            created_by: o.principal?.username ?? 'cli',
            started_at: now,
            finished_at: null,
            bytes_total: table.bytes.total,
            bytes_done: 0,
            rows_read: 0,
            accepted: 0,
            duplicates: 0,
            rejected: 0,
            header: JSON.stringify(table.header),
            error: null,
          })
          .execute();
      }
      await this.s.audit.record(importer(o.principal), { action: 'import.start', objectType: 'import_job', objectId: jobId, outcome: 'success', details: { file: o.fileName ?? path.basename(o.file), source: profile.source, mapping: profile.mapping } });

      await o.onStart?.({ jobId, header: table.header, profile, bytesTotal: table.bytes.total });
      const progress: ImportProgress = { bytesDone: 0, bytesTotal: table.bytes.total, rowsRead: 0, accepted: 0, duplicates: 0, rejected: 0 };
      const ctx = await this.context(o.principal);
      const batchSize = o.batchSize ?? 500;
      let batch: Pending[] = [];
      let rejects: RejectedRow[] = [];
      const reject = async (r: RejectedRow) => {
        progress.rejected++;
        rejects.push(r);
        await o.onReject?.(r);
      };
      const flush = async () => {
        const b = batch;
        batch = [];
        if (b.length) await this.writeBatch(jobId, profile, b, ctx, progress, o.principal, reject);
        if (rejects.length) {
          const rs = rejects;
          rejects = [];
          const rows = rs.map((r) => ({ job_id: jobId, row_no: r.rowNo, source_id: r.sourceId, reason: r.reason.slice(0, 500), raw_enc: this.s.ctx.pii.encrypt(JSON.stringify(r.cells.map((c) => (c instanceof Date ? c.toISOString() : c === null || c === undefined ? '' : String(c))))) }));
          for (let i = 0; i < rows.length; i += 400) await db.insertInto('import_rejects').values(rows.slice(i, i + 400)).execute();
        }
        progress.bytesDone = Math.min(table.bytes.done, table.bytes.total);
        await db
          .updateTable('import_jobs')
          .set({ bytes_done: progress.bytesDone, rows_read: progress.rowsRead, accepted: progress.accepted, duplicates: progress.duplicates, rejected: progress.rejected })
          .where('id', '=', jobId)
          .execute();
        o.onProgress?.({ ...progress });
      };

      for await (const rec of table.records) {
        progress.rowsRead++;
        const r = mapRow(table.header, rec.cells, profile, this.s.ctx.now());
        if (!r.ok) {
          if (r.reason.startsWith('空行')) {
            progress.rowsRead--;
            continue;
          }
          await reject({ rowNo: rec.rowNo, sourceId: r.sourceId, reason: r.reason, cells: rec.cells });
        } else {
          batch.push({ rowNo: rec.rowNo, cells: rec.cells, row: r.row, hash: r.hash });
        }
        if (batch.length >= batchSize || rejects.length >= 1000) await flush();
      }
      await flush();
      // An uploaded file is gone before the job says it is done.
      if (o.jobId) fs.rmSync(o.file, { force: true });
      progress.bytesDone = table.bytes.total;
      // Imported appeals get their text insights (category, risk, repeats) like the ones taken in
      // here; they were routed by the source system, so nothing is dispatched. Before the job says it
      // is done, so that "done" means its appeals are there to be read whole; a failure is logged only:
      // the import itself is complete.
      if (progress.accepted > 0) await this.s.text.backfill().catch((e: unknown) => this.s.ctx.log.error({ err: e }, 'text insights of imported appeals failed'));
      const finished = this.s.ctx.now();
      await db.updateTable('import_jobs').set({ status: 'done', finished_at: finished, bytes_done: progress.bytesDone }).where('id', '=', jobId).execute();
      await this.s.audit.record(importer(o.principal), { action: 'import.finish', objectType: 'import_job', objectId: jobId, outcome: 'success', details: { ...progress } });
      const ms = Date.now() - t0;
      return { ...progress, jobId, file: o.file, format: table.format, header: table.header, mapping: profile.mapping, ms, rowsPerSecond: Math.round(progress.rowsRead / Math.max(0.001, ms / 1000)) };
    } catch (e) {
      await opened?.records.return(undefined).catch(() => undefined);
      if (o.jobId) fs.rmSync(o.file, { force: true });
      const message = e instanceof AppError ? `${e.messageZh} / ${e.messageEn}` : (e as Error).message;
      await db
        .updateTable('import_jobs')
        .set({ status: 'failed', finished_at: this.s.ctx.now(), error: message.slice(0, 1000) })
        .where('id', '=', jobId)
        .execute()
        .catch(() => undefined);
      await this.s.audit.record(importer(o.principal), { action: 'import.finish', objectType: 'import_job', objectId: jobId, outcome: 'failure', details: { error: message.slice(0, 300) } }).catch(() => undefined);
      throw e;
    }
  }

  private async context(p: StaffPrincipal | null) {
    const cats = (await this.s.categories.all()).filter((c) => c.active);
    const byId = new Map(cats.map((c) => [c.id, c]));
    const byName = new Map<string, Category>();
    for (const c of cats) {
      const parent = c.parentId ? byId.get(c.parentId) : undefined;
      for (const k of [c.id, c.name, c.nameEn.toLowerCase(), parent ? `${parent.name}/${c.name}` : null, parent ? `${parent.name}-${c.name}` : null, parent ? `${parent.name}>${c.name}` : null]) {
        if (k && !byName.has(k)) byName.set(k, c);
      }
    }
    const intakeOf = new Map<string, { id: string; path: string }>();
    return {
      principal: p,
      cal: await this.s.calendar.calendar(),
      category: (v: string | null): Category | null => (v ? (byName.get(v.trim()) ?? byName.get(v.trim().toLowerCase()) ?? byName.get(v.trim().replace(/\s*[/／>-]\s*/g, '/')) ?? null) : null),
      intake: async (region: string) => {
        let c = intakeOf.get(region);
        if (!c) {
          const u = await this.s.org.intakeCenterFor(region);
          c = { id: u.id, path: u.path };
          intakeOf.set(region, c);
        }
        return c;
      },
    };
  }

  /** Settles region, category, type, urgency, deadlines and identity of one row: a Prepared appeal or a reason. */
  private async prepare(pending: Pending, profile: ImportProfile, ctx: Awaited<ReturnType<ImportService['context']>>): Promise<Prepared | string> {
    const r = pending.row;
    let regionCode: string | null = null;
    if (r.region) {
      regionCode = await this.regions.byCodeOrName(r.region);
      if (!regionCode) return `所属区域「${r.region}」不是本地区的行政区划 / region "${r.region}" is not part of this deployment`;
    }
    regionCode ??= (await this.regions.resolve(r.address, r.body)) ?? profile.defaults?.regionCode ?? (await this.regions.single());
    if (!regionCode || !(await this.regions.isKnown(regionCode))) return '无法确定所属区域(请提供所属区域列或可识别的地址) / cannot tell the region (add a region column or a recognisable address)';
    const intake = await ctx.intake(regionCode);
    if (ctx.principal && !intake.path.startsWith(ctx.principal.scopePath)) return '所属区域不在您的数据范围内 / the region is outside your data scope';

    const category = ctx.category(r.category);
    const type = (r.type ?? (category?.defaultType as AppealType | null) ?? profile.defaults?.type ?? null) as AppealType | null;
    if (!type) return '缺少诉求类型,且诉求分类没有默认类型 / no type, and the category has no default type';
    const categoryUrgency = (category?.urgency ?? 'general') as Urgency;
    const requested = r.urgency ?? profile.defaults?.urgency ?? 'general';
    const urgency = URGENCY_RANK[requested] >= URGENCY_RANK[categoryUrgency] ? requested : categoryUrgency;

    const phone = normalizePhone(r.phone);
    const anonymous = r.anonymous ?? !phone;
    if (!anonymous) {
      if (!phone) return '实名诉求缺少联系电话 / a named appeal needs a phone number';
      if (!PHONE_RE.test(phone)) return '联系电话格式不正确(已脱敏的号码无法导入) / invalid phone number (masked numbers cannot be imported)';
    }
    const handleDays = category?.handleDays ?? DEFAULT_HANDLE_DAYS[type];
    const deadlines = computeDeadlines({ createdAt: r.createdAt, urgency, handleWorkingDays: handleDays }, ctx.cal);
    const id = newId(r.createdAt);
    const { event, state } = execute(
      null,
      { action: 'submit', payload: { type, urgency, channel: 'import', categoryId: category?.id ?? null, responseDueAt: deadlines.responseDueAt, handleDueAt: deadlines.handleDueAt } },
      { appealId: id, at: r.createdAt, actor: actorFor(importer(ctx.principal)) },
    );
    const pii = this.s.ctx.pii;
    return {
      ...pending,
      id,
      regionCode,
      intake,
      stat: {
        regionCode,
        intakeUnitId: intake.id,
        intakePath: intake.path,
        title: (r.title ?? titleFrom(r.body)).trim(),
        body: r.body,
        addressEnc: pii.encrypt(r.address),
        citizenNameEnc: anonymous ? null : pii.encrypt(r.citizenName),
        citizenPhoneEnc: anonymous ? null : pii.encrypt(phone),
        citizenPhoneIdx: anonymous ? null : pii.blindIndex(phone),
        placeKey: appealPlaceIndex(pii, r.address, r.title ?? titleFrom(r.body)),
        anonymous,
        accessPinHash: null,
      },
      applied: { state, event },
    };
  }

  /**
   * The read models of new appeals, in the batch's transaction. A call recent enough for its messages
   * to still be delivered (within NOTIFY_EXPIRE_HOURS) goes through every projector of the writer,
   * exactly as an appeal typed in by a hotline operator. For older calls the only effect besides the
   * figures would be messages born expired, so their score facts are written in bulk: the same
   * deriveFact / factRow / stat sums the score projector applies to a submission, one multi-row insert
   * and one stat delta per stratum-day (test/integration/import.test.ts checks the result equals a
   * rebuild from the events).
   */
  private async project(trx: Executor, applied: Applied[]): Promise<void> {
    const window = (this.s.ctx.config as { NOTIFY_EXPIRE_HOURS?: number }).NOTIFY_EXPIRE_HOURS ?? 48;
    const recentFrom = this.s.ctx.now() - window * 3600_000;
    const bulk: Applied[] = [];
    for (const a of applied) {
      if (a.state.createdAt >= recentFrom) await this.s.writer.project(trx, a);
      else bulk.push(a);
    }
    if (bulk.length === 0) return;
    const facts = bulk.map((a) =>
      deriveFact(a.state, { regionCode: a.row.region_code, intakeUnitId: a.row.intake_unit_id, intakePath: a.row.intake_path, citizenKey: a.row.citizen_phone_idx, placeKey: a.row.place_key }, a.row.unit_path, a.state.createdAt),
    );
    await scoringRepo.insertFacts(trx, facts.map((f) => factRow(f)));
    const sums = new StratumSums();
    for (const f of facts) sums.add(f);
    await scoringRepo.addStats(trx, sums.rows());
  }

  private async writeBatch(
    jobId: string,
    profile: ImportProfile,
    batch: Pending[],
    ctx: Awaited<ReturnType<ImportService['context']>>,
    progress: ImportProgress,
    principal: StaffPrincipal | null,
    reject: (r: RejectedRow) => Promise<void>,
  ): Promise<void> {
    const db = this.s.ctx.db;
    for (let attempt = 0; ; attempt++) {
      // Exactly once: work-order numbers already imported (or earlier in this batch) are skipped when
      // identical, refused when their content differs.
      const ids = [...new Set(batch.map((b) => b.row.sourceId))];
      const known = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db.selectFrom('imported_sources').select(['source_id', 'row_hash']).where('source', '=', profile.source).where('source_id', 'in', ids.slice(i, i + 500)).execute();
        for (const r of rows) known.set(r.source_id, r.row_hash);
      }
      const fresh: Pending[] = [];
      const seen = new Map<string, string>();
      let duplicates = 0;
      const refused: RejectedRow[] = [];
      for (const b of batch) {
        const prior = known.get(b.row.sourceId) ?? seen.get(b.row.sourceId);
        if (prior !== undefined) {
          if (prior === b.hash) duplicates++;
          else refused.push({ rowNo: b.rowNo, sourceId: b.row.sourceId, reason: '该工单编号已导入,但内容不同(不会覆盖已导入的诉求) / this work-order number was imported before with different content (never overwritten)', cells: b.cells });
          continue;
        }
        seen.set(b.row.sourceId, b.hash);
        fresh.push(b);
      }
      const prepared: Prepared[] = [];
      for (const b of fresh) {
        const p = await this.prepare(b, profile, ctx);
        if (typeof p === 'string') refused.push({ rowNo: b.rowNo, sourceId: b.row.sourceId, reason: p, cells: b.cells });
        else prepared.push(p);
      }

      // Tracking codes (MBYYMM-XXXXXX of the call's month): drawn until none collides with a stored one.
      const codes = new Map<string, string>();
      const createdAtOf = new Map(prepared.map((p) => [p.id, p.row.createdAt] as const));
      const assign = (appealIds: readonly string[]) => {
        const used = new Set(codes.values());
        for (const id of appealIds) {
          let c: string;
          do c = newTrackingCode(createdAtOf.get(id)!);
          while (used.has(c));
          codes.set(id, c);
          used.add(c);
        }
      };
      assign(prepared.map((p) => p.id));
      for (let round = 0; round < 5 && prepared.length; round++) {
        const all = [...codes.values()];
        const taken = new Set<string>();
        for (let i = 0; i < all.length; i += 500) {
          for (const r of await db.selectFrom('appeals').select('tracking_code').where('tracking_code', 'in', all.slice(i, i + 500)).execute()) taken.add(r.tracking_code);
        }
        if (taken.size === 0) break;
        const again = [...codes].filter(([, c]) => taken.has(c)).map(([id]) => id);
        for (const id of again) codes.delete(id);
        assign(again);
      }

      const now = this.s.ctx.now();
      try {
        await db.transaction().execute(async (trx) => {
          const rows: AppealTable[] = prepared.map((p) => ({ ...appealRow(p.id, { ...p.stat, trackingCode: codes.get(p.id)! }), ...stateColumns(p.applied.state, null) }));
          for (let i = 0; i < rows.length; i += 200) await trx.insertInto('appeals').values(rows.slice(i, i + 200)).execute();
          const events = prepared.map((p) => eventToRow(p.applied.event, p.regionCode));
          for (let i = 0; i < events.length; i += 500) await trx.insertInto('appeal_events').values(events.slice(i, i + 500)).execute();
          const sources = prepared.map((p) => ({ source: profile.source, source_id: p.row.sourceId, appeal_id: p.id, region_code: p.regionCode, job_id: jobId, row_hash: p.hash, imported_at: now }));
          for (let i = 0; i < sources.length; i += 500) await trx.insertInto('imported_sources').values(sources.slice(i, i + 500)).execute();
          await this.project(trx, prepared.map((p, i) => ({ ...p.applied, row: rows[i]! })));
          if (prepared.length) {
            await this.s.audit.record(
              importer(principal),
              {
                action: 'appeal.import',
                objectType: 'import_job',
                objectId: jobId,
                outcome: 'success',
                details: { source: profile.source, count: prepared.length, appealIds: prepared.map((p) => p.id), sourceIds: [prepared[0]!.row.sourceId, prepared[prepared.length - 1]!.row.sourceId] },
              },
              trx,
            );
          }
        });
      } catch (e) {
        // Another import of the same numbers, or a tracking code taken meanwhile: look again.
        if (isUniqueViolation(e) && attempt < 3) continue;
        throw e;
      }
      progress.accepted += prepared.length;
      progress.duplicates += duplicates;
      for (const r of refused) await reject(r);
      return;
    }
  }
}

/** A fresh job id and its upload path, before the file is streamed to disk. */
export function newUploadId(now: number): string {
  return `${newId(now)}${randomBytes(2).toString('hex')}`.toLowerCase();
}
