/**
 * My read state of a room in the store: its unread count and my read mark, as this tab reads the
 * room (read_locally), as the server counts it (`unread`, also after a read on another tab), and
 * through my own messages (withOwnReadThrough).
 */
import type { Message, Room, User } from '@ecc/protocol';
import { isMyDoing } from './ownGreeting.ts';
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

/**
 * My read mark in `roomId` moved past each of my own messages that directly follows it, and past the
 * notices of my own job moves (isMine). The contract never counts my own messages unread, and the
 * server's mark does not move for them (nor need it: no `read` is sent for them), so a mark left
 * below the message I just wrote made the room look unread to everything that reads the mark: a
 * `read` sent for it, my own job's notice after it taken for news, older pages loaded up to it before
 * a room opened at its "New messages" line. My notice the server does count: once the mark passes it
 * here, ownJobNotice.ts reads it for me. Known from the sender (a notice's actorId) of the messages
 * held and of the room's newest, never from a count of 0, which can lag the frames it counts. A
 * message of someone else's stops it: mine after it do not read theirs (the server still counts it).
 */
export function withOwnReadThrough(state: ChatState, roomId: number): ChatState {
  const room = state.rooms[roomId];
  if (!room) return state;
  const read = roomReadThrough(state, room);
  if (read === room) return state;
  return { ...state, rooms: { ...state.rooms, [roomId]: read } };
}

/** withOwnReadThrough over every room at once (one copy of the room map, for a `ready` of thousands). */
export function withOwnReadThroughAll(state: ChatState): ChatState {
  let rooms: Record<number, Room> | null = null;
  for (const room of Object.values(state.rooms)) {
    const read = roomReadThrough(state, room);
    if (read === room) continue;
    rooms ??= { ...state.rooms };
    rooms[room.id] = read;
  }
  return rooms ? { ...state, rooms } : state;
}

function roomReadThrough(state: ChatState, room: Room): Room {
  const me = state.me;
  const mine = me ? room.participants.find((p) => p.id === me.id) : undefined;
  if (!me || !mine) return room;
  const through = ownRunEnd(mine.lastReadSeq, state.roomMessages[room.id]?.messages ?? [], room.lastMessage, (m) => isMyDoing(m, room, me));
  if (through === mine.lastReadSeq) return room;
  const participants = room.participants.map((p) => (p === mine ? { ...p, lastReadSeq: through } : p));
  return { ...room, participants };
}

/** The last seq of the unbroken run of my messages (and notices, my staff greeting: isMyDoing) right after `mark` (`mark` itself when none follows). */
function ownRunEnd(mark: number, held: readonly Message[], newest: Message | null, mine: (m: Message) => boolean): number {
  let seq = mark;
  // Held messages ascend by seq: start at the first one past the mark.
  let i = firstAfter(held, mark);
  let m = held[i];
  while (m?.seq === seq + 1 && mine(m)) {
    seq += 1;
    i += 1;
    m = held[i];
  }
  if (newest && newest.seq === seq + 1 && mine(newest)) seq = newest.seq;
  return seq;
}

function firstAfter(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
