// The citizen's H5 frame: a light header, one readable column, the emergency notice.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Alert, ConfigProvider, type ThemeConfig } from 'antd';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { getPolicy } from '../../lib/captcha.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { useAsync } from '../../lib/useAsync.ts';

// Red for actions, blue for focus (a red focus ring reads as an error).
const FOCUS = { activeBorderColor: '#1c4fa8', hoverBorderColor: '#5b82c9', activeShadow: '0 0 0 2px rgba(28, 79, 168, 0.12)' };
const CITIZEN_THEME: ThemeConfig = {
  token: { colorPrimary: '#b7252c', colorLink: '#b7252c', borderRadius: 6 },
  components: { Input: FOCUS, InputNumber: FOCUS, Select: FOCUS },
};

export function CitizenLayout({ children, title, back }: { children: ReactNode; title?: string; back?: boolean }) {
  const { t } = useI18n();
  const policy = useAsync(() => getPolicy(), []);
  return (
    <ConfigProvider theme={CITIZEN_THEME}>
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
          {policy.data?.demo && <Alert type="warning" showIcon title={t('citizen.demo')} className="demo-banner" />}
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
    </ConfigProvider>
  );
}
