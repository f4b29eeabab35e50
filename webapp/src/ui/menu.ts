/**
 * A menu button's menu (WAI-ARIA APG "menu button" pattern): `role="menu"` with
 * `role="menuitem"` buttons, opened next to its button. Arrow keys, Home/End and the first
 * letter move between items, Enter/Space choose, Escape closes and gives focus back to the
 * button, Tab closes and moves on. Only one menu is open at a time.
 */
import { h, uniqueId } from './dom';
import './menu.css';

export interface MenuItem {
  readonly label: string;
  readonly run: () => void;
  readonly danger?: boolean;
  /** Set: a radio item (`menuitemradio`, `aria-checked`). */
  readonly checked?: boolean;
}

export interface OpenMenu {
  readonly element: HTMLElement;
  close(returnFocus?: boolean): void;
}

let openMenu: OpenMenu | null = null;

export function closeOpenMenu(): void {
  openMenu?.close(false);
}

/** Open `items` under `button` (which gets `aria-expanded`); `focusLast` for ArrowUp. */
export function showMenu(button: HTMLButtonElement, items: readonly MenuItem[], focusLast = false): OpenMenu {
  openMenu?.close(false);
  if (button.id === '') button.id = uniqueId('menu-button');
  const entries = items.map((item) =>
    h(
      'button',
      {
        class: item.danger === true ? 'menu__item menu__item--danger' : 'menu__item',
        attrs: {
          type: 'button',
          role: item.checked === undefined ? 'menuitem' : 'menuitemradio',
          'aria-checked': item.checked === undefined ? undefined : String(item.checked),
          tabindex: '-1',
        },
      },
      item.label,
    ),
  );
  const element = h('div', { class: 'menu', attrs: { role: 'menu', id: uniqueId('menu'), 'aria-labelledby': button.id } }, ...entries);

  const onPointerDown = (event: Event): void => {
    const target = event.target as Node | null;
    if (target !== null && !element.contains(target) && !button.contains(target)) handle.close(false);
  };

  const handle: OpenMenu = {
    element,
    close(returnFocus = true) {
      if (openMenu !== handle) return;
      openMenu = null;
      document.removeEventListener('pointerdown', onPointerDown, true);
      const hadFocus = element.contains(document.activeElement);
      element.remove();
      button.setAttribute('aria-expanded', 'false');
      button.removeAttribute('aria-controls');
      if (returnFocus || hadFocus) button.focus();
    },
  };

  const focusAt = (index: number): void => {
    const count = entries.length;
    entries[((index % count) + count) % count]?.focus();
  };
  const current = (): number => entries.findIndex((entry) => entry === document.activeElement);

  element.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
        focusAt(current() + 1);
        break;
      case 'ArrowUp':
        focusAt(current() - 1);
        break;
      case 'Home':
      case 'PageUp':
        focusAt(0);
        break;
      case 'End':
      case 'PageDown':
        focusAt(entries.length - 1);
        break;
      case 'Escape':
        event.stopPropagation();
        handle.close(true);
        break;
      case 'Tab':
        // Focus goes back to the button first, so Tab moves on from there.
        handle.close(true);
        return;
      default: {
        if (event.key.length !== 1 || event.key === ' ' || event.ctrlKey || event.metaKey || event.altKey) return;
        const letter = event.key.toLowerCase();
        const start = current();
        for (let step = 1; step <= entries.length; step += 1) {
          const index = (start + step) % entries.length;
          if (entries[index]?.textContent?.toLowerCase().startsWith(letter)) {
            focusAt(index);
            break;
          }
        }
      }
    }
    event.preventDefault();
  });

  entries.forEach((entry, index) => {
    entry.addEventListener('click', () => {
      handle.close(true);
      items[index]?.run();
    });
  });

  element.addEventListener('focusout', (event) => {
    const next = event.relatedTarget as Node | null;
    if (next !== null && !element.contains(next) && next !== button) handle.close(false);
  });

  button.after(element);
  button.setAttribute('aria-expanded', 'true');
  button.setAttribute('aria-controls', element.id);
  openMenu = handle;
  document.addEventListener('pointerdown', onPointerDown, true);
  // Open upwards when there is no room below (CSS class: no inline styles under the CSP).
  const rect = element.getBoundingClientRect();
  if (rect.bottom > window.innerHeight && rect.top - rect.height > 0) element.classList.add('menu--up');
  focusAt(focusLast ? entries.length - 1 : 0);
  return handle;
}

/**
 * Wire `button` as a menu button whose items are worked out when it opens: click, Enter,
 * Space and ArrowDown open it on the first item, ArrowUp on the last.
 */
export function menuButton(button: HTMLButtonElement, items: () => readonly MenuItem[]): void {
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  const isOpen = (): boolean => button.getAttribute('aria-expanded') === 'true';
  button.addEventListener('click', () => {
    if (isOpen()) closeOpenMenu();
    else showMenu(button, items());
  });
  button.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    showMenu(button, items(), event.key === 'ArrowUp');
  });
}
