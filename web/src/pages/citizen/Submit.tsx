// 我要反映: the citizen's submission form, mobile first. Validation in words before anything is sent;
// an idempotency key makes a retried submission safe; the tracking code (and the PIN of an anonymous
// appeal) is shown on success with copy buttons.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Cascader, Checkbox, Form, Input, Radio, Result, Segmented, TreeSelect } from 'antd';
import { newIdempotencyKey } from '../../lib/api.ts';
import { captchaPool, citizenPost } from '../../lib/captcha.ts';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { buildTree, getCategories, getRegions } from '../../lib/ref.ts';
import type { AppealType, Category, Region, SubmitResult } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { CategorySuggest } from '../../components/CategorySuggest.tsx';
import { CopyButton } from '../../components/CopyText.tsx';
import { KbSuggest } from '../../components/KbSuggest.tsx';
import { errorText } from '../../components/States.tsx';
import { CitizenLayout } from './CitizenLayout.tsx';

const TYPES: AppealType[] = ['consult', 'help', 'complaint', 'report', 'suggestion', 'dispute'];
export const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

interface FormValues {
  type: AppealType;
  categoryId?: string;
  title: string;
  body: string;
  region: string[];
  address?: string;
  identity: 'named' | 'anonymous';
  citizenName?: string;
  phone?: string;
  email?: string;
  promise: boolean;
}

interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

function regionOptions(regions: Region[]): CascaderOption[] {
  const top = regions.find((r) => r.parentCode === null);
  const districts = regions.filter((r) => r.parentCode === (top?.code ?? null) && r.level !== 'township');
  return districts.map((d) => ({
    value: d.code,
    label: d.name,
    children: regions.filter((r) => r.parentCode === d.code).map((s) => ({ value: s.code, label: s.name })),
  }));
}

export default function Submit() {
  const { t, lang, pick } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const cats = useAsync(() => getCategories(), []);
  const regions = useAsync(() => getRegions(), []);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<SubmitResult | null>(null);
  const keyRef = useRef<string>(newIdempotencyKey());
  const typeTouched = useRef(false);
  const identity = Form.useWatch('identity', form);
  const title = (Form.useWatch('title', form) as string | undefined) ?? '';
  const body = (Form.useWatch('body', form) as string | undefined) ?? '';
  const categoryId = Form.useWatch('categoryId', form) as string | undefined;
  const region = Form.useWatch('region', form) as string[] | undefined;
  // The proof-of-work captcha is solved in the background while the citizen writes.
  useEffect(() => {
    void captchaPool.warm().catch(() => undefined);
  }, []);

  const catTree = useMemo(
    () => buildTree<Category>(cats.data ?? [], (c) => c.id, (c) => c.parentId, (c) => pick(c.name, c.nameEn)),
    [cats.data, pick],
  );
  const regionTree = useMemo(() => regionOptions(regions.data ?? []), [regions.data]);

  const onCategory = (id: string | undefined) => {
    if (!id || typeTouched.current) return;
    const c = cats.data?.find((x) => x.id === id);
    const parent = c?.parentId ? cats.data?.find((x) => x.id === c.parentId) : undefined;
    const dt = (c?.defaultType ?? parent?.defaultType) as AppealType | null | undefined;
    if (dt && TYPES.includes(dt)) form.setFieldValue('type', dt);
  };

  const onFinish = async (v: FormValues) => {
    setSending(true);
    setError(null);
    const anonymous = v.identity === 'anonymous';
    try {
      const r = await citizenPost<SubmitResult>(
        '/api/v1/appeals',
        {
          type: v.type,
          categoryId: v.categoryId ?? null,
          title: v.title.trim(),
          body: v.body.trim(),
          regionCode: v.region[v.region.length - 1],
          address: v.address?.trim() || null,
          anonymous,
          citizenName: anonymous ? null : v.citizenName?.trim() || null,
          phone: anonymous ? null : v.phone?.trim() || null,
          email: v.email?.trim() || null,
        },
        { 'idempotency-key': keyRef.current },
      );
      setResult(r);
      keyRef.current = newIdempotencyKey();
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  };

  if (result) {
    return (
      <CitizenLayout title={t('submit.doneTitle')} back>
        <div className="citizen-card">
          <Result
            status="success"
            title={t('submit.doneHeadline')}
            subTitle={t('submit.doneSub')}
            style={{ padding: '16px 0 8px' }}
          />
          <div className="code-box" data-testid="tracking-code-box">
            <div className="code-label">{t('submit.trackingCode')}</div>
            <div className="code-value" data-testid="tracking-code">
              {result.trackingCode}
            </div>
            <CopyButton text={result.trackingCode} label={t('submit.copyCode')} />
          </div>
          {result.accessPin && (
            <div className="code-box code-pin">
              <div className="code-label">{t('submit.pin')}</div>
              <div className="code-value" data-testid="access-pin">
                {result.accessPin}
              </div>
              <CopyButton text={`${result.trackingCode} ${result.accessPin}`} label={t('submit.copyBoth')} />
              <Alert type="warning" showIcon title={t('submit.pinWarning')} style={{ marginTop: 12, textAlign: 'left' }} />
            </div>
          )}
          <ul className="next-list">
            <li>{t('submit.nextContact', { time: fmtDateTime(result.responseDueAt) })}</li>
            <li>{t('submit.nextReply', { time: fmtDateTime(result.handleDueAt) })}</li>
            <li>{result.accessPin ? t('submit.nextTrackPin') : t('submit.nextTrackPhone')}</li>
          </ul>
          <div className="button-row">
            <Link to={`/track?code=${encodeURIComponent(result.trackingCode)}`}>
              <Button type="primary" size="large" block>
                {t('submit.goTrack')}
              </Button>
            </Link>
            <Button
              size="large"
              block
              onClick={() => {
                setResult(null);
                form.resetFields();
                typeTouched.current = false;
              }}
            >
              {t('submit.another')}
            </Button>
          </div>
        </div>
      </CitizenLayout>
    );
  }

  const refError = cats.error ?? regions.error;
  return (
    <CitizenLayout title={t('citizen.navSubmit')} back>
      <p className="citizen-lead">{t('submit.lead')}</p>
      {refError ? (
        <Alert
          type="error"
          showIcon
          title={t('submit.refFailed')}
          description={errorText(refError, lang)}
          action={
            <Button size="small" onClick={() => (cats.error ? cats.reload() : regions.reload())}>
              {t('common.retry')}
            </Button>
          }
        />
      ) : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{ identity: 'named', promise: false }}
        onFinish={onFinish}
        scrollToFirstError={{ behavior: 'smooth', block: 'center' }}
        className="citizen-form"
        data-testid="submit-form"
      >
        <section className="citizen-card">
          <h2 className="form-section">{t('submit.secWhat')}</h2>
          <Form.Item name="type" label={t('submit.type')} rules={[{ required: true, message: t('submit.typeRequired') }]}>
            <Radio.Group className="type-grid" onChange={() => (typeTouched.current = true)}>
              {TYPES.map((ty) => (
                <Radio.Button key={ty} value={ty} data-testid={`type-${ty}`}>
                  <strong>{t(`type.${ty}`)}</strong>
                  <small>{t(`typeHint.${ty}`)}</small>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="categoryId"
            label={t('submit.category')}
            extra={
              // Suggested from what the citizen writes below; set only when a chip is tapped.
              <CategorySuggest
                title={title}
                body={body}
                value={categoryId}
                onPick={(id) => {
                  form.setFieldValue('categoryId', id);
                  onCategory(id);
                }}
                fallback={t('submit.categoryExtra')}
              />
            }
          >
            <TreeSelect
              treeData={catTree}
              allowClear
              showSearch={{ treeNodeFilterProp: 'title' }}
              placeholder={cats.loading && !cats.data ? t('common.loading') : t('submit.categoryPh')}
              onChange={(v: string | undefined) => onCategory(v)}
              size="large"
              data-testid="category"
              popupMatchSelectWidth
              listHeight={320}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('submit.title')}
            rules={[
              { required: true, whitespace: true, message: t('submit.titleRequired') },
              { min: 4, message: t('common.minChars', { n: 4 }) },
              { max: 100, message: t('submit.titleMax') },
            ]}
          >
            <Input size="large" maxLength={100} showCount placeholder={t('submit.titlePh')} data-testid="title" />
          </Form.Item>
          <Form.Item
            name="body"
            label={t('submit.body')}
            rules={[
              { required: true, whitespace: true, message: t('submit.bodyRequired') },
              { min: 10, message: t('submit.bodyMin') },
              { max: 5000, message: t('submit.bodyMax') },
            ]}
          >
            <Input.TextArea rows={6} maxLength={5000} showCount placeholder={t('submit.bodyPh')} data-testid="body" />
          </Form.Item>
          <KbSuggest text={title.trim().length >= 4 ? title : body.split(/[。!?!?\n]/)[0] ?? ''} categoryId={categoryId} regionCode={region?.[region.length - 1]} />
        </section>

        <section className="citizen-card">
          <h2 className="form-section">{t('submit.secWhere')}</h2>
          <Form.Item name="region" label={t('submit.region')} rules={[{ required: true, message: t('submit.regionRequired') }]} extra={t('submit.regionExtra')}>
            <Cascader
              options={regionTree}
              changeOnSelect
              size="large"
              placeholder={regions.loading && !regions.data ? t('common.loading') : t('submit.regionPh')}
              data-testid="region"
              showSearch
            />
          </Form.Item>
          <Form.Item name="address" label={t('submit.address')} rules={[{ max: 200, message: t('submit.addressMax') }]}>
            <Input size="large" maxLength={200} placeholder={t('submit.addressPh')} data-testid="address" />
          </Form.Item>
        </section>

        <section className="citizen-card">
          <h2 className="form-section">{t('submit.secWho')}</h2>
          <Form.Item name="identity" label={t('submit.identity')} rules={[{ required: true }]}>
            <Segmented
              block
              size="large"
              options={[
                { value: 'named', label: t('submit.named') },
                { value: 'anonymous', label: t('submit.anonymous') },
              ]}
              data-testid="identity"
            />
          </Form.Item>
          {identity === 'anonymous' ? (
            <Alert type="info" showIcon title={t('submit.anonymousNote')} style={{ marginBottom: 16 }} />
          ) : (
            <>
              <Form.Item name="citizenName" label={t('submit.name')} rules={[{ max: 40, message: t('submit.nameMax') }]}>
                <Input size="large" maxLength={40} placeholder={t('submit.namePh')} autoComplete="name" data-testid="name" />
              </Form.Item>
              <Form.Item
                name="phone"
                label={t('submit.phone')}
                extra={t('submit.phoneExtra')}
                rules={[
                  { required: true, whitespace: true, message: t('submit.phoneRequired') },
                  { pattern: PHONE_RE, message: t('submit.phoneInvalid') },
                ]}
              >
                <Input size="large" inputMode="tel" autoComplete="tel" maxLength={20} placeholder={t('submit.phonePh')} data-testid="phone" />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="email"
            label={t('submit.email')}
            extra={t(identity === 'anonymous' ? 'submit.emailExtraAnon' : 'submit.emailExtra')}
            rules={[{ type: 'email', max: 254, message: t('submit.emailInvalid') }]}
          >
            <Input size="large" inputMode="email" autoComplete="email" maxLength={254} placeholder={t('submit.emailPh')} data-testid="email" />
          </Form.Item>
          <Form.Item
            name="promise"
            valuePropName="checked"
            rules={[{ validator: (_r, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t('submit.promiseRequired')))) }]}
          >
            <Checkbox data-testid="promise">{t('submit.promise')}</Checkbox>
          </Form.Item>
        </section>

        {error ? <Alert type="error" showIcon title={t('submit.failed')} description={errorText(error, lang)} style={{ marginBottom: 12 }} role="alert" /> : null}
        <Button type="primary" htmlType="submit" size="large" block loading={sending} className="submit-button" data-testid="submit">
          {t('submit.submit')}
        </Button>
        <p className="muted center small">{t('submit.afterNote')}</p>
      </Form>
    </CitizenLayout>
  );
}
