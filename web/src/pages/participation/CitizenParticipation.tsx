// 问计于民 for citizens: the list of consultations and open surveys, a consultation (suggest, support,
// read the answers and what was done), and the survey. Routed under /participate/*.
import { LikeOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, Route, Routes, useParams } from 'react-router-dom';
import { Alert, App, Button, Cascader, Checkbox, Form, Input, Modal, Progress, Radio, Result, Segmented, Tag } from 'antd';
import { api } from '../../lib/api.ts';
import { captchaPool, citizenPost } from '../../lib/captcha.ts';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { EmptyState, ErrorState, LoadingState, errorText } from '../../components/States.tsx';
import { CitizenLayout } from '../citizen/CitizenLayout.tsx';
import { useP } from './texts.ts';
import type { Consultation, ConsultationResults, Page, PublicRound, Suggestion } from './types.ts';
import './participation.css';

const MOBILE = /^1[3-9]\d{9}$/;
/** The phone given once on this page is offered again for the next support (memory only, never stored). */
let rememberedPhone = '';

const phaseColor = (p: string) => (p === 'open' ? 'green' : p === 'upcoming' ? 'blue' : 'default');
const outcomeColor = (o: string) => (o === 'adopted' ? 'green' : o === 'partly_adopted' ? 'gold' : 'default');

function Home() {
  const { t, pick } = useP();
  const list = useAsync((signal) => api<Page<Consultation>>('/api/v1/consultations', { anonymous: true, signal, query: { pageSize: 50 } }), []);
  const surveys = useAsync((signal) => api<{ items: { id: string; name: string; regionName: string; closesAt: string }[] }>('/api/v1/surveys/open', { anonymous: true, signal }), []);
  const sorted = useMemo(() => {
    const rank = { open: 0, upcoming: 1, closed: 2, draft: 3 } as const;
    return [...(list.data?.items ?? [])].sort((a, b) => rank[a.phase] - rank[b.phase]);
  }, [list.data]);
  return (
    <CitizenLayout title={t('nav.title')} back>
      <p className="citizen-lead">{t('home.lead')}</p>
      <section className="citizen-card" aria-labelledby="ps-h">
        <h2 id="ps-h">{t('home.surveys')}</h2>
        {surveys.error ? <ErrorState error={surveys.error} onRetry={surveys.reload} compact /> : null}
        {surveys.loading && !surveys.data ? <LoadingState minHeight={60} /> : null}
        {surveys.data && surveys.data.items.length === 0 ? <p className="muted">{t('home.noSurvey')}</p> : null}
        {surveys.data?.items.map((s) => (
          <div key={s.id} className="p-survey-line">
            <div>
              <strong>{s.name}</strong>
              <div className="muted small">
                {s.regionName} · {t('home.until', { d: fmtDate(s.closesAt) })}
              </div>
            </div>
            <Link to={`/participate/surveys/${s.id}`} data-testid="take-survey">
              <Button type="primary">{t('home.takeSurvey')}</Button>
            </Link>
          </div>
        ))}
      </section>
      <section aria-labelledby="pc-h">
        <h2 id="pc-h" className="p-section-h">
          {t('home.consultations')}
        </h2>
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
        {list.loading && !list.data ? <LoadingState /> : null}
        {list.data && sorted.length === 0 ? <EmptyState label={t('home.noConsultation')} /> : null}
        {sorted.map((c) => (
          <Link key={c.id} to={`/participate/consultations/${c.id}`} className="citizen-card p-consultation-card" data-testid="consultation-card">
            <div className="p-card-head">
              <Tag color={phaseColor(c.phase)}>{pick(c.phaseLabel.zh, c.phaseLabel.en)}</Tag>
              <span className="muted small">{t('c.suggestions', { n: c.suggestions })}</span>
            </div>
            <h3>{c.title}</h3>
            <div className="muted small">
              {c.unitName} · {fmtDate(c.opensAt)} — {fmtDate(c.closesAt)}
            </div>
          </Link>
        ))}
      </section>
    </CitizenLayout>
  );
}

function SuggestionCard({ s, open, onSupport, supported }: { s: Suggestion; open: boolean; onSupport: (s: Suggestion) => void; supported: boolean }) {
  const { t, pick } = useP();
  return (
    <article className="p-suggestion" data-testid="suggestion-item" data-id={s.id}>
      <div className="p-suggestion-main">
        <h3>{s.title}</h3>
        <p className="p-text">{s.body}</p>
        <div className="muted small">
          {fmtDateTime(s.createdAt)}
          {s.masked ? (
            <Tag className="p-tag-gap" color="default">
              {t('c.masked')}
            </Tag>
          ) : null}
        </div>
        {s.answer ? (
          <div className="p-answer" data-testid="suggestion-answer">
            <div className="p-answer-head">
              <Tag color={outcomeColor(s.answer.outcome)}>{pick(s.answer.outcomeLabel.zh, s.answer.outcomeLabel.en)}</Tag>
              <strong>{t('c.answer')}</strong>
              <span className="muted small">
                {s.answer.unitName ?? ''} {fmtDate(s.answer.answeredAt)}
              </span>
            </div>
            <p className="p-text">{s.answer.reason}</p>
            {s.answer.action ? (
              <p className="p-text">
                <strong>{t('c.willDo')}:</strong>
                {s.answer.action}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
      <Button
        className="p-support"
        type={supported ? 'primary' : 'default'}
        disabled={!open || supported}
        onClick={() => onSupport(s)}
        aria-label={`${t('c.support')} ${s.title}`}
        data-testid="support-btn"
      >
        <LikeOutlined aria-hidden /> <span data-testid="support-count">{s.supportCount}</span>
        <span className="p-support-label">{supported ? t('c.supported') : t('c.support')}</span>
      </Button>
    </article>
  );
}

function SuggestForm({ c, onSent }: { c: Consultation; onSent: () => void }) {
  const { t, lang, pick } = useP();
  const [form] = Form.useForm();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ message: string; messageEn: string; held: boolean } | null>(null);
  useEffect(() => {
    void captchaPool.warm().catch(() => undefined);
  }, []);
  const send = async (v: Record<string, unknown>) => {
    setSending(true);
    setError(null);
    setResult(null);
    try {
      const answers: Record<string, string | string[]> = {};
      for (const q of c.questions) {
        const a = v[`q_${q.id}`];
        if (a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0)) continue;
        answers[q.id] = a as string | string[];
      }
      const phone = String(v.phone).trim();
      const r = await citizenPost<{ message: string; messageEn: string; held: boolean }>(`/api/v1/consultations/${c.id}/suggestions`, { title: v.title, body: v.body, answers, phone });
      rememberedPhone = phone;
      setResult(r);
      form.resetFields();
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };
  return (
    <section className="citizen-card" aria-labelledby="suggest-h">
      <h2 id="suggest-h">{t('c.submitTitle')}</h2>
      {result ? <Alert type={result.held ? 'info' : 'success'} showIcon title={t('c.sent')} description={pick(result.message, result.messageEn)} style={{ marginBottom: 12 }} data-testid="suggest-result" /> : null}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={send} data-testid="suggest-form">
        <Form.Item name="title" label={t('c.title')} rules={[{ required: true, whitespace: true, message: t('c.required') }, { min: 4, message: t('c.minChars', { n: 4 }) }]}>
          <Input size="large" maxLength={60} showCount placeholder={t('c.titlePh')} data-testid="suggest-title" />
        </Form.Item>
        <Form.Item name="body" label={t('c.body')} rules={[{ required: true, whitespace: true, message: t('c.required') }, { min: 10, message: t('c.minChars', { n: 10 }) }]}>
          <Input.TextArea rows={5} maxLength={2000} showCount placeholder={t('c.bodyPh')} data-testid="suggest-body" />
        </Form.Item>
        {c.questions.map((q) => (
          <Form.Item key={q.id} name={`q_${q.id}`} label={pick(q.text, q.textEn)} rules={q.required ? [{ required: true, message: t('c.required') }] : []}>
            {q.kind === 'single' ? (
              <Radio.Group className="p-choices" data-testid={`suggest-q-${q.id}`} options={q.options.map((o) => ({ value: o, label: o }))} />
            ) : q.kind === 'multi' ? (
              <Checkbox.Group className="p-choices" data-testid={`suggest-q-${q.id}`} options={q.options.map((o) => ({ value: o, label: o }))} />
            ) : (
              <Input.TextArea rows={2} maxLength={500} data-testid={`suggest-q-${q.id}`} />
            )}
          </Form.Item>
        ))}
        <Form.Item name="phone" label={t('c.phone')} extra={t('c.phoneExtra')} initialValue={rememberedPhone} rules={[{ required: true, message: t('c.required') }, { pattern: MOBILE, message: t('c.phoneInvalid') }]}>
          <Input size="large" inputMode="numeric" autoComplete="tel" maxLength={11} data-testid="suggest-phone" />
        </Form.Item>
        {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} role="alert" /> : null}
        <Button type="primary" htmlType="submit" size="large" block loading={sending} data-testid="suggest-submit">
          {t('c.send')}
        </Button>
      </Form>
    </section>
  );
}

function Results({ r }: { r: ConsultationResults }) {
  const { t, pick } = useP();
  const f = r.figures;
  const hidden = f.hiddenByReason.map((h) => `${pick(h.label.zh, h.label.en)} ${h.count}`).join('、');
  return (
    <section className="citizen-card" aria-labelledby="res-h" data-testid="consultation-results">
      <h2 id="res-h">{t('c.results')}</h2>
      <div className="p-figures">
        {[
          [t('c.received'), f.received],
          [t('c.participants'), f.participants],
          [t('c.supports'), f.supports],
          [t('c.answered'), f.answered],
          [t('c.adopted'), f.outcomes.adopted],
          [t('c.partly'), f.outcomes.partly_adopted],
          [t('c.notAdopted'), f.outcomes.not_adopted],
        ].map(([label, n]) => (
          <div key={String(label)} className="p-figure">
            <span className="p-figure-n">{n}</span>
            <span className="p-figure-l">{label}</span>
          </div>
        ))}
      </div>
      {f.hidden > 0 ? <p className="muted small">{t('c.hiddenNote', { n: f.hidden, r: hidden })}</p> : null}
      {r.tasks.length > 0 ? (
        <>
          <h3 className="p-sub-h">{t('c.tasks')}</h3>
          {r.tasks.map((task) => (
            <div key={task.id} className="p-task" data-testid="task-item">
              <div className="p-card-head">
                <Tag color={task.status === 'done' ? 'green' : task.overdue ? 'red' : 'blue'}>{pick(task.statusLabel.zh, task.statusLabel.en)}</Tag>
                {task.overdue ? <Tag color="red">{t('c.overdue')}</Tag> : null}
                <strong>{task.title}</strong>
              </div>
              <div className="muted small">
                {task.unitName} · {t('c.due')} {fmtDate(task.dueAt)}
              </div>
              <ul className="p-updates">
                {task.updates.map((u, i) => (
                  <li key={i}>
                    <span className="muted small">{fmtDate(u.at)}</span> {u.note}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      ) : null}
      {r.questions.some((q) => q.kind !== 'text' && q.answered > 0) ? (
        <>
          <h3 className="p-sub-h">{t('c.questions')}</h3>
          {r.questions
            .filter((q) => q.kind !== 'text')
            .map((q) => (
              <div key={q.id} className="p-tally">
                <div className="p-tally-q">{pick(q.text, q.textEn)}</div>
                {q.options.map((o) => (
                  <div key={o.option} className="p-tally-row">
                    <span className="p-tally-label">{o.option}</span>
                    <Progress percent={q.answered ? Math.round((o.count / q.answered) * 100) : 0} size="small" format={() => String(o.count)} />
                  </div>
                ))}
              </div>
            ))}
        </>
      ) : null}
    </section>
  );
}

function ConsultationPage() {
  const { id = '' } = useParams();
  const { t, lang, pick } = useP();
  const { message } = App.useApp();
  const [sort, setSort] = useState<'support' | 'new'>('support');
  const [pageSize, setPageSize] = useState(20);
  const [tick, setTick] = useState(0);
  const detail = useAsync((signal) => api<Consultation>(`/api/v1/consultations/${id}`, { anonymous: true, signal }), [id, tick]);
  const list = useAsync((signal) => api<Page<Suggestion>>(`/api/v1/consultations/${id}/suggestions`, { anonymous: true, signal, query: { sort, pageSize } }), [id, sort, pageSize, tick]);
  const results = useAsync((signal) => api<ConsultationResults>(`/api/v1/consultations/${id}/results`, { anonymous: true, signal }), [id, tick]);
  const [supporting, setSupporting] = useState<Suggestion | null>(null);
  const [supported, setSupported] = useState<Set<string>>(new Set());
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [phone, setPhone] = useState('');
  const [supportError, setSupportError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const phoneRef = useRef<HTMLInputElement | null>(null);

  if (detail.error) {
    return (
      <CitizenLayout title={t('nav.title')}>
        <ErrorState error={detail.error} onRetry={detail.reload} />
      </CitizenLayout>
    );
  }
  const c = detail.data;
  if (!c) {
    return (
      <CitizenLayout title={t('nav.title')}>
        <LoadingState />
      </CitizenLayout>
    );
  }
  const open = c.phase === 'open';

  const startSupport = (s: Suggestion) => {
    setSupportError(null);
    setPhone(rememberedPhone);
    setSupporting(s);
    void captchaPool.warm().catch(() => undefined);
  };
  const confirmSupport = async () => {
    if (!supporting) return;
    const p = phone.trim();
    if (!MOBILE.test(p)) {
      setSupportError(new Error(t('c.phoneInvalid')));
      return;
    }
    setBusy(true);
    setSupportError(null);
    try {
      const r = await citizenPost<{ suggestionId: string; supportCount: number }>(`/api/v1/consultations/${c.id}/suggestions/${supporting.id}/support`, { phone: p });
      rememberedPhone = p;
      setCounts((m) => ({ ...m, [r.suggestionId]: r.supportCount }));
      setSupported((set) => new Set(set).add(r.suggestionId));
      setSupporting(null);
      void message.success(t('c.supportOk'));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ALREADY_SUPPORTED') setSupported((set) => new Set(set).add(supporting.id));
      setSupportError(e);
    } finally {
      setBusy(false);
    }
  };

  const items = (list.data?.items ?? []).map((s) => ({ ...s, supportCount: counts[s.id] ?? s.supportCount }));

  return (
    <CitizenLayout>
      <div className="citizen-title">
        <Link to="/participate" className="citizen-back">
          {t('c.back')}
        </Link>
        <h1 data-testid="consultation-title">{c.title}</h1>
      </div>
      <section className="citizen-card">
        <div className="p-card-head">
          <Tag color={phaseColor(c.phase)} data-testid="consultation-phase">
            {pick(c.phaseLabel.zh, c.phaseLabel.en)}
          </Tag>
          <span className="muted small">{t('c.suggestions', { n: c.suggestions })}</span>
        </div>
        <dl className="kv">
          <dt>{t('c.period')}</dt>
          <dd>
            {fmtDate(c.opensAt)} — {fmtDate(c.closesAt)}
          </dd>
          <dt>{t('c.region')}</dt>
          <dd>{c.regionName}</dd>
          <dt>{t('c.unit')}</dt>
          <dd>{c.unitName}</dd>
        </dl>
        <h2 className="p-sub-h">{t('c.background')}</h2>
        <p className="p-text">{c.background}</p>
        {c.summary ? (
          <Alert type="success" showIcon title={t('c.summary')} description={<span className="p-text">{c.summary}</span>} />
        ) : null}
      </section>

      {open ? <SuggestForm c={c} onSent={() => setTick((x) => x + 1)} /> : <Alert className="p-gap" type="info" showIcon title={c.phase === 'upcoming' ? t('c.submitUpcoming') : t('c.submitClosed')} />}

      {results.data && (c.phase === 'closed' || results.data.figures.answered > 0) ? <Results r={results.data} /> : null}

      <section className="citizen-card" aria-labelledby="list-h">
        <div className="p-list-head">
          <h2 id="list-h">{t('c.list')}</h2>
          <Segmented<'support' | 'new'>
            value={sort}
            onChange={setSort}
            options={[
              { value: 'support', label: t('c.sortSupport') },
              { value: 'new', label: t('c.sortNew') },
            ]}
            data-testid="suggestion-sort"
          />
        </div>
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} compact /> : null}
        {list.loading && !list.data ? <LoadingState minHeight={80} /> : null}
        {list.data && items.length === 0 ? <p className="muted">{t('c.noSuggestions')}</p> : null}
        {items.map((s) => (
          <SuggestionCard key={s.id} s={s} open={open} supported={supported.has(s.id)} onSupport={startSupport} />
        ))}
        {list.data && list.data.total > items.length ? (
          <Button block onClick={() => setPageSize((n) => Math.min(100, n + 20))}>
            {t('c.more')}
          </Button>
        ) : null}
      </section>

      <Modal
        open={supporting !== null}
        title={t('c.supportTitle')}
        onCancel={() => setSupporting(null)}
        onOk={confirmSupport}
        okText={t('c.support')}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'support-ok' } as React.ComponentProps<typeof Button>}
        afterOpenChange={(o) => o && phoneRef.current?.focus()}
        destroyOnHidden
      >
        <p className="muted">{t('c.supportLead')}</p>
        <p>
          <strong>{supporting?.title}</strong>
        </p>
        <label htmlFor="support-phone" className="p-label">
          {t('c.phone')}
        </label>
        <Input
          id="support-phone"
          ref={(el) => {
            phoneRef.current = el?.input ?? null;
          }}
          size="large"
          inputMode="numeric"
          maxLength={11}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          onPressEnter={confirmSupport}
          data-testid="support-phone"
        />
        <div className="muted small">{t('c.phoneExtra')}</div>
        {supportError ? <Alert type="error" showIcon title={errorText(supportError, lang)} style={{ marginTop: 12 }} role="alert" /> : null}
      </Modal>
    </CitizenLayout>
  );
}

function SurveyPage() {
  const { id = '' } = useParams();
  const { t, lang, pick } = useP();
  const round = useAsync((signal) => api<PublicRound>(`/api/v1/surveys/${id}`, { anonymous: true, signal }), [id]);
  const [form] = Form.useForm();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    void captchaPool.warm().catch(() => undefined);
  }, []);

  const r = round.data;
  const options = useMemo(() => {
    if (!r) return [];
    const top = r.regions.filter((x) => x.parentCode === r.regionCode || (x.parentCode === null && x.code !== r.regionCode));
    const roots = top.length ? top : r.regions.filter((x) => x.code !== r.regionCode);
    return roots.map((x) => {
      const children = r.regions.filter((y) => y.parentCode === x.code).map((y) => ({ value: y.code, label: y.name }));
      return { value: x.code, label: x.name, ...(children.length ? { children } : {}) };
    });
  }, [r]);

  if (round.error) {
    return (
      <CitizenLayout title={t('nav.title')}>
        {(round.error as { code?: string }).code === 'SURVEY_NOT_OPEN' ? <Result status="info" title={t('s.closed')} /> : <ErrorState error={round.error} onRetry={round.reload} />}
      </CitizenLayout>
    );
  }
  if (!r) {
    return (
      <CitizenLayout title={t('nav.title')}>
        <LoadingState />
      </CitizenLayout>
    );
  }

  const send = async (v: Record<string, unknown>) => {
    setSending(true);
    setError(null);
    try {
      const path = (v.region as string[]) ?? [];
      const answers: Record<string, string> = {};
      for (const q of r.questionnaire.questions) {
        const a = v[`q_${q.id}`];
        if (typeof a === 'string' && a.trim() !== '') answers[q.id] = a.trim();
      }
      await citizenPost(`/api/v1/surveys/${r.id}/responses`, { regionCode: path[path.length - 1], sex: v.sex, ageGroup: v.ageGroup, answers, phone: String(v.phone).trim() });
      setDone(true);
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };

  if (done) {
    return (
      <CitizenLayout title={r.name}>
        <section className="citizen-card">
          <Result status="success" title={t('s.thanks')} subTitle={t('s.thanksSub')} extra={<Link to="/participate">{t('s.back')}</Link>} data-testid="survey-thanks" />
        </section>
      </CitizenLayout>
    );
  }

  return (
    <CitizenLayout>
      <div className="citizen-title">
        <Link to="/participate" className="citizen-back">
          {t('s.back')}
        </Link>
        <h1 data-testid="survey-title">{r.name}</h1>
      </div>
      <section className="citizen-card">
        <h2 className="p-sub-h">{t('s.intro')}</h2>
        <p className="p-text">{pick(r.questionnaire.intro, r.questionnaire.introEn)}</p>
        <p className="muted small">{t('home.until', { d: fmtDate(r.closesAt) })}</p>
      </section>
      <section className="citizen-card">
        <Form form={form} layout="vertical" requiredMark={false} onFinish={send} scrollToFirstError data-testid="survey-form">
          <Form.Item name="region" label={t('s.region')} rules={[{ required: true, message: t('c.required') }]}>
            <Cascader options={options} changeOnSelect placeholder={t('s.regionPh')} size="large" data-testid="survey-region" />
          </Form.Item>
          <Form.Item name="sex" label={t('s.sex')} rules={[{ required: true, message: t('c.required') }]}>
            <Radio.Group optionType="button" buttonStyle="solid" data-testid="survey-sex" options={r.sexes.map((s) => ({ value: s.value, label: pick(s.label, s.labelEn) }))} />
          </Form.Item>
          <Form.Item name="ageGroup" label={t('s.age')} rules={[{ required: true, message: t('c.required') }]}>
            <Radio.Group optionType="button" buttonStyle="solid" className="p-wrap" data-testid="survey-age" options={r.ageGroups.map((a) => ({ value: a, label: t('s.ageUnit', { a }) }))} />
          </Form.Item>
          {r.questionnaire.questions.map((q, i) => (
            <Form.Item key={q.id} name={`q_${q.id}`} label={`${i + 1}. ${pick(q.text, q.textEn)}`} rules={q.required ? [{ required: true, message: t('s.answerAll') }] : []}>
              {q.kind === 'scale' ? (
                <Radio.Group className="p-scale" data-testid={`survey-q-${q.id}`} options={q.options.map((o) => ({ value: o.value, label: pick(o.label, o.labelEn) }))} />
              ) : (
                <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('s.openPh')} data-testid={`survey-q-${q.id}`} />
              )}
            </Form.Item>
          ))}
          <Form.Item name="phone" label={t('s.phone')} extra={t('s.phoneExtra')} rules={[{ required: true, message: t('c.required') }, { pattern: MOBILE, message: t('c.phoneInvalid') }]}>
            <Input size="large" inputMode="numeric" autoComplete="tel" maxLength={11} data-testid="survey-phone" />
          </Form.Item>
          {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} role="alert" /> : null}
          <Button type="primary" htmlType="submit" size="large" block loading={sending} data-testid="survey-submit">
            {t('s.send')}
          </Button>
        </Form>
      </section>
    </CitizenLayout>
  );
}

/** Everything under /participate. */
export default function CitizenParticipation() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path="consultations/:id" element={<ConsultationPage />} />
      <Route path="surveys/:id" element={<SurveyPage />} />
    </Routes>
  );
}
