// A thin ECharts wrapper (tree-shaken core): resizes with its box, forwards clicks, and exposes
// getDataURL for "export image".
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts';
import { DatasetComponent, GeoComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  MapChart,
  PieChart,
  ScatterChart,
  DatasetComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };

export interface EChartHandle {
  dataUrl: () => string | null;
}

export interface ClickParams {
  componentType: string;
  seriesType?: string;
  seriesIndex?: number;
  seriesName?: string;
  name: string;
  dataIndex: number;
  data: unknown;
  value: unknown;
}

export function EChart({
  option,
  height = 300,
  dark = false,
  onClick,
  ref,
  ariaLabel,
  testId,
}: {
  option: EChartsCoreOption;
  height?: number | string;
  dark?: boolean;
  onClick?: (p: ClickParams) => void;
  ref?: Ref<EChartHandle>;
  ariaLabel?: string;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as unknown as ClickParams));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true, lazyUpdate: true });
  }, [option, dark]);

  useImperativeHandle(ref, () => ({
    dataUrl: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: dark ? '#0b1a33' : '#ffffff' }) ?? null,
  }));

  return <div ref={el} style={{ width: '100%', height }} role="img" aria-label={ariaLabel} data-testid={testId} className="echart" />;
}
