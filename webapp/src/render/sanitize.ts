/**
 * The last line of defence for model output: whatever HTML the Markdown renderer produced,
 * only a fixed set of inert elements and attributes survives. Links go to http(s) or mailto
 * only and open in a new tab without referrer or opener; images, scripts, frames, forms,
 * styles and event handlers are gone.
 */
import DOMPurify, { type Config } from 'dompurify';

const ALLOWED_TAGS = [
  'a', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'input', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
  // The Copy button of a code block (markdown.ts); kept only with its class, see the hook.
  'button',
];

/** The presentation MathML that KaTeX (`output: "mathml"`) emits, minus anything that links. */
const MATHML_TAGS = [
  'math', 'menclose', 'merror', 'mfrac', 'mi', 'mmultiscripts', 'mn', 'mo', 'mover', 'mpadded',
  'mphantom', 'mprescripts', 'mroot', 'mrow', 'ms', 'mspace', 'msqrt', 'mstyle', 'msub', 'msubsup',
  'msup', 'mtable', 'mtd', 'mtext', 'mtr', 'munder', 'munderover', 'mlabeledtr', 'none',
];

const MATHML_ATTR = [
  'display', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'accent', 'accentunder',
  'movablelimits', 'columnalign', 'rowalign', 'rowspacing', 'columnspacing', 'columnlines', 'rowlines',
  'frame', 'framespacing', 'width', 'height', 'depth', 'voffset', 'linethickness', 'scriptlevel',
  'displaystyle', 'minsize', 'maxsize', 'symmetric', 'largeop', 'notation', 'mathcolor', 'mathbackground',
];

const ALLOWED_ATTR = [
  'href', 'title', 'align', 'start', 'type', 'checked', 'disabled', 'class', 'aria-label', ...MATHML_ATTR,
];

/**
 * Only classes the app's renderer emits: `language-*` on code, `md-*` helpers, and
 * highlight.js's `hljs-*` (with its `function_`-style sub-scopes).
 */
const ALLOWED_CLASS = /^(?:language-[\w#+.-]{1,40}|md-[a-z-]{1,40}|hljs-[a-z_-]{1,40}|[a-z]{1,20}_{1,3})$/;

/** Where a link in an answer may point. Relative links would point into this app: dropped. */
const LINK_PROTOCOLS = /^(?:https?:\/\/|mailto:)/i;

const CONFIG: Config = {
  ALLOWED_TAGS: [...ALLOWED_TAGS, ...MATHML_TAGS],
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // DOMPurify's own URI check stays on (it also vets non-URL attributes); links are narrowed
  // further to LINK_PROTOCOLS in the hook below.
  FORBID_TAGS: ['style', 'script', 'img', 'iframe', 'object', 'embed', 'form', 'svg', 'annotation-xml', 'maction'],
  FORBID_ATTR: ['style', 'srcset', 'src'],
  KEEP_CONTENT: true,
  WHOLE_DOCUMENT: false,
};

const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  if (!(node instanceof Element)) return;
  const classes = node.getAttribute('class');
  if (classes !== null) {
    const kept = classes.split(/\s+/).filter((name) => ALLOWED_CLASS.test(name));
    if (kept.length > 0) node.setAttribute('class', kept.join(' '));
    else node.removeAttribute('class');
  }
  // Links only on <a> (MathML can carry href, and Firefox follows it); labels only on buttons.
  if (node.tagName !== 'A' && node.hasAttribute('href')) node.removeAttribute('href');
  if (node.tagName !== 'BUTTON' && node.hasAttribute('aria-label')) node.removeAttribute('aria-label');
  switch (node.tagName) {
    case 'BUTTON':
      // Only the code block's Copy button; its click is handled by code-copy.ts.
      if (!node.classList.contains('md-code-copy')) node.remove();
      else node.setAttribute('type', 'button');
      break;
    case 'A':
      if (!LINK_PROTOCOLS.test((node.getAttribute('href') ?? '').trim())) node.removeAttribute('href');
      if (node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      } else {
        node.removeAttribute('target');
        node.removeAttribute('rel');
      }
      break;
    case 'INPUT':
      // Only the read-only check boxes of GFM task lists.
      if (node.getAttribute('type') !== 'checkbox') node.remove();
      else node.setAttribute('disabled', '');
      break;
    case 'PRE':
      // Long lines scroll sideways; keyboard users must be able to reach them (axe:
      // scrollable-region-focusable).
      node.setAttribute('tabindex', '0');
      break;
    case 'DIV':
      // A wide table scrolls inside its wrapper; keyboard users must be able to reach it.
      if (node.classList.contains('md-table-scroll')) node.setAttribute('tabindex', '0');
      break;
    default:
      break;
  }
});

/** Sanitise an HTML fragment into an inert HTML string. */
export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, CONFIG);
}
