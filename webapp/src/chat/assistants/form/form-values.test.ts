import { describe, expect, it } from 'vitest';
import type { Assistant } from '../../../api/assistants';
import type { ModelInfo } from '../../../api/types';
import { changedFields, emptyValues, fieldOfServerError, readAssistantForm, serverErrorSentence, tryOptions, valuesOf } from './form-values';

const fast: ModelInfo = { id: 'fast', name: 'Fast', description: '', reasoning: false, temperature: true, context_tokens: 1000 };
const thinker: ModelInfo = { id: 'thinker', name: 'Reasoning', description: '', reasoning: true, temperature: false, context_tokens: 1000 };
const models = [fast, thinker];

const saved: Assistant = {
  id: 'a',
  name: 'Proofreader',
  description: 'Fixes spelling',
  system: 'Correct my English.',
  model: 'fast',
  temperature: 0.2,
  max_tokens: null,
  starters: ['Check this'],
  visibility: 'private',
  featured: false,
  version: 1,
  owner_name: 'zoe',
  mine: true,
  updated: 0,
  etag: 'e',
};

describe('assistant form values', () => {
  it('reads a full form, trimming and dropping empty starters', () => {
    const read = readAssistantForm(
      { ...emptyValues(models), name: '  Pirate ', system: 'Arr.', temperature: '0.5', maxTokens: '300', starters: [' Ahoy ', '', 'Treasure?', ''], visibility: 'organisation' },
      models,
      100,
    );
    expect(read).toEqual({
      ok: true,
      content: { name: 'Pirate', description: '', system: 'Arr.', model: 'fast', temperature: 0.5, max_tokens: 300, starters: ['Ahoy', 'Treasure?'], visibility: 'organisation' },
    });
  });

  it('names the first wrong field in a sentence; Try it needs no name', () => {
    const values = emptyValues(models);
    expect(readAssistantForm(values, models, 100)).toEqual({ ok: false, field: 'name', message: 'Give the assistant a name.' });
    expect(readAssistantForm(values, models, 100, false).ok).toBe(true);
    expect(readAssistantForm({ ...values, name: 'n', system: 'x'.repeat(101) }, models, 100)).toMatchObject({ field: 'system', message: 'The instructions can be at most 100 characters long.' });
    expect(readAssistantForm({ ...values, name: 'n', temperature: '3' }, models, 100)).toMatchObject({ field: 'temperature' });
    expect(readAssistantForm({ ...values, name: 'n', maxTokens: '1.5' }, models, 100)).toMatchObject({ field: 'maxTokens' });
    expect(readAssistantForm({ ...values, name: 'n', starters: ['', 'x'.repeat(301), '', ''] }, models, 100)).toMatchObject({ field: 'starters', index: 1, message: 'Starter prompt 2 can be at most 300 characters long.' });
  });

  it('keeps no temperature for a model that takes none', () => {
    const read = readAssistantForm({ ...emptyValues(models), name: 'n', model: 'thinker', temperature: '9' }, models, 100);
    expect(read).toMatchObject({ ok: true, content: { model: 'thinker', temperature: null } });
  });

  it('puts the API’s field errors next to the right field, as sentences', () => {
    expect(fieldOfServerError({ field: 'name', message: 'x' })).toEqual({ field: 'name' });
    expect(fieldOfServerError({ field: 'starters[2]', message: 'x' })).toEqual({ field: 'starters', index: 2 });
    expect(fieldOfServerError({ field: 'max_tokens', message: 'x' })).toEqual({ field: 'maxTokens' });
    expect(fieldOfServerError({ field: 'body', message: 'x' })).toBeNull();
    expect(serverErrorSentence({ field: 'name' }, 'must be at most 80 characters')).toBe('Name must be at most 80 characters.');
    expect(serverErrorSentence({ field: 'starters', index: 2 }, 'must not be empty.')).toBe('Starter prompt 3 must not be empty.');
  });

  it('patches only what changed', () => {
    const read = readAssistantForm({ ...valuesOf(saved), system: 'Correct my French.', starters: ['Check this', 'And this', '', ''] }, models, 100);
    if (!read.ok) throw new Error(read.message);
    expect(changedFields(saved, read.content)).toEqual({ system: 'Correct my French.', starters: ['Check this', 'And this'] });
    const same = readAssistantForm(valuesOf(saved), models, 100);
    if (!same.ok) throw new Error(same.message);
    expect(changedFields(saved, same.content)).toEqual({});
  });

  it('tries the form as the saved assistant would answer', () => {
    const read = readAssistantForm({ ...valuesOf(saved), maxTokens: '50' }, models, 100);
    if (!read.ok) throw new Error(read.message);
    expect(tryOptions(read.content)).toEqual({ system: 'Correct my English.', model: 'fast', temperature: 0.2, max_tokens: 50 });
  });
});
