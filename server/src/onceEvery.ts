/**
 * At most once per window for each key ("room:user"): the first call in a window says yes, the rest no.
 * Bounded: past `kept` keys all are let go, so a key may say yes once more early — harmless where it
 * is used (one more store read, one more room frame), unlike a map that grows with every stranger.
 */
export class OnceEvery {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly kept: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `key` may go now; a yes starts its window. */
  take(key: string): boolean {
    const now = this.now();
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    if (this.last.size >= this.kept) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
