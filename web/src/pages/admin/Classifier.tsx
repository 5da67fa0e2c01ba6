// 分类模型 for the system administrator: the active classifier's training data, its k-fold
// cross-validated accuracy and macro-F1, each category's precision / recall / F1, the confusion matrix,
// how many appeals a confidence threshold would let through and how accurate those are, and retraining
// from the confirmed categories. Loaded lazily (the heatmap is registered here, not in the dashboard).
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Progress, Space, Table, Tag, Tooltip } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import { HeatmapChart } from 'echarts/charts';
import { api } from '../../lib/api.ts';
import { fmtDateTime, fmtNumber, fmtPercent } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import type { ClassReport, ModelSummary } from '../../lib/text.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { ErrorState, LoadingState, errorText } from '../../components/States.tsx';
import { EChart, echarts, type EChartHandle } from '../dashboard/EChart.tsx';
import { Panel } from '../dashboard/Panel.tsx';

echarts.use([HeatmapChart]);

const REASONS = ['seed', 'nightly', 'manual'];

interface ClassRow extends ClassReport {
  categoryId: string;
  name: string;
}

function Stat({ label, value, sub, testId }: { label: string; value: React.ReactNode; sub?: React.ReactNode; testId?: string }) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </span>
      <span className="kpi-sub">{sub}</span>
    </div>
  );
}

function f3(v: number): string {
  return v.toFixed(3);
}

export default function Classifier() {
  const { t, lang, pick } = useI18n();
  const { modal, message } = App.useApp();
  const [tick, setTick] = useState(0);
  const state = useAsync((signal) => api<ModelSummary>('/api/v1/text/model', { signal }), [tick]);
  const [model, setModel] = useState<ModelSummary | null>(null);
  const [training, setTraining] = useState<number | null>(null);
  const [trainError, setTrainError] = useState<unknown>(null);
  const chartRef = useRef<EChartHandle>(null);
  useEffect(() => {
    if (state.data) setModel(state.data);
  }, [state.data]);
  useEffect(() => {
    if (training === null) return;
    const started = Date.now();
    const h = window.setInterval(() => setTraining(Math.round((Date.now() - started) / 1000)), 1000);
    return () => window.clearInterval(h);
  }, [training === null]); // eslint-disable-line react-hooks/exhaustive-deps

  const nameOf = useMemo(() => {
    const m = new Map((model?.labels ?? []).map((l) => [l.categoryId, pick(l.name, l.nameEn)]));
    return (id: string) => m.get(id) ?? id;
  }, [model, pick]);

  const report = model?.report ?? null;
  const rows: ClassRow[] = useMemo(
    () => (report ? Object.entries(report.perClass).map(([categoryId, c]) => ({ categoryId, name: nameOf(categoryId), ...c })) : []),
    [report, nameOf],
  );
  const confusions = useMemo(() => {
    if (!report) return [];
    const { labels, matrix } = report.confusion;
    const out: { a: string; p: string; n: number }[] = [];
    matrix.forEach((row, i) => row.forEach((n, j) => i !== j && n > 0 && out.push({ a: labels[i]!, p: labels[j]!, n })));
    return out.sort((x, y) => y.n - x.n).slice(0, 6);
  }, [report]);

  const heightPx = report ? Math.max(360, report.confusion.labels.length * 18 + 150) : 360;
  const option = useMemo(() => {
    if (!report) return null;
    const { labels, matrix } = report.confusion;
    const names = labels.map(nameOf);
    const data: [number, number, number][] = [];
    let max = 1;
    matrix.forEach((row, i) =>
      row.forEach((n, j) => {
        if (n > 0) data.push([j, i, n]);
        if (n > max) max = n;
      }),
    );
    return {
      tooltip: {
        position: 'top',
        formatter: (p: { value: [number, number, number] }) => `${t('clf.actual')}:${names[p.value[1]]}<br/>${t('clf.predictedAxis')}:${names[p.value[0]]}<br/><b>${p.value[2]}</b>`,
      },
      grid: { left: 150, right: 20, top: 10, bottom: 130 },
      xAxis: { type: 'category', data: names, name: t('clf.predictedAxis'), nameLocation: 'middle', nameGap: 116, axisLabel: { rotate: 60, interval: 0, fontSize: 11 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: names, name: t('clf.actual'), inverse: true, axisLabel: { interval: 0, fontSize: 11 }, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'right', bottom: 0, itemWidth: 10, itemHeight: 80, inRange: { color: ['#f3f6fb', '#9db8e6', '#1c4fa8'] } },
      series: [{ name: t('clf.confusion'), type: 'heatmap', data, label: { show: labels.length <= 40, fontSize: 9 }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
    };
  }, [report, nameOf, t]);

  const retrain = () => {
    modal.confirm({
      title: t('clf.retrainConfirm'),
      content: t('clf.retrainText'),
      okText: t('clf.retrain'),
      cancelText: t('common.cancel'),
      onOk: () => {
        void (async () => {
          const before = model?.report?.macroF1;
          setTraining(0);
          setTrainError(null);
          try {
            const m = await api<ModelSummary>('/api/v1/text/model/retrain', { method: 'POST' });
            setModel(m);
            void message.success(t('clf.retrained', { before: before === undefined ? '—' : f3(before), after: m.report ? f3(m.report.macroF1) : '—' }));
          } catch (e) {
            setTrainError(e);
          } finally {
            setTraining(null);
          }
        })();
      },
    });
  };

  if (state.error && !model) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!model) return <LoadingState />;
  const reasonKey = REASONS.includes(model.reason) ? (`clf.reason.${model.reason}` as MessageKey) : null;
  const folds = report?.foldMacroF1 ?? [];
  const current = report?.coverage.reduce<number | null>((best, c) => (best === null || Math.abs(c.threshold - model.threshold) < Math.abs(best - model.threshold) ? c.threshold : best), null);

  return (
    <div data-testid="classifier">
      <div className="table-toolbar">
        <Space wrap>
          <strong>{t('clf.title')}</strong>
          <Tag className="mono">{model.id}</Tag>
          <span className="muted small">
            {t('clf.createdAt')} {fmtDateTime(model.createdAt)}
          </span>
          <Tag color={model.autoDispatch ? 'green' : 'default'}>{model.autoDispatch ? t('clf.autoOn') : t('clf.autoOff')}</Tag>
        </Space>
        <Button type="primary" icon={<ExperimentOutlined />} onClick={retrain} loading={training !== null} data-testid="clf-retrain">
          {t('clf.retrain')}
        </Button>
      </div>
      <p className="muted small">{t('clf.sub')}</p>
      {training !== null && (
        <div className="scan-progress" data-testid="clf-training">
          <span className="muted small">{t('clf.training', { s: training })}</span>
          <Progress percent={100} status="active" showInfo={false} size="small" />
        </div>
      )}
      {trainError ? <Alert type="error" showIcon title={t('clf.retrainFailed')} description={errorText(trainError, lang)} style={{ marginBottom: 12 }} /> : null}

      <div className="clf-stats">
        <Stat label={t('clf.trainingRows')} value={fmtNumber(model.trainingRows)} sub={`${t('clf.confirmedRows')} ${fmtNumber(model.confirmedRows)}`} testId="clf-rows" />
        <Stat label={t('clf.reason')} value={<span style={{ fontSize: 16 }}>{reasonKey ? t(reasonKey) : model.reason}</span>} sub={`${t('clf.labels')} ${model.labels.length}`} testId="clf-reason" />
        <Stat label={t('clf.accuracy')} value={report ? fmtPercent(report.accuracy, 1) : '—'} sub={report ? t('clf.cv', { k: report.folds, n: fmtNumber(report.n) }) : t('clf.noReport')} testId="clf-accuracy" />
        <Stat
          label={t('clf.macroF1')}
          value={report ? f3(report.macroF1) : '—'}
          sub={folds.length ? t('clf.foldRange', { lo: f3(Math.min(...folds)), hi: f3(Math.max(...folds)) }) : undefined}
          testId="clf-macrof1"
        />
        <Stat label={t('clf.weightedF1')} value={report ? f3(report.weightedF1) : '—'} sub={report ? `${t('clf.ece')} ${f3(report.ece)}` : undefined} testId="clf-weightedf1" />
        <Stat label={t('clf.threshold')} value={model.threshold.toFixed(2)} sub={model.autoDispatch ? t('clf.autoOn') : t('clf.autoOff')} testId="clf-threshold" />
      </div>

      {!report ? (
        <Alert type="info" showIcon title={t('clf.noReport')} />
      ) : (
        <div className="clf-grid">
          <div>
            <Panel title={t('clf.perClass')} sub={t('clf.cv', { k: report.folds, n: fmtNumber(report.n) })} testId="clf-per-class">
              <Table<ClassRow>
                size="small"
                rowKey="categoryId"
                dataSource={rows}
                pagination={false}
                scroll={{ y: 520 }}
                columns={[
                  { key: 'name', title: t('clf.category'), dataIndex: 'name', ellipsis: true, render: (v: string, r) => <Tooltip title={r.categoryId}>{v}</Tooltip> },
                  { key: 'p', title: t('clf.precision'), dataIndex: 'precision', width: 76, align: 'right', sorter: (a, b) => a.precision - b.precision, render: f3 },
                  { key: 'r', title: t('clf.recall'), dataIndex: 'recall', width: 76, align: 'right', sorter: (a, b) => a.recall - b.recall, render: f3 },
                  {
                    key: 'f1',
                    title: t('clf.f1'),
                    dataIndex: 'f1',
                    width: 70,
                    align: 'right',
                    sorter: (a, b) => a.f1 - b.f1,
                    render: (v: number) => <span className={v < 0.3 ? 'text-danger' : ''}>{f3(v)}</span>,
                  },
                  { key: 's', title: t('clf.support'), dataIndex: 'support', width: 70, align: 'right', sorter: (a, b) => a.support - b.support },
                ]}
              />
            </Panel>
            <Panel title={t('clf.coverage')} sub={t('clf.coverageSub')} testId="clf-coverage" className="clf-coverage">
              <Table
                size="small"
                rowKey="threshold"
                dataSource={report.coverage}
                pagination={false}
                rowClassName={(r) => (r.threshold === current ? 'row-current' : '')}
                columns={[
                  { key: 't', title: t('clf.thresholdCol'), dataIndex: 'threshold', render: (v: number) => (v === current ? `≥ ${v.toFixed(2)} (${t('clf.current')})` : `≥ ${v.toFixed(2)}`) },
                  { key: 'c', title: t('clf.coverageCol'), dataIndex: 'coverage', align: 'right', render: (v: number) => fmtPercent(v, 1) },
                  { key: 'a', title: t('clf.accuracy'), dataIndex: 'accuracy', align: 'right', render: (v: number) => fmtPercent(v, 1) },
                ]}
              />
            </Panel>
          </div>
          <Panel title={t('clf.confusion')} sub={t('clf.confusionSub')} chartRef={chartRef} imageName={`confusion-${model.id}`} testId="clf-confusion">
            {option && <EChart ref={chartRef} option={option} height={heightPx} ariaLabel={t('clf.confusion')} testId="confusion-chart" />}
            <h3 className="mini-h">{t('clf.topConfusions')}</h3>
            {confusions.length === 0 ? (
              <p className="muted small">{t('clf.noConfusions')}</p>
            ) : (
              <ol className="clf-confusions" data-testid="clf-top-confusions">
                {confusions.map((c) => (
                  <li key={`${c.a}-${c.p}`}>{t('clf.confusionPair', { a: nameOf(c.a), p: nameOf(c.p), n: c.n })}</li>
                ))}
              </ol>
            )}
          </Panel>
        </div>
      )}
    </div>
  );
}
