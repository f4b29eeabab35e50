/** Entry point of the chat screen (index.html). */
import { createThemeStore } from './ui/theme';
import './styles/base.css';
import './render/markdown.css';
import './styles/theme.css';
import { api } from './api/client';
import { mountChatApp } from './chat/app';
import { createDraftStorage } from './chat/draft';
import { registerServiceWorker } from './pwa/register';

// The remembered theme goes on <html> before anything renders (no inline script needed).
const theme = createThemeStore();

export const APP_NAME = 'Chat on Azure';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

mountChatApp(root, { appName: APP_NAME, client: api, draft: createDraftStorage(), theme });

// Production builds only: a worker in `npm run dev` would serve stale modules, and Vitest
// has no workers. What it caches (never API data) is in pwa/sw-routing.ts.
if (import.meta.env.PROD && 'serviceWorker' in navigator) registerServiceWorker(navigator.serviceWorker);
