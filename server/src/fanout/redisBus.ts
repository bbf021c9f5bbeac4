/**
 * Fan-out between server processes over Redis pub/sub.
 *
 * Each topic is one channel (`${prefix}${topic}`), subscribed only while a
 * local socket is interested (reference-counted), so a message costs one
 * PUBLISH plus one delivery per node that actually holds a participant —
 * not one per node in the cluster. Envelopes carry the publishing node's id
 * so a node drops its own echoes.
 *
 * Failure behaviour: while Redis is unreachable `publish` drops events
 * (counted, logged once per outage) and `healthy()` is false; the wanted
 * topics are remembered and re-subscribed when the subscriber link is ready
 * again, after which `onRecover` handlers run so the server can make its
 * sockets resync by seq (clients then fetch what they missed from storage).
 *
 * Redis hung (links up, no answers: redisStall.ts): a topic subscribed
 * meanwhile is only remembered, and `subscribe` resolves at once, so a new
 * socket's `ready` does not wait for Redis. It is subscribed once Redis
 * answers, and the bus is healthy again (and asks its sockets to resync)
 * only when every topic asked for during the stall is subscribed
 * (redisSubscriptions.ts keeps that account).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ServerFrame } from '@ecc/protocol';
import { OPEN_JOBS_TOPIC, SUPPORT_JOBS_TOPIC, type Bus, type BusHandler, type ClusterEvent, type MessageFrame, type Topic } from './bus.ts';
import { closeRedisConnection, createRedisConnection } from './redisConnection.ts';
import { DroppedEvents } from './droppedEvents.ts';
import type { LinkWatchdogOptions } from './linkWatchdog.ts';
import { RedisStall } from './redisStall.ts';
import { RedisSubscriptions } from './redisSubscriptions.ts';

export interface RedisBusOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Prefix of every channel (`REDIS_PREFIX`, default `ecc:`); tests use a random one. */
  prefix?: string;
  logger: Logger;
  /** Defaults to a fresh UUID; share it with the node's presence tracker. */
  nodeId?: string;
  /** Publishes awaiting Redis's answer beyond which new ones are dropped (Redis stalled). */
  maxInFlight?: number;
  /** A command without an answer after this long fails. */
  commandTimeoutMs?: number;
  /** How a silent link is found and replaced (linkWatchdog.ts; tests shorten it). */
  linkCheck?: LinkWatchdogOptions;
}

export const DEFAULT_REDIS_PREFIX = 'ecc:';

/**
 * A SUBSCRIBE without an answer after this long means Redis hangs: a new socket's `ready`
 * waits for its topics, and a client gives up waiting for `ready` after 10 s.
 */
const SUBSCRIBE_TIMEOUT_MS = 2000;

const TopicSchema = z.custom<Topic>((value) => typeof value === 'string' && (/^(room|user):\d+$/.test(value) || value === OPEN_JOBS_TOPIC || value === SUPPORT_JOBS_TOPIC), {
  message: 'Invalid topic',
});

// Frames come from our own nodes, which built them from validated data:
// checking the shape of the frame again on every node would only cost CPU.
const FrameSchema = z.custom<ServerFrame>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string',
  { message: 'Invalid frame' },
);

// What the hub reads of a message event's frame: its room and seq (redeliveries are filtered by seq).
const MessageFrameSchema = z.custom<MessageFrame>(
  (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const { type, message } = value as { type?: unknown; message?: { seq?: unknown; roomId?: unknown } | null };
    return type === 'message' && typeof message?.seq === 'number' && typeof message.roomId === 'number';
  },
  { message: 'Invalid message frame' },
);

// What the hub reads of a late room change's frame: its room's last seq (a node before the slim form sent the
// whole frame, let through as it came: nothing else of it is read).
const LateRoomFrameSchema = z.looseObject({ type: z.literal('room'), room: z.looseObject({ lastSeq: z.number().int() }) });

const version = z.number().int().nonnegative().optional();
const CountVersionsSchema = { roomVersion: version, userVersion: version };

const ClusterEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('frame'),
    frame: FrameSchema,
    exceptUserId: z.number().int().optional(),
    versions: z.object(CountVersionsSchema).optional(),
    catchUp: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('message'),
    frame: MessageFrameSchema,
    redelivery: z.boolean().optional(),
    catchUp: z.boolean().optional(),
    unread: z.array(
      z.object({
        userId: z.number().int(),
        unread: z.number().int().nonnegative(),
        totalUnread: z.number().int().nonnegative(),
        ...CountVersionsSchema,
      }),
    ),
  }),
  z.discriminatedUnion('catchUp', [
    z.object({
      kind: z.literal('room_changed'),
      roomId: z.number().int(),
      frame: FrameSchema.optional(),
      versions: z.object(CountVersionsSchema).optional(),
      firstMessage: MessageFrameSchema.optional(),
      catchUp: z.literal(false).optional(),
    }),
    z.object({
      kind: z.literal('room_changed'),
      roomId: z.number().int(),
      catchUp: z.literal(true),
      frame: LateRoomFrameSchema.optional(),
      firstMessage: MessageFrameSchema.optional(),
    }),
  ]),
  z.object({ kind: z.literal('close_session'), sessionId: z.number().int(), code: z.number().int(), reason: z.string() }),
  z.object({ kind: z.literal('user_spread') }),
]);

/** The shape of every message on a bus channel. */
export const BusEnvelopeSchema = z.object({ origin: z.string().min(1), topic: TopicSchema, event: ClusterEventSchema });

/** Counters for logs, health details and benchmarks. */
export interface RedisBusStats {
  published: number;
  received: number;
  /** Events not sent because Redis was unreachable or stalled. */
  dropped: number;
  /** Channel messages that failed validation. */
  rejected: number;
  subscribedTopics: number;
}

export class RedisBus implements Bus {
  readonly nodeId: string;
  /**
   * How every envelope this node publishes begins (`publish` writes it so):
   * Redis echoes each event to its publisher when it is subscribed to the
   * topic, i.e. nearly every message, and `receive` drops those by this
   * prefix before parsing and validating them.
   */
  private readonly ownEnvelopeStart: string;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly maxInFlight: number;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** Wanted topics, and whether the subscriber link holds them all. */
  private readonly subscriptions: RedisSubscriptions;
  private readonly handlers: BusHandler[] = [];
  private readonly recoverHandlers: (() => void)[] = [];
  /** What could not be published, told to the other nodes on recovery (droppedEvents.ts). */
  private readonly dropped = new DroppedEvents();
  private inFlight = 0;
  /** Events may have been lost since the last time the bus was healthy. */
  private lossSinceHealthy = false;
  /** The current outage has been logged (once per outage, not once per event). */
  private outageLogged = false;
  private closed = false;
  /** Whether Redis answers, shared with the node's presence tracker. */
  readonly stall: RedisStall;
  private readonly stats: RedisBusStats = { published: 0, received: 0, dropped: 0, rejected: 0, subscribedTopics: 0 };

  constructor(options: RedisBusOptions) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.ownEnvelopeStart = `{"origin":${JSON.stringify(this.nodeId)},`;
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.logger = options.logger.child({ component: 'redis-bus', nodeId: this.nodeId });
    this.maxInFlight = options.maxInFlight ?? 10_000;
    const common = { url: options.url, logger: this.logger, commandTimeoutMs: options.commandTimeoutMs, linkCheck: options.linkCheck };
    this.publisher = createRedisConnection({ ...common, name: `ecc-pub-${this.nodeId}`, autoPipelining: true });
    const subscribeTimeoutMs = Math.min(options.commandTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS, SUBSCRIBE_TIMEOUT_MS);
    this.subscriber = createRedisConnection({ ...common, name: `ecc-sub-${this.nodeId}`, commandTimeoutMs: subscribeTimeoutMs });
    this.stall = new RedisStall(this.publisher, this.logger);
    this.subscriptions = new RedisSubscriptions({
      subscriber: this.subscriber,
      prefix: this.prefix,
      stall: this.stall,
      logger: this.logger,
      onLoss: () => {
        this.lossSinceHealthy = true;
      },
      onSynced: () => this.maybeRecovered(),
    });
    this.stall.onAnswering(() => this.unstalled());
    this.subscriber.on('message', (channel: string, payload: string) => this.receive(channel, payload));
    this.subscriber.on('ready', () => void this.subscriptions.resubscribeAll());
    this.subscriber.on('close', () => this.linkLost());
    this.publisher.on('close', () => this.linkLost());
    this.publisher.on('ready', () => {
      // A fresh link: whatever stalled the old one is gone.
      if (this.stall.stalled()) this.stall.answered();
      else this.maybeRecovered();
    });
  }

  publish(topic: Topic, event: ClusterEvent): void {
    if (this.closed) return;
    if (this.publisher.status !== 'ready' || this.inFlight >= this.maxInFlight) {
      if (this.publisher.status === 'ready') this.markStalled();
      this.drop(topic, event);
      return;
    }
    // A BusEnvelope, spelled out so that it starts with this node's origin.
    const envelope = `${this.ownEnvelopeStart}"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)}}`;
    this.inFlight++;
    this.publisher.publish(this.prefix + topic, envelope).then(
      () => {
        this.inFlight--;
        this.stats.published++;
        // Redis answered again after a stall that dropped events (the link itself never dropped).
        this.stall.answered();
      },
      (err: unknown) => {
        this.inFlight--;
        if (this.publisher.status === 'ready') this.markStalled();
        this.drop(topic, event, err);
      },
    );
  }

  subscribe(topic: Topic): Promise<void> {
    return this.subscriptions.add(topic);
  }

  unsubscribe(topic: Topic): void {
    this.subscriptions.remove(topic);
  }

  onEvent(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  onRecover(handler: () => void): void {
    this.recoverHandlers.push(handler);
  }

  healthy(): boolean {
    return this.subscriptions.synced() && !this.stall.stalled() && this.publisher.status === 'ready' && this.inFlight < this.maxInFlight;
  }

  /** Whether Redis answers a PING within `timeoutMs`; only reports (a slow answer is not an outage by itself). */
  async answers(timeoutMs: number): Promise<boolean> {
    if (this.publisher.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const pong = this.publisher.ping().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([pong, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counters since start. */
  getStats(): RedisBusStats {
    return { ...this.stats, subscribedTopics: this.subscriptions.size };
  }

  /** Topics this node currently wants (for tests and diagnostics). */
  wantedTopics(): Topic[] {
    return this.subscriptions.wanted();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriptions.close();
    this.stall.close();
    await Promise.all([closeRedisConnection(this.publisher), closeRedisConnection(this.subscriber)]);
  }

  private receive(channel: string, payload: string): void {
    if (!channel.startsWith(this.prefix) || payload.startsWith(this.ownEnvelopeStart)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch (err) {
      this.reject(channel, err);
      return;
    }
    const parsed = BusEnvelopeSchema.safeParse(raw);
    if (!parsed.success) {
      this.reject(channel, parsed.error);
      return;
    }
    const { topic, event } = parsed.data;
    // A message can still arrive between UNSUBSCRIBE being sent and confirmed.
    if (!this.subscriptions.wants(topic) || channel !== this.prefix + topic) return;
    this.stats.received++;
    for (const handler of this.handlers) {
      try {
        handler(topic, event);
      } catch (err) {
        this.logger.error({ err, topic, kind: event.kind }, 'bus event handler failed');
      }
    }
  }

  private reject(channel: string, err: unknown): void {
    this.stats.rejected++;
    this.logger.error({ channel, err }, 'invalid bus envelope ignored');
  }

  private drop(topic: Topic, event: ClusterEvent, err?: unknown): void {
    this.stats.dropped++;
    this.dropped.add(topic, event);
    this.lossSinceHealthy = true;
    this.logOutage('redis unavailable: dropping cluster events until it returns (clients resync by seq)', err);
  }

  private linkLost(): void {
    if (this.closed) return;
    this.subscriptions.linkLost();
    this.lossSinceHealthy = true;
    this.logOutage('redis link lost: cluster events are dropped until it returns (clients resync by seq)');
  }

  /** Publishes fail on a live link: unhealthy until Redis answers a probe (or a publish) again. */
  private markStalled(): void {
    if (this.stall.stalled() || this.closed) return;
    this.logOutage('redis is not answering: dropping cluster events until it does (clients resync by seq)');
    this.stall.noAnswer('publish');
  }

  /** Redis answers again (seen by this bus or by presence); losses meanwhile were marked where they happened. */
  private unstalled(): void {
    if (this.closed) return;
    if (!this.subscriptions.synced() && this.subscriber.status === 'ready') void this.subscriptions.resubscribeAll();
    else this.maybeRecovered();
  }

  private logOutage(message: string, err?: unknown): void {
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.logger.warn({ err: err instanceof Error ? err.message : undefined, inFlight: this.inFlight }, message);
  }

  private maybeRecovered(): void {
    if (!this.healthy() || !this.lossSinceHealthy || !this.subscriptions.everSynced()) return;
    this.lossSinceHealthy = false;
    this.outageLogged = false;
    this.logger.info({ dropped: this.stats.dropped }, 'redis fan-out recovered; asking local sockets to resync');
    // The other nodes' sockets missed what this node dropped: room changes (they read the rooms afresh), the
    // newest message of each room (they read the rest from the database), the latest edit or deletion of
    // each message, read marks and the logouts.
    const { events, overflow } = this.dropped.take();
    if (overflow > 0) this.logger.warn({ overflow }, 'more events were dropped than are kept to tell again');
    for (const { topic, event } of events) this.publish(topic, event);
    for (const handler of this.recoverHandlers) {
      try {
        handler();
      } catch (err) {
        this.logger.error({ err }, 'bus recover handler failed');
      }
    }
  }
}
