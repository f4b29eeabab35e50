/**
 * Make or edit an assistant: name, description, instructions, model (from the catalog),
 * temperature (only for a model that takes one), answer length, up to four starter
 * prompts and who can use it, with "Try it" beside the form. A wrong field is named next
 * to it (and focused); a problem of the server is a sentence above the buttons, and what
 * the user typed stays.
 */
import { ASSISTANT_LIMITS, type Assistant, type AssistantsApi } from '../../../api/assistants';
import type { ApiClient } from '../../../api/client';
import { ApiError } from '../../../api/problem';
import type { Me, ModelInfo } from '../../../api/types';
import { h, setText, show, uniqueId } from '../../../ui/dom';
import { MAX_TOKENS_RANGE, modelLabel, takesTemperature, TEMPERATURE_RANGE } from '../../settings/chat-settings';
import { createDialogFrame } from '../dialog-frame';
import { confirmDanger } from '../gallery/confirm';
import { detailOf, isGone } from '../sentences';
import {
  changedFields,
  emptyValues,
  fieldOfServerError,
  readAssistantForm,
  serverErrorSentence,
  tryOptions,
  valuesOf,
  type AssistantFormValues,
  type FieldRef,
  type FormField,
} from './form-values';
import { createTryChat } from './try-chat';
import './assistant-form.css';

export interface AssistantFormOptions {
  readonly assistants: Pick<AssistantsApi, 'create' | 'update'>;
  readonly client: Pick<ApiClient, 'streamChat'>;
  readonly me: () => Me | null;
  readonly onSaved: (assistant: Assistant, created: boolean) => void;
}

export interface AssistantForm {
  readonly element: HTMLDialogElement;
  /** A new assistant (null) or one to edit, read whole (with its system prompt). */
  open(assistant: Assistant | null): void;
  close(): void;
  destroy(): void;
}

/** Used until `/api/me` says the real limit; the API checks it anyway. */
const FALLBACK_MAX_SYSTEM_CHARS = 32_000;

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

interface Field {
  readonly wrapper: HTMLElement;
  readonly control: Control;
  readonly error: HTMLElement;
}

function makeField(label: string, control: Control, hint: string | null, extraClass = ''): Field {
  const error = h('p', { class: 'settings__error', attrs: { id: `${control.id}-error`, hidden: true } });
  const hintElement = hint === null ? null : h('p', { class: 'settings__hint', attrs: { id: `${control.id}-hint` } }, hint);
  control.setAttribute('aria-describedby', [hintElement?.id, error.id].filter((id) => id !== undefined).join(' '));
  const wrapper = h('div', { class: `settings__field ${extraClass}`.trim() }, h('label', { attrs: { for: control.id } }, label), control, hintElement, error);
  return { wrapper, control, error };
}

export function createAssistantForm(options: AssistantFormOptions): AssistantForm {
  const id = (name: string): string => uniqueId(`assistant-${name}`);
  const name = makeField(
    'Name',
    h('input', { class: 'settings__input', attrs: { id: id('name'), type: 'text', maxlength: ASSISTANT_LIMITS.name, autocomplete: 'off', 'aria-required': 'true' } }),
    null,
  );
  const description = makeField(
    'Description',
    h('textarea', { class: 'settings__input', attrs: { id: id('description'), rows: 2, maxlength: ASSISTANT_LIMITS.description } }),
    'One line on what it is for: people choose by it.',
  );
  const system = makeField(
    'Instructions (system prompt)',
    h('textarea', { class: 'settings__input settings__system assistant-form__system', attrs: { id: id('system'), rows: 8 } }),
    'What the model should do, how to answer, what to avoid. Users do not see them.',
  );
  const modelSelect = h('select', { class: 'settings__input', attrs: { id: id('model') } });
  const model = makeField('Model', modelSelect, null);
  const temperature = makeField(
    'Temperature',
    h('input', {
      class: 'settings__input settings__number',
      attrs: { id: id('temperature'), type: 'number', inputmode: 'decimal', step: '0.1', min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max, placeholder: 'Default' },
    }),
    'From 0 (focused, repeatable) to 2 (varied). Empty: the model’s default.',
  );
  const noTemperature = h('p', { class: 'settings__hint', attrs: { hidden: true } }, 'This model sets its own temperature.');
  const maxTokens = makeField(
    'Maximum answer length (tokens)',
    h('input', {
      class: 'settings__input settings__number',
      attrs: { id: id('max-tokens'), type: 'number', inputmode: 'numeric', step: '1', min: MAX_TOKENS_RANGE.min, max: MAX_TOKENS_RANGE.max, placeholder: 'Default' },
    }),
    'Empty: the model’s default.',
  );
  const starters = Array.from({ length: ASSISTANT_LIMITS.starters }, (_, index) =>
    makeField(
      `Starter prompt ${index + 1}`,
      h('input', { class: 'settings__input', attrs: { id: id(`starter-${index + 1}`), type: 'text', maxlength: ASSISTANT_LIMITS.starter, autocomplete: 'off' } }),
      null,
      'assistant-form__starter',
    ),
  );
  const visibilityName = uniqueId('assistant-visibility');
  const radio = (value: string, label: string): { input: HTMLInputElement; element: HTMLElement } => {
    const input = h('input', { attrs: { type: 'radio', name: visibilityName, value, id: uniqueId('assistant-visibility-option') } });
    return { input, element: h('div', { class: 'assistant-form__radio' }, input, h('label', { attrs: { for: input.id } }, label)) };
  };
  const privateOption = radio('private', 'Only me');
  const sharedOption = radio('organisation', 'Everyone in the organisation');
  const visibilityError = h('p', { class: 'settings__error', attrs: { id: uniqueId('assistant-visibility-error'), hidden: true } });

  const formError = h('p', { class: 'settings__save-error', attrs: { role: 'alert', hidden: true } });
  const saveButton = h('button', { class: 'button button--primary', attrs: { type: 'submit' } }, 'Create assistant');
  const cancelButton = h('button', { class: 'button button--secondary', attrs: { type: 'button' } }, 'Cancel');
  const form = h(
    'form',
    { class: 'assistant-form__form', attrs: { novalidate: true } },
    name.wrapper,
    description.wrapper,
    system.wrapper,
    model.wrapper,
    temperature.wrapper,
    noTemperature,
    maxTokens.wrapper,
    h(
      'fieldset',
      { class: 'assistant-form__group' },
      h('legend', {}, 'Starter prompts'),
      h('p', { class: 'settings__hint' }, `Up to ${ASSISTANT_LIMITS.starters}, offered as one-click suggestions when a chat starts.`),
      ...starters.map((starter) => starter.wrapper),
    ),
    h(
      'fieldset',
      { class: 'assistant-form__group', attrs: { 'aria-describedby': visibilityError.id } },
      h('legend', {}, 'Who can use it'),
      privateOption.element,
      sharedOption.element,
      visibilityError,
    ),
    formError,
    h('div', { class: 'settings__actions' }, h('span', { class: 'settings__spacer' }), cancelButton, saveButton),
  );

  let editing: Assistant | null = null;
  let saving = false;
  // What the form held when it opened: leaving with other values asks first.
  let opened: AssistantFormValues | null = null;

  const tryChat = createTryChat({
    client: options.client,
    requestOptions() {
      clearErrors();
      const read = readAssistantForm(values(), models(), maxSystemChars(), false);
      if (!read.ok) {
        showFieldError(read, read.message);
        return null;
      }
      return tryOptions(read.content);
    },
    starters: () => starters.map((starter) => starter.control.value.trim()).filter((text) => text !== ''),
  });

  const frame = createDialogFrame(
    { className: 'assistant-form', title: 'New assistant', initialFocus: () => name.control, onClose: () => tryChat.reset() },
    h('div', { class: 'assistant-form__layout' }, form, tryChat.element),
  );

  function models(): readonly ModelInfo[] {
    return options.me()?.models ?? [];
  }

  function maxSystemChars(): number {
    return options.me()?.limits?.max_message_chars ?? FALLBACK_MAX_SYSTEM_CHARS;
  }

  function values(): AssistantFormValues {
    return {
      name: name.control.value,
      description: description.control.value,
      system: system.control.value,
      model: modelSelect.value,
      temperature: temperature.control.value,
      maxTokens: maxTokens.control.value,
      starters: starters.map((starter) => starter.control.value),
      visibility: sharedOption.input.checked ? 'organisation' : 'private',
    };
  }

  function fieldFor(ref: FieldRef): { control: HTMLElement; error: HTMLElement } {
    const fields: Record<Exclude<FormField, 'starters' | 'visibility'>, Field> = { name, description, system, model, temperature, maxTokens };
    if (ref.field === 'starters') return starters[ref.index ?? 0] ?? starters[0] ?? name;
    if (ref.field === 'visibility') return { control: privateOption.input, error: visibilityError };
    return fields[ref.field];
  }

  function clearErrors(): void {
    for (const error of form.querySelectorAll<HTMLElement>('.settings__error')) {
      setText(error, '');
      show(error, false);
    }
    for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
    setText(formError, '');
    show(formError, false);
  }

  function showFieldError(ref: FieldRef, message: string, focus = true): void {
    const { control, error } = fieldFor(ref);
    setText(error, message);
    show(error, true);
    control.setAttribute('aria-invalid', 'true');
    if (focus) control.focus();
  }

  function syncTemperature(): void {
    const chosen = models().find((offered) => offered.id === modelSelect.value) ?? null;
    const takes = takesTemperature(chosen);
    show(temperature.wrapper, takes);
    show(noTemperature, !takes);
  }

  function fill(next: AssistantFormValues): void {
    const offered = models();
    const known = offered.some((candidate) => candidate.id === next.model);
    modelSelect.replaceChildren(
      ...(offered.length === 0 ? [h('option', { attrs: { value: '' } }, 'Default')] : []),
      ...offered.map((candidate) => h('option', { attrs: { value: candidate.id } }, modelLabel(candidate))),
      // Removed from the catalog since: kept unless the user picks another (the API answers with the default).
      ...(known || next.model === '' ? [] : [h('option', { attrs: { value: next.model } }, `${next.model} (no longer offered: answers use the default)`)]),
    );
    modelSelect.value = next.model;
    name.control.value = next.name;
    description.control.value = next.description;
    system.control.value = next.system;
    temperature.control.value = next.temperature;
    maxTokens.control.value = next.maxTokens;
    starters.forEach((starter, index) => {
      starter.control.value = next.starters[index] ?? '';
    });
    privateOption.input.checked = next.visibility === 'private';
    sharedOption.input.checked = next.visibility === 'organisation';
    syncTemperature();
  }

  function setMode(assistant: Assistant | null): void {
    editing = assistant;
    setText(frame.title, assistant === null ? 'New assistant' : `Edit “${assistant.name}”`);
    setText(saveButton, assistant === null ? 'Create assistant' : 'Save changes');
  }

  function showServerProblem(error: unknown): void {
    if (isGone(error) && editing !== null) {
      // Deleted meanwhile (perhaps in another window): keep what was typed, offer to make it anew.
      setMode(null);
      setText(formError, 'This assistant no longer exists: it was deleted, perhaps in another window. What you typed is still here: “Create assistant” saves it as a new one.');
      show(formError, true);
      saveButton.focus();
      return;
    }
    if (error instanceof ApiError && error.problem.errors.length > 0) {
      let first = true;
      for (const fieldError of error.problem.errors) {
        const ref = fieldOfServerError(fieldError);
        if (ref === null) continue;
        showFieldError(ref, serverErrorSentence(ref, fieldError.message), first);
        first = false;
      }
      if (!first) return;
    }
    setText(formError, `The assistant was not saved. ${detailOf(error)}`);
    show(formError, true);
  }

  async function save(): Promise<void> {
    if (saving) return;
    clearErrors();
    const read = readAssistantForm(values(), models(), maxSystemChars());
    if (!read.ok) {
      showFieldError(read, read.message);
      return;
    }
    const before = editing;
    const patch = before === null ? null : changedFields(before, read.content);
    if (before !== null && patch !== null && Object.keys(patch).length === 0) {
      frame.modal.close();
      return;
    }
    saving = true;
    saveButton.disabled = true;
    setText(saveButton, 'Saving…');
    try {
      const saved = before === null || patch === null ? await options.assistants.create(read.content) : await options.assistants.update(before.id, patch);
      frame.modal.close();
      options.onSaved(saved, before === null);
    } catch (error) {
      // Enabled first: a problem may move focus to it.
      saveButton.disabled = false;
      showServerProblem(error);
    } finally {
      saving = false;
      saveButton.disabled = false;
      setText(saveButton, editing === null ? 'Create assistant' : 'Save changes');
    }
  }

  function dirty(): boolean {
    return opened !== null && JSON.stringify(values()) !== JSON.stringify(opened);
  }

  /** Cancel, Escape, the close button or the backdrop: never lose typing without asking. */
  async function leave(): Promise<void> {
    if (
      !dirty() ||
      (await confirmDanger({ title: 'Discard your changes?', text: 'What you typed in this form will be lost.', confirm: 'Discard' }))
    ) {
      frame.modal.close();
    }
  }

  modelSelect.addEventListener('change', syncTemperature);
  for (const starter of starters) starter.control.addEventListener('input', () => tryChat.refresh());
  cancelButton.addEventListener('click', () => void leave());
  // Capture, on the dialog: these run before the frame's own closing listeners.
  const closeButton = frame.head.querySelector('.assistant-dialog__close');
  frame.element.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Escape' || !dirty()) return;
      event.preventDefault();
      event.stopPropagation();
      void leave();
    },
    { capture: true },
  );
  frame.element.addEventListener(
    'click',
    (event) => {
      const target = event.target instanceof Node ? event.target : null;
      const closing = target === frame.element || (target !== null && closeButton?.contains(target) === true);
      if (!closing || !dirty()) return;
      event.stopPropagation();
      void leave();
    },
    { capture: true },
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });

  return {
    element: frame.element,
    open(assistant) {
      setMode(assistant);
      system.control.setAttribute('maxlength', String(maxSystemChars()));
      fill(assistant === null ? emptyValues(models()) : valuesOf(assistant));
      opened = values();
      clearErrors();
      tryChat.reset();
      tryChat.refresh();
      if (!frame.element.isConnected) document.body.append(frame.element);
      frame.modal.open();
    },
    close: () => frame.modal.close(),
    destroy() {
      frame.modal.close();
      tryChat.destroy();
      frame.element.remove();
    },
  };
}
