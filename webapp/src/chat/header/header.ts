/** The app bar: the app's name, who is signed in, and a sign-out link. */
import { LOGOUT_URL } from '../../api/auth';
import { h, setText, show } from '../../ui/dom';
import './header.css';

export interface Header {
  readonly element: HTMLElement;
  setUserName(name: string): void;
}

export function createHeader(appName: string): Header {
  const name = h('span', { class: 'app-header__name', attrs: { id: 'user-name' } });
  const user = h(
    'p',
    { class: 'app-header__user', attrs: { hidden: true } },
    h('span', { class: 'visually-hidden' }, 'Signed in as '),
    name,
  );
  const element = h(
    'header',
    { class: 'app-header' },
    h('h1', { class: 'app-header__title' }, appName),
    h(
      'div',
      { class: 'app-header__account' },
      user,
      h('a', { class: 'app-header__signout', attrs: { href: LOGOUT_URL } }, 'Sign out'),
    ),
  );
  return {
    element,
    setUserName(value) {
      setText(name, value);
      name.title = value;
      show(user, value !== '');
    },
  };
}
