/**
 * Plain text from an admin (the usage note) with its web addresses made into links. Only
 * http(s) addresses become links; everything else stays text, so nothing in the text can
 * become markup or a `javascript:` link.
 */
import { h } from './dom';

const ADDRESS = /\bhttps?:\/\/[^\s<>"']+/gi;
// Sentence punctuation right after an address is not part of it.
const TRAILING = /[.,;:!?)\]]+$/;

export function linkedText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    const start = match.index;
    const address = match[0].replace(TRAILING, '');
    if (start > last) fragment.append(text.slice(last, start));
    fragment.append(h('a', { attrs: { href: address, target: '_blank', rel: 'noopener noreferrer' } }, address));
    last = start + address.length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}
