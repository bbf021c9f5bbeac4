/**
 * Which bus channels this node wants, and whether its subscriber link holds
 * them all: its own module because the ordering here is subtle, and the bus
 * (redisBus.ts) only needs to know "synced or not".
 *
 * A topic is wanted while some local interest holds it (reference-counted);
 * a second interest in a topic whose SUBSCRIBE is on its way waits for the
 * same one. A fresh link (or Redis answering again) re-subscribes every
 * wanted topic, in chunks. A failed (un)subscribe on a link that stayed up
 * means Redis hangs (redisStall.ts), and is retried.
 *
 * Redis hung: a topic subscribed meanwhile is only remembered (`unconfirmed`)
 * and `add` resolves at once, so a new socket's `ready` does not wait for
 * Redis. The link counts as synced only once every wanted topic, including
 * those, is subscribed.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Topic } from './bus.ts';
import type { RedisStall } from './redisStall.ts';

/** Delay before re-subscribing after a (un)subscribe command failed on a live link. */
const SUBSCRIBE_RETRY_MS = 1000;

/** Topics per SUBSCRIBE when re-subscribing: keeps each command reasonably small on nodes with many rooms. */
const RESUBSCRIBE_CHUNK = 1000;

export interface RedisSubscriptionsOptions {
  /** The bus's subscriber link (its `ready` / `close` are watched by the bus, which calls in here). */
  subscriber: Redis;
  /** Channel of a topic: `${prefix}${topic}`. */
  prefix: string;
  stall: RedisStall;
  logger: Logger;
  /** Some topic's events may have been missed (it was not subscribed in time). */
  onLoss(): void;
  /** Every wanted topic is subscribed on the ready link. */
  onSynced(): void;
}

export class RedisSubscriptions {
  /** Wanted topics and how many local interests hold each. */
  private readonly topics = new Map<Topic, number>();
  /** SUBSCRIBE commands sent and not yet confirmed, so a second interest waits for the same one. */
  private readonly pendingSubscribes = new Map<Topic, Promise<void>>();
  /** Wanted topics not subscribed since Redis stopped answering (subscribed once it answers). */
  private readonly unconfirmed = new Set<Topic>();
  /** Per re-subscription round running: the topics it subscribed and that were not given up since. */
  private readonly rounds = new Set<Set<Topic>>();
  /** The subscriber link is ready and every wanted topic is subscribed on it. */
  private isSynced = false;
  /** True once the subscriber link has been fully subscribed at least once. */
  private wasSynced = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly stall: RedisStall;
  private readonly logger: Logger;

  constructor(private readonly options: RedisSubscriptionsOptions) {
    this.subscriber = options.subscriber;
    this.prefix = options.prefix;
    this.stall = options.stall;
    this.logger = options.logger;
  }

  /** One more local interest in `topic`; resolves once it is subscribed (at once when it cannot be now). */
  add(topic: Topic): Promise<void> {
    const count = this.topics.get(topic) ?? 0;
    this.topics.set(topic, count + 1);
    if (count > 0) return this.pendingSubscribes.get(topic) ?? Promise.resolve();
    if (this.subscriber.status !== 'ready') return Promise.resolve();
    if (this.stall.stalled()) {
      // Made once Redis answers; until then the topic's events may be missed, as in an outage.
      this.unconfirmed.add(topic);
      this.isSynced = false;
      this.options.onLoss();
      return Promise.resolve();
    }
    const confirmed = this.subscriber
      .subscribe(this.prefix + topic)
      .then(
        () => undefined,
        (err: unknown) => {
          if (this.topics.has(topic)) this.unconfirmed.add(topic);
          this.failed(err);
        },
      )
      .finally(() => {
        if (this.pendingSubscribes.get(topic) === confirmed) this.pendingSubscribes.delete(topic);
      });
    this.pendingSubscribes.set(topic, confirmed);
    return confirmed;
  }

  /** One local interest fewer; the channel is unsubscribed when none is left. */
  remove(topic: Topic): void {
    const count = (this.topics.get(topic) ?? 0) - 1;
    if (count > 0) {
      this.topics.set(topic, count);
      return;
    }
    if (count < 0) {
      this.logger.error({ topic }, 'unsubscribe without a matching subscribe');
      return;
    }
    this.topics.delete(topic);
    this.unconfirmed.delete(topic);
    // Unsubscribed now: a round that subscribed it earlier no longer vouches for it if it is wanted again.
    for (const subscribed of this.rounds) subscribed.delete(topic);
    if (this.subscriber.status !== 'ready') return;
    this.subscriber.unsubscribe(this.prefix + topic).catch((err: unknown) => this.failed(err));
  }

  wants(topic: Topic): boolean {
    return this.topics.has(topic);
  }

  wanted(): Topic[] {
    return [...this.topics.keys()];
  }

  get size(): number {
    return this.topics.size;
  }

  /** The subscriber link is ready and every wanted topic is subscribed on it. */
  synced(): boolean {
    return this.isSynced;
  }

  /** The subscriber link has been fully subscribed at least once. */
  everSynced(): boolean {
    return this.wasSynced;
  }

  /** A link closed: not synced unless the subscriber link is still ready. */
  linkLost(): void {
    this.isSynced = this.subscriber.status === 'ready' && this.isSynced;
  }

  /** Subscribes every wanted topic on a fresh subscriber link (or once Redis answers again). */
  async resubscribeAll(): Promise<void> {
    if (this.closed) return;
    const wanted = [...this.topics.keys()];
    const subscribed = new Set<Topic>();
    this.rounds.add(subscribed);
    try {
      for (let i = 0; i < wanted.length; i += RESUBSCRIBE_CHUNK) {
        // Only topics still wanted: one given up since this round began was unsubscribed already,
        // and subscribing it now would hold its channel on this link until the link drops.
        const topics = wanted.slice(i, i + RESUBSCRIBE_CHUNK).filter((topic) => this.topics.has(topic));
        if (topics.length === 0) continue;
        // Counted as sent: an UNSUBSCRIBE sent later on this link comes after it (remove() uncounts it).
        for (const topic of topics) subscribed.add(topic);
        await this.subscriber.subscribe(...topics.map((topic) => this.prefix + topic));
      }
    } catch (err) {
      this.failed(err);
      return;
    } finally {
      this.rounds.delete(subscribed);
    }
    for (const topic of subscribed) this.unconfirmed.delete(topic);
    if (this.subscriber.status !== 'ready') return;
    // Topics asked for during a stall after this round began are not live yet: not synced before they are.
    if (this.unconfirmed.size > 0) {
      if (!this.stall.stalled()) void this.resubscribeAll();
      return;
    }
    this.isSynced = true;
    this.wasSynced = true;
    this.logger.debug({ topics: this.topics.size }, 'bus subscriptions in place');
    this.options.onSynced();
  }

  close(): void {
    this.closed = true;
    this.isSynced = false;
    clearTimeout(this.retryTimer);
  }

  private failed(err: unknown): void {
    if (this.closed) return;
    this.isSynced = false;
    this.options.onLoss();
    this.logger.warn({ err: err instanceof Error ? err.message : err }, 'redis (un)subscribe failed; retrying');
    // A command that timed out on a live link: Redis hangs, and the next subscriptions should not wait for it.
    if (this.subscriber.status === 'ready') this.stall.noAnswer('subscribe', err);
    // A dropped link re-subscribes on `ready`; a link that stayed up (a command timed out) needs a retry,
    // made when Redis answers again if it hangs (the bus calls resubscribeAll then).
    if (this.subscriber.status === 'ready' && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        if (this.subscriber.status === 'ready' && !this.stall.stalled()) void this.resubscribeAll();
      }, SUBSCRIBE_RETRY_MS);
      this.retryTimer.unref();
    }
  }
}
