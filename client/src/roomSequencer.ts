/**
 * Exactly-once, in-order delivery of each room's messages to the app.
 *
 * Per room it holds the highest seq delivered. A live message at the next seq
 * is delivered at once; one at or below it is a duplicate and dropped; one
 * beyond it reveals a gap: it is buffered and the room enters *resync*, during
 * which every live message is buffered and pages of `history {afterSeq}` are
 * fed in until the gap is closed. The class is pure (no I/O): the caller
 * fetches the pages it asks for.
 */
import type { Message } from '@ecc/protocol';
import { newerCopy } from './newerCopy.ts';

interface RoomTrack {
  delivered: number;
  syncing: boolean;
  /** Live messages ahead of `delivered`, by seq. */
  buffer: Map<number, Message>;
  /**
   * Edits and deletions of seqs ahead of `delivered` and not buffered (a gap
   * page may have been read before them): applied when the seq is delivered.
   */
  updates: Map<number, Message>;
}

/** What the caller must do next for a room: fetch `history {afterSeq}`, or nothing. */
export type SyncRequest = { roomId: number; afterSeq: number } | null;

export class RoomSequencer {
  private readonly rooms = new Map<number, RoomTrack>();

  constructor(private readonly deliver: (message: Message) => void) {}

  /** Highest seq delivered to the app for a room (0 when unknown). */
  lastSeq(roomId: number): number {
    return this.rooms.get(roomId)?.delivered ?? 0;
  }

  isTracked(roomId: number): boolean {
    return this.rooms.has(roomId);
  }

  isSyncing(roomId: number): boolean {
    return this.rooms.get(roomId)?.syncing ?? false;
  }

  /** Number of live messages held back while a gap is filled (for tests and diagnostics). */
  buffered(roomId: number): number {
    return this.rooms.get(roomId)?.buffer.size ?? 0;
  }

  /**
   * The server reported a room's latest seq (in `ready` or a `room` event).
   * A room seen for the first time starts tracking at `startAt` (default
   * there: the app loads its history itself; earlier, what follows is
   * fetched and delivered); a known room that is behind starts a resync.
   */
  observeRoom(roomId: number, serverLastSeq: number, startAt = serverLastSeq): SyncRequest {
    const track = this.rooms.get(roomId);
    if (!track) {
      const delivered = Math.min(startAt, serverLastSeq);
      const syncing = delivered < serverLastSeq;
      this.rooms.set(roomId, { delivered, syncing, buffer: new Map(), updates: new Map() });
      return syncing ? { roomId, afterSeq: delivered } : null;
    }
    if (serverLastSeq <= track.delivered || track.syncing) return null;
    track.syncing = true;
    return { roomId, afterSeq: track.delivered };
  }

  /** A message from a live `message` frame or an `ack`. */
  offerLive(message: Message): SyncRequest {
    const track = this.rooms.get(message.roomId);
    if (!track) {
      // A room we never heard of (its `room` event may still be on the way): start with this message.
      this.rooms.set(message.roomId, { delivered: message.seq, syncing: false, buffer: new Map(), updates: new Map() });
      this.deliver(message);
      return null;
    }
    if (message.seq <= track.delivered) return null;
    if (track.syncing) {
      track.buffer.set(message.seq, message);
      return null;
    }
    if (message.seq === track.delivered + 1) {
      this.deliverNext(track, message);
      return null;
    }
    track.buffer.set(message.seq, message);
    track.syncing = true;
    return { roomId: message.roomId, afterSeq: track.delivered };
  }

  /**
   * A page of `history {afterSeq}` fetched for a resync. Delivers what it
   * closes, then the buffered messages that became contiguous. Returns the
   * next page to fetch, or null when the room is live again.
   */
  acceptPage(roomId: number, messages: readonly Message[], hasMore: boolean): SyncRequest {
    const track = this.rooms.get(roomId);
    if (!track) return null;
    const before = track.delivered;
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (message.seq <= track.delivered) continue;
      track.buffer.delete(message.seq);
      this.deliverNext(track, message);
    }
    this.drainContiguous(track);
    if (hasMore) return { roomId, afterSeq: track.delivered };
    // Messages stored after the page was read are buffered beyond a new gap: fetch again.
    if (track.buffer.size > 0 && track.delivered > before) return { roomId, afterSeq: track.delivered };
    // Done; if a buffered message is still stranded (the server filled nothing), it stays
    // buffered and the next live message or reconnect retries (see hasStrandedGap).
    track.syncing = false;
    return null;
  }

  /**
   * Gives up on filling a gap (resync disabled): hands over what is held back
   * in seq order and continues from the highest seq seen.
   */
  skipGap(roomId: number): void {
    const track = this.rooms.get(roomId);
    if (!track) return;
    for (const seq of [...track.buffer.keys()].sort((a, b) => a - b)) {
      const message = track.buffer.get(seq);
      track.buffer.delete(seq);
      if (!message || seq <= track.delivered) continue;
      this.deliverNext(track, message);
    }
    this.forgetDelivered(track);
    track.syncing = false;
  }

  /** A resync fetch failed: leave resync so that the next trigger can retry. */
  abortSync(roomId: number): void {
    const track = this.rooms.get(roomId);
    if (track) track.syncing = false;
  }

  /** True when a room still holds messages it could not place (a gap the server did not fill). */
  hasStrandedGap(roomId: number): boolean {
    const track = this.rooms.get(roomId);
    return track !== undefined && !track.syncing && track.buffer.size > 0;
  }

  /**
   * An edit or deletion (`message_updated`) of a message not delivered yet:
   * kept, and applied to the copy that is delivered, whether it comes from
   * the buffer or from a gap page read before the change. Returns true when
   * the message is not delivered yet.
   */
  noteUpdate(message: Message): boolean {
    const track = this.rooms.get(message.roomId);
    if (!track || message.seq <= track.delivered) return false;
    const buffered = track.buffer.get(message.seq);
    if (buffered) {
      track.buffer.set(message.seq, newerCopy(buffered, message));
    } else {
      const held = track.updates.get(message.seq);
      track.updates.set(message.seq, held ? newerCopy(held, message) : message);
    }
    return true;
  }

  /**
   * The connection dropped: in-progress resyncs are abandoned and buffers
   * cleared, since every buffered message is stored and the resync after the
   * next `ready` fetches it again. Delivered seqs are kept.
   */
  disconnected(): void {
    for (const track of this.rooms.values()) {
      track.syncing = false;
      track.buffer.clear();
      // The gap pages after the reconnect are read after every update received so far.
      track.updates.clear();
    }
  }

  private drainContiguous(track: RoomTrack): void {
    for (;;) {
      const next = track.buffer.get(track.delivered + 1);
      if (!next) break;
      track.buffer.delete(next.seq);
      this.deliverNext(track, next);
    }
    this.forgetDelivered(track);
  }

  /** Delivers a message with any update that arrived before it. */
  private deliverNext(track: RoomTrack, message: Message): void {
    const update = track.updates.get(message.seq);
    track.updates.delete(message.seq);
    track.delivered = message.seq;
    this.deliver(update ? newerCopy(message, update) : message);
  }

  /** Anything at or below the delivered seq is a duplicate now, and so is an update of it. */
  private forgetDelivered(track: RoomTrack): void {
    for (const seq of track.buffer.keys()) if (seq <= track.delivered) track.buffer.delete(seq);
    for (const seq of track.updates.keys()) if (seq <= track.delivered) track.updates.delete(seq);
  }
}
