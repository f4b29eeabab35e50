/**
 * Maths in answers: inline `$…$` / `\(…\)`, display `$$…$$` / `\[…\]` (a block of its own or
 * inside a paragraph), rendered by KaTeX to MathML. KaTeX is ~70 KB gzipped, so it is its own
 * chunk (`katex.ts`), imported the first time an answer contains maths; until it has loaded,
 * the TeX shows as a placeholder that {@link upgradeMath} replaces on every page element.
 *
 * A lone price is not maths: `$` must not be followed by a space, the closing `$` must not
 * follow a space nor be followed by a digit, and inline `$…$` stays on one line
 * (`$5 and $10` is text). Invalid TeX shows its source as code; nothing here throws.
 */
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from './escape';
import { sanitizeHtml } from './sanitize';

type RenderTex = (tex: string, display: boolean) => string;

let renderTex: RenderTex | null = null;
let loading: Promise<void> | null = null;

/** Load KaTeX (once). Resolves when maths renders synchronously; upgrades placeholders. */
export function loadMath(): Promise<void> {
  loading ??= import('./katex').then(
    (module) => {
      renderTex = module.renderTex;
      if (typeof document !== 'undefined') upgradeMath(document.body);
    },
    () => {
      loading = null; // e.g. offline after a deploy: try again next time
    },
  );
  return loading;
}

export function mathLoaded(): boolean {
  return renderTex !== null;
}

function errorHtml(source: string): string {
  return `<code class="md-math-error">${escapeHtml(source)}</code>`;
}

/** MathML (unsanitised: it goes through DOMPurify with the rest) or a fallback. */
export function mathHtml(tex: string, display: boolean, source: string): string {
  if (renderTex === null) {
    void loadMath();
    return `<span class="md-math-pending ${display ? 'md-math-display' : 'md-math-inline'}">${escapeHtml(tex)}</span>`;
  }
  try {
    return renderTex(tex, display);
  } catch {
    return errorHtml(source);
  }
}

/** Replace the placeholders under `root` with MathML (once KaTeX has loaded). */
export function upgradeMath(root: ParentNode): void {
  if (renderTex === null) return;
  for (const pending of Array.from(root.querySelectorAll('.md-math-pending'))) {
    const display = pending.classList.contains('md-math-display');
    const tex = pending.textContent ?? '';
    const source = display ? `$$${tex}$$` : `$${tex}$`;
    const template = document.createElement('template');
    template.innerHTML = sanitizeHtml(mathHtml(tex, display, source));
    pending.replaceWith(template.content);
  }
}

interface MathToken extends Tokens.Generic {
  type: 'mathBlock' | 'mathInline';
  raw: string;
  text: string;
  display: boolean;
}

const BLOCK_PATTERNS: readonly RegExp[] = [
  // No blank line inside: streaming cuts blocks at blank lines.
  /^ {0,3}\$\$((?:(?!\n[ \t]*\n)[^$])+?)\$\$[ \t]*(?:\n+|$)/,
  /^ {0,3}\\\[((?:(?!\n[ \t]*\n)[\s\S])+?)\\\][ \t]*(?:\n+|$)/,
];

const INLINE_PATTERNS: ReadonlyArray<{ pattern: RegExp; display: boolean }> = [
  { pattern: /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/, display: true },
  { pattern: /^\\\[((?:(?!\n[ \t]*\n)[\s\S])+?)\\\]/, display: true },
  { pattern: /^\\\(((?:(?!\n[ \t]*\n)[\s\S])+?)\\\)/, display: false },
  { pattern: /^\$(?![\s$])((?:\\[^\n]|[^\\$\n])+?)(?<![\s\\])\$(?!\d)/, display: false },
];

export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      start(src: string): number | undefined {
        // Only at the start of a line, so `a $$x$$ b` stays one paragraph.
        const match = /\n {0,3}(?:\$\$|\\\[)/.exec(src);
        return match === null ? undefined : match.index + 1;
      },
      tokenizer(src: string): MathToken | undefined {
        for (const pattern of BLOCK_PATTERNS) {
          const match = pattern.exec(src);
          if (match !== null && (match[1] ?? '').trim() !== '') {
            return { type: 'mathBlock', raw: match[0], text: (match[1] ?? '').trim(), display: true };
          }
        }
        return undefined;
      },
      renderer(token: Tokens.Generic): string {
        const math = token as MathToken;
        return `<div class="md-math-block">${mathHtml(math.text, true, math.raw.trim())}</div>\n`;
      },
    },
    {
      name: 'mathInline',
      level: 'inline',
      start(src: string): number | undefined {
        const index = src.search(/\$|\\[([]/);
        return index < 0 ? undefined : index;
      },
      tokenizer(src: string): MathToken | undefined {
        for (const { pattern, display } of INLINE_PATTERNS) {
          const match = pattern.exec(src);
          if (match !== null && (match[1] ?? '').trim() !== '') {
            return { type: 'mathInline', raw: match[0], text: (match[1] ?? '').trim(), display };
          }
        }
        return undefined;
      },
      renderer(token: Tokens.Generic): string {
        const math = token as MathToken;
        return mathHtml(math.text, math.display, math.raw);
      },
    },
  ],
};
