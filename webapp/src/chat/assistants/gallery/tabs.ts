/**
 * Tabs (WAI-ARIA APG tabs pattern, automatic activation): a `tablist` of `tab` buttons,
 * each controlling its `tabpanel`. Only the selected tab is in the tab order; Left/Right
 * move to the previous/next tab and select it, Home/End to the first/last.
 */
import { h, uniqueId } from '../../../ui/dom';

export interface TabSpec<K extends string> {
  readonly key: K;
  readonly label: string;
}

export interface Tabs<K extends string> {
  readonly list: HTMLElement;
  readonly panels: Readonly<Record<K, HTMLElement>>;
  selected(): K;
  select(key: K, focus?: boolean): void;
  focusSelected(): void;
}

export function createTabs<K extends string>(label: string, specs: readonly TabSpec<K>[], onSelect: (key: K) => void): Tabs<K> {
  const buttons = new Map<K, HTMLButtonElement>();
  const panels = {} as Record<K, HTMLElement>;
  for (const spec of specs) {
    const tabId = uniqueId('tab');
    const panelId = uniqueId('tabpanel');
    buttons.set(
      spec.key,
      h('button', { class: 'tabs__tab', attrs: { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false', tabindex: '-1' } }, spec.label),
    );
    panels[spec.key] = h('div', { class: 'tabs__panel', attrs: { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: '0', hidden: true } });
  }
  const list = h('div', { class: 'tabs__list', attrs: { role: 'tablist', 'aria-label': label } }, ...buttons.values());
  const first = specs[0];
  if (first === undefined) throw new Error('createTabs: no tabs');
  let current: K = first.key;

  function select(key: K, focus = false): void {
    current = key;
    for (const [candidate, button] of buttons) {
      const on = candidate === key;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panels[candidate].hidden = !on;
    }
    if (focus) buttons.get(key)?.focus();
    onSelect(key);
  }

  const keys = specs.map((spec) => spec.key);
  for (const [key, button] of buttons) {
    button.addEventListener('click', () => select(key));
    button.addEventListener('keydown', (event) => {
      const index = keys.indexOf(key);
      let next: K | undefined;
      if (event.key === 'ArrowRight') next = keys[(index + 1) % keys.length];
      else if (event.key === 'ArrowLeft') next = keys[(index - 1 + keys.length) % keys.length];
      else if (event.key === 'Home') next = keys[0];
      else if (event.key === 'End') next = keys.at(-1);
      if (next === undefined) return;
      event.preventDefault();
      select(next, true);
    });
  }

  return {
    list,
    panels,
    selected: () => current,
    select,
    focusSelected: () => buttons.get(current)?.focus(),
  };
}
