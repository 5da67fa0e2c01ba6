// For the reply: knowledge-base answers related to the appeal, with their legal basis; "插入引用"
// records the citation and puts its text into the reply.
import { useState } from 'react';
import { App, Button, Collapse, Tag } from 'antd';
import { api } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';
import { useAsync } from '../lib/useAsync.ts';
import { basisText, type LegalBasis } from './KbSuggest.tsx';
import { errorText } from './States.tsx';

interface Item {
  id: string;
  title: string;
  summary: string;
  legalBasis: LegalBasis[];
  citation: string;
}

export function KbForAppeal({ appealId, onInsert }: { appealId: string; onInsert: (text: string) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const state = useAsync((signal) => api<{ items: Item[] }>(`/api/v1/kb/for-appeal/${encodeURIComponent(appealId)}`, { query: { limit: 4 }, signal }), [appealId]);
  const items = state.data?.items ?? [];
  if (state.error || (state.data && items.length === 0)) return null;
  const insert = async (it: Item) => {
    setBusy(it.id);
    try {
      const c = await api<{ text: string }>(`/api/v1/kb/articles/${encodeURIComponent(it.id)}/cite`, { method: 'POST', body: { appealId } });
      onInsert(c.text);
      void message.success(t('kb.inserted'));
    } catch (e) {
      void message.error(errorText(e, lang));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Collapse
      size="small"
      className="kb-staff"
      items={[
        {
          key: 'kb',
          label: `${t('kb.staffTitle')}${state.data ? ` · ${items.length}` : ''}`,
          children: (
            <div data-testid="kb-for-appeal">
              <p className="muted small" style={{ marginTop: 0 }}>
                {t('kb.staffNote')}
              </p>
              {items.map((it) => (
                <div key={it.id} className="kb-staff-item">
                  <div>
                    <strong>{it.title}</strong>
                    <div>
                      {it.legalBasis.map((b, k) => (
                        <Tag key={k}>{basisText(b)}</Tag>
                      ))}
                    </div>
                  </div>
                  <Button size="small" loading={busy === it.id} onClick={() => void insert(it)}>
                    {t('kb.insert')}
                  </Button>
                </div>
              ))}
            </div>
          ),
        },
      ]}
    />
  );
}
