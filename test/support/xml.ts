// A tiny XML reader for the contract tests (no attributes, no CDATA: what GeoReport v2 answers use):
// elements → nested values by the Spark convention, so an XML answer can be compared with its JSON twin.

interface Node {
  name: string;
  children: Node[];
  text: string;
}

const decode = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

export function parseXml(xml: string): Node {
  const decl = /^\s*<\?xml version="1\.0" encoding="utf-8"\?>/i.exec(xml);
  if (!decl) throw new Error('missing XML declaration with UTF-8 encoding');
  const root: Node = { name: '#root', children: [], text: '' };
  const stack: Node[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)|(<[^>]*>)/g;
  re.lastIndex = decl[0].length;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    if (m[5]) throw new Error(`unexpected markup ${m[5]}`);
    if (m[4] !== undefined) {
      if (m[4].includes('&') && /&(?!(lt|gt|quot|apos|amp);)/.test(m[4])) throw new Error(`unescaped & in ${m[4]}`);
      stack[stack.length - 1]!.text += decode(m[4]);
      continue;
    }
    const [, close, name, selfClose] = m;
    if (close) {
      const top = stack.pop()!;
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
    } else {
      const n: Node = { name: name!, children: [], text: '' };
      stack[stack.length - 1]!.children.push(n);
      if (!selfClose) stack.push(n);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced XML');
  return root.children[0]!;
}

const LISTS: Record<string, string> = { services: 'service', service_requests: 'request', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format', errors: 'error' };

/** Element → value: a known list container → array, an element with children → object, else its text. */
export function xmlToValue(n: Node): unknown {
  const item = LISTS[n.name];
  if (item) {
    for (const c of n.children) if (c.name !== item) throw new Error(`<${n.name}> holds <${c.name}>, expected <${item}>`);
    return n.children.length === 0 ? '' : n.children.map(xmlToValue);
  }
  if (n.children.length === 0) return n.text.trim() === '' ? '' : n.text;
  const o: Record<string, unknown> = {};
  for (const c of n.children) {
    if (c.name in o) throw new Error(`repeated <${c.name}> in <${n.name}>`);
    o[c.name] = xmlToValue(c);
  }
  return o;
}

/** The JSON answer in the XML reader's terms: null and [] → '', numbers and booleans → text. */
export function jsonAsXmlValue(v: unknown): unknown {
  if (v === null || v === undefined || v === '') return '';
  if (Array.isArray(v)) return v.length === 0 ? '' : v.map(jsonAsXmlValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, jsonAsXmlValue(x)]));
  return String(v);
}
