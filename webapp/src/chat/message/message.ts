/**
 * One message of the conversation: an `<article>` with `data-role` (user|assistant) and
 * `data-status` (streaming|complete|stopped|failed). User text is shown as text; assistant
 * text as sanitised Markdown, streamed block by block. Apart from a one-word hidden heading,
 * the article holds only what is on screen (the note and the error box exist only when they
 * apply), so its text is the message.
 */
import { problemKindOf, type Problem } from '../../api/types';
import { copyText, handleCodeCopy, showCopied } from '../../render/code-copy';
import { createStreamingMarkdown, type StreamingMarkdown } from '../../render/incremental';
import { h, setText, show, uniqueId } from '../../ui/dom';
import type { ConversationMessage } from '../store';
import { createMessageEditor, type MessageEditor } from './message-editor';
import './message.css';

export interface MessageViewOptions {
  readonly onRetry: (id: string) => void;
  /** User messages: send an edited text (the list checks it may still be edited). */
  readonly onEdit?: (id: string, text: string) => void;
}

/** What the user may do with a message right now (it changes while an answer streams). */
export interface MessageActions {
  readonly retryable: boolean;
  readonly editable?: boolean;
}

export interface MessageView {
  readonly element: HTMLElement;
  update(message: ConversationMessage, actions: MessageActions): void;
  destroy(): void;
}

function note(message: ConversationMessage): string {
  if (message.status === 'stopped') return message.text === '' ? 'Stopped before the answer began.' : 'Stopped.';
  if (message.status !== 'complete') return '';
  if (message.finishReason === 'length') return 'The answer was cut off at the length limit.';
  if (message.finishReason === 'content_filter') return 'The content filter withheld the rest of the answer.';
  return '';
}

/** The note under an answer whose oldest messages the API left out (`start.omitted_messages`). */
export function omittedNote(count: number): string {
  if (count <= 0) return '';
  return count === 1
    ? "1 older message was left out to fit the model's context."
    : `${count} older messages were left out to fit the model's context.`;
}

/** A trailing "Try again in N seconds." (or "at 08:43 UTC.") of a detail: the live
 * countdown says it instead. */
const WAIT_SENTENCE = /\s*Try again (?:in \d+ seconds?|at [^.]+)\.?\s*$/i;

/** Longer than this, a countdown in seconds helps nobody: the sentence says when (a day's
 * or a month's usage limit), and Retry would only fail until then. */
const COUNTDOWN_MAX_SECONDS = 120;

export function detailWithoutWait(detail: string): string {
  const stripped = detail.replace(WAIT_SENTENCE, '');
  return stripped === '' ? detail : stripped;
}

function secondsText(seconds: number): string {
  return `Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
}

/** The error box under a failed answer: the problem's sentence, a countdown, Retry. */
interface ErrorBox {
  readonly element: HTMLElement;
  readonly problem: Problem;
  setRetryable(retryable: boolean): void;
  destroy(): void;
}

function createErrorBox(problem: Problem, onRetry: () => void): ErrorBox {
  const longWait = problem.retryAfter !== null && problem.retryAfter > COUNTDOWN_MAX_SECONDS;
  const countdownText = h('p', { class: 'message__retry-after', attrs: { hidden: true } });
  let retryButton: HTMLButtonElement | null = null;
  const element = h(
    'div',
    { class: 'message__error', data: { problem: problemKindOf(problem.type) ?? 'other' } },
    h('p', { class: 'message__error-text' }, problem.retryAfter === null || longWait ? problem.detail : detailWithoutWait(problem.detail)),
    countdownText,
    // For the administrator: matches the API's logs.
    problem.requestId !== null && h('p', { class: 'message__reference' }, `Reference: ${problem.requestId}`),
  );

  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  if (problem.retryAfter !== null && problem.retryAfter > 0 && !longWait) {
    const until = Date.now() + problem.retryAfter * 1000;
    const tick = (): void => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        stop();
        countdownText.remove();
        return;
      }
      setText(countdownText, secondsText(left));
      show(countdownText, true);
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  return {
    element,
    problem,
    setRetryable(wanted) {
      const retryable = wanted && !longWait;
      if (retryable && retryButton === null) {
        retryButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' }, on: { click: onRetry } }, 'Retry');
        element.insertBefore(retryButton, element.querySelector('.message__reference'));
      } else if (!retryable && retryButton !== null) {
        retryButton.remove();
        retryButton = null;
      }
    },
    destroy() {
      stop();
      element.remove();
    },
  };
}

export function createMessageView(initial: ConversationMessage, options: MessageViewOptions): MessageView {
  const isUser = initial.role === 'user';
  const headingId = uniqueId('message-heading');
  const heading = h('h2', { class: 'visually-hidden', attrs: { id: headingId } }, isUser ? 'You' : 'Assistant');
  const body = h('div', { class: isUser ? 'message__text' : 'message__body markdown' });
  const waiting = h(
    'p',
    { class: 'message__waiting', attrs: { hidden: true } },
    h(
      'span',
      { class: 'typing', attrs: { role: 'img', 'aria-label': 'Waiting for the answer' } },
      h('span'),
      h('span'),
      h('span'),
    ),
  );
  const noteText = h('p', { class: 'message__note', attrs: { hidden: true } });
  const omittedText = h('p', { class: 'message__omitted', attrs: { hidden: true } });
  // Retry for an answer that is empty but did not fail (stopped before it began); a failed
  // answer has its Retry in the error box. Made only when it applies.
  let retryEmpty: HTMLButtonElement | null = null;
  // Copy of a finished answer's Markdown; made only when there is an answer to copy.
  let copyAnswer: HTMLButtonElement | null = null;
  let regenerate: HTMLButtonElement | null = null;
  // User messages: Edit, while the message may be edited, and the open editor.
  let editButton: HTMLButtonElement | null = null;
  let editor: MessageEditor | null = null;
  const element = h(
    'article',
    {
      class: `message message--${initial.role}`,
      attrs: { 'aria-labelledby': headingId },
      data: { role: initial.role, status: initial.status, id: initial.id },
    },
    heading,
    body,
    waiting,
    noteText,
    omittedText,
  );

  const markdown: StreamingMarkdown | null = isUser ? null : createStreamingMarkdown(body);
  const stopCodeCopy = isUser ? null : handleCodeCopy(body);
  let current = initial;
  let rendered: { text: string; final: boolean } | null = null;
  let errorBox: ErrorBox | null = null;

  function renderText(message: ConversationMessage): void {
    const final = message.status !== 'streaming';
    if (rendered !== null && rendered.text === message.text && rendered.final === final) return;
    if (markdown === null) {
      setText(body, message.text);
    } else if (final) {
      markdown.finish(message.text);
    } else if (rendered?.final === true || (rendered !== null && !message.text.startsWith(rendered.text))) {
      markdown.reset();
      markdown.update(message.text);
    } else {
      markdown.update(message.text);
    }
    rendered = { text: message.text, final };
  }

  function renderError(message: ConversationMessage, retryable: boolean): void {
    const problem = message.status === 'failed' ? message.error : null;
    if (errorBox !== null && errorBox.problem !== problem) {
      errorBox.destroy();
      errorBox = null;
    }
    if (problem === null) return;
    if (errorBox === null) {
      errorBox = createErrorBox(problem, () => options.onRetry(current.id));
      element.appendChild(errorBox.element);
    }
    errorBox.setRetryable(retryable);
  }

  function closeEditor(focusEdit: boolean): void {
    if (editor === null) return;
    editor.element.remove();
    editor = null;
    show(body, true);
    if (focusEdit) editButton?.focus();
  }

  function openEditor(): void {
    if (editor !== null || options.onEdit === undefined) return;
    const onEdit = options.onEdit;
    editor = createMessageEditor({
      text: current.text,
      onSend: (text) => {
        closeEditor(false);
        onEdit(current.id, text);
      },
      onCancel: () => closeEditor(true),
    });
    show(body, false);
    body.after(editor.element);
    editor.focus();
  }

  function renderEdit(editable: boolean): void {
    const want = editable && options.onEdit !== undefined;
    if (want && editButton === null) {
      editButton = h(
        'button',
        { class: 'button button--secondary message__edit', attrs: { type: 'button', 'aria-label': 'Edit message' }, on: { click: openEditor } },
        'Edit',
      );
      element.appendChild(editButton);
    } else if (!want && editButton !== null) {
      editButton.remove();
      editButton = null;
    }
    if (!want) closeEditor(false);
    else if (editor !== null) editButton?.before(editor.element);
  }

  function update(message: ConversationMessage, actions: MessageActions): void {
    const { retryable } = actions;
    current = message;
    if (element.dataset.status !== message.status) element.dataset.status = message.status;
    if (message.status === 'streaming') element.setAttribute('aria-busy', 'true');
    else element.removeAttribute('aria-busy');
    renderText(message);
    show(waiting, message.status === 'streaming' && message.text === '');
    const noteValue = note(message);
    setText(noteText, noteValue);
    show(noteText, noteValue !== '');
    const omitted = message.role === 'assistant' ? omittedNote(message.omitted) : '';
    setText(omittedText, omitted);
    show(omittedText, omitted !== '');
    const wantRetry = retryable && message.status !== 'failed' && message.text.trim() === '';
    if (wantRetry && retryEmpty === null) {
      retryEmpty = h(
        'button',
        { class: 'button button--secondary message__retry', attrs: { type: 'button' }, on: { click: () => options.onRetry(current.id) } },
        'Retry',
      );
      omittedText.after(retryEmpty);
    } else if (!wantRetry && retryEmpty !== null) {
      retryEmpty.remove();
      retryEmpty = null;
    }
    const wantCopy = message.role === 'assistant' && message.status !== 'streaming' && message.text.trim() !== '';
    if (wantCopy && copyAnswer === null) {
      const button = h(
        'button',
        {
          class: 'button button--secondary message__copy',
          attrs: { type: 'button', 'aria-label': 'Copy answer' },
          on: { click: () => void copyText(current.text).then((ok) => showCopied(button, ok, 'Copy', 'Copy answer')) },
        },
        'Copy',
      );
      copyAnswer = button;
      noteText.after(copyAnswer);
    } else if (!wantCopy && copyAnswer !== null) {
      copyAnswer.remove();
      copyAnswer = null;
    }
    // The last answer, when it has text: ask for another one in its place.
    const wantRegenerate = retryable && wantCopy && message.status !== 'failed';
    if (wantRegenerate && regenerate === null) {
      regenerate = h(
        'button',
        {
          class: 'button button--secondary message__regenerate',
          attrs: { type: 'button', 'aria-label': 'Regenerate answer' },
          on: { click: () => options.onRetry(current.id) },
        },
        'Regenerate',
      );
      (copyAnswer ?? noteText).after(regenerate);
    } else if (!wantRegenerate && regenerate !== null) {
      regenerate.remove();
      regenerate = null;
    }
    renderError(message, retryable);
    if (isUser) renderEdit(actions.editable === true);
  }

  update(initial, { retryable: false });

  return {
    element,
    update,
    destroy() {
      errorBox?.destroy();
      stopCodeCopy?.();
      markdown?.reset();
      element.remove();
    },
  };
}
