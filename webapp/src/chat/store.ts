/**
 * The conversation as the screen shows it. This first version keeps it in memory; the
 * {@link ConversationStore} interface is what a server-backed history (a later issue) will
 * implement, so the views and the controller do not change when it arrives.
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
}

export type MessagePatch = Partial<Omit<ConversationMessage, 'id' | 'role' | 'createdAt'>>;

export type StoreChange =
  | { readonly kind: 'added'; readonly message: ConversationMessage }
  | { readonly kind: 'updated'; readonly message: ConversationMessage; readonly previous: ConversationMessage }
  | { readonly kind: 'removed'; readonly id: string }
  | { readonly kind: 'reset' };

export interface ConversationStore {
  /** Identifies the conversation (a server id once history exists). */
  readonly id: string;
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

export function createMemoryStore(id: string = newId()): ConversationStore {
  let list: ConversationMessage[] = [];
  const listeners = new Set<(change: StoreChange) => void>();

  function emit(change: StoreChange): void {
    for (const listener of listeners) listener(change);
  }

  return {
    id,
    messages: () => list,
    get: (messageId) => list.find((message) => message.id === messageId),
    add(role, patch = {}) {
      const message: ConversationMessage = {
        text: '',
        status: 'complete',
        model: null,
        finishReason: null,
        usage: null,
        error: null,
        ...patch,
        id: newId(),
        role,
        createdAt: Date.now(),
      };
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
