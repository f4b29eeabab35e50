/**
 * What a new chat starts from: a persona of the catalog or a custom assistant, with the
 * settings the API will apply (so the settings dialog can show them) and its starter
 * prompts. The request names it (`persona_id` / `assistant_id`); the API reads the
 * settings itself, so what is copied here is only for showing.
 */
import type { Assistant } from '../../api/assistants';
import type { StartedWith } from '../../api/conversations';
import type { Persona } from '../../api/personas';
import type { StartFrom } from '../../api/types';
import type { ChatSettings } from '../settings/chat-settings';

export type PresetKind = 'persona' | 'assistant';

export interface ChatPreset {
  readonly kind: PresetKind;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly starters: readonly string[];
  readonly settings: ChatSettings;
  /** Assistants: the version chosen. */
  readonly version: number | null;
}

export function presetFromPersona(persona: Persona): ChatPreset {
  return {
    kind: 'persona',
    id: persona.id,
    name: persona.name,
    description: persona.description,
    starters: persona.starters,
    settings: { system: persona.system, model: null, temperature: persona.temperature, maxTokens: null },
    version: null,
  };
}

export function presetFromAssistant(assistant: Assistant): ChatPreset {
  return {
    kind: 'assistant',
    id: assistant.id,
    name: assistant.name,
    description: assistant.description,
    starters: assistant.starters,
    settings: {
      system: assistant.system,
      model: assistant.model === '' ? null : assistant.model,
      temperature: assistant.temperature,
      maxTokens: assistant.max_tokens,
    },
    version: assistant.version,
  };
}

/** The fields of a chat request that name the preset. */
export function startFrom(preset: ChatPreset | null): StartFrom {
  if (preset === null) return {};
  return preset.kind === 'persona' ? { persona_id: preset.id } : { assistant_id: preset.id };
}

/**
 * The note after "Chatting with X" for a saved conversation: which version of an
 * assistant it copied, when the assistant has been edited since (`current`: its version
 * now, null when unknown or gone).
 */
export function versionNote(started: StartedWith, current: number | null): string {
  if (started.kind !== 'assistant' || started.version === null || current === null || current <= started.version) return '';
  return `Started with version ${started.version}; the assistant has been edited since.`;
}
