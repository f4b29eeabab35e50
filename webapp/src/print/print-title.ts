/**
 * The conversation's title at the top of the printout. The chat screen shows no title of
 * its own (only the window's), so printing puts a heading first in the page: `hidden` on
 * screen, shown by print.css.
 */
const CLASS = 'print-title';

export function setPrintTitle(doc: Document, title: string): HTMLElement {
  let heading = doc.querySelector<HTMLElement>(`body > .${CLASS}`);
  if (heading === null) {
    heading = doc.createElement('h1');
    heading.className = CLASS;
    heading.hidden = true;
    doc.body.prepend(heading);
  }
  heading.textContent = title;
  return heading;
}

export function clearPrintTitle(doc: Document): void {
  doc.querySelector(`body > .${CLASS}`)?.remove();
}
