/**
 * The "Chat settings" dialog: model, system prompt, temperature (only for models that take
 * one) and maximum answer length, for the conversation on screen. Saving may go to the
 * server; while it does, the dialog stays open and a failure is said in it, in a sentence,
 * with what the user typed kept.
 */
import type { ModelInfo } from '../../api/types';
import { h, setText, show, uniqueId } from '../../ui/dom';
import { modal } from '../../ui/modal';
import {
  DEFAULT_SETTINGS,
  MAX_TOKENS_RANGE,
  modelLabel,
  modelOf,
  readSettingsForm,
  takesTemperature,
  TEMPERATURE_RANGE,
  type ChatSettings,
  type SettingsField,
} from './chat-settings';
import './settings-dialog.css';

/** What the settings apply to, as the dialog's first line says it. */
export type SettingsScope = 'saved' | 'new' | 'temporary';

export interface SettingsDialogContext {
  readonly settings: ChatSettings;
  readonly models: readonly ModelInfo[];
  readonly maxSystemChars: number;
  readonly scope: SettingsScope;
  /** What "Reset" goes back to: the defaults, or the settings of the chat's persona or assistant. */
  readonly defaults?: ChatSettings;
  /** The persona or assistant the chat starts from, if any. */
  readonly presetName?: string | null;
}

export interface SettingsDialogOptions {
  /** Resolve with null when saved, or a sentence saying why not (the dialog stays open). */
  readonly onSave: (settings: ChatSettings) => Promise<string | null>;
  readonly fallbackFocus?: (() => void) | undefined;
}

export interface SettingsDialog {
  readonly element: HTMLDialogElement;
  open(context: SettingsDialogContext): void;
  close(): void;
  isOpen(): boolean;
}

const SCOPE_TEXT: Record<SettingsScope, string> = {
  saved: 'These settings are saved with this conversation.',
  new: 'These settings apply to the chat you are about to start.',
  temporary: 'These settings apply to this temporary chat and are not saved.',
};

function scopeText(context: SettingsDialogContext): string {
  const name = context.presetName ?? null;
  if (name === null || context.scope === 'saved') return SCOPE_TEXT[context.scope];
  // The API puts the request's own settings over the preset's: say so, so nothing here surprises.
  return `${SCOPE_TEXT[context.scope]} They start as ${name}’s; what you change here applies on top, and an empty field keeps ${name}’s value.`;
}

function field(label: string, control: HTMLElement, hint: HTMLElement | null, error: HTMLElement): HTMLElement {
  control.setAttribute('aria-describedby', [hint?.id, error.id].filter((id) => id !== undefined && id !== '').join(' '));
  return h('div', { class: 'settings__field' }, h('label', { attrs: { for: control.id } }, label), control, hint, error);
}

export function createSettingsDialog(options: SettingsDialogOptions): SettingsDialog {
  const titleId = uniqueId('settings-title');
  const ids = { model: uniqueId('settings-model'), system: uniqueId('settings-system'), temperature: uniqueId('settings-temperature'), maxTokens: uniqueId('settings-max-tokens') };
  const errorIds: Record<SettingsField, string> = {
    model: `${ids.model}-error`,
    system: `${ids.system}-error`,
    temperature: `${ids.temperature}-error`,
    maxTokens: `${ids.maxTokens}-error`,
  };
  const errors: Record<SettingsField, HTMLElement> = {
    model: h('p', { class: 'settings__error', attrs: { id: errorIds.model, hidden: true } }),
    system: h('p', { class: 'settings__error', attrs: { id: errorIds.system, hidden: true } }),
    temperature: h('p', { class: 'settings__error', attrs: { id: errorIds.temperature, hidden: true } }),
    maxTokens: h('p', { class: 'settings__error', attrs: { id: errorIds.maxTokens, hidden: true } }),
  };

  const scope = h('p', { class: 'settings__scope' });
  const model = h('select', { class: 'settings__input', attrs: { id: ids.model, name: 'model' } });
  const system = h('textarea', {
    class: 'settings__input settings__system',
    attrs: { id: ids.system, name: 'system', rows: 5 },
  });
  const temperature = h('input', {
    class: 'settings__input settings__number',
    attrs: {
      id: ids.temperature,
      name: 'temperature',
      type: 'number',
      inputmode: 'decimal',
      step: '0.1',
      min: TEMPERATURE_RANGE.min,
      max: TEMPERATURE_RANGE.max,
      placeholder: 'Default',
    },
  });
  const noTemperature = h('p', { class: 'settings__hint', attrs: { hidden: true } }, 'This model sets its own temperature.');
  const temperatureField = field(
    'Temperature',
    temperature,
    h('p', { class: 'settings__hint', attrs: { id: `${ids.temperature}-hint` } }, 'From 0 (focused, repeatable) to 2 (varied). Empty: the model’s default.'),
    errors.temperature,
  );
  const maxTokens = h('input', {
    class: 'settings__input settings__number',
    attrs: {
      id: ids.maxTokens,
      name: 'max_tokens',
      type: 'number',
      inputmode: 'numeric',
      step: '1',
      min: MAX_TOKENS_RANGE.min,
      max: MAX_TOKENS_RANGE.max,
      placeholder: 'Default',
    },
  });
  const saveError = h('p', { class: 'settings__save-error', attrs: { role: 'alert', hidden: true } });
  const saveButton = h('button', { class: 'button button--primary', attrs: { type: 'submit' } }, 'Save');
  const cancelButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Cancel');
  const resetButton = h('button', { class: 'button button--secondary settings__reset', attrs: { type: 'button' } }, 'Reset to defaults');
  const form = h(
    'form',
    { class: 'settings__form', attrs: { novalidate: true } },
    field('Model', model, null, errors.model),
    field(
      'System prompt',
      system,
      h('p', { class: 'settings__hint', attrs: { id: `${ids.system}-hint` } }, 'Instructions the model follows in every answer of this chat, for example “Answer in French” or “You review Python code”.'),
      errors.system,
    ),
    temperatureField,
    noTemperature,
    field('Maximum answer length (tokens)', maxTokens, h('p', { class: 'settings__hint', attrs: { id: `${ids.maxTokens}-hint` } }, 'Empty: the deployment’s default.'), errors.maxTokens),
    saveError,
    h('div', { class: 'settings__actions' }, resetButton, h('span', { class: 'settings__spacer' }), cancelButton, saveButton),
  );
  const element = h(
    'dialog',
    { class: 'modal-sheet settings', attrs: { 'aria-labelledby': titleId } },
    h('h2', { class: 'settings__title', attrs: { id: titleId } }, 'Chat settings'),
    scope,
    form,
  );

  let context: SettingsDialogContext | null = null;
  let saving = false;
  const dialog = modal(element, { initialFocus: () => model, fallbackFocus: options.fallbackFocus });

  function controls(): Record<SettingsField, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> {
    return { model, system, temperature, maxTokens };
  }

  // Each control is described by its error element too: empty (no error) it adds nothing.
  function clearErrors(): void {
    for (const [name, error] of Object.entries(errors) as [SettingsField, HTMLElement][]) {
      setText(error, '');
      show(error, false);
      controls()[name].removeAttribute('aria-invalid');
    }
    setText(saveError, '');
    show(saveError, false);
  }

  function showFieldError(name: SettingsField, message: string): void {
    const control = controls()[name];
    setText(errors[name], message);
    show(errors[name], true);
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  }

  function syncTemperature(): void {
    const models = context?.models ?? [];
    const chosen = models.find((candidate) => candidate.id === model.value) ?? models[0] ?? null;
    const takes = takesTemperature(chosen);
    show(temperatureField, takes);
    show(noTemperature, !takes);
  }

  function fill(settings: ChatSettings, models: readonly ModelInfo[]): void {
    const fallback = models[0]?.name ?? '';
    model.replaceChildren(
      h('option', { attrs: { value: '' } }, fallback === '' ? 'Default' : `Default (${fallback})`),
      ...models.map((offered) => h('option', { attrs: { value: offered.id } }, modelLabel(offered))),
    );
    // A model the admin has since removed shows as the default, which is what answers.
    model.value = settings.model !== null && models.some((offered) => offered.id === settings.model) ? settings.model : '';
    system.value = settings.system;
    temperature.value = settings.temperature === null ? '' : String(settings.temperature);
    maxTokens.value = settings.maxTokens === null ? '' : String(settings.maxTokens);
    syncTemperature();
  }

  model.addEventListener('change', syncTemperature);
  resetButton.addEventListener('click', () => {
    fill(context?.defaults ?? DEFAULT_SETTINGS, context?.models ?? []);
    clearErrors();
  });
  cancelButton.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (saving || context === null) return;
    clearErrors();
    const read = readSettingsForm(
      { model: model.value, system: system.value, temperature: takesTemperature(modelOf({ ...DEFAULT_SETTINGS, model: model.value || null }, context.models)) ? temperature.value : '', maxTokens: maxTokens.value },
      context.maxSystemChars,
    );
    if (!read.ok) {
      showFieldError(read.field, read.message);
      return;
    }
    saving = true;
    saveButton.disabled = true;
    setText(saveButton, 'Saving…');
    void options.onSave(read.settings).then((failure) => {
      saving = false;
      saveButton.disabled = false;
      setText(saveButton, 'Save');
      if (failure === null) {
        dialog.close();
        return;
      }
      setText(saveError, failure);
      show(saveError, true);
    });
  });

  return {
    element,
    open(next) {
      context = next;
      setText(scope, scopeText(next));
      const presetName = next.presetName ?? null;
      setText(resetButton, presetName === null ? 'Reset to defaults' : `Reset to ${presetName}’s settings`);
      system.maxLength = next.maxSystemChars;
      fill(next.settings, next.models);
      clearErrors();
      dialog.open();
    },
    close: () => dialog.close(),
    isOpen: () => dialog.isOpen(),
  };
}
