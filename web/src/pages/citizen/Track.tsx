// 查询与评价: tracking code + phone (or the anonymous PIN) → the timeline in plain words with the
// deadline; once answered, the five faces, solved?, contacted?, a comment, and a thank-you that
// says what happens next.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Form, Input, Radio, Result, Tag, Timeline } from 'antd';
import { captchaPool, citizenPost } from '../../lib/captcha.ts';
import { fmtDateTime, fmtDuration } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { RatingLevel, Solved, TrackingView } from '../../lib/types.ts';
import { FacePicker } from '../../components/Faces.tsx';
import { errorText } from '../../components/States.tsx';
import { CitizenLayout } from './CitizenLayout.tsx';

const ACTIVE = new Set(['submitted', 'returned', 'dispatched', 'accepted', 'contacted']);

function statusColor(s: string): string {
  if (s === 'closed') return 'green';
  if (s === 'replied') return 'blue';
  if (ACTIVE.has(s)) return 'gold';
  return 'default';
}

function Rate({ view, secret, onDone }: { view: TrackingView; secret: string; onDone: (v: TrackingView, level: RatingLevel, solved: Solved) => void }) {
  const { t, lang } = useI18n();
  const [level, setLevel] = useState<RatingLevel>();
  const [solved, setSolved] = useState<Solved>();
  const [contacted, setContacted] = useState<boolean>();
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = !level || !solved || contacted === undefined;

  const send = async () => {
    setTried(true);
    if (missing) return;
    setSending(true);
    setError(null);
    try {
      const v = await citizenPost<TrackingView>(
        '/api/v1/track/rating',
        { trackingCode: view.trackingCode, secret, level, solved, contacted, comment: comment.trim() || null },
        {},
        // A staff session in this browser is noted with the rating for the auditor (never acted on).
        { withCookies: true },
      );
      onDone(v, level, solved);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="citizen-card rate-card" aria-labelledby="rate-h" data-testid="rate-card">
      <h2 id="rate-h">{t('rate.title')}</h2>
      <p className="muted">{t('rate.lead')}</p>
      <div className="rate-q">
        <div className="rate-label">{t('rate.qFace')}</div>
        <FacePicker value={level} onChange={setLevel} />
        {tried && !level && <div className="field-error">{t('rate.needFace')}</div>}
      </div>
      <div className="rate-q">
        <div className="rate-label" id="q-solved">
          {t('rate.qSolved')}
        </div>
        <Radio.Group
          className="choice-group"
          optionType="button"
          buttonStyle="solid"
          size="large"
          aria-labelledby="q-solved"
          value={solved}
          onChange={(e) => setSolved(e.target.value as Solved)}
          options={[
            { value: 'yes', label: t('solved.yes') },
            { value: 'partly', label: t('solved.partly') },
            { value: 'no', label: t('solved.no') },
          ]}
          data-testid="solved"
        />
        {tried && !solved && <div className="field-error">{t('rate.needSolved')}</div>}
      </div>
      <div className="rate-q">
        <div className="rate-label" id="q-contacted">
          {t('rate.qContacted')}
        </div>
        <Radio.Group
          className="choice-group"
          optionType="button"
          buttonStyle="solid"
          size="large"
          aria-labelledby="q-contacted"
          value={contacted === undefined ? undefined : contacted ? 'y' : 'n'}
          onChange={(e) => setContacted(e.target.value === 'y')}
          options={[
            { value: 'y', label: t('rate.contactedYes') },
            { value: 'n', label: t('rate.contactedNo') },
          ]}
          data-testid="contacted"
        />
        {tried && contacted === undefined && <div className="field-error">{t('rate.needContacted')}</div>}
      </div>
      <div className="rate-q">
        <label className="rate-label" htmlFor="rate-comment">
          {t('rate.comment')} <span className="muted">({t('common.optional')})</span>
        </label>
        <Input.TextArea id="rate-comment" rows={3} maxLength={500} showCount value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('rate.commentPh')} data-testid="comment" />
      </div>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} /> : null}
      <Button type="primary" size="large" block loading={sending} onClick={send} data-testid="rate-submit">
        {t('rate.submit')}
      </Button>
      <p className="muted small center">{t('rate.fairNote')}</p>
    </section>
  );
}

export default function Track() {
  const { t, lang, pick } = useI18n();
  const [params] = useSearchParams();
  const [form] = Form.useForm<{ trackingCode: string; secret: string }>();
  const [view, setView] = useState<TrackingView | null>(null);
  const [secret, setSecret] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [thanks, setThanks] = useState<{ level: RatingLevel; solved: Solved } | null>(null);
  useEffect(() => {
    void captchaPool.warm().catch(() => undefined);
  }, []);

  const lookup = async (v: { trackingCode: string; secret: string }) => {
    setLoading(true);
    setError(null);
    try {
      const r = await citizenPost<TrackingView>('/api/v1/track', { trackingCode: v.trackingCode.trim().toUpperCase(), secret: v.secret.trim() });
      setView(r);
      setSecret(v.secret.trim());
      setThanks(null);
    } catch (e) {
      setError(e);
      setView(null);
    } finally {
      setLoading(false);
    }
  };

  const now = Date.now();
  const due = view ? Date.parse(view.handleDueAt) : 0;
  const running = view ? ACTIVE.has(view.status) : false;

  return (
    <CitizenLayout title={t('citizen.navTrack')} back>
      <section className="citizen-card">
        <Form form={form} layout="vertical" onFinish={lookup} initialValues={{ trackingCode: params.get('code') ?? '' }} requiredMark={false} data-testid="track-form">
          <Form.Item
            name="trackingCode"
            label={t('track.code')}
            rules={[
              { required: true, whitespace: true, message: t('track.codeRequired') },
              { min: 6, message: t('track.codeInvalid') },
            ]}
          >
            <Input size="large" placeholder="MB2603-XXXXXX" autoCapitalize="characters" autoComplete="off" maxLength={20} data-testid="track-code" />
          </Form.Item>
          <Form.Item
            name="secret"
            label={t('track.secret')}
            extra={t('track.secretExtra')}
            rules={[
              { required: true, whitespace: true, message: t('track.secretRequired') },
              { min: 4, message: t('track.secretInvalid') },
            ]}
          >
            <Input.Password size="large" inputMode="numeric" autoComplete="off" maxLength={20} placeholder={t('track.secretPh')} data-testid="track-secret" />
          </Form.Item>
          {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} role="alert" /> : null}
          <Button type="primary" htmlType="submit" size="large" block loading={loading} data-testid="track-submit">
            {t('track.submit')}
          </Button>
        </Form>
      </section>

      {view && (
        <section className="citizen-card" aria-live="polite" data-testid="track-result">
          <div className="track-head">
            <Tag color={statusColor(view.status)} className="status-tag-lg" data-testid="track-status">
              {pick(view.statusLabel, view.statusLabelEn)}
            </Tag>
            <span className="muted">{view.trackingCode}</span>
          </div>
          <h2 className="track-title">{view.title}</h2>
          <dl className="kv">
            <dt>{t('track.submittedAt')}</dt>
            <dd>{fmtDateTime(view.createdAt)}</dd>
            <dt>{t('track.unit')}</dt>
            <dd>{view.unitName ?? t('track.unitPending')}</dd>
            {running && (
              <>
                <dt>{t('track.due')}</dt>
                <dd>
                  {fmtDateTime(view.handleDueAt)}
                  <span className={due < now ? 'due-late' : 'due-ok'}>
                    {due < now ? t('track.overdueBy', { d: fmtDuration(now - due, lang) }) : t('track.remaining', { d: fmtDuration(due - now, lang) })}
                  </span>
                </dd>
              </>
            )}
          </dl>
          <h3 className="sub-h">{t('track.progress')}</h3>
          <Timeline
            className="citizen-timeline"
            items={[...view.steps].reverse().map((s, i) => ({
              color: i === 0 ? 'red' : 'gray',
              content: (
                <div className={i === 0 ? 'step step-now' : 'step'}>
                  <div className="step-text">{pick(s.text, s.textEn)}</div>
                  <div className="step-time">{fmtDateTime(s.at)}</div>
                </div>
              ),
            }))}
          />
          {view.reply && (
            <div className="reply-box">
              <h3 className="sub-h">{t('track.reply')}</h3>
              <p data-testid="track-reply">{view.reply}</p>
            </div>
          )}
          {view.rated && !thanks && <Alert type="success" showIcon title={t('track.rated')} />}
          {running && <p className="muted small">{t('track.runningNote')}</p>}
        </section>
      )}

      {view && view.canRate && !thanks && (
        <Rate
          view={view}
          secret={secret}
          onDone={(v, level, solved) => {
            setView(v);
            setThanks({ level, solved });
          }}
        />
      )}

      {thanks && (
        <section className="citizen-card" data-testid="rate-thanks">
          <Result
            status="success"
            title={t('rate.thanks')}
            subTitle={thanks.level <= 2 || thanks.solved === 'no' ? t('rate.nextBad') : t('rate.nextGood')}
          />
        </section>
      )}
    </CitizenLayout>
  );
}
