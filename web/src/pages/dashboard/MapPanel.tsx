// The choropleth of the demo city: districts (or streets) coloured by the 民标指数 or by volume,
// from the schematic GeoJSON shipped in /geo/jiangzhou.json and the region breakdown.
import { useMemo, useRef, useState } from 'react';
import { Segmented } from 'antd';
import { api } from '../../lib/api.ts';
import { fmtNumber, fmtPercent } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { getRegions } from '../../lib/ref.ts';
import { cached, useAsync } from '../../lib/useAsync.ts';
import { exportXlsx } from '../../lib/xlsx.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/States.tsx';
import { EChart, echarts, type EChartHandle } from './EChart.tsx';
import { indexOf, metricsApi, type Figures, type Summary } from './metrics.ts';
import { Panel } from './Panel.tsx';

interface GeoFeature {
  type: 'Feature';
  properties: { code: string; name: string; level: 'county' | 'township'; parent: string; cp: [number, number] };
  geometry: unknown;
}
interface Geo {
  type: 'FeatureCollection';
  features: GeoFeature[];
}

const loadGeo = () => cached('geo:jiangzhou', () => api<Geo>('/geo/jiangzhou.json', { anonymous: true }));

interface AreaFig {
  code: string;
  name: string;
  volume: number;
  rated: number;
  index: number | null;
  satisfaction: number | null;
}

function sumFigures(items: Figures[], w: Summary['weights'], code: string, name: string): AreaFig {
  const acc = { volume: 0, rated: 0, resp: { num: 0, den: 0 }, res: { num: 0, den: 0 }, sat: { num: 0, den: 0 } };
  for (const f of items) {
    acc.volume += f.volume;
    acc.rated += f.rated;
    acc.resp.num += f.response.num;
    acc.resp.den += f.response.den;
    acc.res.num += f.resolution.num;
    acc.res.den += f.resolution.den;
    acc.sat.num += f.satisfaction.num;
    acc.sat.den += f.satisfaction.den;
  }
  return { code, name, volume: acc.volume, rated: acc.rated, index: indexOf(acc.resp, acc.res, acc.sat, w), satisfaction: acc.sat.den ? acc.sat.num / acc.sat.den : null };
}

export function MapPanel({ period, unitId, weights, dark, height = 420 }: { period: string; unitId: string; weights: Summary['weights'] | undefined; dark?: boolean; height?: number }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<'county' | 'township'>('county');
  const [measure, setMeasure] = useState<'index' | 'volume'>('index');
  const chartRef = useRef<EChartHandle>(null);
  const geo = useAsync(() => Promise.all([loadGeo(), getRegions()]), []);
  const data = useAsync((signal) => metricsApi.breakdown({ period, unitId, by: 'region' }, signal), [period, unitId]);

  const model = useMemo(() => {
    if (!geo.data || !data.data || !weights) return null;
    const [g, regions] = geo.data;
    const present = new Set(regions.map((r) => r.code));
    const byCode = new Map(data.data.items.map((i) => [i.key, i.figures]));
    const areas: AreaFig[] = [];
    const features = g.features.filter((f) => present.has(f.properties.code));
    const districts = features.filter((f) => f.properties.level === 'county');
    const streets = features.filter((f) => f.properties.level === 'township');
    if (level === 'county') {
      for (const d of districts) {
        const figs = [...byCode.entries()].filter(([k]) => k === d.properties.code || k.startsWith(d.properties.code)).map(([, f]) => f);
        areas.push(sumFigures(figs, weights, d.properties.code, d.properties.name));
      }
    } else {
      for (const s of streets) {
        const f = byCode.get(s.properties.code);
        areas.push(f ? sumFigures([f], weights, s.properties.code, s.properties.name) : { code: s.properties.code, name: s.properties.name, volume: 0, rated: 0, index: null, satisfaction: null });
      }
    }
    // Streets sit on their districts (shown grey where a street of the shapes does not exist here).
    const mapName = `jz-${level}-${present.size}`;
    const shown = level === 'county' ? districts : [...districts.map((d) => ({ ...d, properties: { ...d.properties, code: `bg-${d.properties.code}` } })), ...streets];
    echarts.registerMap(mapName, { type: 'FeatureCollection', features: shown.map((f) => ({ ...f, properties: { ...f.properties, name: f.properties.code } })) } as never);
    return { mapName, areas };
  }, [geo.data, data.data, weights, level]);

  const option = useMemo(() => {
    if (!model) return null;
    const vals = model.areas.map((a) => (measure === 'index' ? a.index : a.volume)).filter((v): v is number => v !== null);
    const min = measure === 'index' ? Math.floor(Math.min(80, ...vals)) : 0;
    const max = measure === 'index' ? 100 : Math.max(1, ...vals);
    const byCode = new Map(model.areas.map((a) => [a.code, a]));
    const textColor = dark ? '#c9d6ee' : '#4e5969';
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { name: string }) => {
          const a = byCode.get(p.name);
          if (!a) return p.name.startsWith('bg-') ? t('dash.mapNoStreet') : p.name;
          return `<b>${a.name}</b><br/>${t('dash.index')}:${a.index === null ? '—' : a.index.toFixed(1)}<br/>${t('dash.volume')}:${fmtNumber(a.volume)}<br/>${t('dash.rated')}:${fmtNumber(a.rated)}<br/>${t('dash.satisfaction')}:${fmtPercent(a.satisfaction)}`;
        },
      },
      visualMap: {
        min,
        max,
        left: 8,
        bottom: 8,
        calculable: true,
        itemHeight: 90,
        text: measure === 'index' ? [t('dash.high'), t('dash.low')] : [t('dash.more'), t('dash.fewer')],
        textStyle: { color: textColor },
        inRange: { color: measure === 'index' ? ['#d23a3a', '#f5c342', '#7cc46b', '#1f9d55'] : ['#e8f1ff', '#6aa0f0', '#1c4fa8', '#0d2c66'] },
        seriesIndex: 0,
      },
      series: [
        {
          type: 'map',
          map: model.mapName,
          roam: false,
          aspectScale: 0.88,
          layoutCenter: ['52%', '50%'],
          layoutSize: '96%',
          selectedMode: false,
          label: { show: level === 'county', formatter: (p: { name: string }) => byCode.get(p.name)?.name ?? '', color: dark ? '#e8eefc' : '#1f2329', fontSize: 12, textBorderColor: dark ? '#0b1a33' : '#ffffff', textBorderWidth: 2 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd666' } },
          itemStyle: { borderColor: dark ? '#0b1a33' : '#ffffff', borderWidth: level === 'county' ? 1.5 : 0.6, areaColor: dark ? '#22324f' : '#e9ecf1' },
          data: model.areas.map((a) => ({ name: a.code, value: measure === 'index' ? a.index : a.volume })),
        },
      ],
    };
  }, [model, measure, dark, t]);

  const labelsOverlay = model && (
    <div className="map-legend-list" aria-label={t('dash.mapList')}>
      {model.areas
        .filter((a) => level === 'county')
        .map((a) => (
          <span key={a.code}>
            {a.name} <b>{measure === 'index' ? (a.index === null ? '—' : a.index.toFixed(1)) : fmtNumber(a.volume)}</b>
          </span>
        ))}
    </div>
  );

  const body = () => {
    if (geo.error || data.error) return <ErrorState error={geo.error ?? data.error} onRetry={() => (geo.error ? geo.reload() : data.reload())} compact />;
    if (!option || !model) return <LoadingState minHeight={height} />;
    if (model.areas.every((a) => a.volume === 0)) return <EmptyState label={t('common.noDataYet')} minHeight={height} />;
    return (
      <>
        <EChart ref={chartRef} option={option} height={height} dark={dark ?? false} ariaLabel={t('dash.mapTitle')} testId="map-chart" />
        {labelsOverlay}
      </>
    );
  };

  return (
    <Panel
      title={t('dash.mapTitle')}
      sub={t('dash.mapSub')}
      chartRef={chartRef}
      imageName={`map-${period}`}
      onExportTable={
        model
          ? () =>
              exportXlsx(`map-${period}`, 'map', [t('dash.area'), t('dash.code'), t('dash.volume'), t('dash.rated'), t('dash.index'), t('dash.satisfaction')], model.areas.map((a) => [a.name, a.code, a.volume, a.rated, a.index === null ? null : Number(a.index.toFixed(2)), a.satisfaction === null ? null : Number((a.satisfaction * 100).toFixed(2))]))
          : undefined
      }
      extra={
        <>
          <Segmented size="small" value={level} onChange={(v) => setLevel(v as 'county' | 'township')} options={[{ value: 'county', label: t('dash.byDistrict') }, { value: 'township', label: t('dash.byStreet') }]} />
          <Segmented size="small" value={measure} onChange={(v) => setMeasure(v as 'index' | 'volume')} options={[{ value: 'index', label: t('dash.index') }, { value: 'volume', label: t('dash.volume') }]} />
        </>
      }
      className="panel-map"
      testId="panel-map"
    >
      {body()}
      <p className="muted small panel-note">{t('dash.mapNote')}</p>
    </Panel>
  );
}
