import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ModelInfo } from '../../api/types';
import { DEFAULT_SETTINGS, type ChatSettings } from './chat-settings';
import { createSettingsDialog, type SettingsDialogContext } from './settings-dialog';

const models: ModelInfo[] = [
  { id: 'gpt-5.4-mini', name: 'Fast', description: 'Everyday answers', reasoning: false, temperature: true, context_tokens: 400000 },
  { id: 'o4-mini', name: 'Reasoning', description: '', reasoning: true, temperature: false, context_tokens: 200000 },
];

function context(settings: ChatSettings = DEFAULT_SETTINGS): SettingsDialogContext {
  return { settings, models, maxSystemChars: 50, scope: 'saved' };
}

function setup(onSave: (settings: ChatSettings) => Promise<string | null> = async () => null) {
  const save = vi.fn(onSave);
  const dialog = createSettingsDialog({ onSave: save });
  const q = <T extends Element>(selector: string): T => {
    const found = dialog.element.querySelector<T>(selector);
    if (found === null) throw new Error(`no ${selector}`);
    return found;
  };
  const byLabel = <T extends HTMLElement>(label: string): T => {
    const element = [...dialog.element.querySelectorAll('label')].find((candidate) => candidate.textContent === label);
    return q<T>(`#${element?.htmlFor ?? 'missing'}`);
  };
  const submit = (): void => {
    q<HTMLFormElement>('form').requestSubmit();
  };
  return { dialog, save, q, byLabel, submit };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('settings dialog', () => {
  it('shows the conversation’s settings and saves what the user changed', async () => {
    const { dialog, save, byLabel, submit } = setup();
    dialog.open(context({ system: 'Be brief.', model: null, temperature: 0.3, maxTokens: null }));
    expect(dialog.isOpen()).toBe(true);
    expect(byLabel<HTMLTextAreaElement>('System prompt').value).toBe('Be brief.');
    expect(byLabel<HTMLInputElement>('Temperature').value).toBe('0.3');
    expect([...byLabel<HTMLSelectElement>('Model').options].map((option) => option.textContent)).toEqual([
      'Default (Fast)',
      'Fast – Everyday answers',
      'Reasoning',
    ]);

    byLabel<HTMLTextAreaElement>('System prompt').value = 'Answer in French.';
    byLabel<HTMLInputElement>('Maximum answer length (tokens)').value = '500';
    submit();
    await vi.waitFor(() => expect(dialog.isOpen()).toBe(false));
    expect(save).toHaveBeenCalledWith({ system: 'Answer in French.', model: null, temperature: 0.3, maxTokens: 500 });
  });

  it('hides temperature for a reasoning model and does not send it', async () => {
    const { dialog, save, byLabel, q, submit } = setup();
    dialog.open(context({ ...DEFAULT_SETTINGS, temperature: 1 }));
    const model = byLabel<HTMLSelectElement>('Model');
    model.value = 'o4-mini';
    model.dispatchEvent(new Event('change'));
    expect(q<HTMLElement>('#' + byLabel<HTMLInputElement>('Temperature').id).closest<HTMLElement>('.settings__field')?.hidden).toBe(true);
    expect(dialog.element.textContent).toContain('This model sets its own temperature.');
    submit();
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.calls[0]?.[0]).toEqual({ ...DEFAULT_SETTINGS, model: 'o4-mini' });
  });

  it('says which field is wrong, next to it, and saves nothing', () => {
    const { dialog, save, byLabel, submit } = setup();
    dialog.open(context());
    const temperature = byLabel<HTMLInputElement>('Temperature');
    temperature.value = '3';
    submit();
    expect(save).not.toHaveBeenCalled();
    expect(temperature.getAttribute('aria-invalid')).toBe('true');
    const described = (temperature.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described.join(' ')).toContain('Temperature must be a number from 0 to 2');
    expect(dialog.isOpen()).toBe(true);
  });

  it('keeps the dialog and what was typed when saving fails, and says why', async () => {
    const { dialog, byLabel, submit, q } = setup(async () => 'The settings were not saved. The history store is busy.');
    dialog.open(context());
    byLabel<HTMLTextAreaElement>('System prompt').value = 'Keep me';
    submit();
    await vi.waitFor(() => expect(q<HTMLElement>('[role="alert"]').hidden).toBe(false));
    expect(q<HTMLElement>('[role="alert"]').textContent).toBe('The settings were not saved. The history store is busy.');
    expect(dialog.isOpen()).toBe(true);
    expect(byLabel<HTMLTextAreaElement>('System prompt').value).toBe('Keep me');
  });

  it('on a persona, says where the settings come from and resets to them', () => {
    const { dialog, byLabel } = setup();
    const preset = { system: 'Edit my text.', model: null, temperature: 0.3, maxTokens: null };
    dialog.open({ ...context({ ...preset, system: 'Changed.' }), scope: 'new', defaults: preset, presetName: 'Copy editor' });
    expect(dialog.element.textContent).toContain('They start as Copy editor’s');
    [...dialog.element.querySelectorAll('button')].find((button) => button.textContent === 'Reset to Copy editor’s settings')?.click();
    expect(byLabel<HTMLTextAreaElement>('System prompt').value).toBe('Edit my text.');
    expect(byLabel<HTMLInputElement>('Temperature').value).toBe('0.3');
  });

  it('Reset to defaults empties the form; Cancel closes without saving', () => {
    const { dialog, save, byLabel, q } = setup();
    dialog.open(context({ system: 'S', model: 'o4-mini', temperature: null, maxTokens: 10 }));
    [...dialog.element.querySelectorAll('button')].find((button) => button.textContent === 'Reset to defaults')?.click();
    expect(byLabel<HTMLTextAreaElement>('System prompt').value).toBe('');
    expect(byLabel<HTMLSelectElement>('Model').value).toBe('');
    expect(q<HTMLInputElement>('input[name="max_tokens"]').value).toBe('');
    [...dialog.element.querySelectorAll('button')].find((button) => button.textContent === 'Cancel')?.click();
    expect(dialog.isOpen()).toBe(false);
    expect(save).not.toHaveBeenCalled();
  });
});
