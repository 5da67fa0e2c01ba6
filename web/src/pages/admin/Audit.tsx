// 审计: the tamper-evident audit trail, filtered and paged, and the verification of its hash chain.
import { useState } from 'react';
import { Alert, Button, Input, Space, Table, Tabs, Tag, Tooltip } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../../lib/api.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { hasMessage, type MessageKey } from '../../lib/messages.ts';
import type { AuditRecord } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { exportXlsx } from '../../lib/xlsx.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Signals } from './Signals.tsx';
import { ErrorAlert, ErrorState } from '../../components/States.tsx';

const KNOWN: Record<string, MessageKey> = {
  'auth.login': 'audit.a.login',
  'auth.logout': 'audit.a.logout',
  'auth.password.change': 'audit.a.password',
  'user.create': 'audit.a.userCreate',
  'org.create': 'audit.a.orgCreate',
  'org.update': 'audit.a.orgUpdate',
  'category.create': 'audit.a.categoryCreate',
  'category.update': 'audit.a.categoryUpdate',
  'calendar.override': 'audit.a.calendar',
  'calendar.override.remove': 'audit.a.calendarRemove',
  'pii.unmask': 'audit.a.unmask',
  'appeal.submit': 'audit.a.submit',
};

export function useActionLabel(): (a: string) => string {
  const { t } = useI18n();
  return (a) => {
    const k = KNOWN[a];
    if (k) return t(k);
    if (a.startsWith('appeal.')) {
      const act = a.slice(7);
      const key = `act.${act}`;
      return hasMessage(key) ? `${t('audit.appeal')}·${t(key)}` : `${t('audit.appeal')}·${act}`;
    }
    return a;
  };
}

function Trail() {
  const { t } = useI18n();
  const label = useActionLabel();
  const [filters, setFilters] = useState<{ action?: string; actorId?: string; objectId?: string }>({});
  const [draft, setDraft] = useState<{ action?: string; actorId?: string; objectId?: string }>({});
  const [page, setPage] = useState(1);
  const pageSize = 50;
  const state = useAsync((signal) => api<{ items: AuditRecord[] }>('/api/v1/audit', { query: { ...filters, page, pageSize }, signal }), [JSON.stringify(filters), page]);
  const [verify, setVerify] = useState<{ ok: boolean; checked: number; firstBroken: { seq: number; reason: string } | null } | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verr, setVerr] = useState<unknown>(null);
  const items = state.data?.items ?? [];

  const runVerify = async () => {
    setVerifying(true);
    setVerr(null);
    try {
      setVerify(await api('/api/v1/audit/verify'));
    } catch (e) {
      setVerr(e);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <>
      <div className="verify-box">
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={runVerify} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
        <span className="muted small">{t('audit.verifyHint')}</span>
      </div>
      {verify && (
        <Alert
          type={verify.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-verify-result"
          title={verify.ok ? t('audit.verifyOk', { n: verify.checked.toLocaleString() }) : t('audit.verifyBroken', { seq: verify.firstBroken?.seq ?? '?', reason: verify.firstBroken?.reason ?? '' })}
          style={{ marginBottom: 12 }}
        />
      )}
      <ErrorAlert error={verr} style={{ marginBottom: 12 }} />
      <div className="filter-bar">
        <Input allowClear placeholder={t('audit.fAction')} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value || undefined })} className="filter-small" />
        <Input allowClear placeholder={t('audit.fActor')} value={draft.actorId} onChange={(e) => setDraft({ ...draft, actorId: e.target.value || undefined })} className="filter-small" />
        <Input allowClear placeholder={t('audit.fObject')} value={draft.objectId} onChange={(e) => setDraft({ ...draft, objectId: e.target.value || undefined })} className="filter-small" />
        <Space>
          <Button
            type="primary"
            onClick={() => {
              setFilters(Object.fromEntries(Object.entries(draft).filter(([, v]) => v && v.trim()).map(([k, v]) => [k, v!.trim()])));
              setPage(1);
            }}
          >
            {t('common.search')}
          </Button>
          <Button
            onClick={() => {
              setDraft({});
              setFilters({});
              setPage(1);
            }}
          >
            {t('common.reset')}
          </Button>
          <Button
            disabled={items.length === 0}
            onClick={() =>
              exportXlsx(
                `audit-p${page}`,
                'audit',
                ['seq', t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.object'), t('audit.outcome'), 'IP', t('audit.details'), 'hash'],
                items.map((r) => [r.seq, fmtDateTime(r.at), r.actor_name ?? r.actor_id ?? '', label(r.action), `${r.object_type ?? ''} ${r.object_id ?? ''}`, r.outcome, r.ip ?? '', JSON.stringify(r.details ?? {}), r.hash]),
              )
            }
          >
            {t('common.exportXlsx')}
          </Button>
        </Space>
      </div>
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : (
        <Table<AuditRecord>
          rowKey="seq"
          size="small"
          loading={state.loading}
          dataSource={items}
          pagination={false}
          scroll={{ x: 1100 }}
          data-testid="audit-table"
          locale={{ emptyText: state.loading ? t('common.loading') : t('audit.none') }}
          columns={[
            { key: 'seq', title: '#', dataIndex: 'seq', width: 70 },
            { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 150, render: (v: string) => fmtDateTime(v) },
            {
              key: 'actor',
              title: t('audit.actor'),
              width: 170,
              ellipsis: true,
              render: (_v, r) =>
                r.actor_id ? (
                  <span className="mono small">{r.actor_id}</span>
                ) : (
                  <span className="muted">{r.actor_name && hasMessage(`audit.actor.${r.actor_name}`) ? t(`audit.actor.${r.actor_name}` as MessageKey) : (r.actor_name ?? '—')}</span>
                ),
            },
            { key: 'action', title: t('audit.action'), dataIndex: 'action', width: 170, render: (v: string) => <Tooltip title={v}>{label(v)}</Tooltip> },
            { key: 'obj', title: t('audit.object'), width: 210, ellipsis: true, render: (_v, r) => <span className="mono small">{r.object_type ? `${r.object_type}:${r.object_id ?? ''}` : '—'}</span> },
            {
              key: 'outcome',
              title: t('audit.outcome'),
              dataIndex: 'outcome',
              width: 80,
              render: (v: string) => <Tag color={v === 'success' ? 'green' : v === 'denied' ? 'orange' : 'red'}>{t(`audit.o.${v}` as MessageKey)}</Tag>,
            },
            { key: 'ip', title: 'IP', dataIndex: 'ip', width: 110, render: (v: string | null) => <span className="mono small">{v ?? '—'}</span> },
            { key: 'details', title: t('audit.details'), dataIndex: 'details', ellipsis: { showTitle: false }, render: (v: unknown) => <Tooltip title={<pre className="json-tip">{JSON.stringify(v, null, 2)}</pre>}><span className="mono small">{v ? JSON.stringify(v) : '—'}</span></Tooltip> },
            { key: 'hash', title: t('audit.hash'), dataIndex: 'hash', width: 100, render: (v: string) => <span className="mono small" title={v}>{v.slice(0, 10)}…</span> },
          ]}
        />
      )}
      <div className="pager">
        <Button disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
          {t('common.prevPage')}
        </Button>
        <span>{t('common.pageN', { n: page })}</span>
        <Button disabled={items.length < pageSize} onClick={() => setPage((p) => p + 1)}>
          {t('common.nextPage')}
        </Button>
      </div>
    </>
  );
}

export default function Audit() {
  const { t } = useI18n();
  return (
    <div className="page" data-testid="audit">
      <PageHeader title={t('audit.title')} sub={t('audit.sub')} />
      <Tabs
        className="console-tabs"
        items={[
          { key: 'trail', label: t('audit.tabTrail'), children: <Trail /> },
          { key: 'gaming', label: t('audit.tabGaming'), children: <Signals /> },
        ]}
      />
    </div>
  );
}
