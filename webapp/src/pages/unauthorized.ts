/** unauthorized.html: say who is signed in (from SWA's /.auth/me). */
import '../styles/base.css';
import './pages.css';
import { fetchClientPrincipal, LOGOUT_URL, UNAUTHORIZED_PAGE } from '../api/auth';

// SWA serves this page in place of any page the user may not see (a rewrite, same URL):
// show its own address so a reload or a bookmark does not try the forbidden page again.
if (window.location.pathname !== UNAUTHORIZED_PAGE) window.history.replaceState(null, '', UNAUTHORIZED_PAGE);

const signOut = document.getElementById('sign-out');
if (signOut instanceof HTMLAnchorElement) signOut.href = LOGOUT_URL;

void fetchClientPrincipal().then((principal) => {
  const sentence = document.getElementById('signed-in-as');
  const nextStep = document.getElementById('next-step');
  if (principal === null || sentence === null) return;
  if (!principal.userRoles.includes('invited')) {
    sentence.textContent = `You’re signed in as ${principal.userDetails}, but not invited yet.`;
    return;
  }
  // Invited, so what was refused is a page for another role (the admin page).
  document.title = 'Not for your role – Chat on Azure';
  sentence.textContent = `You’re signed in as ${principal.userDetails}, but that page is for administrators.`;
  const back = document.createElement('a');
  back.href = '/';
  back.textContent = 'Back to the chat';
  nextStep?.replaceChildren(back);
});
