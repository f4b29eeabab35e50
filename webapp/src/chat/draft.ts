/**
 * The composer's draft in localStorage, so a reload or a trip through the sign-in page
 * does not lose what the user typed. Storage may be unavailable (private mode, quota):
 * then the draft just is not kept.
 */
const KEY = 'chat-on-azure:draft';

export interface DraftStorage {
  load(): string;
  save(text: string): void;
  clear(): void;
}

function defaultStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function createDraftStorage(storage: Storage | null = defaultStorage()): DraftStorage {
  return {
    load() {
      try {
        return storage?.getItem(KEY) ?? '';
      } catch {
        return '';
      }
    },
    save(text) {
      try {
        if (text === '') storage?.removeItem(KEY);
        else storage?.setItem(KEY, text);
      } catch {
        // Quota or privacy settings: nothing to do.
      }
    },
    clear() {
      try {
        storage?.removeItem(KEY);
      } catch {
        // As above.
      }
    },
  };
}
