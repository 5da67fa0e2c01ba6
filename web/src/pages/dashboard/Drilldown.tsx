// 数字背后的诉求: the appeals that make up one figure of the dashboard, each with why it counts.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Table, Tag } from 'antd';
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { AppealStatus } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { exportXlsx } from '../../lib/xlsx.ts';
import { AppealDrawer } from '../../components/AppealDrawer.tsx';
import { StatusTag, unitName, useRefMaps } from '../../components/AppealBits.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState } from '../../components/States.tsx';
import { metricsApi, type DrillItem } from './metrics.ts';

export default function Drilldown() {
  const { t, pick } = useI18n();
  const refs = useRefMaps();
  const [params] = useSearchParams();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [openId, setOpenId] = useState<string | null>(null);
  const period = params.get('period') ?? '';
  const unitId = params.get('unitId') ?? '';
  const subtree = params.get('subtree') !== 'false';
  const metric = params.get('metric') ?? 'volume';
  const outcome = params.get('outcome') ?? undefined;
  const label = params.get('label') ?? metric;
  const state = useAsync(
    (signal) => metricsApi.drilldown({ period, unitId, subtree, metric, ...(outcome ? { outcome } : {}), page, pageSize }, signal),
    [period, unitId, subtree, metric, outcome, page, pageSize],
  );
  const d = state.data;
  return (
    <div className="page" data-testid="drilldown">
      <PageHeader
        title={
          <span>
            {t('drill.title')} <Tag color="blue">{label}</Tag>
          </span>
        }
        sub={
          <span>
            {t('drill.sub', { unit: unitName(refs, unitId), period: d ? `${d.period.from} — ${d.period.to}` : period })} {subtree ? t('drill.subtree') : t('drill.own')}
          </span>
        }
        extra={
          <>
            <Link to="/staff/dashboard">
              <Button icon={<ArrowLeftOutlined />}>{t('drill.back')}</Button>
            </Link>
            <Button
              icon={<DownloadOutlined />}
              disabled={!d || d.items.length === 0}
              onClick={() =>
                d &&
                exportXlsx(
                  `drill-${metric}-${period}`,
                  label,
                  [t('col.code'), t('col.title'), t('col.status'), t('col.unit'), t('drill.why'), t('drill.score'), t('col.created')],
                  d.items.map((r) => [r.trackingCode, r.title, t(`status.${r.status as AppealStatus}`), unitName(refs, r.unitId), pick(r.whyZh, r.whyEn), r.score, fmtDateTime(r.createdAt)]),
                )
              }
            >
              {t('common.exportXlsx')}
            </Button>
          </>
        }
      />
      {d && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            <span>
              {t('drill.total')} <strong data-testid="drill-total">{d.total.toLocaleString()}</strong> {t('list.unit')}
              <span className="muted small" style={{ marginLeft: 12 }}>
                {t('drill.figure', { num: Number(d.figure.num.toFixed(2)).toLocaleString(), den: d.figure.den.toLocaleString() })}
              </span>
            </span>
          }
        />
      )}
      {state.error && !d ? (
        <ErrorState error={state.error} onRetry={state.reload} />
      ) : (
        <Table<DrillItem>
          rowKey="appealId"
          size="small"
          loading={state.loading}
          dataSource={d?.items ?? []}
          scroll={{ x: 960 }}
          locale={{ emptyText: state.loading ? t('common.loading') : t('list.empty') }}
          onRow={(r) => ({ onClick: () => setOpenId(r.appealId) })}
          pagination={{
            current: page,
            pageSize,
            total: d?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200, 500],
            showTotal: (n) => t('common.total', { n: n.toLocaleString() }),
            onChange: (p, s) => {
              setPage(s !== pageSize ? 1 : p);
              setPageSize(s);
            },
            size: 'small',
          }}
          columns={[
            { key: 'code', title: t('col.code'), dataIndex: 'trackingCode', width: 138, render: (v: string) => <span className="mono">{v}</span> },
            { key: 'title', title: t('col.title'), dataIndex: 'title', ellipsis: true },
            { key: 'status', title: t('col.status'), dataIndex: 'status', width: 96, render: (v: AppealStatus) => <StatusTag status={v} /> },
            { key: 'unit', title: t('col.unit'), dataIndex: 'unitId', width: 170, ellipsis: true, render: (v: string | null) => unitName(refs, v, true) },
            { key: 'why', title: t('drill.why'), width: 280, ellipsis: true, render: (_v, r) => pick(r.whyZh, r.whyEn) },
            { key: 'score', title: t('drill.score'), dataIndex: 'score', width: 70, align: 'right', render: (v: number | null) => (v === null ? '—' : v) },
            { key: 'created', title: t('col.created'), dataIndex: 'createdAt', width: 140, render: (v: number) => fmtDateTime(v) },
          ]}
        />
      )}
      <AppealDrawer id={openId} refs={refs} onClose={() => setOpenId(null)} />
    </div>
  );
}
