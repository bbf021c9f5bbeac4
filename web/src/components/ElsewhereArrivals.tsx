/**
 * A visually hidden status line beside the Chats button: messages from others that arrive in a
 * room not on screen (the panel closed, the list shown, another room open). Without it a screen
 * reader user heard nothing; only the button's name changed, silently. The room on screen has its
 * own line (ArrivalStatus), which this one leaves to it.
 */
import { useEffect, useRef } from 'react';
import type { Message } from '@ecc/protocol';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { arrivalsSince, awaitsMissed } from '../chat/arrivals.ts';
import { roomMessagesOf } from '../chat/store.ts';
import { useArrivalAnnouncer } from './useArrivalAnnouncer.ts';

export function ElsewhereArrivals() {
  const { store } = useChat();
  const rooms = useChatSelector((s) => s.rooms);
  // Messages fetched after a reconnect change no room (its newest came with the `ready`): see below.
  const held = useChatSelector((s) => s.roomMessages);
  const { announcement, add } = useArrivalAnnouncer();
  // Each room's newest seq as last seen here; a room seen for the first time (at sign-in, or new) is no news.
  const newest = useRef(new Map<number, number>());
  // The rooms as last looked through: a room the store did not replace since holds no news,
  // unless it waits for what a reconnect missed (fetched into `held`, the room unchanged).
  const looked = useRef<typeof rooms>({});
  const waiting = useRef(new Set<number>());

  useEffect(() => {
    const s = store.getState();
    const shown = s.panelOpen ? s.activeRoomId : null;
    const arrivals: Message[] = [];
    const lookedAt = looked.current;
    looked.current = rooms;
    for (const room of Object.values(rooms)) {
      if (lookedAt[room.id] === room && !waiting.current.has(room.id)) continue;
      const latest = room.lastMessage;
      const before = newest.current.get(room.id);
      // What a reconnect missed is said once fetched, as its count (arrivals.ts).
      const heldNewest = roomMessagesOf(s, room.id).messages.at(-1)?.seq ?? 0;
      if (before !== undefined && latest && latest.seq > before && room.id !== shown && awaitsMissed(heldNewest, latest)) {
        waiting.current.add(room.id);
        continue;
      }
      waiting.current.delete(room.id);
      newest.current.set(room.id, Math.max(room.lastSeq, latest?.seq ?? 0, before ?? 0));
      if (before === undefined || !latest || latest.seq <= before || room.id === shown) continue;
      arrivals.push(...arrivalsSince(roomMessagesOf(s, room.id).messages, before, latest, s.me?.id));
    }
    if (arrivals.length > 0) add(arrivals);
  }, [rooms, held, store, add]);

  return (
    <div role="status" className="visually-hidden" data-testid="elsewhere-arrivals">
      {announcement && <p key={announcement.id}>{announcement.text}</p>}
    </div>
  );
}
