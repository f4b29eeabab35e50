import { afterEach, describe, expect, it } from 'vitest';
import { createDraftStorage, draftKey } from './draft';

afterEach(() => localStorage.clear());

describe('drafts', () => {
  it('keeps one draft per conversation, "new" for a chat without one', () => {
    const drafts = createDraftStorage(localStorage);
    expect(draftKey(null)).toBe('chat-on-azure:draft:new');
    expect(draftKey('c1')).toBe('chat-on-azure:draft:c1');
    drafts.save(null, 'fresh');
    drafts.save('c1', 'for c1');
    expect(drafts.load(null)).toBe('fresh');
    expect(drafts.load('c1')).toBe('for c1');
    expect(drafts.load('c2')).toBe('');
    drafts.save('c1', '');
    expect(localStorage.getItem('chat-on-azure:draft:c1')).toBeNull();
  });

  it('moves the new chat’s draft to the conversation the API created', () => {
    const drafts = createDraftStorage(localStorage);
    drafts.save(null, 'typed while the first answer streamed');
    drafts.move(null, 'c9');
    expect(drafts.load(null)).toBe('');
    expect(drafts.load('c9')).toBe('typed while the first answer streamed');
  });

  it('takes over the single draft of the first version as the new chat’s', () => {
    localStorage.setItem('chat-on-azure:draft', 'old draft');
    const drafts = createDraftStorage(localStorage);
    expect(drafts.load('c1')).toBe('');
    expect(drafts.load(null)).toBe('old draft');
    expect(localStorage.getItem('chat-on-azure:draft')).toBeNull();
    expect(localStorage.getItem('chat-on-azure:draft:new')).toBe('old draft');
  });

  it('works without storage', () => {
    const drafts = createDraftStorage(null);
    drafts.save(null, 'x');
    expect(drafts.load(null)).toBe('');
  });
});
