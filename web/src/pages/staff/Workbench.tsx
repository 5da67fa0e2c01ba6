// 承办工作台: the unit's inbox with deadline countdowns, overdue rows highlighted, the detail drawer
// with sign / contact / reply / extension / return, all reachable from the keyboard.
import { useMemo, useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import type { Page, AppealListItem } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { useRefMaps } from '../../components/AppealBits.tsx';
import { AppealTable, type AppealQuery } from '../../components/AppealTable.tsx';
import { PageHeader, StatCard } from '../../components/PageHeader.tsx';

type Filter = 'todo' | 'dispatched' | 'working' | 'overdue' | 'replied' | 'all';

const QUERIES: Record<Filter, AppealQuery> = {
  todo: { view: 'inbox', status: 'dispatched,accepted,contacted', sort: 'due_asc' },
  dispatched: { view: 'inbox', status: 'dispatched', sort: 'due_asc' },
  working: { view: 'inbox', status: 'accepted,contacted', sort: 'due_asc' },
  overdue: { view: 'inbox', status: 'dispatched,accepted,contacted', overdue: 'true', sort: 'due_asc' },
  replied: { view: 'inbox', status: 'replied', sort: 'created_desc' },
  all: { view: 'inbox', sort: 'created_desc' },
};

const LABELS: Record<Filter, MessageKey> = {
  todo: 'wb.todo',
  dispatched: 'wb.dispatched',
  working: 'wb.working',
  overdue: 'wb.overdue',
  replied: 'wb.replied',
  all: 'wb.all',
};

async function count(q: AppealQuery, signal: AbortSignal): Promise<number> {
  return (await api<Page<AppealListItem>>('/api/v1/appeals', { query: { ...q, pageSize: 0 }, signal })).total;
}

export default function Workbench() {
  const { t } = useI18n();
  const { me } = useAuth();
  const refs = useRefMaps();
  const [filter, setFilter] = useState<Filter>('todo');
  const [reloadKey, setReloadKey] = useState(0);
  const counts = useAsync(
    async (signal) => {
      const keys: Filter[] = ['todo', 'dispatched', 'working', 'overdue', 'replied', 'all'];
      const values = await Promise.all(keys.map((k) => count(QUERIES[k], signal)));
      return Object.fromEntries(keys.map((k, i) => [k, values[i]!])) as Record<Filter, number>;
    },
    [reloadKey],
  );
  const query = useMemo(() => QUERIES[filter], [filter]);
  const tone: Partial<Record<Filter, 'danger' | 'warn' | 'info' | 'ok'>> = { overdue: 'danger', dispatched: 'warn', working: 'info', replied: 'ok' };

  return (
    <div className="page" data-testid="workbench">
      <PageHeader title={t('wb.title')} sub={t('wb.sub', { unit: me?.unit.name ?? '' })} />
      <div className="stat-row" role="tablist" aria-label={t('wb.filters')}>
        {(Object.keys(QUERIES) as Filter[]).map((f) => (
          <StatCard
            key={f}
            label={t(LABELS[f])}
            value={counts.data ? counts.data[f].toLocaleString() : '…'}
            {...(tone[f] ? { tone: tone[f] } : {})}
            active={filter === f}
            onClick={() => setFilter(f)}
            testId={`wb-${f}`}
          />
        ))}
      </div>
      <AppealTable
        query={query}
        refs={refs}
        columns={filter === 'replied' || filter === 'all' ? ['code', 'title', 'type', 'category', 'status', 'created', 'due', 'rating'] : ['code', 'title', 'type', 'category', 'status', 'created', 'due']}
        exportName={t('wb.exportName')}
        reloadKey={reloadKey}
        onChanged={() => setReloadKey((k) => k + 1)}
      />
    </div>
  );
}
