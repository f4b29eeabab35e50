/**
 * login.html: "Sign in with Microsoft" comes back to the page the user came from. A user who
 * is already signed in does not need this page: invited, they go back; not invited, they see
 * unauthorized.html.
 */
import '../styles/base.css';
import './pages.css';
import { aadLoginUrl, checkAccess, safeReturnPath, UNAUTHORIZED_PAGE } from '../api/auth';

const target = safeReturnPath(new URLSearchParams(window.location.search).get('return'), window.location.origin);
const link = document.getElementById('sign-in');
if (link instanceof HTMLAnchorElement) link.href = aadLoginUrl(target);

/** Forward at most once in a short while, so an inconsistent answer cannot cause a loop. */
const FORWARD_KEY = 'chat-on-azure:login-forwarded';
const FORWARD_QUIET_MS = 15_000;

function mayForward(): boolean {
  try {
    const last = Number(sessionStorage.getItem(FORWARD_KEY) ?? '0');
    if (Date.now() - last < FORWARD_QUIET_MS) return false;
    sessionStorage.setItem(FORWARD_KEY, String(Date.now()));
    return true;
  } catch {
    return false;
  }
}

// Once the user (or anything else) starts leaving this page, do not hijack that navigation.
let leaving = false;
window.addEventListener('beforeunload', () => {
  leaving = true;
});
window.addEventListener('pagehide', () => {
  leaving = true;
});

void checkAccess().then((access) => {
  if (leaving) return;
  if (access === 'forbidden') window.location.replace(UNAUTHORIZED_PAGE);
  else if (access === 'allowed' && mayForward()) window.location.replace(target);
});
