import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../api/types';
import { conversationPatch, DEFAULT_SETTINGS, isCustomised, modelLabel, presetOverrides, readSettingsForm, requestOptions, settingsOf, withPresetFallbacks } from './chat-settings';

const fast: ModelInfo = { id: 'gpt-5.4-mini', name: 'Fast', description: '', reasoning: false, temperature: true, context_tokens: 400000 };
const thinker: ModelInfo = { id: 'o4-mini', name: 'Reasoning', description: 'Thinks first', reasoning: true, temperature: false, context_tokens: 200000 };
const form = (extra: Partial<Parameters<typeof readSettingsForm>[0]> = {}) => ({ system: '', model: '', temperature: '', maxTokens: '', ...extra });

describe('chat settings', () => {
  it('sends only what differs from the defaults', () => {
    expect(requestOptions(DEFAULT_SETTINGS, [fast])).toEqual({});
    expect(requestOptions({ system: '  ', model: null, temperature: 0, maxTokens: 256 }, [fast])).toEqual({ temperature: 0, max_tokens: 256 });
    expect(requestOptions({ system: 'Be brief.', model: 'gpt-5.4-mini', temperature: null, maxTokens: null }, [fast])).toEqual({
      system: 'Be brief.',
      model: 'gpt-5.4-mini',
    });
  });

  it('sends no temperature to a reasoning model, and no model the deployment no longer offers', () => {
    expect(requestOptions({ ...DEFAULT_SETTINGS, model: 'o4-mini', temperature: 0.5 }, [fast, thinker])).toEqual({ model: 'o4-mini' });
    expect(requestOptions({ ...DEFAULT_SETTINGS, model: 'retired', temperature: 0.5 }, [fast])).toEqual({ temperature: 0.5 });
  });

  it('on a persona or an assistant, sends only what the user changed from it', () => {
    const preset = { system: 'Edit my text.', model: null, temperature: 0.3, maxTokens: null };
    expect(presetOverrides(preset, preset, [fast, thinker])).toEqual({});
    expect(presetOverrides({ ...preset, system: '' }, preset, [fast, thinker])).toEqual({ system: '' });
    expect(presetOverrides({ ...preset, temperature: 1, maxTokens: 50 }, preset, [fast, thinker])).toEqual({ temperature: 1, max_tokens: 50 });
    // The default model named as the default, or a removed one: the same model answers.
    expect(presetOverrides({ ...preset, model: 'gpt-5.4-mini' }, preset, [fast, thinker])).toEqual({});
    expect(presetOverrides(preset, { ...preset, model: 'retired' }, [fast, thinker])).toEqual({});
    // Back to the default model from an assistant's own: named, since null would keep the assistant's.
    expect(presetOverrides({ ...preset, model: null }, { ...preset, model: 'o4-mini' }, [fast, thinker])).toEqual({ model: 'gpt-5.4-mini' });
    expect(presetOverrides({ ...preset, model: 'o4-mini', temperature: 1 }, preset, [fast, thinker])).toEqual({ model: 'o4-mini' });
    // An emptied field keeps the preset's value: the request cannot say "none".
    expect(withPresetFallbacks({ ...preset, temperature: null, maxTokens: null }, { ...preset, maxTokens: 99 })).toEqual({ ...preset, maxTokens: 99 });
  });

  it('labels a model by its name and what it is for', () => {
    expect(modelLabel(fast)).toBe('Fast');
    expect(modelLabel(thinker)).toBe('Reasoning – Thinks first');
  });

  it('a saved conversation gets every setting in its patch, an empty system prompt removing it', () => {
    expect(conversationPatch({ system: '  ', model: null, temperature: 1, maxTokens: null })).toEqual({
      system: '',
      settings: { model: null, temperature: 1, max_tokens: null },
    });
  });

  it('reads a conversation summary, with nothing set as the defaults', () => {
    const base = { id: 'c', title: 't', created: 0, updated: 0, pinned: false, archived: false, etag: '' };
    expect(settingsOf(base)).toEqual(DEFAULT_SETTINGS);
    expect(settingsOf({ ...base, system: 'S', settings: { model: 'm', temperature: 0.2, max_tokens: 9 } })).toEqual({
      system: 'S',
      model: 'm',
      temperature: 0.2,
      maxTokens: 9,
    });
    expect(isCustomised(DEFAULT_SETTINGS)).toBe(false);
    expect(isCustomised({ ...DEFAULT_SETTINGS, maxTokens: 1 })).toBe(true);
  });

  it('reads the form, naming the first wrong field in a sentence', () => {
    expect(readSettingsForm(form({ temperature: '0.7', maxTokens: '1000', model: 'o4-mini', system: 'Hi' }), 100)).toEqual({
      ok: true,
      settings: { system: 'Hi', model: 'o4-mini', temperature: 0.7, maxTokens: 1000 },
    });
    expect(readSettingsForm(form(), 100)).toEqual({ ok: true, settings: DEFAULT_SETTINGS });
    for (const temperature of ['2.1', '-0.1', 'warm']) {
      expect(readSettingsForm(form({ temperature }), 100)).toMatchObject({ ok: false, field: 'temperature' });
    }
    for (const maxTokens of ['0', '1.5', '1000001', 'lots']) {
      expect(readSettingsForm(form({ maxTokens }), 100)).toMatchObject({ ok: false, field: 'maxTokens' });
    }
    expect(readSettingsForm(form({ system: 'x'.repeat(101) }), 100)).toEqual({
      ok: false,
      field: 'system',
      message: 'The system prompt can be at most 100 characters long.',
    });
  });
});
