/**
 * offline.html: what the service worker shows in place of a page when the network is down
 * (it stands at the address the user was opening). Back online, that page loads by itself.
 */
import '../styles/base.css';
import '../pages/pages.css';

window.addEventListener('online', () => window.location.reload());
