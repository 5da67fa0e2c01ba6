// 晴雨表: one screen for a leader's subtree and period — the faces and their trend, the 民标指数 and
// the three rates with their trend, rankings per peer group with intervals, the funnel plot, the map,
// overdue and at-risk appeals, hotspots and risk alerts — every number leading to the appeals behind
// it. `bigScreen` renders the same data full-screen on a dark background for a command centre.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, ConfigProvider, DatePicker, Segmented, Select, Table, Tag, Tooltip, theme as antTheme } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, FullscreenExitOutlined, FullscreenOutlined, FundProjectionScreenOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDateTime, fmtNumber, fmtPercent } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import type { AppealListItem, Page } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { exportXlsx } from '../../lib/xlsx.ts';
import { AppealDrawer } from '../../components/AppealDrawer.tsx';
import { ACTIVE_STATUSES, DueCell, unitName, useNow, useRefMaps } from '../../components/AppealBits.tsx';
import { FACE_COLORS, FaceIcon } from '../../components/Faces.tsx';
import { UnitTreeSelect } from '../../components/Pickers.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/States.tsx';
import { EChart, type EChartHandle } from './EChart.tsx';
import { MapPanel } from './MapPanel.tsx';
import { metricsApi, periodPresets, type Funnel, type RankingRow, type Summary } from './metrics.ts';
import { Panel } from './Panel.tsx';
import { SnapshotsPanel } from './SnapshotsPanel.tsx';
import { HotspotsPanel, RiskPanel } from './TextPanels.tsx';
import { ReportButton } from '../../components/ExportButton.tsx';

const ACTIVE = ACTIVE_STATUSES.join(',');

interface Ctx {
  period: string;
  unitId: string;
  dark: boolean;
  drill: (metric: string, outcome: string | undefined, label: string, opts?: { unitId?: string; subtree?: boolean }) => void;
  /** Set while the period is the current month: switches to last month, complete (offered when empty). */
  toLastMonth?: (() => void) | undefined;
}

/** In an empty panel of the current month (the first days have few ratings): one click to last month. */
function LastMonthAction({ ctx }: { ctx: Ctx }) {
  const { t } = useI18n();
  if (!ctx.toLastMonth) return null;
  return (
    <Button size="small" onClick={ctx.toLastMonth} data-testid="see-last-month">
      {t('dash.seeLastMonth')}
    </Button>
  );
}

function pct(v: number | null | undefined): string {
  return fmtPercent(v, 1);
}

function Delta({ now, prev, digits = 1, percent }: { now: number | null | undefined; prev: number | null | undefined; digits?: number; percent?: boolean }) {
  const { t } = useI18n();
  if (now === null || now === undefined || prev === null || prev === undefined) return null;
  const d = percent ? (now - prev) * 100 : now - prev;
  if (Math.abs(d) < 0.05) return <span className="delta flat">{t('dash.flat')}</span>;
  const up = d > 0;
  return (
    <span className={up ? 'delta up' : 'delta down'} title={t('dash.vsPrev')}>
      {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
      {Math.abs(d).toFixed(digits)}
      {percent ? t('dash.pp') : ''}
    </span>
  );
}

function Kpi({ label, value, sub, extra, onClick, tone, testId }: { label: ReactNode; value: ReactNode; sub?: ReactNode; extra?: ReactNode; onClick?: () => void; tone?: string; testId?: string }) {
  const body = (
    <>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </span>
      <span className="kpi-sub">
        {sub}
        {extra}
      </span>
    </>
  );
  return onClick ? (
    <button type="button" className={`kpi kpi-click ${tone ?? ''}`} onClick={onClick} data-testid={testId}>
      {body}
    </button>
  ) : (
    <div className={`kpi ${tone ?? ''}`} data-testid={testId}>
      {body}
    </div>
  );
}

function KpiRow({ s, live, ctx }: { s: Summary; live: { overdue: number; queue: number } | undefined; ctx: Ctx }) {
  const { t } = useI18n();
  const f = s.figures;
  const prev = s.trend.length >= 2 ? s.trend[s.trend.length - 2] : undefined;
  const iv = f.index.interval95;
  return (
    <div className="kpi-row">
      <Kpi
        tone="kpi-index"
        label={<Tooltip title={t('dash.indexHint', { w1: s.weights.response, w2: s.weights.resolution, w3: s.weights.satisfaction })}>{t('dash.index')}</Tooltip>}
        value={f.index.value === null ? '—' : f.index.value.toFixed(1)}
        sub={iv ? t('dash.interval', { lo: iv[0].toFixed(1), hi: iv[1].toFixed(1) }) : t('dash.noRatings')}
        extra={<Delta now={f.index.value} prev={prev?.index} />}
        onClick={() => ctx.drill('assessed', undefined, t('dash.assessed'))}
        testId="kpi-index"
      />
      <Kpi
        label={t('dash.response')}
        value={pct(f.response.value)}
        sub={`${fmtNumber(f.response.num)} / ${fmtNumber(f.response.den)}`}
        extra={<Delta now={f.response.value} prev={prev?.response} percent />}
        onClick={() => ctx.drill('response', 'hit', t('dash.responseHit'))}
        testId="kpi-response"
      />
      <Kpi
        label={t('dash.resolution')}
        value={pct(f.resolution.value)}
        sub={`${t('solved.yes')} ${f.solved.yes} · ${t('solved.partly')} ${f.solved.partly} · ${t('solved.no')} ${f.solved.no}`}
        extra={<Delta now={f.resolution.value} prev={prev?.resolution} percent />}
        onClick={() => ctx.drill('resolution', undefined, t('dash.resolution'))}
        testId="kpi-resolution"
      />
      <Kpi
        label={t('dash.satisfaction')}
        value={pct(f.satisfaction.value)}
        sub={t('dash.ratedN', { n: fmtNumber(f.rated) })}
        extra={<Delta now={f.satisfaction.value} prev={prev?.satisfaction} percent />}
        onClick={() => ctx.drill('satisfaction', undefined, t('dash.satisfaction'))}
        testId="kpi-satisfaction"
      />
      <Kpi label={t('dash.volume')} value={fmtNumber(f.volume)} sub={t('dash.assessedN', { n: fmtNumber(f.assessed) })} onClick={() => ctx.drill('volume', undefined, t('dash.volume'))} testId="kpi-volume" />
      <Kpi label={t('dash.onTime')} value={pct(f.onTimeClosure.value)} sub={`${fmtNumber(f.onTimeClosure.num)} / ${fmtNumber(f.onTimeClosure.den)}`} onClick={() => ctx.drill('onTimeClosure', 'miss', t('dash.onTimeMiss'))} testId="kpi-ontime" />
      <Kpi
        tone="kpi-danger"
        label={t('dash.overdueNow')}
        value={live ? fmtNumber(live.overdue) : '…'}
        sub={t('dash.liveScope')}
        onClick={() => ctx.drill('__overdue', undefined, t('dash.overdueNow'))}
        testId="kpi-overdue"
      />
      <Kpi tone="kpi-warn" label={t('dash.queueNow')} value={live ? fmtNumber(live.queue) : '…'} sub={t('dash.liveScope')} onClick={() => ctx.drill('__queue', undefined, t('dash.queueNow'))} testId="kpi-queue" />
    </div>
  );
}

function FacesPanel({ s, ctx, height = 260 }: { s: Summary; ctx: Ctx; height?: number }) {
  const { t, pick } = useI18n();
  const total = s.faces.reduce((n, f) => n + f.count, 0);
  return (
    <Panel
      title={t('dash.facesTitle')}
      sub={t('dash.facesSub', { n: fmtNumber(total) })}
      testId="panel-faces"
      onExportTable={() => exportXlsx(`faces-${ctx.period}`, 'faces', [t('dash.face'), t('dash.count'), t('dash.share')], s.faces.map((f) => [`${f.face} ${pick(f.labelZh, f.labelEn)}`, f.count, total ? Number(((f.count / total) * 100).toFixed(2)) : null]))}
    >
      {total === 0 ? (
        <EmptyState label={t('dash.noRatings')} minHeight={height} action={<LastMonthAction ctx={ctx} />} />
      ) : (
        <div className="faces-bars" style={{ minHeight: height }}>
          {s.faces.map((f) => {
            const share = total ? f.count / total : 0;
            return (
              <button key={f.level} type="button" className="face-bar" onClick={() => ctx.drill('satisfaction', String(f.level), pick(f.labelZh, f.labelEn))} data-testid={`face-bar-${f.level}`}>
                <span className="face-bar-emoji" aria-hidden>
                  <FaceIcon level={f.level} />
                </span>
                <span className="face-bar-label">{pick(f.labelZh, f.labelEn)}</span>
                <span className="face-bar-track">
                  <span className="face-bar-fill" style={{ width: `${Math.max(share * 100, 0.5)}%`, background: FACE_COLORS[f.level] }} />
                </span>
                <span className="face-bar-count" data-testid={`face-count-${f.level}`}>
                  {fmtNumber(f.count)}
                </span>
                <span className="face-bar-share">{(share * 100).toFixed(1)}%</span>
              </button>
            );
          })}
          <p className="muted small">{t('dash.facesNote', { web: s.figures.ratingChannels.web, callback: s.figures.ratingChannels.callback })}</p>
        </div>
      )}
    </Panel>
  );
}

function FacesTrendPanel({ ctx, height = 260 }: { ctx: Ctx; height?: number }) {
  const { t } = useI18n();
  const chartRef = useRef<EChartHandle>(null);
  // Faces by month: the summary of each of the last six months (the trend endpoint carries rates only).
  const months = useMemo(() => {
    const end = /^\d{4}-\d{2}$/.test(ctx.period) ? dayjs(`${ctx.period}-01`) : dayjs();
    return Array.from({ length: 6 }, (_, i) => end.subtract(5 - i, 'month').format('YYYY-MM'));
  }, [ctx.period]);
  const state = useAsync((signal) => Promise.all(months.map((m) => metricsApi.summary({ period: m, unitId: ctx.unitId }, signal).then((s) => ({ m, faces: s.figures.faces })))), [months.join(), ctx.unitId]);
  const option = useMemo(() => {
    if (!state.data) return null;
    const levels = [5, 4, 3, 2, 1] as const;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v.toFixed(1)}%` },
      legend: { top: 0, itemWidth: 12, itemHeight: 10, ...(ctx.dark ? { textStyle: { color: '#c9d6ee' } } : {}) },
      grid: { left: 40, right: 12, top: 34, bottom: 24 },
      xAxis: { type: 'category', data: state.data.map((d) => d.m) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: levels.map((lv) => ({
        name: t(`face.${lv}` as MessageKey),
        type: 'bar',
        stack: 'faces',
        barMaxWidth: 36,
        itemStyle: { color: FACE_COLORS[lv] },
        data: state.data!.map((d) => {
          const tot = Object.values(d.faces).reduce((a, b) => a + b, 0);
          return tot ? Number(((d.faces[String(lv) as '1'] / tot) * 100).toFixed(2)) : 0;
        }),
      })),
    };
  }, [state.data, t, ctx.dark]);
  return (
    <Panel title={t('dash.facesTrend')} sub={t('dash.facesTrendSub')} chartRef={chartRef} imageName={`faces-trend-${ctx.period}`} testId="panel-faces-trend">
      {state.error && !state.data ? <ErrorState error={state.error} onRetry={state.reload} compact /> : option ? <EChart ref={chartRef} option={option} height={height} dark={ctx.dark} ariaLabel={t('dash.facesTrend')} /> : <LoadingState minHeight={height} />}
    </Panel>
  );
}

function TrendPanel({ s, ctx, height = 260 }: { s: Summary; ctx: Ctx; height?: number }) {
  const { t } = useI18n();
  const chartRef = useRef<EChartHandle>(null);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, ...(ctx.dark ? { textStyle: { color: '#c9d6ee' } } : {}) },
      grid: { left: 40, right: 44, top: 34, bottom: 24 },
      xAxis: { type: 'category', data: s.trend.map((p) => p.period), axisLabel: { formatter: (v: string) => v.slice(2) } },
      yAxis: [
        { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 5)), max: 100, name: t('dash.indexShort'), splitLine: { show: true } },
        { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 100 - 5) / 100), max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` }, splitLine: { show: false } },
      ],
      series: [
        { name: t('dash.index'), type: 'line', yAxisIndex: 0, data: s.trend.map((p) => (p.index === null ? null : Number(p.index.toFixed(2)))), lineStyle: { width: 3 }, itemStyle: { color: '#c8252c' }, symbolSize: 7 },
        { name: t('dash.response'), type: 'line', yAxisIndex: 1, data: s.trend.map((p) => p.response), itemStyle: { color: '#1c4fa8' }, symbol: 'none' },
        { name: t('dash.resolution'), type: 'line', yAxisIndex: 1, data: s.trend.map((p) => p.resolution), itemStyle: { color: '#13a8a8' }, symbol: 'none' },
        { name: t('dash.satisfaction'), type: 'line', yAxisIndex: 1, data: s.trend.map((p) => p.satisfaction), itemStyle: { color: '#f5a623' }, symbol: 'none' },
      ],
    }),
    [s.trend, t, ctx.dark],
  );
  return (
    <Panel
      title={t('dash.trendTitle')}
      sub={t('dash.trendSub')}
      chartRef={chartRef}
      imageName={`trend-${ctx.period}`}
      onExportTable={() =>
        exportXlsx(`trend-${ctx.period}`, 'trend', [t('dash.month'), t('dash.volume'), t('dash.rated'), t('dash.index'), t('dash.response'), t('dash.resolution'), t('dash.satisfaction')], s.trend.map((p) => [p.period, p.volume, p.rated, p.index === null ? null : Number(p.index.toFixed(2)), p.response, p.resolution, p.satisfaction]))
      }
      testId="panel-trend"
    >
      <EChart ref={chartRef} option={option} height={height} dark={ctx.dark} ariaLabel={t('dash.trendTitle')} />
    </Panel>
  );
}

function ChildrenPanel({ s, ctx, onScope }: { s: Summary; ctx: Ctx; onScope: (id: string) => void }) {
  const { t } = useI18n();
  const rows = [...s.children].sort((a, b) => b.volume - a.volume);
  return (
    <Panel
      title={t('dash.childrenTitle')}
      sub={t('dash.childrenSub', { unit: s.scope.name })}
      testId="panel-children"
      onExportTable={() =>
        exportXlsx(`units-${ctx.period}`, 'units', [t('col.unit'), t('dash.volume'), t('dash.assessed'), t('dash.rated'), t('dash.index'), t('dash.response'), t('dash.resolution'), t('dash.satisfaction')], rows.map((r) => [r.unit.name, r.volume, r.assessed, r.rated, r.index === null ? null : Number(r.index.toFixed(2)), r.response, r.resolution, r.satisfaction]))
      }
    >
      {rows.length === 0 ? (
        <EmptyState label={t('dash.noChildren')} />
      ) : (
        <Table
          size="small"
          rowKey={(r) => r.unit.unitId}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 640, y: 360 }}
          columns={[
            {
              key: 'name',
              title: t('col.unit'),
              ellipsis: true,
              render: (_v, r) => (
                <a onClick={() => onScope(r.unit.unitId)} title={t('dash.enterScope')}>
                  {r.unit.name}
                </a>
              ),
            },
            {
              key: 'vol',
              title: t('dash.volume'),
              width: 92,
              align: 'right',
              sorter: (a, b) => a.volume - b.volume,
              render: (_v, r) => (
                <a onClick={() => ctx.drill('volume', undefined, `${r.unit.shortName} · ${t('dash.volume')}`, { unitId: r.unit.unitId, subtree: true })} data-testid={`child-volume-${r.unit.unitId}`}>
                  {fmtNumber(r.volume)}
                </a>
              ),
            },
            { key: 'rated', title: t('dash.rated'), width: 92, align: 'right', dataIndex: 'rated' },
            { key: 'idx', title: t('dash.index'), width: 92, align: 'right', sorter: (a, b) => (a.index ?? -1) - (b.index ?? -1), render: (_v, r) => (r.index === null ? '—' : r.index.toFixed(1)) },
            { key: 'resp', title: t('dash.response'), width: 92, align: 'right', render: (_v, r) => pct(r.response) },
            { key: 'res', title: t('dash.resolution'), width: 92, align: 'right', render: (_v, r) => pct(r.resolution) },
            { key: 'sat', title: t('dash.satisfaction'), width: 92, align: 'right', render: (_v, r) => pct(r.satisfaction) },
          ]}
        />
      )}
    </Panel>
  );
}

/** An interval on the 0–100 scale with the estimate and the peer median. */
function IntervalBar({ lo, hi, est, median, min = 50, max = 100 }: { lo: number; hi: number; est: number; median: number; min?: number; max?: number }) {
  const x = (v: number) => `${((Math.min(max, Math.max(min, v)) - min) / (max - min)) * 100}%`;
  return (
    <span className="ibar" aria-hidden>
      <span className="ibar-median" style={{ left: x(median) }} />
      <span className="ibar-range" style={{ left: x(lo), width: `calc(${x(hi)} - ${x(lo)})` }} />
      <span className="ibar-dot" style={{ left: x(est) }} />
    </span>
  );
}

function RankingPanel({ ctx, peerGroups, pg, setPg, compact, tableHeight = 380 }: { ctx: Ctx; peerGroups: { value: string; label: string; units: number }[]; pg: string | undefined; setPg: (v: string) => void; compact?: boolean; tableHeight?: number }) {
  const { t, pick } = useI18n();
  const state = useAsync((signal) => (pg ? metricsApi.rankings({ period: ctx.period, peerGroup: pg }, signal) : Promise.resolve(null)), [ctx.period, pg]);
  const rows = state.data?.units ?? [];
  const ests = rows.map((r) => r.index.estimate);
  const median = ests.length ? [...ests].sort((a, b) => a - b)[Math.floor(ests.length / 2)]! : 0;
  const lo = Math.floor(Math.min(80, ...rows.map((r) => r.index.interval95[0])) / 5) * 5;
  const verdict = (r: RankingRow) => {
    if (r.index.notDistinguishableFromMedian) return <Tag>{t('dash.notDistinct')}</Tag>;
    return r.index.diffFromMedian95[0] > 0 ? <Tag color="green">{t('dash.better')}</Tag> : <Tag color="red">{t('dash.worse')}</Tag>;
  };
  return (
    <Panel
      title={t('dash.rankTitle')}
      sub={state.data ? t('dash.rankSub', { n: rows.length, draws: state.data.draws }) : undefined}
      testId="panel-ranking"
      extra={<Select size="small" value={pg} onChange={setPg} options={peerGroups} style={{ width: 220 }} popupMatchSelectWidth={false} data-testid="peer-group" />}
      onExportTable={
        state.data
          ? () =>
              exportXlsx(
                `ranking-${ctx.period}-${pg}`,
                'ranking',
                [t('dash.rank'), t('dash.rankInterval'), t('col.unit'), t('dash.indexEst'), t('dash.ci95'), t('dash.rawIndex'), t('dash.rated'), t('dash.pBetter'), t('dash.verdict')],
                rows.map((r) => [
                  r.index.rank,
                  `${Math.round(r.index.rankInterval95[0])}–${Math.round(r.index.rankInterval95[1])}`,
                  r.name,
                  Number(r.index.estimate.toFixed(2)),
                  `${r.index.interval95[0].toFixed(1)}–${r.index.interval95[1].toFixed(1)}`,
                  r.raw.index === null ? null : Number(r.raw.index.toFixed(2)),
                  r.rated,
                  Number((r.index.pBetterThanMedian * 100).toFixed(1)),
                  r.index.notDistinguishableFromMedian ? t('dash.notDistinct') : r.index.diffFromMedian95[0] > 0 ? t('dash.better') : t('dash.worse'),
                ]),
              )
          : undefined
      }
    >
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !state.data ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState label={t('dash.noRanking')} action={<LastMonthAction ctx={ctx} />} />
      ) : (
        <>
          <Table<RankingRow>
            size="small"
            rowKey="unitId"
            dataSource={rows}
            pagination={false}
            scroll={compact ? { y: tableHeight } : { x: 720, y: tableHeight }}
            onRow={(r) => ({ onClick: () => r.inScope && ctx.drill('assessed', undefined, `${r.name} · ${t('dash.assessed')}`, { unitId: r.unitId, subtree: false }) })}
            columns={[
              { key: 'rank', title: t('dash.rank'), width: compact ? 76 : 84, render: (_v, r) => <span title={t('dash.rankIntervalHint')}><b>{r.index.rank}</b> <span className="muted small">({Math.round(r.index.rankInterval95[0])}–{Math.round(r.index.rankInterval95[1])})</span></span> },
              { key: 'name', title: t('col.unit'), dataIndex: 'name', ellipsis: true, render: (v: string, r) => <span className={r.inScope ? '' : 'muted'}>{v}</span> },
              {
                key: 'iv',
                title: t('dash.ci95'),
                width: 190,
                render: (_v, r) => (
                  <span className="ibar-cell">
                    <IntervalBar lo={r.index.interval95[0]} hi={r.index.interval95[1]} est={r.index.estimate} median={median} min={lo} />
                    <span className="small mono">{r.index.estimate.toFixed(1)}</span>
                  </span>
                ),
              },
              ...(compact
                ? []
                : [
                    { key: 'raw', title: t('dash.rawIndex'), width: 76, align: 'right' as const, render: (_v: unknown, r: RankingRow) => (r.raw.index === null ? '—' : r.raw.index.toFixed(1)) },
                    { key: 'rated', title: t('dash.rated'), width: 64, align: 'right' as const, dataIndex: 'rated' },
                  ]),
              { key: 'v', title: t('dash.verdict'), width: 96, render: (_v: unknown, r: RankingRow) => verdict(r) },
            ]}
          />
          {!compact && state.data.unranked.length > 0 && <p className="muted small panel-note">{t('dash.unranked', { n: state.data.unranked.length, names: state.data.unranked.slice(0, 5).map((u) => u.name).join('、') })}</p>}
          {!compact && <p className="muted small panel-note">{t('dash.rankNote', { label: pick(state.data.labelZh, state.data.labelEn) })}</p>}
        </>
      )}
    </Panel>
  );
}

function FunnelPanel({ ctx, pg, height = 340 }: { ctx: Ctx; pg: string | undefined; height?: number }) {
  const { t } = useI18n();
  const [metric, setMetric] = useState('satisfaction');
  const chartRef = useRef<EChartHandle>(null);
  const state = useAsync((signal) => (pg ? metricsApi.funnel({ period: ctx.period, peerGroup: pg, metric }, signal) : Promise.resolve(null)), [ctx.period, pg, metric]);
  const f: Funnel | null | undefined = state.data;
  const option = useMemo(() => {
    if (!f) return null;
    const line = (k: 'lower95' | 'upper95' | 'lower998' | 'upper998', name: string, dash: boolean) => ({
      name,
      type: 'line',
      symbol: 'none',
      silent: true,
      smooth: true,
      lineStyle: { type: dash ? 'dashed' : 'solid', width: 1, color: dash ? '#d23a3a' : '#f08a24' },
      data: f.curve.map((c) => [c.n, c[k]]),
    });
    const color = (b: string) => (b === 'above' ? '#1f9d55' : b === 'below' ? '#d23a3a' : ctx.dark ? '#8fb4ff' : '#1c4fa8');
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; data: { name?: string; value: [number, number]; band?: string } }) =>
          p.data?.name ? `<b>${p.data.name}</b><br/>n = ${p.data.value[0]}<br/>${(p.data.value[1] * 100).toFixed(1)}%` : '',
      },
      legend: { top: 0, data: [t('dash.band95'), t('dash.band998'), t('dash.units')], ...(ctx.dark ? { textStyle: { color: '#c9d6ee' } } : {}) },
      grid: { left: 46, right: 16, top: 34, bottom: 40 },
      xAxis: { type: 'log', name: t('dash.funnelX'), nameLocation: 'middle', nameGap: 22, min: 1 },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      series: [
        line('lower95', t('dash.band95'), false),
        { ...line('upper95', t('dash.band95'), false) },
        line('lower998', t('dash.band998'), true),
        { ...line('upper998', t('dash.band998'), true) },
        {
          name: t('dash.units'),
          type: 'scatter',
          symbolSize: 9,
          data: f.points.map((p) => ({ name: p.name, value: [Math.max(1, p.n), p.value], unitId: p.unitId, inScope: p.inScope, itemStyle: { color: color(p.band95), opacity: p.inScope ? 0.9 : 0.35 } })),
          markLine: { silent: true, symbol: 'none', lineStyle: { color: '#888', type: 'solid' }, label: { position: 'insideStartTop', formatter: `${t('dash.target')} ${(f.target * 100).toFixed(1)}%` }, data: [{ yAxis: f.target }] },
        },
      ],
    };
  }, [f, t, ctx.dark]);
  const outside = f ? f.points.filter((p) => p.band95 !== 'inside') : [];
  return (
    <Panel
      title={t('dash.funnelTitle')}
      sub={t('dash.funnelSub')}
      chartRef={chartRef}
      imageName={`funnel-${ctx.period}-${pg}`}
      testId="panel-funnel"
      extra={
        <Select
          size="small"
          value={metric}
          onChange={setMetric}
          style={{ width: 120 }}
          options={[
            { value: 'satisfaction', label: t('dash.satisfaction') },
            { value: 'resolution', label: t('dash.resolution') },
            { value: 'response', label: t('dash.response') },
            { value: 'onTimeClosure', label: t('dash.onTime') },
          ]}
        />
      }
    >
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !option ? (
        <LoadingState minHeight={height} />
      ) : f && f.points.length === 0 ? (
        <EmptyState label={t('common.noDataYet')} minHeight={height} />
      ) : (
        <>
          <EChart
            ref={chartRef}
            option={option}
            height={height}
            dark={ctx.dark}
            ariaLabel={t('dash.funnelTitle')}
            onClick={(p) => {
              const d = p.data as { unitId?: string; inScope?: boolean; name?: string } | undefined;
              if (d?.unitId && d.inScope) ctx.drill('assessed', undefined, `${d.name} · ${t('dash.assessed')}`, { unitId: d.unitId, subtree: false });
            }}
          />
          <p className="muted small panel-note">{outside.length ? t('dash.funnelOutside', { names: outside.map((p) => p.name).join('、') }) : t('dash.funnelNone')}</p>
        </>
      )}
    </Panel>
  );
}

function OverduePanel({ ctx, refs }: { ctx: Ctx; refs: ReturnType<typeof useRefMaps> }) {
  const { t } = useI18n();
  const now = useNow();
  const [openId, setOpenId] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const state = useAsync(
    (signal) =>
      Promise.all([
        api<Page<AppealListItem>>('/api/v1/appeals', { query: { status: ACTIVE, overdue: 'true', sort: 'due_asc', pageSize: 6 }, signal }),
        api<Page<AppealListItem>>('/api/v1/appeals', { query: { status: ACTIVE, overdue: 'false', sort: 'due_asc', pageSize: 6 }, signal }),
      ]),
    [tick],
  );
  const list = (items: AppealListItem[]) =>
    items.length === 0 ? (
      <p className="muted small">{t('dash.none')}</p>
    ) : (
      <ul className="mini-list">
        {items.map((a) => (
          <li key={a.id} onClick={() => setOpenId(a.id)}>
            <span className="mini-title" title={a.title}>
              {a.title}
            </span>
            <span className="mini-unit">{unitName(refs, a.unitId, true)}</span>
            <DueCell item={a} now={now} />
          </li>
        ))}
      </ul>
    );
  return (
    <Panel title={t('dash.overdueTitle')} sub={t('dash.liveScope')} testId="panel-overdue">
      {state.error && !state.data ? (
        <ErrorState error={state.error} onRetry={state.reload} compact />
      ) : !state.data ? (
        <LoadingState />
      ) : (
        <div className="overdue-grid">
          <div>
            <h3 className="mini-h">
              {t('dash.overdueList')}{' '}
              <a onClick={() => ctx.drill('__overdue', undefined, t('dash.overdueNow'))} data-testid="overdue-all">
                {t('dash.allN', { n: fmtNumber(state.data[0].total) })}
              </a>
            </h3>
            {list(state.data[0].items)}
          </div>
          <div>
            <h3 className="mini-h">{t('dash.atRiskList')}</h3>
            {list(state.data[1].items)}
          </div>
        </div>
      )}
      <AppealDrawer id={openId} refs={refs} onClose={() => setOpenId(null)} onChanged={() => setTick((x) => x + 1)} />
    </Panel>
  );
}

function LatentPanel({ s }: { s: Summary }) {
  const { t } = useI18n();
  const r = s.latent.repeat;
  const g = s.latent.sourceGovernance;
  const h = s.latent.hotspotsResolved;
  const sv = s.latent.surveyIndex;
  return (
    <Panel title={t('dash.latentTitle')} sub={t('dash.latentSub')} testId="panel-latent">
      <div className="latent-grid">
        <div className="latent-item">
          <span className="kpi-label">{t('dash.repeatRate')}</span>
          <span className="latent-value">
            {r ? pct(r.rate.value) : '—'}
            {/* A repeat already seen counts while the window is open, an undecided appeal waits: until the
                windows close, a recent period's rate runs high (docs/metrics.md §9). */}
            {r && r.pending > 0 && (
              <Tooltip title={t('dash.repeatProvisionalHelp', { d: r.windowDays })}>
                <Tag color="orange" className="latent-tag" data-testid="repeat-provisional">{t('dash.repeatProvisional')}</Tag>
              </Tooltip>
            )}
          </span>
          <span className="muted small" data-testid="repeat-sub">
            {r ? (r.pending > 0 ? t('dash.repeatSubPending', { n: r.repeats, d: r.windowDays, p: fmtNumber(r.pending) }) : t('dash.repeatSub', { n: r.repeats, d: r.windowDays })) : t('common.noDataYet')}
          </span>
        </div>
        <div className="latent-item">
          <span className="kpi-label">{t('dash.per10k')}</span>
          <span className="latent-value">{g?.per10k === null || g?.per10k === undefined ? '—' : g.per10k.toFixed(2)}</span>
          <span className="muted small">
            {g && g.change !== null ? t('dash.per10kChange', { last: g.per10kLastYear === null ? '—' : g.per10kLastYear.toFixed(2), c: `${g.change > 0 ? '+' : ''}${(g.change * 100).toFixed(1)}%` }) : t('common.noDataYet')}
          </span>
        </div>
        <div className="latent-item" data-testid="latent-hotspots">
          <span className="kpi-label">{t('dash.hotspotsResolved')}</span>
          <span className="latent-value">{h && h.hotspots > 0 ? pct(h.rate.value) : '—'}</span>
          <span className="muted small">{h && h.hotspots > 0 ? t('dash.hotspotsResolvedSub', { r: h.resolved, n: h.hotspots }) : t('common.noDataYet')}</span>
        </div>
        <div className="latent-item" data-testid="latent-survey">
          <span className="kpi-label">{t('dash.survey')}</span>
          <span className="latent-value">{sv && sv.value !== null ? sv.value.toFixed(1) : '—'}</span>
          {sv && sv.value !== null ? (
            <Tooltip title={[sv.roundName, sv.security !== undefined && sv.satisfaction !== undefined ? t('dash.surveyParts', { s: fmtNumber(sv.security, 1), m: fmtNumber(sv.satisfaction, 1) }) : null].filter(Boolean).join(' · ') || undefined}>
              <span className="muted small">{sv.interval95 ? t('dash.surveySub', { lo: sv.interval95[0].toFixed(1), hi: sv.interval95[1].toFixed(1), n: fmtNumber(sv.respondents) }) : fmtNumber(sv.respondents)}</span>
            </Tooltip>
          ) : (
            <span className="muted small">{t('common.noDataYet')}</span>
          )}
        </div>
      </div>
    </Panel>
  );
}

export default function Dashboard({ bigScreen = false }: { bigScreen?: boolean }) {
  const { t, pick } = useI18n();
  const { me } = useAuth();
  const nav = useNavigate();
  const refs = useRefMaps();
  const presets = useMemo(() => periodPresets(), []);
  const specOf = (key: string) => presets.find((p) => p.key === key)!.spec;
  const [period, setPeriod] = useState(presets[0]!.spec);
  const [unitId, setUnitId] = useState<string>(me?.scope.rootId ?? '');
  const [tick, setTick] = useState(0);
  const [pg, setPg] = useState<string>();
  const [full, setFull] = useState(false);
  const [clock, setClock] = useState(() => Date.now());
  const shellRef = useRef<HTMLDivElement>(null);

  const summary = useAsync((signal) => metricsApi.summary({ period, unitId }, signal), [period, unitId, tick]);
  const live = useAsync(
    async (signal) => {
      const [o, q] = await Promise.all([
        api<Page<AppealListItem>>('/api/v1/appeals', { query: { status: ACTIVE, overdue: 'true', pageSize: 0 }, signal }),
        api<Page<AppealListItem>>('/api/v1/appeals', { query: { view: 'queue', pageSize: 0 }, signal }),
      ]);
      return { overdue: o.total, queue: q.total };
    },
    [tick],
  );
  const groups = useAsync((signal) => metricsApi.peerGroups({ period }, signal), [period]);
  const peerOptions = useMemo(
    () =>
      (groups.data?.items ?? [])
        .filter((g) => g.units > 1)
        .sort((a, b) => b.units - a.units)
        .map((g) => ({ value: g.peerGroup, label: `${pick(g.labelZh, g.labelEn)} · ${g.units}`, units: g.units })),
    [groups.data, pick],
  );
  useEffect(() => {
    if (!pg && peerOptions.length) setPg(peerOptions.find((o) => o.value.startsWith('police_station'))?.value ?? peerOptions[0]!.value);
  }, [peerOptions, pg]);

  // The big screen refreshes itself and shows the time.
  useEffect(() => {
    if (!bigScreen) return;
    const a = window.setInterval(() => setTick((x) => x + 1), 5 * 60_000);
    const b = window.setInterval(() => setClock(Date.now()), 1000);
    return () => {
      window.clearInterval(a);
      window.clearInterval(b);
    };
  }, [bigScreen]);
  useEffect(() => {
    const on = () => setFull(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);

  const ctx: Ctx = {
    period,
    unitId,
    dark: bigScreen,
    toLastMonth: period === specOf('thisMonth') ? () => setPeriod(specOf('lastMonth')) : undefined,
    drill: (metric, outcome, label, opts) => {
      if (metric === '__overdue') {
        nav(`/staff/appeals?status=${ACTIVE}&overdue=true&sort=due_asc&label=${encodeURIComponent(label)}`);
        return;
      }
      if (metric === '__queue') {
        nav(`/staff/appeals?view=queue&sort=created_asc&label=${encodeURIComponent(label)}`);
        return;
      }
      const p = new URLSearchParams({ period, unitId: opts?.unitId ?? unitId, subtree: String(opts?.subtree ?? true), metric, label });
      if (outcome) p.set('outcome', outcome);
      nav(`/staff/drilldown?${p.toString()}`);
    },
  };

  const s = summary.data;
  const header = (
    <div className={bigScreen ? 'dash-header big-header' : 'dash-header'}>
      <div className="dash-title">
        {bigScreen && <span className="brand-mark">民</span>}
        <div>
          <h1>{t('dash.title', { scope: s?.scope.name ?? me?.scope.rootName ?? '' })}</h1>
          <span className="dash-sub">
            {s ? t('dash.periodLine', { from: s.period.from, to: s.period.to }) : t('common.loading')}
            {s && (
              <span className="dash-asof" data-testid="dash-asof">
                {' · '}
                {t('dash.asOf', { at: fmtDateTime(s.asOf) })}
              </span>
            )}
            {bigScreen && <span className="big-clock">{fmtDateTime(clock)}</span>}
          </span>
        </div>
      </div>
      <div className="dash-controls">
        <Segmented
          value={presets.find((p) => p.spec === period)?.key ?? ''}
          onChange={(k) => setPeriod(presets.find((p) => p.key === k)!.spec)}
          options={presets.map((p) => ({ value: p.key, label: t(`dash.p.${p.key}` as MessageKey) }))}
          data-testid="period-presets"
        />
        <DatePicker picker="month" value={/^\d{4}-\d{2}$/.test(period) ? dayjs(`${period}-01`) : null} onChange={(d) => d && setPeriod(d.format('YYYY-MM'))} allowClear={false} placeholder={t('dash.pickMonth')} style={{ width: 130 }} />
        {!bigScreen && (
          <div className="dash-scope">
            <UnitTreeSelect units={refs.units} value={unitId} onChange={(v) => setUnitId(v || me?.scope.rootId || '')} placeholder={t('dash.scope')} testId="dash-scope" />
          </div>
        )}
        <Button icon={<ReloadOutlined />} onClick={() => setTick((x) => x + 1)} aria-label={t('common.refresh')} />
        {!bigScreen && /^\d{4}-\d{2}$/.test(period) && <ReportButton period={period} unitId={unitId || undefined} />}
        {bigScreen ? (
          <>
            <Button icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={() => (full ? void document.exitFullscreen() : void shellRef.current?.requestFullscreen())}>
              {full ? t('dash.exitFull') : t('dash.full')}
            </Button>
            <Link to="/staff/dashboard">
              <Button>{t('dash.exitBig')}</Button>
            </Link>
          </>
        ) : (
          <Link to="/staff/bigscreen">
            <Button type="primary" icon={<FundProjectionScreenOutlined />} data-testid="go-bigscreen">
              {t('nav.bigscreen')}
            </Button>
          </Link>
        )}
      </div>
    </div>
  );

  let body: ReactNode;
  if (summary.error && !s) body = <ErrorState error={summary.error} onRetry={summary.reload} />;
  else if (!s) body = <LoadingState minHeight={400} label={t('dash.loading')} />;
  else if (bigScreen)
    body = (
      <div className="big-grid">
        <KpiRow s={s} live={live.data} ctx={ctx} />
        <div className="big-col">
          <FacesPanel s={s} ctx={ctx} height={200} />
          <FacesTrendPanel ctx={ctx} height={215} />
          <HotspotsPanel refs={refs} tick={tick} compact limit={6} />
        </div>
        <div className="big-col big-center">
          <MapPanel period={period} unitId={unitId} weights={s.weights} dark height={440} />
          <TrendPanel s={s} ctx={ctx} height={225} />
        </div>
        <div className="big-col">
          <RankingPanel ctx={ctx} peerGroups={peerOptions} pg={pg} setPg={setPg} compact tableHeight={290} />
          <OverduePanel ctx={ctx} refs={refs} />
          <RiskPanel refs={refs} tick={tick} compact limit={5} />
        </div>
      </div>
    );
  else
    body = (
      <>
        <KpiRow s={s} live={live.data} ctx={ctx} />
        <div className="dash-grid">
          <div className="span-4">
            <FacesPanel s={s} ctx={ctx} />
          </div>
          <div className="span-4">
            <FacesTrendPanel ctx={ctx} />
          </div>
          <div className="span-4">
            <TrendPanel s={s} ctx={ctx} />
          </div>
          <div className="span-6">
            <MapPanel period={period} unitId={unitId} weights={s.weights} />
          </div>
          <div className="span-6">
            <ChildrenPanel s={s} ctx={ctx} onScope={setUnitId} />
          </div>
          <div className="span-7">
            <RankingPanel ctx={ctx} peerGroups={peerOptions} pg={pg} setPg={setPg} />
          </div>
          <div className="span-5">
            <FunnelPanel ctx={ctx} pg={pg} />
          </div>
          <div className="span-6">
            <OverduePanel ctx={ctx} refs={refs} />
          </div>
          <div className="span-6">
            <LatentPanel s={s} />
          </div>
          <div className="span-4">
            <HotspotsPanel refs={refs} tick={tick} />
          </div>
          <div className="span-4">
            <RiskPanel refs={refs} tick={tick} />
          </div>
          <div className="span-4">
            <SnapshotsPanel />
          </div>
        </div>
      </>
    );

  const page = (
    <div ref={shellRef} className={bigScreen ? 'dashboard big-screen' : 'dashboard page'} data-testid={bigScreen ? 'bigscreen' : 'dashboard'}>
      {header}
      {body}
    </div>
  );
  return bigScreen ? (
    <ConfigProvider theme={{ algorithm: antTheme.darkAlgorithm, token: { colorBgContainer: '#0f2243', colorBgElevated: '#132a52', colorBorderSecondary: '#1f3a66', colorPrimary: '#3d7cf5' }, components: { Table: { headerBg: '#132a52' } } }}>
      {page}
    </ConfigProvider>
  ) : (
    page
  );
}
