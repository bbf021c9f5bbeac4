/**
 * Throttles failed logins per username and per client address: after too
 * many failures in a window, further attempts are refused until it passes
 * (even with the right password, so guessing gains nothing).
 * In-process counters: each node throttles on its own.
 */
export interface ThrottleLimits {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

interface Counter {
  failures: number;
  windowEnds: number;
}

export class LoginThrottle {
  private readonly byUser = new Map<string, Counter>();
  private readonly byAddress = new Map<string, Counter>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until this pair may try again, or 0 when allowed. */
  retryAfterMs(username: string, address: string): number {
    const t = this.now();
    const user = this.live(this.byUser, username.toLowerCase(), t);
    const addr = this.live(this.byAddress, address, t);
    let wait = 0;
    if (user && user.failures >= this.limits.maxFailuresPerUser) wait = Math.max(wait, user.windowEnds - t);
    if (addr && addr.failures >= this.limits.maxFailuresPerAddress) wait = Math.max(wait, addr.windowEnds - t);
    return wait;
  }

  recordFailure(username: string, address: string): void {
    const t = this.now();
    this.bump(this.byUser, username.toLowerCase(), t);
    this.bump(this.byAddress, address, t);
  }

  /** A successful login clears the user's failures (not the address's). */
  recordSuccess(username: string): void {
    this.byUser.delete(username.toLowerCase());
  }

  private live(map: Map<string, Counter>, key: string, t: number): Counter | undefined {
    const counter = map.get(key);
    if (counter && counter.windowEnds <= t) {
      map.delete(key);
      return undefined;
    }
    return counter;
  }

  private bump(map: Map<string, Counter>, key: string, t: number): void {
    const counter = this.live(map, key, t);
    if (counter) counter.failures += 1;
    else map.set(key, { failures: 1, windowEnds: t + this.limits.windowMs });
    // Bound memory under a spray of random usernames: drop expired entries now and then.
    if (map.size > 50_000) for (const [k, c] of map) if (c.windowEnds <= t) map.delete(k);
  }
}
