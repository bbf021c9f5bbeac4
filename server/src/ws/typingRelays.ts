/**
 * How often one user's typing state in a room is relayed from this node.
 * A `typing` frame costs its sender nothing (no database, no rate limit) and
 * each relay reaches every socket of every other participant: a client
 * alternating true/false had this node relay thousands a second, enough to
 * freeze the other side's tabs. A token bucket per (user, room) lets normal
 * typing through at once; past it, the latest state waits and is relayed
 * when a token is back, if it differs from the last one relayed, so the
 * others always end on the right state.
 */

/** Relays at once before any waits: far more than typing, sending and typing again ever needs. */
const BURST = 10;
/** Relays a second after the burst. */
const PER_SECOND = 3;
/** Past this many buckets, idle ones are dropped (users who stopped long ago). */
const SWEEP_ABOVE = 10_000;

export type RelayTyping = (userId: number, username: string, roomId: number, isTyping: boolean) => void;

interface Bucket {
  tokens: number;
  at: number;
  lastRelayed: boolean;
  waiting: { username: string; isTyping: boolean } | null;
  timer: NodeJS.Timeout | null;
}

export class TypingRelays {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly emit: RelayTyping,
    private readonly now: () => number = Date.now,
  ) {}

  relay(userId: number, username: string, roomId: number, isTyping: boolean): void {
    const key = `${userId}:${roomId}`;
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(t);
      bucket = { tokens: BURST, at: t, lastRelayed: isTyping, waiting: null, timer: null };
      this.buckets.set(key, bucket);
    }
    refill(bucket, t);
    if (bucket.timer === null && bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.lastRelayed = isTyping;
      this.emit(userId, username, roomId, isTyping);
      return;
    }
    bucket.waiting = { username, isTyping };
    if (bucket.timer !== null) return;
    const waitMs = Math.ceil(((1 - bucket.tokens) * 1000) / PER_SECOND);
    const waiting = bucket;
    bucket.timer = setTimeout(() => this.flush(userId, roomId, waiting), waitMs);
    bucket.timer.unref();
  }

  private flush(userId: number, roomId: number, bucket: Bucket): void {
    bucket.timer = null;
    refill(bucket, this.now());
    const latest = bucket.waiting;
    bucket.waiting = null;
    if (!latest || latest.isTyping === bucket.lastRelayed) return;
    bucket.tokens -= 1;
    bucket.lastRelayed = latest.isTyping;
    this.emit(userId, latest.username, roomId, latest.isTyping);
  }

  private sweep(t: number): void {
    for (const [key, bucket] of this.buckets) {
      refill(bucket, t);
      if (bucket.timer === null && bucket.tokens >= BURST) this.buckets.delete(key);
    }
  }
}

function refill(bucket: Bucket, t: number): void {
  bucket.tokens = Math.min(BURST, bucket.tokens + ((t - bucket.at) * PER_SECOND) / 1000);
  bucket.at = t;
}
