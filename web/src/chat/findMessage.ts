/**
 * Finding a message of a room by seq, for a reply's "show the original" and
 * for the first new message of the shown room: where it is in the loaded
 * window, or loading older pages (the controller's paging) until it is there,
 * the room's start is reached, or a page fails.
 */
import { HISTORY_PAGE, type ChatController } from './controller.ts';
import { roomMessagesOf, type RoomMessages } from './store.ts';
import { firstNewSeq, firstSeqToLoad, type UnreadMarker } from './unreadMarker.ts';

export type Located =
  /** Loaded and readable: `index` is its place among the room's stored messages (and the list's items). */
  | { kind: 'held'; index: number }
  | { kind: 'deleted' }
  /** Older than the loaded window, and the room has older pages. */
  | { kind: 'older' }
  /** Not in the room as far as it is loaded, with nothing older to load. */
  | { kind: 'missing' };

export function locate(rm: RoomMessages, seq: number): Located {
  const index = rm.messages.findIndex((m) => m.seq === seq);
  const held = rm.messages[index];
  if (held) return held.deletedAt ? { kind: 'deleted' } : { kind: 'held', index };
  const first = rm.messages[0];
  return first && seq < first.seq && !rm.fetch.foundOldest ? { kind: 'older' } : { kind: 'missing' };
}

export type Found = Exclude<Located, { kind: 'older' }> | { kind: 'failed' } | { kind: 'aborted' };

type Paging = Pick<ChatController, 'state' | 'store' | 'loadMessages'>;

/** Messages per page loaded towards a message a normal page does not reach (the protocol's largest page). */
const FAR_PAGE = 100;

/**
 * Loads older pages of the room until the message `seq` is in it. Every
 * round either lowers the first loaded seq or ends: a page that fails (the
 * controller shows why) or brings nothing ends the search as 'failed', so it
 * never loads forever.
 */
export async function findMessage(chat: Paging, roomId: number, seq: number, signal: AbortSignal): Promise<Found> {
  for (;;) {
    if (signal.aborted) return { kind: 'aborted' };
    const rm = roomMessagesOf(chat.state, roomId);
    const found = locate(rm, seq);
    if (found.kind !== 'older') return found;
    if (rm.fetch.loadingOlder) {
      // A page asked for by scrolling up is on its way: loadMessages would not ask for another.
      await olderPageSettled(chat, roomId, signal);
      continue;
    }
    const firstBefore = rm.messages[0]?.seq;
    // Pages of the largest size while a normal one would not reach the message: half the round trips.
    if (firstBefore !== undefined && firstBefore - seq > HISTORY_PAGE) await chat.loadMessages(roomId, 'older', FAR_PAGE);
    else await chat.loadMessages(roomId, 'older');
    const after = roomMessagesOf(chat.state, roomId);
    if (after.messages[0]?.seq === firstBefore && !after.fetch.foundOldest && !after.fetch.loadingOlder) return { kind: 'failed' };
  }
}

function olderPageSettled(chat: Paging, roomId: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!signal.aborted && roomMessagesOf(chat.state, roomId).fetch.loadingOlder) return;
      off();
      signal.removeEventListener('abort', check);
      resolve();
    };
    const off = chat.store.subscribe(check);
    signal.addEventListener('abort', check);
  });
}

/** A found first new message: its seq (what the "New messages" line goes above). */
export type FoundFirstNew = { kind: 'held'; seq: number } | Exclude<Found, { kind: 'held' } | { kind: 'deleted' }>;

/**
 * Loads older pages of the marker's room until its "New messages" line is loaded: until the
 * first message after the read mark is, and some read ones above it (firstSeqToLoad; whoever sent
 * them, deleted or not), the window being contiguous up to the newest. Ends as findMessage does;
 * 'missing' when nothing after the mark is from someone else after all.
 */
export async function findFirstNew(chat: Paging, marker: UnreadMarker, signal: AbortSignal): Promise<FoundFirstNew> {
  const { roomId } = marker;
  const reached = await findMessage(chat, roomId, firstSeqToLoad(marker), signal);
  if (reached.kind !== 'held' && reached.kind !== 'deleted') return reached;
  const seq = firstNewSeq(roomMessagesOf(chat.state, roomId).messages, marker, roomId, chat.state.me?.id);
  return seq === null ? { kind: 'missing' } : { kind: 'held', seq };
}
