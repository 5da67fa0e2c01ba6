// Loading, empty and error states in words: no page is ever blank.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Empty, Result, Spin } from 'antd';
import { ApiError } from '../lib/api.ts';
import { useI18n, type Lang } from '../lib/i18n.tsx';

export function errorText(e: unknown, lang: Lang): string {
  if (e instanceof ApiError) return lang === 'en' ? e.messageEn : e.messageZh;
  if (e instanceof Error && e.message) return lang === 'en' ? e.message : `出现意外错误:${e.message}`;
  return lang === 'en' ? 'Something went wrong' : '出现意外错误';
}

export function useErrorText(): (e: unknown) => string {
  const { lang } = useI18n();
  return (e) => errorText(e, lang);
}

export function LoadingState({ label, minHeight = 160 }: { label?: string; minHeight?: number }) {
  const { t } = useI18n();
  return (
    <div className="state-box" style={{ minHeight }} role="status" aria-live="polite">
      <Spin />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ label, minHeight = 120, action }: { label?: string; minHeight?: number; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state-box" style={{ minHeight }}>
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={label ?? t('common.empty')}>
        {action}
      </Empty>
    </div>
  );
}

export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t, lang } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  if (compact) {
    return (
      <div className="state-box state-error" role="alert">
        <span>{errorText(error, lang)}</span>
        {onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </div>
    );
  }
  return (
    <Result
      status={forbidden ? '403' : 'warning'}
      title={forbidden ? t('common.forbidden') : t('common.loadFailed')}
      subTitle={errorText(error, lang)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

/** Shows one of the three states, or the content. */
export function AsyncView<T>({
  state,
  children,
  empty,
  emptyLabel,
  minHeight,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
  empty?: (data: T) => boolean;
  emptyLabel?: string;
  minHeight?: number;
}) {
  if (state.error && state.data === undefined) return <ErrorState error={state.error} onRetry={state.reload} compact />;
  if (state.data === undefined) return <LoadingState {...(minHeight !== undefined ? { minHeight } : {})} />;
  if (empty?.(state.data)) return <EmptyState {...(emptyLabel !== undefined ? { label: emptyLabel } : {})} />;
  return <>{children(state.data)}</>;
}

interface BoundaryState {
  error: Error | null;
}

function BoundaryFallback({ error, onReset }: { error: Error; onReset: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Result
      status="error"
      title={t('common.pageError')}
      subTitle={errorText(error, lang)}
      extra={[
        <Button key="retry" type="primary" onClick={onReset}>
          {t('common.retry')}
        </Button>,
        <Button key="home" href="/">
          {t('common.backHome')}
        </Button>,
      ]}
    />
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };
  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // A failed lazy chunk after a redeploy: reload once to fetch the new files.
    if (/dynamically imported module|Importing a module script failed/i.test(error.message) && !sessionStorage.getItem('mb.reloaded')) {
      sessionStorage.setItem('mb.reloaded', '1');
      location.reload();
      return;
    }
    console.warn('page error', error, info.componentStack);
  }
  override render() {
    if (this.state.error) return <BoundaryFallback error={this.state.error} onReset={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}

/** An error from the server, as a red line in words (in forms and dialogs). */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { lang } = useI18n();
  if (!error) return null;
  return <Alert type="error" showIcon title={errorText(error, lang)} role="alert" {...(style ? { style } : {})} />;
}
