import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleCodeCopy } from './code-copy';
import { loadHighlighter } from './code';
import { createStreamingMarkdown } from './incremental';
import { manualFrames } from './manual-frames.test-helper';
import { renderMarkdown } from './markdown';
import { loadMath } from './math';
import { sanitizeHtml } from './sanitize';

beforeAll(async () => {
  await Promise.all([loadHighlighter(), loadMath()]);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function dom(html: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

const manual = manualFrames;

describe('code blocks', () => {
  it('highlights a closed fence and labels its language', () => {
    const root = dom(renderMarkdown('```python\ndef f(x):\n    return "hi"  # note\n```'));
    const code = root.querySelector('.md-code pre > code');
    expect(code?.className).toBe('language-python');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code?.querySelector('.hljs-string')?.textContent).toBe('"hi"');
    expect(code?.textContent).toBe('def f(x):\n    return "hi"  # note\n');
    expect(root.querySelector('.md-code-lang')?.textContent).toBe('Python');
  });

  it('knows aliases (ts, sh, yml, cs, html)', () => {
    for (const [lang, label] of [['ts', 'TypeScript'], ['sh', 'Shell'], ['yml', 'YAML'], ['cs', 'C#'], ['html', 'HTML']] as const) {
      const root = dom(renderMarkdown(`\`\`\`${lang}\nx = 1\n\`\`\``));
      expect(root.querySelector('.md-code-lang')?.textContent).toBe(label);
    }
    const ts = dom(renderMarkdown('```ts\nclass A { f(): void {} }\n```'));
    expect(ts.querySelector('.hljs-keyword')?.textContent).toBe('class');
    expect(ts.querySelector('.hljs-built_in')?.textContent).toBe('void');
    expect(ts.querySelector('.hljs-title.function_')?.textContent).toBe('f');
  });

  it('leaves an unknown language plain, with its name as the label', () => {
    const root = dom(renderMarkdown('```brainfuck\n+[-->-[>>+>-----<<]<--<---]>-.\n```'));
    const code = root.querySelector('pre > code');
    expect(code?.className).toBe('language-brainfuck');
    expect(code?.children).toHaveLength(0);
    expect(code?.textContent).toBe('+[-->-[>>+>-----<<]<--<---]>-.\n');
    expect(root.querySelector('.md-code-lang')?.textContent).toBe('brainfuck');
  });

  it('leaves an open fence (still streaming) plain', () => {
    const root = dom(renderMarkdown('```python\ndef f(x):\n'));
    expect(root.querySelector('pre > code')?.children).toHaveLength(0);
    expect(root.querySelector('.md-code-lang')?.textContent).toBe('Python');
  });

  it('gives each block a Copy button named "Copy code"', () => {
    const root = dom(renderMarkdown('```js\na()\n```\n\ntext\n\n    indented'));
    const buttons = root.querySelectorAll('button');
    expect(buttons).toHaveLength(2);
    for (const button of buttons) {
      expect(button.getAttribute('aria-label')).toBe('Copy code');
      expect(button.getAttribute('type')).toBe('button');
      expect(button.textContent).toBe('Copy');
    }
  });

  it('keeps a <script> in a code block as text', () => {
    const root = dom(renderMarkdown('```html\n<script>alert(1)</script>\n```'));
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script>\n');
  });

  it('copies the code, says "Copied" for two seconds, and says so when there is no clipboard', async () => {
    vi.useFakeTimers();
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    const container = dom(renderMarkdown('```js\nconst a = 1;\n```'));
    handleCodeCopy(container);
    const button = container.querySelector<HTMLButtonElement>('button.md-code-copy');
    button?.click();
    await vi.waitFor(() => expect(button?.textContent).toBe('Copied'));
    expect(writeText).toHaveBeenCalledWith('const a = 1;');
    vi.advanceTimersByTime(2000);
    expect(button?.textContent).toBe('Copy');
    expect(button?.getAttribute('aria-label')).toBe('Copy code');

    vi.stubGlobal('navigator', {});
    button?.click();
    await vi.waitFor(() => expect(button?.textContent).toBe('Copy failed'));
    expect(button?.title).toMatch(/select the text/);
  });
});

describe('math', () => {
  it('renders inline $…$ and \\(…\\) to <math>', () => {
    for (const source of ['Euler: $e^{i\\pi} + 1 = 0$.', 'Euler: \\(e^{i\\pi} + 1 = 0\\).']) {
      const root = dom(renderMarkdown(source));
      const math = root.querySelector('p > span > math, p > math');
      expect(math, source).not.toBeNull();
      expect(math?.getAttribute('display')).toBeNull();
      expect(math?.querySelector('mi')?.textContent).toBe('e');
      expect(root.querySelector('annotation, semantics')).toBeNull();
    }
  });

  it('renders block $$…$$ and \\[…\\] to display <math>', () => {
    for (const source of ['Before.\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n\nAfter.', 'Before.\n\n\\[\\sum_{n=1}^\\infty \\frac{1}{n^2}\\]\n\nAfter.']) {
      const root = dom(renderMarkdown(source));
      const math = root.querySelector('div.md-math-block math');
      expect(math, source).not.toBeNull();
      expect(math?.getAttribute('display')).toBe('block');
      expect(root.querySelector('mfrac')).not.toBeNull();
      expect(root.querySelectorAll('p')).toHaveLength(2);
    }
  });

  it('leaves prices alone', () => {
    for (const source of ['It costs $5 and $10.', 'Between $5 and $10', '$ 5 $', 'Pay $5, get $2$3 back', 'a $x $ b']) {
      const root = dom(renderMarkdown(source));
      expect(root.querySelector('math'), source).toBeNull();
      expect(root.textContent?.trim(), source).toBe(source);
    }
  });

  it('does not treat $ in code as math', () => {
    expect(dom(renderMarkdown('`$x$` and\n\n```sh\necho $HOME$x\n```')).querySelector('math')).toBeNull();
  });

  it('shows invalid TeX as code instead of throwing', () => {
    let html = '';
    expect(() => {
      html = renderMarkdown('Bad: $\\frac{1}{$ and $$\\begin{matrix} x$$ end.');
    }).not.toThrow();
    const root = dom(html);
    expect(root.querySelector('math')).toBeNull();
    expect(Array.from(root.querySelectorAll('code.md-math-error'), (code) => code.textContent)).toEqual([
      '$\\frac{1}{$',
      '$$\\begin{matrix} x$$',
    ]);
  });

  it('sanitises MathML: no links, no handlers, no styles', () => {
    const html = sanitizeHtml(
      '<math href="javascript:alert(1)" onclick="alert(1)" style="color:red"><mi xlink:href="javascript:alert(2)" onmouseover="x()">x</mi>' +
        '<mtext><a href="javascript:alert(3)">y</a></mtext><maction actiontype="statusline"><mi>z</mi></maction>' +
        '<annotation-xml encoding="text/html"><img src=x onerror=alert(4)></annotation-xml></math>',
    );
    const root = dom(html);
    expect(root.querySelector('math')).not.toBeNull();
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of Array.from(element.attributes)) {
        expect(attribute.name).not.toMatch(/^on|href|style/i);
        expect(attribute.value).not.toMatch(/javascript:/i);
      }
    }
    expect(root.querySelector('img, a[href], maction, annotation-xml')).toBeNull();
  });

  it('keeps \\href from TeX inert', () => {
    const root = dom(renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\href{https://example.org}{y}$'));
    expect(root.querySelector('[href]')).toBeNull();
  });
});

describe('streaming with code and math', () => {
  const SOURCES = {
    code: 'Intro with $a^2 + b^2 = c^2$.\n\n```ts\nconst x: number = 1;\n\nfunction f() {\n  return `$x`;\n}\n```\n\nThen $$\\frac{a}{b}$$ inline.\n\n$$\n\\sum_i x_i\n$$\n\n\\[x\\]\n\nEnd costs $5 and $10.',
    'open math': 'Text\n$$\nx^2',
    'fence in list': '- item\n\n  ```py\n  print(1)\n  ```\n- next $y$',
  };

  it.each(Object.entries(SOURCES))('%s: every intermediate render equals the one-shot render', (_name, source) => {
    const container = document.createElement('div');
    const frames = manual();
    const renderer = createStreamingMarkdown(container, frames);
    for (let end = 1; end <= source.length; end += 1) {
      renderer.update(source.slice(0, end));
      frames.run();
      expect(container.innerHTML, `after ${end} characters`).toBe(dom(renderMarkdown(source.slice(0, end))).innerHTML);
    }
    renderer.finish(source);
    expect(container.innerHTML).toBe(dom(renderMarkdown(source)).innerHTML);
    expect(renderer.stats.fullRenders).toBe(0);
  });
});
