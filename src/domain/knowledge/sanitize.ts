// Rich text of knowledge articles, sanitised to a small allow-list before it is stored or shown.
//
// Articles are written by staff in an editor and read by the public on the submission page, so the
// HTML must not carry scripts, event handlers, styles, frames or links to anything but http(s)/mailto.
// A small tokenizer (not a full HTML5 parser) re-emits only allowed tags with allowed attributes,
// escapes every text run, balances tags, and drops the content of dangerous elements entirely.
// Because the output is rebuilt from tokens (never copied through), anything it does not understand
// becomes escaped text — the failure mode is ugly text, never live markup.

const ALLOWED: Record<string, readonly string[]> = {
  p: [],
  br: [],
  hr: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  sub: [],
  sup: [],
  code: [],
  pre: [],
  blockquote: [],
  h2: [],
  h3: [],
  h4: [],
  ul: [],
  ol: [],
  li: [],
  a: ['href', 'title'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  span: [],
};
const VOID = new Set(['br', 'hr']);
/** Elements whose content is dropped with them (not merely unwrapped). */
const DROP_CONTENT = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'svg', 'math', 'textarea', 'select', 'title', 'head', 'frameset', 'frame', 'applet', 'xmp', 'noembed', 'noframes']);
const BLOCK = new Set(['p', 'br', 'hr', 'pre', 'blockquote', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'table', 'tr', 'div', 'section', 'article', 'h1', 'h5', 'h6']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', middot: '·', hellip: '…', mdash: '—', ndash: '–', times: '×', copy: '©', yen: '¥' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(cp);
    }
    return NAMED[body.toLowerCase()] ?? m;
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function safeHref(raw: string): string | null {
  // Entity-decoded, whitespace and control characters removed: "jav&#x09;ascript:" is still javascript.
  const v = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (/^(https?:\/\/|mailto:)/i.test(v)) return v;
  if (/^[a-z][a-z0-9+.-]*:/i.test(v)) return null; // any other scheme
  if (v.startsWith('//')) return null; // protocol-relative
  if (/^[/#?]/.test(v) || /^[\w.-]+(\/|$)/.test(v)) return v; // relative link inside the site
  return null;
}

interface Attr {
  name: string;
  value: string;
}

function parseAttrs(src: string): Attr[] {
  const out: Attr[] = [];
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) out.push({ name: m[1]!.toLowerCase(), value: m[2] ?? m[3] ?? m[4] ?? '' });
  return out;
}

export interface SanitizeResult {
  html: string;
  /** Plain text with block boundaries as newlines (for search, citations and SMS-sized summaries). */
  text: string;
}

/** Sanitises `input` to the allow-list; returns the safe HTML and its plain text. */
export function sanitizeHtml(input: string): SanitizeResult {
  const src = (input ?? '').replace(CONTROL, '');
  let html = '';
  let text = '';
  const stack: string[] = [];
  let dropDepth = 0;
  let dropTag = '';
  const tagRe = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[^>]*>?|<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let last = 0;
  const emitText = (raw: string) => {
    if (dropDepth > 0 || !raw) return;
    const t = decodeEntities(raw);
    html += escapeHtml(t);
    text += t;
  };
  const newline = () => {
    if (text && !text.endsWith('\n')) text += '\n';
  };
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(src))) {
    emitText(src.slice(last, m.index));
    last = tagRe.lastIndex;
    const name = m[1]?.toLowerCase();
    if (!name) continue; // comment, doctype, CDATA, processing instruction: dropped
    const closing = m[0][1] === '/';
    if (dropDepth > 0) {
      if (name === dropTag) dropDepth += closing ? -1 : m[0].endsWith('/>') ? 0 : 1;
      continue;
    }
    if (DROP_CONTENT.has(name)) {
      if (!closing && !m[0].endsWith('/>')) {
        dropDepth = 1;
        dropTag = name;
      }
      continue;
    }
    if (BLOCK.has(name)) newline();
    const allowed = ALLOWED[name];
    if (!allowed) continue; // unknown tag: unwrapped, its text kept
    if (closing) {
      if (VOID.has(name)) continue;
      const at = stack.lastIndexOf(name);
      if (at < 0) continue; // stray closing tag
      while (stack.length > at) html += `</${stack.pop()}>`;
      continue;
    }
    let attrs = '';
    for (const a of parseAttrs(m[2] ?? '')) {
      if (!allowed.includes(a.name)) continue;
      if (a.name === 'href') {
        const href = safeHref(a.value);
        if (href === null) continue;
        attrs += ` href="${escapeHtml(href)}"`;
      } else if (a.name === 'colspan' || a.name === 'rowspan') {
        const n = Number.parseInt(a.value, 10);
        if (Number.isInteger(n) && n >= 1 && n <= 50) attrs += ` ${a.name}="${n}"`;
      } else {
        attrs += ` ${a.name}="${escapeHtml(decodeEntities(a.value).replace(CONTROL, '').slice(0, 200))}"`;
      }
    }
    if (name === 'a') attrs += ' rel="noopener noreferrer nofollow"';
    if (VOID.has(name)) {
      html += `<${name}${attrs}>`;
      continue;
    }
    html += `<${name}${attrs}>`;
    stack.push(name);
  }
  emitText(src.slice(last));
  while (stack.length) html += `</${stack.pop()}>`;
  const plain = text
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { html, text: plain };
}

/** Plain text (what a citizen typed, an SMS) turned into paragraphs of safe HTML. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}|\r\n\r\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
