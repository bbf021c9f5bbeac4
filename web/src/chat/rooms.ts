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
  const peopleChanged = rooms.some((room) => !samePeople(state.rooms[room.id]?.participants, room.participants));
  const jobsChanged = rooms.some((room) => !state.rooms[room.id] || !state.rooms[room.id]?.job !== !room.job);
  return {
    ...state,
    rooms: nextRooms,
    roomOrder: placeRooms(nextRooms, state.roomOrder, rooms.map((r) => r.id)),
    memberRooms: peopleChanged ? memberRoomsOf(nextRooms) : state.memberRooms,
    jobRooms: jobsChanged ? Object.values(nextRooms).filter((r) => r.job).map((r) => r.id) : state.jobRooms,
  };
}

/** User id → the ids of the rooms they are in. */
export type MemberRooms = ReadonlyMap<number, readonly number[]>;

/** Built again only when a room's people change (a `ready`, a new room, someone joining), which is rare. */
function memberRoomsOf(rooms: Record<number, Room>): MemberRooms {
  const index = new Map<number, number[]>();
  for (const room of Object.values(rooms)) {
    for (const p of room.participants) {
      const held = index.get(p.id);
      if (held) held.push(room.id);
      else index.set(p.id, [room.id]);
    }
  }
  return index;
}

function samePeople(held: readonly Participant[] | undefined, next: readonly Participant[]): boolean {
  return held !== undefined && held.length === next.length && held.every((p, i) => p.id === next[i]?.id);
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

interface Keyed {
  id: number;
  at: string;
}

/** Negative when `a` comes first: the more recently active, then the higher id. */
function compareKeyed(a: Keyed, b: Keyed): number {
  return a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1;
}

const keyOf = (room: Room): Keyed => ({ id: room.id, at: activityOf(room) });

/** Most recently active first; returns `previous` when the order did not change. */
export function orderRooms(rooms: Record<number, Room>, previous: readonly number[]): readonly number[] {
  // Each room's activity read once, not in every comparison (a `ready` of thousands of rooms).
  const ids = Object.values(rooms).map(keyOf).sort(compareKeyed).map((k) => k.id);
  return sameOrder(ids, previous) ? previous : ids;
}

/**
 * `previous` (the order of `rooms` before the rooms `changed` were updated) with those rooms put
 * in their places: the others keep their order, so each is placed by a binary search instead of
 * sorting the whole list again. A support agent's every incoming message sorted thousands of rooms.
 * Many rooms at once (a `ready`) are sorted. Returns `previous` when the order did not change.
 */
export function placeRooms(rooms: Record<number, Room>, previous: readonly number[], changed: readonly number[]): readonly number[] {
  if (changed.length > PLACE_AT_MOST) return orderRooms(rooms, previous);
  const moving = new Set(changed);
  const ids = previous.filter((id) => !moving.has(id) && rooms[id] !== undefined);
  const keys: Keyed[] = [];
  for (const id of moving) {
    const room = rooms[id];
    if (room) keys.push(keyOf(room));
  }
  for (const key of keys.sort(compareKeyed)) {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = rooms[ids[mid] as number] as Room;
      if (compareKeyed(keyOf(other), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    ids.splice(lo, 0, key.id);
  }
  return sameOrder(ids, previous) ? previous : ids;
}

/** More changed rooms than this are sorted with the rest. */
const PLACE_AT_MOST = 16;

function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Applies `fn` to the user's own entry in each room they are in (a presence frame); returns `state`
 * when nothing changed. Through the rooms they are in only: a support agent's clients coming online
 * after a restart, thousands of frames, each went through all of the agent's thousands of rooms.
 */
export function updateMemberInRooms(state: ChatState, userId: number, fn: (p: Participant) => Participant): ChatState {
  let rooms: Record<number, Room> | null = null;
  for (const roomId of state.memberRooms.get(userId) ?? []) {
    const room = state.rooms[roomId];
    const participants = room && changedParticipants(room, (p) => (p.id === userId ? fn(p) : p));
    if (!room || !participants) continue;
    rooms ??= { ...state.rooms };
    rooms[roomId] = { ...room, participants };
  }
  return rooms ? { ...state, rooms } : state;
}

/** Applies `fn` to the participants of one room (a receipt); returns `state` when nothing changed. */
export function updateRoomParticipants(state: ChatState, roomId: number, fn: (p: Participant) => Participant): ChatState {
  const room = state.rooms[roomId];
  const participants = room && changedParticipants(room, fn);
  return room && participants ? { ...state, rooms: { ...state.rooms, [roomId]: { ...room, participants } } } : state;
}

/** The room's participants with `fn` applied, or null when it changed none of them. */
function changedParticipants(room: Room, fn: (p: Participant) => Participant): Participant[] | null {
  let changed: Participant[] | null = null;
  for (let i = 0; i < room.participants.length; i++) {
    const p = room.participants[i] as Participant;
    const next = fn(p);
    if (next === p) continue;
    changed ??= [...room.participants];
    changed[i] = next;
  }
  return changed;
}
