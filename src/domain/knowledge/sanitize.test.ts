import { describe, expect, it } from 'vitest';
import { sanitizeHtml } from './sanitize.ts';

const clean = (s: string) => sanitizeHtml(s).html;

describe('sanitizeHtml', () => {
  it('keeps the allowed subset and its text', () => {
    const r = sanitizeHtml('<h3>标题</h3><p>第一段<strong>重点</strong>,<em>强调</em></p><ol><li>一</li><li>二</li></ol>');
    expect(r.html).toBe('<h3>标题</h3><p>第一段<strong>重点</strong>,<em>强调</em></p><ol><li>一</li><li>二</li></ol>');
    expect(r.text).toBe('标题\n第一段重点,强调\n一\n二');
  });

  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<p onclick="x()" style="color:red">ok</p>', '<p>ok</p>'],
    ['<img src=x onerror=alert(1)>ok', 'ok'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href=" JAVASCRIPT:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="data:text/html,<script>">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="//evil.example/">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<svg><script>alert(1)</script></svg>after', 'after'],
    ['<iframe src="https://evil"></iframe>ok', 'ok'],
    ['<style>p{}</style><p>ok</p>', '<p>ok</p>'],
    ['<!-- <script>alert(1)</script> -->ok', 'ok'],
    ['<p>a<b>b</p>c', '<p>a<b>b</b></p>c'],
    ['</p></div>stray', 'stray'],
    ['1 < 2 && 3 > 2', '1 &lt; 2 &amp;&amp; 3 &gt; 2'],
    ['<p title="x" data-x="y">t</p>', '<p>t</p>'],
    ['<td colspan="2" onmouseover="x">c</td>', '<td colspan="2">c</td>'],
    ['<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)'],
    ['<p>&lt;script&gt;</p>', '<p>&lt;script&gt;</p>'],
    ['<a href="https://www.12348.gov.cn/" target="_blank">12348</a>', '<a href="https://www.12348.gov.cn/" rel="noopener noreferrer nofollow">12348</a>'],
  ])('%s → %s', (input, out) => {
    expect(clean(input)).toBe(out);
  });

  it('is idempotent', () => {
    const once = clean('<p>a &amp; b "q" \'s\'<a href="https://x.cn/?a=1&b=2">l</a></p><script>x</script>');
    expect(clean(once)).toBe(once);
  });

  it('never lets a tag or event handler through, whatever the input', () => {
    const nasty = ['<', '>', '"', "'", '=', 'script', 'onerror', 'javascript:', '<img', '</', '<!--', '-->', '<svg', ' ', 'a', '&#60;', '&lt;'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let i = 0; i < 20; i++) s += nasty[Math.floor(rand() * nasty.length)];
      const out = clean(s);
      expect(out).not.toMatch(/<(?!\/?(p|br|hr|strong|b|em|i|u|s|sub|sup|code|pre|blockquote|h2|h3|h4|ul|ol|li|a|table|thead|tbody|tr|th|td|span)[ >])/);
      expect(out).not.toMatch(/<[^>]*\son\w+=/i);
      expect(out).not.toMatch(/href="\s*javascript/i);
    }
  });
});
