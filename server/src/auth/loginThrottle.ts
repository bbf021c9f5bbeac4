/**
 * Throttles sign-in attempts so that guessing gains nothing while nobody but
 * the guesser is kept out. Four counters, each over a window:
 * - per username *and* client address: a few failures refuse that address for
 *   that username (even with the right password, so guessing gains nothing);
 *   the owner on any other address is not affected;
 * - per client address, failures over all usernames (password spraying);
 * - per client address, attempts of any outcome (each success costs a scrypt
 *   check and a session row);
 * - per username over all addresses, set high: it slows a guesser spread over
 *   many addresses, and does not apply to an address the owner has signed in
 *   from before (see `knownFor`), so the owner's own devices still get in.
 * An address is an IPv4 address or an IPv6 /64 (throttleAddress.ts).
 *
 * An attempt is counted before its password is checked: a check takes tens
 * of milliseconds, and counting only failures let every guess sent in that
 * time through. A success takes its failure back (and clears the pair).
 * A refused attempt counts for nothing: otherwise one address, itself over
 * its limit, could still push other counters up with cheap 429s.
 *
 * The counts live behind AttemptCounts: in this process for a single node,
 * in Redis when nodes share it (fanout/redisLoginAttempts.ts), so guesses
 * spread over the nodes by a load balancer meet one limit.
 */
import { throttleAddress } from './throttleAddress.ts';

export interface ThrottleLimits {
  /** Failures per username from one address. */
  maxFailuresPerUserAndAddress: number;
  /** Failures per username from all addresses together (not counted against addresses known for it). */
  maxFailuresPerUser: number;
  /** Failures per address over all usernames. */
  maxFailuresPerAddress: number;
  /** Attempts of any outcome per address. */
  maxAttemptsPerAddress: number;
  windowMs: number;
  /** How long an address the user signed in from is known for them. */
  knownAddressMs: number;
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
  /** Whether a key has a live window. */
  has(key: string): Promise<boolean>;
}

const user = (username: string) => username.toLowerCase();
const userKey = (username: string) => `user:${user(username)}`;
const pairKey = (username: string, address: string) => `pair:${address}|${user(username)}`;
const knownKey = (username: string, address: string) => `known:${address}|${user(username)}`;
const failuresKey = (address: string) => `addr:${address}`;
const attemptsKey = (address: string) => `any:${address}`;

export class LoginThrottle {
  constructor(
    private readonly limits: ThrottleLimits,
    private readonly counts: AttemptCounts,
  ) {}

  /** Counts an attempt; the milliseconds to wait when it is over a limit (then it must not be tried and counts for nothing), or 0. */
  async attempt(username: string, clientAddress: string): Promise<number> {
    const address = throttleAddress(clientAddress);
    const { limits } = this;
    const counters: AttemptLimit[] = [
      { key: attemptsKey(address), max: limits.maxAttemptsPerAddress },
      { key: failuresKey(address), max: limits.maxFailuresPerAddress },
      { key: pairKey(username, address), max: limits.maxFailuresPerUserAndAddress },
    ];
    // The owner's own address is not held to the username's total: a guesser spread over many addresses would lock them out.
    const known = await this.counts.has(knownKey(username, address));
    counters.push({ key: userKey(username), max: known ? Number.MAX_SAFE_INTEGER : limits.maxFailuresPerUser });
    return this.counts.take(counters, limits.windowMs);
  }

  /** A successful sign-in: it was no failure (the pair starts over, the address and username get it back); the address becomes known for the user. */
  async succeeded(username: string, clientAddress: string): Promise<void> {
    const address = throttleAddress(clientAddress);
    await Promise.all([
      this.counts.clear(pairKey(username, address)),
      this.counts.takeBack(failuresKey(address)),
      this.counts.takeBack(userKey(username)),
      this.counts.take([{ key: knownKey(username, address), max: Number.MAX_SAFE_INTEGER }], this.limits.knownAddressMs),
    ]);
  }
}

interface Window {
  count: number;
  endsAt: number;
}

/** Counters kept before the oldest are dropped: the keys are usernames and addresses anyone can make up. */
export const MAX_MEMORY_COUNTERS = 100_000;

/**
 * Attempt counts of this process (one node, or any node while Redis cannot be asked).
 * At most `maxCounters` windows: past it, ended windows are dropped, then the oldest
 * (a flood of made-up names forgets old counts rather than exhausting memory).
 */
export class MemoryAttemptCounts implements AttemptCounts {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxCounters = MAX_MEMORY_COUNTERS,
  ) {}

  /** Counters held now. */
  get size(): number {
    return this.windows.size;
  }

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
    if (this.windows.size > this.maxCounters) this.shrink(t);
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

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.live(key, this.now()) !== undefined);
  }

  /** Down to 90% of the cap (so the sweep runs once per many attempts, not on each): ended windows first, then the oldest. */
  private shrink(t: number): void {
    const target = Math.floor(this.maxCounters * 0.9);
    for (const [key, window] of this.windows) if (window.endsAt <= t) this.windows.delete(key);
    // A Map iterates in insertion order: a window is inserted when it starts.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(key);
    }
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
