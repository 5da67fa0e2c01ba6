// 考评发布: a month's assessment frozen when published (with the hash of its inputs); any snapshot can
// be recomputed from the events and checked. Leaders publish; leaders and auditors verify.
import { useState } from 'react';
import { App, Button, Popconfirm, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { useAsync } from '../../lib/useAsync.ts';
import { ErrorState, errorText } from '../../components/States.tsx';
import { Panel } from './Panel.tsx';

interface SnapshotMeta {
  id: string;
  period: { label: string; from: string; to: string };
  publishedAt: number;
  publishedBy: string;
  factsHash: string;
  appeals: number;
  units: number;
}
interface VerifyResult {
  ok: boolean;
  sealOk: boolean;
  factsHashMatches: boolean;
  differences: unknown[];
  differenceCount?: number;
}

export function SnapshotsPanel() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [checked, setChecked] = useState<Record<string, VerifyResult>>({});
  const state = useAsync((signal) => api<{ items: SnapshotMeta[] }>('/api/v1/metrics/snapshots', { signal }), [tick]);
  const lastMonth = dayjs().subtract(1, 'month').format('YYYY-MM');
  const published = (state.data?.items ?? []).some((s) => s.period.label === lastMonth);

  const publish = async () => {
    setBusy('publish');
    try {
      await api('/api/v1/metrics/snapshots', { method: 'POST', body: { period: lastMonth } });
      void message.success(t('snap.published', { p: lastMonth }));
      setTick((x) => x + 1);
    } catch (e) {
      modal.error({ title: t('snap.publishFailed'), content: errorText(e, lang) });
    } finally {
      setBusy(null);
    }
  };
  const verify = async (id: string) => {
    setBusy(id);
    try {
      const r = await api<VerifyResult>(`/api/v1/metrics/snapshots/${encodeURIComponent(id)}/verify`, { method: 'POST', body: {} });
      setChecked((c) => ({ ...c, [id]: r }));
    } catch (e) {
      void message.error(errorText(e, lang));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Panel
      title={t('snap.title')}
      sub={t('snap.sub')}
      testId="panel-snapshots"
      extra={
        can('metrics.publish') && !published ? (
          <Popconfirm title={t('snap.confirm', { p: lastMonth })} description={t('snap.confirmText')} okText={t('snap.publish')} cancelText={t('common.cancel')} onConfirm={publish}>
            <Button size="small" type="primary" loading={busy === 'publish'}>
              {t('snap.publishMonth', { p: lastMonth })}
            </Button>
          </Popconfirm>
        ) : undefined
      }
    >
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : (
        <Table<SnapshotMeta>
          size="small"
          rowKey="id"
          loading={state.loading}
          dataSource={state.data?.items ?? []}
          pagination={false}
          scroll={{ y: 220 }}
          locale={{ emptyText: t('snap.none') }}
          columns={[
            { key: 'p', title: t('snap.period'), width: 90, render: (_v, s) => s.period.label },
            { key: 'at', title: t('snap.at'), render: (_v, s) => fmtDateTime(s.publishedAt) },
            { key: 'n', title: t('snap.appeals'), width: 80, align: 'right', dataIndex: 'appeals' },
            {
              key: 'v',
              title: t('snap.check'),
              width: 130,
              render: (_v, s) =>
                checked[s.id] ? (
                  checked[s.id]!.ok ? (
                    <Tag color="green">{t('snap.ok')}</Tag>
                  ) : (
                    <Tag color="red">{t('snap.diff', { n: checked[s.id]!.differenceCount ?? checked[s.id]!.differences.length })}</Tag>
                  )
                ) : (
                  <Button size="small" loading={busy === s.id} onClick={() => void verify(s.id)}>
                    {t('snap.verify')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Panel>
  );
}
