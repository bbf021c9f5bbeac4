/**
 * Throttles sign-in attempts per username and per client address: after too
 * many in a window, further attempts are refused until it passes (even with
 * the right password, so guessing gains nothing).
 *
 * An attempt is counted before its password is checked: a check takes tens
 * of milliseconds, and counting only failures let every guess sent in that
 * time through. A success takes its attempt back (and clears the username).
 * A refused attempt counts for nothing: otherwise one address, itself over
 * its limit, could still lock any number of accounts out with cheap 429s.
 *
 * The counts live behind AttemptCounts: in this process for a single node,
 * in Redis when nodes share it (fanout/redisLoginAttempts.ts), so guesses
 * spread over the nodes by a load balancer meet one limit.
 */
export interface ThrottleLimits {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/** A counter and the most attempts it allows in a window. */
export interface AttemptLimit {
  key: string;
  max: number;
}

export interface AttemptCounts {
  /**
   * In one step: when every key is under its `max`, counts one attempt under each (a key's
   * window starts at its first attempt) and answers 0; otherwise counts nothing and answers
   * the milliseconds until the windows of the keys at their max have all ended.
   */
  take(limits: AttemptLimit[], windowMs: number): Promise<number>;
  /** Takes one attempt back from a key. */
  takeBack(key: string): Promise<void>;
  /** Forgets a key's attempts. */
  clear(key: string): Promise<void>;
}

const userKey = (username: string) => `user:${username.toLowerCase()}`;
const addressKey = (address: string) => `addr:${address}`;

export class LoginThrottle {
  constructor(
    private readonly limits: ThrottleLimits,
    private readonly counts: AttemptCounts,
  ) {}

  /** Counts an attempt; the milliseconds to wait when it is over a limit (then it must not be tried and counts for nothing), or 0. */
  attempt(username: string, address: string): Promise<number> {
    return this.counts.take(
      [
        { key: addressKey(address), max: this.limits.maxFailuresPerAddress },
        { key: userKey(username), max: this.limits.maxFailuresPerUser },
      ],
      this.limits.windowMs,
    );
  }

  /** A successful sign-in: the username's attempts are cleared, the address gets this one back. */
  async succeeded(username: string, address: string): Promise<void> {
    await Promise.all([this.counts.clear(userKey(username)), this.counts.takeBack(addressKey(address))]);
  }
}

interface Window {
  count: number;
  endsAt: number;
}

/** Attempt counts of this process (one node, or any node while Redis cannot be asked). */
export class MemoryAttemptCounts implements AttemptCounts {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  take(limits: AttemptLimit[], windowMs: number): Promise<number> {
    const t = this.now();
    let wait = 0;
    for (const { key, max } of limits) {
      const window = this.live(key, t);
      if (window && window.count >= max) wait = Math.max(wait, window.endsAt - t);
    }
    if (wait > 0) return Promise.resolve(wait);
    for (const { key } of limits) {
      let window = this.live(key, t);
      if (!window) this.windows.set(key, (window = { count: 0, endsAt: t + windowMs }));
      window.count += 1;
    }
    // Bound memory under a spray of random usernames: drop expired entries now and then.
    if (this.windows.size > 50_000) for (const [k, w] of this.windows) if (w.endsAt <= t) this.windows.delete(k);
    return Promise.resolve(0);
  }

  takeBack(key: string): Promise<void> {
    const window = this.live(key, this.now());
    if (window && window.count > 0) window.count -= 1;
    return Promise.resolve();
  }

  clear(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  private live(key: string, t: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= t) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
