/**
 * Keep-alive pings, every socket once per interval, one slice of the sockets
 * at a time. Pinging every socket in one go is a burst of socket writes that
 * every message in flight waits behind: measured here, 35–50 ms of blocked
 * event loop for 4,000 sockets and 160–200 ms for 15,000, every 25 s. In
 * slices of about a second it is 1–10 ms per slice at 15,000.
 *
 * A socket keeps the slice it joined, so it is pinged exactly once per
 * interval however others come and go (a ping twice in a row, before the
 * pong could arrive, would look like a dead peer).
 */

/** What is pinged (it ends itself when the previous ping got no pong). */
export interface KeepAliveTarget {
  keepAlive(): void;
}

/** Slices last about this long (fewer when the interval is short: tests ping every 100 ms). */
const SLICE_MS = 1000;
const MAX_SLICES = 25;

export class KeepAliveRounds<T extends KeepAliveTarget> {
  private readonly slices: Set<T>[];
  private readonly sliceOf = new Map<T, Set<T>>();
  /** The slice the next socket joins: round robin keeps them even. */
  private nextSlice = 0;
  /** The slice pinged at the next tick. */
  private turn = 0;
  private readonly timer: NodeJS.Timeout;

  /** `onSlice` is called with each slice after its pings (the same sockets, once per interval). */
  constructor(
    intervalMs: number,
    private readonly onSlice?: (slice: ReadonlySet<T>) => void,
  ) {
    const count = Math.max(1, Math.min(MAX_SLICES, Math.floor(intervalMs / SLICE_MS)));
    this.slices = Array.from({ length: count }, () => new Set<T>());
    this.timer = setInterval(() => this.tick(), intervalMs / count);
    this.timer.unref();
  }

  add(target: T): void {
    const slice = this.slices[this.nextSlice] as Set<T>;
    this.nextSlice = (this.nextSlice + 1) % this.slices.length;
    slice.add(target);
    this.sliceOf.set(target, slice);
  }

  delete(target: T): void {
    this.sliceOf.get(target)?.delete(target);
    this.sliceOf.delete(target);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const slice = this.slices[this.turn] as Set<T>;
    this.turn = (this.turn + 1) % this.slices.length;
    for (const target of slice) target.keepAlive();
    this.onSlice?.(slice);
  }
}
