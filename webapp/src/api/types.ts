/**
 * Typed models of the chat API (docs/http_protocol.md). Field names follow the wire format
 * (snake_case) for request/response bodies; the app's own derived state uses camelCase.
 */

export type ChatRole = 'user' | 'assistant';

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** What a chat request may add to the message (settings; later issues fill them in). */
export interface ChatOptions {
  readonly system?: string;
  readonly model?: string;
  readonly temperature?: number;
  readonly max_tokens?: number;
}

/**
 * Start a new chat from a persona of the catalog or a custom assistant: the API fills in
 * its system prompt and settings under whatever the request sets itself. Only a request
 * without `conversation_id` may carry it (a temporary chat: every request).
 */
export interface StartFrom {
  readonly persona_id?: string;
  readonly assistant_id?: string;
}

/** A saved chat: the next message; without `conversation_id` the API starts a conversation. */
export interface SavedChatRequest extends ChatOptions, StartFrom {
  readonly message: string;
  readonly conversation_id?: string;
}

/** Answer the last user message of a saved conversation again, replacing the last answer. */
export interface RegenerateRequest extends ChatOptions {
  readonly conversation_id: string;
  readonly regenerate: true;
}

/** Replace one of the user's saved messages with `message`, drop what follows, answer it. */
export interface EditRequest extends ChatOptions {
  readonly conversation_id: string;
  readonly edit_message_id: string;
  readonly message: string;
}

/** A temporary chat: the whole conversation goes along, nothing is stored. */
export interface TemporaryChatRequest extends ChatOptions, StartFrom {
  readonly messages: readonly ChatMessage[];
  readonly temporary?: true;
}

/** Body of `POST /api/chat`. Unknown fields are refused by the API, so keep to these. */
export type ChatRequest = SavedChatRequest | RegenerateRequest | EditRequest | TemporaryChatRequest;

/** A model of the catalog (`GET /api/me`); the first one is the default. */
export interface ModelInfo {
  readonly id: string;
  /** What users call it (the id when the admin gave no name). */
  readonly name: string;
  /** One line for users; may be empty. */
  readonly description: string;
  readonly reasoning: boolean;
  /** The model takes a temperature (reasoning models choose their own). */
  readonly temperature: boolean;
  /** Null when the API did not say (an older API). */
  readonly context_tokens: number | null;
}

export interface Limits {
  readonly max_messages: number;
  readonly max_message_chars: number;
  readonly max_request_bytes: number;
}

/** Body of `GET /api/me`. */
export interface Me {
  readonly user_id: string;
  readonly name: string;
  readonly identity_provider: string;
  readonly roles: readonly string[];
  readonly models: readonly ModelInfo[];
  /** Null when the API did not say (an older API). */
  readonly limits: Limits | null;
  /** False: the deployment keeps no history, every chat is temporary. */
  readonly history: boolean;
  /** The organisation's usage note (plain text), or null. */
  readonly usage_note: string | null;
}

/** `/.auth/me` of Static Web Apps (the platform's, not our API's). */
export interface ClientPrincipal {
  readonly identityProvider: string;
  readonly userId: string;
  readonly userDetails: string;
  readonly userRoles: readonly string[];
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An RFC 9457 problem, normalised: every member is present, `detail` is always a plain
 * sentence that can be shown to the user.
 */
export interface Problem {
  /** Full URN, e.g. `urn:chat-on-azure:problem:rate-limited`. */
  readonly type: string;
  readonly title: string;
  /** HTTP status; null for problems with no response behind them (network, cut stream). */
  readonly status: number | null;
  readonly detail: string;
  /** Seconds after which a retry may succeed (`retry_after` or the `Retry-After` header). */
  readonly retryAfter: number | null;
  readonly requestId: string | null;
  readonly errors: readonly FieldError[];
}

export const PROBLEM_PREFIX = 'urn:chat-on-azure:problem:';

/** Problem types of the API, plus `network-error`, which only the client produces. */
export type ProblemKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid-request'
  | 'payload-too-large'
  | 'not-found'
  | 'method-not-allowed'
  | 'content-filtered'
  | 'rate-limited'
  | 'upstream-unavailable'
  | 'upstream-timeout'
  | 'upstream-misconfigured'
  | 'stream-interrupted'
  | 'configuration-error'
  | 'internal-error'
  | 'context-too-long'
  | 'upstream-rejected'
  | 'unsupported-media-type'
  | 'conflict'
  | 'history-disabled'
  | 'history-unavailable'
  | 'usage-limit'
  | 'admin-only'
  | 'not-owner'
  | 'too-many-assistants'
  | 'network-error'
  | 'unexpected-response';

export function problemType(kind: ProblemKind): string {
  return PROBLEM_PREFIX + kind;
}

/** The short name of a problem type (`rate-limited`), or null for a foreign type. */
export function problemKindOf(type: string): string | null {
  return type.startsWith(PROBLEM_PREFIX) ? type.slice(PROBLEM_PREFIX.length) : null;
}

export type FinishReason = 'stop' | 'length' | 'content_filter';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

/** One event of the answer stream, after JSON decoding and validation. */
export interface StartEvent {
  readonly type: 'start';
  readonly model: string;
  readonly requestId: string | null;
  /** Saved chats only (null for temporary ones). */
  readonly conversationId: string | null;
  readonly userMessageId: string | null;
  readonly assistantMessageId: string | null;
  /** How many of the oldest messages were left out to fit the model's context window. */
  readonly omittedMessages: number;
}

export type StreamEvent =
  | StartEvent
  | { readonly type: 'delta'; readonly text: string }
  | { readonly type: 'usage'; readonly usage: Usage }
  /** `finishReason` is one of {@link FinishReason}, or a value a later API version adds. */
  | { readonly type: 'done'; readonly finishReason: string }
  | { readonly type: 'error'; readonly problem: Problem }
  /** After `done`: a new saved conversation got its title. Not part of the answer. */
  | { readonly type: 'title'; readonly conversationId: string; readonly title: string };
