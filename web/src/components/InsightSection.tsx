// 智能分析 in the appeal detail: what the text intelligence found at intake — the predicted category
// with its confidence and runners-up, how the appeal was routed and why, the risk level with the words
// that triggered it, repeats and appeals on the same issue, and the hotspots it belongs to.
import { FireOutlined } from '@ant-design/icons';
import { Progress, Space, Tag, Tooltip } from 'antd';
import { ApiError } from '../lib/api.ts';
import { fmtDate, fmtPercent } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MessageKey } from '../lib/messages.ts';
import { isRiskLevel, RISK_COLOR, RISK_KINDS, type Insight, type LinkedAppeal, type RiskSignal } from '../lib/text.ts';
import type { AsyncState } from '../lib/useAsync.ts';
import { StatusTag, unitName, type RefMaps } from './AppealBits.tsx';
import { ErrorState, LoadingState } from './States.tsx';

export function RiskTag({ level }: { level: string }) {
  const { t } = useI18n();
  const l = isRiskLevel(level) ? level : 'none';
  return (
    <Tag color={RISK_COLOR[l]} data-testid="risk-level">
      {t(`risk.${l}`)}
    </Tag>
  );
}

export function riskKindLabel(kind: string, t: (k: MessageKey) => string): string {
  return RISK_KINDS.includes(kind) ? t(`riskKind.${kind}` as MessageKey) : kind;
}

/** The words behind a risk level, grouped by kind. */
export function RiskWords({ signals }: { signals: RiskSignal[] }) {
  const { t } = useI18n();
  return (
    <span className="risk-words">
      {signals.map((s, i) => (
        <span key={`${s.kind}-${i}`} className="risk-signal">
          <span className="muted small">{riskKindLabel(s.kind, t)}:</span>
          {s.words.map((w) => (
            <Tag key={w} color="volcano" className="risk-word">
              {w}
            </Tag>
          ))}
        </span>
      ))}
    </span>
  );
}

function LinkedLine({ a, onOpen }: { a: LinkedAppeal; onOpen: (id: string) => void }) {
  return (
    <li>
      <a onClick={() => onOpen(a.id)} className="mono" data-testid={`linked-${a.trackingCode}`}>
        {a.trackingCode}
      </a>
      <span className="linked-title" title={a.title}>
        {a.title}
      </span>
      <StatusTag status={a.status} />
      <span className="muted small">{fmtDate(a.createdAt)}</span>
    </li>
  );
}

export function InsightSection({ state, refs, onOpen }: { state: AsyncState<Insight | null>; refs: RefMaps; onOpen: (id: string) => void }) {
  const { t, pick } = useI18n();
  const catName = (id: string, fallback: string) => {
    const c = refs.category.get(id);
    return c ? pick(c.name, c.nameEn) : fallback;
  };
  let body;
  if (state.error && !state.data) {
    body = state.error instanceof ApiError && state.error.status === 404 ? <p className="muted small">{t('ti.none')}</p> : <ErrorState error={state.error} onRetry={state.reload} compact />;
  } else if (state.data === undefined) {
    body = <LoadingState minHeight={60} />;
  } else if (state.data === null) {
    body = <p className="muted small">{t('ti.none')}</p>;
  } else {
    const x = state.data;
    const runners = x.ranked.filter((r) => r.categoryId !== x.predicted?.categoryId).slice(0, 2);
    const links = x.sameIssue.filter((a) => a.id !== x.repeatOf?.id && a.id !== x.sameIssueAs?.id);
    body = (
      <div className="insight-grid">
        <div className="insight-row" data-testid="insight-predicted">
          <span className="insight-label">{t('ti.predicted')}</span>
          <div className="insight-value">
            {x.predicted ? (
              <>
                <Space size={8} wrap>
                  <strong>{catName(x.predicted.categoryId, x.predicted.name)}</strong>
                  <span className="muted small">{t('ti.confidence', { p: fmtPercent(x.predicted.confidence, 0) })}</span>
                </Space>
                <Progress percent={Math.round(x.predicted.confidence * 100)} size="small" showInfo={false} className="insight-bar" />
                {runners.length > 0 && (
                  <div className="muted small">
                    {t('ti.runnersUp')}:{runners.map((r) => `${catName(r.categoryId, r.name)} ${fmtPercent(r.probability, 0)}`).join(' · ')}
                  </div>
                )}
              </>
            ) : (
              <span className="muted">{t('ti.noPrediction')}</span>
            )}
          </div>
        </div>
        <div className="insight-row" data-testid="insight-route">
          <span className="insight-label">{t('ti.route')}</span>
          <div className="insight-value">
            <Space size={6} wrap>
              <Tag color={x.route === 'auto' ? 'green' : 'gold'}>{x.route === 'auto' ? t('ti.routeAuto') : t('ti.routeTriage')}</Tag>
              {x.autoUnit && <span>{t('ti.autoUnit', { unit: unitName(refs, x.autoUnit.id) === x.autoUnit.id ? x.autoUnit.name : unitName(refs, x.autoUnit.id) })}</span>}
            </Space>
            <div className="small route-reason">{x.routeReason}</div>
          </div>
        </div>
        <div className="insight-row" data-testid="insight-risk">
          <span className="insight-label">{t('ti.risk')}</span>
          <div className="insight-value">
            <Space size={6} wrap>
              <RiskTag level={x.risk.level} />
              {x.risk.level !== 'none' && <span className="muted small">{t('ti.riskScore', { s: x.risk.score.toFixed(2) })}</span>}
              {x.risk.signals.length > 0 ? <RiskWords signals={x.risk.signals} /> : <span className="muted small">{t('ti.noSignals')}</span>}
            </Space>
          </div>
        </div>
        <div className="insight-row" data-testid="insight-links">
          <span className="insight-label">{t('ti.linked')}</span>
          <div className="insight-value">
            {!x.repeatOf && !x.sameIssueAs && links.length === 0 ? (
              <span className="muted small">{t('ti.noLinks')}</span>
            ) : (
              <>
                {x.repeatOf && (
                  <>
                    <div className="small">
                      <Tag color="purple">{t('ti.repeatOf')}</Tag>
                      {x.similarity !== null && <span className="muted">{t('ti.similarity', { p: fmtPercent(x.similarity, 0) })}</span>}
                    </div>
                    <ul className="linked-list">
                      <LinkedLine a={x.repeatOf} onOpen={onOpen} />
                    </ul>
                  </>
                )}
                {x.sameIssueAs && (
                  <>
                    <div className="small">
                      <Tag color="cyan">{t('ti.sameIssueAs')}</Tag>
                      {x.similarity !== null && !x.repeatOf && <span className="muted">{t('ti.similarity', { p: fmtPercent(x.similarity, 0) })}</span>}
                    </div>
                    <ul className="linked-list">
                      <LinkedLine a={x.sameIssueAs} onOpen={onOpen} />
                    </ul>
                  </>
                )}
                {links.length > 0 && (
                  <>
                    <div className="muted small">{t('ti.sameIssue', { n: links.length })}</div>
                    <ul className="linked-list">
                      {links.slice(0, 8).map((a) => (
                        <LinkedLine key={a.id} a={a} onOpen={onOpen} />
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
          </div>
        </div>
        <div className="insight-row" data-testid="insight-hotspots">
          <span className="insight-label">{t('ti.hotspots')}</span>
          <div className="insight-value">
            {x.hotspots.length === 0 ? (
              <span className="muted small">{t('ti.noHotspots')}</span>
            ) : (
              <Space size={[4, 4]} wrap>
                {x.hotspots.map((h) => (
                  <Tooltip key={h.id} title={h.status === 'resolved' ? t('ti.hotResolved') : t('ti.hotActive')}>
                    <Tag color={h.status === 'resolved' ? 'green' : 'magenta'} icon={<FireOutlined />}>{h.label}</Tag>
                  </Tooltip>
                ))}
              </Space>
            )}
          </div>
        </div>
      </div>
    );
  }
  return (
    <section className="detail-section insight-section" data-testid="insight">
      <h3>{t('ti.title')}</h3>
      {body}
    </section>
  );
}
