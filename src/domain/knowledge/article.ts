// Knowledge articles (释疑解惑): their review workflow, legal bases, validity and citation text.
//
// Workflow of the working copy: draft → reviewed → published → expired. Editing a reviewed or published
// article makes a new version in draft; the published (live) version stays public until the new one is
// reviewed and published in its turn, so an answer never disappears while it is being improved.
// Expired articles (by hand, or when their validity ends) are never shown to the public.
import { DomainError } from '../../lib/errors.ts';

export const ARTICLE_STATUSES = ['draft', 'reviewed', 'published', 'expired'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const ARTICLE_STATUS_LABELS: Record<ArticleStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  reviewed: { zh: '已审核', en: 'Reviewed' },
  published: { zh: '已发布', en: 'Published' },
  expired: { zh: '已失效', en: 'Expired' },
};

export const ARTICLE_ACTIONS = ['review', 'reject', 'publish', 'expire', 'restore'] as const;
export type ArticleAction = (typeof ARTICLE_ACTIONS)[number];

export interface LegalBasis {
  /** The law's full name without 《》, e.g. 中华人民共和国法律援助法. */
  law: string;
  /** The article, e.g. 第三十一条 (optional: a whole regulation may be cited). */
  article?: string | null | undefined;
  /** Edition, e.g. 2023年修正. */
  edition?: string | null | undefined;
  /** The words of the article (or an excerpt), quoted in citations. */
  quote?: string | null | undefined;
}

/** Who may move an article from a status, and to what. */
const TRANSITIONS: Record<ArticleAction, { from: readonly ArticleStatus[]; to: ArticleStatus }> = {
  review: { from: ['draft'], to: 'reviewed' },
  reject: { from: ['reviewed'], to: 'draft' },
  publish: { from: ['reviewed'], to: 'published' },
  expire: { from: ['draft', 'reviewed', 'published'], to: 'expired' },
  restore: { from: ['expired'], to: 'draft' },
};

export function transition(status: ArticleStatus, action: ArticleAction, ctx: { actorId: string; lastEditorId: string | null }): ArticleStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(status)) {
    throw new DomainError(
      'KB_ILLEGAL_TRANSITION',
      `「${ARTICLE_STATUS_LABELS[status].zh}」状态的文章不能执行该操作`,
      `An article in status "${status}" cannot be ${action}ed`,
      { status, action },
    );
  }
  // 四眼原则: the reviewer is not the author of the version under review.
  if (action === 'review' && ctx.lastEditorId && ctx.lastEditorId === ctx.actorId) {
    throw new DomainError('KB_SELF_REVIEW', '不能审核自己编写的版本,请由其他人员审核', 'You cannot review a version you wrote yourself', { action });
  }
  return t.to;
}

/** Is the article in force at `now` by its validity dates? */
export function inForce(validFrom: number | null, validTo: number | null, now: number): boolean {
  return (validFrom === null || validFrom <= now) && (validTo === null || validTo > now);
}

/** Does an article scoped to `articleRegion` (null = the whole deployment) apply in `region`? */
export function appliesTo(articleRegion: string | null, region: string | null | undefined): boolean {
  if (!articleRegion || !region) return true;
  const prefix = articleRegion.replace(/(00)+$/, '');
  return region.startsWith(prefix);
}

export function formatBasis(b: LegalBasis): string {
  const law = b.law.replace(/^《|》$/g, '');
  return `《${law}》${b.edition ? `(${b.edition})` : ''}${b.article ?? ''}`;
}

export interface CitationInput {
  articleId: string;
  title: string;
  version: number;
  legalBasis: readonly LegalBasis[];
  summary: string;
}

/** The text a handler inserts into a reply: the legal basis with its words, and where it came from. */
export function citationText(a: CitationInput): string {
  const lines: string[] = [];
  if (a.legalBasis.length) {
    lines.push(`根据${a.legalBasis.map(formatBasis).join('、')}的规定:`);
    for (const b of a.legalBasis) if (b.quote) lines.push(`${formatBasis(b)}:“${b.quote.replace(/^“|”$/g, '')}”`);
  }
  if (a.summary) lines.push(a.summary);
  lines.push(`(参见知识库《${a.title}》,编号 ${a.articleId},第${a.version}版)`);
  return lines.join('\n');
}

export const FIELD_LABELS: Record<string, string> = {
  title: '标题',
  summary: '摘要',
  bodyHtml: '正文',
  categoryId: '分类',
  regionCode: '适用地区',
  keywords: '关键词',
  legalBasis: '法律依据',
  validFrom: '生效日期',
  validTo: '失效日期',
  ownerUnitId: '责任单位',
};
