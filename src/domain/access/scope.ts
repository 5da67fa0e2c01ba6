// Data scope: a staff user sees the subtree of the unit whose jurisdiction they work for.
// A 综治中心 coordinates for its 政法委, so its staff see the 政法委's whole subtree.

export interface UnitNode {
  id: string;
  parentId: string | null;
  type: string;
  path: string;
}

export const COORDINATING_UNIT_TYPES: ReadonlySet<string> = new Set(['center']);

/** The root of the subtree a user of `unit` may see. */
export function scopeRoot(unit: UnitNode, parent: UnitNode | null): UnitNode {
  return COORDINATING_UNIT_TYPES.has(unit.type) && parent ? parent : unit;
}

export function pathOf(parentPath: string | null, id: string): string {
  return `${parentPath ?? '/'}${id}/`;
}

/** True when `path` lies inside the subtree whose root path is `rootPath`. */
export function inScope(rootPath: string, path: string | null | undefined): boolean {
  return !!path && path.startsWith(rootPath);
}
