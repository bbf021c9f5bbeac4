/**
 * Throttles sign-in attempts per username and per client address: after too
 * many in a window, further attempts are refused until it passes (even with
 * the right password, so guessing gains nothing).
 *
 * An attempt is counted before its password is checked: a check takes tens
 * of milliseconds, and counting only failures let every guess sent in that
 * time through. A success takes its attempt back (and clears the username).
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

/** A key's attempts in its current window, and the milliseconds left of that window. */
export interface WindowCount {
  count: number;
  leftMs: number;
}

export interface AttemptCounts {
  /** Counts one attempt under each key (a key's window starts at its first attempt); the counts after it. */
  add(keys: string[], windowMs: number): Promise<WindowCount[]>;
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

  /** Counts an attempt; the milliseconds to wait when it is over a limit (then it must not be tried), or 0. */
  async attempt(username: string, address: string): Promise<number> {
    const [user, addr] = await this.counts.add([userKey(username), addressKey(address)], this.limits.windowMs);
    let wait = 0;
    if (user && user.count > this.limits.maxFailuresPerUser) wait = Math.max(wait, user.leftMs);
    if (addr && addr.count > this.limits.maxFailuresPerAddress) wait = Math.max(wait, addr.leftMs);
    return wait;
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

  add(keys: string[], windowMs: number): Promise<WindowCount[]> {
    const t = this.now();
    const counts = keys.map((key) => {
      let window = this.live(key, t);
      if (!window) this.windows.set(key, (window = { count: 0, endsAt: t + windowMs }));
      window.count += 1;
      return { count: window.count, leftMs: window.endsAt - t };
    });
    // Bound memory under a spray of random usernames: drop expired entries now and then.
    if (this.windows.size > 50_000) for (const [k, w] of this.windows) if (w.endsAt <= t) this.windows.delete(k);
    return Promise.resolve(counts);
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
