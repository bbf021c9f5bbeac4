/**
 * Consecutive messages from one sender, close together, read as one run (as in any chat app): the
 * sender's name heads the run instead of every message. A new day, the "New messages" line, a
 * system notice or a pause of more than five minutes starts a new run.
 */
import { localDayNumber } from '../format.ts';
import type { MessageItem } from './selectors.ts';

export const RUN_PAUSE_MS = 5 * 60_000;
/** Messages are in seq order; nodes' clocks a little apart can stamp the later one a few seconds earlier. */
const CLOCK_SKEW_MS = 60_000;

/** Who wrote the item: a user's id, or null for a system notice. My pending messages are mine. */
function senderOf(item: MessageItem, meId: number | undefined): number | null {
  if (item.kind === 'pending') return meId ?? null;
  return item.message.type === 'system' ? null : (item.message.sender?.id ?? null);
}

function createdAt(item: MessageItem): number {
  return Date.parse(item.kind === 'stored' ? item.message.createdAt : item.pending.createdAt);
}

/**
 * For each item, whether a day separator goes above it: the first, and each on a later local day
 * than any before it. Not "another day than the one before": items are in seq order, and two
 * nodes' clocks a few seconds apart can stamp one stored after midnight before one stored just
 * before it; that one stays under the day already begun instead of opening the day before again.
 */
export function dayStarts(items: readonly MessageItem[]): boolean[] {
  let shown = -Infinity;
  return items.map((item) => {
    const day = localDayNumber(item.kind === 'stored' ? item.message.createdAt : item.pending.createdAt);
    if (day <= shown) return false;
    shown = day;
    return true;
  });
}

/** True when `item` goes on the run of `prev` (the caller has already ruled out a line between them). */
export function continuesRun(prev: MessageItem | undefined, item: MessageItem, meId: number | undefined): boolean {
  if (!prev) return false;
  const sender = senderOf(item, meId);
  if (sender === null || senderOf(prev, meId) !== sender) return false;
  const pause = createdAt(item) - createdAt(prev);
  return pause >= -CLOCK_SKEW_MS && pause <= RUN_PAUSE_MS;
}
