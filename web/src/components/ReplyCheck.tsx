// 检查答复: the draft reply scored by the server before it is sent (POST /appeals/:id/reply-check;
// nothing is stored) — the overall score, its parts, the citizen's points not yet answered, and
// concrete hints in the user's language.
import { useState } from 'react';
import { Alert, Button, Progress, Tag } from 'antd';
import { FileSearchOutlined } from '@ant-design/icons';
import { api } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MessageKey } from '../lib/messages.ts';
import type { ReplyCheck as ReplyCheckResult, ReplyPart } from '../lib/text.ts';
import { errorText } from './States.tsx';

const PARTS: ReplyPart[] = ['relevance', 'completeness', 'basis', 'tone', 'specificity', 'timeliness'];

function scoreColor(v: number): string {
  return v >= 80 ? '#389e0d' : v >= 60 ? '#d48806' : '#c8252c';
}

export function ReplyCheck({ appealId, text }: { appealId: string; text: string }) {
  const { t, lang, pick } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ text: string; r: ReplyCheckResult } | null>(null);
  const draft = text.trim();
  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<ReplyCheckResult>(`/api/v1/appeals/${encodeURIComponent(appealId)}/reply-check`, { method: 'POST', body: { text: draft } });
      setResult({ text: draft, r });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const stale = result !== null && result.text !== draft;
  const r = result?.r;
  const unanswered = r ? r.points.filter((p) => !p.answered) : [];
  const verdict: MessageKey | null = r ? (r.overall >= 80 ? 'rc.good' : r.overall >= 60 ? 'rc.fair' : 'rc.poor') : null;
  return (
    <div className="reply-check" data-testid="reply-check">
      <div className="reply-check-bar">
        <Button icon={<FileSearchOutlined />} onClick={() => void check()} loading={busy} disabled={!draft} data-testid="reply-check-btn">
          {result ? t('rc.recheck') : t('rc.check')}
        </Button>
        <span className="muted small">{t('rc.intro')}</span>
      </div>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginTop: 8 }} /> : null}
      {r && (
        <div className={stale ? 'reply-check-result stale' : 'reply-check-result'} data-testid="reply-check-result" aria-live="polite">
          {stale && <div className="muted small reply-check-stale">{t('rc.stale')}</div>}
          <div className="reply-check-head">
            <Progress
              type="circle"
              size={72}
              percent={Math.max(0, Math.min(100, r.overall))}
              strokeColor={scoreColor(r.overall)}
              format={() => <span data-testid="reply-check-overall">{Math.round(r.overall)}</span>}
            />
            <div className="reply-check-parts">
              <div className="small">
                <strong>{t('rc.overall')}</strong> {verdict && <Tag color={r.overall >= 80 ? 'green' : r.overall >= 60 ? 'gold' : 'red'}>{t(verdict)}</Tag>}
              </div>
              {PARTS.map((k) => {
                const v = r.parts[k];
                if (v === null || v === undefined) return null;
                const pct = Math.round(v * 100);
                return (
                  <div key={k} className="reply-part" data-testid={`rc-part-${k}`}>
                    <span className="reply-part-label">{t(`rc.part.${k}` as MessageKey)}</span>
                    <Progress percent={pct} size="small" strokeColor={scoreColor(pct)} />
                  </div>
                );
              })}
            </div>
          </div>
          <div className="reply-check-block">
            <div className="small">
              <strong>{t('rc.unanswered')}</strong>
            </div>
            {unanswered.length === 0 ? (
              <span className="muted small">{t('rc.allAnswered')}</span>
            ) : (
              <ul className="reply-points" data-testid="reply-check-unanswered">
                {unanswered.map((p, i) => (
                  <li key={i}>
                    <Tag>{t(p.kind === 'question' ? 'rc.kind.question' : 'rc.kind.request')}</Tag>
                    {p.text}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {r.citations.length > 0 && (
            <div className="reply-check-block small">
              <strong>{t('rc.citations')}</strong>{' '}
              {r.citations.map((c) => (
                <Tag key={c} color="blue">
                  {c}
                </Tag>
              ))}
            </div>
          )}
          <div className="reply-check-block">
            <div className="small">
              <strong>{t('rc.hints')}</strong>
            </div>
            {r.hints.length === 0 ? (
              <span className="muted small">{t('rc.noHints')}</span>
            ) : (
              <ul className="reply-hint-list" data-testid="reply-check-hints">
                {r.hints.map((h) => (
                  <li key={h.code} data-code={h.code}>
                    {pick(h.zh, h.en)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
