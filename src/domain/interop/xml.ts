// A small XML serializer for the GeoReport v2 answers (no dependency): the Spark convention that the
// spec's JSON follows — an array becomes a container element whose items repeat a singular element
// name (services → service, service_requests → request …), null an empty element, booleans and
// numbers their text. Text is escaped, and characters XML 1.0 cannot carry are dropped.

export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

/** Container element → the name of its repeated item (GeoReport v2 and its service discovery). */
export const OPEN311_ITEM_NAMES: Readonly<Record<string, string>> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
};

// Allowed in XML 1.0: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(s: string): string {
  return s.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: XmlValue, itemNames: Readonly<Record<string, string>>, out: string[]): void {
  if (!NAME_RE.test(name)) throw new Error(`invalid XML element name ${JSON.stringify(name)}`);
  if (value === null || value === undefined || value === '') {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`no item element name for the list ${name}`);
    if (value.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const v of value) element(item, v, itemNames, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, itemNames, out);
    out.push(`</${name}>`);
    return;
  }
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  out.push(`<${name}>${escapeXml(text)}</${name}>`);
}

/** A whole document: the XML declaration (UTF-8, as the spec requires) and one root element. */
export function toXml(root: string, value: XmlValue, itemNames: Readonly<Record<string, string>> = OPEN311_ITEM_NAMES): string {
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  element(root, value, itemNames, out);
  out.push('\n');
  return out.join('');
}
