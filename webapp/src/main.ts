/** Entry point of the chat screen (index.html). */
import './styles/base.css';
import './render/markdown.css';
import { api } from './api/client';
import { mountChatApp } from './chat/app';
import { createDraftStorage } from './chat/draft';

export const APP_NAME = 'Chat on Azure';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

mountChatApp(root, { appName: APP_NAME, client: api, draft: createDraftStorage() });
