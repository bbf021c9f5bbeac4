/**
 * The contract's send rate limit per user: this node's sliding window
 * first (exact on one node, and what holds when Redis cannot be asked), then
 * the count shared by every node when there are several.
 */
import type { SharedSendCounter } from '../fanout/bus.ts';

/**
 * A sliding-window limit per key: at most `limit` events in any `windowMs`.
 * Keeps the timestamps of the last `limit` accepted events per key.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<number, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
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

export class SendLimiter {
  constructor(
    private readonly local: SlidingWindowLimiter,
    private readonly shared: SharedSendCounter | null = null,
  ) {}

  /** Counts one send of `userId`; false (counting nothing) when the user is over the limit. */
  async tryTake(userId: number): Promise<boolean> {
    if (!this.local.tryTake(userId)) return false;
    if (!this.shared || (await this.shared.tryTake(userId))) return true;
    // Refused by the other nodes' sends: this node's window must not keep it either.
    this.local.giveBack(userId);
    return false;
  }
}
