/**
 * What the open room's status line says when messages from other people
 * arrive live (the message list itself does not announce: its rows are also
 * added by scrolling and by older pages).
 */
import { cutWhole, type Message } from '@ecc/protocol';
import type { ChatState } from './store.ts';

/** How much of a message's text is read out; the rest is in the list. */
export const ANNOUNCED_TEXT_LENGTH = 100;

/**
 * The messages of `messages` that arrived after `afterSeq`, up to the room's newest `latest`, from
 * someone other than me (not system lines, not deleted). `latest` stands in when the loaded window
 * does not hold it.
 */
export function arrivalsSince(messages: readonly Message[], afterSeq: number, latest: Message, meId: number | undefined): Message[] {
  const fromOthers = (m: Message) => m.sender !== null && m.sender.id !== meId && m.deletedAt === null;
  const held = messages.filter((m) => m.seq > afterSeq && m.seq <= latest.seq && fromOthers(m));
  if (held.length > 0 || messages.some((m) => m.seq === latest.seq)) return held;
  return fromOthers(latest) ? [latest] : [];
}

/**
 * What waits to be said of arrivals, per room in the order of their last arrival: how many, from
 * whom, and the last. Not the messages: a tab hidden overnight gets tens of thousands.
 */
export interface ArrivalTally {
  rooms: Map<number, RoomArrivals>;
}

interface RoomArrivals {
  count: number;
  senders: Set<number>;
  last: Message;
}

/** `tally` (changed in place; null for none yet) with `arrivals` from others counted in. */
export function tallyArrivals(tally: ArrivalTally | null, arrivals: readonly Message[]): ArrivalTally {
  const t = tally ?? { rooms: new Map<number, RoomArrivals>() };
  for (const m of arrivals) {
    if (!m.sender) continue;
    const room = t.rooms.get(m.roomId) ?? { count: 0, senders: new Set<number>(), last: m };
    room.count += 1;
    room.senders.add(m.sender.id);
    room.last = m;
    // Moved to the end: the room of the newest arrival is last.
    t.rooms.delete(m.roomId);
    t.rooms.set(m.roomId, room);
  }
  return t;
}

/**
 * `tally` without the rooms I have read up to their last arrival since (on another device: my mark
 * moves with it, readState.ts), or null when none is left. Only `roomIds` are looked at when given.
 */
export function withoutReadRooms(tally: ArrivalTally, state: Pick<ChatState, 'rooms' | 'me'>, roomIds?: Iterable<number>): ArrivalTally | null {
  for (const id of roomIds ?? [...tally.rooms.keys()]) {
    const waiting = tally.rooms.get(id);
    const mark = state.rooms[id]?.participants.find((p) => p.id === state.me?.id)?.lastReadSeq ?? 0;
    if (waiting && mark >= waiting.last.seq) tally.rooms.delete(id);
  }
  return tally.rooms.size > 0 ? tally : null;
}

/**
 * "New message from Bob: <its text, cut>" for one; "3 new messages from Bob" (or "3 new messages"
 * from several people) for a burst, so they are not read out one after another. Null for none.
 */
export function sayArrivals(tally: ArrivalTally): string | null {
  let count = 0;
  let last: Message | undefined;
  const senders = new Set<number>();
  for (const room of tally.rooms.values()) {
    count += room.count;
    last = room.last;
    for (const id of room.senders) if (senders.size < 2) senders.add(id);
  }
  if (!last?.sender) return null;
  if (count === 1) return `New message from ${last.sender.displayName}: ${spokenText(last)}`;
  return senders.size === 1 ? `${count} new messages from ${last.sender.displayName}` : `${count} new messages`;
}

/** The words for `arrivals` (sayArrivals). */
export function arrivalAnnouncement(arrivals: readonly Message[]): string | null {
  return sayArrivals(tallyArrivals(null, arrivals));
}

/** Arrivals as useSpacedAnnouncer gathers them. */
export const arrivalTally = { add: tallyArrivals, words: sayArrivals };

function spokenText(m: Message): string {
  const text = m.content.replace(/\s+/g, ' ').trim();
  const cut = text.length > ANNOUNCED_TEXT_LENGTH ? `${cutWhole(text, ANNOUNCED_TEXT_LENGTH - 1).trimEnd()}…` : text;
  if (!m.attachment) return cut;
  return cut ? `${cut} (with a file, ${m.attachment.name})` : `a file, ${m.attachment.name}`;
}

/**
 * After a reconnect the `ready` names a room's newest message before the client library has fetched
 * what was missed: the arrivals wait until the window holds it, and are then said once, as their
 * count, not as the newest alone as if it were the only one. Every room's gap is fetched and held as
 * live messages are, a window that held nothing yet included (a room shown before its first page).
 */
export function awaitsMissed(heldNewestSeq: number, latest: Message): boolean {
  return heldNewestSeq < latest.seq;
}
