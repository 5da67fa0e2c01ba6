// Tree pickers for units and categories, and a search picker for appeals (merge target).
import { useMemo, useRef, useState } from 'react';
import { Select, TreeSelect } from 'antd';
import { api } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { buildTree } from '../lib/ref.ts';
import type { AppealListItem, Category, Page, Unit } from '../lib/types.ts';

export function UnitTreeSelect({ units, value, onChange, exclude, placeholder, testId }: { units: Unit[]; value?: string; onChange?: (v: string) => void; exclude?: string | null; placeholder?: string; testId?: string }) {
  const { t } = useI18n();
  const tree = useMemo(
    () =>
      buildTree<Unit>(
        units.filter((u) => u.active),
        (u) => u.id,
        (u) => u.parentId,
        (u) => `${u.name}`,
      ),
    [units],
  );
  const mark = (nodes: typeof tree): typeof tree => nodes.map((n) => ({ ...n, disabled: n.value === exclude, ...(n.children ? { children: mark(n.children) } : {}) }));
  return (
    <TreeSelect
      treeData={mark(tree)}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={placeholder ?? t('pick.unit')}
      treeDefaultExpandedKeys={tree.map((n) => n.key)}
      listHeight={360}
      style={{ width: '100%' }}
      data-testid={testId ?? 'unit-select'}
      allowClear
    />
  );
}

export function CategoryTreeSelect({ categories, value, onChange, testId }: { categories: Category[]; value?: string | null; onChange?: (v: string | null) => void; testId?: string }) {
  const { t, pick } = useI18n();
  const tree = useMemo(() => buildTree<Category>(categories, (c) => c.id, (c) => c.parentId, (c) => pick(c.name, c.nameEn)), [categories, pick]);
  return (
    <TreeSelect
      treeData={tree}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={t('pick.category')}
      allowClear
      listHeight={320}
      style={{ width: '100%' }}
      data-testid={testId ?? 'category-select'}
    />
  );
}

/** Finds an appeal by tracking code or title words (for 合并). */
export function AppealSearchSelect({ value, onChange, excludeId }: { value?: string; onChange?: (v: string) => void; excludeId?: string }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const search = (q: string) => {
    window.clearTimeout(timer.current);
    if (q.trim().length < 2) return;
    timer.current = window.setTimeout(async () => {
      setLoading(true);
      try {
        const r = await api<Page<AppealListItem>>('/api/v1/appeals', { query: { q: q.trim(), pageSize: 20, status: 'submitted,returned,dispatched,accepted,contacted,replied,closed' } });
        setOptions(r.items.filter((a) => a.id !== excludeId).map((a) => ({ value: a.id, label: `${a.trackingCode} · ${a.title}` })));
      } catch {
        setOptions([]);
      } finally {
        setLoading(false);
      }
    }, 250);
  };
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      options={options}
      loading={loading}
      placeholder={t('pick.appeal')}
      notFoundContent={loading ? t('common.loading') : t('pick.appealNone')}
      style={{ width: '100%' }}
      data-testid="merge-target"
    />
  );
}
