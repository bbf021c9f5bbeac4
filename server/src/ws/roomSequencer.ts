/**
 * Puts each room's new messages back in seq order on this node before its
 * sockets get them.
 *
 * A node delivers the messages it stores at once and other nodes' messages
 * when Redis brings them (and a system message after its unread counts are
 * read), so without this, two people on two nodes writing at once could be
 * sent 134 before 133. A message past a gap waits for the gap to fill; a gap
 * still open after `gapWaitMs` (the node that stored the message died before
 * announcing it, or Redis dropped it) is filled from the database, or else
 * skipped (clients fetch a gap by seq, as after a reconnect).
 *
 * A room's line starts at the last seq its first local socket was told
 * (`start`), or else at its first message here. Anything at or below the
 * line's position arrives late (it was delivered, or fetched for a gap):
 * `deliver` is told so, and sends it only to sockets that never had it.
 */
import type { Logger } from '../logger.ts';

export interface SequencerOptions<T> {
  /** Hands one message on, in seq order; `late` when its seq was already passed. */
  deliver(roomId: number, item: T, late: boolean): void;
  /** The room's stored messages after `afterSeq`, ascending, at most `limit` (for a gap that does not fill). */
  fetchAfter(roomId: number, afterSeq: number, limit: number): Promise<T[]>;
  seqOf(item: T): number;
  gapWaitMs: number;
  logger: Logger;
}

interface Line<T> {
  /** The highest seq handed on in order. */
  position: number;
  /** Messages past a gap, by seq. */
  waiting: Map<number, T>;
  /** Armed while messages wait and no gap is being closed. */
  timer: NodeJS.Timeout | null;
  closing: boolean;
}

/** Most messages fetched for one gap; a longer gap is skipped past (clients fetch it). */
const MAX_GAP_FETCH = 100;

export class RoomSequencer<T> {
  private readonly lines = new Map<number, Line<T>>();

  constructor(private readonly opts: SequencerOptions<T>) {}

  /** Starts the room's line at `lastSeq` unless it has one already. */
  start(roomId: number, lastSeq: number): void {
    if (!this.lines.has(roomId)) this.lines.set(roomId, newLine(lastSeq));
  }

  accept(roomId: number, item: T): void {
    const seq = this.opts.seqOf(item);
    let line = this.lines.get(roomId);
    if (!line) {
      line = newLine(seq - 1);
      this.lines.set(roomId, line);
    }
    if (seq <= line.position) {
      this.opts.deliver(roomId, item, true);
      return;
    }
    if (seq > line.position + 1) {
      // The first copy waits; a second (a redelivery of a retried send) brings nothing new.
      if (!line.waiting.has(seq)) line.waiting.set(seq, item);
      this.arm(roomId, line);
      return;
    }
    this.handOn(roomId, line, item, seq);
  }

  /** The room has no local socket any more. */
  forget(roomId: number): void {
    const line = this.lines.get(roomId);
    if (line?.timer) clearTimeout(line.timer);
    this.lines.delete(roomId);
  }

  /** Rooms with a line (for tests and memory checks). */
  get size(): number {
    return this.lines.size;
  }

  private handOn(roomId: number, line: Line<T>, item: T, seq: number): void {
    this.opts.deliver(roomId, item, false);
    line.position = seq;
    for (let next = line.waiting.get(seq + 1); next !== undefined; next = line.waiting.get(line.position + 1)) {
      line.waiting.delete(line.position + 1);
      this.opts.deliver(roomId, next, false);
      line.position += 1;
    }
    if (line.waiting.size === 0 && line.timer) {
      clearTimeout(line.timer);
      line.timer = null;
    }
  }

  private arm(roomId: number, line: Line<T>): void {
    if (line.timer || line.closing || line.waiting.size === 0) return;
    line.timer = setTimeout(() => void this.closeGap(roomId, line), this.opts.gapWaitMs);
  }

  /** The gap before the first waiting message did not fill in time: fetch it, or skip it. */
  private async closeGap(roomId: number, line: Line<T>): Promise<void> {
    line.timer = null;
    if (line.waiting.size === 0) return;
    line.closing = true;
    const firstWaiting = Math.min(...line.waiting.keys());
    const missing = firstWaiting - line.position - 1;
    let fetched: T[] = [];
    if (missing > 0 && missing <= MAX_GAP_FETCH) {
      try {
        fetched = await this.opts.fetchAfter(roomId, line.position, missing);
      } catch (err) {
        this.opts.logger.warn({ err, roomId }, 'fetching a gap of a room failed; skipping it');
      }
    }
    line.closing = false;
    if (this.lines.get(roomId) !== line) return; // forgotten meanwhile
    for (const item of fetched) this.accept(roomId, item);
    if (line.waiting.size > 0) {
      // Still open (not stored, too long, or the fetch failed): go on from the first waiting message.
      const first = Math.min(...line.waiting.keys());
      const item = line.waiting.get(first) as T;
      line.waiting.delete(first);
      this.handOn(roomId, line, item, first);
    }
    this.arm(roomId, line);
  }
}

function newLine<T>(position: number): Line<T> {
  return { position, waiting: new Map(), timer: null, closing: false };
}
