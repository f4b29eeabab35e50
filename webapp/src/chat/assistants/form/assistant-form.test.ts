import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Assistant, AssistantContent, AssistantPatch } from '../../../api/assistants';
import type { StreamChatOptions } from '../../../api/client';
import { ApiError, clientProblem } from '../../../api/problem';
import type { ChatRequest, Me } from '../../../api/types';
import { createAssistantForm } from './assistant-form';

const me: Me = {
  user_id: 'u',
  name: 'Zoë',
  identity_provider: 'aad',
  roles: ['invited'],
  models: [
    { id: 'fast', name: 'Fast', description: 'Everyday answers', reasoning: false, temperature: true, context_tokens: 1000 },
    { id: 'thinker', name: 'Reasoning', description: '', reasoning: true, temperature: false, context_tokens: 1000 },
  ],
  limits: { max_messages: 50, max_message_chars: 200, max_request_bytes: 100000 },
  history: true,
  usage_note: null,
};

const saved: Assistant = {
  id: 'a1',
  name: 'Pirate',
  description: 'Arr',
  system: 'Talk like a pirate.',
  model: 'fast',
  temperature: 0.5,
  max_tokens: null,
  starters: ['Ahoy'],
  visibility: 'private',
  featured: false,
  version: 1,
  owner_name: 'Zoë',
  mine: true,
  updated: 0,
  etag: 'e',
};

function setup(overrides: { create?: (content: AssistantContent) => Promise<Assistant>; update?: (id: string, patch: AssistantPatch) => Promise<Assistant> } = {}) {
  const requests: ChatRequest[] = [];
  const create = vi.fn(overrides.create ?? (async (content: AssistantContent) => ({ ...saved, ...content, model: content.model ?? 'fast', id: 'new' })));
  const update = vi.fn(overrides.update ?? (async () => ({ ...saved, version: 2 })));
  const onSaved = vi.fn();
  const form = createAssistantForm({
    assistants: { create, update },
    client: {
      async streamChat(request: ChatRequest, { onEvent }: StreamChatOptions) {
        requests.push(request);
        onEvent({ type: 'start', model: 'fast', requestId: null, conversationId: null, userMessageId: null, assistantMessageId: null, omittedMessages: 0 });
        onEvent({ type: 'delta', text: 'Arr, matey.' });
        onEvent({ type: 'done', finishReason: 'stop' });
      },
    },
    me: () => me,
    onSaved,
  });
  const byLabel = <T extends HTMLElement>(label: string): T => {
    const element = [...form.element.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
    const control = element === undefined ? null : document.getElementById(element.htmlFor);
    if (control === null) throw new Error(`no field ${label}`);
    return control as T;
  };
  const button = (name: string) => [...form.element.querySelectorAll<HTMLButtonElement>('button')].find((candidate) => candidate.textContent === name);
  const describedBy = (control: HTMLElement) =>
    (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  return { form, create, update, onSaved, byLabel, button, describedBy, requests };
}

function fill(control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  control.value = value;
  control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input'));
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('assistant form', () => {
  it('names a missing name next to the field, then creates the assistant', async () => {
    const { form, create, onSaved, byLabel, button, describedBy } = setup();
    form.open(null);
    button('Create assistant')?.click();
    const name = byLabel<HTMLInputElement>('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name);
    expect(describedBy(name)).toContain('Give the assistant a name.');
    expect(create).not.toHaveBeenCalled();

    fill(name, 'Pirate');
    fill(byLabel('Instructions (system prompt)'), 'Talk like a pirate.');
    fill(byLabel('Starter prompt 2'), 'Where is the treasure?');
    (form.element.querySelector<HTMLInputElement>('input[value="organisation"]') as HTMLInputElement).checked = true;
    button('Create assistant')?.click();
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(create).toHaveBeenCalledWith({
      name: 'Pirate',
      description: '',
      system: 'Talk like a pirate.',
      model: 'fast',
      temperature: null,
      max_tokens: null,
      starters: ['Where is the treasure?'],
      visibility: 'organisation',
    });
    expect(onSaved.mock.calls[0]?.[1]).toBe(true);
  });

  it('asks before Cancel or Escape throws away what was typed, and not when nothing was', async () => {
    const { form, byLabel, button } = setup();
    form.open(null);
    const isOpen = () => form.element.open || form.element.hasAttribute('open');
    button('Cancel')?.click();
    expect(isOpen()).toBe(false);

    form.open(null);
    fill(byLabel('Name'), 'Half-typed');
    byLabel('Name').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    const confirm = await vi.waitFor(() => {
      const found = document.querySelector<HTMLDialogElement>('dialog[role="alertdialog"]');
      if (found === null) throw new Error('no confirmation');
      return found;
    });
    expect(confirm.textContent).toContain('Discard your changes?');
    expect(isOpen()).toBe(true);
    [...confirm.querySelectorAll('button')].find((b) => b.textContent === 'Cancel')?.click();
    await vi.waitFor(() => expect(document.querySelector('dialog[role="alertdialog"]')).toBeNull());
    expect(isOpen()).toBe(true);
    expect(byLabel<HTMLInputElement>('Name').value).toBe('Half-typed');

    button('Cancel')?.click();
    const again = await vi.waitFor(() => {
      const found = document.querySelector<HTMLDialogElement>('dialog[role="alertdialog"]');
      if (found === null) throw new Error('no confirmation');
      return found;
    });
    [...again.querySelectorAll('button')].find((b) => b.textContent === 'Discard')?.click();
    await vi.waitFor(() => expect(isOpen()).toBe(false));
  });

  it('shows the models by name and takes a temperature only for a model that takes one', () => {
    const { form, byLabel } = setup();
    form.open(null);
    const model = byLabel<HTMLSelectElement>('Model');
    expect([...model.options].map((option) => option.textContent)).toEqual(['Fast – Everyday answers', 'Reasoning']);
    const temperature = byLabel<HTMLInputElement>('Temperature');
    expect(temperature.closest<HTMLElement>('.settings__field')?.hidden).toBe(false);
    fill(model, 'thinker');
    expect(temperature.closest<HTMLElement>('.settings__field')?.hidden).toBe(true);
    expect(form.element.textContent).toContain('This model sets its own temperature.');
  });

  it('puts the server’s field errors next to their fields and keeps what was typed', async () => {
    const problem = { ...clientProblem('invalid-request', 400), errors: [{ field: 'starters[0]', message: 'must not be only spaces' }] };
    const { form, byLabel, button, describedBy } = setup({ create: async () => Promise.reject(new ApiError(problem)) });
    form.open(null);
    fill(byLabel('Name'), 'Pirate');
    fill(byLabel('Starter prompt 1'), 'Ahoy');
    button('Create assistant')?.click();
    const starter = byLabel<HTMLInputElement>('Starter prompt 1');
    await vi.waitFor(() => expect(starter.getAttribute('aria-invalid')).toBe('true'));
    expect(describedBy(starter)).toContain('Starter prompt 1 must not be only spaces.');
    expect(byLabel<HTMLInputElement>('Name').value).toBe('Pirate');
    expect(form.element.open || form.element.hasAttribute('open')).toBe(true);
  });

  it('sends only what changed, and offers to make anew one deleted meanwhile', async () => {
    const gone = new ApiError({ ...clientProblem('not-found', 404), detail: 'That assistant does not exist, or it is not shared with you.' });
    const { form, update, create, byLabel, button, onSaved } = setup({ update: async () => Promise.reject(gone) });
    form.open(saved);
    expect(byLabel<HTMLTextAreaElement>('Instructions (system prompt)').value).toBe('Talk like a pirate.');
    fill(byLabel('Description'), 'Talks like a pirate');
    button('Save changes')?.click();
    await vi.waitFor(() => expect(form.element.querySelector('[role="alert"]')?.textContent).toContain('This assistant no longer exists'));
    expect(update).toHaveBeenCalledWith('a1', { description: 'Talks like a pirate' });
    expect(byLabel<HTMLTextAreaElement>('Description').value).toBe('Talks like a pirate');
    button('Create assistant')?.click();
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ name: 'Pirate', description: 'Talks like a pirate', system: 'Talk like a pirate.' }));
  });

  it('tries the form’s values in a temporary chat, its starters one click away', async () => {
    const { form, byLabel, requests } = setup();
    form.open(saved);
    fill(byLabel('Temperature'), '0.9');
    const trial = form.element.querySelector<HTMLElement>('section.try');
    [...(trial?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((candidate) => candidate.textContent === 'Ahoy')?.click();
    await vi.waitFor(() => expect(trial?.querySelector('article[data-role="assistant"]')?.getAttribute('data-status')).toBe('complete'));
    expect(requests).toEqual([{ system: 'Talk like a pirate.', model: 'fast', temperature: 0.9, messages: [{ role: 'user', content: 'Ahoy' }], temporary: true }]);
    expect(trial?.textContent).toContain('Arr, matey.');

    // A wrong value is named in the form, and nothing is sent.
    fill(byLabel('Temperature'), '7');
    const input = byLabel<HTMLTextAreaElement>('Message to try');
    fill(input, 'Again');
    input.form?.requestSubmit();
    expect(requests).toHaveLength(1);
    expect(byLabel<HTMLInputElement>('Temperature').getAttribute('aria-invalid')).toBe('true');
  });
});
