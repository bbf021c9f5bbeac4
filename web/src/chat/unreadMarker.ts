/**
 * The "New messages" line of a room: where the messages the user had not read
 * begin, taken when the room is shown (opening it marks them read at once, so
 * without it the user could not tell which ones are new, nor see the first
 * of many new ones: the list would open at the newest).
 */
import type { Message } from '@ecc/protocol';
import type { ChatState } from './store.ts';

export interface UnreadMarker {
  roomId: number;
  /** My read mark when the room was shown: what comes after it (from others) is new. */
  afterSeq: number;
}

/** The marker for `roomId` about to be shown, or null when nothing in it is unread. */
export function markerOnShowing(state: ChatState, roomId: number | null): UnreadMarker | null {
  if (roomId === null || !state.me) return null;
  const room = state.rooms[roomId];
  const mine = room?.participants.find((p) => p.id === state.me?.id);
  if (!room || !mine || room.unread === 0) return null;
  return { roomId, afterSeq: mine.lastReadSeq };
}

/**
 * The seq the "New messages" line goes above: the first message after the mark sent by someone
 * else, once the loaded window reaches back to the mark (with more new messages than the first
 * page holds, the list opens at the newest and the line shows when older pages are scrolled to).
 */
export function firstNewSeq(messages: readonly Message[], marker: UnreadMarker | null, roomId: number, meId: number | undefined): number | null {
  if (!marker || marker.roomId !== roomId) return null;
  const oldest = messages[0];
  if (!oldest || oldest.seq > marker.afterSeq + 1) return null;
  const first = messages.find((m) => m.seq > marker.afterSeq && m.sender?.id !== meId);
  return first?.seq ?? null;
}
