// Open311 GeoReport v2 over MinBiao (docs/interop.md §1): the categories as services, one service
// definition shared by all of them (type of appeal, region, time, people involved), submissions through
// the regular intake (channel "open311"), tokens, and the public read side — which never carries
// personal data: no name, phone or e-mail; the location reduced to the region (street, district) and
// coordinates rounded to about 100 m; the description is the appeal's title with phone numbers, ID
// numbers and the citizen's own name masked; reports (举报) show no content at all.
import { APPEAL_TYPES, APPEAL_TYPE_LABELS, STATUS_LABELS, REDIRECT_CHANNEL_LABELS, type AppealStatus, type AppealType, type RedirectChannel } from '../../domain/appeal/types.ts';
import { OPEN311_STATUS, parseW3cDateTime, statusesFor, w3cDateTime, type Open311Status } from '../../domain/interop/open311.ts';
import { screenText } from '../../domain/participation/moderation.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isValidEmail, maskName, maskPhone } from '../../lib/pii.ts';
import type { ApiKeyTable } from '../../store/interop-schema.ts';
import type { AppealTable } from '../../store/schema.ts';
import type { AppealIntakeService } from '../appeals/intake.ts';
import type { CategoryService, Category } from '../categories.ts';
import type { ServiceContext } from '../context.ts';
import type { OrgService } from '../org.ts';
import type { RegionResolver } from './regions.ts';

export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
export const MAX_RANGE_MS = 90 * 86_400_000;
export const MAX_RESULTS = 1000;
const DESCRIPTION_MAX = 4000;

export interface ServiceItem {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

export interface AttributeDef {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

export interface ServiceRequestItem {
  service_request_id: string;
  status: Open311Status;
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface PostAnswer {
  service_request_id?: string;
  token?: string;
  service_notice: string;
  account_id: string | null;
}

export interface SubmissionInput {
  fields: Record<string, string>;
  attributes: Record<string, string | string[]>;
}

/** 400 with the spec's meaning ("… was not provided" / invalid). */
const bad = (zh: string, en: string) => new AppError(400, 'OPEN311_BAD_REQUEST', zh, en);

function localText(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Text shown publicly: the citizen's own name, phone numbers, ID numbers, e-mails and card numbers masked. */
export function publicText(text: string, known: { name?: string | null; phone?: string | null } = {}): string {
  let t = text;
  const name = known.name?.trim();
  if (name && [...name].length >= 2) t = t.split(name).join(maskName(name)!.replace(/\*+/g, '某'));
  if (known.phone) t = t.split(known.phone).join(maskPhone(known.phone) ?? '***');
  return screenText(t).text;
}

const round3 = (x: number | null) => (x === null || x === undefined ? null : Math.round(Number(x) * 1000) / 1000);

export class Open311Service {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly org: OrgService,
    private readonly categories: CategoryService,
    private readonly intake: AppealIntakeService,
    private readonly regions: RegionResolver,
  ) {}

  discovery(baseUrl: string) {
    const changeset = w3cDateTime(Date.UTC(2026, 0, 1) - 8 * 3600_000);
    return {
      changeset,
      contact: '民标 MinBiao 接诉平台 · 请联系本地综治中心 / contact the local comprehensive-governance centre',
      key_service: '接口密钥由系统安全管理员按客户端系统发放 / API keys are issued per client system by the security administrator',
      endpoints: [{ specification: OPEN311_SPEC, url: baseUrl, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
    };
  }

  private async activeCategories(): Promise<Category[]> {
    return (await this.categories.all()).filter((c) => c.active).sort((a, b) => a.sort - b.sort || a.id.localeCompare(b.id));
  }

  async services(): Promise<ServiceItem[]> {
    const cats = await this.activeCategories();
    const byId = new Map(cats.map((c) => [c.id, c]));
    return cats.map((c) => {
      const parent = c.parentId ? byId.get(c.parentId) : undefined;
      const days = c.urgency === 'emergency' ? '2小时内办结' : c.urgency === 'urgent' ? '24小时内办结' : c.handleDays ? `一般${c.handleDays}个工作日内办结` : '按诉求类型的时限办结';
      return {
        service_code: c.id,
        service_name: c.name,
        description: `${c.name}(${c.nameEn})· ${days}`,
        metadata: true,
        type: 'realtime',
        keywords: [c.name, c.nameEn, parent?.name].filter(Boolean).join(','),
        group: parent?.name ?? c.name,
      };
    });
  }

  /** The attributes every service takes (docs/interop.md §1.3). */
  async attributes(): Promise<AttributeDef[]> {
    const regions = await this.regions.rows();
    return [
      {
        variable: true,
        code: 'appeal_type',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '不填则按服务类别的默认类型 / defaults to the service\'s usual type',
        order: 1,
        description: '诉求类型 / Type of appeal',
        values: APPEAL_TYPES.map((t) => ({ key: t, name: `${APPEAL_TYPE_LABELS[t].zh} ${APPEAL_TYPE_LABELS[t].en}` })),
      },
      {
        variable: true,
        code: 'region_code',
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: '不填则按地址和描述识别 / resolved from address_string and description when absent',
        order: 2,
        description: '所在区域(行政区划) / Region (administrative division)',
        values: regions.map((r) => ({ key: r.code, name: r.name })),
      },
      { variable: true, code: 'occurred_at', datatype: 'datetime', required: false, datatype_description: 'W3C 日期时间,如 2026-10-03T14:05:00+08:00', order: 3, description: '事发时间 / When it happened' },
      { variable: true, code: 'people_involved', datatype: 'number', required: false, datatype_description: '整数 / a whole number', order: 4, description: '涉及人数 / Number of people involved' },
      {
        variable: false,
        code: 'emergency_notice',
        datatype: 'string',
        required: false,
        datatype_description: null,
        order: 5,
        description: '如遇正在发生的违法犯罪或危及人身安全的紧急情况,请立即拨打110。/ For crimes in progress or danger to life, call 110 at once.',
      },
    ];
  }

  async definition(code: string) {
    const c = await this.categories.get(code);
    if (!c || !c.active) throw new AppError(404, 'OPEN311_NOT_FOUND', `服务类别 ${code} 不存在`, `service_code ${code} was not found`);
    return { service_code: c.id, attributes: await this.attributes() };
  }

  /** POST requests: validates the GeoReport fields, then submits through the regular intake. */
  async submit(key: ApiKeyTable, input: SubmissionInput, meta: { ip: string | null; idempotencyKey?: string | undefined }): Promise<{ answer: PostAnswer; appealId: string; trackingCode: string }> {
    const f = input.fields;
    const get = (k: string) => {
      const v = f[k];
      return v === undefined || v.trim() === '' ? null : v.trim();
    };
    const code = get('service_code');
    if (!code) throw bad('缺少 service_code', 'service_code was not provided');
    const category = await this.categories.get(code);
    if (!category || !category.active) throw new AppError(404, 'OPEN311_NOT_FOUND', `服务类别 ${code} 不存在`, `service_code ${code} was not found`);

    // Location: lat & long, or address_string, or address_id.
    const latS = get('lat');
    const lngS = get('long');
    if ((latS === null) !== (lngS === null)) throw bad('lat 与 long 须同时提供', 'lat and long must be sent together');
    let lat: number | null = null;
    let lng: number | null = null;
    if (latS !== null && lngS !== null) {
      lat = Number(latS);
      lng = Number(lngS);
      if (!/^[-+]?\d{1,3}(\.\d+)?$/.test(latS) || !/^[-+]?\d{1,3}(\.\d+)?$/.test(lngS) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        throw bad('lat/long 不是有效的 WGS84 坐标', 'lat/long are not valid WGS84 coordinates');
      }
    }
    const addressString = get('address_string');
    const addressId = get('address_id');
    if (lat === null && !addressString && !addressId) throw bad('缺少位置:须提供 lat 和 long、address_string 或 address_id 之一', 'A location is required: lat & long, address_string or address_id');
    if (addressString && addressString.length > 200) throw bad('address_string 过长(最多200字)', 'address_string is too long (200 characters at most)');

    // Attributes against the definition.
    const defs = await this.attributes();
    const values: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(input.attributes)) {
      const def = defs.find((d) => d.code === k && d.variable);
      if (!def) throw bad(`未知的属性 attribute[${k}]`, `Unknown attribute attribute[${k}] for service_code ${code}`);
      const list = Array.isArray(v) ? v : [v];
      if (def.datatype !== 'multivaluelist' && list.length > 1) throw bad(`属性 ${k} 只能有一个值`, `attribute[${k}] takes one value`);
      const one = list[0]!.trim();
      if (one === '') continue;
      if (one.length > 200) throw bad(`属性 ${k} 过长`, `attribute[${k}] is too long`);
      if (def.datatype === 'singlevaluelist' && !def.values!.some((x) => x.key === one)) throw bad(`属性 ${k} 的取值 ${one} 无效`, `attribute[${k}] has no value ${one}`);
      if (def.datatype === 'number' && !/^\d{1,6}$/.test(one)) throw bad(`属性 ${k} 应为整数`, `attribute[${k}] must be a whole number`);
      if (def.datatype === 'datetime' && !Number.isFinite(parseW3cDateTime(one))) throw bad(`属性 ${k} 应为 W3C 日期时间`, `attribute[${k}] must be a W3C date-time`);
      values[k] = one;
    }
    for (const d of defs) if (d.variable && d.required && values[d.code] === undefined) throw bad(`缺少必填属性 ${d.code}`, `attribute[${d.code}] is required`);

    // Contact (optional): no phone → an anonymous appeal (no name or phone kept); an e-mail address is kept
    // either way, encrypted, as the channel the citizen is told of progress by, and never shown to staff of
    // an anonymous appeal.
    const email = get('email');
    if (email && !isValidEmail(email)) throw bad('email 格式不正确', 'email is not a valid address');
    const mediaUrl = get('media_url');
    if (mediaUrl && (mediaUrl.length > 1000 || !/^https?:\/\/[^\s]+$/i.test(mediaUrl))) throw bad('media_url 须为 http(s) 地址', 'media_url must be an http(s) URL');
    const first = get('first_name');
    const last = get('last_name');
    if ((first?.length ?? 0) > 40 || (last?.length ?? 0) > 40) throw bad('姓名过长', 'first_name/last_name too long');
    const cjk = /[\u3400-\u9fff]/;
    const citizenName = first || last ? (cjk.test(`${last ?? ''}${first ?? ''}`) ? `${last ?? ''}${first ?? ''}` : [first, last].filter(Boolean).join(' ')) : null;
    const phone = get('phone');
    const description = (f.description ?? '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
    if (description.length > DESCRIPTION_MAX) throw bad('description 过长(最多4000字)', 'description is limited to 4,000 characters');
    if (/<\s*\/?\s*[a-z][^>]*>/i.test(description)) throw bad('description 不能包含 HTML 或代码', 'description may not contain HTML or code');

    // Region: attribute > address and description > the deployment's single top-level region.
    const regionCode =
      (values.region_code as string | undefined) ?? (await this.regions.resolve(addressString, description)) ?? (await this.regions.single());
    if (!regionCode) {
      throw bad('无法确定所在区域:请提供可识别的 address_string 或 attribute[region_code]', 'Cannot tell the region: send a recognisable address_string or attribute[region_code]');
    }

    const type = ((values.appeal_type as AppealType | undefined) ?? (category.defaultType as AppealType | null) ?? 'complaint') as AppealType;
    const extra: string[] = [];
    if (values.occurred_at) extra.push(`事发时间:${localText(parseW3cDateTime(values.occurred_at as string))}`);
    if (values.people_involved) extra.push(`涉及人数:${values.people_involved as string}`);
    if (lat !== null) extra.push(`位置坐标:${lat},${lng}`);
    if (addressId) extra.push(`地址编号:${addressId}`);
    if (mediaUrl) extra.push(`附件:${mediaUrl}`);
    const bodyMain = description || `${category.name}(经 Open311 客户端提交,未附描述)`;
    const body = extra.length ? `${bodyMain}\n\n【附加信息】\n${extra.join('\n')}` : bodyMain;
    const firstLine = (description.split('\n')[0] ?? '').trim();
    let title = firstLine ? [...firstLine].slice(0, 40).join('') : category.name;
    if ([...title].length < 4) title = `${category.name}:${title}`.slice(0, 40);

    const submitted = await this.intake.submit(
      { kind: 'citizen', ip: meta.ip },
      {
        type,
        categoryId: category.id,
        title,
        body,
        regionCode,
        address: addressString,
        anonymous: !phone,
        citizenName: phone ? citizenName : null,
        phone,
        email,
        channel: 'open311',
      },
      meta.idempotencyKey ? `open311:${key.id}:${meta.idempotencyKey}` : undefined,
    );

    let token: string;
    const prior = submitted.replayed ? await this.ctx.db.selectFrom('open311_requests').select('token').where('appeal_id', '=', submitted.id).executeTakeFirst() : undefined;
    if (prior) token = prior.token;
    else {
      token = newId(this.ctx.now()).toLowerCase();
      await this.ctx.db
        .insertInto('open311_requests')
        .values({
          token,
          appeal_id: submitted.id,
          service_request_id: submitted.trackingCode,
          region_code: regionCode,
          api_key_id: key.id,
          service_code: category.id,
          lat,
          lng,
          address_id: addressId,
          attributes: JSON.stringify(values),
          media_url: mediaUrl,
          // The address lives on the appeal (citizen_email_enc), where notices, retention and key rotation find it.
          email_enc: null,
          created_at: this.ctx.now(),
        })
        .execute();
    }

    const due = localText(Date.parse(submitted.handleDueAt));
    let notice = `已受理,查询码 ${submitted.trackingCode},将于 ${due} 前办结。/ Received: tracking code ${submitted.trackingCode}, to be handled by ${due} (UTC+8).`;
    if (submitted.accessPin) notice += ` 匿名诉求查询密码 ${submitted.accessPin}(仅显示一次)/ Anonymous appeal: access PIN ${submitted.accessPin} (shown once).`;
    const accountId = get('account_id');
    const answer: PostAnswer = key.token_mode === 1 ? { token, service_notice: notice, account_id: accountId } : { service_request_id: submitted.trackingCode, service_notice: notice, account_id: accountId };
    return { answer, appealId: submitted.id, trackingCode: submitted.trackingCode };
  }

  async token(token: string): Promise<{ service_request_id: string; token: string }[]> {
    const t = token.trim().toLowerCase();
    const row = /^[0-9a-z]{26}$/.test(t) ? await this.ctx.db.selectFrom('open311_requests').select(['token', 'service_request_id']).where('token', '=', t).executeTakeFirst() : undefined;
    if (!row) throw new AppError(404, 'OPEN311_NOT_FOUND', `令牌 ${token} 不存在`, `token ${token} was not found`);
    return [{ service_request_id: row.service_request_id, token: row.token }];
  }

  /** GET requests: by ids (which override everything else), or by codes, status and a ≤ 90-day window. */
  async requests(q: { ids?: string[] | undefined; codes?: string[] | undefined; statuses?: Open311Status[] | undefined; start?: string | undefined; end?: string | undefined }): Promise<ServiceRequestItem[]> {
    let query = this.ctx.db
      .selectFrom('appeals')
      .leftJoin('open311_requests', 'open311_requests.appeal_id', 'appeals.id')
      .selectAll('appeals')
      .select(['open311_requests.lat as o_lat', 'open311_requests.lng as o_lng', 'open311_requests.media_url as o_media']);
    if (q.ids && q.ids.length > 0) {
      if (q.ids.length > MAX_RESULTS) throw bad(`一次最多查询 ${MAX_RESULTS} 个 service_request_id`, `At most ${MAX_RESULTS} service_request_id at once`);
      query = query.where('appeals.tracking_code', 'in', q.ids);
    } else {
      const now = this.ctx.now();
      const start = q.start ? parseW3cDateTime(q.start) : null;
      const end = q.end ? parseW3cDateTime(q.end) : null;
      if (start !== null && !Number.isFinite(start)) throw bad('start_date 须为 W3C 格式,如 2026-10-01T00:00:00+08:00', 'start_date must use the w3 format, e.g. 2010-01-01T00:00:00Z');
      if (end !== null && !Number.isFinite(end)) throw bad('end_date 须为 W3C 格式,如 2026-10-31T23:59:59+08:00', 'end_date must use the w3 format, e.g. 2010-01-01T00:00:00Z');
      const to = end ?? (start !== null ? start + MAX_RANGE_MS : now);
      const from = start ?? to - MAX_RANGE_MS;
      if (to < from) throw bad('end_date 早于 start_date', 'end_date is before start_date');
      if (to - from > MAX_RANGE_MS) throw bad('start_date 至 end_date 不能超过90天', 'The range between start_date and end_date may not span more than 90 days');
      query = query.where('appeals.created_at', '>=', from).where('appeals.created_at', '<=', to);
      if (q.codes && q.codes.length > 0) query = query.where('appeals.category_id', 'in', q.codes);
      if (q.statuses && q.statuses.length > 0 && q.statuses.length < 2) query = query.where('appeals.status', 'in', q.statuses.flatMap(statusesFor));
    }
    const rows = await query.orderBy('appeals.created_at', 'desc').orderBy('appeals.id', 'desc').limit(MAX_RESULTS).execute();
    const out: ServiceRequestItem[] = [];
    for (const r of rows) out.push(await this.toItem(r, { lat: r.o_lat, lng: r.o_lng, media: r.o_media }));
    return out;
  }

  async request(id: string): Promise<ServiceRequestItem[]> {
    const items = /^[A-Z0-9-]{6,20}$/.test(id) ? await this.requests({ ids: [id] }) : [];
    if (items.length === 0) throw new AppError(404, 'OPEN311_NOT_FOUND', `诉求 ${id} 不存在`, `service_request_id ${id} was not found`);
    return items;
  }

  private async toItem(r: AppealTable, o: { lat: number | null; lng: number | null; media: string | null }): Promise<ServiceRequestItem> {
    const status = r.status as AppealStatus;
    const cat = r.category_id ? await this.categories.get(r.category_id) : undefined;
    const unit = r.unit_id ? await this.org.get(r.unit_id) : undefined;
    let notes: string = STATUS_LABELS[status]?.zh ?? status;
    if (status === 'replied') notes = '已答复,待群众评价 / answered, awaiting the citizen\'s rating';
    if (status === 'redirected' && r.redirect_channel) notes = `已引导至「${REDIRECT_CHANNEL_LABELS[r.redirect_channel as RedirectChannel]?.zh ?? r.redirect_channel}」途径 / redirected to its statutory channel`;
    if (status === 'merged') notes = '与同一事项的诉求合并办理 / merged with a request about the same matter';
    let description: string;
    if (r.type === 'report') description = '举报事项,内容依法保密 / Report: content kept confidential';
    else {
      let name: string | null = null;
      let phone: string | null = null;
      try {
        name = this.ctx.pii.decrypt(r.citizen_name_enc);
        phone = this.ctx.pii.decrypt(r.citizen_phone_enc);
      } catch {
        // Unreadable ciphertext: fall back to the pattern masking alone.
      }
      description = publicText(r.title, { name, phone });
    }
    const regionName = await this.regions.name(r.region_code);
    const parentCode = (await this.regions.rows()).find((x) => x.code === r.region_code)?.parent_code ?? null;
    const parentName = parentCode ? await this.regions.name(parentCode) : null;
    const closedish = OPEN311_STATUS[status] === 'closed';
    return {
      service_request_id: r.tracking_code,
      status: OPEN311_STATUS[status] ?? 'open',
      status_notes: notes,
      service_name: cat?.name ?? null,
      service_code: r.category_id,
      description,
      agency_responsible: unit?.name ?? null,
      service_notice: null,
      requested_datetime: w3cDateTime(r.created_at),
      updated_datetime: w3cDateTime(closedish ? (r.closed_at ?? r.updated_at) : r.updated_at),
      expected_datetime: closedish ? null : w3cDateTime(r.handle_due_at),
      address: [regionName, parentName].filter(Boolean).join(', ') || null,
      address_id: null,
      zipcode: null,
      lat: round3(o.lat),
      long: round3(o.lng),
      media_url: o.media,
    };
  }
}

