import { useEffect, useRef } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { arrivalsSince, awaitsMissed } from '../chat/arrivals.ts';
import { roomMessagesOf, type ChatState } from '../chat/store.ts';
import { useArrivalAnnouncer, type Announcement } from './useArrivalAnnouncer.ts';

export { ANNOUNCE_GAP_MS } from './useArrivalAnnouncer.ts';

/**
 * The open room's visually hidden status line, beside the message list (which does not announce:
 * scrolling and older pages add rows to it too). A component of its own, so an arrival re-renders
 * only this line.
 */
export function ArrivalStatus({ roomId }: { roomId: number }) {
  const arrival = useArrivalAnnouncement(roomId);
  return (
    <div role="status" className="arrival-status visually-hidden">
      {arrival && <p key={arrival.id}>{arrival.text}</p>}
    </div>
  );
}

/**
 * What the open room's status line says: messages from others that arrived live. Only a newer
 * newest message of the room counts (a `message` frame, or those missed during a reconnect); older
 * pages, edits and my own messages leave the room's newest as it is or are not from others.
 */
function useArrivalAnnouncement(roomId: number): Announcement | null {
  const { store } = useChat();
  const latest = useChatSelector((s) => s.rooms[roomId]?.lastMessage ?? null);
  const meId = useChatSelector((s) => s.me?.id);
  const known = useChatSelector((s) => s.rooms[roomId] !== undefined);
  const heldNewest = useChatSelector((s) => roomMessagesOf(s, roomId).messages.at(-1)?.seq ?? 0);
  const { announcement, add, clear } = useArrivalAnnouncer();
  // What the room held when it was shown is not news, only what comes after it (counted from when
  // the room is known: a room shown before the `ready` that lists it has no news yet).
  const seen = useRef<{ roomId: number; known: boolean; seq: number } | null>(null);
  if (seen.current?.roomId !== roomId || seen.current.known !== known) {
    seen.current = { roomId, known, seq: newestSeq(store.getState(), roomId) };
  }

  useEffect(() => {
    const since = seen.current;
    if (!latest || !since || latest.seq <= since.seq) return;
    // What a reconnect missed is said once fetched, as its count (arrivals.ts).
    if (awaitsMissed(heldNewest, latest)) return;
    // The messages are read here, not subscribed to: only a new newest message of the room matters.
    const arrivals = arrivalsSince(roomMessagesOf(store.getState(), roomId).messages, since.seq, latest, meId);
    since.seq = latest.seq;
    add(arrivals);
  }, [latest, heldNewest, meId, store, roomId, add]);

  useEffect(() => clear(), [roomId, clear]);
  return announcement;
}

function newestSeq(s: ChatState, roomId: number): number {
  const messages = roomMessagesOf(s, roomId).messages;
  return Math.max(s.rooms[roomId]?.lastSeq ?? 0, s.rooms[roomId]?.lastMessage?.seq ?? 0, messages[messages.length - 1]?.seq ?? 0);
}
