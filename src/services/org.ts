// The org tree, kept in memory (a city has hundreds of units, a province thousands) and refreshed on change.
import { pathOf, scopeRoot, type UnitNode } from '../domain/access/scope.ts';
import { errors, AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { repos } from '../store/repositories/index.ts';
import type { OrgUnitTable, RegionTable } from '../store/schema.ts';
import type { AuditService } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { requirePermission, type StaffPrincipal } from './principal.ts';

export const UNIT_TYPES = ['committee', 'center', 'police_bureau', 'police_station', 'court', 'tribunal', 'procuratorate', 'justice_bureau', 'justice_office', 'mediation', 'other'] as const;
export const UNIT_TYPE_LABELS: Record<string, { zh: string; en: string }> = {
  committee: { zh: '政法委', en: 'Political-legal committee' },
  center: { zh: '综治中心', en: 'Comprehensive governance centre' },
  police_bureau: { zh: '公安局', en: 'Public security bureau' },
  police_station: { zh: '派出所', en: 'Police station' },
  court: { zh: '人民法院', en: 'Court' },
  tribunal: { zh: '人民法庭', en: 'People’s tribunal' },
  procuratorate: { zh: '人民检察院', en: 'Procuratorate' },
  justice_bureau: { zh: '司法局', en: 'Justice bureau' },
  justice_office: { zh: '司法所', en: 'Justice office' },
  mediation: { zh: '人民调解委员会', en: 'Mediation committee' },
  other: { zh: '其他单位', en: 'Other unit' },
};
export const UNIT_LEVELS = ['province', 'city', 'county', 'township'] as const;

export interface Unit {
  id: string;
  parentId: string | null;
  name: string;
  shortName: string;
  type: string;
  level: string;
  regionCode: string;
  population: number;
  peerGroup: string;
  path: string;
  active: boolean;
}

function toUnit(r: OrgUnitTable): Unit {
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    shortName: r.short_name,
    type: r.type,
    level: r.level,
    regionCode: r.region_code,
    population: r.population,
    peerGroup: r.peer_group,
    path: r.path,
    active: r.active === 1,
  };
}

export interface NewUnit {
  id?: string | undefined;
  parentId: string | null;
  name: string;
  shortName?: string | undefined;
  type: string;
  level: string;
  regionCode: string;
  population?: number | undefined;
  peerGroup?: string | undefined;
}

export class OrgService {
  private units = new Map<string, Unit>();
  private loadedAt = 0;
  private regionsCache: RegionTable[] | null = null;
  /** Other instances may change units; re-read at most this often. */
  private static readonly TTL_MS = 30_000;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async refresh(): Promise<void> {
    const rows = await repos.org.all(this.ctx.db);
    this.units = new Map(rows.map((r) => [r.id, toUnit(r)]));
    this.loadedAt = Date.now();
    this.regionsCache = null;
  }

  private async ensure(): Promise<void> {
    if (this.units.size === 0 || Date.now() - this.loadedAt > OrgService.TTL_MS) await this.refresh();
  }

  async get(id: string): Promise<Unit | undefined> {
    await this.ensure();
    let u = this.units.get(id);
    if (!u) {
      // Created by another instance since our last read.
      await this.refresh();
      u = this.units.get(id);
    }
    return u;
  }

  async require(id: string): Promise<Unit> {
    const u = await this.get(id);
    if (!u) throw errors.notFound(`Unit ${id}`, `单位 ${id} `);
    return u;
  }

  async all(): Promise<Unit[]> {
    await this.ensure();
    return [...this.units.values()];
  }

  /** True when a scope path is the root of the only tree: every unit, and so every appeal, lies in it. */
  async coversAll(scopePath: string): Promise<boolean> {
    const roots = (await this.all()).filter((u) => u.parentId === null);
    return roots.length === 1 && roots[0]!.path === scopePath;
  }

  /** The root of the data scope of a user in `unitId` (a 综治中心's staff see their 政法委's subtree). */
  async scopeRootFor(unitId: string): Promise<Unit> {
    const u = await this.require(unitId);
    const parent = u.parentId ? ((await this.get(u.parentId)) ?? null) : null;
    const root = scopeRoot(u as UnitNode, parent as UnitNode | null);
    return root.id === u.id ? u : (parent as Unit);
  }

  async parentOf(unitId: string): Promise<Unit | null> {
    const u = await this.require(unitId);
    return u.parentId ? ((await this.get(u.parentId)) ?? null) : null;
  }

  /** The 综治中心 that takes in appeals for a region: the deepest center whose region code prefixes it. */
  async intakeCenterFor(regionCode: string): Promise<Unit> {
    const all = await this.all();
    const centers = all.filter((u) => u.type === 'center' && u.active);
    let best: Unit | null = null;
    for (const c of centers) {
      const prefix = c.regionCode.replace(/(00)+$/, '');
      if (regionCode.startsWith(prefix) && (!best || prefix.length > best.regionCode.replace(/(00)+$/, '').length)) best = c;
    }
    if (best) return best;
    const root = all.find((u) => u.parentId === null);
    if (!root) throw new AppError(503, 'NO_ORG', '尚未配置组织机构', 'The organisation tree has not been set up');
    return root;
  }

  async visibleTo(p: StaffPrincipal): Promise<Unit[]> {
    requirePermission(p, 'org.read');
    const all = await this.all();
    // Admins of the deployment manage the whole tree; others see their scope.
    if (p.permissions.has('org.manage') || p.permissions.has('audit.read') || p.permissions.has('security.manage')) return all;
    return all.filter((u) => u.path.startsWith(p.scopePath));
  }

  async create(p: StaffPrincipal, input: NewUnit): Promise<Unit> {
    requirePermission(p, 'org.manage');
    const parent = input.parentId ? await this.require(input.parentId) : null;
    if (!parent && (await this.all()).some((u) => u.parentId === null)) {
      throw errors.validation('只能有一个根单位,请指定上级单位', 'There can be only one root unit: give a parent');
    }
    const id = input.id ?? `u-${newId().slice(-10).toLowerCase()}`;
    if (await this.get(id)) throw errors.conflict('DUPLICATE_ID', '单位编号已存在', 'A unit with this id already exists');
    const row: OrgUnitTable = {
      id,
      parent_id: parent?.id ?? null,
      name: input.name,
      short_name: input.shortName ?? input.name,
      type: input.type,
      level: input.level,
      region_code: input.regionCode,
      population: input.population ?? 0,
      peer_group: input.peerGroup ?? `${input.type}:${input.level}`,
      path: pathOf(parent?.path ?? null, id),
      active: 1,
      created_at: this.ctx.now(),
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.org.insert(trx, [row]);
      await this.audit.record(p, { action: 'org.create', objectType: 'unit', objectId: id, outcome: 'success', details: { name: row.name } }, trx);
    });
    await this.refresh();
    return toUnit(row);
  }

  async update(p: StaffPrincipal, id: string, patch: Partial<Pick<Unit, 'name' | 'shortName' | 'population' | 'peerGroup' | 'active'>>): Promise<Unit> {
    requirePermission(p, 'org.manage');
    await this.require(id);
    if (Object.values(patch).every((v) => v === undefined)) throw errors.validation('没有要修改的内容', 'Nothing to change');
    await this.ctx.db.transaction().execute(async (trx) => {
      await repos.org.update(trx, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.shortName !== undefined ? { short_name: patch.shortName } : {}),
        ...(patch.population !== undefined ? { population: patch.population } : {}),
        ...(patch.peerGroup !== undefined ? { peer_group: patch.peerGroup } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      });
      await this.audit.record(p, { action: 'org.update', objectType: 'unit', objectId: id, outcome: 'success', details: patch }, trx);
    });
    await this.refresh();
    return this.require(id);
  }

  /** The 派单目录 (category × region → unit), for the admin. */
  async catalogue(p: StaffPrincipal): Promise<{ categoryId: string; regionCode: string; unitId: string }[]> {
    requirePermission(p, 'org.read');
    const rows = await repos.org.catalogue(this.ctx.db);
    return rows.map((r) => ({ categoryId: r.category_id, regionCode: r.region_code, unitId: r.unit_id })).sort((a, b) => a.categoryId.localeCompare(b.categoryId) || a.regionCode.localeCompare(b.regionCode));
  }

  /** Sets (unitId) or removes (null) the unit for a category in a region; audited with before/after. */
  async setCatalogueEntry(p: StaffPrincipal, input: { categoryId: string; regionCode: string; unitId: string | null }, categoryExists: (id: string) => Promise<boolean>): Promise<{ categoryId: string; regionCode: string; unitId: string | null }> {
    requirePermission(p, 'org.manage');
    if (!(await categoryExists(input.categoryId))) throw errors.validation('类别不存在', 'Unknown category', { field: 'categoryId' });
    if (!(await this.regions()).some((r) => r.code === input.regionCode)) throw errors.validation('行政区划不在本地区范围内', 'The region is not part of this deployment', { field: 'regionCode' });
    if (input.unitId) {
      const u = await this.get(input.unitId);
      if (!u || !u.active) throw errors.validation('承办单位不存在或已停用', 'The unit does not exist or is inactive', { field: 'unitId' });
    }
    const before = await repos.org.catalogueUnit(this.ctx.db, input.categoryId, input.regionCode);
    await this.ctx.db.transaction().execute(async (trx) => {
      if (input.unitId) await repos.org.upsertCatalogue(trx, [{ category_id: input.categoryId, region_code: input.regionCode, unit_id: input.unitId }]);
      else await trx.deleteFrom('dispatch_catalogue').where('category_id', '=', input.categoryId).where('region_code', '=', input.regionCode).execute();
      await this.audit.record(p, { action: 'catalogue.set', objectType: 'dispatch_catalogue', objectId: `${input.categoryId}@${input.regionCode}`, outcome: 'success', details: { before, after: input.unitId } }, trx);
    });
    return input;
  }

  async regions(): Promise<RegionTable[]> {
    this.regionsCache ??= await repos.org.regions(this.ctx.db);
    return this.regionsCache;
  }
}
