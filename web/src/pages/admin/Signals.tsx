// 评价异常信号 for the auditor: signs of rating manipulation per unit and period (they never change a
// score; they say where to look), with the appeals and the evidence behind each.
import { useState } from 'react';
import { DatePicker, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../lib/api.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { useAsync } from '../../lib/useAsync.ts';
import { exportXlsx } from '../../lib/xlsx.ts';
import { ErrorState } from '../../components/States.tsx';

interface Signal {
  unitId: string;
  unitName: string;
  peerGroup: string;
  kind: string;
  kindZh: string;
  kindEn: string;
  measure: number;
  threshold: number;
  messageZh: string;
  messageEn: string;
  appeals: { appealId: string; trackingCode: string; title: string }[];
  evidence: { label: string; appealIds: string[] }[];
}

export function Signals() {
  const { t, pick } = useI18n();
  const [month, setMonth] = useState(() => dayjs().subtract(1, 'month').format('YYYY-MM'));
  const state = useAsync((signal) => api<{ items: Signal[] }>('/api/v1/metrics/signals', { query: { period: month }, signal }), [month]);
  const items = state.data?.items ?? [];
  return (
    <div data-testid="signals">
      <div className="table-toolbar">
        <span>
          {t('signals.period')}{' '}
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
        </span>
        <a
          onClick={() =>
            exportXlsx(
              `signals-${month}`,
              'signals',
              [t('col.unit'), t('signals.kind'), t('signals.measure'), t('signals.message'), t('signals.appeals')],
              items.map((s) => [s.unitName, pick(s.kindZh, s.kindEn), `${s.measure} / ${s.threshold}`, pick(s.messageZh, s.messageEn), s.appeals.map((a) => a.trackingCode).join(' ')]),
            )
          }
        >
          {t('common.exportXlsx')}
        </a>
      </div>
      <p className="muted small">{t('signals.note')}</p>
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : (
        <Table<Signal>
          size="small"
          rowKey={(s) => `${s.unitId}:${s.kind}`}
          loading={state.loading}
          dataSource={items}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 50, size: 'small', showTotal: (n) => t('common.total', { n }) }}
          locale={{ emptyText: state.loading ? t('common.loading') : t('signals.none') }}
          expandable={{
            expandedRowRender: (s) => (
              <div className="signal-detail">
                <div>
                  <strong>{t('signals.appeals')}:</strong>
                  {s.appeals.map((a) => (
                    <span key={a.appealId} className="signal-appeal">
                      <span className="mono">{a.trackingCode}</span> {a.title}
                    </span>
                  ))}
                </div>
                {s.evidence.length > 0 && (
                  <div>
                    <strong>{t('signals.evidence')}:</strong>
                    {s.evidence.map((e, i) => (
                      <div key={i} className="muted small">
                        “{e.label}” × {e.appealIds.length}
                      </div>
                    ))}
                  </div>
                )}
              </div>
            ),
          }}
          columns={[
            { key: 'unit', title: t('col.unit'), dataIndex: 'unitName', width: 240, ellipsis: true },
            { key: 'kind', title: t('signals.kind'), width: 150, render: (_v, s) => <Tag color="orange">{pick(s.kindZh, s.kindEn)}</Tag> },
            { key: 'm', title: t('signals.measure'), width: 110, render: (_v, s) => `${s.measure} / ${s.threshold}` },
            { key: 'msg', title: t('signals.message'), ellipsis: true, render: (_v, s) => pick(s.messageZh, s.messageEn) },
            { key: 'n', title: t('signals.appeals'), width: 90, align: 'right', render: (_v, s) => s.appeals.length },
          ]}
        />
      )}
    </div>
  );
}
