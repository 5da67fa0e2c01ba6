// A small ECharts wrapper for the survey charts (tree-shaken core): bars with 95% interval whiskers,
// and the trend across rounds.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import type { Estimate } from './types.ts';

echarts.use([BarChart, CustomChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function PChart({ option, height = 300, ariaLabel, testId }: { option: EChartsCoreOption; height?: number; ariaLabel: string; testId?: string }) {
  const el = useRef<HTMLDivElement | null>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={el} style={{ height, width: '100%' }} role="img" aria-label={ariaLabel} data-testid={testId} />;
}

const r1 = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 10) / 10);

/** Whiskers for a category axis: data items are [categoryIndex, low, high]. */
function whiskers(name: string, data: (readonly [number, number, number])[]) {
  return {
    type: 'custom',
    name,
    data,
    z: 10,
    tooltip: { show: false },
    renderItem: (_params: unknown, api: { value: (i: number) => number; coord: (p: [number, number]) => [number, number]; size: (p: [number, number]) => [number, number] }) => {
      const x = api.value(0);
      const lo = api.coord([x, api.value(1)]);
      const hi = api.coord([x, api.value(2)]);
      const w = Math.max(4, api.size([1, 0])[0] * 0.15);
      const style = { stroke: '#13284d', lineWidth: 1.5 };
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
          { type: 'line', shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] }, style },
          { type: 'line', shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] }, style },
        ],
      };
    },
  };
}

/** Bars of an index per category with their 95% intervals. */
export function intervalBars(categories: string[], estimates: Estimate[], label: string, ciLabel: string): EChartsCoreOption {
  return {
    grid: { left: 48, right: 16, top: 24, bottom: 56 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number }[]) => {
        const i = ps[0]?.dataIndex ?? 0;
        const e = estimates[i]!;
        return `${categories[i]}<br/>${label}: ${r1(e.value) ?? '—'}<br/>${ciLabel}: ${e.interval95 ? `${r1(e.interval95[0])} – ${r1(e.interval95[1])}` : '—'}<br/>n = ${e.respondents}`;
      },
    },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      { type: 'bar', name: label, data: estimates.map((e) => r1(e.value)), itemStyle: { color: '#5b8bd9' }, barMaxWidth: 42 },
      whiskers(ciLabel, estimates.flatMap((e, i) => (e.interval95 ? [[i, e.interval95[0], e.interval95[1]] as const] : []))),
    ],
  };
}

/** The index across rounds, with the interval as whiskers. */
export function trendLines(rounds: string[], series: { name: string; estimates: Estimate[]; color: string }[], ciLabel: string): EChartsCoreOption {
  return {
    grid: { left: 48, right: 16, top: 36, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rounds },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      ...series.map((s) => ({ type: 'line', name: s.name, data: s.estimates.map((e) => r1(e.value)), itemStyle: { color: s.color }, lineStyle: { color: s.color }, symbolSize: 8 })),
      whiskers(ciLabel, (series[0]?.estimates ?? []).flatMap((e, i) => (e.interval95 ? [[i, e.interval95[0], e.interval95[1]] as const] : []))),
    ],
  };
}
