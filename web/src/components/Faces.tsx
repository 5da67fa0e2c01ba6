// The five faces (表情包): large, tappable, a radio group for keyboards and screen readers.
import { useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../lib/i18n.tsx';
import type { RatingLevel } from '../lib/types.ts';

export const FACE_COLORS: Record<number, string> = { 5: '#1f9d55', 4: '#6cbf43', 3: '#e6b422', 2: '#f08a24', 1: '#d23a3a' };
export const FACE_ORDER: RatingLevel[] = [5, 4, 3, 2, 1];

// The mouths (and the angry brows) of the five faces, on a 32 × 32 face. Drawn, not emoji: a machine
// without a colour emoji font (common on the 信创 desktops) showed 🙂 and 🙁 as empty boxes.
const MOUTH: Record<number, string> = {
  5: 'M9 18.5 Q16 28 23 18.5 Z',
  4: 'M10.5 20 Q16 25 21.5 20',
  3: 'M11 21.5 H21',
  2: 'M10.5 23.5 Q16 18.5 21.5 23.5',
  1: 'M9.5 24.5 Q16 17.5 22.5 24.5',
};

/** One of the five faces as a drawing in its colour, sized by the surrounding font (1em). */
export function FaceIcon({ level, size = '1em' }: { level: number; size?: number | string }) {
  const color = FACE_COLORS[level] ?? '#999';
  const ink = '#1f1f1f';
  return (
    <svg className="face-icon" width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false" data-level={level}>
      <circle cx="16" cy="16" r="15" fill={color} />
      <circle cx="11" cy="13" r="2" fill={ink} />
      <circle cx="21" cy="13" r="2" fill={ink} />
      {level === 1 && <path d="M7.5 8.5 L13.5 10.5 M24.5 8.5 L18.5 10.5" stroke={ink} strokeWidth="2" strokeLinecap="round" />}
      <path d={MOUTH[level] ?? MOUTH[3]!} stroke={ink} strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" fill={level === 5 ? ink : 'none'} />
    </svg>
  );
}

export function FacePicker({ value, onChange, size = 'large', name = 'faces' }: { value: RatingLevel | undefined; onChange: (v: RatingLevel) => void; size?: 'large' | 'medium'; name?: string }) {
  const { t } = useI18n();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') j = (i + 1) % FACE_ORDER.length;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') j = (i + FACE_ORDER.length - 1) % FACE_ORDER.length;
    if (j >= 0) {
      e.preventDefault();
      onChange(FACE_ORDER[j]!);
      refs.current[j]?.focus();
    }
  };
  const focusIndex = value ? FACE_ORDER.indexOf(value) : 0;
  return (
    <div className={`faces faces-${size}`} role="radiogroup" aria-label={t('rate.facesAria')} data-testid={name}>
      {FACE_ORDER.map((lv, i) => (
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
            <FaceIcon level={lv} />
          </span>
          <span className="face-label">{t(`face.${lv}`)}</span>
        </button>
      ))}
    </div>
  );
}

export function FaceLabel({ level }: { level: number | null | undefined }) {
  const { t } = useI18n();
  if (!level || !FACE_COLORS[level]) return <span className="muted">—</span>;
  return (
    <span className="face-inline" title={t(`face.${level as RatingLevel}`)}>
      <FaceIcon level={level} size="1.15em" /> {t(`face.${level as RatingLevel}`)}
    </span>
  );
}
