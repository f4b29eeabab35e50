/**
 * From SSE messages to an answer: {@link parseStreamEvent} validates one event of the
 * answer stream, {@link applyEvent} folds it into an {@link AnswerState}, and
 * {@link endAnswer} closes the state when the body ends (a stream that ended with neither
 * `done` nor `error` was cut: it gets a `stream-interrupted` error with status null).
 */
import { clientProblem, toProblem } from './problem';
import type { SseMessage } from './sse';
import type { Problem, StreamEvent, Usage } from './types';

export interface AnswerState {
  readonly text: string;
  readonly model: string | null;
  readonly requestId: string | null;
  readonly finishReason: string | null;
  readonly usage: Usage | null;
  readonly error: Problem | null;
  /** From the `start` event: the oldest messages left out to fit the context window. */
  readonly omittedMessages: number;
  /** A `done` or `error` arrived, or {@link endAnswer} ran: later events are ignored. */
  readonly ended: boolean;
}

export const initialAnswer: AnswerState = Object.freeze({
  text: '',
  model: null,
  requestId: null,
  finishReason: null,
  usage: null,
  error: null,
  omittedMessages: 0,
  ended: false,
});

function parseJsonObject(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * The typed event of one SSE message, or null for an event to ignore: unknown event names,
 * data that is not a JSON object, or known events missing what they must carry.
 * Unknown fields are ignored so later API versions can add them.
 */
export function parseStreamEvent(message: SseMessage): StreamEvent | null {
  const data = parseJsonObject(message.data);
  if (data === null) return null;
  switch (message.event) {
    case 'start':
      return typeof data.model === 'string'
        ? {
            type: 'start',
            model: data.model,
            requestId: optionalString(data.request_id),
            conversationId: optionalString(data.conversation_id),
            userMessageId: optionalString(data.user_message_id),
            assistantMessageId: optionalString(data.assistant_message_id),
            omittedMessages: isCount(data.omitted_messages) ? data.omitted_messages : 0,
          }
        : null;
    case 'title':
      return typeof data.conversation_id === 'string' && typeof data.title === 'string' && data.title.trim() !== ''
        ? { type: 'title', conversationId: data.conversation_id, title: data.title.trim() }
        : null;
    case 'delta':
      return typeof data.text === 'string' ? { type: 'delta', text: data.text } : null;
    case 'usage':
      return isCount(data.prompt_tokens) && isCount(data.completion_tokens) && isCount(data.total_tokens)
        ? {
            type: 'usage',
            usage: {
              prompt_tokens: data.prompt_tokens,
              completion_tokens: data.completion_tokens,
              total_tokens: data.total_tokens,
            },
          }
        : null;
    case 'done':
      return { type: 'done', finishReason: typeof data.finish_reason === 'string' ? data.finish_reason : 'stop' };
    case 'error':
      return { type: 'error', problem: toProblem(data, null) };
    default:
      return null;
  }
}

export function applyEvent(state: AnswerState, event: StreamEvent): AnswerState {
  if (state.ended) return state;
  switch (event.type) {
    case 'start':
      return { ...state, model: event.model, requestId: event.requestId, omittedMessages: event.omittedMessages };
    case 'title':
      // About the conversation, not the answer (and it comes after `done`).
      return state;
    case 'delta':
      return event.text === '' ? state : { ...state, text: state.text + event.text };
    case 'usage':
      return { ...state, usage: event.usage };
    case 'done':
      return { ...state, finishReason: event.finishReason, ended: true };
    case 'error':
      return { ...state, error: event.problem, ended: true };
  }
}

/** The body ended (or the connection broke): close the answer. */
export function endAnswer(state: AnswerState): AnswerState {
  if (state.ended) return state;
  return { ...state, error: clientProblem('stream-interrupted', null), ended: true };
}

/** Fold a whole list of SSE messages; what a test or a buffered body uses. */
export function foldAnswer(messages: Iterable<SseMessage>): AnswerState {
  let state = initialAnswer;
  for (const message of messages) {
    const event = parseStreamEvent(message);
    if (event !== null) state = applyEvent(state, event);
  }
  return endAnswer(state);
}
