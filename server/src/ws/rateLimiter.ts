/**
 * The contract's send rate limit per user: this node's sliding window
 * first (exact while all of a user's sockets are on this node, and what
 * holds when Redis cannot be asked), then, for a user whose sockets are on
 * several nodes, the count shared by the nodes.
 */
import type { SharedPace, SharedSendCounter } from '../fanout/bus.ts';

/**
 * A sliding-window limit per key: at most `limit` events in any `windowMs`.
 * Keeps the timestamps of the last `limit` accepted events per key.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<number, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event for `key` and returns true, or returns false (recording nothing) when over the limit. */
  tryTake(key: number): boolean {
    const t = this.now();
    this.sweep(t);
    let times = this.events.get(key);
    if (!times) {
      times = [];
      this.events.set(key, times);
    }
    const cutoff = t - this.windowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= this.limit) return false;
    times.push(t);
    return true;
  }

  /** Milliseconds until `key` may take again (0: now), when the oldest of its events in the window leaves it. */
  waitMs(key: number): number {
    const times = this.events.get(key);
    if (!times || times.length < this.limit) return 0;
    return Math.max(0, (times[times.length - this.limit] ?? 0) + this.windowMs - this.now());
  }

  /** Events of `key` in the window ending now, only those after `after` when given. */
  countOf(key: number, after = -Infinity): number {
    const cutoff = Math.max(this.now() - this.windowMs, after);
    return this.events.get(key)?.filter((t) => t > cutoff).length ?? 0;
  }

  /** The limiter's clock (its events' times). */
  time(): number {
    return this.now();
  }

  /** Forgets the latest event of `key` (one another check refused after this one counted it). */
  giveBack(key: number): void {
    this.events.get(key)?.pop();
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < this.windowMs) return;
    this.lastSweep = t;
    const cutoff = t - this.windowMs;
    for (const [key, times] of this.events) if ((times.at(-1) ?? 0) <= cutoff) this.events.delete(key);
  }
}

/**
 * At most `limit` events per key in each window of `windowMs` (a window starts at the first event after
 * the last one ended; across its edge a key may get up to twice the limit). One number per key, where
 * a sliding window keeps a time per event: for a count held for every connected user.
 */
export class FixedWindowCounter {
  private counts = new Map<number, number>();
  private windowEnd = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts an event of `key` and returns true, or returns false (counting nothing) when over the limit. */
  tryTake(key: number): boolean {
    const t = this.now();
    if (t >= this.windowEnd) {
      this.counts = new Map();
      this.windowEnd = t + this.windowMs;
    }
    const n = this.counts.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.counts.set(key, n + 1);
    return true;
  }
}

export class SendLimiter {
  /** Users with sockets on other nodes too: their sends are counted over the nodes. */
  private readonly spread = new Set<number>();
  /** When a user stopped being counted over the nodes here (their last socket here closed), for a window. */
  private readonly sharedUntil = new Map<number, number>();

  constructor(
    private readonly local: SlidingWindowLimiter,
    private readonly shared: SharedSendCounter | null = null,
  ) {}

  /** Counts one send of `userId`; false (counting nothing) when the user is over the limit. */
  async tryTake(userId: number): Promise<boolean> {
    if (!this.local.tryTake(userId)) return false;
    if (!this.shared || !this.spread.has(userId) || (await this.shared.tryTake(userId))) return true;
    // Refused by the other nodes' sends: this node's window must not keep it either.
    this.local.giveBack(userId);
    return false;
  }

  /** The user has sockets on other nodes too: from now on their sends are counted over the nodes, starting with this node's. */
  markSpread(userId: number): void {
    if (!this.shared || this.spread.has(userId)) return;
    this.spread.add(userId);
    // Sends made while they were counted over the nodes before (a tab that reconnected) are there already.
    const counted = this.sharedUntil.get(userId);
    this.sharedUntil.delete(userId);
    void this.shared.seed(userId, this.local.countOf(userId, counted));
  }

  /** The user's last socket on this node closed. */
  forget(userId: number): void {
    if (!this.spread.delete(userId)) return;
    const now = this.local.time();
    this.sharedUntil.set(userId, now);
    // Entries older than a window no longer matter: no send of theirs is left in it.
    if (this.sharedUntil.size > 1000) for (const [id, t] of this.sharedUntil) if (t <= now - this.local.windowMs) this.sharedUntil.delete(id);
  }
}

/**
 * A per-user pace held over every node: this node's sliding window first (all there is for a single
 * node, and what holds while Redis cannot be asked: the node then counts alone), then the count the
 * nodes share, which a request any node takes uses up.
 */
export class SharedWindowLimiter {
  constructor(
    private readonly local: SlidingWindowLimiter,
    private readonly shared: SharedPace | null = null,
  ) {}

  /** Counts one event of `userId` and answers 0, or the milliseconds to wait when over the limit (nothing counted). */
  async take(userId: number): Promise<number> {
    if (!this.local.tryTake(userId)) return Math.max(1, this.local.waitMs(userId));
    const wait = this.shared ? await this.shared.take(userId) : null;
    if (!wait) return 0;
    // Refused by the events other nodes counted: this node's window must not keep it either.
    this.local.giveBack(userId);
    return wait;
  }
}
