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
];

const ALLOWED_ATTR = ['href', 'title', 'align', 'start', 'type', 'checked', 'disabled', 'class'];

/** Only classes the app's renderer emits: `language-*` on code, `md-*` helpers. */
const ALLOWED_CLASS = /^(?:language-[\w#+.-]{1,40}|md-[a-z-]{1,40})$/;

/** Where a link in an answer may point. Relative links would point into this app: dropped. */
const LINK_PROTOCOLS = /^(?:https?:\/\/|mailto:)/i;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // DOMPurify's own URI check stays on (it also vets non-URL attributes); links are narrowed
  // further to LINK_PROTOCOLS in the hook below.
  FORBID_TAGS: ['style', 'script', 'img', 'iframe', 'object', 'embed', 'form', 'svg', 'math'],
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
  switch (node.tagName) {
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
