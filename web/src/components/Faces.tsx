// The five faces (表情包): large, tappable, a radio group for keyboards and screen readers.
import { useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import type { RatingLevel } from '../lib/types.ts';

export const FACE_EMOJI: Record<number, string> = { 5: '😄', 4: '🙂', 3: '😐', 2: '🙁', 1: '😠' };
export const FACE_COLORS: Record<number, string> = { 5: '#1f9d55', 4: '#6cbf43', 3: '#e6b422', 2: '#f08a24', 1: '#d23a3a' };
const ORDER: RatingLevel[] = [5, 4, 3, 2, 1];

export function FacePicker({ value, onChange, size = 'large', name = 'faces' }: { value: RatingLevel | undefined; onChange: (v: RatingLevel) => void; size?: 'large' | 'medium'; name?: string }) {
  const { t } = useI18n();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % ORDER.length;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i + ORDER.length - 1) % ORDER.length;
    if (j >= 0) {
      e.preventDefault();
      onChange(ORDER[j]!);
      refs.current[j]?.focus();
    }
  };
  const focusIndex = value ? ORDER.indexOf(value) : 0;
  return (
    <div className={`faces faces-${size}`} role="radiogroup" aria-label={t('rate.facesAria')} data-testid={name}>
      {ORDER.map((lv, i) => (
        <button
          key={lv}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={value === lv}
          tabIndex={i === focusIndex ? 0 : -1}
          className={value === lv ? 'face face-on' : 'face'}
          style={value === lv ? { borderColor: FACE_COLORS[lv], background: `${FACE_COLORS[lv]}14` } : undefined}
          onClick={() => onChange(lv)}
          onKeyDown={(e) => onKey(e, i)}
          data-testid={`face-${lv}`}
        >
          <span className="face-emoji" aria-hidden>
            {FACE_EMOJI[lv]}
          </span>
          <span className="face-label">{t(`face.${lv}`)}</span>
        </button>
      ))}
    </div>
  );
}

export function FaceLabel({ level }: { level: number | null | undefined }) {
  const { t } = useI18n();
  if (!level || !FACE_EMOJI[level]) return <span className="muted">—</span>;
  return (
    <span className="face-inline" title={t(`face.${level as RatingLevel}`)}>
      <span aria-hidden>{FACE_EMOJI[level]}</span> {t(`face.${level as RatingLevel}`)}
    </span>
  );
}
