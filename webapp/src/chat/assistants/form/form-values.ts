/**
 * The assistant form's values, independent of the DOM: reading and checking them (the
 * first wrong field and a sentence saying why, like the chat settings dialog), turning
 * the API's field errors into sentences next to the right field, the PATCH of what
 * changed, and the options of a "Try it" request.
 */
import { ASSISTANT_LIMITS, type Assistant, type AssistantContent, type AssistantPatch, type Visibility } from '../../../api/assistants';
import type { ChatOptions, FieldError, ModelInfo } from '../../../api/types';
import { MAX_TOKENS_RANGE, takesTemperature, TEMPERATURE_RANGE } from '../../settings/chat-settings';

export interface AssistantFormValues {
  readonly name: string;
  readonly description: string;
  readonly system: string;
  readonly model: string;
  readonly temperature: string;
  readonly maxTokens: string;
  readonly starters: readonly string[];
  readonly visibility: Visibility;
}

export type FormField = 'name' | 'description' | 'system' | 'model' | 'temperature' | 'maxTokens' | 'starters' | 'visibility';

/** A field, and for starters which one (0-based). */
export interface FieldRef {
  readonly field: FormField;
  readonly index?: number;
}

export type FormRead =
  | { readonly ok: true; readonly content: AssistantContent }
  | ({ readonly ok: false; readonly message: string } & FieldRef);

export const FIELD_LABELS: Record<FormField, string> = {
  name: 'Name',
  description: 'Description',
  system: 'Instructions (system prompt)',
  model: 'Model',
  temperature: 'Temperature',
  maxTokens: 'Maximum answer length (tokens)',
  starters: 'Starter prompt',
  visibility: 'Who can use it',
};

export function emptyValues(models: readonly ModelInfo[]): AssistantFormValues {
  return { name: '', description: '', system: '', model: models[0]?.id ?? '', temperature: '', maxTokens: '', starters: ['', '', '', ''], visibility: 'private' };
}

export function valuesOf(assistant: Assistant): AssistantFormValues {
  const starters = [...assistant.starters];
  while (starters.length < ASSISTANT_LIMITS.starters) starters.push('');
  return {
    name: assistant.name,
    description: assistant.description,
    system: assistant.system,
    model: assistant.model,
    temperature: assistant.temperature === null ? '' : String(assistant.temperature),
    maxTokens: assistant.max_tokens === null ? '' : String(assistant.max_tokens),
    starters,
    visibility: assistant.visibility,
  };
}

function tooLong(label: string, limit: number): string {
  return `${label} can be at most ${limit.toLocaleString('en')} characters long.`;
}

/**
 * The content the form holds, or the first field that is wrong. `requireName` is false for
 * "Try it", which needs no name.
 */
export function readAssistantForm(
  values: AssistantFormValues,
  models: readonly ModelInfo[],
  maxSystemChars: number,
  requireName = true,
): FormRead {
  const name = values.name.trim();
  if (requireName && name === '') return { ok: false, field: 'name', message: 'Give the assistant a name.' };
  if (name.length > ASSISTANT_LIMITS.name) return { ok: false, field: 'name', message: tooLong('The name', ASSISTANT_LIMITS.name) };
  if (values.description.length > ASSISTANT_LIMITS.description) {
    return { ok: false, field: 'description', message: tooLong('The description', ASSISTANT_LIMITS.description) };
  }
  if (values.system.length > maxSystemChars) return { ok: false, field: 'system', message: tooLong('The instructions', maxSystemChars) };
  const model = models.find((offered) => offered.id === values.model) ?? null;
  const temperature = values.temperature.trim() === '' || !takesTemperature(model) ? null : Number(values.temperature);
  if (temperature !== null && !(temperature >= TEMPERATURE_RANGE.min && temperature <= TEMPERATURE_RANGE.max)) {
    return { ok: false, field: 'temperature', message: 'Temperature must be a number from 0 to 2, or empty for the model’s default.' };
  }
  const maxTokens = values.maxTokens.trim() === '' ? null : Number(values.maxTokens);
  if (maxTokens !== null && !(Number.isInteger(maxTokens) && maxTokens >= MAX_TOKENS_RANGE.min && maxTokens <= MAX_TOKENS_RANGE.max)) {
    return {
      ok: false,
      field: 'maxTokens',
      message: 'Maximum answer length must be a whole number of tokens from 1 to 1,000,000, or empty for the default.',
    };
  }
  const starters: string[] = [];
  for (const [index, starter] of values.starters.entries()) {
    if (starter.trim().length > ASSISTANT_LIMITS.starter) {
      return { ok: false, field: 'starters', index, message: tooLong(`Starter prompt ${index + 1}`, ASSISTANT_LIMITS.starter) };
    }
    if (starter.trim() !== '') starters.push(starter.trim());
  }
  return {
    ok: true,
    content: {
      name,
      description: values.description.trim(),
      system: values.system,
      model: values.model === '' ? null : values.model,
      temperature,
      max_tokens: maxTokens,
      starters: starters.slice(0, ASSISTANT_LIMITS.starters),
      visibility: values.visibility,
    },
  };
}

const SERVER_FIELDS: Record<string, FormField> = {
  name: 'name',
  description: 'description',
  system: 'system',
  model: 'model',
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  starters: 'starters',
  visibility: 'visibility',
};

/** The form field an API error names (`starters[2]` is the third starter), or null. */
export function fieldOfServerError(error: FieldError): FieldRef | null {
  const match = /^([a-z_]+)(?:\[(\d+)\])?/.exec(error.field);
  const field = match === null ? undefined : SERVER_FIELDS[match[1] ?? ''];
  if (field === undefined) return null;
  const index = match?.[2] === undefined ? undefined : Number(match[2]);
  return index === undefined ? { field } : { field, index };
}

/** The API's "must be at most 80 characters" as a sentence about the field. */
export function serverErrorSentence(ref: FieldRef, message: string): string {
  const label = ref.field === 'starters' ? `Starter prompt ${(ref.index ?? 0) + 1}` : FIELD_LABELS[ref.field];
  const text = message.trim().replace(/\.$/, '');
  return `${label} ${text}.`;
}

/** Only what changed: the API merges a PATCH into what is stored, so a concurrent edit of another field stays. */
export function changedFields(before: Assistant, after: AssistantContent): AssistantPatch {
  const patch: { -readonly [K in keyof AssistantPatch]: AssistantPatch[K] } = {};
  if (after.name !== before.name) patch.name = after.name;
  if (after.description !== before.description) patch.description = after.description;
  if (after.system !== before.system) patch.system = after.system;
  if (after.model !== null && after.model !== before.model) patch.model = after.model;
  if (after.temperature !== before.temperature) patch.temperature = after.temperature;
  if (after.max_tokens !== before.max_tokens) patch.max_tokens = after.max_tokens;
  if (after.starters.join('\n') !== before.starters.join('\n') || after.starters.length !== before.starters.length) patch.starters = after.starters;
  if (after.visibility !== before.visibility) patch.visibility = after.visibility;
  return patch;
}

/** A temporary "Try it" request with these values, as the saved assistant would answer. */
export function tryOptions(content: AssistantContent): ChatOptions {
  return {
    ...(content.system.trim() !== '' ? { system: content.system } : {}),
    ...(content.model !== null ? { model: content.model } : {}),
    ...(content.temperature !== null ? { temperature: content.temperature } : {}),
    ...(content.max_tokens !== null ? { max_tokens: content.max_tokens } : {}),
  };
}
