/**
 * Thin fetch wrappers for the API. Every failure becomes an {@link ApiError} whose `detail`
 * is a plain sentence; a 401 anywhere sends the user to the sign-in page (after the
 * before-sign-in hooks have saved the draft). Stopping is an `AbortError` (see
 * {@link isAbortError}), not an ApiError.
 */
import { applyEvent, endAnswer, initialAnswer, parseStreamEvent, type AnswerState } from './answer';
import { redirectToLogin } from './auth';
import {
  attachmentName,
  parseConversation,
  parsePage,
  parseSearch,
  parseSummary,
  type ConversationPage,
  type ConversationPatch,
  type ConversationSummary,
  type ConversationWithMessages,
  type ExportFormat,
  type SearchHit,
} from './conversations';
import { ApiError, clientProblem, problemFromResponse } from './problem';
import { createSseDecoder } from './sse';
import type { ChatRequest, Limits, Me, ModelInfo, StreamEvent } from './types';

export interface ApiClientOptions {
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Called on any 401; defaults to {@link redirectToLogin}. */
  readonly onUnauthenticated?: () => void;
  /** Prefix of the API routes; defaults to `/api`. */
  readonly baseUrl?: string;
}

export interface StreamChatOptions {
  readonly signal?: AbortSignal;
  readonly onEvent: (event: StreamEvent) => void;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
}

export interface ListConversationsOptions extends RequestOptions {
  readonly archived?: boolean;
  readonly continuation?: string | null;
  readonly limit?: number;
}

/** A route these wrappers do not cover (api/assistants.ts and api/personas.ts build on it). */
export interface RouteOptions extends RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Let the browser's HTTP cache answer: only for routes the API marks cacheable. */
  readonly cacheable?: boolean;
}

export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiClient {
  /** A JSON answer, validated by `parse` (null: `unexpected-response`). */
  requestJson<T>(method: RouteMethod, path: string, parse: (body: unknown) => T | null, options?: RouteOptions): Promise<T>;
  /** A route answered without a body (204). */
  requestEmpty(method: RouteMethod, path: string, options?: RouteOptions): Promise<void>;
  getMe(options?: RequestOptions): Promise<Me>;
  /**
   * POST the conversation and feed each event of the answer to `onEvent`. Resolves when the
   * body has ended (whether or not a `done`/`error` arrived: the caller's fold decides);
   * rejects with an ApiError when the answer never started, with an AbortError when stopped.
   */
  streamChat(request: ChatRequest, options: StreamChatOptions): Promise<void>;
  listConversations(options?: ListConversationsOptions): Promise<ConversationPage>;
  getConversation(id: string, options?: RequestOptions): Promise<ConversationWithMessages>;
  /** PATCH; with `ifMatch` a 412 (`conflict`) says it was changed elsewhere. */
  updateConversation(id: string, patch: ConversationPatch, options?: { ifMatch?: string }): Promise<ConversationSummary>;
  /** A conversation that is already gone (404) counts as deleted. */
  deleteConversation(id: string, options?: { keepalive?: boolean }): Promise<void>;
  searchConversations(query: string, options?: RequestOptions): Promise<SearchHit[]>;
  /** POST the text of a JSON export; resolves with the new conversation. */
  importConversation(exportText: string): Promise<ConversationSummary>;
  exportConversation(id: string, format: ExportFormat): Promise<{ blob: Blob; filename: string }>;
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function abortError(): DOMException {
  return new DOMException('The request was stopped.', 'AbortError');
}

function looksLikeSignInPage(response: Response): boolean {
  const contentType = response.headers.get('content-type') ?? '';
  return response.redirected && /text\/html/i.test(contentType) && /\/(\.auth\/login|login\.html)/.test(response.url);
}

export function parseModels(value: unknown): ModelInfo[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    if (typeof record.id !== 'string' || record.id === '') return [];
    const reasoning = record.reasoning === true;
    const name = typeof record.name === 'string' && record.name.trim() !== '' ? record.name : record.id;
    return [
      {
        id: record.id,
        name,
        description: typeof record.description === 'string' ? record.description : '',
        reasoning,
        // An older API said only `reasoning`, and reasoning models take no temperature.
        temperature: typeof record.temperature === 'boolean' ? record.temperature : !reasoning,
        context_tokens: typeof record.context_tokens === 'number' ? record.context_tokens : null,
      },
    ];
  });
}

function parseLimits(value: unknown): Limits | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { max_messages: messages, max_message_chars: chars, max_request_bytes: bytes } = record;
  return typeof messages === 'number' && typeof chars === 'number' && typeof bytes === 'number'
    ? { max_messages: messages, max_message_chars: chars, max_request_bytes: bytes }
    : null;
}

function parseMe(body: unknown): Me | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  if (typeof record.user_id !== 'string') return null;
  return {
    user_id: record.user_id,
    name: typeof record.name === 'string' ? record.name : '',
    identity_provider: typeof record.identity_provider === 'string' ? record.identity_provider : '',
    roles: Array.isArray(record.roles) ? record.roles.filter((role): role is string => typeof role === 'string') : [],
    models: parseModels(record.models),
    limits: parseLimits(record.limits),
    // An API without the field keeps history the way this app expects.
    history: record.history !== false,
    usage_note: typeof record.usage_note === 'string' && record.usage_note.trim() !== '' ? record.usage_note : null,
  };
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const onUnauthenticated = options.onUnauthenticated ?? redirectToLogin;
  const base = options.baseUrl ?? '/api';

  /** fetch, with network failures turned into an ApiError and stops into an AbortError. */
  async function send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(base + path, { credentials: 'same-origin', cache: 'no-store', ...init });
    } catch (error) {
      if (isAbortError(error) || init.signal?.aborted === true) throw abortError();
      throw new ApiError(clientProblem('network-error'));
    }
    if (response.status === 401 || looksLikeSignInPage(response)) {
      const problem = response.status === 401 ? await problemFromResponse(response) : new ApiError(clientProblem('unauthenticated', 401));
      onUnauthenticated();
      throw problem;
    }
    if (!response.ok) throw await problemFromResponse(response);
    return response;
  }

  /** A JSON body, parsed; anything unparsable is `unexpected-response`. */
  async function readJson<T>(response: Response, parse: (body: unknown) => T | null): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (isAbortError(error)) throw abortError();
      throw new ApiError(clientProblem('unexpected-response', response.status));
    }
    const value = parse(body);
    if (value === null) throw new ApiError(clientProblem('unexpected-response', response.status));
    return value;
  }

  async function getJson<T>(path: string, parse: (body: unknown) => T | null, signal?: AbortSignal): Promise<T> {
    const response = await send(path, {
      method: 'GET',
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    return readJson(response, parse);
  }

  async function sendJson<T>(method: string, path: string, body: string, parse: (body: unknown) => T | null, headers: Record<string, string> = {}): Promise<T> {
    const response = await send(path, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
    });
    return readJson(response, parse);
  }

  const conversationPath = (id: string): string => `/conversations/${encodeURIComponent(id)}`;

  function routeInit(method: RouteMethod, options: RouteOptions, accept: string): RequestInit {
    const hasBody = options.body !== undefined;
    return {
      method,
      headers: { accept, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.cacheable === true ? { cache: 'default' as RequestCache } : {}),
    };
  }

  return {
    async requestJson(method, path, parse, routeOptions = {}) {
      const response = await send(path, routeInit(method, routeOptions, 'application/json'));
      return readJson(response, parse);
    },

    async requestEmpty(method, path, routeOptions = {}) {
      await send(path, routeInit(method, routeOptions, 'application/json, application/problem+json'));
    },

    getMe: (getOptions = {}) => getJson('/me', parseMe, getOptions.signal),

    listConversations(listOptions = {}) {
      const query = new URLSearchParams();
      if (listOptions.limit !== undefined) query.set('limit', String(listOptions.limit));
      if (listOptions.continuation) query.set('continuation', listOptions.continuation);
      if (listOptions.archived === true) query.set('archived', 'true');
      const suffix = query.toString();
      return getJson(`/conversations${suffix === '' ? '' : `?${suffix}`}`, parsePage, listOptions.signal);
    },

    getConversation: (id, getOptions = {}) => getJson(conversationPath(id), parseConversation, getOptions.signal),

    updateConversation: (id, patch, patchOptions = {}) =>
      sendJson('PATCH', conversationPath(id), JSON.stringify(patch), parseSummary, patchOptions.ifMatch ? { 'if-match': patchOptions.ifMatch } : {}),

    async deleteConversation(id, deleteOptions = {}) {
      try {
        await send(conversationPath(id), { method: 'DELETE', ...(deleteOptions.keepalive ? { keepalive: true } : {}) });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return;
        throw error;
      }
    },

    searchConversations: (query, searchOptions = {}) =>
      getJson(`/conversations/search?q=${encodeURIComponent(query)}`, parseSearch, searchOptions.signal),

    importConversation: (exportText) => sendJson('POST', '/conversations/import', exportText, parseSummary),

    async exportConversation(id, format) {
      const response = await send(`${conversationPath(id)}/export?format=${format}`, { method: 'GET' });
      let blob: Blob;
      try {
        blob = await response.blob();
      } catch {
        throw new ApiError(clientProblem('network-error'));
      }
      const extension = format === 'markdown' ? 'md' : 'json';
      return { blob, filename: attachmentName(response.headers.get('content-disposition'), `conversation.${extension}`) };
    },

    async streamChat(request: ChatRequest, { signal, onEvent }: StreamChatOptions): Promise<void> {
      const response = await send('/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(request),
        ...(signal ? { signal } : {}),
      });
      const contentType = response.headers.get('content-type') ?? '';
      if (contentType !== '' && !/^text\/event-stream\b/i.test(contentType)) {
        throw new ApiError(clientProblem('unexpected-response', response.status));
      }
      const parser = createSseDecoder((message) => {
        const event = parseStreamEvent(message);
        if (event !== null) onEvent(event);
      });
      if (response.body === null) {
        parser.push(new Uint8Array(await response.arrayBuffer()));
        parser.end();
        return;
      }
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.push(value);
          if (signal?.aborted === true) throw abortError();
        }
      } catch (error) {
        if (isAbortError(error) || signal?.aborted === true) {
          void reader.cancel().catch(() => undefined);
          throw abortError();
        }
        // The connection broke mid-answer: end the parse; the fold reports stream-interrupted.
      } finally {
        reader.releaseLock();
      }
      parser.end();
    },
  };
}

/**
 * {@link ApiClient.streamChat} folded into an answer: resolves with the final state (an
 * interrupted stream has `error.type` `…:stream-interrupted`), `onUpdate` sees each step.
 */
export async function streamAnswer(
  client: ApiClient,
  request: ChatRequest,
  options: { signal?: AbortSignal; onUpdate?: (state: AnswerState, event: StreamEvent) => void },
): Promise<AnswerState> {
  let state = initialAnswer;
  await client.streamChat(request, {
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent(event) {
      state = applyEvent(state, event);
      options.onUpdate?.(state, event);
    },
  });
  return endAnswer(state);
}

export const api: ApiClient = createApiClient();
