/** Entry point of the admin page (admin.html, `/admin`; SWA lets only the `admin` role in). */
import '../styles/base.css';
import '../styles/theme.css';
import './admin.css';
import { api } from '../api/client';
import { createThemeStore } from '../ui/theme';
import { mountAdminPage } from './admin-page';

// The theme the user chose in the chat, on <html> before anything renders.
createThemeStore();

const root = document.getElementById('admin');
if (root === null) throw new Error('admin.html has no #admin element');

mountAdminPage(root, { appName: 'Chat on Azure', client: api });
