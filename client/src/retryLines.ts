/**
 * Sends the server refused with a transient error wait here to go out again
 * with the same clientId. Lines are per room and in creation order: while a
 * room has a send waiting, the room's later sends wait behind it, so a retry
 * cannot be stored after a message the user wrote later. A line goes out
 * whole, oldest first, when the pause of the send that started it ends.
 */
import type { PendingRequest } from './requests.ts';

export type SendRequest = Extract<PendingRequest, { kind: 'send' }>;

interface Line {
  waiting: SendRequest[];
  timer: ReturnType<typeof setTimeout>;
}

export class RetryLines {
  private readonly lines = new Map<number, Line>();

  /** `release` gets a line's sends, oldest first, when its pause ends. */
  constructor(private readonly release: (sends: SendRequest[]) => void) {}

  /** True while a send of the room waits to retry: the room's next sends must join its line. */
  holds(roomId: number): boolean {
    return this.lines.has(roomId);
  }

  /** Puts a send in its room's line; `pauseMs` counts only for the send that starts the line. */
  join(send: SendRequest, pauseMs: number): void {
    const roomId = send.frame.roomId;
    let line = this.lines.get(roomId);
    if (!line) {
      line = { waiting: [], timer: setTimeout(() => this.releaseLine(roomId), pauseMs) };
      this.lines.set(roomId, line);
    }
    line.waiting.push(send);
    line.waiting.sort((a, b) => a.seq - b.seq);
  }

  /** Abandons every line (the socket dropped or the client closed); their sends stay with the request manager. */
  clear(): void {
    for (const line of this.lines.values()) clearTimeout(line.timer);
    this.lines.clear();
  }

  private releaseLine(roomId: number): void {
    const line = this.lines.get(roomId);
    this.lines.delete(roomId);
    if (line) this.release(line.waiting);
  }
}
