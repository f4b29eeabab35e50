/**
 * The sidebar's date groups: Pinned, then Today / Yesterday / Previous 7 days / Older by
 * the conversation's `updated` time, in the user's local time. Day boundaries are local
 * midnights computed from the calendar (`new Date(y, m, d - n)`), never `now - n × 24 h`,
 * so the 23- and 25-hour days of daylight saving time fall in the right group.
 */
import type { ConversationSummary } from '../../api/conversations';

export type GroupKey = 'pinned' | 'today' | 'yesterday' | 'week' | 'older';

export interface ConversationGroup {
  readonly key: GroupKey;
  readonly label: string;
  readonly items: readonly ConversationSummary[];
}

export const GROUP_LABELS: Readonly<Record<GroupKey, string>> = {
  pinned: 'Pinned',
  today: 'Today',
  yesterday: 'Yesterday',
  week: 'Previous 7 days',
  older: 'Older',
};

const ORDER: readonly GroupKey[] = ['pinned', 'today', 'yesterday', 'week', 'older'];

/** Local midnight `daysBack` calendar days before the day of `now`, as epoch ms. */
export function localMidnight(now: Date, daysBack = 0): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack).getTime();
}

/** The next local midnight after `now` (when the groups must be worked out again). */
export function nextMidnight(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
}

export function groupOf(conversation: Pick<ConversationSummary, 'pinned' | 'updated'>, now: Date): GroupKey {
  if (conversation.pinned) return 'pinned';
  // A time in the future (another machine's clock) still counts as today.
  if (conversation.updated >= localMidnight(now, 0)) return 'today';
  if (conversation.updated >= localMidnight(now, 1)) return 'yesterday';
  if (conversation.updated >= localMidnight(now, 7)) return 'week';
  return 'older';
}

/** Non-empty groups in display order; items keep their order within a group. */
export function groupConversations(items: readonly ConversationSummary[], now: Date): ConversationGroup[] {
  const buckets = new Map<GroupKey, ConversationSummary[]>();
  for (const item of items) {
    const key = groupOf(item, now);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [item]);
    else bucket.push(item);
  }
  return ORDER.flatMap((key) => {
    const bucket = buckets.get(key);
    return bucket === undefined ? [] : [{ key, label: GROUP_LABELS[key], items: bucket }];
  });
}

/** The list's order, as the API sorts it: pinned first, then most recently updated, then id. */
export function compareConversations(a: ConversationSummary, b: ConversationSummary): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.updated !== b.updated) return b.updated - a.updated;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
