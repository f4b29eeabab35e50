/**
 * The app bar: the button that shows or hides the conversations, the app's name, the
 * "Temporary chat" switch, the chat's settings, the theme menu (Light / Dark / System), who
 * is signed in, and a sign-out link.
 */
import { LOGOUT_URL } from '../../api/auth';
import { h, setText, show } from '../../ui/dom';
import { menuButton } from '../../ui/menu';
import { THEME_LABELS, THEMES, type ThemeStore } from '../../ui/theme';
import './header.css';

export interface HeaderOptions {
  /** The conversations button was pressed. */
  readonly onToggleSidebar: () => void;
  /** The user flipped the switch (not called for {@link Header.setTemporary}). */
  readonly onTemporaryChange: (temporary: boolean) => void;
  /** The theme switch (a menu button named "Theme"); left out without one. */
  readonly theme?: ThemeStore;
  /** The "Chat settings" button; left out without it. */
  readonly onOpenSettings?: () => void;
}

export interface Header {
  readonly element: HTMLElement;
  readonly sidebarButton: HTMLButtonElement;
  setUserName(name: string): void;
  setSidebarExpanded(expanded: boolean): void;
  /** `locked`: history is off here, every chat is temporary. */
  setTemporary(temporary: boolean, locked: boolean): void;
  /** The chat has its own settings (the settings button shows a dot). */
  setSettingsCustomised(customised: boolean): void;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Three sliders: the settings icon (drawn in currentColor, so it follows the theme). */
function slidersIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon-button__svg');
  for (const [y, x] of [
    [6, 15],
    [12, 8],
    [18, 13],
  ] as const) {
    const line = document.createElementNS(SVG, 'path');
    line.setAttribute('d', `M3 ${y}H21`);
    const knob = document.createElementNS(SVG, 'circle');
    knob.setAttribute('cx', String(x));
    knob.setAttribute('cy', String(y));
    knob.setAttribute('r', '2.5');
    svg.append(line, knob);
  }
  return svg;
}

const HINT = 'Not saved to your history.';
const LOCKED_HINT = 'Always on: this organisation keeps no chat history.';

export function createHeader(appName: string, options: HeaderOptions): Header {
  const name = h('span', { class: 'app-header__name', attrs: { id: 'user-name' } });
  const user = h(
    'p',
    { class: 'app-header__user', attrs: { hidden: true } },
    h('span', { class: 'visually-hidden' }, 'Signed in as '),
    name,
  );
  const sidebarButton = h(
    'button',
    {
      class: 'icon-button app-header__sidebar',
      attrs: { type: 'button', 'aria-label': 'Conversations', 'aria-controls': 'sidebar', 'aria-expanded': 'false' },
      on: { click: () => options.onToggleSidebar() },
    },
    h('span', { class: 'icon-button__bars', attrs: { 'aria-hidden': 'true' } }),
  );
  const switchInput = h('input', {
    class: 'switch__input',
    attrs: { type: 'checkbox', role: 'switch', id: 'temporary-chat', 'aria-describedby': 'temporary-chat-hint' },
    on: { change: () => options.onTemporaryChange(switchInput.checked) },
  });
  const hint = h('span', { class: 'visually-hidden', attrs: { id: 'temporary-chat-hint' } }, HINT);
  const temporary = h(
    'div',
    { class: 'switch app-header__temporary' },
    switchInput,
    h('label', { class: 'switch__label', attrs: { for: 'temporary-chat', title: HINT } }, 'Temporary chat'),
    hint,
  );
  const themeButton =
    options.theme === undefined
      ? null
      : h(
          'button',
          { class: 'icon-button app-header__theme', attrs: { type: 'button', 'aria-label': 'Theme' } },
          h('span', { class: 'icon-button__theme', attrs: { 'aria-hidden': 'true' } }),
        );
  if (themeButton !== null && options.theme !== undefined) {
    const store = options.theme;
    const sync = (): void => {
      themeButton.title = `Theme: ${THEME_LABELS[store.get()]}`;
    };
    menuButton(themeButton, () =>
      THEMES.map((theme) => ({ label: THEME_LABELS[theme], checked: store.get() === theme, run: () => store.set(theme) })),
    );
    store.subscribe(sync);
    sync();
  }
  const settingsButton =
    options.onOpenSettings === undefined
      ? null
      : h(
          'button',
          {
            class: 'icon-button app-header__settings',
            attrs: { type: 'button', 'aria-label': 'Chat settings', title: 'Chat settings' },
            on: { click: () => options.onOpenSettings?.() },
          },
          slidersIcon(),
        );
  const element = h(
    'header',
    { class: 'app-header' },
    h('div', { class: 'app-header__start' }, sidebarButton, h('h1', { class: 'app-header__title' }, appName)),
    h(
      'div',
      { class: 'app-header__account' },
      temporary,
      settingsButton,
      themeButton === null ? null : h('div', { class: 'app-header__menu' }, themeButton),
      user,
      h('a', { class: 'app-header__signout', attrs: { href: LOGOUT_URL } }, 'Sign out'),
    ),
  );
  return {
    element,
    sidebarButton,
    setUserName(value) {
      setText(name, value);
      name.title = value;
      show(user, value !== '');
    },
    setSidebarExpanded(expanded) {
      sidebarButton.setAttribute('aria-expanded', String(expanded));
    },
    setTemporary(on, locked) {
      switchInput.checked = on;
      switchInput.disabled = locked;
      temporary.classList.toggle('switch--on', on);
      setText(hint, locked ? LOCKED_HINT : HINT);
    },
    setSettingsCustomised(customised) {
      if (settingsButton === null) return;
      settingsButton.classList.toggle('app-header__settings--customised', customised);
      const label = customised ? 'Chat settings (changed for this chat)' : 'Chat settings';
      settingsButton.setAttribute('aria-label', label);
      settingsButton.title = label;
    },
  };
}
