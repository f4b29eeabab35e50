/**
 * The composer's drafts in localStorage, one per conversation, so a reload, switching
 * conversations or a trip through the sign-in page does not lose what the user typed.
 * A chat that has no conversation yet (a new or temporary chat) uses the key `new`.
 * Storage may be unavailable (private mode, quota): then drafts just are not kept.
 */
const PREFIX = 'chat-on-azure:draft:';
/** Where the single draft of the first version lived; read once as the `new` draft. */
const LEGACY_KEY = 'chat-on-azure:draft';

/** The localStorage key of the draft of `conversationId` (null: a chat without one yet). */
export function draftKey(conversationId: string | null): string {
  return PREFIX + (conversationId ?? 'new');
}

export interface DraftStorage {
  load(conversationId: string | null): string;
  save(conversationId: string | null, text: string): void;
  clear(conversationId: string | null): void;
  /** The draft of a new chat now belongs to the conversation the API created for it. */
  move(from: string | null, to: string | null): void;
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function createDraftStorage(storage: Storage | null = defaultStorage()): DraftStorage {
  function get(key: string): string {
    try {
      return storage?.getItem(key) ?? '';
    } catch {
      return '';
    }
  }
  function set(key: string, text: string): void {
    try {
      if (text === '') storage?.removeItem(key);
      else storage?.setItem(key, text);
    } catch {
      // Quota or privacy settings: nothing to do.
    }
  }

  const drafts: DraftStorage = {
    load(conversationId) {
      const text = get(draftKey(conversationId));
      if (text !== '' || conversationId !== null) return text;
      const legacy = get(LEGACY_KEY);
      if (legacy !== '') {
        set(draftKey(null), legacy);
        set(LEGACY_KEY, '');
      }
      return legacy;
    },
    save(conversationId, text) {
      set(draftKey(conversationId), text);
    },
    clear(conversationId) {
      set(draftKey(conversationId), '');
    },
    move(from, to) {
      if (from === to) return;
      const text = get(draftKey(from));
      set(draftKey(from), '');
      set(draftKey(to), text);
    },
  };
  return drafts;
}
