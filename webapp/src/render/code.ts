/**
 * Code blocks: a bar with the language and a Copy button (clicks: `code-copy.ts`), then the
 * code, highlighted once its fence is closed. An open fence at the end of a streaming answer
 * stays plain, so it is not highlighted again on every frame.
 *
 * highlight.js is loaded on first use (`highlight.ts`, its own chunk, ~25 KB gzipped): until
 * it has, a closed block is rendered plain with the class `md-code-pending`, and
 * {@link upgradeCode} highlights such blocks on the page when the chunk arrives.
 */
import type { Tokens } from 'marked';
import { escapeHtml } from './escape';
import { sanitizeHtml } from './sanitize';

type Highlight = (code: string, lang: string) => string | null;

let highlight: Highlight | null = null;
let loading: Promise<void> | null = null;

/** Load highlight.js (once), then highlight the blocks on the page that waited for it. */
export function loadHighlighter(): Promise<void> {
  loading ??= import('./highlight').then(
    (module) => {
      highlight = module.highlightCode;
      if (typeof document !== 'undefined') upgradeCode(document.body);
    },
    () => {
      loading = null; // e.g. offline after a deploy: try again next time
    },
  );
  return loading;
}

/** Highlight the `code.md-code-pending` blocks under `root` (once highlight.js is loaded). */
export function upgradeCode(root: ParentNode): void {
  if (highlight === null) return;
  for (const code of Array.from(root.querySelectorAll('code.md-code-pending'))) {
    code.classList.remove('md-code-pending');
    const lang = /(?:^|\s)language-(\S+)/.exec(code.className)?.[1] ?? '';
    const html = highlight(code.textContent ?? '', lang);
    if (html !== null) code.innerHTML = sanitizeHtml(html);
  }
}

/** Label names for the registered languages and their usual aliases. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  bash: 'Bash', sh: 'Shell', zsh: 'Zsh', shell: 'Shell', console: 'Console', shellsession: 'Shell',
  csharp: 'C#', cs: 'C#', 'c#': 'C#', css: 'CSS', diff: 'Diff', patch: 'Diff', go: 'Go', golang: 'Go',
  java: 'Java', javascript: 'JavaScript', js: 'JavaScript', jsx: 'JSX', mjs: 'JavaScript', cjs: 'JavaScript',
  json: 'JSON', jsonc: 'JSON', markdown: 'Markdown', md: 'Markdown', python: 'Python', py: 'Python',
  sql: 'SQL', typescript: 'TypeScript', ts: 'TypeScript', tsx: 'TSX', xml: 'XML', html: 'HTML',
  xhtml: 'XHTML', svg: 'SVG', yaml: 'YAML', yml: 'YAML', text: 'Text', txt: 'Text', plaintext: 'Text',
};

/** Label for a code block: the language's name, or what the fence said. */
export function codeLabel(info: string): string {
  if (info === '') return 'Text';
  return DISPLAY_NAMES[info.toLowerCase()] ?? info.slice(0, 40);
}

/** A fence whose closing line has arrived (an open one at the end of a stream has not). */
export function isClosedFence(raw: string): boolean {
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
  if (open === null) return true; // indented code
  const lines = raw.trimEnd().split('\n');
  if (lines.length < 2) return false;
  const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(lines[lines.length - 1] ?? '');
  const fence = open[1] ?? '';
  const closing = close?.[1] ?? '';
  return closing[0] === fence[0] && closing.length >= fence.length;
}

const NO_HIGHLIGHT = new Set(['', 'text', 'txt', 'plaintext', 'plain']);

/** The HTML of a code token (before sanitising). */
export function renderCodeBlock(token: Tokens.Code): string {
  const info = token.codeBlockStyle === 'indented' ? '' : (/^\S*/.exec(token.lang ?? '')?.[0] ?? '');
  const code = `${token.text.replace(/\n$/, '')}\n`;
  const classes: string[] = info === '' ? [] : [`language-${info}`];
  let body: string | null = null;
  if (!NO_HIGHLIGHT.has(info.toLowerCase()) && isClosedFence(token.raw)) {
    if (highlight !== null) body = highlight(code, info);
    else {
      classes.push('md-code-pending');
      void loadHighlighter();
    }
  }
  body ??= token.escaped ? code : escapeHtml(code);
  const classAttr = classes.length === 0 ? '' : ` class="${escapeHtml(classes.join(' '))}"`;
  return (
    '<div class="md-code"><div class="md-code-bar">' +
    `<span class="md-code-lang">${escapeHtml(codeLabel(info))}</span>` +
    '<button type="button" class="md-code-copy" aria-label="Copy code">Copy</button></div>' +
    `<pre><code${classAttr}>${body}</code></pre></div>\n`
  );
}
