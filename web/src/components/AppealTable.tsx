// The appeal list used by every staff page: server paging (up to 500 rows a page), deadline
// countdowns with overdue rows highlighted, keyboard navigation (J/K or ↑/↓, Enter opens, / searches),
// the detail drawer, and export of the rows shown.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button, Grid, Input, Pagination, Space, Table, Tooltip } from 'antd';
import type { TableProps } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../lib/api.ts';
import { fmtDateTime, fmtShort } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MessageKey } from '../lib/messages.ts';
import type { AppealListItem, Page } from '../lib/types.ts';
import { useAsync } from '../lib/useAsync.ts';
import { exportXlsx } from '../lib/xlsx.ts';
import { AppealDrawer } from './AppealDrawer.tsx';
import { categoryName, DueCell, regionName, StatusTag, unitName, UrgencyTag, useNow, type RefMaps } from './AppealBits.tsx';
import { FaceLabel } from './Faces.tsx';
import { ErrorState } from './States.tsx';

type ColumnsType<T> = NonNullable<TableProps<T>['columns']>;
type TablePaginationConfig = Exclude<TableProps<AppealListItem>['pagination'], false | undefined>;

export type AppealQuery = Record<string, string | number | boolean | undefined>;

export type ColumnKey = 'code' | 'title' | 'type' | 'category' | 'status' | 'unit' | 'region' | 'created' | 'due' | 'rating' | 'channel';

export function AppealTable({
  query,
  refs,
  columns = ['code', 'title', 'type', 'category', 'status', 'created', 'due'],
  defaultPageSize = 50,
  searchable = true,
  exportName,
  onTotal,
  reloadKey = 0,
  onChanged,
  toolbarExtra,
  testId = 'appeal-table',
}: {
  query: AppealQuery;
  refs: RefMaps;
  columns?: ColumnKey[];
  defaultPageSize?: number;
  searchable?: boolean;
  exportName?: string;
  onTotal?: (n: number) => void;
  reloadKey?: number;
  onChanged?: () => void;
  toolbarExtra?: React.ReactNode;
  testId?: string;
}) {
  const { t, pick } = useI18n();
  const now = useNow();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(defaultPageSize);
  const [q, setQ] = useState('');
  const [qInput, setQInput] = useState('');
  const [cursor, setCursor] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const wrapRef = useRef<HTMLDivElement>(null);
  const queryKey = JSON.stringify(query);
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;

  useEffect(() => {
    setPage(1);
    setCursor(0);
  }, [queryKey, q]);

  const state = useAsync(
    (signal) => api<Page<AppealListItem>>('/api/v1/appeals', { query: { ...query, q: q || undefined, page, pageSize }, signal }),
    [queryKey, q, page, pageSize, reloadKey, tick],
  );
  const items = state.data?.items ?? [];
  useEffect(() => {
    if (state.data) onTotal?.(state.data.total);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.data]);

  const refresh = useCallback(() => setTick((x) => x + 1), []);

  // Keyboard: J/K or arrows move, Enter opens, / focuses the search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (openId || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      const typing = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
      if (e.key === '/' && !typing && searchable) {
        e.preventDefault();
        (wrapRef.current?.querySelector('.table-search input') as HTMLInputElement | null)?.focus();
        return;
      }
      if (typing || document.querySelector('.ant-modal .ant-modal-content')) return;
      if (!wrapRef.current || wrapRef.current.offsetParent === null) return; // hidden tab
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        setCursor((c) => Math.min(items.length - 1, c + 1));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        setCursor((c) => Math.max(0, c - 1));
      } else if (e.key === 'Enter' && items[cursor]) {
        e.preventDefault();
        setOpenId(items[cursor]!.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, cursor, openId, searchable]);

  useEffect(() => {
    wrapRef.current?.querySelector('.row-cursor')?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  const cols = useMemo(() => {
    const all: Record<ColumnKey, ColumnsType<AppealListItem>[number]> = {
      code: { key: 'code', title: t('col.code'), dataIndex: 'trackingCode', width: 138, render: (v: string) => <span className="mono">{v}</span> },
      title: {
        key: 'title',
        title: t('col.title'),
        dataIndex: 'title',
        ellipsis: { showTitle: false },
        render: (v: string, r) => (
          <span className="title-cell">
            <UrgencyTag urgency={r.urgency} />
            {r.supervisionLevel > 0 && <span className="sup-mark">{t('col.supervised')}</span>}
            <Tooltip title={v} placement="topLeft">
              <span className="title-text">{v}</span>
            </Tooltip>
          </span>
        ),
      },
      type: { key: 'type', title: t('col.type'), dataIndex: 'type', width: 64, render: (v: string) => t(`type.${v}` as MessageKey) },
      category: { key: 'category', title: t('col.category'), dataIndex: 'categoryId', width: 170, ellipsis: true, render: (v: string | null) => categoryName(refs, v, pick) },
      status: { key: 'status', title: t('col.status'), dataIndex: 'status', width: 96, render: (v: AppealListItem['status']) => <StatusTag status={v} /> },
      unit: { key: 'unit', title: t('col.unit'), dataIndex: 'unitId', width: 150, ellipsis: true, render: (v: string | null) => unitName(refs, v, true) },
      region: { key: 'region', title: t('col.region'), dataIndex: 'regionCode', width: 150, ellipsis: true, render: (v: string) => regionName(refs, v) },
      created: { key: 'created', title: t('col.created'), dataIndex: 'createdAt', width: 104, render: (v: string) => <span title={fmtDateTime(v)}>{fmtShort(v)}</span> },
      due: { key: 'due', title: t('col.due'), dataIndex: 'handleDueAt', width: 120, render: (_v: string, r) => <DueCell item={r} now={now} /> },
      rating: { key: 'rating', title: t('col.rating'), dataIndex: 'lastRatingLevel', width: 110, render: (v: number | null) => <FaceLabel level={v} /> },
      channel: { key: 'channel', title: t('col.channel'), dataIndex: 'channel', width: 70, render: (v: string) => t(`channel.${v}` as MessageKey) },
    };
    return columns.map((k) => all[k]);
  }, [columns, t, pick, refs, now]);

  const doExport = () => {
    const header = columns.map((k) => t(`col.${k}` as MessageKey));
    const rows = items.map((r) =>
      columns.map((k) => {
        switch (k) {
          case 'code':
            return r.trackingCode;
          case 'title':
            return r.title;
          case 'type':
            return t(`type.${r.type}` as MessageKey);
          case 'category':
            return categoryName(refs, r.categoryId, pick);
          case 'status':
            return t(`status.${r.status}` as MessageKey);
          case 'unit':
            return unitName(refs, r.unitId);
          case 'region':
            return regionName(refs, r.regionCode);
          case 'created':
            return fmtDateTime(r.createdAt);
          case 'due':
            return fmtDateTime(r.handleDueAt) + (r.overdue ? ` (${t('detail.overdue')})` : '');
          case 'rating':
            return r.lastRatingLevel ? t(`face.${r.lastRatingLevel}` as MessageKey) : '';
          case 'channel':
            return t(`channel.${r.channel}` as MessageKey);
        }
        return '';
      }),
    );
    exportXlsx(`${exportName ?? 'appeals'}-${new Date().toISOString().slice(0, 10)}`, exportName ?? 'appeals', header, rows);
  };

  const pagination: TablePaginationConfig = {
    current: page,
    pageSize,
    total: state.data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200, 500],
    showTotal: (n) => (state.data?.totalCapped ? t('common.totalCapped', { n: n.toLocaleString() }) : t('common.total', { n: n.toLocaleString() })),
    onChange: (p, s) => {
      if (s !== pageSize) {
        setPageSize(s);
        setPage(1);
      } else setPage(p);
      setCursor(0);
    },
    size: 'small',
  };

  return (
    <div className="appeal-table" ref={wrapRef} data-testid={testId}>
      <div className="table-toolbar">
        {searchable && (
          <Input.Search
            allowClear
            placeholder={t('list.searchPh')}
            value={qInput}
            onChange={(e) => {
              setQInput(e.target.value);
              if (!e.target.value) setQ('');
            }}
            onSearch={(v) => setQ(v.trim())}
            className="table-search"
            data-testid="list-search"
          />
        )}
        <Space wrap>
          {toolbarExtra}
          <Button icon={<ReloadOutlined />} onClick={refresh} aria-label={t('common.refresh')}>
            {t('common.refresh')}
          </Button>
          {exportName && (
            <Button icon={<DownloadOutlined />} onClick={doExport} disabled={items.length === 0} data-testid="export-xlsx">
              {t('common.exportXlsx')}
            </Button>
          )}
        </Space>
      </div>
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : narrow ? (
        // Phones: one card per appeal, the deadline first.
        <div className="appeal-cards" aria-busy={state.loading}>
          {items.length === 0 && <div className="state-box muted">{state.loading ? t('common.loading') : t('list.empty')}</div>}
          {items.map((r, i) => (
            <button
              type="button"
              key={r.id}
              className={['appeal-card', r.overdue ? 'card-overdue' : '', i === cursor ? 'card-cursor' : ''].join(' ')}
              onClick={() => {
                setCursor(i);
                setOpenId(r.id);
              }}
              data-testid={`row-${r.trackingCode}`}
            >
              <span className="card-top">
                <StatusTag status={r.status} />
                <UrgencyTag urgency={r.urgency} />
                {r.supervisionLevel > 0 && <span className="sup-mark">{t('col.supervised')}</span>}
                <span className="card-due">
                  <DueCell item={r} now={now} />
                </span>
              </span>
              <span className="card-title">{r.title}</span>
              <span className="card-meta">
                <span className="mono">{r.trackingCode}</span> · {t(`type.${r.type}` as MessageKey)} · {categoryName(refs, r.categoryId, pick)} · {fmtShort(r.createdAt)}
              </span>
            </button>
          ))}
          <Pagination {...pagination} simple={{ readOnly: false }} />
        </div>
      ) : (
        <Table<AppealListItem>
          rowKey="id"
          size="small"
          columns={cols}
          dataSource={items}
          loading={state.loading}
          pagination={pagination}
          scroll={{ x: 900, y: 'calc(100vh - 330px)' }}
          sticky
          locale={{ emptyText: state.loading ? t('common.loading') : t('list.empty') }}
          rowClassName={(r, i) => [r.overdue ? 'row-overdue' : '', i === cursor ? 'row-cursor' : ''].join(' ')}
          onRow={(r, i) => ({
            onClick: () => {
              setCursor(i ?? 0);
              setOpenId(r.id);
            },
            'data-testid': `row-${r.trackingCode}`,
          }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
      {!narrow && <p className="muted small kbd-hint">{t('list.kbdHint')}</p>}
      <AppealDrawer
        id={openId}
        refs={refs}
        onClose={() => setOpenId(null)}
        onChanged={() => {
          refresh();
          onChanged?.();
        }}
      />
    </div>
  );
}
