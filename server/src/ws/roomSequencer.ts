/**
 * Puts each room's new messages back in seq order on this node before its
 * sockets get them.
 *
 * A node delivers the messages it stores at once and other nodes' messages
 * when Redis brings them (and a system message after its unread counts are
 * read), so without this, two people on two nodes writing at once could be
 * sent 134 before 133. A message past a gap waits for the gap to fill; a gap
 * still open after `gapWaitMs` (the node that stored the message died before
 * announcing it, or Redis dropped it) is fetched from the database, page by
 * page. Only when the database cannot answer (a few tries) is the gap skipped
 * (clients fetch a gap by seq, as after a reconnect), and a skipped message
 * that turns up later is still handed on, out of order, rather than lost.
 *
 * A room's line starts at the last seq its first local socket was told
 * (`start`), or else at its first message here. `catchUp` gives it the room's
 * last stored seq, read once the room's topic is live here: what was stored
 * before and never heard is fetched at once, as a gap is.
 */
import type { Logger } from '../logger.ts';

/**
 * How a message is handed on: `next` in seq order (a socket whose `ready` or
 * replay already covered it is not sent it again); `again` at or below the
 * line's position (it was handed on, or fetched, before); `overdue` when its
 * seq was skipped (never handed on here: sent as it is, out of order).
 */
export type Handing = 'next' | 'again' | 'overdue';

export interface SequencerOptions<T> {
  deliver(roomId: number, item: T, how: Handing): void;
  /** The room's stored messages after `afterSeq`, ascending, at most `limit`. */
  fetchAfter(roomId: number, afterSeq: number, limit: number): Promise<T[]>;
  seqOf(item: T): number;
  gapWaitMs: number;
  logger: Logger;
}

interface Line<T> {
  /** The highest seq handed on in order (or skipped past). */
  position: number;
  /** The room's last stored seq as a catch-up read found it: seqs up to it are fetched even with nothing waiting. */
  target: number;
  /** Messages past a gap, by seq (NOTHING_WAITING until the room's first gap). */
  waiting: Map<number, T>;
  /** Armed while messages wait and no gap is being closed. */
  timer: NodeJS.Timeout | null;
  closing: boolean;
  /** Rounds in a row whose fetch failed. */
  failures: number;
  /** Seq ranges skipped past, newest last (a few kept). */
  skipped: [number, number][];
}

/** Messages fetched per database round trip while closing a gap. */
const GAP_PAGE = 100;
/** Rounds whose fetch fails before a gap is skipped. */
const MAX_FAILURES = 3;
/** A fetch slower than this counts as failed (a stalled database must not hold the room here). */
const FETCH_TIMEOUT_MS = 3000;
const KEPT_SKIPS = 16;

export class RoomSequencer<T> {
  private readonly lines = new Map<number, Line<T>>();

  constructor(private readonly opts: SequencerOptions<T>) {}

  /**
   * Starts the room's line at `lastSeq`, and past the seqs of `passed` that
   * follow it (messages already sent to the joining socket), unless it has one.
   */
  start(roomId: number, lastSeq: number, passed: readonly number[] = []): void {
    if (this.lines.has(roomId)) return;
    let position = lastSeq;
    for (const seq of [...passed].sort((a, b) => a - b)) if (seq === position + 1) position = seq;
    this.lines.set(roomId, newLine(position));
  }

  accept(roomId: number, item: T): void {
    const seq = this.opts.seqOf(item);
    let line = this.lines.get(roomId);
    if (!line) {
      line = newLine(seq - 1);
      this.lines.set(roomId, line);
    }
    if (seq <= line.position) {
      this.opts.deliver(roomId, item, takeSkipped(line, seq) ? 'overdue' : 'again');
      return;
    }
    if (seq > line.position + 1) {
      // The first copy waits; a second (a redelivery of a retried send) brings nothing new.
      if (!line.waiting.has(seq)) {
        if (line.waiting === NOTHING_WAITING) line.waiting = new Map();
        line.waiting.set(seq, item);
      }
      this.arm(roomId, line);
      return;
    }
    this.handOn(roomId, line, item, seq);
  }

  /**
   * The room's last stored seq, read after its topic went live here (hub.ts): a message stored
   * before then that this node never heard is fetched at once, not only once a later one comes.
   */
  catchUp(roomId: number, lastSeq: number): void {
    const line = this.lines.get(roomId);
    if (!line || lastSeq <= line.position) return;
    line.target = Math.max(line.target, lastSeq);
    // A round closing a gap reads on to the target.
    if (line.closing) return;
    if (line.timer) {
      clearTimeout(line.timer);
      line.timer = null;
    }
    void this.closeGap(roomId, line);
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
    this.opts.deliver(roomId, item, 'next');
    line.position = seq;
    for (let next = line.waiting.get(seq + 1); next !== undefined; next = line.waiting.get(line.position + 1)) {
      line.waiting.delete(line.position + 1);
      this.opts.deliver(roomId, next, 'next');
      line.position += 1;
    }
    if (!behind(line)) {
      line.failures = 0;
      if (line.timer) {
        clearTimeout(line.timer);
        line.timer = null;
      }
    }
  }

  private arm(roomId: number, line: Line<T>): void {
    if (line.timer || line.closing || !behind(line)) return;
    line.timer = setTimeout(() => void this.closeGap(roomId, line), this.opts.gapWaitMs);
    line.timer.unref();
  }

  /**
   * The gap before the first waiting message did not fill in time (or a catch-up found the room
   * behind): fetch it, or after a few failures skip it.
   */
  private async closeGap(roomId: number, line: Line<T>): Promise<void> {
    line.timer = null;
    line.closing = true;
    let failed = false;
    try {
      while (behind(line) && this.lines.get(roomId) === line) {
        const upTo = line.waiting.size > 0 ? Math.min(...line.waiting.keys()) - 1 : line.target;
        const from = line.position;
        const fetched = await this.fetch(roomId, from, Math.min(upTo - from, GAP_PAGE));
        if (this.lines.get(roomId) !== line) return; // forgotten meanwhile
        for (const item of fetched ?? []) this.accept(roomId, item);
        // No answer, or no progress (the seqs are not stored: cannot happen while seqs are gap-free).
        if (fetched === null || line.position === from) {
          failed = true;
          break;
        }
      }
    } finally {
      line.closing = false;
    }
    if (!behind(line) || this.lines.get(roomId) !== line) return;
    if (failed && ++line.failures < MAX_FAILURES) {
      this.arm(roomId, line);
      return;
    }
    if (line.waiting.size === 0) {
      // Only a catch-up's target, nothing held: give it up (the next message's gap is fetched as usual).
      this.opts.logger.warn({ roomId, from: line.position + 1, to: line.target }, 'could not catch up a room’s messages');
      line.target = line.position;
      line.failures = 0;
      return;
    }
    // Skipped: go on from the first waiting message, remembering what was passed over.
    const first = Math.min(...line.waiting.keys());
    this.opts.logger.warn({ roomId, from: line.position + 1, to: first - 1 }, 'skipping a gap in a room’s messages');
    line.skipped.push([line.position + 1, first - 1]);
    if (line.skipped.length > KEPT_SKIPS) line.skipped.shift();
    const item = line.waiting.get(first) as T;
    line.waiting.delete(first);
    this.handOn(roomId, line, item, first);
    this.arm(roomId, line);
  }

  /** A page of the gap, or null when the database failed or took too long. */
  private async fetch(roomId: number, afterSeq: number, limit: number): Promise<T[] | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), FETCH_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([this.opts.fetchAfter(roomId, afterSeq, limit), timeout]);
    } catch (err) {
      this.opts.logger.warn({ err, roomId }, 'fetching a gap of a room failed');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The `waiting` of every line that never had a gap (nearly all: every room of every connected user has a
 * line), shared because an empty Map costs ~180 bytes. Only ever read: `accept` gives a line its own first.
 */
const NOTHING_WAITING = new Map<number, never>();

function newLine<T>(position: number): Line<T> {
  return { position, target: position, waiting: NOTHING_WAITING, timer: null, closing: false, failures: 0, skipped: [] };
}

/** Messages wait past a gap, or a catch-up found stored ones not handed on yet. */
function behind(line: Line<unknown>): boolean {
  return line.waiting.size > 0 || line.target > line.position;
}

/** Whether `seq` was skipped past (and is now handed on: taken out of its range). */
function takeSkipped(line: Line<unknown>, seq: number): boolean {
  const index = line.skipped.findIndex(([from, to]) => seq >= from && seq <= to);
  if (index < 0) return false;
  const [from, to] = line.skipped[index] as [number, number];
  const rest: [number, number][] = [];
  if (from < seq) rest.push([from, seq - 1]);
  if (seq < to) rest.push([seq + 1, to]);
  line.skipped.splice(index, 1, ...rest);
  return true;
}
