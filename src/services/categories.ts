// The category tree of the deployment (configurable), with default handling unit type and deadlines.
import { errors } from '../lib/errors.ts';
import { repos } from '../store/repositories/index.ts';
import type { CategoryTable } from '../store/schema.ts';
import type { AuditService } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { requirePermission, type StaffPrincipal } from './principal.ts';

export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
  defaultUnitType: string | null;
  handleDays: number | null;
  urgency: 'general' | 'urgent' | 'emergency';
  defaultType: string | null;
  sort: number;
  active: boolean;
}

const toCategory = (r: CategoryTable): Category => ({
  id: r.id,
  parentId: r.parent_id,
  name: r.name,
  nameEn: r.name_en,
  defaultUnitType: r.default_unit_type,
  handleDays: r.handle_days,
  urgency: r.urgency as Category['urgency'],
  defaultType: r.default_type,
  sort: r.sort,
  active: r.active === 1,
});

export class CategoryService {
  private cache: Map<string, Category> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async all(): Promise<Category[]> {
    if (!this.cache || Date.now() - this.loadedAt > 30_000) {
      this.cache = new Map((await repos.categories.all(this.ctx.db)).map((r) => [r.id, toCategory(r)]));
      this.loadedAt = Date.now();
    }
    return [...this.cache.values()];
  }

  async get(id: string): Promise<Category | undefined> {
    await this.all();
    return this.cache!.get(id);
  }

  async require(id: string): Promise<Category> {
    const c = await this.get(id);
    if (!c || !c.active) throw errors.validation(`诉求类别「${id}」不存在`, `Unknown category "${id}"`, { field: 'categoryId' });
    return c;
  }

  async create(p: StaffPrincipal, c: Omit<Category, 'active'>): Promise<Category> {
    requirePermission(p, 'category.manage');
    if (await this.get(c.id)) throw errors.conflict('DUPLICATE_ID', '类别编号已存在', 'A category with this id exists');
    if (c.parentId) await this.require(c.parentId);
    const row: CategoryTable = {
      id: c.id,
      parent_id: c.parentId,
      name: c.name,
      name_en: c.nameEn,
      default_unit_type: c.defaultUnitType,
      handle_days: c.handleDays,
      urgency: c.urgency,
      default_type: c.defaultType,
      sort: c.sort,
      active: 1,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.categories.insert(trx, [row]);
      await this.audit.record(p, { action: 'category.create', objectType: 'category', objectId: c.id, outcome: 'success', details: { name: c.name } }, trx);
    });
    this.cache = null;
    return toCategory(row);
  }

  async update(p: StaffPrincipal, id: string, patch: Partial<Pick<Category, 'name' | 'nameEn' | 'handleDays' | 'urgency' | 'defaultUnitType' | 'active' | 'sort'>>): Promise<Category> {
    requirePermission(p, 'category.manage');
    const existing = await this.get(id);
    if (!existing) throw errors.notFound(`Category ${id}`, `类别 ${id} `);
    if (Object.values(patch).every((v) => v === undefined)) throw errors.validation('没有要修改的内容', 'Nothing to change');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.categories.update(trx, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}),
        ...(patch.handleDays !== undefined ? { handle_days: patch.handleDays } : {}),
        ...(patch.urgency !== undefined ? { urgency: patch.urgency } : {}),
        ...(patch.defaultUnitType !== undefined ? { default_unit_type: patch.defaultUnitType } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
        ...(patch.sort !== undefined ? { sort: patch.sort } : {}),
      });
      await this.audit.record(p, { action: 'category.update', objectType: 'category', objectId: id, outcome: 'success', details: patch }, trx);
    });
    this.cache = null;
    return (await this.get(id))!;
  }
}
