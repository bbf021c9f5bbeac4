/**
 * My read state of a room in the store: its unread count and my read mark, as this tab reads the
 * room (read_locally) and as the server counts it (`unread`, also after a read on another tab).
 */
import type { Room, User } from '@ecc/protocol';
import type { ChatState } from './store.ts';

/** The server's count for a room and the total. */
export function applyUnread(state: ChatState, roomId: number, unread: number, totalUnread: number): ChatState {
  const room = state.rooms[roomId];
  const updated = room && withUnread(room, unread, state.me);
  const rooms = updated && updated !== room ? { ...state.rooms, [roomId]: updated } : state.rooms;
  if (rooms === state.rooms && state.totalUnread === totalUnread) return state;
  return { ...state, rooms, totalUnread };
}

/**
 * The room with my count. Nothing unread means my read mark is at the room's last message, also
 * when another tab read it: no frame brings that tab's mark here (a `receipt` goes to the others
 * only), and without it this tab's "New messages" line went above messages already read there.
 * (Should a count read just before a message this tab holds arrive after it, the mark passes that
 * message: its line is then missing, never misplaced, and the count that follows shows it unread.)
 */
function withUnread(room: Room, unread: number, me: User | null): Room {
  const mine = me ? room.participants.find((p) => p.id === me.id) : undefined;
  const caughtUp = unread === 0 && mine !== undefined && mine.lastReadSeq < room.lastSeq;
  const participants = caughtUp ? room.participants.map((p) => (p === mine ? { ...p, lastReadSeq: room.lastSeq } : p)) : room.participants;
  return room.unread === unread && participants === room.participants ? room : { ...room, unread, participants };
}

/** This tab read the room up to `seq`. */
export function applyReadLocally(state: ChatState, roomId: number, seq: number): ChatState {
  const room = state.rooms[roomId];
  const me = state.me;
  if (!room || !me) return state;
  const participants = room.participants.map((p) => (p.id === me.id && p.lastReadSeq < seq ? { ...p, lastReadSeq: seq } : p));
  // Only messages up to `seq` are read; anything newer stays unread.
  const unread = seq >= room.lastSeq ? 0 : room.unread;
  // The total counts active rooms only: a closed room's count was never in it.
  const totalUnread = room.isActive ? Math.max(0, state.totalUnread - (room.unread - unread)) : state.totalUnread;
  return { ...state, totalUnread, rooms: { ...state.rooms, [roomId]: { ...room, participants, unread } } };
}
