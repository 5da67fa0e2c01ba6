// An appeal in full: what the citizen asked, where, the masked contact (unmasked only with a stated,
// audited reason), the deadlines, the timeline, and the actions the signed-in role may take now.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Modal, Space, Tag, Timeline, Tooltip } from 'antd';
import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { api } from '../lib/api.ts';
import { useAuth } from '../lib/auth.tsx';
import { fmtDateTime } from '../lib/format.ts';
import { useI18n } from '../lib/i18n.tsx';
import type { MessageKey } from '../lib/messages.ts';
import type { Insight } from '../lib/text.ts';
import type { AppealDetail, TimelineEntry } from '../lib/types.ts';
import { useAsync } from '../lib/useAsync.ts';
import { ActionModal, ACTION_LABEL, type ActionKind } from './ActionModal.tsx';
import { ACTIVE_STATUSES, categoryName, DueCell, regionName, StatusTag, unitName, UrgencyTag, useNow, type RefMaps } from './AppealBits.tsx';
import { FaceLabel } from './Faces.tsx';
import { InsightSection } from './InsightSection.tsx';
import { ErrorState, LoadingState, errorText } from './States.tsx';

/** The actions open to this user on this appeal now, most likely first. */
export function availableActions(a: AppealDetail, can: (p: string) => boolean): ActionKind[] {
  const out: ActionKind[] = [];
  const s = a.status;
  if (can('appeal.handle')) {
    if (s === 'dispatched') out.push('accept', 'return');
    if (s === 'accepted' || s === 'contacted') {
      out.push('contact', 'reply');
      if (a.pendingExtensionDays === null) out.push('request_extension');
      if (s === 'accepted') out.push('return');
    }
    if (s === 'replied') out.push('contact');
    if ((s === 'accepted' || s === 'contacted' || s === 'replied') && !a.unreasonablePending) out.push('flag_unreasonable');
    if (s === 'closed' && a.lastRating && a.lastRating.level <= 2 && !a.ratingAppeal) out.push('appeal_rating');
  }
  if (can('appeal.dispatch')) {
    if (s === 'submitted' || s === 'returned') out.push('dispatch', 'merge', 'redirect');
    if (s === 'dispatched' || s === 'accepted' || s === 'contacted') out.push('transfer', 'redirect');
    if (s === 'dispatched') out.push('merge');
    if (a.pendingExtensionDays !== null && ['dispatched', 'accepted', 'contacted'].includes(s)) out.push('decide_extension');
    if (a.unreasonablePending) out.push('decide_unreasonable');
    if (s === 'replied') out.push('close');
    if (s === 'closed' && a.lastRating && a.lastRating.level <= 2 && a.lastRating.solved !== 'yes') out.push('reopen');
  }
  if (can('appeal.callback') && s === 'replied') out.push('rate');
  if (can('appeal.supervise') && ['submitted', 'returned', 'dispatched', 'accepted', 'contacted', 'replied'].includes(s)) out.push('supervise');
  if (can('rating.review') && a.ratingAppeal === 'pending') out.push('decide_rating_appeal');
  return [...new Set(out)];
}

/** Single-key shortcuts inside the drawer. */
export const SHORTCUTS: Partial<Record<ActionKind, string>> = {
  accept: 'a',
  contact: 'c',
  reply: 'r',
  request_extension: 'e',
  return: 'b',
  dispatch: 'd',
  transfer: 't',
  merge: 'm',
  supervise: 's',
  redirect: 'g',
};

const PRIMARY: ActionKind[] = ['accept', 'reply', 'dispatch', 'decide_extension', 'decide_unreasonable', 'close', 'rate', 'decide_rating_appeal'];
const DANGER: ActionKind[] = ['return', 'flag_unreasonable', 'redirect'];

function payloadSummary(e: TimelineEntry, refs: RefMaps, t: (k: MessageKey, v?: Record<string, string | number>) => string): string[] {
  const p = e.payload ?? {};
  const out: string[] = [];
  const str = (k: string) => (typeof p[k] === 'string' && (p[k] as string).trim() ? (p[k] as string) : null);
  if (typeof p.unitId === 'string') out.push(`${t('tl.unit')}:${unitName(refs, p.unitId)}`);
  if (typeof p.intoId === 'string') out.push(`${t('tl.into')}:${p.intoId}`);
  if (typeof p.days === 'number') out.push(t('tl.days', { n: p.days }));
  if (typeof p.method === 'string') out.push(`${t('tl.method')}:${t(`contact.${p.method}` as MessageKey)}`);
  if (typeof p.channel === 'string' && e.action === 'redirect') out.push(`${t('tl.channel')}:${t(`redirect.${p.channel}` as MessageKey)}`);
  if (typeof p.level === 'number') out.push(`${t('tl.rating')}:${t(`face.${p.level}` as MessageKey)}`);
  if (typeof p.approved === 'boolean') out.push(p.approved ? t('act.approve') : t('act.reject'));
  if (typeof p.upheld === 'boolean') out.push(p.upheld ? t('act.upheld') : t('act.notUpheld'));
  for (const k of ['reason', 'note', 'guidance', 'text', 'comment']) {
    const v = str(k);
    if (v) out.push(v.length > 140 ? `${v.slice(0, 140)}…` : v);
  }
  return out;
}

function UnmaskButton({ appeal, onShown }: { appeal: AppealDetail; onShown: (v: { name: string | null; phone: string | null; address: string | null; idNumber: string | null; email: string | null }) => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const go = async () => {
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      onShown(await api(`/api/v1/appeals/${encodeURIComponent(appeal.id)}/unmask`, { method: 'POST', body: { reason: v.reason.trim() } }));
      setOpen(false);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="unmask">
        {t('detail.unmask')}
      </Button>
      <Modal open={open} title={t('detail.unmaskTitle')} onCancel={() => setOpen(false)} onOk={go} confirmLoading={busy} okText={t('detail.unmaskOk')} cancelText={t('common.cancel')} destroyOnHidden>
        <Alert type="warning" showIcon icon={<LockOutlined />} title={t('detail.unmaskWarn')} style={{ marginBottom: 12 }} />
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('detail.unmaskReason')}
            rules={[
              { required: true, whitespace: true, message: t('common.reasonMin', { n: 4 }) },
              { min: 4, message: t('common.reasonMin', { n: 4 }) },
              { max: 200 },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} placeholder={t('detail.unmaskPh')} data-testid="unmask-reason" />
          </Form.Item>
        </Form>
        {err ? <Alert type="error" showIcon title={errorText(err, lang)} /> : null}
      </Modal>
    </>
  );
}

export function AppealDetailView({ id, refs, onChanged, onClose }: { id: string; refs: RefMaps; onChanged?: (a: AppealDetail) => void; onClose?: () => void }) {
  const { t, lang, pick } = useI18n();
  const { can } = useAuth();
  const { modal } = App.useApp();
  const now = useNow();
  const state = useAsync((signal) => api<AppealDetail>(`/api/v1/appeals/${encodeURIComponent(id)}`, { signal }), [id]);
  const insight = useAsync((signal) => api<Insight>(`/api/v1/appeals/${encodeURIComponent(id)}/insight`, { signal }), [id]);
  const [linkedId, setLinkedId] = useState<string | null>(null);
  const [appeal, setAppeal] = useState<AppealDetail | null>(null);
  const [action, setAction] = useState<ActionKind | null>(null);
  const [clear, setClear] = useState<{ name: string | null; phone: string | null; address: string | null; idNumber: string | null; email: string | null } | null>(null);
  useEffect(() => {
    if (state.data) setAppeal(state.data);
  }, [state.data]);
  useEffect(() => {
    setClear(null);
    setAction(null);
    setLinkedId(null);
  }, [id]);

  const actions = useMemo(() => (appeal ? availableActions(appeal, can) : []), [appeal, can]);

  const open = useCallback(
    (a: ActionKind) => {
      if (a === 'accept') {
        // 签收 needs no fields: confirm in place.
        modal.confirm({
          title: t('act.acceptConfirm'),
          content: appeal?.title,
          okText: t('act.accept'),
          cancelText: t('common.cancel'),
          onOk: async () => {
            if (!appeal) return;
            try {
              const updated = await api<AppealDetail>(`/api/v1/appeals/${encodeURIComponent(appeal.id)}/actions`, { method: 'POST', body: { action: 'accept', expectedVersion: appeal.version } });
              setAppeal(updated);
              onChanged?.(updated);
            } catch (e) {
              modal.error({ title: t('act.failed'), content: errorText(e, lang) });
            }
          },
        });
        return;
      }
      setAction(a);
    },
    [appeal, modal, t, lang, onChanged],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A linked appeal opened on top takes the keys.
      if (action || linkedId || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable)) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"]) .ant-modal')) return;
      const hit = actions.find((a) => SHORTCUTS[a] === e.key.toLowerCase());
      if (hit) {
        e.preventDefault();
        open(hit);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, action, open, linkedId]);

  if (!appeal) {
    if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
    return <LoadingState />;
  }
  const a = appeal;
  const running = ACTIVE_STATUSES.includes(a.status);

  return (
    <div className="appeal-detail" data-testid="appeal-detail">
      <div className="detail-head">
        <Space wrap size={[6, 6]}>
          <StatusTag status={a.status} />
          <UrgencyTag urgency={a.urgency} />
          <Tag>{t(`type.${a.type}`)}</Tag>
          {a.supervisionLevel > 0 && <Tag color="red">{t('detail.supervised', { n: a.supervisionLevel })}</Tag>}
          {a.overdue && <Tag color="red">{t('detail.overdue')}</Tag>}
          {a.round > 1 && <Tag color="purple">{t('detail.round', { n: a.round })}</Tag>}
          <span className="muted mono">{a.trackingCode}</span>
        </Space>
        <h2 className="detail-title">{a.title}</h2>
        {running && (
          <div className="detail-due">
            <DueCell item={a} now={now} />
            <span className="muted small">
              {t('appeal.handleDue')} {fmtDateTime(a.handleDueAt)}
            </span>
          </div>
        )}
      </div>

      {a.pendingExtensionDays !== null && <Alert type="warning" showIcon title={t('detail.extPending', { n: a.pendingExtensionDays })} className="detail-alert" />}
      {a.unreasonablePending && <Alert type="warning" showIcon title={t('detail.unreasonablePending')} className="detail-alert" />}
      {a.ratingAppeal === 'pending' && <Alert type="warning" showIcon title={t('detail.ratingAppealPending')} className="detail-alert" />}
      {a.mergedInto && <Alert type="info" showIcon title={t('detail.mergedInto', { id: a.mergedInto })} className="detail-alert" />}
      {a.redirectChannel && <Alert type="info" showIcon title={t('detail.redirected', { c: a.redirectChannelLabel ?? a.redirectChannel })} className="detail-alert" />}

      {actions.length > 0 && (
        <div className="action-bar" role="toolbar" aria-label={t('detail.actions')} data-testid="action-bar">
          {actions.map((k) => (
            <Tooltip key={k} title={SHORTCUTS[k] ? t('detail.shortcut', { k: SHORTCUTS[k]!.toUpperCase() }) : undefined}>
              <Button type={PRIMARY.includes(k) ? 'primary' : 'default'} danger={DANGER.includes(k)} onClick={() => open(k)} data-testid={`act-${k}`}>
                {t(ACTION_LABEL[k])}
                {SHORTCUTS[k] && <kbd className="kbd">{SHORTCUTS[k]!.toUpperCase()}</kbd>}
              </Button>
            </Tooltip>
          ))}
        </div>
      )}

      <section className="detail-section">
        <h3>{t('detail.content')}</h3>
        <p className="appeal-body">{a.body}</p>
      </section>

      <InsightSection state={insight} refs={refs} onOpen={(x) => x !== a.id && setLinkedId(x)} />

      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
        className="detail-desc"
        items={[
          { key: 'cat', label: t('appeal.category'), children: categoryName(refs, a.categoryId, pick) },
          { key: 'unit', label: t('appeal.unit'), children: unitName(refs, a.unitId) },
          { key: 'region', label: t('appeal.region'), children: regionName(refs, a.regionCode) },
          { key: 'channel', label: t('appeal.channel'), children: t(`channel.${a.channel}` as MessageKey) },
          { key: 'created', label: t('appeal.createdAt'), children: fmtDateTime(a.createdAt) },
          { key: 'resp', label: t('appeal.responseDue'), children: <span className={a.responseOverdue ? 'text-danger' : ''}>{fmtDateTime(a.responseDueAt)}</span> },
          { key: 'contact', label: t('appeal.firstContact'), children: fmtDateTime(a.firstContactAt) },
          { key: 'handle', label: t('appeal.handleDue'), children: <span className={a.overdue ? 'text-danger' : ''}>{fmtDateTime(a.handleDueAt)}</span> },
          { key: 'replied', label: t('appeal.repliedAt'), children: fmtDateTime(a.repliedAt) },
          { key: 'closed', label: t('appeal.closedAt'), children: fmtDateTime(a.closedAt) },
          {
            key: 'counts',
            label: t('appeal.counts'),
            span: 'filled',
            children: t('appeal.countsText', { r: a.returnCount, t: a.transferCount, e: a.extensionCount, o: a.reopenCount }),
          },
        ]}
      />

      <section className="detail-section">
        <h3>
          {t('detail.citizen')} {!clear && <span className="muted small">({t('detail.masked')})</span>}
        </h3>
        <div className="citizen-row">
          {a.citizen.anonymous ? (
            <span>{t('detail.anonymous')}</span>
          ) : (
            <span data-testid="citizen-contact">
              {(clear ? clear.name : a.citizen.name) ?? t('detail.noName')} · {(clear ? clear.phone : a.citizen.phone) ?? '—'}
              {(clear ? clear.email : a.citizen.email) ? <> · {clear ? clear.email : a.citizen.email}</> : null}
              {(clear ? clear.idNumber : a.citizen.idNumber) ? <> · {clear ? clear.idNumber : a.citizen.idNumber}</> : null}
            </span>
          )}
          <span className="muted">{(clear ? clear.address : a.address) ?? t('detail.noAddress')}</span>
          {!clear && !a.citizen.anonymous && can('pii.unmask') && <UnmaskButton appeal={a} onShown={setClear} />}
          {clear && <Tag color="orange">{t('detail.unmaskedAudited')}</Tag>}
        </div>
      </section>

      {a.reply && (
        <section className="detail-section">
          <h3>{t('detail.reply')}</h3>
          <p className="appeal-body reply-text">{a.reply}</p>
        </section>
      )}
      {a.lastRating && (
        <section className="detail-section">
          <h3>{t('detail.rating')}</h3>
          <Space wrap>
            <FaceLabel level={a.lastRating.level} />
            <Tag>{t(`solved.${a.lastRating.solved}` as MessageKey)}</Tag>
            <Tag>{a.lastRating.contacted ? t('detail.wasContacted') : t('detail.notContacted')}</Tag>
            <Tag>{t(`channel.${a.lastRating.channel}` as MessageKey)}</Tag>
            {a.ratingAppeal && <Tag color="purple">{t(`ratingAppeal.${a.ratingAppeal}` as MessageKey)}</Tag>}
          </Space>
          {a.lastRating.comment && <p className="rating-comment">“{a.lastRating.comment}”</p>}
        </section>
      )}

      <section className="detail-section">
        <h3>{t('detail.timeline')}</h3>
        <Timeline
          className="staff-timeline"
          items={[...a.timeline].reverse().map((e) => ({
            key: e.seq,
            color: e.action === 'mark_overdue' || e.action === 'supervise' ? 'red' : e.action === 'rate' ? 'green' : 'blue',
            content: (
              <div>
                <strong>{pick(e.actionLabel, e.actionLabelEn)}</strong>
                <span className="muted small">
                  {' '}
                  · {t(`actor.${e.actorKind}` as MessageKey)} · {fmtDateTime(e.at)}
                </span>
                {payloadSummary(e, refs, t).map((line, i) => (
                  <div key={i} className="tl-line">
                    {line}
                  </div>
                ))}
              </div>
            ),
          }))}
        />
      </section>
      {a.tasks.length > 0 && (
        <section className="detail-section">
          <h3>{t('detail.tasks')}</h3>
          {a.tasks.map((k) => (
            <div key={k.id} className="task-line">
              <Tag>{t(`task.${k.kind}` as MessageKey)}</Tag>
              <span>{t(`taskStatus.${k.status}` as MessageKey)}</span>
              <span className="muted small">
                {t('detail.taskDue')} {fmtDateTime(k.dueAt)}
              </span>
            </div>
          ))}
        </section>
      )}
      {onClose && <p className="muted small kbd-hint">{t('detail.kbdHint')}</p>}

      <ActionModal
        action={action}
        appeal={a}
        refs={refs}
        predicted={insight.data?.predicted ?? null}
        onClose={() => setAction(null)}
        onDone={(u) => {
          setAction(null);
          setAppeal(u);
          onChanged?.(u);
        }}
      />
      <AppealDrawer id={linkedId} refs={refs} onClose={() => setLinkedId(null)} />
    </div>
  );
}

export function AppealDrawer({ id, refs, onClose, onChanged }: { id: string | null; refs: RefMaps; onClose: () => void; onChanged?: (a: AppealDetail) => void }) {
  const { t } = useI18n();
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={760}
      title={t('detail.title')}
      destroyOnHidden
      rootClassName="appeal-drawer"
      styles={{ body: { paddingTop: 12 } }}
    >
      {id && <AppealDetailView id={id} refs={refs} onClose={onClose} {...(onChanged ? { onChanged } : {})} />}
    </Drawer>
  );
}
