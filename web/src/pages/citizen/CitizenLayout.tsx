// The citizen's H5 frame: a light header, one readable column, the emergency notice.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useI18n } from '../../lib/i18n.tsx';

export function CitizenLayout({ children, title, back }: { children: ReactNode; title?: string; back?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="citizen">
      <header className="citizen-header">
        <div className="citizen-header-inner">
          <Link to="/" className="citizen-brand" aria-label={t('common.backHome')}>
            <span className="brand-mark" aria-hidden>
              民
            </span>
            <span className="brand-text">
              <strong>{t('app.name')}</strong>
              <small>{t('citizen.brandSub')}</small>
            </span>
          </Link>
          <LangSwitch dark />
        </div>
      </header>
      <main className="citizen-main">
        {title && (
          <div className="citizen-title">
            {back && (
              <Link to="/" className="citizen-back">
                ‹ {t('common.backHome')}
              </Link>
            )}
            <h1>{title}</h1>
          </div>
        )}
        {children}
      </main>
      <footer className="citizen-footer">
        <p className="emergency" role="note">
          {t('common.emergency')}
        </p>
        <p>
          <Link to="/submit">{t('citizen.navSubmit')}</Link>
          <span aria-hidden> · </span>
          <Link to="/track">{t('citizen.navTrack')}</Link>
          <span aria-hidden> · </span>
          <Link to="/login">{t('common.staffEntry')}</Link>
        </p>
        <p className="muted">{t('citizen.privacy')}</p>
      </footer>
    </div>
  );
}
