/**
 * The conversation as the screen shows it, in memory. A saved conversation lives on the
 * server: the app loads it into this store (`reset`), and each message knows its server
 * id once the API has given one (`serverId`), which is how Retry knows whether the API
 * kept the user's message.
 */
import type { ChatRole, Problem, Usage } from '../api/types';

/** `data-status` of a message in the DOM too. */
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

export interface ConversationMessage {
  readonly id: string;
  readonly role: ChatRole;
  readonly text: string;
  readonly status: MessageStatus;
  /** Assistant messages: the model named by the `start` event. */
  readonly model: string | null;
  readonly finishReason: string | null;
  readonly usage: Usage | null;
  readonly error: Problem | null;
  readonly createdAt: number;
  /** The API's id of this message (saved chats), null until known. */
  readonly serverId: string | null;
  /** Assistant messages: the oldest messages the API left out to fit the context window. */
  readonly omitted: number;
}

export type MessagePatch = Partial<Omit<ConversationMessage, 'id' | 'role'>>;

export type StoreChange =
  | { readonly kind: 'added'; readonly message: ConversationMessage }
  | { readonly kind: 'updated'; readonly message: ConversationMessage; readonly previous: ConversationMessage }
  | { readonly kind: 'removed'; readonly id: string }
  | { readonly kind: 'reset' };

export interface ConversationStore {
  messages(): readonly ConversationMessage[];
  get(id: string): ConversationMessage | undefined;
  add(role: ChatRole, patch?: MessagePatch): ConversationMessage;
  update(id: string, patch: MessagePatch): ConversationMessage;
  remove(id: string): void;
  /** Replace every message (e.g. a conversation loaded from history). */
  reset(messages?: readonly ConversationMessage[]): void;
  subscribe(listener: (change: StoreChange) => void): () => void;
}

export function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `id-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** A message with every field filled in (for loading history, and tests). */
export function makeMessage(role: ChatRole, patch: MessagePatch & { readonly id?: string } = {}): ConversationMessage {
  return {
    text: '',
    status: 'complete',
    model: null,
    finishReason: null,
    usage: null,
    error: null,
    createdAt: Date.now(),
    serverId: null,
    omitted: 0,
    ...patch,
    id: patch.id ?? newId(),
    role,
  };
}

export function createMemoryStore(): ConversationStore {
  let list: ConversationMessage[] = [];
  const listeners = new Set<(change: StoreChange) => void>();

  function emit(change: StoreChange): void {
    for (const listener of listeners) listener(change);
  }

  return {
    messages: () => list,
    get: (messageId) => list.find((message) => message.id === messageId),
    add(role, patch = {}) {
      const message = makeMessage(role, { ...patch, id: newId() });
      list = [...list, message];
      emit({ kind: 'added', message });
      return message;
    },
    update(messageId, patch) {
      const index = list.findIndex((message) => message.id === messageId);
      const previous = list[index];
      if (previous === undefined) throw new Error(`No message ${messageId}`);
      const message: ConversationMessage = { ...previous, ...patch };
      list = list.map((item, i) => (i === index ? message : item));
      emit({ kind: 'updated', message, previous });
      return message;
    },
    remove(messageId) {
      const before = list.length;
      list = list.filter((message) => message.id !== messageId);
      if (list.length !== before) emit({ kind: 'removed', id: messageId });
    },
    reset(messages = []) {
      list = [...messages];
      emit({ kind: 'reset' });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
