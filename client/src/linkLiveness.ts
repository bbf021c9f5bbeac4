/**
 * Tells a dead link from a slow server when a request goes unanswered.
 *
 * A link that died without a close (a laptop woken from sleep, a dropped NAT
 * entry) delivers nothing at all: dropping the socket and replaying the
 * request on a new one is the cure. A server that is merely slow still sends
 * frames, or leaves a request unanswered again on the fresh socket; dropping
 * there would only reconnect forever (requests made anew on every `ready`,
 * like gap fetches and reads, would never run out of tries), so the request
 * fails instead, as any error would.
 */
export type TimeoutVerdict = 'dead-link' | 'slow-server';

export class LinkLiveness {
  private framesHeard = 0;
  /** Sockets dropped for a timeout since a request was last answered; `ready` is no answer. */
  private dropsSinceAnswer = 0;

  /** A frame arrived from the server. */
  heard(): void {
    this.framesHeard++;
  }

  /** A request got its answer (an ack, a reply carrying its ref, a read's `unread`): the link works. */
  answered(): void {
    this.dropsSinceAnswer = 0;
  }

  /** A stamp for a request put on the socket now, to hand back to `judgeTimeout`. */
  stamp(): number {
    return this.framesHeard;
  }

  /** Judges a request sent at `sentAt` that got no answer in time; a dead-link verdict counts as a drop. */
  judgeTimeout(sentAt: number): TimeoutVerdict {
    if (this.framesHeard > sentAt || this.dropsSinceAnswer > 0) return 'slow-server';
    this.dropsSinceAnswer++;
    return 'dead-link';
  }
}
