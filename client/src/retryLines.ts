/**
 * Sends the server refused with a transient error wait here to go out again
 * with the same clientId. Lines are per room and in creation order: while a
 * room has a send waiting, the room's later sends wait behind it, so a retry
 * cannot be stored after a message the user wrote later. When the pause of
 * the send that started a line ends, only the head goes out; the next one
 * follows once the head is settled (acked, or failed for good). Were the
 * whole line sent at once, a head refused again would be stored after the
 * sends behind it.
 */
import type { PendingRequest } from './requests.ts';

export type SendRequest = Extract<PendingRequest, { kind: 'send' }>;

interface Line {
  /** Oldest first. */
  waiting: SendRequest[];
  /** The head put on the socket, until it is settled or comes back for another retry. */
  out: SendRequest | undefined;
  /** The pause before the head goes out. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class RetryLines {
  private readonly lines = new Map<number, Line>();

  /** `release` puts a line's head on the socket; false when the send was settled meanwhile and the next should go. */
  constructor(private readonly release: (send: SendRequest) => boolean) {}

  /** True while a send of the room waits to retry: the room's next sends must join its line. */
  holds(roomId: number): boolean {
    return this.lines.has(roomId);
  }

  /**
   * Puts a send in its room's line. `pauseMs` counts when the send starts the
   * line or is the head back for another retry; otherwise it waits its turn.
   */
  join(send: SendRequest, pauseMs: number): void {
    const roomId = send.frame.roomId;
    let line = this.lines.get(roomId);
    if (!line) {
      line = { waiting: [], out: undefined, timer: undefined };
      this.lines.set(roomId, line);
    }
    if (line.out === send) line.out = undefined;
    line.waiting.push(send);
    line.waiting.sort((a, b) => a.seq - b.seq);
    if (!line.out && !line.timer) line.timer = setTimeout(() => this.releaseHead(roomId), pauseMs);
  }

  /** A send of the room got its answer for good: if it was the head out, the next in line goes. */
  settled(roomId: number, ref: string): void {
    const line = this.lines.get(roomId);
    if (!line) return;
    if (line.out?.ref === ref) {
      line.out = undefined;
      this.releaseHead(roomId);
      return;
    }
    // Settled while waiting (a late ack of an earlier attempt): it no longer holds anyone up.
    line.waiting = line.waiting.filter((send) => send.ref !== ref);
    if (line.waiting.length === 0 && !line.out) this.abandon(roomId, line);
  }

  /** Abandons every line (the socket dropped or the client closed); their sends stay with the request manager. */
  clear(): void {
    for (const line of this.lines.values()) clearTimeout(line.timer);
    this.lines.clear();
  }

  private releaseHead(roomId: number): void {
    const line = this.lines.get(roomId);
    if (!line) return;
    clearTimeout(line.timer);
    line.timer = undefined;
    for (let head = line.waiting.shift(); head; head = line.waiting.shift()) {
      line.out = head;
      if (this.release(head)) return;
    }
    line.out = undefined;
    this.abandon(roomId, line);
  }

  private abandon(roomId: number, line: Line): void {
    clearTimeout(line.timer);
    if (this.lines.get(roomId) === line) this.lines.delete(roomId);
  }
}
