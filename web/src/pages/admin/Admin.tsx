// 系统管理: org units, staff accounts and roles (三员分立), categories and deadlines, the working-day
// calendar. Each tab shows only to a role that may change it.
import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import { buildTree, getUnits } from '../../lib/ref.ts';
import type { CalendarOverrides, Category, Unit, User } from '../../lib/types.ts';
import { invalidate, useAsync } from '../../lib/useAsync.ts';
import { CategoryTreeSelect, UnitTreeSelect } from '../../components/Pickers.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Weights } from './Weights.tsx';
import Catalogue from './Catalogue.tsx';
import { ErrorAlert, ErrorState, LoadingState, errorText } from '../../components/States.tsx';

// The classifier page brings ECharts' heatmap: its own chunk, loaded when the tab opens.
const Classifier = lazy(() => import('./Classifier.tsx'));

const ROLES = ['handler', 'dispatcher', 'leader', 'sysadmin', 'secadmin', 'auditor'] as const;
const SEPARATED = ['sysadmin', 'secadmin', 'auditor'];
const LEVELS = ['province', 'city', 'county', 'township'] as const;
const UNIT_TYPES: { value: string; zh: string; en: string }[] = [
  { value: 'committee', zh: '政法委', en: 'Political-legal committee' },
  { value: 'center', zh: '综治中心', en: 'Comprehensive-governance centre' },
  { value: 'police_bureau', zh: '公安局', en: 'Public security bureau' },
  { value: 'police_station', zh: '派出所', en: 'Police station' },
  { value: 'court', zh: '人民法院', en: 'Court' },
  { value: 'tribunal', zh: '人民法庭', en: 'People’s tribunal' },
  { value: 'procuratorate', zh: '人民检察院', en: 'Procuratorate' },
  { value: 'justice_bureau', zh: '司法局', en: 'Justice bureau' },
  { value: 'justice_office', zh: '司法所', en: 'Justice office' },
  { value: 'mediation', zh: '人民调解委员会', en: 'Mediation committee' },
];

/** 三员分立, checked before sending (the server checks again). */
export function roleConflict(roles: string[]): boolean {
  return roles.some((r) => SEPARATED.includes(r)) && roles.length > 1;
}

function useSave() {
  const { message } = App.useApp();
  const { t, lang } = useI18n();
  return async (fn: () => Promise<unknown>, setErr: (e: unknown) => void): Promise<boolean> => {
    try {
      await fn();
      void message.success(t('common.success'));
      return true;
    } catch (e) {
      setErr(e);
      void message.error(errorText(e, lang));
      return false;
    }
  };
}

function UnitsTab() {
  const { t, pick } = useI18n();
  const save = useSave();
  const [tick, setTick] = useState(0);
  const state = useAsync(() => {
    invalidate('ref:units');
    return getUnits();
  }, [tick]);
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [form] = Form.useForm();
  const tree = useMemo(() => {
    const nodes = buildTree<Unit>(state.data ?? [], (u) => u.id, (u) => u.parentId, (u) => u.name);
    type Row = Unit & { key: string; children?: Row[] };
    const conv = (ns: typeof nodes): Row[] => ns.map((n) => ({ ...n.item, key: n.key, ...(n.children ? { children: conv(n.children) } : {}) }));
    return conv(nodes);
  }, [state.data]);
  const typeLabel = (v: string) => {
    const x = UNIT_TYPES.find((u) => u.value === v);
    return x ? pick(x.zh, x.en) : v;
  };
  const open = (u: Unit | 'new') => {
    setErr(null);
    form.resetFields();
    if (u === 'new') form.setFieldsValue({ level: 'township', type: 'police_station' });
    else form.setFieldsValue({ name: u.name, shortName: u.shortName, population: u.population, peerGroup: u.peerGroup, active: u.active });
    setEditing(u);
  };
  const submit = async () => {
    const v = await form.validateFields();
    const ok = await save(
      () =>
        editing === 'new'
          ? api('/api/v1/units', { method: 'POST', body: { ...v, parentId: v.parentId ?? null } })
          : api(`/api/v1/units/${encodeURIComponent((editing as Unit).id)}`, { method: 'PATCH', body: v }),
      setErr,
    );
    if (ok) {
      setEditing(null);
      setTick((x) => x + 1);
    }
  };
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  return (
    <>
      <div className="table-toolbar">
        <span className="muted small">{t('admin.unitsHint', { n: state.data?.length ?? 0 })}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('admin.newUnit')}
        </Button>
      </div>
      <Table
        size="small"
        loading={state.loading}
        dataSource={tree}
        pagination={false}
        scroll={{ x: 1000, y: 'calc(100vh - 320px)' }}
        expandable={{ expandedRowKeys: expanded ?? tree.map((r) => r.key), onExpandedRowsChange: (k) => setExpanded(k as string[]) }}
        columns={[
          { key: 'name', title: t('admin.unitName'), dataIndex: 'name', ellipsis: true },
          { key: 'short', title: t('admin.shortName'), dataIndex: 'shortName', width: 140, ellipsis: true },
          { key: 'type', title: t('admin.unitType'), dataIndex: 'type', width: 120, render: typeLabel },
          { key: 'level', title: t('admin.level'), dataIndex: 'level', width: 90, render: (v: string) => t(`level.${v}` as MessageKey) },
          { key: 'region', title: t('admin.regionCode'), dataIndex: 'regionCode', width: 100, render: (v: string) => <span className="mono">{v}</span> },
          { key: 'pop', title: t('admin.population'), dataIndex: 'population', width: 110, align: 'right', render: (v: number) => v.toLocaleString() },
          { key: 'peer', title: t('admin.peerGroup'), dataIndex: 'peerGroup', width: 160, ellipsis: true, render: (v: string) => <span className="mono small">{v}</span> },
          { key: 'active', title: t('admin.active'), dataIndex: 'active', width: 70, render: (v: boolean) => (v ? <Tag color="green">{t('admin.on')}</Tag> : <Tag>{t('admin.off')}</Tag>) },
          { key: 'op', title: t('common.actions'), width: 70, fixed: 'right', render: (_v, r) => <a onClick={() => open(r)}>{t('common.edit')}</a> },
        ]}
      />
      <Modal open={!!editing} title={editing === 'new' ? t('admin.newUnit') : t('admin.editUnit')} onCancel={() => setEditing(null)} onOk={submit} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={600}>
        <Form form={form} layout="vertical" requiredMark="optional">
          {editing === 'new' && (
            <Form.Item name="parentId" label={t('admin.parent')} rules={[{ required: true, message: t('admin.parentRequired') }]}>
              <UnitTreeSelect units={state.data ?? []} />
            </Form.Item>
          )}
          <Form.Item name="name" label={t('admin.unitName')} rules={[{ required: true, min: 2, max: 60, message: t('admin.nameRule') }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="shortName" label={t('admin.shortName')} rules={[{ max: 30 }]}>
            <Input maxLength={30} />
          </Form.Item>
          {editing === 'new' && (
            <Space wrap style={{ width: '100%' }} size="middle">
              <Form.Item name="type" label={t('admin.unitType')} rules={[{ required: true }]}>
                <Select style={{ width: 200 }} options={UNIT_TYPES.map((u) => ({ value: u.value, label: pick(u.zh, u.en) }))} />
              </Form.Item>
              <Form.Item name="level" label={t('admin.level')} rules={[{ required: true }]}>
                <Select style={{ width: 140 }} options={LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))} />
              </Form.Item>
              <Form.Item name="regionCode" label={t('admin.regionCode')} rules={[{ required: true, pattern: /^\d{6}(\d{3})?$/, message: t('admin.regionRule') }]}>
                <Input style={{ width: 140 }} maxLength={9} inputMode="numeric" />
              </Form.Item>
            </Space>
          )}
          <Space wrap size="middle">
            <Form.Item name="population" label={t('admin.population')}>
              <InputNumber min={0} max={200_000_000} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="peerGroup" label={t('admin.peerGroup')} extra={t('admin.peerGroupExtra')}>
              <Input maxLength={60} style={{ width: 240 }} />
            </Form.Item>
          </Space>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('admin.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
        <ErrorAlert error={err} />
      </Modal>
    </>
  );
}

function UsersTab() {
  const { t } = useI18n();
  const save = useSave();
  const [tick, setTick] = useState(0);
  // Sign-in accounts first, then the per-unit placeholder staff of the demo.
  const state = useAsync(() => api<{ items: User[] }>('/api/v1/users').then((r) => [...r.items].sort((a, b) => Number(a.username.startsWith('staff.')) - Number(b.username.startsWith('staff.')))), [tick]);
  const units = useAsync(() => getUnits(), []);
  const unitName = (id: string) => units.data?.find((u) => u.id === id)?.name ?? id;
  const [open, setOpen] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [form] = Form.useForm<{ username: string; displayName: string; password: string; unitId: string; roles: string[] }>();
  const submit = async () => {
    const v = await form.validateFields();
    const ok = await save(() => api('/api/v1/users', { method: 'POST', body: { ...v, username: v.username.trim(), displayName: v.displayName.trim() } }), setErr);
    if (ok) {
      setOpen(false);
      setTick((x) => x + 1);
    }
  };
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  return (
    <>
      <Alert type="info" showIcon title={t('admin.separationTitle')} description={t('admin.separationText')} style={{ marginBottom: 12 }} />
      <div className="table-toolbar">
        <span className="muted small">{t('admin.usersHint')}</span>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            setErr(null);
            form.resetFields();
            setOpen(true);
          }}
        >
          {t('admin.newUser')}
        </Button>
      </div>
      <Table<User>
        rowKey="id"
        size="small"
        loading={state.loading}
        dataSource={state.data ?? []}
        scroll={{ x: 960 }}
        pagination={{ pageSize: 50, showSizeChanger: false, size: 'small', showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { key: 'u', title: t('admin.username'), dataIndex: 'username', width: 180, ellipsis: true, render: (v: string) => <span className="mono">{v}</span> },
          { key: 'd', title: t('admin.displayName'), dataIndex: 'displayName', width: 180, ellipsis: true },
          { key: 'unit', title: t('admin.unit'), dataIndex: 'unitId', ellipsis: true, render: unitName },
          {
            key: 'roles',
            title: t('admin.roles'),
            dataIndex: 'roles',
            width: 200,
            render: (v: string[]) => v.map((r) => <Tag key={r} color={SEPARATED.includes(r) ? 'purple' : 'blue'}>{t(`role.${r}` as MessageKey)}</Tag>),
          },
          {
            key: 's',
            title: t('admin.state'),
            width: 200,
            render: (_v, r) => (
              <>
                {r.active ? <Tag color="green">{t('admin.on')}</Tag> : <Tag>{t('admin.off')}</Tag>}
                {r.mfaEnabled && <Tag color="blue">{t('admin.mfaOn')}</Tag>}
                {r.mustChangePassword && <Tag color="orange">{t('admin.mustChange')}</Tag>}
                {r.lockedUntil && Date.parse(r.lockedUntil) > Date.now() && <Tag color="red">{t('admin.locked')}</Tag>}
              </>
            ),
          },
          { key: 'c', title: t('admin.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmtDateTime(v) },
        ]}
      />
      <Modal open={open} title={t('admin.newUser')} onCancel={() => setOpen(false)} onOk={submit} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={560}>
        <Form form={form} layout="vertical" requiredMark="optional">
          <Form.Item name="username" label={t('admin.username')} rules={[{ required: true, min: 3, max: 64, pattern: /^[A-Za-z0-9_.-]+$/, message: t('admin.usernameRule') }]}>
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
          <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true, whitespace: true, max: 40 }]}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="password" label={t('admin.initialPassword')} extra={t('admin.initialPasswordExtra')} rules={[{ required: true, min: 8, message: t('login.pwRule') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="unitId" label={t('admin.unit')} rules={[{ required: true, message: t('act.unitRequired') }]}>
            <UnitTreeSelect units={units.data ?? []} />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('admin.roles')}
            rules={[
              { required: true, message: t('admin.rolesRequired') },
              { validator: (_r, v: string[] | undefined) => (v && roleConflict(v) ? Promise.reject(new Error(t('admin.separationError'))) : Promise.resolve()) },
            ]}
          >
            <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
        </Form>
        <ErrorAlert error={err} style={{ marginTop: 8 }} />
      </Modal>
    </>
  );
}

function CategoriesTab() {
  const { t, pick } = useI18n();
  const save = useSave();
  const [tick, setTick] = useState(0);
  const state = useAsync(() => api<{ items: Category[] }>('/api/v1/categories').then((r) => r.items), [tick]);
  const [editing, setEditing] = useState<Category | 'new' | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [form] = Form.useForm();
  const tree = useMemo(() => {
    const nodes = buildTree<Category>(state.data ?? [], (c) => c.id, (c) => c.parentId, (c) => c.name);
    type Row = Category & { key: string; children?: Row[] };
    const conv = (ns: typeof nodes): Row[] => ns.map((n) => ({ ...n.item, key: n.key, ...(n.children ? { children: conv(n.children) } : {}) }));
    return conv(nodes);
  }, [state.data]);
  const open = (c: Category | 'new') => {
    setErr(null);
    form.resetFields();
    if (c === 'new') form.setFieldsValue({ urgency: 'general', parentId: null });
    else form.setFieldsValue({ name: c.name, nameEn: c.nameEn, handleDays: c.handleDays, urgency: c.urgency, defaultUnitType: c.defaultUnitType, active: c.active, sort: c.sort });
    setEditing(c);
  };
  const submit = async () => {
    const v = await form.validateFields();
    const ok = await save(
      () =>
        editing === 'new'
          ? api('/api/v1/categories', { method: 'POST', body: { ...v, parentId: v.parentId ?? null, handleDays: v.handleDays ?? null, defaultUnitType: v.defaultUnitType ?? null } })
          : api(`/api/v1/categories/${encodeURIComponent((editing as Category).id)}`, { method: 'PATCH', body: { ...v, handleDays: v.handleDays ?? null, defaultUnitType: v.defaultUnitType ?? null } }),
      setErr,
    );
    if (ok) {
      invalidate('ref:categories');
      setEditing(null);
      setTick((x) => x + 1);
    }
  };
  const typeLabel = (v: string | null) => {
    if (!v) return '—';
    const x = UNIT_TYPES.find((u) => u.value === v);
    return x ? pick(x.zh, x.en) : v;
  };
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  return (
    <>
      <div className="table-toolbar">
        <span className="muted small">{t('admin.categoriesHint')}</span>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('admin.newCategory')}
        </Button>
      </div>
      <Table
        size="small"
        loading={state.loading}
        dataSource={tree}
        pagination={false}
        scroll={{ x: 900, y: 'calc(100vh - 320px)' }}
        expandable={{ expandedRowKeys: expanded ?? tree.map((r) => r.key), onExpandedRowsChange: (k) => setExpanded(k as string[]) }}
        columns={[
          { key: 'name', title: t('admin.categoryName'), dataIndex: 'name', ellipsis: true, render: (v: string, r) => pick(v, r.nameEn) },
          { key: 'id', title: 'ID', dataIndex: 'id', width: 150, ellipsis: true, render: (v: string) => <span className="mono small">{v}</span> },
          { key: 'unit', title: t('admin.defaultUnit'), dataIndex: 'defaultUnitType', width: 130, render: typeLabel },
          { key: 'days', title: t('admin.handleDays'), dataIndex: 'handleDays', width: 110, render: (v: number | null) => (v ? t('admin.daysN', { n: v }) : <span className="muted">{t('admin.byType')}</span>) },
          { key: 'urg', title: t('admin.urgency'), dataIndex: 'urgency', width: 130, render: (v: string) => t(`urgency.${v}` as MessageKey) },
          { key: 'op', title: t('common.actions'), width: 70, fixed: 'right', render: (_v, r) => <a onClick={() => open(r)}>{t('common.edit')}</a> },
        ]}
      />
      <Modal open={!!editing} title={editing === 'new' ? t('admin.newCategory') : t('admin.editCategory')} onCancel={() => setEditing(null)} onOk={submit} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={600}>
        <Form form={form} layout="vertical" requiredMark="optional">
          {editing === 'new' && (
            <>
              <Form.Item name="id" label="ID" rules={[{ required: true, pattern: /^[A-Za-z0-9_.:-]{1,64}$/, message: t('admin.idRule') }]}>
                <Input maxLength={64} />
              </Form.Item>
              <Form.Item name="parentId" label={t('admin.parentCategory')}>
                <CategoryTreeSelect categories={(state.data ?? []).filter((c) => c.parentId === null)} />
              </Form.Item>
            </>
          )}
          <Space wrap size="middle">
            <Form.Item name="name" label={t('admin.categoryName')} rules={[{ required: true, max: 40 }]}>
              <Input maxLength={40} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="nameEn" label={t('admin.categoryNameEn')} rules={[{ required: true, max: 80 }]}>
              <Input maxLength={80} style={{ width: 260 }} />
            </Form.Item>
          </Space>
          <Space wrap size="middle">
            <Form.Item name="handleDays" label={t('admin.handleDays')} extra={t('admin.handleDaysExtra')}>
              <InputNumber min={1} max={60} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="urgency" label={t('admin.urgency')}>
              <Radio.Group optionType="button" options={(['general', 'urgent', 'emergency'] as const).map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item name="defaultUnitType" label={t('admin.defaultUnit')}>
            <Select allowClear style={{ width: 240 }} options={UNIT_TYPES.map((u) => ({ value: u.value, label: pick(u.zh, u.en) }))} />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('admin.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Form>
        <ErrorAlert error={err} />
      </Modal>
    </>
  );
}

function CalendarTab() {
  const { t } = useI18n();
  const save = useSave();
  const { modal } = App.useApp();
  const [tick, setTick] = useState(0);
  const state = useAsync(() => api<CalendarOverrides>('/api/v1/calendar/overrides'), [tick]);
  const [err, setErr] = useState<unknown>(null);
  const [form] = Form.useForm<{ date: Dayjs; workday: boolean; note?: string }>();
  const add = async () => {
    const v = await form.validateFields();
    const ok = await save(() => api(`/api/v1/calendar/overrides/${v.date.format('YYYY-MM-DD')}`, { method: 'PUT', body: { workday: v.workday, note: v.note?.trim() || null } }), setErr);
    if (ok) {
      form.resetFields();
      setTick((x) => x + 1);
    }
  };
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  return (
    <>
      <Alert
        type="info"
        showIcon
        title={t('admin.calendarTitle')}
        description={t('admin.calendarText', { years: state.data?.officialYears.join('、') ?? '…' })}
        style={{ marginBottom: 12 }}
      />
      <Form form={form} layout="inline" className="inline-form" initialValues={{ workday: false }}>
        <Form.Item name="date" label={t('admin.date')} rules={[{ required: true, message: t('admin.dateRequired') }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="workday" label={t('admin.dayKind')}>
          <Radio.Group optionType="button" options={[{ value: false, label: t('admin.holiday') }, { value: true, label: t('admin.workday') }]} />
        </Form.Item>
        <Form.Item name="note" label={t('admin.note')} rules={[{ max: 100 }]}>
          <Input maxLength={100} placeholder={t('admin.notePh')} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" onClick={add}>
            {t('admin.addOverride')}
          </Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={err} style={{ margin: '8px 0' }} />
      <Table
        rowKey="date"
        size="small"
        loading={state.loading}
        dataSource={state.data?.overrides ?? []}
        pagination={false}
        scroll={{ x: 700 }}
        locale={{ emptyText: t('admin.noOverrides') }}
        style={{ marginTop: 12 }}
        columns={[
          { key: 'date', title: t('admin.date'), dataIndex: 'date', width: 130, render: (v: string) => `${v} ${dayjs(v).format('ddd')}` },
          { key: 'kind', title: t('admin.dayKind'), dataIndex: 'workday', width: 100, render: (v: boolean) => (v ? <Tag color="blue">{t('admin.workday')}</Tag> : <Tag color="red">{t('admin.holiday')}</Tag>) },
          { key: 'note', title: t('admin.note'), dataIndex: 'note', ellipsis: true },
          { key: 'at', title: t('admin.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (v: string) => fmtDateTime(v) },
          {
            key: 'op',
            title: t('common.actions'),
            width: 80,
            render: (_v, r) => (
              <a
                onClick={() =>
                  modal.confirm({
                    title: t('admin.removeOverride', { d: r.date }),
                    okText: t('common.delete'),
                    cancelText: t('common.cancel'),
                    okButtonProps: { danger: true },
                    onOk: async () => {
                      await save(() => api(`/api/v1/calendar/overrides/${r.date}`, { method: 'DELETE' }), setErr);
                      setTick((x) => x + 1);
                    },
                  })
                }
              >
                {t('common.delete')}
              </a>
            ),
          },
        ]}
      />
    </>
  );
}

function Pending({ what }: { what: MessageKey }) {
  const { t } = useI18n();
  return <Alert type="info" showIcon title={t(what)} description={t('common.apiMissing')} />;
}

export default function Admin() {
  const { t } = useI18n();
  const { can } = useAuth();
  const items = [
    can('org.manage') && { key: 'units', label: t('admin.tabUnits'), children: <UnitsTab /> },
    can('user.manage') && { key: 'users', label: t('admin.tabUsers'), children: <UsersTab /> },
    can('category.manage') && { key: 'categories', label: t('admin.tabCategories'), children: <CategoriesTab /> },
    can('calendar.manage') && { key: 'calendar', label: t('admin.tabCalendar'), children: <CalendarTab /> },
    can('org.manage') && { key: 'catalogue', label: t('admin.tabCatalogue'), children: <Catalogue /> },
    can('metrics.configure') && { key: 'weights', label: t('admin.tabWeights'), children: <Weights /> },
    can('category.manage') && {
      key: 'classifier',
      label: t('admin.tabClassifier'),
      children: (
        <Suspense fallback={<LoadingState />}>
          <Classifier />
        </Suspense>
      ),
    },
    can('security.manage') && { key: 'security', label: t('admin.tabSecurity'), children: <Pending what="admin.securityTitle" /> },
  ].filter(Boolean) as { key: string; label: string; children: React.ReactNode }[];
  return (
    <div className="page" data-testid="admin">
      <PageHeader title={t('admin.title')} sub={t('admin.sub')} />
      {items.length === 0 ? <Alert type="warning" showIcon title={t('common.forbidden')} /> : <Tabs items={items} destroyOnHidden className="console-tabs" />}
    </div>
  );
}
