import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighlighter } from './code';
import { renderMarkdown } from './markdown';
import { loadMath } from './math';
import { sanitizeHtml } from './sanitize';

function dom(html: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

beforeAll(async () => {
  await Promise.all([loadHighlighter(), loadMath()]);
});

/** Nothing in `root` could run script or fetch anything. */
function expectInert(root: Element): void {
  expect(root.querySelectorAll('script, iframe, object, embed, img, style, form, svg, link, meta')).toHaveLength(0);
  // Buttons only as the code blocks' Copy buttons; MathML never links.
  for (const button of root.querySelectorAll('button')) {
    expect(button.className).toBe('md-code-copy');
    expect(button.getAttribute('type')).toBe('button');
  }
  for (const element of root.querySelectorAll('[href]')) expect(element.tagName).toBe('A');
  for (const element of root.querySelectorAll('*')) {
    for (const attribute of Array.from(element.attributes)) {
      expect(attribute.name, `${element.tagName} ${attribute.name}`).not.toMatch(/^on|^style$|^src|^srcset$|^formaction$/i);
      expect(attribute.value, `${element.tagName} ${attribute.name}`).not.toMatch(/^\s*(javascript|vbscript|data):/i);
    }
  }
}

describe('renderMarkdown: XSS payloads are inert', () => {
  const payloads: Record<string, string> = {
    'img onerror': '<img src=x onerror=alert(1)>',
    'inline img onerror': 'Hello <img src=x onerror=alert(1)> world',
    script: '<script>alert(1)</script>',
    'inline script': 'text <script>alert(1)</script> text',
    'markdown javascript link': '[x](javascript:alert(1))',
    'markdown javascript link, encoded': '[x](jav&#x09;ascript:alert(1))',
    'markdown javascript link, upper case': '[x](JAVASCRIPT:alert(1))',
    'html javascript link': '<a href="javascript:alert(1)">x</a>',
    'inline html javascript link': 'see <a href="javascript:alert(1)">x</a>',
    iframe: '<iframe src="https://evil.example"></iframe>',
    'remote image markdown': '![tracking pixel](https://evil.example/p.png)',
    'data image markdown': '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
    'svg onload': '<svg onload=alert(1)>',
    'style block': '<style>body{display:none}</style>',
    'style attribute': '<p style="position:fixed">x</p>',
    'data link': '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    'vbscript link': '[x](vbscript:msgbox)',
    'autolink javascript': '<javascript:alert(1)>',
    'reference javascript link': '[x][a]\n\n[a]: javascript:alert(1)',
    'form': '<form action="https://evil.example"><button>go</button></form>',
    'html in table': '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
    'html in code': '`<img src=x onerror=alert(1)>`',
    'script in a code block': '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
    'script in a python block': '```python\nprint("<script>alert(1)</script>")\n```',
    'html in math': '$<img src=x onerror=alert(1)>$ and $$<script>alert(1)</script>$$',
    'katex href': '$\\href{javascript:alert(1)}{x}$',
    'katex url': '$\\url{javascript:alert(1)}$',
    'katex html extension': '$\\htmlClass{x}{y} \\htmlData{onclick=alert(1)}{z}$',
    'raw mathml': '<math href="javascript:alert(1)"><mi onclick="alert(1)">x</mi></math>',
    'raw button': '<button onclick="alert(1)">x</button>',
  };

  it.each(Object.entries(payloads))('%s', (_name, source) => {
    expectInert(dom(renderMarkdown(source)));
  });

  it('shows raw HTML as text rather than dropping it', () => {
    const root = dom(renderMarkdown('<img src=x onerror=alert(1)>'));
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(dom(renderMarkdown('<script>alert(1)</script>')).textContent).toContain('<script>alert(1)</script>');
  });

  it('removes javascript: hrefs but keeps the link text', () => {
    const root = dom(renderMarkdown('[click me](javascript:alert(1))'));
    expect(root.textContent).toContain('click me');
    expect(root.querySelector('a[href]')).toBeNull();
  });

  it('never loads a remote image; it becomes a link', () => {
    const root = dom(renderMarkdown('![a cat](https://example.org/cat.png "Cat")'));
    expect(root.querySelector('img')).toBeNull();
    const link = root.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.org/cat.png');
    expect(link?.textContent).toBe('Image: a cat');
  });
});

describe('renderMarkdown: what Markdown should do', () => {
  it('opens links in a new tab without opener or referrer', () => {
    const link = dom(renderMarkdown('[docs](https://learn.microsoft.com)')).querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://learn.microsoft.com');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('renders GFM tables inside a focusable scroll wrapper', () => {
    const root = dom(renderMarkdown('| a | b |\n|---|:-:|\n| 1 | 2 |'));
    const wrapper = root.querySelector('div.md-table-scroll');
    expect(wrapper?.getAttribute('tabindex')).toBe('0');
    expect(wrapper?.querySelectorAll('th')).toHaveLength(2);
    expect(wrapper?.querySelectorAll('td')).toHaveLength(2);
  });

  it('renders fenced code with its language class and escapes the code', () => {
    const root = dom(renderMarkdown('```html\n<b onclick="x()">hi</b>\n```'));
    const code = root.querySelector('pre > code');
    expect(code?.className).toBe('language-html');
    expect(code?.textContent).toBe('<b onclick="x()">hi</b>\n');
    expect(root.querySelector('b')).toBeNull();
  });

  it('shifts headings below the page and message headings', () => {
    const root = dom(renderMarkdown('# One\n\n## Two\n\n###### Six'));
    expect(Array.from(root.children, (child) => child.tagName)).toEqual(['H3', 'H4', 'H6']);
  });

  it('keeps a bare <br> (common in tables) and task list check boxes, disabled', () => {
    expect(dom(renderMarkdown('a<br>b')).querySelector('br')).not.toBeNull();
    const box = dom(renderMarkdown('- [x] done')).querySelector('input');
    expect(box?.getAttribute('type')).toBe('checkbox');
    expect(box?.hasAttribute('disabled')).toBe(true);
  });

  it('keeps strikethrough, emphasis and lists', () => {
    const root = dom(renderMarkdown('~~old~~ **bold** _em_\n\n1. a\n2. b'));
    expect(root.querySelector('del')?.textContent).toBe('old');
    expect(root.querySelector('strong')?.textContent).toBe('bold');
    expect(root.querySelectorAll('ol > li')).toHaveLength(2);
  });
});

describe('sanitizeHtml', () => {
  it('drops classes the renderer does not emit', () => {
    expect(sanitizeHtml('<code class="language-js evil">x</code>')).toBe('<code class="language-js">x</code>');
    expect(sanitizeHtml('<p class="evil">x</p>')).toBe('<p>x</p>');
  });

  it('removes non-checkbox inputs', () => {
    expect(sanitizeHtml('<input type="text" value="x">')).toBe('');
  });
});

describe('links', () => {
  it('keeps only http(s) and mailto links', () => {
    const root = dom(
      renderMarkdown('[a](https://a.example) [b](http://b.example) [c](mailto:c@example.org) [d](/relative) [e](ftp://x) [f](#frag)'),
    );
    expect(Array.from(root.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))).toEqual([
      'https://a.example',
      'http://b.example',
      'mailto:c@example.org',
    ]);
    for (const anchor of root.querySelectorAll('a:not([href])')) {
      expect(anchor.hasAttribute('target')).toBe(false);
    }
  });

  it('keeps table alignment and ordered list start', () => {
    const root = dom(renderMarkdown('| a |\n|:-:|\n| 1 |\n\n3. x\n4. y'));
    expect(root.querySelector('th')?.getAttribute('align')).toBe('center');
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
  });
});
