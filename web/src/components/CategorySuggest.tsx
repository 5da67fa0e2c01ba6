// "可能的类别": while the citizen writes the title and description, the categories the text most likely
// belongs to (POST /api/v1/classify), as chips. A chip sets the category only when tapped; nothing is
// chosen for the citizen. A hint only: on any error, or for a short text, the fallback is shown instead.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from 'antd';
import { api } from '../lib/api.ts';
import { useI18n } from '../lib/i18n.tsx';

export interface CategorySuggestion {
  categoryId: string;
  name: string;
  nameEn: string;
  probability: number;
}

/** The text is long enough to ask about (the server answers nothing for a short one anyway). */
export const SUGGEST_MIN_CHARS = 6;
const DEBOUNCE_MS = 400;

export function CategorySuggest({
  title,
  body,
  value,
  onPick,
  fallback,
}: {
  title: string;
  body: string;
  /** The category currently in the form (its chip shows as chosen). */
  value: string | undefined;
  onPick: (categoryId: string) => void;
  /** Shown while there is nothing to suggest. */
  fallback?: ReactNode;
}) {
  const { t, pick } = useI18n();
  const [items, setItems] = useState<CategorySuggestion[]>([]);
  // Answers already seen for a text: retyping or undoing does not ask again (the endpoint is rate-limited).
  const seen = useRef(new Map<string, CategorySuggestion[]>());
  const tt = title.replace(/\s+/g, ' ').trim().slice(0, 100);
  const bb = body.replace(/\s+/g, ' ').trim().slice(0, 5000);

  useEffect(() => {
    if ((tt + bb).length < SUGGEST_MIN_CHARS) {
      setItems([]);
      return;
    }
    const key = `${tt}\u0000${bb}`;
    const known = seen.current.get(key);
    if (known) {
      setItems(known);
      return;
    }
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      api<{ items: CategorySuggestion[] }>('/api/v1/classify', { method: 'POST', anonymous: true, signal: ctrl.signal, body: { title: tt, body: bb } }).then(
        (r) => {
          const got = r.items.slice(0, 3);
          if (seen.current.size > 50) seen.current.clear();
          seen.current.set(key, got);
          setItems(got);
        },
        () => {
          // A stale request was cancelled, or the hint failed: show nothing (no error for a hint).
          if (!ctrl.signal.aborted) setItems([]);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      ctrl.abort();
    };
  }, [tt, bb]);

  if (items.length === 0) return <>{fallback ?? null}</>;
  return (
    <div
      role="group"
      aria-label={t('suggest.categories')}
      data-testid="category-suggest"
      style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, marginTop: 4 }}
    >
      <span>{t('suggest.categories')}</span>
      {items.map((s) => {
        const on = s.categoryId === value;
        return (
          <Button
            key={s.categoryId}
            size="small"
            shape="round"
            type={on ? 'primary' : 'default'}
            aria-pressed={on}
            onClick={() => onPick(s.categoryId)}
            data-testid={`suggest-${s.categoryId}`}
            title={t('suggest.tapToChoose')}
            style={{ maxWidth: '100%', height: 'auto', minHeight: 28, whiteSpace: 'normal' }}
          >
            {pick(s.name, s.nameEn)}
          </Button>
        );
      })}
    </div>
  );
}
