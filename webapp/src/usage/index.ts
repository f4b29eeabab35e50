/**
 * "Your usage", for every user. Import it lazily so the chat's first load stays as it is:
 * `void import('../usage').then(({ openUsageDialog }) => openUsageDialog(api));`
 */
export { openUsageDialog, type UsageDialog } from './usage-dialog';
export { createUsagePanel, type UsagePanel, type UsagePanelOptions } from './usage-panel';
