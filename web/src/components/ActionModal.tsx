// One dialog for every action on an appeal: the fields each action needs, validated in words
// before sending, then POST /appeals/:id/actions with the version seen (a concurrent change is
// reported, never overwritten).
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Space, Tag } from 'antd';
import { api } from '../lib/api.ts';
import { fmtPercent } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MessageKey } from '../lib/messages.ts';
import { suggestUnit } from '../lib/ref.ts';
import type { AppealDetail, RatingLevel, Solved } from '../lib/types.ts';
import type { RefMaps } from './AppealBits.tsx';
import { FacePicker } from './Faces.tsx';
import { AppealSearchSelect, CategoryTreeSelect, UnitTreeSelect } from './Pickers.tsx';
import { errorText } from './States.tsx';
import { replyHints } from './replyHints.ts';
import { KbForAppeal } from './KbForAppeal.tsx';
import { ReplyCheck } from './ReplyCheck.tsx';

/** The classifier's confidence from which its category is preselected in the dispatch form. */
const PRESET_MIN_CONFIDENCE = 0.5;

export type ActionKind =
  | 'dispatch'
  | 'accept'
  | 'return'
  | 'transfer'
  | 'contact'
  | 'reply'
  | 'request_extension'
  | 'decide_extension'
  | 'supervise'
  | 'close'
  | 'reopen'
  | 'merge'
  | 'redirect'
  | 'flag_unreasonable'
  | 'decide_unreasonable'
  | 'appeal_rating'
  | 'decide_rating_appeal'
  | 'rate';

export const ACTION_LABEL: Record<ActionKind, MessageKey> = {
  dispatch: 'act.dispatch',
  accept: 'act.accept',
  return: 'act.return',
  transfer: 'act.transfer',
  contact: 'act.contact',
  reply: 'act.reply',
  request_extension: 'act.request_extension',
  decide_extension: 'act.decide_extension',
  supervise: 'act.supervise',
  close: 'act.close',
  reopen: 'act.reopen',
  merge: 'act.merge',
  redirect: 'act.redirect',
  flag_unreasonable: 'act.flag_unreasonable',
  decide_unreasonable: 'act.decide_unreasonable',
  appeal_rating: 'act.appeal_rating',
  decide_rating_appeal: 'act.decide_rating_appeal',
  rate: 'act.rate',
};

type Values = Record<string, unknown>;

const REASON_FIELD: Partial<Record<ActionKind, 'reason' | 'note' | 'guidance'>> = {
  return: 'reason',
  transfer: 'reason',
  request_extension: 'reason',
  supervise: 'note',
  close: 'reason',
  reopen: 'reason',
  redirect: 'guidance',
  flag_unreasonable: 'reason',
  appeal_rating: 'reason',
};

function ReplyHints({ text }: { text: string }) {
  const { t } = useI18n();
  const hints = replyHints(text);
  if (!text || text.trim().length < 10) return null;
  return (
    <div className="reply-hints" aria-live="polite">
      <span className="muted small">{t('reply.hintsTitle')}</span>
      {hints.map((h) => (
        <Tag key={h.key} color={h.ok ? 'green' : 'orange'}>
          {h.ok ? '✓ ' : '! '}
          {t(h.key)}
        </Tag>
      ))}
    </div>
  );
}

export function ActionModal({
  action,
  appeal,
  refs: ref,
  predicted = null,
  onClose,
  onDone,
}: {
  action: ActionKind | null;
  appeal: AppealDetail;
  refs: RefMaps;
  /** The classifier's category for this appeal (智能分析): preselected when dispatching. */
  predicted?: { categoryId: string; name: string; confidence: number } | null;
  onClose: () => void;
  onDone: (updated: AppealDetail) => void;
}) {
  const { t, lang, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [level, setLevel] = useState<RatingLevel>();
  const replyText = (Form.useWatch('text', form) as string | undefined) ?? '';
  const categoryId = (Form.useWatch('categoryId', form) as string | null | undefined) ?? appeal.categoryId;

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    setError(null);
    setLevel(undefined);
    if (action === 'contact') form.setFieldsValue({ method: 'phone' });
    if (action === 'request_extension') form.setFieldsValue({ days: 3 });
    if (action === 'redirect') form.setFieldsValue({ channel: 'litigation' });
    if (action === 'decide_extension' || action === 'decide_unreasonable') form.setFieldsValue({ approved: true });
    if (action === 'decide_rating_appeal') form.setFieldsValue({ upheld: false });
    if (action === 'dispatch') form.setFieldsValue({ categoryId: appeal.categoryId });
  }, [action, appeal.id, appeal.categoryId, form]);

  // Dispatching from triage: the predicted category is preselected (also when the analysis arrives
  // after the dialog opened), unless the dispatcher already chose one.
  // Only a prediction worth trusting is preselected: below half it is shown in the analysis, not chosen.
  const presetCategory = action === 'dispatch' && predicted && predicted.confidence >= PRESET_MIN_CONFIDENCE && ref.category.has(predicted.categoryId) ? predicted.categoryId : null;
  useEffect(() => {
    if (presetCategory && !form.isFieldTouched('categoryId')) form.setFieldsValue({ categoryId: presetCategory });
  }, [presetCategory, form]);

  const suggested = useMemo(() => {
    if (action !== 'dispatch' && action !== 'transfer') return undefined;
    const cat = categoryId ? ref.category.get(categoryId) : undefined;
    const u = suggestUnit(ref.units, cat, ref.categories, appeal.regionCode);
    return u && u.id !== appeal.unitId ? u : undefined;
  }, [action, categoryId, ref, appeal.regionCode, appeal.unitId]);

  if (!action) return null;
  const reasonField = REASON_FIELD[action];

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (action === 'rate' && !level) {
      setError(new Error(t('rate.needFace')));
      return;
    }
    const body: Values = { action, expectedVersion: appeal.version };
    const trimmed = (x: unknown) => (typeof x === 'string' ? x.trim() : x);
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined || val === '') continue;
      body[k] = trimmed(val);
    }
    if (action === 'dispatch' && body.categoryId === appeal.categoryId) delete body.categoryId;
    if (action === 'contact' && v.note === undefined) body.note = null;
    if (action === 'rate') body.level = level;
    setBusy(true);
    setError(null);
    try {
      const updated = await api<AppealDetail>(`/api/v1/appeals/${encodeURIComponent(appeal.id)}/actions`, { method: 'POST', body });
      void message.success(t('act.done', { action: t(ACTION_LABEL[action]) }));
      onDone(updated);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const reasonLabel: MessageKey =
    action === 'supervise' ? 'act.superviseNote' : action === 'redirect' ? 'act.guidance' : action === 'close' ? 'act.closeReason' : 'act.reason';

  return (
    <Modal
      open
      title={`${t(ACTION_LABEL[action])} · ${appeal.trackingCode}`}
      onCancel={onClose}
      onOk={submit}
      okText={t('act.confirm', { action: t(ACTION_LABEL[action]) })}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      width={action === 'reply' || action === 'dispatch' ? 680 : 520}
      okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
    >
      <p className="modal-appeal-title">{appeal.title}</p>
      <Form form={form} layout="vertical" requiredMark="optional" onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void submit()}>
        {action === 'dispatch' && (
          <>
            <Form.Item name="unitId" label={t('act.toUnit')} rules={[{ required: true, message: t('act.unitRequired') }]} extra={suggested ? undefined : t('act.noSuggestion')}>
              <UnitTreeSelect units={ref.units} testId="dispatch-unit" />
            </Form.Item>
            {suggested && (
              <div className="suggest-line">
                {t('act.suggested')}
                <Tag color="blue" className="clickable" onClick={() => form.setFieldsValue({ unitId: suggested.id })} data-testid="suggested-unit">
                  {suggested.name}
                </Tag>
                <span className="muted small">{t('act.suggestedWhy')}</span>
              </div>
            )}
            <Form.Item name="categoryId" label={t('act.category')} extra={t('act.categoryExtra')}>
              <CategoryTreeSelect categories={ref.categories} />
            </Form.Item>
            {presetCategory && predicted && (
              <div className="suggest-line" data-testid="predicted-preset">
                <span className="small">{t('ti.predictedPreset', { name: pick(ref.category.get(presetCategory)!.name, ref.category.get(presetCategory)!.nameEn), p: fmtPercent(predicted.confidence, 0) })}</span>
                {appeal.categoryId && appeal.categoryId !== presetCategory && categoryId !== appeal.categoryId && (
                  <>
                    <span className="muted small">
                      {t('ti.originalIs')}
                      {pick(ref.category.get(appeal.categoryId)?.name ?? appeal.categoryId, ref.category.get(appeal.categoryId)?.nameEn)}
                    </span>
                    <Tag className="clickable" onClick={() => form.setFieldsValue({ categoryId: appeal.categoryId })} data-testid="use-original-category">
                      {t('ti.useOriginal')}
                    </Tag>
                  </>
                )}
              </div>
            )}
            <Form.Item name="note" label={t('act.note')} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={2} maxLength={1000} placeholder={t('act.dispatchNotePh')} />
            </Form.Item>
          </>
        )}
        {action === 'transfer' && (
          <>
            <Form.Item name="unitId" label={t('act.toUnit')} rules={[{ required: true, message: t('act.unitRequired') }]}>
              <UnitTreeSelect units={ref.units} exclude={appeal.unitId} testId="transfer-unit" />
            </Form.Item>
            {suggested && (
              <div className="suggest-line">
                {t('act.suggested')}
                <Tag color="blue" className="clickable" onClick={() => form.setFieldsValue({ unitId: suggested.id })}>
                  {suggested.name}
                </Tag>
              </div>
            )}
          </>
        )}
        {action === 'accept' && (
          <Form.Item name="note" label={t('act.note')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} maxLength={1000} placeholder={t('act.acceptNotePh')} />
          </Form.Item>
        )}
        {action === 'contact' && (
          <>
            <Form.Item name="method" label={t('act.method')} rules={[{ required: true }]}>
              <Radio.Group optionType="button" options={(['phone', 'visit', 'sms', 'other'] as const).map((m) => ({ value: m, label: t(`contact.${m}`) }))} />
            </Form.Item>
            <Form.Item name="note" label={t('act.contactNote')} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={3} maxLength={1000} placeholder={t('act.contactNotePh')} data-testid="contact-note" />
            </Form.Item>
          </>
        )}
        {action === 'reply' && (
          <>
            <Form.Item
              name="text"
              label={t('act.replyText')}
              extra={t('act.replyExtra')}
              rules={[
                { required: true, whitespace: true, message: t('act.replyRequired') },
                { min: 10, message: t('act.replyMin') },
                { max: 10000 },
              ]}
            >
              <Input.TextArea rows={8} maxLength={10000} showCount placeholder={t('act.replyPh')} data-testid="reply-text" />
            </Form.Item>
            <ReplyHints text={replyText} />
            <ReplyCheck appealId={appeal.id} text={replyText} />
            <KbForAppeal
              appealId={appeal.id}
              onInsert={(cite) => {
                const cur = ((form.getFieldValue('text') as string | undefined) ?? '').trimEnd();
                form.setFieldsValue({ text: cur ? `${cur}\n${cite}` : cite });
              }}
            />
          </>
        )}
        {action === 'request_extension' && (
          <Form.Item label={t('act.days')} required>
            <Space.Compact>
              <Form.Item name="days" noStyle rules={[{ required: true, type: 'integer', min: 1, max: 15, message: t('act.daysRule') }]}>
                <InputNumber min={1} max={15} precision={0} style={{ width: 120 }} data-testid="extension-days" />
              </Form.Item>
              <Space.Addon>{t('act.workdays')}</Space.Addon>
            </Space.Compact>
          </Form.Item>
        )}
        {action === 'merge' && (
          <>
            <Form.Item name="intoId" label={t('act.mergeInto')} rules={[{ required: true, message: t('act.mergeRequired') }]} extra={t('act.mergeExtra')}>
              <AppealSearchSelect excludeId={appeal.id} />
            </Form.Item>
            <Form.Item name="note" label={t('act.note')} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        )}
        {action === 'redirect' && (
          <Form.Item name="channel" label={t('act.channel')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={(['litigation', 'arbitration', 'petition', 'reconsideration', 'police110'] as const).map((c) => ({ value: c, label: t(`redirect.${c}`) }))}
            />
          </Form.Item>
        )}
        {(action === 'decide_extension' || action === 'decide_unreasonable') && (
          <>
            {action === 'decide_extension' && <Alert type="info" showIcon title={t('act.extensionAsk', { n: appeal.pendingExtensionDays ?? 0 })} style={{ marginBottom: 12 }} />}
            <Form.Item name="approved" label={t('act.decision')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: true, label: t('act.approve') },
                  { value: false, label: t('act.reject') },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label={t('act.note')} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        )}
        {action === 'decide_rating_appeal' && (
          <>
            <Form.Item name="upheld" label={t('act.decision')} rules={[{ required: true }]} extra={t('act.ratingAppealExtra')}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: true, label: t('act.upheld') },
                  { value: false, label: t('act.notUpheld') },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label={t('act.note')} rules={[{ max: 1000 }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </>
        )}
        {action === 'rate' && (
          <>
            <Alert type="info" showIcon title={t('callback.asCitizen')} style={{ marginBottom: 12 }} />
            <div className="rate-label">{t('rate.qFace')}</div>
            <FacePicker value={level} onChange={setLevel} size="medium" />
            <Form.Item name="solved" label={t('rate.qSolved')} rules={[{ required: true, message: t('rate.needSolved') }]} style={{ marginTop: 12 }}>
              <Radio.Group optionType="button" options={(['yes', 'partly', 'no'] as Solved[]).map((s) => ({ value: s, label: t(`solved.${s}`) }))} />
            </Form.Item>
            <Form.Item name="contacted" label={t('rate.qContacted')} rules={[{ required: true, message: t('rate.needContacted') }]}>
              <Radio.Group optionType="button" options={[{ value: true, label: t('rate.contactedYes') }, { value: false, label: t('rate.contactedNo') }]} />
            </Form.Item>
            <Form.Item name="comment" label={t('rate.comment')} rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
        {reasonField && (
          <Form.Item
            name={reasonField}
            label={t(reasonLabel)}
            rules={[
              { required: true, whitespace: true, message: t('common.reasonMin', { n: 2 }) },
              { min: 2, message: t('common.reasonMin', { n: 2 }) },
              { max: 1000 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t(`actPh.${action}` as MessageKey)} data-testid="action-reason" />
          </Form.Item>
        )}
      </Form>
      {action === 'dispatch' && appeal.categoryId && (
        <p className="muted small">
          {t('act.currentCategory')}: {pick(ref.category.get(appeal.categoryId)?.name ?? appeal.categoryId, ref.category.get(appeal.categoryId)?.nameEn)}
        </p>
      )}
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} role="alert" /> : null}
      <p className="muted small kbd-hint">{t('act.ctrlEnter')}</p>
    </Modal>
  );
}
