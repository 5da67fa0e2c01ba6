// Taking in an appeal (受理) from any channel: validate, compute deadlines in working days, find the
// 综治中心 that takes it in, encrypt the citizen's identity, and store it exactly once.
import { createHash, randomInt } from 'node:crypto';
import { computeDeadlines } from '../../domain/calendar/index.ts';
import { execute } from '../../domain/appeal/machine.ts';
import { DEFAULT_HANDLE_DAYS, type AppealType, type Channel, type Urgency } from '../../domain/appeal/types.ts';
import { AppError, errors } from '../../lib/errors.ts';
import { newId, newTrackingCode } from '../../lib/ids.ts';
import { isValidEmail, isValidIdNumber, normalizePhone } from '../../lib/pii.ts';
import { repos } from '../../store/repositories/index.ts';
import type { AuditService } from '../audit.ts';
import type { CalendarService } from '../calendar.ts';
import type { CategoryService } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import { requirePermission, type Principal } from '../principal.ts';
import { actorFor, type AppealWriter } from './writer.ts';
import { appealRow, stateColumns, type AppealStatic } from '../../store/repositories/appeals.ts';
import type { AppealAnalyzer, Analysis } from '../text/analyzer.ts';
import { appealPlaceIndex } from './place.ts';

export interface SubmitInput {
  type: AppealType;
  categoryId?: string | null | undefined;
  title: string;
  body: string;
  regionCode: string;
  address?: string | null | undefined;
  anonymous: boolean;
  citizenName?: string | null | undefined;
  phone?: string | null | undefined;
  idNumber?: string | null | undefined;
  /** Optional: progress notices go here too (and only here when there is no phone). */
  email?: string | null | undefined;
  /** Only staff may set urgency; citizens' appeals start from the category's default. */
  urgency?: Urgency | undefined;
  channel?: Channel | undefined;
}

export interface SubmitResult {
  id: string;
  trackingCode: string;
  /** For anonymous appeals only: shown once, needed to track and rate. */
  accessPin: string | null;
  status: string;
  responseDueAt: string;
  handleDueAt: string;
  /** True when this was a retry of an earlier submission with the same idempotency key. */
  replayed: boolean;
}

const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const URGENCY_RANK: Record<Urgency, number> = { general: 0, urgent: 1, emergency: 2 };

export const pinHash = (appealId: string, pin: string) => createHash('sha256').update(`${appealId}:${pin}`).digest('hex');

export class AppealIntakeService {
  private analyzer: AppealAnalyzer | null = null;

  /** The text intelligence (category, risk, repeats, route); without it every appeal goes to triage. */
  setAnalyzer(a: AppealAnalyzer): void {
    this.analyzer = a;
  }

  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
    private readonly writer: AppealWriter,
  ) {}

  async submit(p: Principal, input: SubmitInput, idempotencyKey?: string | undefined): Promise<SubmitResult> {
    if (p.kind === 'staff') requirePermission(p, 'appeal.create');
    const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (idempotencyKey) {
      const prior = await repos.idempotency.find(this.ctx.db, `submit:${idempotencyKey}`);
      if (prior) return await this.replay(prior.request_hash, requestHash, prior.response);
    }

    const anonymous = input.anonymous;
    const phone = normalizePhone(input.phone);
    if (!anonymous) {
      if (!phone) throw errors.validation('实名诉求须填写联系电话', 'A phone number is required unless the appeal is anonymous', { field: 'phone' });
      if (!PHONE_RE.test(phone)) throw errors.validation('联系电话格式不正确', 'The phone number is not valid', { field: 'phone' });
    }
    const idNumber = anonymous ? null : input.idNumber?.trim().toUpperCase() || null;
    if (idNumber && !isValidIdNumber(idNumber)) {
      throw errors.validation('身份证号码不正确(位数、出生日期或校验位有误)', 'The ID number is not valid (length, birth date or check digit)', { field: 'idNumber' });
    }
    const email = input.email?.trim() || null;
    if (email && !isValidEmail(email)) {
      throw errors.validation('电子邮箱格式不正确', 'The e-mail address is not valid', { field: 'email' });
    }
    const chosen = input.categoryId ? await this.categories.require(input.categoryId) : null;
    await this.checkRegion(input.regionCode);
    const intake = await this.org.intakeCenterFor(input.regionCode);

    const now = this.ctx.now();
    const analysis: Analysis | null = this.analyzer
      ? await this.analyzer.analyze({
          title: input.title,
          body: input.body,
          address: input.address ?? null,
          regionCode: input.regionCode,
          categoryId: chosen?.id ?? null,
          phoneIdx: anonymous ? null : this.ctx.pii.blindIndex(phone),
          at: now,
        })
      : null;
    const category = chosen ?? (analysis?.categoryId ? ((await this.categories.get(analysis.categoryId)) ?? null) : null);
    const categoryUrgency = (category?.urgency ?? 'general') as Urgency;
    const requested = p.kind === 'staff' ? (input.urgency ?? 'general') : 'general';
    let urgency = URGENCY_RANK[requested] >= URGENCY_RANK[categoryUrgency] ? requested : categoryUrgency;
    // 矛盾易发点: high risk (violence, self-harm, group gathering …) is handled as an emergency (2 h).
    if (analysis?.urgency === 'emergency') urgency = 'emergency';
    const handleDays = category?.handleDays ?? DEFAULT_HANDLE_DAYS[input.type];
    const deadlines = computeDeadlines({ createdAt: now, urgency, handleWorkingDays: handleDays }, await this.calendar.calendar());
    const channel: Channel = input.channel ?? (p.kind === 'staff' ? 'hotline' : p.kind === 'citizen' ? 'web' : 'api');

    const id = newId(now);
    const { event, state } = execute(
      null,
      {
        action: 'submit',
        payload: { type: input.type, urgency, channel, categoryId: category?.id ?? null, responseDueAt: deadlines.responseDueAt, handleDueAt: deadlines.handleDueAt },
      },
      { appealId: id, at: now, actor: actorFor(p) },
    );
    const accessPin = anonymous ? String(randomInt(0, 1_000_000)).padStart(6, '0') : null;

    for (let attempt = 0; ; attempt++) {
      const trackingCode = newTrackingCode(now);
      const stat: AppealStatic = {
        trackingCode,
        regionCode: input.regionCode,
        intakeUnitId: intake.id,
        intakePath: intake.path,
        title: input.title.trim(),
        body: input.body.trim(),
        // Anonymous appeals keep no identity at all (PIPL data minimisation).
        addressEnc: this.ctx.pii.encrypt(input.address?.trim() || null),
        citizenNameEnc: anonymous ? null : this.ctx.pii.encrypt(input.citizenName?.trim() || null),
        citizenPhoneEnc: anonymous ? null : this.ctx.pii.encrypt(phone),
        citizenPhoneIdx: anonymous ? null : this.ctx.pii.blindIndex(phone),
        citizenIdEnc: idNumber ? this.ctx.pii.encrypt(idNumber) : null,
        // Kept even for an anonymous appeal: it is the channel the citizen chose to be told by, not an identity shown to staff.
        citizenEmailEnc: email ? this.ctx.pii.encrypt(email) : null,
        // Where the matter is (a compound, a village, a road and number), for the repeat-appeal figure:
        // a keyed index only; the address stays encrypted. Kept for anonymous appeals too: it names a place, not a person.
        placeKey: appealPlaceIndex(this.ctx.pii, input.address, input.title),
        anonymous,
        accessPinHash: accessPin ? pinHash(id, accessPin) : null,
      };
      const result: SubmitResult = {
        id,
        trackingCode,
        accessPin,
        status: state.status,
        responseDueAt: new Date(state.responseDueAt).toISOString(),
        handleDueAt: new Date(state.handleDueAt).toISOString(),
        replayed: false,
      };
      try {
        await this.ctx.db.transaction().execute(async (trx) => {
          await repos.appeals.insert(trx, id, stat, state, event);

          await this.writer.project(trx, { row: { ...appealRow(id, stat), ...stateColumns(state, null) }, state, event });
          if (idempotencyKey) {
            // Same transaction: a retried request finds either nothing stored or the whole result.
            await repos.idempotency.insert(trx, {
              key: `submit:${idempotencyKey}`,
              scope: 'appeal.submit',
              request_hash: requestHash,
              response: JSON.stringify({ ...result, accessPin: null }),
              created_at: now,
            });
          }
          if (analysis) await this.analyzer!.record(trx, id, input.regionCode, analysis, now);
          await this.audit.record(p, { action: 'appeal.submit', objectType: 'appeal', objectId: id, outcome: 'success', details: { channel, type: input.type } }, trx);
        });
        // After the commit: the appeal is safely stored whatever happens to the automatic dispatch.
        if (analysis) result.status = await this.analyzer!.afterSubmit(this.writer, id, analysis);
        return result;
      } catch (e) {
        if (idempotencyKey && isUniqueViolation(e)) {
          // A concurrent retry with the same key won the race: answer as it did.
          const prior = await repos.idempotency.find(this.ctx.db, `submit:${idempotencyKey}`);
          if (prior) return await this.replay(prior.request_hash, requestHash, prior.response);
        }
        if (isUniqueViolation(e) && attempt < 3) continue; // tracking code collision: draw again
        throw e;
      }
    }
  }

  private async replay(storedHash: string, requestHash: string, response: string): Promise<SubmitResult> {
    if (storedHash !== requestHash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一份不同的诉求', 'This idempotency key was used for a different submission');
    }
    const stored = JSON.parse(response) as SubmitResult;
    // The status as it is now (it may have been dispatched automatically since).
    const row = await this.ctx.db.selectFrom('appeals').select('status').where('id', '=', stored.id).executeTakeFirst();
    return { ...stored, status: row?.status ?? stored.status, replayed: true };
  }

  private async checkRegion(code: string): Promise<void> {
    if (!/^\d{6}(\d{3})?$/.test(code)) throw errors.validation('行政区划代码应为6位或9位数字', 'The region code must have 6 or 9 digits', { field: 'regionCode' });
    const regions = await this.org.regions();
    if (regions.length > 0 && !regions.some((r) => r.code === code)) {
      throw errors.validation('行政区划代码不在本地区范围内', 'The region code is not part of this deployment', { field: 'regionCode' });
    }
  }
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(err?.message ?? '');
}
