// Staff sign-in: password, then the one-time code where a second factor is enrolled. A session that
// must first change its password or enrol the second factor (三员 roles) is walked through it here.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Form, Input, Steps } from 'antd';
import { KeyOutlined, LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../lib/api.ts';
import { homeFor, useAuth } from '../../lib/auth.tsx';
import { useI18n } from '../../lib/i18n.tsx';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { CopyButton } from '../../components/CopyText.tsx';
import { ErrorAlert } from '../../components/States.tsx';
import { getPolicy } from '../../lib/captcha.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { FACE_ORDER, FaceIcon } from '../../components/Faces.tsx';

function safeNext(next: string | null): string | null {
  return next && next.startsWith('/staff') && !next.startsWith('//') ? next : null;
}

function ChangePassword({ oldPassword, onDone }: { oldPassword: string | null; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ oldPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (v: { oldPassword?: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/auth/password', { method: 'POST', body: { oldPassword: oldPassword ?? v.oldPassword, newPassword: v.newPassword } });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
      <Alert type="warning" showIcon title={t('login.mustChangeSub')} style={{ marginBottom: 16 }} />
      {!oldPassword && (
        <Form.Item name="oldPassword" label={t('login.oldPassword')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <Form.Item name="newPassword" label={t('login.newPassword')} extra={t('login.pwRule')} rules={[{ required: true, min: 8, message: t('login.pwRule') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('login.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('login.confirmRequired') },
          ({ getFieldValue }) => ({ validator: (_r, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('login.pwMismatch')))) }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

function EnrolMfa({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    api<{ secret: string; otpauthUri: string }>('/api/v1/auth/mfa/setup', { method: 'POST', body: {} }).then(setSetup, setError);
  }, []);
  const confirm = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ recoveryCodes: string[] }>('/api/v1/auth/mfa/confirm', { method: 'POST', body: { code: v.code.trim() } });
      setCodes(r.recoveryCodes);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (codes) {
    return (
      <div data-testid="mfa-codes">
        <Alert type="success" showIcon title={t('mfa.done')} description={t('mfa.codesNote')} style={{ marginBottom: 12 }} />
        <pre className="recovery-codes">{codes.join('\n')}</pre>
        <div className="button-row">
          <CopyButton text={codes.join('\n')} label={t('mfa.copyCodes')} />
          <Button type="primary" size="large" block onClick={onDone}>
            {t('mfa.continue')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div data-testid="mfa-enrol">
      <Steps
        size="small"
        orientation="vertical"
        current={1}
        items={[
          { title: t('mfa.step1'), content: t('mfa.step1Sub') },
          {
            title: t('mfa.step2'),
            content: setup ? (
              <div className="mfa-secret">
                <code className="mono">{setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
                <CopyButton text={setup.secret} />
                <details>
                  <summary className="small">{t('mfa.uri')}</summary>
                  <code className="mono small break">{setup.otpauthUri}</code>
                </details>
              </div>
            ) : (
              t('common.loading')
            ),
          },
          { title: t('mfa.step3') },
        ]}
      />
      <Form layout="vertical" onFinish={confirm} requiredMark={false}>
        <Form.Item name="code" label={t('mfa.code')} rules={[{ required: true, pattern: /^\d{6}$/, message: t('mfa.codeRule') }]}>
          <Input size="large" inputMode="numeric" autoComplete="one-time-code" maxLength={6} prefix={<SafetyOutlined />} />
        </Form.Item>
        <ErrorAlert error={error} style={{ marginBottom: 12 }} />
        <Button type="primary" htmlType="submit" size="large" block loading={busy} disabled={!setup}>
          {t('mfa.confirm')}
        </Button>
      </Form>
    </div>
  );
}

export default function Login() {
  const { t } = useI18n();
  const { login, status, me, ensure, expired, refresh, logout } = useAuth();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [needOtp, setNeedOtp] = useState(false);
  const policy = useAsync(() => getPolicy(), []);
  const [lastPassword, setLastPassword] = useState<string | null>(null);

  useEffect(() => ensure(), [ensure]);
  const restriction = status === 'signedIn' ? (me?.restriction ?? null) : null;
  useEffect(() => {
    if (status === 'signedIn' && me && !me.restriction) nav(safeNext(params.get('next')) ?? homeFor(me.user.roles), { replace: true });
  }, [status, me, nav, params]);

  const onFinish = async (v: { username: string; password: string; otp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      setLastPassword(v.password);
      await login(v.username.trim(), v.password, v.otp?.trim() || undefined);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'MFA_REQUIRED') {
        setNeedOtp(true);
        setError(null);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  let card;
  if (restriction === 'password_change') {
    card = (
      <>
        <h2>{t('login.mustChange')}</h2>
        <p className="muted">{me?.user.displayName}</p>
        <ChangePassword oldPassword={lastPassword} onDone={() => void refresh()} />
      </>
    );
  } else if (restriction === 'mfa_enrolment') {
    card = (
      <>
        <h2>{t('mfa.title')}</h2>
        <p className="muted">{t('mfa.sub')}</p>
        <EnrolMfa
          onDone={() => void refresh()}
        />
      </>
    );
  } else {
    card = (
      <>
        <h2>{t('login.title')}</h2>
        <p className="muted">{t('login.sub')}</p>
        {expired && <Alert type="warning" showIcon title={t('login.expired')} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="login-form">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input size="large" prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password size="large" prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {needOtp && (
            <Form.Item name="otp" label={t('login.otp')} extra={t('login.otpExtra')} rules={[{ required: true, whitespace: true, message: t('login.otpRequired') }]}>
              <Input size="large" prefix={<KeyOutlined />} inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={40} data-testid="login-otp" />
            </Form.Item>
          )}
          {needOtp && <Alert type="info" showIcon title={t('login.otpAsk')} style={{ marginBottom: 16 }} />}
          <ErrorAlert error={error} style={{ marginBottom: 16 }} />
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <p className="muted small login-note">{t('login.note')}</p>
        {policy.data?.demo && (
          <Alert
            type="info"
            className="demo-accounts"
            title={t('login.demoTitle')}
            description={
              <span>
                {t('login.demoText')}
                <br />
                <code>dispatcher · handler · leader · admin · security · auditor</code> / <code>Demo@2026</code>
              </span>
            }
          />
        )}
        <p className="small">
          <Link to="/">{t('common.citizenEntry')}</Link>
          {!needOtp && (
            <>
              <span aria-hidden> · </span>
              <a onClick={() => setNeedOtp(true)}>{t('login.useOtp')}</a>
            </>
          )}
        </p>
      </>
    );
  }

  return (
    <div className="login-page">
      <div className="login-top">
        <LangSwitch dark />
      </div>
      <div className="login-shell">
        <section className="login-brand" aria-hidden>
          <div className="brand-mark brand-mark-lg">民</div>
          <h1>{t('app.staffTitle')}</h1>
          <p>{t('app.slogan')}</p>
          <div className="faces-row faces-row-light">
            {FACE_ORDER.map((lv) => (
              <FaceIcon key={lv} level={lv} />
            ))}
          </div>
          <ul>
            <li>{t('login.point1')}</li>
            <li>{t('login.point2')}</li>
            <li>{t('login.point3')}</li>
          </ul>
        </section>
        <section className="login-card">
          {card}
          {restriction && (
            <p className="small" style={{ marginTop: 12 }}>
              <a onClick={() => void logout()}>{t('nav.logout')}</a>
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
