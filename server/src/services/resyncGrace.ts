/**
 * The offline of a user whose sockets this node closed to resync after a
 * fan-out outage (close 1013, app.ts): their tabs reconnect within a second
 * or so, to this node or another. Told at once, every user of the node would
 * flicker offline then online again for everyone sharing a room with them,
 * after every outage.
 *
 * So such a user's offline is held for RESYNC_GRACE_MS from their last
 * socket's close, and told (with that close's time) only if they are still
 * offline everywhere then. An online of theirs announced on this node
 * meanwhile ends the hold and is not told either: no one saw them leave —
 * unless Redis lost this node's entries (restarted empty), when the other
 * nodes' sockets, resyncing too, may have read them offline: it is told then.
 * (One whose tab comes back on another node is announced online there: a
 * frame their rooms' people did not need, but no flicker.)
 */

/** How long the offline of a user whose sockets were closed to resync waits for them to come back. */
export const RESYNC_GRACE_MS = 5000;

interface Held {
  peers: Set<number>;
  lastSeen: string;
  timer: NodeJS.Timeout;
}

export class ResyncGrace {
  /** Users whose sockets are being closed to resync → until when an offline of theirs is held. */
  private readonly expected = new Map<number, number>();
  private readonly held = new Map<number, Held>();

  constructor(
    /** The grace is over and the user did not come back here: tell their offline if they are still offline. */
    private readonly expired: (userId: number, peers: Set<number>, lastSeen: string) => void,
    private readonly graceMs = RESYNC_GRACE_MS,
  ) {}

  /** The users' sockets here are closed to resync within `spreadMs`. */
  expectBack(userIds: Iterable<number>, spreadMs: number): void {
    const now = Date.now();
    for (const [userId, until] of this.expected) if (until < now) this.expected.delete(userId);
    const until = now + spreadMs + this.graceMs;
    for (const userId of userIds) this.expected.set(userId, until);
  }

  /** The user went offline: true when it is held (their sockets were closed to resync), not to be told now. */
  holdOffline(userId: number, peers: Set<number>, lastSeen: string): boolean {
    const until = this.expected.get(userId);
    this.expected.delete(userId);
    if (until === undefined || until < Date.now()) return false;
    this.release(userId);
    const timer = setTimeout(() => {
      this.held.delete(userId);
      this.expired(userId, peers, lastSeen);
    }, this.graceMs);
    timer.unref();
    this.held.set(userId, { peers, lastSeen, timer });
    return true;
  }

  /**
   * The user is online again: true when that ends a held offline (no one was told they left). One told
   * online before their sockets here closed (a node swept while cut off) is still expected back.
   */
  cameBack(userId: number): boolean {
    return this.release(userId);
  }

  /** Whether the user's sockets are being closed to resync, or their offline is held. */
  settling(userId: number): boolean {
    return this.held.has(userId) || (this.expected.get(userId) ?? 0) >= Date.now();
  }

  /** Shutting down: every held offline is judged now. */
  stop(): void {
    this.expected.clear();
    for (const [userId, { peers, lastSeen, timer }] of this.held) {
      clearTimeout(timer);
      this.expired(userId, peers, lastSeen);
    }
    this.held.clear();
  }

  private release(userId: number): boolean {
    const held = this.held.get(userId);
    if (!held) return false;
    clearTimeout(held.timer);
    this.held.delete(userId);
    return true;
  }
}
