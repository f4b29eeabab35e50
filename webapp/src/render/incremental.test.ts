import { describe, expect, it } from 'vitest';
import { createStreamingMarkdown } from './incremental';
import { manualFrames } from './manual-frames.test-helper';
import { renderMarkdown } from './markdown';

function oneShot(source: string): string {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(source);
  return div.innerHTML;
}

const SAMPLES: Record<string, string> = {
  fixture: 'Hello, **Zoë**!\n\n| a | b |\n|---|---|\n| 1 | 2 |',
  mixed: [
    '# Title',
    '',
    'Some *intro* text with `code` and a [link](https://example.org).',
    'A second line of the same paragraph.',
    '',
    '- item one',
    '- item two',
    '  continued',
    '',
    '- loose item',
    '',
    '1. first',
    '2. second',
    '',
    '```python',
    'def f(x):',
    '',
    '    return x * 2',
    '```',
    '',
    '> a quote',
    '> over lines',
    '',
    'Setext heading',
    '==============',
    '',
    '| col | other |',
    '|:----|------:|',
    '| a   | b     |',
    '| c   | d     |',
    '',
    '---',
    '',
    '    indented code',
    '',
    'After <b>raw html</b> and <br> a break.',
    '',
    '<div>',
    'html block',
    '</div>',
    '',
    'Last paragraph.',
  ].join('\n'),
  crlf: 'First line\r\n\r\n- a\r\n- b\r\n\r\nEnd\r\n',
  'nested lists': '- a\n  - b\n    - c\n\n  more a\n- d\n\n3. x\n4. y\n',
  'code without close': 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n',
  'trailing spaces': 'line with two spaces  \nnext\n\n   \n\ntext',
  'table then text': '| a |\n|---|\n| 1 |\nlazy row?\n\nparagraph',
  'link definition late': 'See [the docs][d].\n\nMore text.\n\n[d]: https://example.org',
};

/** Feed `source` in pieces of `size` characters, rendering a frame after each. */
function streamIn(source: string, size: number): { html: string; lexed: number; fullRenders: number } {
  const container = document.createElement('div');
  const frames = manualFrames();
  const renderer = createStreamingMarkdown(container, frames);
  for (let end = size; end < source.length + size; end += size) {
    renderer.update(source.slice(0, Math.min(end, source.length)));
    frames.run();
  }
  renderer.flush();
  const html = container.innerHTML;
  renderer.finish(source);
  expect(container.innerHTML).toBe(oneShot(source));
  return { html, lexed: renderer.stats.lexedChars, fullRenders: renderer.stats.fullRenders };
}

describe('createStreamingMarkdown', () => {
  describe.each(Object.entries(SAMPLES))('%s', (name, source) => {
    it.each([1, 2, 3, 7, 16, 1000])('streamed in pieces of %i gives the one-shot HTML', (size) => {
      const { html } = streamIn(source, size);
      if (name !== 'link definition late') expect(html).toBe(oneShot(source));
    });
  });

  it('equals the one-shot render at every intermediate length', () => {
    const source = SAMPLES.mixed ?? '';
    const container = document.createElement('div');
    const frames = manualFrames();
    const renderer = createStreamingMarkdown(container, frames);
    for (let end = 1; end <= source.length; end += 1) {
      renderer.update(source.slice(0, end));
      renderer.flush();
      expect(container.innerHTML, `after ${end} characters`).toBe(oneShot(source.slice(0, end)));
    }
  });

  it('falls back to one full render when a link definition comes after its use', () => {
    const { fullRenders } = streamIn(SAMPLES['link definition late'] ?? '', 5);
    expect(fullRenders).toBe(1);
  });

  it('does not re-lex finished blocks', () => {
    const paragraphs = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} with some words in it.`).join('\n\n');
    const { lexed, fullRenders } = streamIn(paragraphs, 4);
    expect(fullRenders).toBe(0);
    // Re-lexing the whole answer per update would be ~ length² / 8 characters.
    expect(lexed).toBeLessThan(paragraphs.length * 20);
  });

  it('renders at most once per frame, however many updates arrive', () => {
    const container = document.createElement('div');
    const frames = manualFrames();
    const renderer = createStreamingMarkdown(container, frames);
    for (let i = 1; i <= 50; i += 1) renderer.update('word '.repeat(i));
    expect(frames.pending()).toBe(1);
    expect(container.innerHTML).toBe('');
    frames.run();
    expect(renderer.stats.renders).toBe(1);
    expect(container.textContent?.trim()).toBe('word '.repeat(50).trim());
  });

  it('starts over when the text is replaced rather than extended', () => {
    const container = document.createElement('div');
    const renderer = createStreamingMarkdown(container, manualFrames());
    renderer.update('First answer.\n\nMore.');
    renderer.flush();
    renderer.update('Another answer.');
    renderer.flush();
    expect(container.innerHTML).toBe(oneShot('Another answer.'));
    renderer.reset();
    expect(container.innerHTML).toBe('');
  });
});
