// Hotline work orders → appeal fields (pure): the target fields, the Chinese headers such exports use,
// a mapping profile, and the validation of one row. Region, category and scope need the database and
// are settled by the import service.
import { createHash } from 'node:crypto';
import { APPEAL_TYPES, URGENCIES, type AppealType, type Urgency } from '../appeal/types.ts';
import { parseImportDate } from './dates.ts';

export const IMPORT_FIELDS = ['sourceId', 'createdAt', 'type', 'category', 'title', 'body', 'address', 'citizenName', 'phone', 'region', 'urgency', 'anonymous'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, { zh: string; en: string; required: boolean }> = {
  sourceId: { zh: '工单编号', en: 'Work-order number', required: true },
  createdAt: { zh: '来电时间', en: 'Time of the call', required: true },
  type: { zh: '诉求类型', en: 'Type of appeal', required: false },
  category: { zh: '诉求分类', en: 'Category', required: false },
  title: { zh: '诉求标题', en: 'Title', required: false },
  body: { zh: '诉求内容', en: 'Content', required: true },
  address: { zh: '诉求地址', en: 'Address', required: false },
  citizenName: { zh: '来电人', en: 'Caller', required: false },
  phone: { zh: '联系电话', en: 'Phone', required: false },
  region: { zh: '所属区域', en: 'Region', required: false },
  urgency: { zh: '紧急程度', en: 'Urgency', required: false },
  anonymous: { zh: '是否匿名', en: 'Anonymous', required: false },
};

/** Headers seen in 12345 / 110 non-emergency / 综治 hotline exports, by target field. */
export const HEADER_SYNONYMS: Record<ImportField, readonly string[]> = {
  sourceId: ['工单编号', '工单号', '工单编码', '工单流水号', '流水号', '受理编号', '受理号', '编号', '单号'],
  createdAt: ['来电时间', '受理时间', '登记时间', '创建时间', '诉求时间', '反映时间', '来电日期', '接听时间', '录入时间'],
  type: ['诉求类型', '工单类型', '诉求性质', '问题性质', '类型', '来电类型', '业务类型'],
  category: ['诉求分类', '问题分类', '事项分类', '内容分类', '诉求类别', '分类', '问题类别', '事项类别'],
  title: ['诉求标题', '工单标题', '标题', '主题', '诉求主题', '事项名称'],
  body: ['诉求内容', '反映内容', '工单内容', '来电内容', '问题描述', '诉求描述', '内容', '诉求详情', '来电详情'],
  address: ['诉求地址', '事发地址', '发生地址', '事发地点', '地址', '问题地址', '所在地址'],
  citizenName: ['来电人', '来电人姓名', '诉求人', '诉求人姓名', '反映人', '联系人', '姓名', '市民姓名'],
  phone: ['联系电话', '来电号码', '联系方式', '联系号码', '手机号码', '手机号', '电话', '主叫号码', '来电电话'],
  region: ['所属区域', '所属区县', '所属街道', '所属乡镇', '所在区域', '区域', '行政区划', '属地', '区县', '街道'],
  urgency: ['紧急程度', '缓急程度', '优先级', '紧急度', '是否紧急'],
  anonymous: ['是否匿名', '匿名', '保密'],
};

export interface ImportProfile {
  /** The source system: work-order numbers are unique within it (default "hotline"). */
  source: string;
  /** File header → target field. Headers not listed are ignored. */
  mapping: Record<string, ImportField>;
  defaults?: { type?: AppealType | undefined; regionCode?: string | undefined; urgency?: Urgency | undefined } | undefined;
  /** CSV only: the field delimiter (default: detected from the header line). */
  delimiter?: string | undefined;
}

const norm = (h: string) => h.replace(/[\s:：*＊()（）\u3000]/g, '').toLowerCase();

/** The mapping of a header row: known synonyms, and the field names themselves (sourceId, body …). */
export function suggestMapping(header: readonly string[]): Record<string, ImportField> {
  const out: Record<string, ImportField> = {};
  const taken = new Set<ImportField>();
  const lookup = new Map<string, ImportField>();
  for (const f of IMPORT_FIELDS) {
    lookup.set(norm(f), f);
    for (const syn of HEADER_SYNONYMS[f]) if (!lookup.has(norm(syn))) lookup.set(norm(syn), f);
  }
  for (const h of header) {
    const f = lookup.get(norm(h));
    if (f && !taken.has(f)) {
      out[h] = f;
      taken.add(f);
    }
  }
  return out;
}

/** Checks a mapping against a header: every mapped header exists, no field twice, required ones present. */
export function checkMapping(header: readonly string[], mapping: Record<string, string>): { zh: string; en: string } | null {
  const seen = new Map<string, string>();
  for (const [h, f] of Object.entries(mapping)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(f)) return { zh: `未知的目标字段「${f}」`, en: `Unknown target field "${f}"` };
    if (!header.includes(h)) return { zh: `文件中没有列「${h}」(可用列:${header.join('、')})`, en: `The file has no column "${h}" (columns: ${header.join(', ')})` };
    if (seen.has(f)) return { zh: `「${seen.get(f)}」和「${h}」都映射到了${IMPORT_FIELD_LABELS[f as ImportField].zh}`, en: `Both "${seen.get(f)}" and "${h}" map to ${f}` };
    seen.set(f, h);
  }
  for (const f of IMPORT_FIELDS) {
    if (IMPORT_FIELD_LABELS[f].required && !seen.has(f)) return { zh: `缺少必需的列:${IMPORT_FIELD_LABELS[f].zh}`, en: `A column for ${f} (${IMPORT_FIELD_LABELS[f].zh}) is required` };
  }
  return null;
}

const TYPE_WORDS: Record<string, AppealType> = {
  咨询: 'consult', 政策咨询: 'consult', 求助: 'help', 求援: 'help', 投诉: 'complaint', 举报: 'report', 检举: 'report', 建议: 'suggestion', 意见建议: 'suggestion', 意见: 'suggestion', 纠纷: 'dispute', 矛盾纠纷: 'dispute', 调解: 'dispute',
};
const URGENCY_WORDS: Record<string, Urgency> = { 一般: 'general', 普通: 'general', 否: 'general', 紧急: 'urgent', 加急: 'urgent', 急: 'urgent', 是: 'urgent', 特急: 'emergency', 特别紧急: 'emergency', 非常紧急: 'emergency', 特提: 'emergency' };

export function parseAppealType(v: string): AppealType | null {
  const t = v.trim();
  if ((APPEAL_TYPES as readonly string[]).includes(t.toLowerCase())) return t.toLowerCase() as AppealType;
  return TYPE_WORDS[t] ?? TYPE_WORDS[t.replace(/类$/, '')] ?? null;
}

export function parseUrgency(v: string): Urgency | null {
  const t = v.trim();
  if ((URGENCIES as readonly string[]).includes(t.toLowerCase())) return t.toLowerCase() as Urgency;
  return URGENCY_WORDS[t] ?? null;
}

export function parseYesNo(v: string): boolean | null {
  const t = v.trim().toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '匿名'].includes(t)) return true;
  if (['否', 'n', 'no', 'false', '0', '实名', ''].includes(t)) return false;
  return null;
}

export type Cell = string | number | boolean | Date | null | undefined;

/** A cell as text: numbers without exponent noise, dates as local wall-clock text. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString().replace('T', ' ').slice(0, 19) : '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return String(v);
}

export interface MappedRow {
  sourceId: string;
  createdAt: number;
  type: AppealType | null;
  category: string | null;
  title: string | null;
  body: string;
  address: string | null;
  citizenName: string | null;
  phone: string | null;
  region: string | null;
  urgency: Urgency | null;
  anonymous: boolean | null;
}

export type RowResult = { ok: true; row: MappedRow; hash: string } | { ok: false; reason: string; sourceId: string | null };

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const clean = (s: string) => s.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();

/**
 * One data row (cells in header order) → the fields, or the reason it is refused. `now` bounds the
 * call time (a future time is refused). Reasons are in Chinese with English after a slash.
 */
export function mapRow(header: readonly string[], cells: readonly Cell[], profile: ImportProfile, now: number): RowResult {
  const get = (f: ImportField): Cell => {
    for (let i = 0; i < header.length; i++) if (profile.mapping[header[i]!] === f) return cells[i];
    return undefined;
  };
  const text = (f: ImportField) => clean(cellText(get(f)));
  const sourceId = text('sourceId');
  const fail = (zh: string, en: string): RowResult => ({ ok: false, reason: `${zh} / ${en}`, sourceId: sourceId || null });
  if (cells.every((c) => cellText(c).trim() === '')) return fail('空行', 'empty row');
  if (!sourceId) return fail('缺少工单编号', 'missing work-order number');
  if (sourceId.length > 64 || /[\n\t]/.test(sourceId)) return fail('工单编号过长或含换行', 'work-order number too long or has line breaks');

  const rawTime = get('createdAt');
  const createdAt = parseImportDate(typeof rawTime === 'string' ? rawTime.trim() : rawTime);
  if (rawTime === undefined || rawTime === null || cellText(rawTime).trim() === '') return fail('缺少来电时间', 'missing time of the call');
  if (!Number.isFinite(createdAt)) return fail(`来电时间「${cellText(rawTime).slice(0, 40)}」无法识别`, `unreadable time of the call "${cellText(rawTime).slice(0, 40)}"`);
  if (createdAt > now + 5 * 60_000) return fail('来电时间晚于当前时间', 'time of the call is in the future');
  if (createdAt < Date.UTC(2000, 0, 1)) return fail('来电时间早于2000年', 'time of the call is before 2000');

  const body = text('body');
  if (!body) return fail('缺少诉求内容', 'missing content');
  if ([...body].length < 2) return fail('诉求内容过短', 'content too short');
  if ([...body].length > 5000) return fail('诉求内容超过5000字', 'content longer than 5000 characters');

  const typeText = text('type');
  let type: AppealType | null = null;
  if (typeText) {
    type = parseAppealType(typeText);
    if (!type) return fail(`诉求类型「${typeText}」不在受理范围(咨询、求助、投诉、举报、建议、纠纷)`, `type "${typeText}" is not one of consult, help, complaint, report, suggestion, dispute`);
  }
  const urgencyText = text('urgency');
  let urgency: Urgency | null = null;
  if (urgencyText) {
    urgency = parseUrgency(urgencyText);
    if (!urgency) return fail(`紧急程度「${urgencyText}」无法识别`, `unknown urgency "${urgencyText}"`);
  }
  const anonText = text('anonymous');
  const anonymous = anonText ? parseYesNo(anonText) : null;
  if (anonText && anonymous === null) return fail(`是否匿名「${anonText}」无法识别`, `unknown anonymous flag "${anonText}"`);

  const title = text('title');
  if ([...title].length > 100) return fail('诉求标题超过100字', 'title longer than 100 characters');
  const address = text('address');
  if ([...address].length > 200) return fail('诉求地址超过200字', 'address longer than 200 characters');
  const name = text('citizenName');
  if ([...name].length > 40) return fail('来电人姓名超过40字', 'caller name longer than 40 characters');
  const phone = text('phone').replace(/\.0$/, '');

  const row: MappedRow = {
    sourceId,
    createdAt,
    type,
    category: text('category') || null,
    title: title || null,
    body,
    address: address || null,
    citizenName: name || null,
    phone: phone || null,
    region: text('region') || null,
    urgency,
    anonymous,
  };
  const hash = createHash('sha256').update(JSON.stringify(IMPORT_FIELDS.map((f) => row[f]))).digest('hex');
  return { ok: true, row, hash };
}

/** A title from the content when the file has none: the first sentence, at most 30 characters. */
export function titleFrom(body: string): string {
  const first = body.split(/[。！？!?\n]/)[0]!.trim() || body.trim();
  const chars = [...first];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : first;
}
