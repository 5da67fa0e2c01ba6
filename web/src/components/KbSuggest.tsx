// 释疑解惑 on the citizen's form: while they type, answers from the knowledge base ("您的问题可能已有
// 答案"); an answer opens in place, and "这解决了我的问题" counts the consultation as resolved.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Modal, Tag } from 'antd';
import { BookOutlined } from '@ant-design/icons';
import { api, newIdempotencyKey } from '../lib/api.ts';
import { citizenPost } from '../lib/captcha.ts';
import { useI18n } from '../lib/i18n.tsx';
import { ErrorAlert } from './States.tsx';

export interface LegalBasis {
  law: string;
  article?: string | null;
  edition?: string | null;
  quote?: string | null;
}
interface KbItem {
  id: string;
  title: string;
  summary: string;
  snippet: string;
  categoryName: string | null;
  legalBasis: LegalBasis[];
}
interface KbArticle {
  id: string;
  title: string;
  summary: string;
  bodyHtml: string;
  legalBasis: LegalBasis[];
  publishedAt: string;
}

export function basisText(b: LegalBasis): string {
  return `《${b.law}》${b.article ?? ''}`;
}

export function KbSuggest({ text, regionCode, categoryId }: { text: string; regionCode?: string | undefined; categoryId?: string | undefined }) {
  const { t, lang } = useI18n();
  const session = useRef(newIdempotencyKey().replace(/-/g, '').slice(0, 32));
  const [items, setItems] = useState<KbItem[]>([]);
  const [queryId, setQueryId] = useState<string | null>(null);
  const [open, setOpen] = useState<KbArticle | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [resolved, setResolved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const q = text.replace(/\s+/g, ' ').trim().slice(0, 200);

  useEffect(() => {
    if (q.length < 4) {
      setItems([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      api<{ queryId: string | null; items: KbItem[] }>('/api/v1/kb/search', {
        anonymous: true,
        signal: ctrl.signal,
        query: { q, limit: 3, session: session.current, regionCode, categoryId },
      }).then(
        (r) => {
          setItems(r.items.filter((i) => i));
          setQueryId(r.queryId);
        },
        () => setItems([]),
      );
    }, 700);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [q, regionCode, categoryId]);

  const show = async (id: string) => {
    setLoadErr(null);
    try {
      const a = await api<KbArticle>(`/api/v1/kb/articles/${encodeURIComponent(id)}/public`, { anonymous: true, query: { regionCode } });
      setOpen(a);
      if (queryId) void api(`/api/v1/kb/queries/${encodeURIComponent(queryId)}/click`, { method: 'POST', anonymous: true, body: { articleId: id } }).catch(() => undefined);
    } catch (e) {
      setLoadErr(e);
    }
  };

  const solvedIt = async () => {
    if (!open || !queryId) return;
    setBusy(true);
    try {
      const r = await citizenPost<{ message: string; messageEn: string }>('/api/v1/kb/resolutions', { queryId, articleId: open.id });
      setResolved(lang === 'en' ? r.messageEn : r.message);
      setOpen(null);
    } catch (e) {
      setLoadErr(e);
    } finally {
      setBusy(false);
    }
  };

  if (resolved) return <Alert type="success" showIcon title={resolved} className="kb-box" data-testid="kb-resolved" />;
  if (items.length === 0) return loadErr ? <ErrorAlert error={loadErr} /> : null;
  return (
    <div className="kb-box" role="region" aria-label={t('kb.title')} data-testid="kb-suggest">
      <div className="kb-head">
        <BookOutlined /> {t('kb.title')}
      </div>
      <ul className="kb-list">
        {items.map((i) => (
          <li key={i.id}>
            <a onClick={() => void show(i.id)}>{i.title}</a>
            <span className="kb-summary">{i.summary}</span>
          </li>
        ))}
      </ul>
      <span className="muted small">{t('kb.note')}</span>
      <Modal
        open={!!open}
        title={open?.title}
        onCancel={() => setOpen(null)}
        footer={[
          <Button key="close" onClick={() => setOpen(null)}>
            {t('kb.notYet')}
          </Button>,
          queryId ? (
            <Button key="ok" type="primary" loading={busy} onClick={() => void solvedIt()} data-testid="kb-solved">
              {t('kb.solved')}
            </Button>
          ) : null,
        ]}
        width={640}
        destroyOnHidden
      >
        {open && (
          <div className="kb-article">
            {open.summary && <p className="kb-article-summary">{open.summary}</p>}
            <div className="kb-body" dangerouslySetInnerHTML={{ __html: open.bodyHtml }} />
            {open.legalBasis.length > 0 && (
              <div className="kb-basis">
                <span className="muted small">{t('kb.basis')}</span>
                {open.legalBasis.map((b, k) => (
                  <Tag key={k}>{basisText(b)}</Tag>
                ))}
              </div>
            )}
            <ErrorAlert error={loadErr} />
          </div>
        )}
      </Modal>
    </div>
  );
}
