import { Link } from 'react-router-dom';
import { EditOutlined, MessageOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../../lib/i18n.tsx';
import { CitizenLayout } from './CitizenLayout.tsx';
import { FACE_ORDER, FaceIcon } from '../../components/Faces.tsx';

export default function Home() {
  const { t } = useI18n();
  const steps = ['citizen.step1', 'citizen.step2', 'citizen.step3', 'citizen.step4', 'citizen.step5'] as const;
  return (
    <CitizenLayout>
      <section className="citizen-hero">
        <h1>{t('citizen.heroTitle')}</h1>
        <p>{t('citizen.heroText')}</p>
      </section>
      <nav className="citizen-actions" aria-label={t('citizen.navAria')}>
        <Link to="/submit" className="action-tile action-primary" data-testid="go-submit">
          <span className="action-icon" aria-hidden>
            <EditOutlined />
          </span>
          <span>
            <strong>{t('citizen.navSubmit')}</strong>
            <small>{t('citizen.navSubmitSub')}</small>
          </span>
        </Link>
        <Link to="/track" className="action-tile" data-testid="go-track">
          <span className="action-icon" aria-hidden>
            <SearchOutlined />
          </span>
          <span>
            <strong>{t('citizen.navTrack')}</strong>
            <small>{t('citizen.navTrackSub')}</small>
          </span>
        </Link>
        <Link to="/participate" className="action-tile" data-testid="go-participate">
          <span className="action-icon" aria-hidden>
            <MessageOutlined />
          </span>
          <span>
            <strong>{t('citizen.navParticipate')}</strong>
            <small>{t('citizen.navParticipateSub')}</small>
          </span>
        </Link>
      </nav>
      <section className="citizen-card">
        <h2>{t('citizen.howTitle')}</h2>
        <ol className="process">
          {steps.map((k, i) => (
            <li key={k}>
              <span className="process-no">{i + 1}</span>
              <span>{t(k)}</span>
            </li>
          ))}
        </ol>
        <p className="muted">{t('citizen.howNote')}</p>
      </section>
      <section className="citizen-card faces-banner" aria-label={t('citizen.facesAria')}>
        <div className="faces-row" aria-hidden>
          {FACE_ORDER.map((lv) => (
            <FaceIcon key={lv} level={lv} />
          ))}
        </div>
        <p>{t('citizen.facesText')}</p>
      </section>
    </CitizenLayout>
  );
}
