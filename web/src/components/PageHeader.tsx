import type { ReactNode } from 'react';

export function PageHeader({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="page-header-main">
        <h1>{title}</h1>
        {sub && <div className="page-sub">{sub}</div>}
      </div>
      {extra && <div className="page-header-extra">{extra}</div>}
    </div>
  );
}

/** A figure that leads to the appeals behind it. */
export function StatCard({ label, value, tone, onClick, active, testId, hint }: { label: ReactNode; value: ReactNode; tone?: 'danger' | 'warn' | 'ok' | 'info'; onClick?: () => void; active?: boolean; testId?: string; hint?: ReactNode }) {
  const cls = ['stat-card', tone ? `stat-${tone}` : '', onClick ? 'stat-click' : '', active ? 'stat-active' : ''].join(' ');
  const body = (
    <>
      <span className="stat-label">{label}</span>
      <span className="stat-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </span>
      {hint && <span className="stat-hint">{hint}</span>}
    </>
  );
  return onClick ? (
    <button type="button" className={cls} onClick={onClick} aria-pressed={active} data-testid={testId}>
      {body}
    </button>
  ) : (
    <div className={cls} data-testid={testId}>
      {body}
    </div>
  );
}
