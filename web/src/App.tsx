// The app shell: language, theme (antd ConfigProvider), sign-in state and the routes, one lazily
// loaded chunk per page so the citizen's H5 pages stay light.
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin, theme as antTheme } from 'antd';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import enUSModule from 'antd/es/locale/en_US.js';
import type { Locale } from 'antd/es/locale/index.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { AuthProvider, homeFor, useAuth } from './lib/auth.tsx';
import { I18nProvider, useI18n } from './lib/i18n.tsx';
import { ErrorBoundary, ErrorState } from './components/States.tsx';

const CitizenHome = lazy(() => import('./pages/citizen/Home.tsx'));
const Submit = lazy(() => import('./pages/citizen/Submit.tsx'));
const Track = lazy(() => import('./pages/citizen/Track.tsx'));
const Login = lazy(() => import('./pages/staff/Login.tsx'));
const StaffLayout = lazy(() => import('./pages/staff/StaffLayout.tsx'));
const Workbench = lazy(() => import('./pages/staff/Workbench.tsx'));
const DispatchConsole = lazy(() => import('./pages/staff/DispatchConsole.tsx'));
const AppealList = lazy(() => import('./pages/staff/AppealList.tsx'));
const Dashboard = lazy(() => import('./pages/dashboard/Dashboard.tsx'));
const Drilldown = lazy(() => import('./pages/dashboard/Drilldown.tsx'));
const Admin = lazy(() => import('./pages/admin/Admin.tsx'));
const Interop = lazy(() => import('./pages/interop/Interop.tsx'));
const Audit = lazy(() => import('./pages/admin/Audit.tsx'));
const NotFound = lazy(() => import('./pages/NotFound.tsx'));
const CitizenParticipation = lazy(() => import('./pages/participation/CitizenParticipation.tsx'));
const StaffParticipation = lazy(() => import('./pages/participation/StaffParticipation.tsx'));
const KnowledgeBase = lazy(() => import('./pages/kb/KnowledgeBase.tsx'));
const Notifications = lazy(() => import('./pages/admin/Notifications.tsx'));

// The locale files are ES modules typed as CommonJS: take the default export either way.
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? (m as Locale));
const zhCN = unwrap(zhCNModule);
const enUS = unwrap(enUSModule);

export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Noto Color Emoji'";

function PageLoading() {
  const { t } = useI18n();
  return (
    <div className="page-loading" role="status">
      <Spin />
      <span>{t('common.loading')}</span>
    </div>
  );
}

/** Staff pages: load the session, send strangers to sign in. */
function RequireStaff({ children }: { children: ReactNode }) {
  const { status, ensure, error, me } = useAuth();
  const loc = useLocation();
  useEffect(() => ensure(), [ensure]);
  if (status === 'idle' || status === 'loading') return <PageLoading />;
  if (status === 'error') return <ErrorState error={error} />;
  // Signed out, or signed in but asked to change the password / enrol the second factor first.
  if (status === 'signedOut' || me?.restriction) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  return <>{children}</>;
}

function StaffHome() {
  const { me } = useAuth();
  return <Navigate to={homeFor(me?.user.roles ?? [])} replace />;
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      theme={{
        algorithm: antTheme.defaultAlgorithm,
        token: { colorPrimary: '#1c4fa8', colorLink: '#1c4fa8', borderRadius: 4, fontFamily: FONT_FAMILY, colorError: '#c8252c' },
        components: {
          Table: { headerBg: '#f3f5f9', cellPaddingBlockSM: 6 },
          Layout: { headerBg: '#ffffff', siderBg: '#13284d' },
          Menu: { darkItemBg: '#13284d', darkSubMenuItemBg: '#0f2140', darkItemSelectedBg: '#1c4fa8' },
        },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Themed>
        <AuthProvider>
          <BrowserRouter>
            <ErrorBoundary>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  <Route path="/" element={<CitizenHome />} />
                  <Route path="/submit" element={<Submit />} />
                  <Route path="/track" element={<Track />} />
                  <Route path="/participate/*" element={<CitizenParticipation />} />
                  <Route path="/login" element={<Login />} />
                  <Route
                    path="/staff/bigscreen"
                    element={
                      <RequireStaff>
                        <Dashboard bigScreen />
                      </RequireStaff>
                    }
                  />
                  <Route
                    path="/staff"
                    element={
                      <RequireStaff>
                        <StaffLayout />
                      </RequireStaff>
                    }
                  >
                    <Route index element={<StaffHome />} />
                    <Route path="workbench" element={<Workbench />} />
                    <Route path="dispatch" element={<DispatchConsole />} />
                    <Route path="appeals" element={<AppealList />} />
                    <Route path="dashboard" element={<Dashboard />} />
                    <Route path="drilldown" element={<Drilldown />} />
                    <Route path="admin" element={<Admin />} />
                    <Route path="interop" element={<Interop />} />
                    <Route path="audit" element={<Audit />} />
                    <Route path="participation/*" element={<StaffParticipation />} />
                    <Route path="kb" element={<KnowledgeBase />} />
                    <Route path="notify" element={<Notifications />} />
                    <Route path="*" element={<NotFound />} />
                  </Route>
                  <Route path="*" element={<NotFound />} />
                </Routes>
              </Suspense>
            </ErrorBoundary>
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </I18nProvider>
  );
}
