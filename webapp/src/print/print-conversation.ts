/**
 * "Print or save as PDF" for one conversation: open it if another one is on screen, wait
 * until it has rendered (highlighted code and maths included), put its title on top, then
 * hand over to the browser's print dialog, where "Save as PDF" is one of the printers.
 * What prints, and how, is print.css. Loaded on first use, not with the app.
 */
import { loadHighlighter } from '../render/code';
import { loadMath } from '../render/math';
import { whenConversationShown } from './conversation-shown';
import { clearPrintTitle, setPrintTitle } from './print-title';

/** How opening went: on screen, could not be loaded, or the user went somewhere else. */
export type OpenOutcome = 'shown' | 'failed' | 'left';
export type PrintOutcome = 'printed' | 'failed' | 'left';

export interface PrintableConversation {
  readonly id: string;
  readonly title: string;
}

export interface PrintOptions {
  /** The conversation the app has on screen (or is opening); null for a new chat. */
  readonly currentId: () => string | null;
  /** Open a conversation, as choosing it in the sidebar does. */
  readonly open: (id: string) => void;
  /** Resolves once `id` is on screen; default: read from the page (conversation-shown.ts). */
  readonly whenOpened?: (id: string) => Promise<OpenOutcome>;
  /** Default: `window.print()`. */
  readonly print?: () => void;
  readonly doc?: Document;
  /** Resolves after the next frame; default: requestAnimationFrame. */
  readonly nextFrame?: () => Promise<void>;
}

/** Highlighting and maths load on demand: give them a moment, but never hang the print. */
const LAZY_RENDER_MS = 5_000;

function animationFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function renderingSettled(doc: Document, nextFrame: () => Promise<void>): Promise<void> {
  const conversation = doc.querySelector('main.conversation') ?? doc.body;
  const lazy: Promise<void>[] = [];
  if (conversation.querySelector('code.md-code-pending') !== null) lazy.push(loadHighlighter());
  if (conversation.querySelector('.md-math-pending') !== null) lazy.push(loadMath());
  if (lazy.length > 0) await Promise.race([Promise.all(lazy), delay(LAZY_RENDER_MS)]);
  // Two frames: the one that lays out what just changed, and one after it.
  await nextFrame();
  await nextFrame();
}

export async function printConversation(conversation: PrintableConversation, options: PrintOptions): Promise<PrintOutcome> {
  const doc = options.doc ?? document;
  if (options.currentId() !== conversation.id) options.open(conversation.id);
  const whenOpened =
    options.whenOpened ??
    (async (id: string): Promise<OpenOutcome> => {
      const state = await whenConversationShown(id, { doc, currentId: options.currentId });
      return state === 'loading' ? 'failed' : state;
    });
  const opened = await whenOpened(conversation.id);
  if (opened !== 'shown') return opened;
  await renderingSettled(doc, options.nextFrame ?? animationFrame);
  // The user may have moved on while it rendered: never print another conversation.
  if (options.currentId() !== conversation.id) return 'left';

  setPrintTitle(doc, conversation.title);
  const view = doc.defaultView;
  view?.addEventListener('afterprint', () => clearPrintTitle(doc), { once: true });
  (options.print ?? (() => view?.print()))();
  return 'printed';
}
