// 诉求查询: every appeal in the user's scope, filtered from the URL, so any figure on the dashboard
// can link to exactly the appeals behind it.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, DatePicker, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import { useRefMaps } from '../../components/AppealBits.tsx';
import { AppealTable, type AppealQuery } from '../../components/AppealTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { UnitTreeSelect } from '../../components/Pickers.tsx';
import { appealExportQuery, ExportButton } from '../../components/ExportButton.tsx';

const STATUSES = ['submitted', 'returned', 'dispatched', 'accepted', 'contacted', 'replied', 'closed', 'merged', 'redirected', 'unreasonable'] as const;
const TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'dispute'] as const;
const KEYS = ['status', 'unitId', 'categoryId', 'type', 'urgency', 'overdue', 'createdFrom', 'createdTo', 'view', 'sort', 'q'] as const;

export default function AppealList() {
  const { t } = useI18n();
  const refs = useRefMaps();
  const [params, setParams] = useSearchParams();
  const [total, setTotal] = useState<number | null>(null);
  const query = useMemo(() => {
    const q: AppealQuery = {};
    for (const k of KEYS) {
      const v = params.get(k);
      if (v) q[k] = v;
    }
    return q;
  }, [params]);
  const label = params.get('label');

  const set = (k: string, v: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    next.delete('label');
    setParams(next, { replace: true });
  };
  const status = params.get('status')?.split(',').filter(Boolean) ?? [];
  const from = params.get('createdFrom');
  const to = params.get('createdTo');

  return (
    <div className="page" data-testid="appeal-list">
      <PageHeader
        title={t('list.title')}
        sub={
          <span>
            {label && (
              <Tag color="blue" data-testid="drill-label">
                {label}
              </Tag>
            )}
            {t('list.totalLine')} <strong data-testid="list-total">{total === null ? '…' : total.toLocaleString()}</strong> {t('list.unit')}
          </span>
        }
        extra={<ExportButton path="/api/v1/appeals/export" query={appealExportQuery(params)} />}
      />
      <div className="filter-bar">
        <Select
          mode="multiple"
          allowClear
          placeholder={t('col.status')}
          value={status}
          onChange={(v: string[]) => set('status', v.join(','))}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          className="filter-status"
          maxTagCount="responsive"
        />
        <Select allowClear placeholder={t('col.type')} value={params.get('type') ?? undefined} onChange={(v?: string) => set('type', v)} options={TYPES.map((s) => ({ value: s, label: t(`type.${s}`) }))} className="filter-small" />
        <div className="filter-unit">
          <UnitTreeSelect units={refs.units} value={params.get('unitId') ?? undefined} onChange={(v) => set('unitId', v)} placeholder={t('col.unit')} />
        </div>
        <Select
          allowClear
          placeholder={t('list.overdue')}
          value={params.get('overdue') ?? undefined}
          onChange={(v?: string) => set('overdue', v)}
          options={[
            { value: 'true', label: t('list.overdueYes') },
            { value: 'false', label: t('list.overdueNo') },
          ]}
          className="filter-small"
        />
        <DatePicker.RangePicker
          value={[from ? dayjs(from) : null, to ? dayjs(to).subtract(1, 'day') : null] as [Dayjs | null, Dayjs | null]}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            const a = v?.[0];
            const b = v?.[1];
            if (a) next.set('createdFrom', `${a.format('YYYY-MM-DD')}T00:00:00+08:00`);
            else next.delete('createdFrom');
            if (b) next.set('createdTo', `${b.add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00`);
            else next.delete('createdTo');
            next.delete('label');
            setParams(next, { replace: true });
          }}
          allowEmpty={[true, true]}
        />
        <Button onClick={() => setParams(new URLSearchParams(), { replace: true })}>{t('common.reset')}</Button>
      </div>
      <Space className="muted small" style={{ marginBottom: 8 }} wrap>
        {t('list.scopeNote')}
      </Space>
      <AppealTable
        query={query}
        refs={refs}
        columns={['code', 'title', 'type', 'category', 'status', 'unit', 'region', 'created', 'due', 'rating']}
        exportName={label ?? t('list.exportName')}
        onTotal={setTotal}
      />
    </div>
  );
}

