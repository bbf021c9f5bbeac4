/**
 * Keeps a socket's unread counts from going back in time. Counts read at
 * different moments can reach a socket out of order (computed on two nodes,
 * on two pool connections, or before its `ready` snapshot and queued behind
 * it); each carries the versions it was read at (storage/unreadCounts.ts),
 * and the socket is always sent the latest it has seen of each number: a
 * room's count, and the total.
 */
import type { Room, ServerFrame } from '@ecc/protocol';

/** An unread count on its way to a socket; versions are absent only from nodes that predate them. */
export interface UnreadUpdate {
  roomId: number;
  unread: number;
  totalUnread: number;
  roomVersion?: number;
  userVersion?: number;
  /** The `read` this count answers, on the socket that sent it. */
  ref?: string;
}

/** A `room` frame on its way to a socket, with the versions of its count (absent as above). */
export interface RoomUpdate {
  room: Room;
  roomVersion?: number;
  userVersion?: number;
}

type UnreadFrame = Extract<ServerFrame, { type: 'unread' }>;
type RoomFrame = Extract<ServerFrame, { type: 'room' }>;

export class UnreadGate {
  /** The `ready` snapshot's version: counts read before it are older than what `ready` said. */
  private readyVersion = -1;
  /** The latest total sent, and the version it was read at. */
  private total = 0;
  private totalVersion = -1;
  /** Per room, the latest count sent since `ready` (created on the first one: idle sockets hold none). */
  private rooms: Map<number, { value: number; version: number }> | undefined;
  /** Per room, the highest last seq of the `room` frames sent since `ready` (created on the first one). */
  private roomSeqs: Map<number, number> | undefined;

  /** `ready` was sent with this total, read at `userVersion`. */
  ready(totalUnread: number, userVersion: number): void {
    this.readyVersion = userVersion;
    this.total = totalUnread;
    this.totalVersion = userVersion;
    this.rooms = undefined;
    this.roomSeqs = undefined;
  }

  /** The frame to send for `update`, with anything older than what was sent replaced; null when `ready` was newer. */
  admit(update: UnreadUpdate): UnreadFrame | null {
    const { roomId, roomVersion, userVersion } = update;
    if (roomVersion === undefined || userVersion === undefined) {
      return withRef({ type: 'unread', roomId, unread: update.unread, totalUnread: update.totalUnread }, update.ref);
    }
    if (userVersion < this.readyVersion) return null;
    const room = this.remember(roomId, update.unread, roomVersion);
    if (this.totalVersion <= userVersion) {
      this.total = update.totalUnread;
      this.totalVersion = userVersion;
    }
    return withRef({ type: 'unread', roomId, unread: room.value, totalUnread: this.total }, update.ref);
  }

  /**
   * The `room` frame to send: null when read before `ready` (which showed the room later) or before a
   * `room` frame of the room already sent (a lower last seq: every job change stores a message, so it
   * shows an older job, e.g. an accept announced after the cancel that followed it), else with its own
   * count or a later one already sent.
   */
  admitRoom(update: RoomUpdate): RoomFrame | null {
    const { room, roomVersion, userVersion } = update;
    if (userVersion !== undefined && userVersion < this.readyVersion) return null;
    this.roomSeqs ??= new Map();
    const sentSeq = this.roomSeqs.get(room.id);
    if (sentSeq !== undefined && room.lastSeq < sentSeq) return null;
    this.roomSeqs.set(room.id, room.lastSeq);
    if (roomVersion === undefined || userVersion === undefined) return { type: 'room', room };
    const known = this.remember(room.id, room.unread, roomVersion);
    return { type: 'room', room: known.value === room.unread ? room : { ...room, unread: known.value } };
  }

  /** Keeps a room's count unless a later one was sent; returns the one to show (its entry, updated in place). */
  private remember(roomId: number, value: number, version: number): { value: number; version: number } {
    this.rooms ??= new Map();
    const known = this.rooms.get(roomId);
    if (!known) {
      const entry = { value, version };
      this.rooms.set(roomId, entry);
      return entry;
    }
    if (known.version <= version) {
      known.value = value;
      known.version = version;
    }
    return known;
  }
}

/** The frame answering a `read` carries its ref (only the reading socket's copy has one). */
function withRef(frame: UnreadFrame, ref: string | undefined): UnreadFrame {
  if (ref !== undefined) frame.ref = ref;
  return frame;
}
