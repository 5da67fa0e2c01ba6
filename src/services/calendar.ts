// The working-day calendar of the deployment: chinese-days plus the admin's overrides.
import { createWorkCalendar, isValidYmd, officialDataYears, type WorkCalendar } from '../domain/calendar/index.ts';
import { errors } from '../lib/errors.ts';
import { repos } from '../store/repositories/index.ts';
import type { AuditService } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { requirePermission, type StaffPrincipal } from './principal.ts';

export class CalendarService {
  private cal: WorkCalendar | null = null;
  private loadedAt = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async calendar(): Promise<WorkCalendar> {
    if (!this.cal || Date.now() - this.loadedAt > 60_000) {
      const rows = await repos.categories.calendarOverrides(this.ctx.db);
      this.cal = createWorkCalendar(new Map(rows.map((r) => [r.ymd, r.is_workday === 1])));
      this.loadedAt = Date.now();
    }
    return this.cal;
  }

  async overrides() {
    const rows = await repos.categories.calendarOverrides(this.ctx.db);
    return {
      officialYears: officialDataYears(),
      overrides: rows.map((r) => ({ date: r.ymd, workday: r.is_workday === 1, note: r.note, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() })),
    };
  }

  async setOverride(p: StaffPrincipal, date: string, workday: boolean, note: string | null): Promise<void> {
    requirePermission(p, 'calendar.manage');
    if (!isValidYmd(date)) throw errors.validation('日期格式应为 YYYY-MM-DD', 'Date must be YYYY-MM-DD');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.categories.upsertCalendarOverride(trx, { ymd: date, is_workday: workday ? 1 : 0, note, updated_by: p.userId, updated_at: this.ctx.now() });
      await this.audit.record(p, { action: 'calendar.override', objectType: 'calendar', objectId: date, outcome: 'success', details: { workday, note } }, trx);
    });
    this.cal = null;
  }

  async removeOverride(p: StaffPrincipal, date: string): Promise<void> {
    requirePermission(p, 'calendar.manage');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.categories.deleteCalendarOverride(trx, date);
      await this.audit.record(p, { action: 'calendar.override.remove', objectType: 'calendar', objectId: date, outcome: 'success', details: null }, trx);
    });
    this.cal = null;
  }
}
