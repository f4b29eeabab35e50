/**
 * Copying: the Copy button of each code block (one delegated listener per rendered answer,
 * so the sanitised HTML stays the same whether a block streamed in or was rendered at once)
 * and a helper for any other Copy button. The button reads "Copied" for two seconds, or says
 * that copying is not possible (no clipboard: an insecure origin, an old browser, a denial).
 */
export const COPIED_FOR_MS = 2000;

/** Put `text` on the clipboard; false if the browser has no clipboard or refused. */
export async function copyText(text: string): Promise<boolean> {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  if (clipboard === undefined || typeof clipboard.writeText !== 'function') return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

const timers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

/**
 * Show the outcome on `button` (visible text and accessible name), then restore `label` /
 * `name` after {@link COPIED_FOR_MS}.
 */
export function showCopied(button: HTMLElement, ok: boolean, label: string, name: string): void {
  const text = ok ? 'Copied' : 'Copy failed: select the text and copy it';
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.setAttribute('aria-label', text);
  if (ok) button.removeAttribute('title');
  else button.title = 'Your browser does not allow copying here: select the text and copy it.';
  const previous = timers.get(button);
  if (previous !== undefined) clearTimeout(previous);
  timers.set(
    button,
    setTimeout(() => {
      timers.delete(button);
      button.textContent = label;
      button.setAttribute('aria-label', name);
      button.removeAttribute('title');
    }, COPIED_FOR_MS),
  );
}

/** Copy a code block's text when its Copy button (`.md-code-copy`) is clicked. */
export function handleCodeCopy(container: HTMLElement): () => void {
  const onClick = (event: Event): void => {
    const target = event.target instanceof Element ? event.target.closest('button.md-code-copy') : null;
    if (!(target instanceof HTMLElement) || !container.contains(target)) return;
    const code = target.closest('.md-code')?.querySelector('pre code');
    const text = (code?.textContent ?? '').replace(/\n$/, '');
    void copyText(text).then((ok) => showCopied(target, ok, 'Copy', 'Copy code'));
  };
  container.addEventListener('click', onClick);
  return () => container.removeEventListener('click', onClick);
}
