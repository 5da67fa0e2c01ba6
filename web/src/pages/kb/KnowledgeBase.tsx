// 知识库 for the article owners (kb.manage) and the reviewers (kb.publish): the articles with their
// status, an editor, the review workflow (草稿 → 已审核 → 已发布 → 已失效), the versions and the
// workflow history of each article, the gaps (questions asked often that nothing answers) and the
// synonym table. Everything goes through /api/v1/kb; the server says no in words, shown as it says.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Timeline } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../lib/api.ts';
import { useAuth } from '../../lib/auth.tsx';
import { fmtDate, fmtDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.tsx';
import type { MessageKey } from '../../lib/messages.ts';
import { getCategories } from '../../lib/ref.ts';
import type { Category } from '../../lib/types.ts';
import { useAsync } from '../../lib/useAsync.ts';
import { CategoryTreeSelect } from '../../components/Pickers.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { AsyncView, ErrorAlert } from '../../components/States.tsx';

type Status = 'draft' | 'reviewed' | 'published' | 'expired';
type Action = 'review' | 'reject' | 'publish' | 'expire' | 'restore';
const STATUSES: Status[] = ['draft', 'reviewed', 'published', 'expired'];
const STATUS_COLOR: Record<Status, string> = { draft: 'default', reviewed: 'blue', published: 'green', expired: 'red' };

interface Basis {
  law: string;
  article?: string | null;
  edition?: string | null;
  quote?: string | null;
}
interface Article {
  id: string;
  title: string;
  summary: string;
  bodyHtml: string;
  categoryId: string | null;
  categoryName: string | null;
  regionCode: string | null;
  keywords: string[];
  legalBasis: Basis[];
  validFrom: string | null;
  validTo: string | null;
  ownerUnitId: string;
  ownerUnitName: string | null;
  status: Status;
  statusLabel: string;
  version: number;
  liveVersion: number | null;
  rev: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  reviewedBy: string | null;
  publishedAt: string | null;
}
interface Detail {
  article: Article;
  versions: { version: number; title: string; changedAt: string; changedBy: string | null; changes: { field: string; label: string }[]; note: string | null }[];
  log: { seq: number; at: string; actor: string | null; action: string; from: string | null; to: string; version: number; note: string | null }[];
}
interface Gap {
  key: string;
  count: number;
  fromSearches: number;
  fromAppeals: number;
  lastAt: string;
  examples: string[];
  regions: string[];
  bestMatch: { id: string; title: string; match: number } | null;
}
interface Synonym {
  phrase: string;
  terms: string[];
  custom: boolean;
}

/** What the editor starts from: an article, or a gap's question. */
type Draft = { article: Article } | { seed: { title: string; keywords: string[]; note: string } };

// ------------------------------------------------------------ body: plain paragraphs ⇄ HTML

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export function paragraphsToHtml(text: string): string {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${esc(l)}</p>`)
    .join('');
}
export function htmlToParagraphs(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|li|h[1-6]|blockquote|pre|tr)>/gi, '\n');
  const doc = new DOMParser().parseFromString(`<body>${withBreaks}</body>`, 'text/html');
  return (doc.body.textContent ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="kb-status">
      {t(`kbm.status.${status}` as MessageKey)}
    </Tag>
  );
}

// ------------------------------------------------------------ the editor

interface EditorValues {
  title: string;
  summary?: string;
  body: string;
  categoryId?: string | null;
  regionCode?: string;
  keywords?: string[];
  legalBasis?: Basis[];
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
  note?: string;
}

function Editor({ draft, categories, onClose, onSaved }: { draft: Draft | null; categories: Category[]; onClose: () => void; onSaved: (a: Article) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const article = draft && 'article' in draft ? draft.article : null;
  const initialBody = useMemo(() => (article ? htmlToParagraphs(article.bodyHtml) : ''), [article]);

  useEffect(() => {
    setError(null);
    form.resetFields();
    if (!draft) return;
    if (article) {
      form.setFieldsValue({
        title: article.title,
        summary: article.summary,
        body: initialBody,
        categoryId: article.categoryId,
        regionCode: article.regionCode ?? '',
        keywords: article.keywords,
        legalBasis: article.legalBasis,
        validFrom: article.validFrom ? dayjs(article.validFrom) : null,
        validTo: article.validTo ? dayjs(article.validTo) : null,
      });
    } else if ('seed' in draft) {
      form.setFieldsValue({ title: draft.seed.title, keywords: draft.seed.keywords, note: draft.seed.note, legalBasis: [] });
    }
  }, [draft, article, initialBody, form]);

  const save = async (v: EditorValues) => {
    setBusy(true);
    setError(null);
    const basis = (v.legalBasis ?? [])
      .filter((b) => b && b.law?.trim())
      .map((b) => ({ law: b.law.trim(), article: b.article?.trim() || null, edition: b.edition?.trim() || null, quote: b.quote?.trim() || null }));
    const common = {
      title: v.title.trim(),
      summary: v.summary?.trim() || null,
      categoryId: v.categoryId ?? null,
      regionCode: v.regionCode?.trim() || null,
      keywords: v.keywords ?? [],
      legalBasis: basis,
      validFrom: v.validFrom ? v.validFrom.format('YYYY-MM-DD') : null,
      validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
      note: v.note?.trim() || null,
    };
    try {
      let saved: Article;
      if (article) {
        // The body is sent only when changed, so formatting the plain editor cannot show is kept.
        const bodyChanged = v.body.trim() !== initialBody.trim();
        saved = await api<Article>(`/api/v1/kb/articles/${article.id}`, {
          method: 'PATCH',
          body: { ...common, ...(bodyChanged ? { bodyHtml: paragraphsToHtml(v.body) } : {}), expectedRev: article.rev },
        });
      } else {
        saved = await api<Article>('/api/v1/kb/articles', { method: 'POST', body: { ...common, bodyHtml: paragraphsToHtml(v.body) } });
      }
      void message.success(t('kbm.submitted'));
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={!!draft} onClose={onClose} size={720} title={article ? t('kbm.editorEdit') : t('kbm.editorNew')} destroyOnHidden={false} forceRender>
      <Form form={form} layout="vertical" onFinish={save} data-testid="kb-editor" requiredMark={false}>
        <Alert type="info" showIcon title={t('kbm.workflowHint')} style={{ marginBottom: 12 }} />
        <Form.Item name="title" label={t('kbm.fTitle')} rules={[{ required: true, min: 2, whitespace: true, message: t('kbm.fTitleReq') }]}>
          <Input maxLength={120} showCount data-testid="kb-f-title" />
        </Form.Item>
        <Form.Item name="summary" label={t('kbm.fSummary')} extra={t('kbm.fSummaryHint')}>
          <Input.TextArea maxLength={300} autoSize={{ minRows: 2, maxRows: 4 }} data-testid="kb-f-summary" />
        </Form.Item>
        <Form.Item name="body" label={t('kbm.fBody')} extra={t('kbm.fBodyHint')} rules={[{ required: true, min: 10, whitespace: true, message: t('kbm.fBodyReq') }]}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} data-testid="kb-f-body" />
        </Form.Item>
        <Space wrap size="middle" style={{ width: '100%' }} className="kb-editor-row">
          <Form.Item name="categoryId" label={t('kbm.fCategory')} style={{ width: 260 }}>
            <CategoryTreeSelect categories={categories} testId="kb-f-category" />
          </Form.Item>
          <Form.Item name="regionCode" label={t('kbm.fRegion')} extra={t('kbm.fRegionHint')} style={{ width: 220 }}>
            <Input maxLength={9} placeholder={t('kbm.wholeCity')} data-testid="kb-f-region" />
          </Form.Item>
          <Form.Item name="validFrom" label={t('kbm.fValidFrom')}>
            <DatePicker data-testid="kb-f-from" />
          </Form.Item>
          <Form.Item name="validTo" label={t('kbm.fValidTo')}>
            <DatePicker data-testid="kb-f-to" />
          </Form.Item>
        </Space>
        <Form.Item name="keywords" label={t('kbm.fKeywords')}>
          <Select mode="tags" tokenSeparators={[',', ',', '、', ' ']} open={false} placeholder={t('kbm.fKeywordsPh')} data-testid="kb-f-keywords" />
        </Form.Item>
        <Form.Item label={t('kbm.fBasis')}>
          <Form.List name="legalBasis">
            {(fields, { add, remove }) => (
              <div className="kb-basis-list">
                {fields.map((f) => (
                  <div key={f.key} className="kb-basis" data-testid="kb-basis">
                    <Space wrap align="start">
                      <Form.Item name={[f.name, 'law']} rules={[{ required: true, min: 2, message: t('kbm.fLaw') }]} style={{ marginBottom: 8, width: 260 }}>
                        <Input placeholder={t('kbm.fLaw')} data-testid="kb-f-law" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'article']} style={{ marginBottom: 8, width: 140 }}>
                        <Input placeholder={t('kbm.fArticle')} data-testid="kb-f-article" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'edition']} style={{ marginBottom: 8, width: 130 }}>
                        <Input placeholder={t('kbm.fEdition')} />
                      </Form.Item>
                      <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
                    </Space>
                    <Form.Item name={[f.name, 'quote']} style={{ marginBottom: 12 }}>
                      <Input.TextArea placeholder={t('kbm.fQuote')} autoSize={{ minRows: 1, maxRows: 4 }} />
                    </Form.Item>
                  </div>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ law: '' })} data-testid="kb-add-basis">
                  {t('kbm.addBasis')}
                </Button>
              </div>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="note" label={t('kbm.fNote')}>
          <Input maxLength={300} data-testid="kb-f-note" />
        </Form.Item>
        <ErrorAlert error={error} style={{ marginBottom: 12 }} />
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="kb-save">
            {t('kbm.submitReview')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

// ------------------------------------------------------------ one article: content, workflow, versions

function ArticleView({ id, onEdit, onChanged }: { id: string; onEdit: (a: Article) => void; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [tick, setTick] = useState(0);
  const state = useAsync((signal) => api<Detail>(`/api/v1/kb/articles/${id}`, { signal }), [id, tick]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<Action | null>(null);

  const act = async (a: Article, action: Action) => {
    setBusy(action);
    setError(null);
    try {
      await api<Article>(`/api/v1/kb/articles/${a.id}/actions`, { method: 'POST', body: { action, expectedRev: a.rev } });
      void message.success(t(`kbm.done.${action}` as MessageKey));
      setTick((x) => x + 1);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <AsyncView state={state}>
      {({ article: a, versions, log }) => {
        const buttons: { action: Action; show: boolean; primary?: boolean; danger?: boolean }[] = [
          { action: 'review', show: can('kb.publish') && a.status === 'draft', primary: true },
          { action: 'publish', show: can('kb.publish') && a.status === 'reviewed', primary: true },
          { action: 'reject', show: can('kb.publish') && a.status === 'reviewed' },
          { action: 'expire', show: can('kb.publish') && a.status !== 'expired', danger: true },
          { action: 'restore', show: can('kb.manage') && a.status === 'expired' },
        ];
        return (
          <div data-testid="kb-article" data-article-id={a.id}>
            <Space wrap style={{ marginBottom: 12 }}>
              <StatusTag status={a.status} />
              <span className="muted">{t('kbm.versionN', { v: a.version })}</span>
              {a.liveVersion !== null && <Tag color="green">{t('kbm.live', { v: a.liveVersion })}</Tag>}
            </Space>
            <Space wrap style={{ marginBottom: 12 }} data-testid="kb-actions">
              {can('kb.manage') && a.status !== 'expired' && (
                <Button onClick={() => onEdit(a)} data-testid="kb-edit">
                  {t('common.edit')}
                </Button>
              )}
              {buttons
                .filter((b) => b.show)
                .map((b) => (
                  <Button
                    key={b.action}
                    type={b.primary ? 'primary' : 'default'}
                    danger={b.danger ?? false}
                    loading={busy === b.action}
                    data-testid={`kb-${b.action}`}
                    onClick={() => {
                      if (b.action === 'expire') {
                        modal.confirm({ title: t('kbm.expireConfirm'), okButtonProps: { danger: true }, onOk: () => act(a, 'expire') });
                      } else void act(a, b.action);
                    }}
                  >
                    {t(`kbm.${b.action}` as MessageKey)}
                  </Button>
                ))}
            </Space>
            <ErrorAlert error={error} style={{ marginBottom: 12 }} />
            <Tabs
              items={[
                {
                  key: 'content',
                  label: t('kbm.tabContent'),
                  children: (
                    <div>
                      <h3 className="kb-view-title">{a.title}</h3>
                      {a.summary && <p className="muted">{a.summary}</p>}
                      <div className="kb-article" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
                      <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }}>
                        <Descriptions.Item label={t('kbm.fCategory')}>{a.categoryName ?? '—'}</Descriptions.Item>
                        <Descriptions.Item label={t('kbm.fRegion')}>{a.regionCode ?? t('kbm.wholeCity')}</Descriptions.Item>
                        <Descriptions.Item label={t('kbm.colOwner')}>{a.ownerUnitName ?? a.ownerUnitId}</Descriptions.Item>
                        <Descriptions.Item label={t('kbm.validity')}>
                          {a.validFrom || a.validTo ? `${fmtDate(a.validFrom)} — ${fmtDate(a.validTo)}` : '—'}
                        </Descriptions.Item>
                        <Descriptions.Item label={t('kbm.fKeywords')}>{a.keywords.length ? a.keywords.map((k) => <Tag key={k}>{k}</Tag>) : '—'}</Descriptions.Item>
                        <Descriptions.Item label={t('kbm.fBasis')}>
                          {a.legalBasis.length === 0 ? (
                            <span className="muted">{t('kbm.noBasis')}</span>
                          ) : (
                            <ul className="kb-basis-view">
                              {a.legalBasis.map((b, i) => (
                                <li key={i}>
                                  《{b.law}》{b.edition ? `(${b.edition})` : ''}
                                  {b.article ?? ''}
                                  {b.quote && <div className="muted small">{b.quote}</div>}
                                </li>
                              ))}
                            </ul>
                          )}
                        </Descriptions.Item>
                      </Descriptions>
                    </div>
                  ),
                },
                {
                  key: 'versions',
                  label: t('kbm.tabVersions'),
                  children: (
                    <Table
                      data-testid="kb-versions"
                      size="small"
                      rowKey="version"
                      pagination={false}
                      dataSource={[...versions].sort((x, y) => y.version - x.version)}
                      columns={[
                        { key: 'v', title: t('kbm.colVersion'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
                        { key: 'at', title: t('kbm.changedAt'), dataIndex: 'changedAt', width: 150, render: (v: string) => fmtDateTime(v) },
                        {
                          key: 'by',
                          title: t('kbm.changedBy'),
                          dataIndex: 'changedBy',
                          width: 130,
                          // The version rows carry the user id; the workflow log names who wrote each version.
                          render: (v: string | null, r: { version: number }) => (
                            <span title={v ?? undefined}>{log.find((l) => (l.action === 'create' || l.action === 'edit') && l.version === r.version)?.actor ?? v ?? '—'}</span>
                          ),
                        },
                        { key: 'ch', title: t('kbm.changes'), dataIndex: 'changes', render: (v: { label: string }[]) => v.map((c) => c.label).join('、') },
                        { key: 'note', title: t('kbm.note'), dataIndex: 'note', ellipsis: true },
                      ]}
                    />
                  ),
                },
                {
                  key: 'log',
                  label: t('kbm.tabLog'),
                  children: (
                    <Timeline
                      data-testid="kb-log"
                      items={[...log]
                        .sort((x, y) => y.seq - x.seq)
                        .map((l) => ({
                          key: l.seq,
                          content: (
                            <div>
                              <strong>{l.actor ?? '—'}</strong> {t(`kbm.action.${l.action}` as MessageKey)} · v{l.version}{' '}
                              {l.to && STATUSES.includes(l.to as Status) && <StatusTag status={l.to as Status} />}
                              <div className="muted small">
                                {fmtDateTime(l.at)}
                                {l.note ? ` · ${l.note}` : ''}
                              </div>
                            </div>
                          ),
                        }))}
                    />
                  ),
                },
              ]}
            />
          </div>
        );
      }}
    </AsyncView>
  );
}

// ------------------------------------------------------------ tabs

function ArticlesTab({ categories, onDraft, tick, bump }: { categories: Category[]; onDraft: (d: Draft) => void; tick: number; bump: () => void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status | ''>('');
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const state = useAsync(
    (signal) => api<{ items: Article[]; total: number }>('/api/v1/kb/articles', { signal, query: { status, q, mine: mine ? 'true' : undefined, page, pageSize: 20 } }),
    [status, q, mine, page, tick],
  );
  void categories;
  return (
    <div data-testid="kb-articles">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          style={{ width: 140 }}
          data-testid="kb-status-filter"
          options={[{ value: '', label: t('common.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`kbm.status.${s}` as MessageKey) }))]}
        />
        <Input.Search
          allowClear
          placeholder={t('kbm.searchPh')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          style={{ width: 260 }}
          data-testid="kb-search"
        />
        <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)}>
          {t('kbm.mine')}
        </Checkbox>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => onDraft({ seed: { title: '', keywords: [], note: '' } })} data-testid="kb-new">
          {t('kbm.new')}
        </Button>
      </Space>
      <AsyncView state={state}>
        {(d) => (
          <Table
            size="small"
            rowKey="id"
            data-testid="kb-table"
            dataSource={d.items}
            loading={state.loading}
            pagination={{ current: page, pageSize: 20, total: d.total, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
            scroll={{ x: 900 }}
            columns={[
              {
                key: 'title',
                title: t('kbm.colTitle'),
                dataIndex: 'title',
                ellipsis: true,
                render: (v: string, r) => (
                  <a onClick={() => setOpenId(r.id)} data-testid="kb-open">
                    {v}
                  </a>
                ),
              },
              {
                key: 'status',
                title: t('kbm.colStatus'),
                dataIndex: 'status',
                width: 170,
                render: (v: Status, r) => (
                  <Space size={4}>
                    <StatusTag status={v} />
                    {r.liveVersion !== null && v !== 'published' && <Tag color="green">{t('kbm.live', { v: r.liveVersion })}</Tag>}
                  </Space>
                ),
              },
              { key: 'cat', title: t('kbm.colCategory'), dataIndex: 'categoryName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
              { key: 'owner', title: t('kbm.colOwner'), dataIndex: 'ownerUnitName', width: 180, ellipsis: true },
              { key: 'v', title: t('kbm.colVersion'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
              { key: 'at', title: t('kbm.colUpdated'), dataIndex: 'updatedAt', width: 150, render: (v: string) => fmtDateTime(v) },
            ]}
          />
        )}
      </AsyncView>
      <Drawer open={!!openId} onClose={() => setOpenId(null)} size={760} title={t('kbm.title')} destroyOnHidden>
        {openId && (
          <ArticleView
            id={openId}
            onChanged={bump}
            onEdit={(a) => {
              setOpenId(null);
              onDraft({ article: a });
            }}
          />
        )}
      </Drawer>
    </div>
  );
}

function GapsTab({ onDraft }: { onDraft: (d: Draft) => void }) {
  const { t } = useI18n();
  const [days, setDays] = useState(90);
  const [minCount, setMinCount] = useState(2);
  const state = useAsync((signal) => api<{ since: string; items: Gap[] }>('/api/v1/kb/gaps', { signal, query: { days, minCount, limit: 50 } }), [days, minCount]);
  return (
    <div data-testid="kb-gaps">
      <Alert type="info" showIcon title={t('kbm.gapsIntro', { days })} style={{ marginBottom: 12 }} />
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('kbm.gapDays')}</span>
        <Select value={days} onChange={setDays} style={{ width: 120 }} options={[7, 30, 90, 180, 365].map((n) => ({ value: n, label: t('kbm.gapDaysN', { n }) }))} />
        <span>{t('kbm.gapMin')}</span>
        <InputNumber min={1} max={100} value={minCount} onChange={(v) => setMinCount(v ?? 2)} style={{ width: 80 }} />
      </Space>
      <AsyncView state={state} empty={(d) => d.items.length === 0} emptyLabel={t('kbm.gapsEmpty')}>
        {(d) => (
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={d.items}
            scroll={{ x: 900 }}
            columns={[
              { key: 'key', title: t('kbm.gapKey'), dataIndex: 'key', width: 120, render: (v: string) => <strong data-testid="kb-gap-key">{v}</strong> },
              { key: 'n', title: t('kbm.gapCount'), dataIndex: 'count', width: 70, align: 'right' },
              { key: 'src', title: t('kbm.gapSources'), width: 150, render: (_v, r) => <span className="small">{t('kbm.gapSourcesN', { s: r.fromSearches, a: r.fromAppeals })}</span> },
              {
                key: 'ex',
                title: t('kbm.gapExamples'),
                dataIndex: 'examples',
                render: (v: string[]) => (
                  <ul className="kb-gap-examples">
                    {v.map((x) => (
                      <li key={x}>“{x}”</li>
                    ))}
                  </ul>
                ),
              },
              { key: 'last', title: t('kbm.gapLast'), dataIndex: 'lastAt', width: 150, render: (v: string) => fmtDateTime(v) },
              {
                key: 'best',
                title: t('kbm.gapBest'),
                dataIndex: 'bestMatch',
                width: 200,
                ellipsis: true,
                render: (v: Gap['bestMatch']) => (v ? `${v.title} (${Math.round(v.match * 100)}%)` : '—'),
              },
              {
                key: 'op',
                title: t('common.actions'),
                width: 110,
                fixed: 'right',
                render: (_v, r) => (
                  <Button
                    size="small"
                    data-testid="kb-gap-draft"
                    onClick={() => onDraft({ seed: { title: r.examples[0] ?? r.key, keywords: [r.key], note: `${t('kbm.tabGaps')}:${r.key}` } })}
                  >
                    {t('kbm.gapDraft')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </AsyncView>
    </div>
  );
}

function SynonymsTab() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const editable = can('kb.publish');
  const [tick, setTick] = useState(0);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [phrase, setPhrase] = useState('');
  const [terms, setTerms] = useState<string[]>([]);
  const state = useAsync((signal) => api<{ items: Synonym[] }>('/api/v1/kb/synonyms', { signal }), [tick]);
  const save = async (p: string, ts: string[]) => {
    setError(null);
    try {
      await api('/api/v1/kb/synonyms', { method: 'PUT', body: { phrase: p, terms: ts } });
      void message.success(t('common.success'));
      setPhrase('');
      setTerms([]);
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (p: string) => {
    setError(null);
    try {
      await api('/api/v1/kb/synonyms', { method: 'DELETE', query: { phrase: p } });
      void message.success(t('common.success'));
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    }
  };
  const f = filter.trim();
  return (
    <div data-testid="kb-synonyms">
      <Alert type="info" showIcon title={t('kbm.synIntro')} style={{ marginBottom: 12 }} />
      {editable ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Input placeholder={t('kbm.synPhrase')} value={phrase} onChange={(e) => setPhrase(e.target.value)} maxLength={20} style={{ width: 160 }} data-testid="kb-syn-phrase" />
          <Select mode="tags" open={false} tokenSeparators={[',', ',', '、', ' ']} value={terms} onChange={setTerms} placeholder={t('kbm.synTerms')} style={{ width: 320 }} data-testid="kb-syn-terms" />
          <Button type="primary" icon={<PlusOutlined />} disabled={!phrase.trim()} onClick={() => void save(phrase.trim(), terms)} data-testid="kb-syn-save">
            {t('kbm.synAdd')}
          </Button>
        </Space>
      ) : (
        <Alert type="warning" showIcon title={t('kbm.synReadOnly')} style={{ marginBottom: 12 }} />
      )}
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Input.Search allowClear placeholder={t('kbm.synSearchPh')} onChange={(e) => setFilter(e.target.value)} style={{ width: 280, marginBottom: 12 }} />
      <AsyncView state={state}>
        {(d) => (
          <Table
            size="small"
            rowKey="phrase"
            dataSource={f ? d.items.filter((s) => s.phrase.includes(f) || s.terms.some((x) => x.includes(f))) : d.items}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { key: 'p', title: t('kbm.synPhrase'), dataIndex: 'phrase', width: 180 },
              {
                key: 't',
                title: t('kbm.synTerms'),
                dataIndex: 'terms',
                render: (v: string[]) => (v.length ? v.map((x) => <Tag key={x}>{x}</Tag>) : <Tag color="red">{t('kbm.synDisabled')}</Tag>),
              },
              { key: 'c', title: '', dataIndex: 'custom', width: 80, render: (v: boolean) => (v ? <Tag color="blue">{t('kbm.synCustom')}</Tag> : <span className="muted small">{t('kbm.synDefault')}</span>) },
              ...(editable
                ? [
                    {
                      key: 'op',
                      title: t('common.actions'),
                      width: 170,
                      render: (_v: unknown, r: Synonym) => (
                        <Space size="small">
                          <a
                            onClick={() => {
                              setPhrase(r.phrase);
                              setTerms(r.terms);
                            }}
                          >
                            {t('common.edit')}
                          </a>
                          {r.custom && <a onClick={() => void remove(r.phrase)}>{t('kbm.synRemove')}</a>}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </AsyncView>
    </div>
  );
}

export default function KnowledgeBase() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [tab, setTab] = useState('articles');
  const [tick, setTick] = useState(0);
  const cats = useAsync(() => getCategories(), []);
  if (!can('kb.manage')) {
    return (
      <div className="page" data-testid="kb-page">
        <PageHeader title={t('kbm.title')} />
        <Alert type="warning" showIcon title={t('common.forbidden')} />
      </div>
    );
  }
  const categories = cats.data ?? [];
  return (
    <div className="page" data-testid="kb-page">
      <PageHeader title={t('kbm.title')} sub={t('kbm.sub')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        className="console-tabs"
        items={[
          { key: 'articles', label: t('kbm.tabArticles'), children: <ArticlesTab categories={categories} onDraft={setDraft} tick={tick} bump={() => setTick((x) => x + 1)} /> },
          { key: 'gaps', label: t('kbm.tabGaps'), children: <GapsTab onDraft={setDraft} /> },
          { key: 'synonyms', label: t('kbm.tabSynonyms'), children: <SynonymsTab /> },
        ]}
      />
      <Editor
        draft={draft}
        categories={categories}
        onClose={() => setDraft(null)}
        onSaved={() => {
          setDraft(null);
          setTab('articles');
          setTick((x) => x + 1);
        }}
      />
    </div>
  );
}
