import { describe, expect, it } from 'vitest';
import type { Assistant } from '../../api/assistants';
import { presetFromAssistant, presetFromPersona, startFrom, versionNote } from './preset';

const assistant: Assistant = {
  id: 'x1',
  name: 'Proofreader',
  description: 'Fixes spelling',
  system: 'Correct my English.',
  model: 'gpt-5.4-mini',
  temperature: null,
  max_tokens: 800,
  starters: ['Check this'],
  visibility: 'private',
  featured: false,
  version: 4,
  owner_name: 'zoe',
  mine: true,
  updated: 0,
  etag: 'e',
};

describe('chat presets', () => {
  it('carries a persona’s or an assistant’s settings, and names it in the request', () => {
    const persona = presetFromPersona({ id: 'copy-editor', name: 'Copy editor', group: 'writing', description: 'Edits', system: 'Edit.', temperature: 0.3, starters: ['a', 'b'] });
    expect(persona.settings).toEqual({ system: 'Edit.', model: null, temperature: 0.3, maxTokens: null });
    expect(startFrom(persona)).toEqual({ persona_id: 'copy-editor' });

    const fromAssistant = presetFromAssistant(assistant);
    expect(fromAssistant).toMatchObject({ kind: 'assistant', version: 4, starters: ['Check this'] });
    expect(fromAssistant.settings).toEqual({ system: 'Correct my English.', model: 'gpt-5.4-mini', temperature: null, maxTokens: 800 });
    expect(startFrom(fromAssistant)).toEqual({ assistant_id: 'x1' });
    expect(startFrom(null)).toEqual({});
  });

  it('says a conversation started with an older version only when the assistant moved on', () => {
    const started = { kind: 'assistant' as const, id: 'x1', name: 'Proofreader', version: 2 };
    expect(versionNote(started, 3)).toBe('Started with version 2; the assistant has been edited since.');
    expect(versionNote(started, 2)).toBe('');
    expect(versionNote(started, null)).toBe('');
    expect(versionNote({ ...started, kind: 'persona', version: null }, 5)).toBe('');
  });
});
