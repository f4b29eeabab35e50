/**
 * Streaming Markdown into a container without re-rendering the whole answer per token.
 *
 * The text is cut into top-level blocks with marked's lexer. A block followed by another
 * (non-blank) block can no longer change as more text arrives, so it is rendered once and
 * frozen; only the last, open block is re-rendered, at most once per animation frame. The
 * lexer only sees the text after the frozen blocks. `finish()` makes the final DOM exactly
 * what a one-shot {@link renderMarkdown} gives (falling back to one full render in the rare
 * cases block-wise rendering differs, such as reference-style link definitions).
 */
import { enhanceBlock, lexMarkdown, renderMarkdown, renderTokens } from './markdown';

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const animationFrames: FrameScheduler = {
  request: (callback) =>
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => callback())
      : (setTimeout(callback, 16) as unknown as number),
  cancel: (handle) => {
    if (typeof cancelAnimationFrame === 'function') cancelAnimationFrame(handle);
    clearTimeout(handle);
  },
};

export interface StreamingMarkdownStats {
  /** Renders done (each is one lex of the open part). */
  renders: number;
  /** Characters passed to the lexer, over all renders. */
  lexedChars: number;
  frozenBlocks: number;
  /** finish() had to fall back to a full render. */
  fullRenders: number;
}

export interface StreamingMarkdown {
  /** The whole answer so far (it only grows); rendered on the next frame. */
  update(text: string): void;
  /** Render a pending update now. */
  flush(): void;
  /** The answer is final: render it as a one-shot render would. */
  finish(text: string): void;
  /** Empty the container. */
  reset(): void;
  readonly stats: Readonly<StreamingMarkdownStats>;
}

const LINK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

function normalise(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Parse sanitised HTML in an inert template (nothing loads or runs). */
function htmlToNodes(html: string): { fragment: DocumentFragment; nodes: Node[] } {
  const template = document.createElement('template');
  template.innerHTML = html;
  return { fragment: template.content, nodes: Array.from(template.content.childNodes) };
}

export function createStreamingMarkdown(
  container: Element,
  scheduler: FrameScheduler = animationFrames,
): StreamingMarkdown {
  /** Normalised source of the frozen blocks. */
  let committed = '';
  /** DOM nodes of the open block(s), after the frozen ones. */
  let openNodes: Node[] = [];
  /** Sanitised HTML of the frozen blocks and of the open part, to compare in finish(). */
  let frozenHtml: string[] = [];
  let openHtml = '';
  let pending: string | null = null;
  let frame: number | null = null;
  const stats: StreamingMarkdownStats = { renders: 0, lexedChars: 0, frozenBlocks: 0, fullRenders: 0 };

  function clear(): void {
    container.replaceChildren();
    committed = '';
    openNodes = [];
    frozenHtml = [];
    openHtml = '';
  }

  function render(text: string): void {
    const source = normalise(text);
    if (!source.startsWith(committed)) clear();
    const tail = source.slice(committed.length);
    const tokens = lexMarkdown(tail);
    stats.renders += 1;
    stats.lexedChars += tail.length;

    let last = tokens.length - 1;
    while (last >= 0 && tokens[last]?.type === 'space') last -= 1;

    for (const node of openNodes) node.parentNode?.removeChild(node);
    openNodes = [];
    openHtml = '';

    // Freeze every block that has a non-blank block after it.
    let offset = 0;
    let first = 0;
    for (; first < last; first += 1) {
      const token = tokens[first];
      if (token === undefined || !tail.startsWith(token.raw, offset)) break; // defensive
      const html = renderTokens([token]);
      const { fragment, nodes } = htmlToNodes(html);
      container.appendChild(fragment);
      frozenHtml.push(html);
      enhanceBlock(nodes);
      offset += token.raw.length;
      stats.frozenBlocks += 1;
    }
    committed += tail.slice(0, offset);

    const open = tokens.slice(first);
    if (open.length > 0) {
      openHtml = renderTokens(open);
      const { fragment, nodes } = htmlToNodes(openHtml);
      container.appendChild(fragment);
      openNodes = nodes;
    }
  }

  function cancelFrame(): void {
    if (frame !== null) {
      scheduler.cancel(frame);
      frame = null;
    }
  }

  function flush(): void {
    cancelFrame();
    if (pending === null) return;
    const text = pending;
    pending = null;
    render(text);
  }

  return {
    stats,
    update(text: string): void {
      pending = text;
      if (frame === null) {
        frame = scheduler.request(() => {
          frame = null;
          flush();
        });
      }
    },
    flush,
    finish(text: string): void {
      pending = text;
      flush();
      const source = normalise(text);
      // Only a link definition (`[id]: url`) can make block-wise output differ from a
      // one-shot render; without one, skip the full re-render, which costs a long task on
      // long answers (docs/ui_benchmarks.md).
      if (!LINK_DEFINITION.test(source)) {
        enhanceBlock(openNodes);
        committed = source;
        frozenHtml = [...frozenHtml, openHtml];
        openHtml = '';
        openNodes = [];
        return;
      }
      const expected = renderMarkdown(source);
      if (frozenHtml.join('') + openHtml === expected) {
        enhanceBlock(openNodes);
      } else {
        // Block-wise rendering differed (e.g. a link definition after its use): render once.
        stats.fullRenders += 1;
        const { fragment, nodes } = htmlToNodes(expected);
        container.replaceChildren(fragment);
        enhanceBlock(nodes);
      }
      committed = source;
      frozenHtml = [expected];
      openHtml = '';
      openNodes = [];
    },
    reset(): void {
      cancelFrame();
      pending = null;
      clear();
    },
  };
}
