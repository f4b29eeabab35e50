/**
 * Markdown to safe HTML. Model output is untrusted: raw HTML in it is shown as text (except
 * a bare `<br>`), images become links (no remote image is ever loaded), headings start at
 * `<h3>` (the page has `<h1>`, each message `<h2>`), and the result always goes through
 * {@link sanitizeHtml}.
 *
 * Code blocks are highlighted (`highlight.ts`) and get a language label and a Copy button;
 * maths (`math.ts`) becomes MathML through KaTeX, loaded on first use. More can plug in
 * through {@link registerMarkdownPlugin} (a marked extension plus an `enhance` step run once
 * on each finished block). Anything a plugin emits must also be allowed in `sanitize.ts`.
 */
import { Marked, Renderer, type MarkedExtension, type Token, type TokensList, type Tokens } from 'marked';
import { escapeHtml, escapeHtmlKeepEntities } from './escape';
import { renderCodeBlock } from './code';
import { mathExtension } from './math';
import { sanitizeHtml } from './sanitize';
import './code.css';

export interface MarkdownPlugin {
  readonly extension?: MarkedExtension;
  /** Runs on the DOM of a finished block (never on the open one while it streams). */
  readonly enhance?: (block: Element) => void;
}

const BARE_BR = /^<br\s*\/?>$/i;
const HEADING_OFFSET = 2;

function createMarked(): Marked {
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        if ('block' in token && token.block === false && BARE_BR.test(token.text.trim())) return '<br>';
        const text = escapeHtml(token.text);
        return 'block' in token && token.block ? `<p>${text.trim()}</p>\n` : text;
      },
      heading({ tokens, depth }: Tokens.Heading): string {
        const level = Math.min(depth + HEADING_OFFSET, 6);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
      image({ href, title, text, tokens }: Tokens.Image): string {
        const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
        const label = `Image: ${alt.trim() === '' ? 'untitled' : escapeHtmlKeepEntities(alt)}`;
        if (!/^https?:\/\//i.test(href)) return `<span class="md-image">${label}</span>`;
        const titleAttr = title ? ` title="${escapeHtmlKeepEntities(title)}"` : '';
        return `<a class="md-image" href="${escapeHtml(href)}"${titleAttr}>${label}</a>`;
      },
      code(token: Tokens.Code): string {
        return renderCodeBlock(token);
      },
      table(token: Tokens.Table): string {
        return `<div class="md-table-scroll">${Renderer.prototype.table.call(this, token)}</div>\n`;
      },
    },
  });
  marked.use(mathExtension);
  return marked;
}

let marked = createMarked();
const enhancers: Array<(block: Element) => void> = [];

export function registerMarkdownPlugin(plugin: MarkdownPlugin): void {
  if (plugin.extension) marked.use(plugin.extension);
  if (plugin.enhance) enhancers.push(plugin.enhance);
}

/** For tests: forget registered plugins. */
export function resetMarkdownPlugins(): void {
  marked = createMarked();
  enhancers.length = 0;
}

/** Block tokens of `source` (CRLF already normalised by the lexer). */
export function lexMarkdown(source: string): TokensList | Token[] {
  let tokens: TokensList;
  try {
    tokens = marked.lexer(source);
  } catch {
    // Never expected; keep the answer readable rather than losing it.
    return [{ type: 'paragraph', raw: source, text: source, tokens: [{ type: 'text', raw: source, text: escapeHtml(source), escaped: true }] }];
  }
  const walk = marked.defaults.walkTokens;
  if (walk) marked.walkTokens(tokens, walk);
  return tokens;
}

/** Safe HTML of some block tokens. If marked itself fails, the source is shown as text. */
export function renderTokens(tokens: Token[]): string {
  let html: string;
  try {
    html = marked.parser(tokens);
  } catch {
    html = `<p>${escapeHtml(tokens.map((token) => token.raw).join(''))}</p>`;
  }
  return sanitizeHtml(html);
}

/** Safe HTML of a whole Markdown document, in one go. */
export function renderMarkdown(source: string): string {
  return renderTokens(lexMarkdown(source));
}

/** Apply the plugins' `enhance` steps to the nodes of a finished block. */
export function enhanceBlock(nodes: readonly Node[]): void {
  if (enhancers.length === 0) return;
  for (const node of nodes) {
    if (node instanceof Element) for (const enhance of enhancers) enhance(node);
  }
}
