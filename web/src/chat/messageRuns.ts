/**
 * Consecutive messages from one sender, close together, read as one run (as in any chat app): the
 * sender's name heads the run instead of every message. A new day, the "New messages" line, a
 * system notice or a pause of more than five minutes starts a new run.
 */
import type { MessageItem } from './selectors.ts';

export const RUN_PAUSE_MS = 5 * 60_000;

/** Who wrote the item: a user's id, or null for a system notice. My pending messages are mine. */
function senderOf(item: MessageItem, meId: number | undefined): number | null {
  if (item.kind === 'pending') return meId ?? null;
  return item.message.type === 'system' ? null : (item.message.sender?.id ?? null);
}

function createdAt(item: MessageItem): number {
  return Date.parse(item.kind === 'stored' ? item.message.createdAt : item.pending.createdAt);
}

/** True when `item` goes on the run of `prev` (the caller has already ruled out a line between them). */
export function continuesRun(prev: MessageItem | undefined, item: MessageItem, meId: number | undefined): boolean {
  if (!prev) return false;
  const sender = senderOf(item, meId);
  if (sender === null || senderOf(prev, meId) !== sender) return false;
  const pause = createdAt(item) - createdAt(prev);
  return pause >= 0 && pause <= RUN_PAUSE_MS;
}
