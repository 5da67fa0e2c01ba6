// 派单目录 (category × region → unit): which unit an appeal of a category in a region is dispatched to.
// The admin filters it by category and region, changes an entry's unit, removes an entry (the region
// above then applies) and adds entries. Names from the shared reference data; the server validates.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Modal, Space, Table, Tag, TreeSelect } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { buildTree, getCategories, getRegions, getUnits } from '../../lib/ref.ts';
import type { Category, Region } from '../../lib/types.ts';
import { invalidate, useAsync } from '../../lib/useAsync.ts';
import { CategoryTreeSelect, UnitTreeSelect } from '../../components/Pickers.tsx';
import { ErrorAlert, ErrorState, errorText } from '../../components/States.tsx';

export interface CatalogueEntry {
  categoryId: string;
  regionCode: string;
  unitId: string;
}

interface EntryForm {
  categoryId?: string;
  regionCode?: string;
  unitId?: string;
}

const keyOf = (e: { categoryId: string; regionCode: string }) => `${e.categoryId}@${e.regionCode}`;

/** The code and every code below it. */
function subtree<T>(items: T[], id: (x: T) => string, parent: (x: T) => string | null, root: string): Set<string> {
  const out = new Set<string>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const x of items) {
      const p = parent(x);
      if (p && out.has(p) && !out.has(id(x))) {
        out.add(id(x));
        grew = true;
      }
    }
  }
  return out;
}

function RegionTreeSelect({ regions, value, onChange, testId, placeholder }: { regions: Region[]; value?: string | null; onChange?: (v: string | null) => void; testId: string; placeholder?: string }) {
  const tree = useMemo(() => buildTree<Region>(regions, (r) => r.code, (r) => r.parentCode, (r) => r.name), [regions]);
  return (
    <TreeSelect
      treeData={tree}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={tree.map((n) => n.key)}
      placeholder={placeholder}
      allowClear
      listHeight={320}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}

export default function Catalogue() {
  const { t, lang, pick } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const editable = can('org.manage');
  const [tick, setTick] = useState(0);
  const state = useAsync(() => api<{ items: CatalogueEntry[] }>('/api/v1/dispatch-catalogue').then((r) => r.items), [tick]);
  const cats = useAsync(() => getCategories(), []);
  const regions = useAsync(() => getRegions(), []);
  const units = useAsync(() => {
    // Units may have been switched off in the 组织机构 tab: read them afresh.
    invalidate('ref:units');
    return getUnits();
  }, []);
  const [fCat, setFCat] = useState<string | null>(null);
  const [fRegion, setFRegion] = useState<string | null>(null);
  const [editing, setEditing] = useState<CatalogueEntry | 'new' | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<EntryForm>();
  const newCat = Form.useWatch('categoryId', form);
  const newRegion = Form.useWatch('regionCode', form);

  const catById = useMemo(() => new Map((cats.data ?? []).map((c) => [c.id, c])), [cats.data]);
  const regionByCode = useMemo(() => new Map((regions.data ?? []).map((r) => [r.code, r])), [regions.data]);
  const unitById = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const byKey = useMemo(() => new Map((state.data ?? []).map((e) => [keyOf(e), e])), [state.data]);

  const catName = (id: string) => {
    const c = catById.get(id);
    return c ? pick(c.name, c.nameEn) : id;
  };
  const catParent = (id: string) => {
    const p = catById.get(id)?.parentId;
    const c = p ? catById.get(p) : undefined;
    return c ? pick(c.name, c.nameEn) : null;
  };
  const regionName = (code: string) => {
    const r = regionByCode.get(code);
    if (!r) return code;
    const p = r.parentCode ? regionByCode.get(r.parentCode) : undefined;
    return p && r.level === 'township' ? `${p.name} · ${r.name}` : r.name;
  };
  const unitName = (id: string) => unitById.get(id)?.name ?? id;

  const rows = useMemo(() => {
    const items = state.data ?? [];
    const catSet = fCat ? subtree<Category>(cats.data ?? [], (c) => c.id, (c) => c.parentId, fCat) : null;
    const regionSet = fRegion ? subtree<Region>(regions.data ?? [], (r) => r.code, (r) => r.parentCode, fRegion) : null;
    return items.filter((e) => (!catSet || catSet.has(e.categoryId)) && (!regionSet || regionSet.has(e.regionCode)));
  }, [state.data, cats.data, regions.data, fCat, fRegion]);

  const open = (e: CatalogueEntry | 'new') => {
    setErr(null);
    form.resetFields();
    if (e === 'new') form.setFieldsValue({ ...(fCat ? { categoryId: fCat } : {}), ...(fRegion ? { regionCode: fRegion } : {}) });
    else if (unitById.get(e.unitId)?.active) form.setFieldsValue({ unitId: e.unitId });
    setEditing(e);
  };

  const put = async (body: { categoryId: string; regionCode: string; unitId: string | null }): Promise<boolean> => {
    setErr(null);
    try {
      await api('/api/v1/dispatch-catalogue', { method: 'PUT', body });
      void message.success(t('common.success'));
      setTick((x) => x + 1);
      return true;
    } catch (e) {
      setErr(e);
      void message.error(errorText(e, lang));
      // The server names the field at fault: show its message under that field.
      const field = e instanceof ApiError ? e.details?.field : undefined;
      if (field === 'categoryId' || field === 'regionCode' || field === 'unitId') form.setFields([{ name: field, errors: [errorText(e, lang)] }]);
      return false;
    }
  };

  const submit = async () => {
    const v = await form.validateFields();
    if (!editing) return;
    const body =
      editing === 'new'
        ? { categoryId: v.categoryId!, regionCode: v.regionCode!, unitId: v.unitId! }
        : { categoryId: editing.categoryId, regionCode: editing.regionCode, unitId: v.unitId! };
    setSaving(true);
    const ok = await put(body);
    setSaving(false);
    if (ok) setEditing(null);
  };

  const remove = (e: CatalogueEntry) =>
    modal.confirm({
      title: t('cat.removeConfirm', { c: catName(e.categoryId), r: regionName(e.regionCode) }),
      content: t('cat.removeText'),
      okText: t('cat.remove'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'cat-remove-ok' },
      onOk: async () => {
        await put({ categoryId: e.categoryId, regionCode: e.regionCode, unitId: null });
      },
    });

  const refError = state.error ?? cats.error ?? regions.error ?? units.error;
  if (refError && !state.data) return <ErrorState error={refError} onRetry={state.error ? state.reload : cats.error ? cats.reload : regions.error ? regions.reload : units.reload} compact />;
  const existing = editing === 'new' && newCat && newRegion ? byKey.get(keyOf({ categoryId: newCat, regionCode: newRegion })) : undefined;

  return (
    <div data-testid="catalogue">
      <Alert type="info" showIcon title={t('admin.catalogueTitle')} description={t('cat.hint', { n: state.data?.length ?? 0 })} style={{ marginBottom: 12 }} />
      <div className="table-toolbar" style={{ flexWrap: 'wrap', gap: 8 }}>
        <Space wrap>
          <div style={{ width: 240 }}>
            <CategoryTreeSelect categories={cats.data ?? []} value={fCat} onChange={setFCat} testId="cat-filter-category" />
          </div>
          <div style={{ width: 240 }}>
            <RegionTreeSelect regions={regions.data ?? []} value={fRegion} onChange={setFRegion} testId="cat-filter-region" placeholder={t('cat.filterRegion')} />
          </div>
          <span className="muted small">{t('common.total', { n: rows.length })}</span>
        </Space>
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="cat-add">
            {t('cat.add')}
          </Button>
        )}
      </div>
      <Table<CatalogueEntry>
        rowKey={keyOf}
        size="small"
        loading={state.loading || cats.loading || regions.loading || units.loading}
        dataSource={rows}
        scroll={{ x: 820 }}
        locale={{ emptyText: t('cat.empty') }}
        pagination={{ pageSize: 20, showSizeChanger: false, size: 'small', showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            key: 'category',
            title: t('cat.category'),
            dataIndex: 'categoryId',
            ellipsis: true,
            render: (v: string) => (
              <span data-testid="cat-row-category">
                {catName(v)}
                {catParent(v) && <span className="muted small"> · {catParent(v)}</span>}
              </span>
            ),
          },
          { key: 'region', title: t('cat.region'), dataIndex: 'regionCode', width: 220, ellipsis: true, render: (v: string) => regionName(v) },
          {
            key: 'unit',
            title: t('cat.unit'),
            dataIndex: 'unitId',
            ellipsis: true,
            render: (v: string) => (
              <span data-testid="cat-row-unit">
                {unitName(v)}
                {unitById.get(v) && !unitById.get(v)!.active && <Tag style={{ marginLeft: 6 }}>{t('cat.inactiveUnit')}</Tag>}
              </span>
            ),
          },
          ...(editable
            ? [
                {
                  key: 'op',
                  title: t('common.actions'),
                  width: 120,
                  fixed: 'right' as const,
                  render: (_v: unknown, r: CatalogueEntry) => (
                    <Space size="small">
                      <a onClick={() => open(r)} data-testid="cat-edit">
                        {t('common.edit')}
                      </a>
                      <a onClick={() => remove(r)} data-testid="cat-remove">
                        {t('cat.remove')}
                      </a>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('cat.addTitle') : t('cat.editTitle')}
        onCancel={() => setEditing(null)}
        onOk={() => void submit()}
        confirmLoading={saving}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        okButtonProps={{ 'data-testid': 'cat-save' }}
        destroyOnHidden
        width={560}
      >
        {editing && editing !== 'new' && (
          <p data-testid="cat-editing">
            <strong>{catName(editing.categoryId)}</strong> · {regionName(editing.regionCode)}
            <br />
            <span className="muted small">
              {t('cat.unit')}:{unitName(editing.unitId)}
            </span>
          </p>
        )}
        <Form form={form} layout="vertical" requiredMark="optional">
          {editing === 'new' && (
            <>
              <Form.Item name="categoryId" label={t('cat.category')} rules={[{ required: true, message: t('cat.categoryRequired') }]}>
                <CategoryTreeSelect categories={cats.data ?? []} testId="cat-new-category" />
              </Form.Item>
              <Form.Item name="regionCode" label={t('cat.region')} rules={[{ required: true, message: t('cat.regionRequired') }]}>
                <RegionTreeSelect regions={regions.data ?? []} testId="cat-new-region" />
              </Form.Item>
            </>
          )}
          <Form.Item name="unitId" label={t('cat.unit')} rules={[{ required: true, message: t('cat.unitRequired') }]}>
            <UnitTreeSelect units={units.data ?? []} testId="cat-unit" />
          </Form.Item>
        </Form>
        {existing && <Alert type="warning" showIcon title={t('cat.exists', { u: unitName(existing.unitId) })} style={{ marginBottom: 8 }} />}
        <ErrorAlert error={err} />
      </Modal>
    </div>
  );
}
