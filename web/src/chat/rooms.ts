/**
 * The rooms held in the store: a snapshot merged in without rolling back a newer
 * last message, the chat list's order (most recently active first), and changes
 * to their participants (receipts, presence). Untouched rooms keep their objects.
 */
import { newerCopy } from '@ecc/client';
import type { Message, Participant, Room } from '@ecc/protocol';
import type { ChatState } from './store.ts';

/** Rooms from `ready` or a `room` event merged into those held; the chat list reordered. */
export function upsertRooms(state: ChatState, rooms: Room[]): ChatState {
  const nextRooms: Record<number, Room> = { ...state.rooms };
  for (const room of rooms) {
    const held = nextRooms[room.id];
    // A room snapshot may be older than a live message, edit or deletion we already applied.
    const lastMessage = laterLastMessage(held?.lastMessage ?? null, room.lastMessage);
    const lastSeq = Math.max(room.lastSeq, held?.lastSeq ?? 0);
    const participants = held ? laterMarks(room.participants, held.participants) : room.participants;
    nextRooms[room.id] = { ...room, lastMessage, lastSeq, participants };
  }
  return { ...state, rooms: nextRooms, roomOrder: orderRooms(nextRooms, state.roomOrder) };
}

/** The later of two last messages of a room: the higher seq, or the newer copy of the same message. */
function laterLastMessage(held: Message | null, snapshot: Message | null): Message | null {
  if (!held) return snapshot;
  if (!snapshot || held.seq > snapshot.seq) return held;
  return held.seq === snapshot.seq ? newerCopy(held, snapshot) : snapshot;
}

/**
 * The snapshot's participants, none with a read mark below the one held. A mark never goes back, and
 * a `room` frame read before a read (mine here, or a receipt) can arrive after it: my mark taken
 * back put the "New messages" line above what I had read, once someone wrote again.
 */
function laterMarks(snapshot: Participant[], held: readonly Participant[]): Participant[] {
  let changed = false;
  const merged = snapshot.map((p) => {
    const mark = held.find((h) => h.id === p.id)?.lastReadSeq ?? 0;
    if (mark <= p.lastReadSeq) return p;
    changed = true;
    return { ...p, lastReadSeq: mark };
  });
  return changed ? merged : snapshot;
}

function activityOf(room: Room): string {
  const last = room.lastMessage?.createdAt;
  return last && last > room.updatedAt ? last : room.updatedAt;
}

/** Most recently active first; returns `previous` when the order did not change. */
export function orderRooms(rooms: Record<number, Room>, previous: readonly number[]): readonly number[] {
  const ids = Object.values(rooms)
    .sort((a, b) => (activityOf(a) === activityOf(b) ? b.id - a.id : activityOf(a) < activityOf(b) ? 1 : -1))
    .map((r) => r.id);
  return ids.length === previous.length && ids.every((id, i) => id === previous[i]) ? previous : ids;
}

/** Applies `fn` to every participant of every room; returns `state` when nothing changed. */
export function updateParticipants(state: ChatState, fn: (p: Participant, room: Room) => Participant): ChatState {
  let changed = false;
  const rooms: Record<number, Room> = {};
  for (const room of Object.values(state.rooms)) {
    const participants = room.participants.map((p) => fn(p, room));
    const same = participants.every((p, i) => p === room.participants[i]);
    rooms[room.id] = same ? room : { ...room, participants };
    if (!same) changed = true;
  }
  return changed ? { ...state, rooms } : state;
}
