// Message templates (让群众知道进展): Chinese text with {{variables}}, editable by the admin.
// The defaults below apply until an admin saves their own wording; every variable a template may use
// is declared, so a typo in an edited template is refused instead of sent as "{{trakingCode}}".

export const TEMPLATE_KEYS = [
  'citizen.received',
  'citizen.dispatched',
  'citizen.replied',
  'citizen.rate_request',
  'staff.new',
  'staff.assigned',
  'staff.overdue',
  'staff.escalated',
  'staff.risk',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export type Audience = 'citizen' | 'staff';

export interface TemplateDef {
  key: TemplateKey;
  audience: Audience;
  label: string;
  /** Subject of e-mails and the inbox; SMS use the body only. */
  title: string;
  body: string;
  variables: readonly string[];
}

const CITIZEN_VARS = ['trackingCode', 'title', 'unitName', 'dueDate', 'trackUrl', 'typeLabel'] as const;
const STAFF_VARS = ['trackingCode', 'title', 'unitName', 'categoryName', 'dueDate', 'typeLabel', 'urgencyLabel', 'reason', 'level', 'appealUrl'] as const;

export const DEFAULT_TEMPLATES: Record<TemplateKey, TemplateDef> = {
  'citizen.received': {
    key: 'citizen.received',
    audience: 'citizen',
    label: '群众:诉求已受理',
    title: '诉求已受理',
    body: '【民标】您的{{typeLabel}}已受理,受理编号{{trackingCode}},请妥善保存。我们将在{{dueDate}}前办结,可凭编号和手机号查询进度:{{trackUrl}}',
    variables: CITIZEN_VARS,
  },
  'citizen.dispatched': {
    key: 'citizen.dispatched',
    audience: 'citizen',
    label: '群众:已派单',
    title: '诉求已交办',
    body: '【民标】您的诉求(编号{{trackingCode}})已交由{{unitName}}办理,承办人员会尽快与您联系。',
    variables: CITIZEN_VARS,
  },
  'citizen.replied': {
    key: 'citizen.replied',
    audience: 'citizen',
    label: '群众:已答复',
    title: '诉求已答复',
    body: '【民标】{{unitName}}已答复您的诉求(编号{{trackingCode}}),请查看答复内容:{{trackUrl}}',
    variables: CITIZEN_VARS,
  },
  'citizen.rate_request': {
    key: 'citizen.rate_request',
    audience: 'citizen',
    label: '群众:邀请评价',
    title: '请您评价',
    body: '【民标】您的诉求(编号{{trackingCode}})已办理答复,问题解决了吗?请花一分钟点个表情评价办理结果:{{trackUrl}}',
    variables: CITIZEN_VARS,
  },
  'staff.new': {
    key: 'staff.new',
    audience: 'staff',
    label: '工作人员:新诉求待分派',
    title: '新诉求待分派:{{title}}',
    body: '新{{typeLabel}}「{{title}}」(编号{{trackingCode}},{{urgencyLabel}})待分派,应于{{dueDate}}前办结。{{appealUrl}}',
    variables: STAFF_VARS,
  },
  'staff.assigned': {
    key: 'staff.assigned',
    audience: 'staff',
    label: '工作人员:收到交办',
    title: '收到交办:{{title}}',
    body: '{{unitName}}收到交办诉求「{{title}}」(编号{{trackingCode}},{{categoryName}}),请及时签收,应于{{dueDate}}前办结。{{appealUrl}}',
    variables: STAFF_VARS,
  },
  'staff.overdue': {
    key: 'staff.overdue',
    audience: 'staff',
    label: '工作人员:诉求超期',
    title: '诉求超期:{{title}}',
    body: '诉求「{{title}}」(编号{{trackingCode}})已超过{{reason}},请立即办理。{{appealUrl}}',
    variables: STAFF_VARS,
  },
  'staff.escalated': {
    key: 'staff.escalated',
    audience: 'staff',
    label: '工作人员:提级督办',
    title: '督办:{{title}}',
    body: '诉求「{{title}}」(编号{{trackingCode}})已被督办:{{reason}}。{{appealUrl}}',
    variables: STAFF_VARS,
  },
  'staff.risk': {
    key: 'staff.risk',
    audience: 'staff',
    label: '工作人员:风险预警',
    title: '风险预警({{level}}):{{title}}',
    body: '诉求「{{title}}」(编号{{trackingCode}})存在风险:{{reason}}。请立即研判处置,必要时联系110。{{appealUrl}}',
    variables: STAFF_VARS,
  },
};

const VAR_RE = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** Variables used by a text that the template does not declare. */
export function unknownVariables(key: TemplateKey, ...texts: string[]): string[] {
  const allowed = new Set(DEFAULT_TEMPLATES[key].variables);
  const bad = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(VAR_RE)) if (!allowed.has(m[1]!)) bad.add(m[1]!);
  return [...bad];
}

/** Fills the variables; a missing value becomes an empty string (never the raw placeholder). */
export function render(text: string, vars: Readonly<Record<string, string | number | null | undefined>>): string {
  return text
    .replace(VAR_RE, (_m, name: string) => {
      const v = vars[name];
      return v === null || v === undefined ? '' : String(v);
    })
    .replace(/[ \t]+$/gm, '')
    .trim();
}

export function isTemplateKey(k: string): k is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(k);
}
