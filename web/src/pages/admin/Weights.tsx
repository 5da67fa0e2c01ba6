// 考评参数 for the system administrator: the weights of the 民标指数, the score of each face and of
// "solved?". Changes apply to live figures at once; published snapshots keep theirs.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, InputNumber, Space } from 'antd';
import { api, ApiError } from '../../lib/api.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { FaceIcon } from '../../components/Faces.tsx';
import { ErrorAlert, ErrorState, LoadingState } from '../../components/States.tsx';

interface MetricsConfig {
  weights: { response: number; resolution: number; satisfaction: number };
  levelWeights: Record<'1' | '2' | '3' | '4' | '5', number>;
  solvedWeights: { yes: number; partly: number; no: number };
}
interface ConfigAnswer {
  config: MetricsConfig;
  defaults: MetricsConfig;
  updatedAt: number | null;
  updatedBy: string | null;
}

const num = (props: { testId?: string } = {}) => <InputNumber min={0} max={1} step={0.05} precision={3} style={{ width: 110 }} {...(props.testId ? { 'data-testid': props.testId } : {})} />;

export function Weights() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const state = useAsync((signal) => api<ConfigAnswer>('/api/v1/metrics/config', { signal }), [tick]);
  const [form] = Form.useForm<MetricsConfig>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const w = Form.useWatch('weights', form);
  const sum = w ? (w.response ?? 0) + (w.resolution ?? 0) + (w.satisfaction ?? 0) : 1;
  useEffect(() => {
    if (state.data) form.setFieldsValue(state.data.config);
  }, [state.data, form]);
  if (state.error && !state.data) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  if (!state.data) return <LoadingState />;
  const save = async (v: MetricsConfig) => {
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/metrics/config', { method: 'PUT', body: v });
      void message.success(t('common.success'));
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const issues = error instanceof ApiError ? ((error.details?.issues as { path: string; messageZh: string; messageEn: string }[] | undefined) ?? []) : [];
  return (
    <Form form={form} layout="vertical" onFinish={save} className="weights-form" data-testid="weights">
      <Alert type="info" showIcon title={t('weights.title')} description={t('weights.text')} style={{ marginBottom: 16 }} />
      <h3 className="form-h">{t('weights.index')}</h3>
      <Space wrap size="large">
        <Form.Item name={['weights', 'response']} label={t('dash.response')}>
          {num({ testId: 'w-response' })}
        </Form.Item>
        <Form.Item name={['weights', 'resolution']} label={t('dash.resolution')}>
          {num()}
        </Form.Item>
        <Form.Item name={['weights', 'satisfaction']} label={t('dash.satisfaction')}>
          {num()}
        </Form.Item>
        <span className={Math.abs(sum - 1) > 1e-9 ? 'text-danger' : 'muted'}>{t('weights.sum', { s: sum.toFixed(3) })}</span>
      </Space>
      <h3 className="form-h">{t('weights.faces')}</h3>
      <Space wrap size="large">
        {(['5', '4', '3', '2', '1'] as const).map((lv) => (
          <Form.Item key={lv} name={['levelWeights', lv]} label={<span className="face-inline"><FaceIcon level={Number(lv)} size="1.15em" /> {t(`face.${lv}` as MessageKey)}</span>}>
            {num()}
          </Form.Item>
        ))}
      </Space>
      <h3 className="form-h">{t('weights.solved')}</h3>
      <Space wrap size="large">
        {(['yes', 'partly', 'no'] as const).map((k) => (
          <Form.Item key={k} name={['solvedWeights', k]} label={t(`solved.${k}`)}>
            {num()}
          </Form.Item>
        ))}
      </Space>
      {issues.length > 0 ? (
        <Alert type="error" showIcon title={t('weights.invalid')} description={<ul>{issues.map((i, k) => <li key={k}>{lang === 'en' ? i.messageEn : i.messageZh}</li>)}</ul>} style={{ marginBottom: 12 }} />
      ) : (
        <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      )}
      <Space className="form-actions">
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
        <Button onClick={() => form.setFieldsValue(state.data!.defaults)}>{t('weights.defaults')}</Button>
        {state.data.updatedAt && <span className="muted small">{t('weights.updated', { at: fmtDateTime(state.data.updatedAt), by: state.data.updatedBy ?? '' })}</span>}
      </Space>
    </Form>
  );
}
