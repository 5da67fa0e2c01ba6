// The barometer's text-intelligence panels: 热点诉求 (active hotspots by heat, with a small weekly
// trend, each opening its appeals) and 矛盾易发点 (open medium/high risk appeals with the words that
// raised them). Both are live and follow the user's data scope.
import { useMemo, useState } from 'react';
import { App, Button, Modal, Segmented, Space, Table, Tag, Tooltip } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDate, fmtDateTime, fmtNumber, shanghaiDayStart } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { Hotspot, HotspotDetail, RiskAlert } from '../../lib/text.ts';
import type { AppealDetail } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { AppealDrawer } from '../../components/AppealDrawer.tsx';
import { StatusTag, unitName, type RefMaps } from '../../components/AppealBits.tsx';
import { RiskTag, riskKindLabel } from '../../components/InsightSection.tsx';
import { EmptyState, ErrorState, LoadingState, errorText } from '../../components/States.tsx';
import { exportXlsx } from '../../lib/xlsx.ts';
import { Panel } from './Panel.tsx';

const WEEK = 7 * 86_400_000;
const WEEKS = 8;

/** Appeals per week over the last eight weeks, from the hotspot's per-day counts. */
export function weeklyCounts(trend: { day: string; count: number }[], now: number): number[] {
  const out = new Array<number>(WEEKS).fill(0);
  for (const p of trend) {
    const age = Math.floor((now - shanghaiDayStart(p.day)) / WEEK);
    if (age >= 0 && age < WEEKS) out[WEEKS - 1 - age]! += p.count;
  }
  return out;
}

export function Sparkline({ values, width = 84, height = 22, color = '#c8252c' }: { values: number[]; width?: number; height?: number; color?: string }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden>
      <polyline points={`0,${height - 1} ${pts} ${width},${height - 1}`} fill={color} fillOpacity={0.12} stroke="none" />
      <polyline points={pts} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}

function HotspotDialog({ id, refs, onClose, onOpenAppeal }: { id: string | null; refs: RefMaps; onClose: () => void; onOpenAppeal: (id: string) => void }) {
  const { t } = useI18n();
  const LIST = 12;
  const state = useAsync(
    async (signal) => {
      if (!id) return null;
      const h = await api<HotspotDetail>(`/api/v1/hotspots/${encodeURIComponent(id)}`, { signal });
      const appeals = await Promise.all(
        h.appealIds.slice(0, LIST).map((a) => api<AppealDetail>(`/api/v1/appeals/${encodeURIComponent(a)}`, { signal }).catch((e: unknown) => ((e as Error)?.name === 'AbortError' ? Promise.reject(e) : null))),
      );
      return { h, appeals: appeals.filter((a): a is AppealDetail => a !== null) };
    },
    [id],
  );
  const d = state.data;
  return (
    <Modal open={!!id} title={d?.h.label ?? t('hot.label')} onCancel={onClose} footer={null} width={640} destroyOnHidden>
      {state.error && !d ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !d || state.loading ? (
        <LoadingState minHeight={120} />
      ) : (
        <div data-testid="hotspot-detail">
          <p className="small">
            {d.h.place && (
              <>
                <span className="muted">{t('hot.place')}:</span>
                {d.h.place} ·{' '}
              </>
            )}
            <span className="muted">{t('hot.owner')}:</span>
            {d.h.ownerUnit ? unitName(refs, d.h.ownerUnit.id) : '—'}
          </p>
          <p className="small">
            <span className="muted">{t('hot.heat')}:</span>
            <strong>{d.h.heat.toFixed(1)}</strong> · <span className="muted">{t('hot.appeals')}:</span>
            {d.h.appeals} · <span className="muted">{t('hot.citizens')}:</span>
            {d.h.citizens} · <span className="muted">{t('hot.first')}:</span>
            {fmtDate(d.h.firstAt)} · <span className="muted">{t('hot.last')}:</span>
            {fmtDate(d.h.lastAt)}
          </p>
          <Space size={[4, 4]} wrap>
            <span className="muted small">{t('hot.keywords')}:</span>
            {d.h.keywords.map((k) => (
              <Tag key={k}>{k}</Tag>
            ))}
          </Space>
          <h3 className="mini-h" style={{ marginTop: 12 }}>
            {t('hot.itsAppeals', { n: d.h.appealIds.length })}
          </h3>
          <ul className="hot-detail-appeals">
            {d.appeals.map((a) => (
              <li key={a.id}>
                <a className="mono" onClick={() => onOpenAppeal(a.id)}>
                  {a.trackingCode}
                </a>
                <span className="mini-title" title={a.title}>
                  {a.title}
                </span>
                <StatusTag status={a.status} />
              </li>
            ))}
          </ul>
          {d.h.appealIds.length > d.appeals.length && <p className="muted small">{t('hot.moreAppeals', { n: d.h.appealIds.length - d.appeals.length })}</p>}
        </div>
      )}
    </Modal>
  );
}

export function HotspotsPanel({ refs, tick, compact = false, limit = 8 }: { refs: RefMaps; tick: number; compact?: boolean; limit?: number }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [local, setLocal] = useState(0);
  const [openHot, setOpenHot] = useState<string | null>(null);
  const [openAppeal, setOpenAppeal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const state = useAsync((signal) => api<{ items: Hotspot[] }>('/api/v1/hotspots', { query: { status: 'active', limit }, signal }), [tick, local, limit]);
  const now = useMemo(() => Date.now(), [state.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = state.data?.items ?? [];
  const refresh = async () => {
    setBusy(true);
    try {
      const r = await api<{ detected: number; created: number; resolved: number }>('/api/v1/hotspots/refresh', { method: 'POST' });
      void message.success(t('hot.refreshed', { n: r.detected, c: r.created, r: r.resolved }));
      setLocal((x) => x + 1);
    } catch (e) {
      void message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel
      title={t('hot.title')}
      sub={t('hot.sub')}
      testId="panel-hotspots"
      extra={
        can('appeal.supervise') && !compact ? (
          <Tooltip title={t('hot.refresh')}>
            <Button size="small" type="text" icon={<SyncOutlined spin={busy} />} aria-label={t('hot.refresh')} onClick={() => void refresh()} disabled={busy} />
          </Tooltip>
        ) : undefined
      }
      onExportTable={
        rows.length
          ? () =>
              exportXlsx('hotspots', 'hotspots', [t('hot.label'), t('hot.heat'), t('hot.appeals'), t('hot.citizens'), t('hot.owner'), t('hot.keywords'), t('hot.first'), t('hot.last')], rows.map((h) => [h.label, Number(h.heat.toFixed(1)), h.appeals, h.citizens, h.ownerUnit?.name ?? '', h.keywords.join('、'), fmtDateTime(h.firstAt), fmtDateTime(h.lastAt)]))
          : undefined
      }
    >
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !state.data ? (
        <LoadingState minHeight={compact ? 80 : 150} />
      ) : rows.length === 0 ? (
        <EmptyState label={t('hot.none')} minHeight={compact ? 80 : 150} />
      ) : (
        <Table<Hotspot>
          size="small"
          rowKey="id"
          dataSource={rows}
          pagination={false}
          scroll={compact ? { y: 200 } : { x: 520 }}
          onRow={(r) => ({ onClick: () => setOpenHot(r.id), className: 'clickable', 'data-testid': `hotspot-${r.id}` } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            {
              key: 'label',
              title: t('hot.label'),
              ellipsis: true,
              render: (_v, r) => (
                <Tooltip title={`${t('hot.keywords')}:${r.keywords.join('、')}`}>
                  <span className="hot-label" data-testid="hotspot-label">
                    {r.label}
                  </span>
                </Tooltip>
              ),
            },
            { key: 'heat', title: t('hot.heat'), dataIndex: 'heat', width: 64, align: 'right', render: (v: number) => <strong data-testid="hotspot-heat">{v.toFixed(1)}</strong> },
            { key: 'appeals', title: t('hot.appeals'), dataIndex: 'appeals', width: 56, align: 'right', render: (v: number) => fmtNumber(v) },
            ...(compact ? [] : [{ key: 'citizens', title: t('hot.citizens'), dataIndex: 'citizens', width: 56, align: 'right' as const, render: (v: number) => fmtNumber(v) }]),
            ...(compact ? [] : [{ key: 'owner', title: t('hot.owner'), width: 120, ellipsis: true, render: (_v: unknown, r: Hotspot) => (r.ownerUnit ? <span title={r.ownerUnit.name}>{unitName(refs, r.ownerUnit.id, true) === r.ownerUnit.id ? r.ownerUnit.name : unitName(refs, r.ownerUnit.id, true)}</span> : '—') }]),
            {
              key: 'trend',
              title: <Tooltip title={t('hot.trendHint')}>{t('hot.trend')}</Tooltip>,
              width: 96,
              render: (_v, r) => {
                const w = weeklyCounts(r.trend, now);
                return (
                  <Tooltip title={`${t('hot.trendHint')}:${w.join(' · ')}`}>
                    <span>
                      <Sparkline values={w} />
                    </span>
                  </Tooltip>
                );
              },
            },
          ]}
        />
      )}
      <HotspotDialog id={openHot} refs={refs} onClose={() => setOpenHot(null)} onOpenAppeal={setOpenAppeal} />
      <AppealDrawer id={openAppeal} refs={refs} onClose={() => setOpenAppeal(null)} />
    </Panel>
  );
}

export function RiskPanel({ refs, tick, compact = false, limit = 10 }: { refs: RefMaps; tick: number; compact?: boolean; limit?: number }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<'all' | 'high'>('all');
  const [openId, setOpenId] = useState<string | null>(null);
  const [local, setLocal] = useState(0);
  const state = useAsync(
    (signal) => api<{ items: RiskAlert[] }>('/api/v1/risk-alerts', { query: { open: 'true', limit, level: level === 'high' ? 'high' : undefined }, signal }),
    [tick, local, level, limit],
  );
  const rows = state.data?.items ?? [];
  return (
    <Panel
      title={t('risk.title')}
      sub={t('risk.sub')}
      testId="panel-risk"
      extra={
        compact ? undefined : (
          <Segmented
            size="small"
            value={level}
            onChange={(v) => setLevel(v as 'all' | 'high')}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'high', label: t('risk.onlyHigh') },
            ]}
          />
        )
      }
    >
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !state.data ? (
        <LoadingState minHeight={compact ? 60 : 150} />
      ) : rows.length === 0 ? (
        <EmptyState label={t('risk.empty')} minHeight={compact ? 60 : 150} />
      ) : (
        <ul className="mini-list risk-list" data-testid="risk-list">
          {rows.map((a) => (
            <li key={a.appealId} onClick={() => setOpenId(a.appealId)} data-testid={`risk-${a.trackingCode}`}>
              <RiskTag level={a.level} />
              <span className="mini-title" title={a.title}>
                {a.title}
              </span>
              <span className="muted small">{fmtDate(a.createdAt)}</span>
              <span className="risk-line-words">
                {a.signals.flatMap((s) =>
                  s.words.map((w) => (
                    <Tag key={`${s.kind}-${w}`} color="volcano" title={riskKindLabel(s.kind, t)}>
                      {w}
                    </Tag>
                  )),
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <AppealDrawer id={openId} refs={refs} onClose={() => setOpenId(null)} onChanged={() => setLocal((x) => x + 1)} />
    </Panel>
  );
}
