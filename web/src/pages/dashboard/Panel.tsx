// A dashboard panel: a title, its actions (export image / table), and a body that always says
// something (loading, no data, an error in words).
import type { ReactNode, RefObject } from 'react';
import { Button, Tooltip } from 'antd';
import { DownloadOutlined, PictureOutlined } from '@ant-design/icons';
import { useI18n } from '../../lib/i18n.tsx';
import { downloadDataUrl } from '../../lib/xlsx.ts';
import type { EChartHandle } from './EChart.tsx';

export function Panel({
  title,
  sub,
  extra,
  children,
  className,
  chartRef,
  imageName,
  onExportTable,
  testId,
}: {
  title: ReactNode;
  sub?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
  chartRef?: RefObject<EChartHandle | null>;
  imageName?: string;
  onExportTable?: () => void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      <header className="panel-head">
        <div className="panel-title">
          <h2>{title}</h2>
          {sub && <span className="panel-sub">{sub}</span>}
        </div>
        <div className="panel-extra">
          {extra}
          {chartRef && (
            <Tooltip title={t('common.exportImage')}>
              <Button
                size="small"
                type="text"
                icon={<PictureOutlined />}
                aria-label={t('common.exportImage')}
                onClick={() => {
                  const url = chartRef.current?.dataUrl();
                  if (url) downloadDataUrl(url, `${imageName ?? 'chart'}.png`);
                }}
              />
            </Tooltip>
          )}
          {onExportTable && (
            <Tooltip title={t('common.exportXlsx')}>
              <Button size="small" type="text" icon={<DownloadOutlined />} aria-label={t('common.exportXlsx')} onClick={onExportTable} />
            </Tooltip>
          )}
        </div>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
