/**
 * The chat settings of the screen: which settings the chat on screen has, the dialog that
 * changes them, and what each chat request carries. A saved conversation's settings are
 * saved on the server when the dialog saves (the API then answers with them); a new or
 * temporary chat keeps them here and sends them along.
 */
import type { ApiClient } from '../../api/client';
import type { ConversationSummary } from '../../api/conversations';
import { ApiError } from '../../api/problem';
import type { ChatOptions, Me } from '../../api/types';
import type { ChatTarget } from '../controller';
import {
  conversationPatch,
  DEFAULT_SETTINGS,
  presetOverrides,
  requestOptions,
  settingsOf,
  withPresetFallbacks,
  type ChatSettings,
} from './chat-settings';
import { createSettingsDialog, type SettingsDialog, type SettingsScope } from './settings-dialog';

/** Used until `/api/me` says the real limit; the API checks it anyway. */
const FALLBACK_MAX_SYSTEM_CHARS = 32_000;

export interface SettingsControlOptions {
  readonly client: Pick<ApiClient, 'updateConversation'>;
  readonly target: () => ChatTarget;
  readonly me: () => Me | null;
  /** A saved conversation's settings were saved: the server's new summary. */
  readonly onSaved: (conversation: ConversationSummary) => void;
  /** The settings on screen changed (the header marks a chat with its own settings). */
  readonly onChange: (settings: ChatSettings) => void;
  readonly fallbackFocus?: () => void;
}

/** The persona's or assistant's name (the dialog says where the settings come from) and settings. */
export interface SettingsPreset {
  readonly name: string;
  readonly settings: ChatSettings;
}

export interface SettingsControl {
  readonly dialog: SettingsDialog;
  open(): void;
  /** Another chat is on screen: a new one (null: the defaults) or a saved conversation. */
  show(conversation: ConversationSummary | null): void;
  /**
   * The new chat on screen starts from a persona or an assistant (null: no longer): its
   * settings become the chat's, and what the user changes is sent on top of them.
   */
  usePreset(preset: SettingsPreset | null): void;
  /** What the next chat request adds: nothing for a saved conversation (the API has it). */
  requestOptions(): ChatOptions;
  current(): ChatSettings;
}

export function createSettingsControl(options: SettingsControlOptions): SettingsControl {
  let settings: ChatSettings = DEFAULT_SETTINGS;
  let preset: SettingsPreset | null = null;

  function set(next: ChatSettings): void {
    settings = next;
    options.onChange(next);
  }

  function scope(): SettingsScope {
    const target = options.target();
    if (target.temporary) return 'temporary';
    return target.conversationId === null ? 'new' : 'saved';
  }

  async function save(next: ChatSettings): Promise<string | null> {
    const conversationId = options.target().conversationId;
    if (options.target().temporary || conversationId === null) {
      set(preset === null ? next : withPresetFallbacks(next, preset.settings));
      return null;
    }
    try {
      // No If-Match: every saved message changes the etag, and these fields are only
      // written here, so the last settings saved are the ones that count.
      const saved = await options.client.updateConversation(conversationId, conversationPatch(next));
      // The user may have moved to another chat meanwhile: only the one saved changes.
      if (options.target().conversationId === conversationId) set(settingsOf(saved));
      options.onSaved(saved);
      return null;
    } catch (error) {
      const detail = error instanceof ApiError ? error.problem.detail : 'Something went wrong in the app.';
      return `The settings were not saved. ${detail}`;
    }
  }

  const dialog = createSettingsDialog({ onSave: save, fallbackFocus: options.fallbackFocus });

  return {
    dialog,
    open() {
      const me = options.me();
      dialog.open({
        settings,
        models: me?.models ?? [],
        maxSystemChars: me?.limits?.max_message_chars ?? FALLBACK_MAX_SYSTEM_CHARS,
        scope: scope(),
        defaults: preset?.settings ?? DEFAULT_SETTINGS,
        presetName: preset?.name ?? null,
      });
    },
    show(conversation) {
      preset = null;
      set(conversation === null ? DEFAULT_SETTINGS : settingsOf(conversation));
    },
    usePreset(next) {
      preset = next;
      set(next?.settings ?? DEFAULT_SETTINGS);
    },
    requestOptions() {
      const target = options.target();
      if (!target.temporary && target.conversationId !== null) return {};
      const models = options.me()?.models ?? [];
      return preset === null ? requestOptions(settings, models) : presetOverrides(settings, preset.settings, models);
    },
    current: () => settings,
  };
}
