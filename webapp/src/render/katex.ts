/**
 * TeX to MathML with KaTeX. Imported dynamically by `math.ts` (its own chunk, loaded only
 * when an answer contains maths). MathML needs no KaTeX CSS and no inline styles, which the
 * CSP (`style-src 'self'`) would block.
 */
import katex from 'katex';

/** MathML of `tex`; throws on invalid TeX. The TeX annotation is dropped (DOMPurify would). */
export function renderTex(tex: string, display: boolean): string {
  const html = katex.renderToString(tex, {
    displayMode: display,
    output: 'mathml',
    throwOnError: true,
    trust: false,
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 500,
  });
  return html
    .replace(/<annotation\b[^>]*>[\s\S]*?<\/annotation>/g, '')
    .replace(/<\/?semantics>/g, '');
}
