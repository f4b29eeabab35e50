/**
 * The app's whole view layer: a typed element factory over plain DOM. Text always goes in
 * as text nodes (never HTML); there is deliberately no way to set `style` or `innerHTML`
 * here (the CSP forbids inline styles, and only the Markdown renderer may produce HTML).
 */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  readonly class?: string;
  /** Attributes; `true` sets an empty attribute, `false`/`undefined` leaves it out. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly data?: Readonly<Record<string, string>>;
  readonly on?: { readonly [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class !== undefined) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name === 'style' || name.startsWith('on')) throw new Error(`h(): refusing attribute ${name}`);
    if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const [key, value] of Object.entries(props.data ?? {})) element.dataset[key] = value;
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Set a text-only element's text (no-op when unchanged, to spare layout and screen readers). */
export function setText(element: Node, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Toggle the `hidden` attribute. */
export function show(element: HTMLElement, visible: boolean): void {
  if (element.hidden === visible) element.hidden = !visible;
}

let nextId = 0;
/** A document-unique id for aria wiring. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
