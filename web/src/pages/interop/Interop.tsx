// 数据对接: hotline import (upload → column mapping → progress → error report), the Open311 API keys
// of client systems (security admin), and the monthly bulletin with its 每月一题 (leaders).
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Popconfirm, Progress, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { InboxOutlined, KeyOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, ApiError } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import { useAsync } from '../../lib/useAsync.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorAlert } from '../../components/States.tsx';
import { ReportButton } from '../../components/ExportButton.tsx';
import { useT } from './texts.ts';

interface Job {
  id: string;
  fileName: string;
  format: string;
  status: 'uploaded' | 'running' | 'done' | 'failed';
  profileName: string | null;
  header: string[];
  suggestedMapping: Record<string, string>;
  createdAt: string;
  bytesTotal: number;
  bytesDone: number;
  rowsRead: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  error: string | null;
}
interface FieldInfo {
  field: string;
  labelZh: string;
  labelEn: string;
  required: boolean;
}
interface Profile {
  name: string;
  profile: { source: string; mapping: Record<string, string> };
}
interface ApiKey {
  id: string;
  name: string;
  keyPrefix: string;
  tokenMode: boolean;
  ratePerMinute: number;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  useCount: number;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Streams the file as the request body (no multipart), with upload progress. */
function uploadFile(file: File, csrf: string | null, onProgress: (p: number) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/interop/imports?fileName=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', /\.xlsx$/i.test(file.name) ? XLSX_TYPE : 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络连接失败', 'Network error'));
    xhr.onload = () => {
      let data: { error?: { code: string; message: string; messageEn: string } } | Job | null = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 201) resolve(data as Job);
      else {
        const e = (data as { error?: { code: string; message: string; messageEn: string } } | null)?.error;
        reject(new ApiError(xhr.status, e?.code ?? `HTTP_${xhr.status}`, e?.message ?? '上传失败', e?.messageEn ?? 'Upload failed'));
      }
    };
    xhr.send(file);
  });
}

function ImportTab() {
  const t = useT();
  const { lang } = useI18n();
  const { me, can } = useAuth();
  const [job, setJob] = useState<Job | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [profileName, setProfileName] = useState<string | undefined>();
  const [saveAs, setSaveAs] = useState('');
  const [source, setSource] = useState('');
  const [uploadPct, setUploadPct] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fields = useAsync((signal) => api<{ items: FieldInfo[] }>('/api/v1/interop/import-fields', { signal }), []);
  const profiles = useAsync((signal) => api<{ items: Profile[] }>('/api/v1/interop/import-profiles', { signal }), []);
  const jobs = useAsync((signal) => api<{ items: Job[] }>('/api/v1/interop/imports', { signal }), []);

  // Poll a running job.
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setInterval(async () => {
      try {
        const j = await api<Job>(`/api/v1/interop/imports/${job.id}`);
        setJob(j);
        if (j.status !== 'running') jobs.reload();
      } catch (e) {
        setError(e);
      }
    }, 800);
    return () => clearInterval(timer);
  }, [job, jobs]);

  const onFile = async (file: File) => {
    setError(null);
    setJob(null);
    setUploadPct(0);
    try {
      const j = await uploadFile(file, me?.csrfToken ?? null, setUploadPct);
      setJob(j);
      setMapping(j.suggestedMapping);
    } catch (e) {
      setError(e);
    } finally {
      setUploadPct(null);
    }
  };

  const useProfile = (name: string | undefined) => {
    setProfileName(name);
    const p = profiles.data?.items.find((x) => x.name === name);
    if (p && job) setMapping(Object.fromEntries(job.header.filter((h) => p.profile.mapping[h]).map((h) => [h, p.profile.mapping[h]!])));
    if (p) setSource(p.profile.source);
  };

  const start = async () => {
    if (!job) return;
    setError(null);
    try {
      const full: Record<string, string> = {};
      for (const h of job.header) full[h] = mapping[h] ?? '';
      const j = await api<Job>(`/api/v1/interop/imports/${job.id}/start`, {
        method: 'POST',
        body: { mapping: full, ...(profileName ? { profileName } : {}), ...(saveAs.trim() ? { saveProfileAs: saveAs.trim() } : {}), ...(source.trim() ? { source: source.trim() } : {}) },
      });
      setJob(j);
    } catch (e) {
      setError(e);
    }
  };

  const fieldOptions = useMemo(
    () => [{ value: '', label: t('ignore') }, ...(fields.data?.items ?? []).map((f) => ({ value: f.field, label: `${lang === 'zh' ? f.labelZh : f.labelEn}${f.required ? ' *' : ''}` }))],
    [fields.data, lang, t],
  );
  const pct = job && job.bytesTotal ? Math.round((job.bytesDone / job.bytesTotal) * 100) : 0;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <ErrorAlert error={error} />
      <Upload.Dragger accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => {
          void onFile(f);
          return false;
        }} disabled={uploadPct !== null || job?.status === 'running'}>
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{t('pickFile')}</p>
        {uploadPct !== null && <Progress percent={uploadPct} size="small" />}
      </Upload.Dragger>

      {job && job.status === 'uploaded' && (
        <Card title={`${t('mapping')} · ${job.fileName}`} size="small">
          <Typography.Paragraph type="secondary">{t('mappingHint')}</Typography.Paragraph>
          <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
            <Form.Item label={t('profile')}>
              <Select allowClear style={{ width: 200 }} value={profileName} onChange={useProfile} options={(profiles.data?.items ?? []).map((p) => ({ value: p.name, label: p.name }))} />
            </Form.Item>
            <Form.Item label={t('source')}>
              <Input style={{ width: 160 }} value={source} onChange={(e) => setSource(e.target.value)} placeholder="hotline" />
            </Form.Item>
            <Form.Item label={t('saveAs')}>
              <Input style={{ width: 180 }} value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
            </Form.Item>
          </Form>
          <Table
            size="small"
            pagination={false}
            rowKey="h"
            dataSource={job.header.map((h) => ({ h }))}
            columns={[
              { title: t('column'), dataIndex: 'h' },
              {
                title: t('field'),
                render: (_: unknown, r: { h: string }) => <Select style={{ width: 220 }} value={mapping[r.h] ?? ''} options={fieldOptions} onChange={(v: string) => setMapping((m) => ({ ...m, [r.h]: v }))} />,
              },
            ]}
          />
          <Button type="primary" style={{ marginTop: 12 }} onClick={start} data-testid="import-start">
            {t('start')}
          </Button>
        </Card>
      )}

      {job && job.status !== 'uploaded' && (
        <Card title={`${t('progress')} · ${job.fileName}`} size="small" data-testid="import-progress">
          <Progress percent={job.status === 'done' ? 100 : pct} status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'} />
          <Space wrap>
            <Tag>{t('rows', { n: job.rowsRead })}</Tag>
            <Tag color="green">{t('accepted', { n: job.accepted })}</Tag>
            <Tag>{t('duplicates', { n: job.duplicates })}</Tag>
            <Tag color={job.rejected ? 'red' : undefined}>{t('rejected', { n: job.rejected })}</Tag>
          </Space>
          {job.status === 'failed' && <Alert type="error" showIcon style={{ marginTop: 12 }} title={`${t('failed')}:${job.error ?? ''}`} />}
          {job.status === 'done' && job.rejected > 0 && (
            <Space style={{ marginTop: 12 }}>
              <Button href={`/api/v1/interop/imports/${job.id}/errors`}>{t('errors')}</Button>
              {can('pii.unmask') && <Button href={`/api/v1/interop/imports/${job.id}/errors?unmask=true`}>{t('errorsClear')}</Button>}
            </Space>
          )}
        </Card>
      )}

      <Card title={t('recent')} size="small">
        <Table
          size="small"
          rowKey="id"
          loading={jobs.loading}
          dataSource={jobs.data?.items ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('file'), dataIndex: 'fileName' },
            { title: t('status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'done' ? 'green' : s === 'failed' ? 'red' : 'blue'}>{s}</Tag> },
            { title: t('when'), dataIndex: 'createdAt', render: (v: string) => fmtDateTime(v) },
            { title: '', render: (_: unknown, j: Job) => `${j.accepted} / ${j.duplicates} / ${j.rejected}` },
            { title: '', render: (_: unknown, j: Job) => (j.rejected > 0 ? <a href={`/api/v1/interop/imports/${j.id}/errors`}>{t('errors')}</a> : null) },
          ]}
        />
      </Card>
    </Space>
  );
}

function KeysTab() {
  const t = useT();
  const keys = useAsync((signal) => api<{ items: ApiKey[] }>('/api/v1/interop/apikeys', { signal }), []);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ name: string; ratePerMinute: number; tokenMode: boolean }>();
  const create = async (v: { name: string; ratePerMinute: number; tokenMode: boolean }) => {
    setError(null);
    try {
      setCreated(await api<ApiKey & { key: string }>('/api/v1/interop/apikeys', { method: 'POST', body: { name: v.name, ratePerMinute: v.ratePerMinute, tokenMode: !!v.tokenMode } }));
      form.resetFields();
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(`/api/v1/interop/apikeys/${id}/revoke`, { method: 'POST', body: {} });
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('keysHint')} />
      <ErrorAlert error={error} />
      <Form form={form} layout="inline" onFinish={create} initialValues={{ ratePerMinute: 60, tokenMode: false }}>
        <Form.Item name="name" label={t('keyName')} rules={[{ required: true, min: 2, max: 60 }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="ratePerMinute" label={t('keyRate')}>
          <InputNumber min={1} max={6000} />
        </Form.Item>
        <Form.Item name="tokenMode" valuePropName="checked">
          <Checkbox>{t('keyTokenMode')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<KeyOutlined />}>
          {t('create')}
        </Button>
      </Form>
      {created && (
        <Alert
          type="warning"
          showIcon
          title={t('newKey')}
          description={
            <Typography.Text copyable code data-testid="new-api-key">
              {created.key}
            </Typography.Text>
          }
          closable
          onClose={() => setCreated(null)}
        />
      )}
      <Table
        size="small"
        rowKey="id"
        loading={keys.loading}
        dataSource={keys.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('keyName'), dataIndex: 'name' },
          { title: t('prefix'), dataIndex: 'keyPrefix', render: (v: string) => <code>{v}…</code> },
          { title: t('keyRate'), dataIndex: 'ratePerMinute' },
          { title: t('uses'), dataIndex: 'useCount' },
          { title: t('lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? fmtDateTime(v) : '—') },
          { title: t('status'), render: (_: unknown, k: ApiKey) => (k.revokedAt ? <Tag>{t('revoked')}</Tag> : <Tag color="green">{t('active')}</Tag>) },
          {
            title: '',
            render: (_: unknown, k: ApiKey) =>
              k.revokedAt ? null : (
                <Popconfirm title={t('revokeConfirm')} onConfirm={() => revoke(k.id)}>
                  <Button danger size="small">
                    {t('revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </Space>
  );
}

function ReportTab() {
  const t = useT();
  const { t: tr } = useI18n();
  const { can } = useAuth();
  const [month, setMonth] = useState(() => dayjs().subtract(1, 'month'));
  const period = month.format('YYYY-MM');
  const kp = useAsync((signal) => api<{ keyProblem: { title: string; note: string | null } | null }>('/api/v1/reports/key-problem', { query: { period }, signal }), [period]);
  const [title, setTitle] = useState('');
  const [note, setNote] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setTitle(kp.data?.keyProblem?.title ?? '');
    setNote(kp.data?.keyProblem?.note ?? '');
  }, [kp.data]);
  const save = async () => {
    setError(null);
    setMsg(null);
    try {
      await api('/api/v1/reports/key-problem', { method: 'PUT', body: { period, title, note: note || null } });
      setMsg(t('saved'));
      kp.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('reportHint')} />
      <Space>
        <span>{t('period')}</span>
        <DatePicker picker="month" value={month} allowClear={false} onChange={(v) => v && setMonth(v)} />
        <ReportButton period={period} />
      </Space>
      {can('metrics.publish') && (
        <Card title={t('keyProblem')} size="small">
          <ErrorAlert error={error} />
          {msg && <Alert type="success" showIcon title={msg} />}
          <Form layout="vertical" onFinish={save}>
            <Form.Item label={t('keyProblemTitle')} required>
              <Input value={title} maxLength={60} onChange={(e) => setTitle(e.target.value)} />
            </Form.Item>
            <Form.Item label={t('keyProblemNote')}>
              <Input.TextArea value={note} maxLength={500} rows={3} onChange={(e) => setNote(e.target.value)} />
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={title.trim().length < 2}>
              {tr('common.save')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}

export default function Interop() {
  const t = useT();
  const { can } = useAuth();
  const tabs = [
    ...(can('appeal.create') ? [{ key: 'import', label: t('tabImport'), children: <ImportTab /> }] : []),
    ...(can('security.manage') ? [{ key: 'keys', label: t('tabKeys'), children: <KeysTab /> }] : []),
    ...(can('metrics.read') ? [{ key: 'report', label: t('tabReport'), children: <ReportTab /> }] : []),
  ];
  return (
    <div className="page">
      <PageHeader title={t('title')} sub={t('sub')} />
      <Tabs items={tabs} />
    </div>
  );
}
