/**
 * The line a part of a page shows while its figures load or after they failed: "Loading…"
 * read politely, a failure as a sentence (announced at once) with Retry when trying again
 * can help. Shared by the usage panel and every section of the admin page.
 */
import { h, setText, show } from '../ui/dom';
import type { ErrorView } from './errors';
import './load-status.css';

export interface LoadStatus {
  readonly element: HTMLElement;
  loading(text: string): void;
  /** A short polite note (e.g. "25 older entries shown."), in place of "Loading…". */
  note(text: string): void;
  failed(view: ErrorView, retry: () => void): void;
  done(): void;
}

export function createLoadStatus(): LoadStatus {
  const progress = h('p', { class: 'load-status__progress', attrs: { role: 'status' } });
  const alert = h('div', { class: 'load-status__error', attrs: { role: 'alert', hidden: true } });
  const element = h('div', { class: 'load-status' }, progress, alert);

  const say = (text: string): void => {
    alert.replaceChildren();
    show(alert, false);
    setText(progress, text);
  };

  return {
    element,
    loading: say,
    note: say,
    failed(view, retry) {
      setText(progress, '');
      alert.replaceChildren(h('p', { class: 'load-status__sentence' }, view.sentence));
      if (view.retryable) {
        alert.append(h('button', { class: 'button button--secondary', attrs: { type: 'button' }, on: { click: retry } }, 'Retry'));
      }
      show(alert, true);
    },
    done() {
      setText(progress, '');
      alert.replaceChildren();
      show(alert, false);
    },
  };
}
