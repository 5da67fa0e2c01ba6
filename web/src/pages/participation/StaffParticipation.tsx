// 问计于民 for staff, under /staff/participation/*: consultations (open, moderate, answer, follow up),
// survey rounds (open, close, phone interviews, results with intervals and trend), population margins.
import { useMemo, useState, type ReactNode } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, DatePicker, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Switch, Table, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingState, errorText } from '../../components/States.tsx';
import { PChart, intervalBars, trendLines } from './PChart.tsx';
import { useS } from './staffTexts.ts';
import type { ConsultationResults, ConsultationStaff, Estimate, MarginsItem, Page, Round, RoundResults, SuggestionStaff, Task, TrendPoint } from './types.ts';
import './participation.css';

const AGE_GROUPS = ['18-29', '30-39', '40-49', '50-59', '60+'];
const SEXES = ['male', 'female'] as const;
const REASONS = ['spam', 'abuse', 'personal_data', 'off_topic', 'duplicate', 'illegal', 'other'] as const;
const REASON_LABELS: Record<string, [string, string]> = {
  spam: ['垃圾信息或广告', 'Spam'],
  abuse: ['辱骂、人身攻击', 'Abuse'],
  personal_data: ['含个人信息', 'Personal data'],
  off_topic: ['与征集无关', 'Off topic'],
  duplicate: ['重复提交', 'Duplicate'],
  illegal: ['违法违规内容', 'Unlawful'],
  other: ['其他原因', 'Other'],
};
const OUTCOMES: Record<string, [string, string]> = { adopted: ['采纳', 'Adopted'], partly_adopted: ['部分采纳', 'Partly adopted'], not_adopted: ['未采纳', 'Not adopted'] };
const TASK_STATUS: Record<string, [string, string]> = { open: ['待办', 'To do'], in_progress: ['推进中', 'In progress'], done: ['已完成', 'Done'], cancelled: ['已撤销', 'Cancelled'] };
const r1 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : (Math.round(x * 10) / 10).toFixed(1));
const ci = (e: Estimate) => (e.interval95 ? `${r1(e.interval95[0])} – ${r1(e.interval95[1])}` : '—');

function useUnits() {
  return useAsync((signal) => api<{ items: { id: string; name: string; type: string; regionCode: string }[] }>('/api/v1/units', { signal }), []);
}
function useRegions() {
  return useAsync((signal) => api<{ items: { code: string; name: string; parentCode: string | null; level: string }[] }>('/api/v1/regions', { signal }), []);
}

/** A modal form: validates, calls `submit`, shows the server's error in words. */
function FormModal<T extends object>({ open, title, onClose, submit, children, initial, okText, testId }: { open: boolean; title: ReactNode; onClose: () => void; submit: (v: T) => Promise<void>; children: ReactNode; initial?: Partial<T>; okText?: string; testId?: string }) {
  const { lang } = useS();
  const [form] = Form.useForm<T>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={okText}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
      okButtonProps={{ 'data-testid': testId ? `${testId}-ok` : undefined } as React.ComponentProps<typeof Button>}
      onOk={async () => {
        let v: T;
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        setBusy(true);
        setError(null);
        try {
          await submit(v);
          onClose();
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initial as object}>
        {children}
      </Form>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} role="alert" /> : null}
    </Modal>
  );
}

// --- overview ------------------------------------------------------------------------------------

function ConsultationsTab() {
  const { t, pick } = useS();
  const { message } = App.useApp();
  const nav = useNavigate();
  const list = useAsync((signal) => api<{ items: ConsultationStaff[] }>('/api/v1/consultations/managed', { signal }), []);
  const [creating, setCreating] = useState(false);
  type Q = { text: string; kind: 'single' | 'multi' | 'text'; options?: string; required?: boolean };
  type V = { title: string; background: string; regionCode?: string; period: [Dayjs, Dayjs]; premoderation?: boolean; published?: boolean; questions?: Q[] };
  return (
    <>
      <div className="p-toolbar">
        <Button type="primary" onClick={() => setCreating(true)} data-testid="new-consultation">
          {t('newConsultation')}
        </Button>
      </div>
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <Table<ConsultationStaff>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        onRow={(r) => ({ onClick: () => nav(`/staff/participation/consultations/${r.id}`), className: 'row-cursor' })}
        columns={[
          { title: t('colTitle'), dataIndex: 'title', render: (v: string, r) => <Link to={`/staff/participation/consultations/${r.id}`}>{v}</Link> },
          { title: t('colPhase'), dataIndex: 'phase', width: 100, render: (_: string, r) => <Tag color={r.phase === 'open' ? 'green' : r.phase === 'draft' ? 'default' : 'blue'}>{pick(r.phaseLabel.zh, r.phaseLabel.en)}</Tag> },
          { title: t('colPeriod'), width: 200, render: (_: unknown, r) => `${fmtDate(r.opensAt)} — ${fmtDate(r.closesAt)}` },
          { title: t('colPending'), width: 80, align: 'right', render: (_: unknown, r) => (r.counts.pending ? <Tag color="gold">{r.counts.pending}</Tag> : 0) },
          { title: t('colPublished'), width: 80, align: 'right', render: (_: unknown, r) => r.counts.published },
          { title: t('colHidden'), width: 80, align: 'right', render: (_: unknown, r) => r.counts.hidden },
          { title: t('colAnswered'), width: 80, align: 'right', render: (_: unknown, r) => r.counts.answered },
          { title: t('colSupports'), width: 80, align: 'right', render: (_: unknown, r) => r.counts.supports },
        ]}
      />
      <FormModal<V>
        open={creating}
        title={t('newConsultation')}
        onClose={() => setCreating(false)}
        testId="consultation-form"
        initial={{ period: [dayjs(), dayjs().add(30, 'day')], published: true, questions: [] }}
        submit={async (v) => {
          const r = await api<ConsultationStaff>('/api/v1/consultations', {
            method: 'POST',
            body: {
              title: v.title,
              background: v.background,
              ...(v.regionCode ? { regionCode: v.regionCode } : {}),
              opensAt: v.period[0].toISOString(),
              closesAt: v.period[1].toISOString(),
              premoderation: !!v.premoderation,
              published: !!v.published,
              questions: (v.questions ?? []).map((q, i) => ({ id: `q${i + 1}`, kind: q.kind, text: q.text, required: !!q.required, options: q.kind === 'text' ? [] : (q.options ?? '').split(/[,,、]/).map((x) => x.trim()).filter(Boolean) })),
            },
          });
          void message.success(t('saved'));
          nav(`/staff/participation/consultations/${r.id}`);
        }}
      >
        <Form.Item name="title" label={t('fTitle')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input maxLength={80} data-testid="cf-title" />
        </Form.Item>
        <Form.Item name="background" label={t('fBackground')} rules={[{ required: true, message: t('required') }, { min: 10, message: t('minChars', { n: 10 }) }]}>
          <Input.TextArea rows={4} maxLength={5000} data-testid="cf-background" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('fRegion')} rules={[{ pattern: /^\d{6}(\d{3})?$/, message: '6/9' }]}>
          <Input maxLength={9} />
        </Form.Item>
        <Form.Item name="period" label={t('fPeriod')} rules={[{ required: true, message: t('required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <div className="p-toolbar">
          <Form.Item name="published" label={t('fPublish')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="premoderation" label={t('fPremod')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <>
              <div className="p-label">{t('fQuestions')}</div>
              {fields.map((f) => (
                <div key={f.key} className="p-staff-suggestion">
                  <Form.Item name={[f.name, 'text']} label={t('fQText')} rules={[{ required: true, message: t('required') }]}>
                    <Input maxLength={200} />
                  </Form.Item>
                  <div className="p-toolbar">
                    <Form.Item name={[f.name, 'kind']} label={t('fQKind')} initialValue="single">
                      <Select style={{ width: 140 }} options={[{ value: 'single', label: t('kindSingle') }, { value: 'multi', label: t('kindMulti') }, { value: 'text', label: t('kindText') }]} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} label={t('fQRequired')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                    <Button danger size="small" onClick={() => remove(f.name)}>
                      ×
                    </Button>
                  </div>
                  <Form.Item name={[f.name, 'options']} label={t('fQOptions')}>
                    <Input />
                  </Form.Item>
                </div>
              ))}
              <Button onClick={() => add({ kind: 'single', required: false })}>{t('addQuestion')}</Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </>
  );
}

function roundTag(r: Round, t: ReturnType<typeof useS>['t']) {
  return r.status === 'open' ? <Tag color="green">{t('roundStatusOpen')}</Tag> : r.status === 'closed' ? <Tag color="blue">{t('roundStatusClosed')}</Tag> : <Tag>{t('roundStatusDraft')}</Tag>;
}

function TrendChart({ regionCode }: { regionCode?: string | undefined }) {
  const { t } = useS();
  const trend = useAsync((signal) => api<{ regionCode: string; points: TrendPoint[] }>('/api/v1/survey/trend', { signal, query: { regionCode } }), [regionCode]);
  if (trend.error) return <ErrorState error={trend.error} onRetry={trend.reload} compact />;
  if (!trend.data) return <LoadingState minHeight={120} />;
  const pts = trend.data.points.filter((p) => p.respondents > 0);
  if (pts.length === 0) return <EmptyState />;
  const option = trendLines(
    pts.map((p) => p.name.replace(/群众安全感·政法队伍满意度调查$/, '')),
    [
      { name: t('index'), estimates: pts.map((p) => p.index), color: '#1c4fa8' },
      { name: t('security'), estimates: pts.map((p) => p.security), color: '#2e9e6b' },
      { name: t('satisfaction'), estimates: pts.map((p) => p.satisfaction), color: '#d98b1c' },
    ],
    t('ci'),
  );
  return <PChart option={option} height={260} ariaLabel={t('trend')} testId="survey-trend" />;
}

function SurveysTab() {
  const { t } = useS();
  const { can } = useAuth();
  const nav = useNavigate();
  const list = useAsync((signal) => api<{ items: Round[] }>('/api/v1/survey/rounds', { signal }), []);
  const [creating, setCreating] = useState(false);
  type V = { name: string; regionCode?: string; period: [Dayjs, Dayjs] };
  return (
    <>
      {can('survey.manage') ? (
        <div className="p-toolbar">
          <Button type="primary" onClick={() => setCreating(true)} data-testid="new-round">
            {t('newRound')}
          </Button>
        </div>
      ) : null}
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      <Table<Round>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        onRow={(r) => ({ onClick: () => nav(`/staff/participation/surveys/${r.id}`), className: 'row-cursor' })}
        columns={[
          { title: t('fName'), dataIndex: 'name', render: (v: string, r) => <Link to={`/staff/participation/surveys/${r.id}`}>{v}</Link> },
          { title: t('colRegion'), dataIndex: 'regionName', width: 120 },
          { title: t('colPhase'), width: 100, render: (_: unknown, r) => roundTag(r, t) },
          { title: t('colPeriod'), width: 200, render: (_: unknown, r) => `${fmtDate(r.opensAt)} — ${fmtDate(r.closesAt)}` },
          { title: t('colResponses'), dataIndex: 'responses', width: 90, align: 'right' },
        ]}
      />
      <h3 className="p-sub-h">{t('trend')}</h3>
      <TrendChart />
      <FormModal<V>
        open={creating}
        title={t('newRound')}
        onClose={() => setCreating(false)}
        initial={{ period: [dayjs(), dayjs().add(30, 'day')] }}
        submit={async (v) => {
          const r = await api<Round>('/api/v1/survey/rounds', { method: 'POST', body: { name: v.name, ...(v.regionCode ? { regionCode: v.regionCode } : {}), opensAt: v.period[0].toISOString(), closesAt: v.period[1].toISOString() } });
          nav(`/staff/participation/surveys/${r.id}`);
        }}
      >
        <Form.Item name="name" label={t('fName')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('fRegion')} rules={[{ pattern: /^\d{6}(\d{3})?$/, message: '6/9' }]}>
          <Input maxLength={9} />
        </Form.Item>
        <Form.Item name="period" label={t('fPeriod')} rules={[{ required: true, message: t('required') }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Alert type="info" showIcon title={t('standardTemplate')} />
      </FormModal>
    </>
  );
}

function MarginsTab() {
  const { t, lang } = useS();
  const { message } = App.useApp();
  const regions = useRegions();
  const margins = useAsync((signal) => api<{ items: MarginsItem[] }>('/api/v1/survey/margins', { signal }), []);
  const [region, setRegion] = useState<string>();
  const [cells, setCells] = useState<Record<string, number | null>>({});
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const choose = (code: string) => {
    setRegion(code);
    const m = margins.data?.items.find((x) => x.regionCode === code);
    setCells(Object.fromEntries((m?.cells ?? []).map((c) => [`${c.sex}|${c.ageGroup}`, c.population])));
    setSource(m?.source ?? '');
    setError(null);
  };
  const total = Object.values(cells).reduce<number>((a, b) => a + (b ?? 0), 0);
  const save = async () => {
    if (!region) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/survey/margins/${region}`, { method: 'PUT', body: { source: source || null, cells: SEXES.flatMap((sex) => AGE_GROUPS.map((ageGroup) => ({ sex, ageGroup, population: cells[`${sex}|${ageGroup}`] ?? 0 }))) } });
      void message.success(t('saved'));
      margins.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const options = (regions.data?.items ?? []).filter((r) => r.level !== 'township').map((r) => ({ value: r.code, label: `${r.name} ${r.code}` }));
  return (
    <div className="p-grid-2">
      <div>
        <p className="muted">{t('marginsHint')}</p>
        <div className="p-toolbar">
          <Select showSearch optionFilterProp="label" style={{ minWidth: 240 }} placeholder={t('marginsRegion')} options={options} value={region} onChange={choose} data-testid="margins-region" />
        </div>
        {region ? (
          <>
            <table className="p-margins ant-table-content" style={{ width: '100%' }}>
              <thead>
                <tr>
                  <th style={{ textAlign: 'left' }}>{t('age')}</th>
                  <th>{t('male')}</th>
                  <th>{t('female')}</th>
                </tr>
              </thead>
              <tbody>
                {AGE_GROUPS.map((a) => (
                  <tr key={a}>
                    <td>{a}</td>
                    {SEXES.map((s) => (
                      <td key={s}>
                        <InputNumber min={0} max={100_000_000} precision={0} style={{ width: '100%' }} value={cells[`${s}|${a}`] ?? null} onChange={(v) => setCells((m) => ({ ...m, [`${s}|${a}`]: v }))} aria-label={`${a} ${s}`} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {t('marginsTotal')}: <strong>{total.toLocaleString()}</strong>
            </p>
            <Input placeholder={t('marginsSource')} value={source} maxLength={200} onChange={(e) => setSource(e.target.value)} style={{ marginBottom: 8 }} />
            {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 8 }} /> : null}
            <Button type="primary" loading={busy} onClick={save}>
              {t('save')}
            </Button>
          </>
        ) : null}
      </div>
      <div>
        <Table<MarginsItem>
          rowKey="regionCode"
          size="small"
          pagination={false}
          loading={margins.loading}
          dataSource={margins.data?.items ?? []}
          onRow={(r) => ({ onClick: () => choose(r.regionCode), className: 'row-cursor' })}
          columns={[
            { title: t('marginsRegion'), render: (_: unknown, r) => `${r.regionName} ${r.regionCode}` },
            { title: t('marginsTotal'), dataIndex: 'total', align: 'right', render: (v: number) => v.toLocaleString() },
            { title: t('marginsSource'), dataIndex: 'source', ellipsis: true },
            { title: t('updated'), dataIndex: 'updatedAt', width: 110, render: (v: string | null) => fmtDate(v) },
          ]}
        />
      </div>
    </div>
  );
}

function Overview() {
  const { t } = useS();
  const { can } = useAuth();
  const items = [
    ...(can('consultation.manage') ? [{ key: 'c', label: t('tabConsultations'), children: <ConsultationsTab /> }] : []),
    { key: 's', label: t('tabSurveys'), children: <SurveysTab /> },
    ...(can('survey.manage') || can('org.manage') ? [{ key: 'm', label: t('tabMargins'), children: <MarginsTab /> }] : []),
  ];
  return (
    <div className="page">
      <PageHeader title={t('title')} sub={t('sub')} />
      <Tabs items={items} destroyOnHidden />
    </div>
  );
}

// --- one consultation ----------------------------------------------------------------------------

function ConsultationAdmin() {
  const { id = '' } = useParams();
  const { t, pick, lang } = useS();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [status, setStatus] = useState<'pending' | 'published' | 'hidden'>('pending');
  const [tick, setTick] = useState(0);
  const reload = () => setTick((x) => x + 1);
  const c = useAsync((signal) => api<ConsultationStaff>(`/api/v1/consultations/${id}/manage`, { signal }), [id, tick]);
  const list = useAsync((signal) => api<Page<SuggestionStaff>>(`/api/v1/consultations/${id}/suggestions/managed`, { signal, query: { status, pageSize: 200, sort: status === 'published' ? 'support' : 'new' } }), [id, status, tick]);
  const results = useAsync((signal) => (c.data?.published ? api<ConsultationResults>(`/api/v1/consultations/${id}/results`, { signal }) : Promise.resolve(null)), [id, tick, c.data?.published]);
  const units = useUnits();
  type Dialog =
    | { kind: 'hide' | 'restore' | 'approve' | 'redact' | 'answer' | 'task' | 'history' | 'unmask'; s: SuggestionStaff }
    | { kind: 'progress'; task: Task }
    | { kind: 'summary' }
    | null;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [history, setHistory] = useState<{ seq: number; at: string; actorKind: string; action: string; payload: Record<string, unknown> }[] | null>(null);
  const [unmasked, setUnmasked] = useState<{ phone: string | null; originalTitle: string | null; originalBody: string | null } | null>(null);
  const close = () => {
    setDialog(null);
    setHistory(null);
    setUnmasked(null);
  };
  const post = async (path: string, body: unknown) => {
    await api(`/api/v1/consultations/${id}/suggestions/${path}`, { method: 'POST', body });
    void message.success(t('saved'));
    reload();
  };

  if (c.error) return <ErrorState error={c.error} onRetry={c.reload} />;
  if (!c.data) return <LoadingState />;
  const k = c.data;
  const reasonLabel = (r: string) => pick(REASON_LABELS[r]?.[0] ?? r, REASON_LABELS[r]?.[1]);

  const card = (s: SuggestionStaff) => (
    <div key={s.id} className={`p-staff-suggestion ${s.status === 'pending' ? 'p-held' : s.status === 'hidden' ? 'p-hidden' : ''}`} data-testid="staff-suggestion">
      <div className="p-card-head">
        <strong>{s.title}</strong>
        <span className="muted small">{t('supports', { n: s.supportCount })}</span>
        {s.modReason ? <Tag color={s.status === 'hidden' ? 'default' : 'gold'}>{reasonLabel(s.modReason)}</Tag> : null}
        {s.flags.map((f) => (
          <Tag key={f.kind} color="purple">
            {f.kind}×{f.count}
          </Tag>
        ))}
        {s.answer ? <Tag color="green">{pick(s.answer.outcomeLabel.zh, s.answer.outcomeLabel.en)}</Tag> : null}
      </div>
      <p className="p-text">{s.body}</p>
      <div className="muted small">
        {fmtDateTime(s.createdAt)} · {t('phone')} {s.authorPhoneMasked ?? '—'}
        {s.modNote ? ` · ${t('note')}:${s.modNote}` : ''}
      </div>
      {s.answer ? (
        <div className="p-answer">
          <div>{s.answer.reason}</div>
          {s.answer.action ? <div className="muted">{s.answer.action}</div> : null}
        </div>
      ) : null}
      {s.tasks.length ? (
        <div className="muted small">
          {t('tasks')}: {s.tasks.map((x) => `${x.title}(${pick(TASK_STATUS[x.status]?.[0] ?? x.status, TASK_STATUS[x.status]?.[1])})`).join(';')}
        </div>
      ) : null}
      <div className="p-staff-actions">
        {s.status === 'pending' ? (
          <Button size="small" type="primary" onClick={() => setDialog({ kind: 'approve', s })} data-testid="mod-approve">
            {t('approve')}
          </Button>
        ) : null}
        {s.status === 'published' ? (
          <Button size="small" type="primary" onClick={() => setDialog({ kind: 'answer', s })} data-testid="mod-answer">
            {s.answer ? t('reanswer') : t('answer')}
          </Button>
        ) : null}
        {s.status === 'published' && (s.answer?.outcome === 'adopted' || s.answer?.outcome === 'partly_adopted') ? (
          <Button size="small" onClick={() => setDialog({ kind: 'task', s })} data-testid="mod-task">
            {t('toTask')}
          </Button>
        ) : null}
        {s.status !== 'hidden' ? (
          <Button size="small" danger onClick={() => setDialog({ kind: 'hide', s })} data-testid="mod-hide">
            {t('hide')}
          </Button>
        ) : (
          <Button size="small" onClick={() => setDialog({ kind: 'restore', s })} data-testid="mod-restore">
            {t('restore')}
          </Button>
        )}
        {s.status !== 'hidden' ? (
          <Button size="small" onClick={() => setDialog({ kind: 'redact', s })}>
            {t('redact')}
          </Button>
        ) : null}
        <Button
          size="small"
          type="link"
          onClick={async () => {
            setDialog({ kind: 'history', s });
            setHistory((await api<{ items: NonNullable<typeof history> }>(`/api/v1/consultations/${id}/suggestions/${s.id}/history`)).items);
          }}
        >
          {t('history')}
        </Button>
        {can('pii.unmask') ? (
          <Button size="small" type="link" onClick={() => setDialog({ kind: 'unmask', s })}>
            {t('unmask')}
          </Button>
        ) : null}
      </div>
    </div>
  );

  const d = dialog;
  const reasonSelect = <Select options={REASONS.map((r) => ({ value: r, label: reasonLabel(r) }))} data-testid="mod-reason" />;
  const noteField = (required: boolean) => (
    <Form.Item name="note" label={t('note')} rules={required ? [{ required: true, message: t('required') }, { min: 2, message: t('minChars', { n: 2 }) }] : []}>
      <Input.TextArea rows={2} maxLength={500} placeholder={t('notePh')} data-testid="mod-note" />
    </Form.Item>
  );

  return (
    <div className="page">
      <PageHeader
        title={k.title}
        sub={
          <>
            <Tag color={k.phase === 'open' ? 'green' : 'default'}>{pick(k.phaseLabel.zh, k.phaseLabel.en)}</Tag> {k.regionName} · {fmtDate(k.opensAt)} — {fmtDate(k.closesAt)}
          </>
        }
        extra={
          <div className="p-toolbar">
            {k.published ? (
              <Link to={`/participate/consultations/${k.id}`} target="_blank">
                {t('publicPage')}
              </Link>
            ) : null}
            <a href={`/api/v1/consultations/${k.id}/export.xlsx`} download>
              {t('exportXlsx')}
            </a>
            <Button onClick={() => setDialog({ kind: 'summary' })}>{t('editSummary')}</Button>
            {k.published && k.counts.pending + k.counts.published + k.counts.hidden > 0 ? null : (
              <Button
                type={k.published ? 'default' : 'primary'}
                onClick={async () => {
                  try {
                    await api(`/api/v1/consultations/${k.id}`, { method: 'PATCH', body: { published: !k.published, expectedVersion: k.version } });
                    reload();
                  } catch (e) {
                    void message.error(errorText(e, lang));
                  }
                }}
              >
                {k.published ? t('unpublish') : t('publish')}
              </Button>
            )}
          </div>
        }
      />
      <div className="p-kpis">
        {(
          [
            [t('pending'), k.counts.pending],
            [t('published'), k.counts.published],
            [t('hidden'), k.counts.hidden],
            [t('colAnswered'), k.counts.answered],
            [t('colSupports'), k.counts.supports],
          ] as const
        ).map(([l, v]) => (
          <div key={l} className="p-kpi">
            <div className="p-kpi-l">{l}</div>
            <div className="p-kpi-v">{v}</div>
          </div>
        ))}
      </div>
      <Tabs
        activeKey={status}
        onChange={(key) => setStatus(key as typeof status)}
        items={(['pending', 'published', 'hidden'] as const).map((key) => ({ key, label: `${t(key)} ${k.counts[key]}` }))}
      />
      {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
      {list.loading && !list.data ? <LoadingState /> : null}
      {list.data && list.data.items.length === 0 ? <Empty description={t('noItems')} /> : null}
      {list.data?.items.map(card)}

      {results.data && results.data.tasks.length ? (
        <>
          <h3 className="p-sub-h">{t('tasks')}</h3>
          {results.data.tasks.map((task) => (
            <div key={task.id} className="p-staff-suggestion">
              <div className="p-card-head">
                <strong>{task.title}</strong>
                <Tag color={task.status === 'done' ? 'green' : task.overdue ? 'red' : 'blue'}>{pick(task.statusLabel.zh, task.statusLabel.en)}</Tag>
                <span className="muted small">
                  {task.unitName} · {fmtDate(task.dueAt)}
                </span>
              </div>
              <ul className="p-updates">
                {task.updates.map((u, i) => (
                  <li key={i}>
                    <span className="muted small">{fmtDate(u.at)}</span> {u.note}
                  </li>
                ))}
              </ul>
              {task.status === 'open' || task.status === 'in_progress' ? (
                <Button size="small" onClick={() => setDialog({ kind: 'progress', task })}>
                  {t('progress')}
                </Button>
              ) : null}
            </div>
          ))}
        </>
      ) : null}

      <FormModal<{ reason: string; note: string }> open={d?.kind === 'hide'} title={t('hide')} onClose={close} testId="mod-hide-form" submit={(v) => post(`${(d as { s: SuggestionStaff }).s.id}/moderation`, { action: 'hide', reason: v.reason, note: v.note })}>
        <Form.Item name="reason" label={t('reason')} rules={[{ required: true, message: t('required') }]}>
          {reasonSelect}
        </Form.Item>
        {noteField(true)}
      </FormModal>
      <FormModal<{ note: string }> open={d?.kind === 'restore'} title={t('restore')} onClose={close} submit={(v) => post(`${(d as { s: SuggestionStaff }).s.id}/moderation`, { action: 'restore', note: v.note })}>
        {noteField(true)}
      </FormModal>
      <FormModal<{ note?: string }> open={d?.kind === 'approve'} title={t('approve')} onClose={close} testId="mod-approve-form" submit={(v) => post(`${(d as { s: SuggestionStaff }).s.id}/moderation`, { action: 'approve', note: v.note || null })}>
        {noteField(false)}
      </FormModal>
      <FormModal<{ title: string; body: string; note: string }>
        open={d?.kind === 'redact'}
        title={t('redact')}
        onClose={close}
        initial={d && 's' in d ? { title: d.s.title, body: d.s.body } : {}}
        submit={(v) => post(`${(d as { s: SuggestionStaff }).s.id}/moderation`, { action: 'redact', title: v.title, body: v.body, note: v.note })}
      >
        <Form.Item name="title" label={t('colTitle')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="body" label={t('fBackground')} rules={[{ required: true, message: t('required') }, { min: 10, message: t('minChars', { n: 10 }) }]}>
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
        {noteField(true)}
      </FormModal>
      <FormModal<{ outcome: string; reason: string; action?: string }>
        open={d?.kind === 'answer'}
        title={t('answer')}
        onClose={close}
        testId="mod-answer-form"
        initial={d && 's' in d && d.s.answer ? { outcome: d.s.answer.outcome, reason: d.s.answer.reason, action: d.s.answer.action ?? '' } : {}}
        submit={(v) => post(`${(d as { s: SuggestionStaff }).s.id}/answer`, { outcome: v.outcome, reason: v.reason, action: v.action || null })}
      >
        <Form.Item name="outcome" label={t('outcome')} rules={[{ required: true, message: t('required') }]}>
          <Select options={Object.entries(OUTCOMES).map(([value, l]) => ({ value, label: pick(l[0], l[1]) }))} data-testid="answer-outcome" />
        </Form.Item>
        <Form.Item name="reason" label={t('answerReason')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="answer-reason" />
        </Form.Item>
        <Form.Item name="action" label={t('answerAction')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="answer-action" />
        </Form.Item>
      </FormModal>
      <FormModal<{ title: string; description: string; unitId: string; dueAt: Dayjs }>
        open={d?.kind === 'task'}
        title={t('toTask')}
        onClose={close}
        initial={d && 's' in d ? { title: d.s.title, description: d.s.answer?.action ?? '', dueAt: dayjs().add(30, 'day') } : {}}
        submit={async (v) => {
          await api(`/api/v1/consultations/${id}/suggestions/${(d as { s: SuggestionStaff }).s.id}/tasks`, { method: 'POST', body: { title: v.title, description: v.description, unitId: v.unitId, dueAt: v.dueAt.endOf('day').toISOString() } });
          void message.success(t('saved'));
          reload();
        }}
      >
        <Form.Item name="title" label={t('taskTitle')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('taskDesc')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="unitId" label={t('taskUnit')} rules={[{ required: true, message: t('required') }]}>
          <Select showSearch optionFilterProp="label" options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('taskDue')} rules={[{ required: true, message: t('required') }]}>
          <DatePicker disabledDate={(x) => x.isBefore(dayjs(), 'day')} />
        </Form.Item>
      </FormModal>
      <FormModal<{ status: string; note: string }>
        open={d?.kind === 'progress'}
        title={t('progress')}
        onClose={close}
        initial={d?.kind === 'progress' ? { status: d.task.status === 'open' ? 'in_progress' : d.task.status } : {}}
        submit={async (v) => {
          await api(`/api/v1/consultation-tasks/${(d as { task: Task }).task.id}/progress`, { method: 'POST', body: v });
          void message.success(t('saved'));
          reload();
        }}
      >
        <Form.Item name="status" label={t('status')} rules={[{ required: true, message: t('required') }]}>
          <Select options={['in_progress', 'done', 'cancelled'].map((s) => ({ value: s, label: pick(TASK_STATUS[s]![0], TASK_STATUS[s]![1]) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('progressNote')} rules={[{ required: true, message: t('required') }, { min: 2, message: t('minChars', { n: 2 }) }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ summary: string }>
        open={d?.kind === 'summary'}
        title={t('summary')}
        onClose={close}
        initial={{ summary: k.summary ?? '' }}
        submit={async (v) => {
          await api(`/api/v1/consultations/${k.id}`, { method: 'PATCH', body: { summary: v.summary || null, expectedVersion: k.version } });
          reload();
        }}
      >
        <Form.Item name="summary" label={t('summary')}>
          <Input.TextArea rows={5} maxLength={5000} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={d?.kind === 'unmask'}
        title={t('unmask')}
        onClose={() => setDialog(null)}
        submit={async (v) => {
          setUnmasked(await api<{ phone: string | null; originalTitle: string | null; originalBody: string | null }>(`/api/v1/consultations/${id}/suggestions/${(d as { s: SuggestionStaff }).s.id}/unmask`, { method: 'POST', body: { reason: v.reason } }));
        }}
      >
        <Form.Item name="reason" label={t('unmaskReason')} rules={[{ required: true, message: t('required') }, { min: 4, message: t('minChars', { n: 4 }) }]}>
          <Input maxLength={200} />
        </Form.Item>
      </FormModal>
      <Modal open={!!unmasked} title={t('unmask')} onCancel={() => setUnmasked(null)} footer={null} destroyOnHidden>
        <p>
          {t('phone')}: <strong>{unmasked?.phone ?? '—'}</strong>
        </p>
        {unmasked?.originalBody ? (
          <>
            <div className="p-label">{t('original')}</div>
            <p className="p-text">
              {unmasked.originalTitle}
              {'\n'}
              {unmasked.originalBody}
            </p>
          </>
        ) : null}
      </Modal>
      <Modal open={d?.kind === 'history'} title={t('history')} onCancel={close} footer={null} destroyOnHidden width={640}>
        {!history ? (
          <LoadingState minHeight={80} />
        ) : (
          <ul className="p-updates">
            {history.map((e) => (
              <li key={e.seq}>
                <span className="muted small">{fmtDateTime(e.at)}</span> <strong>{e.action}</strong> <span className="muted small">{JSON.stringify(e.payload)}</span>
              </li>
            ))}
          </ul>
        )}
      </Modal>
    </div>
  );
}

// --- one survey round ----------------------------------------------------------------------------

function EstimateKpi({ label, e, testId }: { label: string; e: Estimate; testId?: string }) {
  const { t } = useS();
  return (
    <div className="p-kpi" data-testid={testId}>
      <div className="p-kpi-l">{label}</div>
      <div className="p-kpi-v">{r1(e.value)}</div>
      <div className="p-kpi-s">
        {t('ci')} {ci(e)}
      </div>
    </div>
  );
}

function RoundAdmin() {
  const { id = '' } = useParams();
  const { t, pick, lang } = useS();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [region, setRegion] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  const round = useAsync((signal) => api<Round>(`/api/v1/survey/rounds/${id}`, { signal }), [id, tick]);
  const res = useAsync((signal) => api<RoundResults>(`/api/v1/survey/rounds/${id}/results`, { signal, query: { regionCode: region } }), [id, region, tick]);
  const [entering, setEntering] = useState(false);
  const regionOptions = useMemo(() => {
    const d = res.data;
    if (!d) return [];
    const seen = new Map<string, string>([[d.regionCode, d.regionName]]);
    for (const r of d.regions) seen.set(r.regionCode, r.regionName);
    if (round.data) seen.set(round.data.regionCode, round.data.regionName);
    return [...seen].map(([value, label]) => ({ value, label: `${label} ${value}` }));
  }, [res.data, round.data]);

  if (round.error) return <ErrorState error={round.error} onRetry={round.reload} />;
  if (!round.data) return <LoadingState />;
  const r = round.data;
  const setStatus = async (status: 'open' | 'closed') => {
    try {
      await api(`/api/v1/survey/rounds/${r.id}`, { method: 'PATCH', body: { status } });
      setTick((x) => x + 1);
    } catch (e) {
      void message.error(errorText(e, lang));
    }
  };
  const d = res.data;

  return (
    <div className="page">
      <PageHeader
        title={r.name}
        sub={
          <>
            {roundTag(r, t)} {r.regionName} · {fmtDate(r.opensAt)} — {fmtDate(r.closesAt)} · {r.unitName}
          </>
        }
        extra={
          <div className="p-toolbar">
            <a href={`/api/v1/survey/rounds/${r.id}/export.xlsx${region ? `?regionCode=${region}` : ''}`} download>
              {t('exportXlsx')}
            </a>
            {r.canManage && r.status === 'draft' ? (
              <Button type="primary" onClick={() => setStatus('open')}>
                {t('startRound')}
              </Button>
            ) : null}
            {can('survey.manage') && r.status === 'open' ? (
              <Button onClick={() => setEntering(true)} data-testid="phone-entry">
                {t('phoneEntry')}
              </Button>
            ) : null}
            {r.canManage && r.status === 'open' ? (
              <Popconfirm title={t('closeConfirm')} onConfirm={() => setStatus('closed')}>
                <Button danger>{t('closeRound')}</Button>
              </Popconfirm>
            ) : null}
          </div>
        }
      />
      <div className="p-toolbar">
        <span>{t('regionFilter')}</span>
        <Select style={{ minWidth: 220 }} options={regionOptions} value={region ?? d?.regionCode} onChange={setRegion} data-testid="results-region" />
      </div>
      {res.error ? <ErrorState error={res.error} onRetry={res.reload} /> : null}
      {!d && !res.error ? <LoadingState /> : null}
      {d ? (
        <>
          <div className="p-kpis">
            <EstimateKpi label={t('index')} e={d.index} testId="kpi-index" />
            <EstimateKpi label={t('security')} e={d.security} />
            <EstimateKpi label={t('satisfaction')} e={d.satisfaction} />
            <div className="p-kpi">
              <div className="p-kpi-l">{t('respondents')}</div>
              <div className="p-kpi-v" data-testid="kpi-respondents">
                {d.respondents}
              </div>
              <div className="p-kpi-s">
                {t('channels')}: {t('web')} {d.channels.web ?? 0} · {t('phoneCh')} {d.channels.phone ?? 0}
              </div>
            </div>
          </div>
          <Alert
            type={d.weighting === 'post-stratified' ? 'success' : 'warning'}
            showIcon
            title={
              d.weighting === 'post-stratified'
                ? `${t('weighted')} · ${t('neff', { n: r1(d.index.effectiveN), d: d.index.designEffect === null ? '—' : d.index.designEffect.toFixed(2) })}${d.marginsFrozen ? ` · ${t('frozen')}` : ''}`
                : t('unweighted', { r: d.regionsWithoutMargins.join(', ') })
            }
            style={{ marginBottom: 12 }}
          />
          <div className="p-grid-2">
            <section className="panel">
              <h3 className="p-sub-h">{t('byRegion')}</h3>
              {d.regions.length ? <PChart option={intervalBars(d.regions.map((x) => x.regionName), d.regions.map((x) => x.index), t('index'), t('ci'))} ariaLabel={t('byRegion')} testId="chart-regions" /> : <EmptyState />}
            </section>
            <section className="panel">
              <h3 className="p-sub-h">{t('trend')}</h3>
              <TrendChart regionCode={d.regionCode} />
            </section>
          </div>
          <h3 className="p-sub-h">{t('byQuestion')}</h3>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={d.items}
            columns={[
              { title: t('question'), render: (_: unknown, it: RoundResults['items'][number]) => pick(it.text, it.textEn) },
              { title: t('score'), width: 90, align: 'right', render: (_: unknown, it: RoundResults['items'][number]) => r1(it.score.value) },
              { title: t('ci'), width: 130, render: (_: unknown, it: RoundResults['items'][number]) => ci(it.score) },
              { title: t('topTwo'), width: 90, align: 'right', render: (_: unknown, it: RoundResults['items'][number]) => `${r1(it.topTwo.value)}%` },
              { title: t('respondents'), width: 90, align: 'right', render: (_: unknown, it: RoundResults['items'][number]) => it.score.respondents },
            ]}
          />
          <h3 className="p-sub-h">{t('byRegion')}</h3>
          <Table
            rowKey="regionCode"
            size="small"
            pagination={false}
            dataSource={d.regions}
            columns={[
              { title: t('colRegion'), render: (_: unknown, x: RoundResults['regions'][number]) => `${x.regionName} ${x.regionCode}` },
              { title: t('index'), width: 90, align: 'right', render: (_: unknown, x: RoundResults['regions'][number]) => r1(x.index.value) },
              { title: t('ci'), width: 130, render: (_: unknown, x: RoundResults['regions'][number]) => ci(x.index) },
              { title: t('security'), width: 90, align: 'right', render: (_: unknown, x: RoundResults['regions'][number]) => r1(x.security.value) },
              { title: t('satisfaction'), width: 90, align: 'right', render: (_: unknown, x: RoundResults['regions'][number]) => r1(x.satisfaction.value) },
              { title: t('respondents'), width: 90, align: 'right', dataIndex: 'respondents' },
              { title: '', width: 60, render: (_: unknown, x: RoundResults['regions'][number]) => (x.weighted ? '' : <Tag color="gold">!</Tag>) },
            ]}
          />
          <h3 className="p-sub-h">{t('openAnswers')}</h3>
          {d.openAnswers.length === 0 ? (
            <EmptyState />
          ) : (
            <ul className="p-updates">
              {d.openAnswers.slice(0, 50).map((o, i) => (
                <li key={i}>
                  <span className="muted small">
                    {fmtDate(o.at)} {o.regionCode}
                  </span>{' '}
                  {o.text}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      <FormModal<Record<string, string>>
        open={entering}
        title={t('phoneEntry')}
        onClose={() => setEntering(false)}
        submit={async (v) => {
          const answers: Record<string, string> = {};
          for (const q of r.questionnaire.questions) if (v[`q_${q.id}`]) answers[q.id] = String(v[`q_${q.id}`]).trim();
          await api(`/api/v1/survey/rounds/${r.id}/responses`, { method: 'POST', body: { regionCode: v.regionCode, sex: v.sex, ageGroup: v.ageGroup, answers, phone: v.phone || null } });
          void message.success(t('saved'));
          setTick((x) => x + 1);
        }}
      >
        <Form.Item name="regionCode" label={t('respondentRegion')} rules={[{ required: true, message: t('required') }, { pattern: /^\d{6}(\d{3})?$/, message: '6/9' }]}>
          <Input maxLength={9} />
        </Form.Item>
        <div className="p-toolbar">
          <Form.Item name="sex" label={t('sex')} rules={[{ required: true, message: t('required') }]}>
            <Select style={{ width: 120 }} options={SEXES.map((s) => ({ value: s, label: t(s) }))} />
          </Form.Item>
          <Form.Item name="ageGroup" label={t('age')} rules={[{ required: true, message: t('required') }]}>
            <Select style={{ width: 120 }} options={AGE_GROUPS.map((a) => ({ value: a, label: a }))} />
          </Form.Item>
        </div>
        {r.questionnaire.questions.map((q) => (
          <Form.Item key={q.id} name={`q_${q.id}`} label={pick(q.text, q.textEn)} rules={q.required ? [{ required: true, message: t('required') }] : []}>
            {q.kind === 'scale' ? <Select options={q.options.map((o) => ({ value: o.value, label: pick(o.label, o.labelEn) }))} /> : <Input.TextArea rows={2} maxLength={500} />}
          </Form.Item>
        ))}
        <Form.Item name="phone" label={t('respondentPhone')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: '1xxxxxxxxxx' }]}>
          <Input maxLength={11} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

/** Everything under /staff/participation. */
export default function StaffParticipation() {
  return (
    <Routes>
      <Route index element={<Overview />} />
      <Route path="consultations/:id" element={<ConsultationAdmin />} />
      <Route path="surveys/:id" element={<RoundAdmin />} />
    </Routes>
  );
}
