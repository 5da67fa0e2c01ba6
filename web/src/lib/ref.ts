// Reference data every page needs (categories, regions, units), fetched once and shared.
import { api } from './api.ts';
import type { Category, Region, Unit } from './types.ts';
import { cached } from './useAsync.ts';

export const getCategories = () => cached('ref:categories', () => api<{ items: Category[] }>('/api/v1/categories', { anonymous: true }).then((r) => r.items));
export const getRegions = () => cached('ref:regions', () => api<{ items: Region[] }>('/api/v1/regions', { anonymous: true }).then((r) => r.items));
export const getUnits = () => cached('ref:units', () => api<{ items: Unit[] }>('/api/v1/units').then((r) => r.items));

export interface TreeNode<T> {
  value: string;
  title: string;
  key: string;
  item: T;
  children?: TreeNode<T>[];
  selectable?: boolean;
}

/** Builds a tree from a flat list with parent ids; orphans (parent outside the list) become roots. */
export function buildTree<T>(items: T[], id: (x: T) => string, parent: (x: T) => string | null, title: (x: T) => string): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const x of items) nodes.set(id(x), { value: id(x), key: id(x), title: title(x), item: x });
  const roots: TreeNode<T>[] = [];
  for (const x of items) {
    const n = nodes.get(id(x))!;
    const p = parent(x);
    const pn = p ? nodes.get(p) : undefined;
    if (pn) (pn.children ??= []).push(n);
    else roots.push(n);
  }
  return roots;
}

export function byId<T extends { id: string }>(items: T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((x) => [x.id, x]));
}

/** The unit to suggest for an appeal: one of the category's default type in the appeal's street, else its district. */
export function suggestUnit(units: Unit[], category: Category | undefined, categories: Category[], regionCode: string): Unit | undefined {
  let type = category?.defaultUnitType ?? null;
  if (!type && category?.parentId) type = categories.find((c) => c.id === category.parentId)?.defaultUnitType ?? null;
  if (!type) return undefined;
  const active = units.filter((u) => u.active && u.type === type);
  return (
    active.find((u) => u.regionCode === regionCode) ??
    active.find((u) => u.regionCode === regionCode.slice(0, 6)) ??
    active.find((u) => regionCode.startsWith(u.regionCode)) ??
    undefined
  );
}
