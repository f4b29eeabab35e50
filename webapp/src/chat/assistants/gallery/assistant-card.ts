/**
 * One assistant in the gallery: its name, what it does, who made it, whether it is shared
 * or featured, and what the user may do with it: Start chat; Edit (its owner); and in a
 * menu, Share or Make private (its owner), Feature or Unfeature (admins, shared ones),
 * Delete (its owner, or an admin withdrawing a shared one).
 */
import type { AssistantSummary } from '../../../api/assistants';
import { h, uniqueId } from '../../../ui/dom';
import { menuButton, type MenuItem } from '../../../ui/menu';

export type CardAction = 'start' | 'edit' | 'share' | 'unshare' | 'feature' | 'unfeature' | 'delete';

export interface CardOptions {
  readonly admin: boolean;
  readonly onAction: (action: CardAction, assistant: AssistantSummary) => void;
}

/** What the menu offers for `assistant`, in order. */
export function menuActions(assistant: AssistantSummary, admin: boolean): CardAction[] {
  const shared = assistant.visibility === 'organisation';
  const actions: CardAction[] = [];
  if (assistant.mine) actions.push(shared ? 'unshare' : 'share');
  if (admin && shared) actions.push(assistant.featured ? 'unfeature' : 'feature');
  if (assistant.mine || (admin && shared)) actions.push('delete');
  return actions;
}

const MENU_LABELS: Record<Exclude<CardAction, 'start' | 'edit'>, string> = {
  share: 'Share with the organisation',
  unshare: 'Make private',
  feature: 'Feature',
  unfeature: 'Unfeature',
  delete: 'Delete',
};

function badge(text: string, modifier: string): HTMLElement {
  return h('span', { class: `badge badge--${modifier}` }, text);
}

export function createAssistantCard(assistant: AssistantSummary, options: CardOptions): HTMLLIElement {
  const nameId = uniqueId('assistant-name');
  const run = (action: CardAction) => () => options.onAction(action, assistant);
  const actionButton = (action: CardAction, label: string, accessibleName: string, primary: boolean): HTMLButtonElement =>
    h(
      'button',
      {
        class: primary ? 'button button--primary' : 'button button--secondary',
        attrs: { type: 'button', 'aria-label': accessibleName },
        data: { action, assistantId: assistant.id },
        on: { click: run(action) },
      },
      label,
    );

  const menuItems = menuActions(assistant, options.admin);
  let more: HTMLButtonElement | null = null;
  if (menuItems.length > 0) {
    more = h(
      'button',
      { class: 'icon-button assistant-card__more', attrs: { type: 'button', 'aria-label': `More actions for ${assistant.name}` }, data: { action: 'menu', assistantId: assistant.id } },
      h('span', { class: 'conv-item__dots', attrs: { 'aria-hidden': 'true' } }),
    );
    menuButton(more, (): MenuItem[] =>
      menuItems.map((action) => ({
        label: action === 'delete' && !assistant.mine ? 'Delete for everyone' : MENU_LABELS[action as keyof typeof MENU_LABELS],
        run: run(action),
        ...(action === 'delete' ? { danger: true } : {}),
      })),
    );
  }

  const shared = assistant.visibility === 'organisation';
  const meta = [assistant.mine ? 'Yours' : assistant.owner_name === '' ? '' : `By ${assistant.owner_name}`, `Version ${assistant.version}`].filter((part) => part !== '');
  return h(
    'li',
    { class: 'assistant-card', data: { assistantId: assistant.id } },
    h(
      'article',
      { class: 'assistant-card__body', attrs: { 'aria-labelledby': nameId } },
      h('h3', { class: 'assistant-card__name', attrs: { id: nameId } }, assistant.name),
      h(
        'p',
        { class: 'assistant-card__badges' },
        assistant.featured ? badge('Featured', 'featured') : null,
        shared ? badge('Shared', 'shared') : badge('Private', 'private'),
      ),
      assistant.description === '' ? null : h('p', { class: 'assistant-card__description' }, assistant.description),
      h('p', { class: 'assistant-card__meta' }, meta.join(' · ')),
      h(
        'div',
        { class: 'assistant-card__actions' },
        actionButton('start', 'Start chat', `Start chat with ${assistant.name}`, true),
        assistant.mine ? actionButton('edit', 'Edit', `Edit ${assistant.name}`, false) : null,
        more === null ? null : h('div', { class: 'assistant-card__menu' }, more),
      ),
    ),
  );
}
