import { describe, expect, it } from 'vitest';
import { loadHighlighter } from './code';
import { renderMarkdown } from './markdown';
import { loadMath, mathLoaded } from './math';

// A file of its own: highlight.js and KaTeX are not loaded yet when it starts.
describe('before highlight.js and KaTeX have loaded', () => {
  it('shows placeholders, then upgrades them on the page', async () => {
    expect(mathLoaded()).toBe(false);
    const container = document.createElement('div');
    container.innerHTML = renderMarkdown('Inline $x^2$.\n\n$$\\frac{1}{2}$$\n\n```python\nx = 1\n```');
    document.body.appendChild(container);
    expect(container.querySelector('math')).toBeNull();
    expect(container.querySelectorAll('.md-math-pending')).toHaveLength(2);
    expect(container.querySelector('code.md-code-pending')?.textContent).toBe('x = 1\n');

    await Promise.all([loadMath(), loadHighlighter()]);
    expect(container.querySelectorAll('.md-math-pending')).toHaveLength(0);
    expect(container.querySelectorAll('math')).toHaveLength(2);
    expect(container.querySelector('.md-math-block math')?.getAttribute('display')).toBe('block');
    const code = container.querySelector('pre code');
    expect(code?.className).toBe('language-python');
    expect(code?.querySelector('.hljs-number')?.textContent).toBe('1');
    expect(code?.textContent).toBe('x = 1\n');
    // Once loaded, a render is complete at once.
    expect(renderMarkdown('$y$')).toContain('<math');
    container.remove();
  });
});
