/**
 * A conversation's own settings: a system prompt, the model, and the sampling parameters
 * the model takes. Saved conversations keep them on the server (the API answers every
 * turn with them); a new chat sends them with its first message; a temporary chat sends
 * them with every message.
 */
import type { ConversationPatch, ConversationSummary } from '../../api/conversations';
import type { ChatOptions, ModelInfo } from '../../api/types';

export interface ChatSettings {
  /** Empty: no system prompt. */
  readonly system: string;
  /** Null: the deployment's default model. */
  readonly model: string | null;
  /** Null: the model's default. */
  readonly temperature: number | null;
  readonly maxTokens: number | null;
}

export const DEFAULT_SETTINGS: ChatSettings = Object.freeze({ system: '', model: null, temperature: null, maxTokens: null });

/** What the API accepts (schemas.py). */
export const TEMPERATURE_RANGE = { min: 0, max: 2 } as const;
export const MAX_TOKENS_RANGE = { min: 1, max: 1_000_000 } as const;

export function settingsOf(conversation: ConversationSummary): ChatSettings {
  return {
    system: conversation.system ?? '',
    model: conversation.settings?.model ?? null,
    temperature: conversation.settings?.temperature ?? null,
    maxTokens: conversation.settings?.max_tokens ?? null,
  };
}

export function isCustomised(settings: ChatSettings): boolean {
  return settings.system.trim() !== '' || settings.model !== null || settings.temperature !== null || settings.maxTokens !== null;
}

/** The model these settings use: the chosen one while it is still offered, else the first. */
export function modelOf(settings: ChatSettings, models: readonly ModelInfo[]): ModelInfo | null {
  return models.find((model) => model.id === settings.model) ?? models[0] ?? null;
}

/** Reasoning models take no temperature (the API would drop it anyway). */
export function takesTemperature(model: ModelInfo | null): boolean {
  return model === null || model.temperature;
}

/** A model as a select offers it: its name, and what it is for when the admin said. */
export function modelLabel(model: ModelInfo): string {
  return model.description.trim() === '' ? model.name : `${model.name} – ${model.description}`;
}

/** The id of the model that answers: the chosen one while it is still offered, else the default. */
function effectiveModel(settings: ChatSettings, models: readonly ModelInfo[]): string | null {
  return modelOf(settings, models)?.id ?? settings.model;
}

/**
 * A chat started from a persona or an assistant: the API applies the preset's settings
 * under the request's own, so the request carries only what the user changed from it. An
 * emptied system prompt is sent as "" (it wins over the preset's); a temperature or an
 * answer length cannot be sent as "none", so {@link withPresetFallbacks} keeps the preset's.
 */
export function presetOverrides(settings: ChatSettings, preset: ChatSettings, models: readonly ModelInfo[]): ChatOptions {
  const model = effectiveModel(settings, models);
  const takes = takesTemperature(modelOf(settings, models));
  return {
    ...(settings.system !== preset.system ? { system: settings.system.trim() === '' ? '' : settings.system } : {}),
    ...(model !== null && model !== effectiveModel(preset, models) ? { model } : {}),
    ...(settings.temperature !== null && settings.temperature !== preset.temperature && takes ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== null && settings.maxTokens !== preset.maxTokens ? { max_tokens: settings.maxTokens } : {}),
  };
}

/** What a chat from a preset really uses when a field is left empty: the preset's value. */
export function withPresetFallbacks(settings: ChatSettings, preset: ChatSettings): ChatSettings {
  return {
    ...settings,
    temperature: settings.temperature ?? preset.temperature,
    maxTokens: settings.maxTokens ?? preset.maxTokens,
  };
}

/** The fields of a chat request that carry these settings; defaults are left out. */
export function requestOptions(settings: ChatSettings, models: readonly ModelInfo[]): ChatOptions {
  const model = settings.model !== null && models.some((offered) => offered.id === settings.model) ? settings.model : null;
  return {
    ...(settings.system.trim() !== '' ? { system: settings.system } : {}),
    ...(model !== null ? { model } : {}),
    ...(settings.temperature !== null && takesTemperature(modelOf(settings, models)) ? { temperature: settings.temperature } : {}),
    ...(settings.maxTokens !== null ? { max_tokens: settings.maxTokens } : {}),
  };
}

/** The PATCH that gives a saved conversation these settings (all of them, defaults too). */
export function conversationPatch(settings: ChatSettings): ConversationPatch {
  return {
    system: settings.system.trim() === '' ? '' : settings.system,
    settings: { model: settings.model, temperature: settings.temperature, max_tokens: settings.maxTokens },
  };
}

export interface SettingsForm {
  readonly system: string;
  readonly model: string;
  readonly temperature: string;
  readonly maxTokens: string;
}

export type SettingsField = keyof SettingsForm;

export type ReadResult =
  | { readonly ok: true; readonly settings: ChatSettings }
  | { readonly ok: false; readonly field: SettingsField; readonly message: string };

/** The settings a form holds, or the first field that is wrong and a sentence saying why. */
export function readSettingsForm(form: SettingsForm, maxSystemChars: number): ReadResult {
  if (form.system.length > maxSystemChars) {
    return { ok: false, field: 'system', message: `The system prompt can be at most ${maxSystemChars.toLocaleString('en')} characters long.` };
  }
  const temperature = form.temperature.trim() === '' ? null : Number(form.temperature);
  if (temperature !== null && !(temperature >= TEMPERATURE_RANGE.min && temperature <= TEMPERATURE_RANGE.max)) {
    return { ok: false, field: 'temperature', message: 'Temperature must be a number from 0 to 2, or empty for the default.' };
  }
  const maxTokens = form.maxTokens.trim() === '' ? null : Number(form.maxTokens);
  if (maxTokens !== null && !(Number.isInteger(maxTokens) && maxTokens >= MAX_TOKENS_RANGE.min && maxTokens <= MAX_TOKENS_RANGE.max)) {
    return { ok: false, field: 'maxTokens', message: 'Maximum answer length must be a whole number of tokens from 1 to 1,000,000, or empty for the default.' };
  }
  return {
    ok: true,
    settings: { system: form.system, model: form.model === '' ? null : form.model, temperature, maxTokens },
  };
}
