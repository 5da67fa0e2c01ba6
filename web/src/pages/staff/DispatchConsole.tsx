// 派单台: the triage queue (dispatch with a suggested unit, transfer, merge, redirect), overdue
// appeals to supervise, the approvals waiting on the centre (extensions, unreasonable appeals), and
// the 回访 list where a call's answer is recorded as the citizen's rating.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Progress, Radio, Segmented, Table, Tabs, Tag } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { api } from '../../lib/api.ts';
import { fmtDateTime, fmtShort } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { AppealDetail, AppealListItem, Page, RatingLevel, Solved, TaskItem } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { AppealDrawer } from '../../components/AppealDrawer.tsx';
import { DueCell, StatusTag, unitName, useNow, useRefMaps, type RefMaps } from '../../components/AppealBits.tsx';
import { AppealTable } from '../../components/AppealTable.tsx';
import { FacePicker } from '../../components/Faces.tsx';
import { PageHeader, StatCard } from '../../components/PageHeader.tsx';
import { ErrorState, errorText } from '../../components/States.tsx';

const ACTIVE = 'submitted,returned,dispatched,accepted,contacted';

async function total(query: Record<string, string | number>, signal: AbortSignal): Promise<number> {
  return (await api<Page<AppealListItem>>('/api/v1/appeals', { query: { ...query, pageSize: 0 }, signal })).total;
}

/** Approvals waiting on the centre. The list API cannot filter on them yet, so the appeals in
 *  handling are checked one by one (most urgent first, bounded). */
function Approvals({ refs, reloadKey, onChanged }: { refs: RefMaps; reloadKey: number; onChanged: () => void }) {
  const { t } = useI18n();
  const now = useNow();
  const [openId, setOpenId] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; of: number }>({ done: 0, of: 0 });
  const LIMIT = 300;
  const state = useAsync(
    async (signal) => {
      const list = await api<Page<AppealListItem>>('/api/v1/appeals', { query: { status: 'dispatched,accepted,contacted,replied', sort: 'due_asc', pageSize: LIMIT }, signal });
      const out: AppealDetail[] = [];
      let done = 0;
      setProgress({ done: 0, of: list.items.length });
      const queue = [...list.items];
      const worker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const d = await api<AppealDetail>(`/api/v1/appeals/${encodeURIComponent(item.id)}`, { signal });
          if (d.pendingExtensionDays !== null || d.unreasonablePending) out.push(d);
          done++;
          if (done % 10 === 0) setProgress({ done, of: list.items.length });
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      setProgress({ done, of: list.items.length });
      out.sort((a, b) => Date.parse(a.handleDueAt) - Date.parse(b.handleDueAt));
      return { items: out, scanned: list.items.length, total: list.total };
    },
    [reloadKey],
  );
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  return (
    <div data-testid="approvals">
      {state.loading && progress.of > 0 && (
        <div className="scan-progress">
          <span className="muted small">{t('dc.scanning', { n: progress.of })}</span>
          <Progress percent={Math.round((progress.done / Math.max(1, progress.of)) * 100)} size="small" />
        </div>
      )}
      {state.data && state.data.total > state.data.scanned && <Alert type="info" showIcon title={t('dc.scanLimited', { n: state.data.scanned, total: state.data.total })} style={{ marginBottom: 8 }} />}
      <Table<AppealDetail>
        rowKey="id"
        size="small"
        loading={state.loading}
        dataSource={state.data?.items ?? []}
        pagination={false}
        scroll={{ x: 820 }}
        locale={{ emptyText: state.loading ? t('common.loading') : t('dc.noApprovals') }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id) })}
        columns={[
          {
            key: 'kind',
            title: t('dc.approvalKind'),
            width: 150,
            render: (_v, r) => (
              <>
                {r.pendingExtensionDays !== null && <Tag color="orange">{t('dc.extN', { n: r.pendingExtensionDays })}</Tag>}
                {r.unreasonablePending && <Tag color="volcano">{t('dc.unreasonable')}</Tag>}
              </>
            ),
          },
          { key: 'code', title: t('col.code'), dataIndex: 'trackingCode', width: 138, render: (v: string) => <span className="mono">{v}</span> },
          { key: 'title', title: t('col.title'), dataIndex: 'title', ellipsis: true },
          { key: 'unit', title: t('col.unit'), dataIndex: 'unitId', width: 160, ellipsis: true, render: (v: string | null) => unitName(refs, v, true) },
          { key: 'status', title: t('col.status'), dataIndex: 'status', width: 96, render: (v: AppealListItem['status']) => <StatusTag status={v} /> },
          { key: 'due', title: t('col.due'), width: 120, render: (_v, r) => <DueCell item={r} now={now} /> },
        ]}
      />
      <p className="muted small">{t('dc.approvalNote')}</p>
      <AppealDrawer
        id={openId}
        refs={refs}
        onClose={() => setOpenId(null)}
        onChanged={() => {
          onChanged();
        }}
      />
    </div>
  );
}

function CallbackDialog({ task, onClose, onDone }: { task: TaskItem | null; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [reached, setReached] = useState<'yes' | 'no'>('yes');
  const [level, setLevel] = useState<RatingLevel>();
  const [form] = Form.useForm<{ solved: Solved; contacted: boolean; comment?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!task) return;
    setReached(task.appealStatus === 'replied' ? 'yes' : 'no');
    setLevel(undefined);
    setError(null);
    form.resetFields();
  }, [task, form]);
  if (!task) return null;
  const rateable = task.appealStatus === 'replied';
  const submit = async () => {
    let v: { solved: Solved; contacted: boolean; comment?: string; note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (reached === 'yes' && !level) {
      setError(new Error(t('rate.needFace')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body =
        reached === 'yes'
          ? { reached: true, rating: { level, solved: v.solved, contacted: v.contacted, comment: v.comment?.trim() || null } }
          : { reached: false, note: (v.note ?? '').trim() };
      await api(`/api/v1/tasks/${encodeURIComponent(task.id)}/callback`, { method: 'POST', body });
      void message.success(t('callback.saved'));
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`${t('callback.title')} · ${task.trackingCode}`} onCancel={onClose} onOk={submit} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={600} okButtonProps={{ 'data-testid': 'callback-ok' } as Record<string, string>}>
      <p className="modal-appeal-title">{task.appealTitle}</p>
      <Segmented
        block
        value={reached}
        onChange={(v) => setReached(v as 'yes' | 'no')}
        options={[
          { value: 'yes', label: t('callback.reached'), disabled: !rateable },
          { value: 'no', label: t('callback.notReached') },
        ]}
        style={{ marginBottom: 16 }}
      />
      {!rateable && <Alert type="info" showIcon title={t('callback.notRateable', { s: t(`status.${task.appealStatus}`) })} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark="optional">
        {reached === 'yes' ? (
          <>
            <div className="rate-label">{t('callback.askFace')}</div>
            <FacePicker value={level} onChange={setLevel} size="medium" name="callback-faces" />
            <Form.Item name="solved" label={t('rate.qSolved')} rules={[{ required: true, message: t('rate.needSolved') }]} style={{ marginTop: 12 }}>
              <Radio.Group optionType="button" options={(['yes', 'partly', 'no'] as Solved[]).map((s) => ({ value: s, label: t(`solved.${s}`) }))} />
            </Form.Item>
            <Form.Item name="contacted" label={t('rate.qContacted')} rules={[{ required: true, message: t('rate.needContacted') }]}>
              <Radio.Group optionType="button" options={[{ value: true, label: t('rate.contactedYes') }, { value: false, label: t('rate.contactedNo') }]} />
            </Form.Item>
            <Form.Item name="comment" label={t('callback.comment')} rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <p className="muted small">{t('callback.fairNote')}</p>
          </>
        ) : (
          <Form.Item
            name="note"
            label={t('callback.note')}
            rules={[
              { required: true, whitespace: true, message: t('common.reasonMin', { n: 2 }) },
              { min: 2, message: t('common.reasonMin', { n: 2 }) },
              { max: 500 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} placeholder={t('callback.notePh')} />
          </Form.Item>
        )}
      </Form>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} /> : null}
    </Modal>
  );
}

function Callbacks({ refs, reloadKey, onChanged }: { refs: RefMaps; reloadKey: number; onChanged: () => void }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [status, setStatus] = useState<'open' | 'done' | 'unreachable'>('open');
  const [task, setTask] = useState<TaskItem | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const now = Date.now();
  // Open tasks: up to 500 fetched at once, those whose appeal awaits its rating first (the others
  // were rated online meanwhile); done ones paged by the server.
  const open = status === 'open';
  const state = useAsync(
    (signal) => api<Page<TaskItem>>('/api/v1/tasks', { query: { kind: 'callback', status, page: open ? 1 : page, pageSize: open ? 500 : pageSize }, signal }),
    [status, open ? 0 : page, open ? 0 : pageSize, reloadKey, tick],
  );
  const rows = useMemo(() => {
    const items = state.data?.items ?? [];
    if (!open) return items;
    return [...items].sort((a, b) => (a.appealStatus === 'replied' ? 0 : 1) - (b.appealStatus === 'replied' ? 0 : 1) || Date.parse(a.dueAt) - Date.parse(b.dueAt));
  }, [state.data, open]);
  const rateable = open ? rows.filter((r) => r.appealStatus === 'replied').length : 0;
  return (
    <div data-testid="callbacks">
      <div className="table-toolbar">
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as typeof status);
            setPage(1);
          }}
          options={[
            { value: 'open', label: t('taskStatus.open') },
            { value: 'done', label: t('taskStatus.done') },
            { value: 'unreachable', label: t('taskStatus.unreachable') },
          ]}
        />
        <span className="muted small">
          {open && state.data ? `${t('callback.rateable', { n: rateable })} · ` : ''}
          {t('callback.hint')}
        </span>
      </div>
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : (
        <Table<TaskItem>
          rowKey="id"
          size="small"
          loading={state.loading}
          dataSource={rows}
          scroll={{ x: 860 }}
          locale={{ emptyText: state.loading ? t('common.loading') : t('callback.none') }}
          rowClassName={(r) => (r.status === 'open' && r.appealStatus !== 'replied' ? 'row-muted' : r.status === 'open' && Date.parse(r.dueAt) < now ? 'row-overdue' : '')}
          pagination={{
            current: page,
            pageSize,
            total: open ? rows.length : (state.data?.total ?? 0),
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (n) => t('common.total', { n: n.toLocaleString() }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
            size: 'small',
          }}
          columns={[
            { key: 'code', title: t('col.code'), dataIndex: 'trackingCode', width: 138, render: (v: string, r) => <a className="mono" onClick={() => setOpenId(r.appealId)}>{v}</a> },
            { key: 'title', title: t('col.title'), dataIndex: 'appealTitle', ellipsis: true },
            { key: 'astatus', title: t('col.status'), dataIndex: 'appealStatus', width: 110, render: (v: AppealListItem['status'], r) => (r.status === 'open' && v !== 'replied' ? <span className="muted small">{t('callback.alreadyRated')}</span> : <StatusTag status={v} />) },
            { key: 'unit', title: t('callback.by'), dataIndex: 'unitId', width: 150, ellipsis: true, render: (v: string | null) => unitName(refs, v, true) },
            { key: 'round', title: t('callback.round'), dataIndex: 'round', width: 64 },
            { key: 'due', title: t('callback.due'), dataIndex: 'dueAt', width: 110, render: (v: string) => <span className={status === 'open' && Date.parse(v) < now ? 'text-danger' : ''}>{fmtShort(v)}</span> },
            {
              key: 'act',
              title: t('common.actions'),
              width: 120,
              fixed: 'right',
              render: (_v, r) =>
                r.status === 'open' ? (
                  <Button size="small" type={r.appealStatus === 'replied' ? 'primary' : 'default'} icon={<PhoneOutlined />} onClick={() => setTask(r)} data-testid={`callback-${r.trackingCode}`}>
                    {t('callback.record')}
                  </Button>
                ) : (
                  <span className="muted small">{fmtDateTime(r.doneAt)}</span>
                ),
            },
          ]}
        />
      )}
      <CallbackDialog
        task={task}
        onClose={() => setTask(null)}
        onDone={() => {
          setTask(null);
          setTick((x) => x + 1);
          onChanged();
        }}
      />
      <AppealDrawer id={openId} refs={refs} onClose={() => setOpenId(null)} onChanged={() => setTick((x) => x + 1)} />
    </div>
  );
}

type TabKey = 'queue' | 'overdue' | 'handling' | 'approvals' | 'callbacks';

export default function DispatchConsole() {
  const { t } = useI18n();
  const refs = useRefMaps();
  const [tab, setTab] = useState<TabKey>('queue');
  const [reloadKey, setReloadKey] = useState(0);
  const bump = () => setReloadKey((k) => k + 1);
  const counts = useAsync(
    async (signal) => {
      const [queue, returned, overdue, handling, callbacks] = await Promise.all([
        total({ view: 'queue' }, signal),
        total({ status: 'returned' }, signal),
        total({ status: ACTIVE, overdue: 'true' }, signal),
        total({ status: 'dispatched,accepted,contacted' }, signal),
        api<Page<TaskItem>>('/api/v1/tasks', { query: { kind: 'callback', status: 'open', pageSize: 1 }, signal }).then((r) => r.total),
      ]);
      return { queue, returned, overdue, handling, callbacks };
    },
    [reloadKey],
  );
  const c = counts.data;
  const items = useMemo(
    () => [
      {
        key: 'queue',
        label: `${t('dc.queue')}${c ? ` ${c.queue}` : ''}`,
        children: (
          <AppealTable
            query={{ view: 'queue', sort: 'created_asc' }}
            refs={refs}
            columns={['code', 'title', 'type', 'category', 'status', 'region', 'channel', 'created', 'due']}
            exportName={t('dc.queue')}
            reloadKey={reloadKey}
            onChanged={bump}
            testId="queue-table"
          />
        ),
      },
      {
        key: 'overdue',
        label: `${t('dc.overdue')}${c ? ` ${c.overdue}` : ''}`,
        children: (
          <AppealTable
            query={{ status: ACTIVE, overdue: 'true', sort: 'due_asc' }}
            refs={refs}
            columns={['code', 'title', 'category', 'status', 'unit', 'created', 'due']}
            exportName={t('dc.overdue')}
            reloadKey={reloadKey}
            onChanged={bump}
            testId="overdue-table"
          />
        ),
      },
      {
        key: 'handling',
        label: t('dc.handling'),
        children: (
          <AppealTable
            query={{ status: 'dispatched,accepted,contacted,replied', sort: 'due_asc' }}
            refs={refs}
            columns={['code', 'title', 'category', 'status', 'unit', 'created', 'due']}
            exportName={t('dc.handling')}
            reloadKey={reloadKey}
            onChanged={bump}
            testId="handling-table"
          />
        ),
      },
      { key: 'approvals', label: t('dc.approvals'), children: tab === 'approvals' ? <Approvals refs={refs} reloadKey={reloadKey} onChanged={bump} /> : null },
      { key: 'callbacks', label: `${t('dc.callbacks')}${c ? ` ${c.callbacks}` : ''}`, children: <Callbacks refs={refs} reloadKey={reloadKey} onChanged={bump} /> },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, c, refs, reloadKey, tab],
  );
  return (
    <div className="page" data-testid="dispatch-console">
      <PageHeader title={t('dc.title')} sub={t('dc.sub')} />
      <div className="stat-row">
        <StatCard label={t('dc.queue')} value={c ? c.queue : '…'} tone="warn" onClick={() => setTab('queue')} active={tab === 'queue'} testId="dc-queue" hint={t('dc.queueHint')} />
        <StatCard label={t('dc.returned')} value={c ? c.returned : '…'} tone="warn" onClick={() => setTab('queue')} testId="dc-returned" hint={t('dc.returnedHint')} />
        <StatCard label={t('dc.overdue')} value={c ? c.overdue : '…'} tone="danger" onClick={() => setTab('overdue')} active={tab === 'overdue'} testId="dc-overdue" hint={t('dc.overdueHint')} />
        <StatCard label={t('dc.handling')} value={c ? c.handling : '…'} tone="info" onClick={() => setTab('handling')} active={tab === 'handling'} testId="dc-handling" hint={t('dc.handlingHint')} />
        <StatCard label={t('dc.callbacks')} value={c ? c.callbacks : '…'} tone="ok" onClick={() => setTab('callbacks')} active={tab === 'callbacks'} testId="dc-callbacks" hint={t('dc.callbacksHint')} />
      </div>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as TabKey)} items={items} destroyOnHidden={false} className="console-tabs" />
    </div>
  );
}
