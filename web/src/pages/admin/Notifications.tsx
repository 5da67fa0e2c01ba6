// 通知 for the system administrator (notify.manage): the message templates — preview with sample values
// (rendered by the server), edit, switch off, back to the default wording — and the outbox by status,
// with "send again" for failed or skipped messages. Recipients are ids only; no phone numbers here.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { AsyncView, ErrorAlert } from '../../components/States.tsx';

interface Template {
  key: string;
  audience: string;
  label: string;
  title: string;
  body: string;
  enabled: boolean;
  custom: boolean;
  variables: string[];
  updatedAt: string | null;
}
interface Preview {
  title: string;
  body: string;
  unknown: string[];
}
type OutStatus = 'pending' | 'sent' | 'failed' | 'skipped';
interface OutMessage {
  id: string;
  template: string;
  audience: string;
  channel: string;
  recipientKind: string;
  recipientId: string;
  appealId: string | null;
  status: OutStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string;
}
const OUT_STATUSES: OutStatus[] = ['pending', 'sent', 'failed', 'skipped'];
const OUT_COLOR: Record<OutStatus, string> = { pending: 'blue', sent: 'green', failed: 'red', skipped: 'default' };

function TemplateEditor({ tpl, onClose, onSaved }: { tpl: Template | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; body: string; enabled: boolean }>();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'preview' | null>(null);

  const runPreview = async () => {
    if (!tpl) return;
    const v = form.getFieldsValue();
    setBusy('preview');
    setError(null);
    try {
      setPreview(await api<Preview>(`/api/v1/notify/templates/${tpl.key}/preview`, { method: 'POST', body: { title: v.title, body: v.body } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const save = async (v: { title: string; body: string; enabled: boolean }) => {
    if (!tpl) return;
    setBusy('save');
    setError(null);
    try {
      await api(`/api/v1/notify/templates/${tpl.key}`, { method: 'PUT', body: v });
      void message.success(t('ntf.saved'));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      open={!!tpl}
      onCancel={onClose}
      title={tpl ? t('ntf.editTitle', { label: tpl.label }) : ''}
      width={680}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open && tpl) {
          form.setFieldsValue({ title: tpl.title, body: tpl.body, enabled: tpl.enabled });
          setPreview(null);
          setError(null);
        }
      }}
      footer={[
        <Button key="preview" onClick={() => void runPreview()} loading={busy === 'preview'} data-testid="ntf-preview">
          {t('ntf.preview')}
        </Button>,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={busy === 'save'} onClick={() => form.submit()} data-testid="ntf-save">
          {t('common.save')}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical" onFinish={save} data-testid="ntf-editor" preserve={false}>
        <Form.Item name="title" label={t('ntf.tplTitle')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="ntf-f-title" />
        </Form.Item>
        <Form.Item name="body" label={t('ntf.tplBody')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 3, maxRows: 8 }} data-testid="ntf-f-body" />
        </Form.Item>
        <Form.Item name="enabled" label={t('ntf.tplEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {tpl && (
        <div className="muted small" style={{ marginBottom: 12 }}>
          {t('ntf.variablesHint')}:{' '}
          {tpl.variables.map((v) => (
            <Tag key={v} className="mono">{`{{${v}}}`}</Tag>
          ))}
        </div>
      )}
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      {preview && (
        <Alert
          type={preview.unknown.length ? 'warning' : 'success'}
          data-testid="ntf-preview-box"
          title={`${t('ntf.previewTitle')} · ${preview.title}`}
          description={
            <div>
              <div data-testid="ntf-preview-body">{preview.body}</div>
              {preview.unknown.length > 0 && <div className="text-danger">{t('ntf.unknownVars', { v: preview.unknown.join('、') })}</div>}
            </div>
          }
        />
      )}
    </Modal>
  );
}

function TemplatesTab() {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState<Template | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [previews, setPreviews] = useState<Record<string, Preview>>({});
  const state = useAsync((signal) => api<{ items: Template[] }>('/api/v1/notify/templates', { signal }), [tick]);

  const call = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      void message.success(t('common.success'));
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    }
  };
  const preview = async (tpl: Template) => {
    setError(null);
    try {
      const p = await api<Preview>(`/api/v1/notify/templates/${tpl.key}/preview`, { method: 'POST' });
      setPreviews((m) => ({ ...m, [tpl.key]: p }));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div data-testid="ntf-templates">
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <AsyncView state={state}>
        {(d) => (
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={d.items}
            scroll={{ x: 960 }}
            expandable={{
              expandedRowKeys: Object.keys(previews),
              showExpandColumn: false,
              expandedRowRender: (r) => {
                const p = previews[r.key];
                return p ? (
                  <div className="ntf-preview" data-testid="ntf-row-preview">
                    <strong>{p.title}</strong>
                    <div>{p.body}</div>
                  </div>
                ) : null;
              },
            }}
            columns={[
              {
                key: 'label',
                title: t('ntf.tplLabel'),
                dataIndex: 'label',
                width: 200,
                render: (v: string, r) => (
                  <div>
                    <div>{v}</div>
                    <span className="mono small muted">{r.key}</span>
                  </div>
                ),
              },
              { key: 'aud', title: '', dataIndex: 'audience', width: 90, render: (v: string) => <Tag>{t(`ntf.audience.${v}` as MessageKey)}</Tag> },
              {
                key: 'text',
                title: t('ntf.tplBody'),
                dataIndex: 'body',
                render: (v: string, r) => (
                  <div>
                    <strong>{r.title}</strong>
                    <div className="small" data-testid="ntf-body">
                      {v}
                    </div>
                  </div>
                ),
              },
              {
                key: 'state',
                title: t('ntf.tplState'),
                width: 150,
                render: (_v, r) => (
                  <Space size={4} wrap>
                    {r.custom ? <Tag color="blue">{t('ntf.custom')}</Tag> : <Tag>{t('ntf.default')}</Tag>}
                    {!r.enabled && <Tag color="red">{t('ntf.disabled')}</Tag>}
                  </Space>
                ),
              },
              { key: 'at', title: t('ntf.updatedAt'), dataIndex: 'updatedAt', width: 140, render: (v: string | null) => (v ? fmtDateTime(v) : '—') },
              {
                key: 'op',
                title: t('common.actions'),
                width: 230,
                fixed: 'right',
                render: (_v, r) => (
                  <Space size="small" wrap>
                    <a onClick={() => void preview(r)} data-testid={`ntf-preview-${r.key}`}>
                      {t('ntf.preview')}
                    </a>
                    <a onClick={() => setEditing(r)} data-testid={`ntf-edit-${r.key}`}>
                      {t('common.edit')}
                    </a>
                    <a onClick={() => void call(() => api(`/api/v1/notify/templates/${r.key}`, { method: 'PUT', body: { title: r.title, body: r.body, enabled: !r.enabled } }))}>
                      {r.enabled ? t('ntf.disable') : t('ntf.enable')}
                    </a>
                    {r.custom && (
                      <a
                        onClick={() =>
                          modal.confirm({ title: t('ntf.resetConfirm'), onOk: () => call(() => api(`/api/v1/notify/templates/${r.key}`, { method: 'DELETE' })) })
                        }
                        data-testid={`ntf-reset-${r.key}`}
                      >
                        {t('ntf.resetDefault')}
                      </a>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </AsyncView>
      <TemplateEditor
        tpl={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          setPreviews({});
          setTick((x) => x + 1);
        }}
      />
    </div>
  );
}

function OutboxTab() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<OutStatus | ''>('');
  const [channel, setChannel] = useState('');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const state = useAsync(
    (signal) => api<{ items: OutMessage[]; total: number; counts: unknown }>('/api/v1/notify/outbox', { signal, query: { status, channel, page, pageSize: 20 } }),
    [status, channel, page, tick],
  );
  const retry = async (id: string) => {
    setError(null);
    try {
      await api(`/api/v1/notify/outbox/${id}/retry`, { method: 'POST' });
      void message.success(t('ntf.retried'));
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div data-testid="ntf-outbox">
      <Alert type="info" showIcon title={t('ntf.recipientsNote')} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          style={{ width: 130 }}
          data-testid="ntf-status-filter"
          options={[{ value: '', label: t('common.all') }, ...OUT_STATUSES.map((s) => ({ value: s, label: t(`ntf.status.${s}` as MessageKey) }))]}
        />
        <Select
          value={channel}
          onChange={(v) => {
            setChannel(v);
            setPage(1);
          }}
          style={{ width: 130 }}
          options={[{ value: '', label: t('common.all') }, ...['sms', 'email', 'webhook', 'inbox'].map((c) => ({ value: c, label: t(`ntf.channel.${c}` as MessageKey) }))]}
        />
        <Button onClick={() => setTick((x) => x + 1)}>{t('common.refresh')}</Button>
      </Space>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <AsyncView state={state}>
        {(d) => (
          <Table
            size="small"
            rowKey="id"
            dataSource={d.items}
            loading={state.loading}
            scroll={{ x: 1000 }}
            pagination={{ current: page, pageSize: 20, total: d.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
            columns={[
              { key: 'at', title: t('ntf.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => fmtDateTime(v) },
              { key: 'tpl', title: t('ntf.tplLabel'), dataIndex: 'template', width: 170, render: (v: string) => <span className="mono small">{v}</span> },
              { key: 'ch', title: t('ntf.channel'), dataIndex: 'channel', width: 90, render: (v: string) => t(`ntf.channel.${v}` as MessageKey) },
              {
                key: 'to',
                title: t('ntf.recipient'),
                width: 220,
                ellipsis: true,
                render: (_v, r) => <span className="mono small">{t(r.recipientKind === 'user' ? 'ntf.recipientUser' : 'ntf.recipientAppeal', { id: r.recipientId })}</span>,
              },
              { key: 's', title: t('ntf.status'), dataIndex: 'status', width: 90, render: (v: OutStatus) => <Tag color={OUT_COLOR[v]}>{t(`ntf.status.${v}` as MessageKey)}</Tag> },
              { key: 'n', title: t('ntf.attempts'), dataIndex: 'attempts', width: 70, align: 'right' },
              { key: 'err', title: t('ntf.lastError'), dataIndex: 'lastError', ellipsis: true, render: (v: string | null) => v ?? '—' },
              { key: 'sent', title: t('ntf.sentAt'), dataIndex: 'sentAt', width: 150, render: (v: string | null) => (v ? fmtDateTime(v) : '—') },
              {
                key: 'op',
                title: t('common.actions'),
                width: 80,
                fixed: 'right',
                render: (_v, r) =>
                  r.status === 'failed' || r.status === 'skipped' ? (
                    <a onClick={() => void retry(r.id)} data-testid="ntf-retry">
                      {t('ntf.retry')}
                    </a>
                  ) : null,
              },
            ]}
          />
        )}
      </AsyncView>
    </div>
  );
}

export default function Notifications() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <div className="page" data-testid="ntf-page">
      <PageHeader title={t('ntf.title')} sub={t('ntf.sub')} />
      {can('notify.manage') ? (
        <Tabs
          className="console-tabs"
          destroyOnHidden
          items={[
            { key: 'templates', label: t('ntf.tabTemplates'), children: <TemplatesTab /> },
            { key: 'outbox', label: t('ntf.tabOutbox'), children: <OutboxTab /> },
          ]}
        />
      ) : (
        <Alert type="warning" showIcon title={t('common.forbidden')} />
      )}
    </div>
  );
}
