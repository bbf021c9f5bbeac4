/**
 * Cluster-wide presence in Redis: a user is online while any node holds a
 * socket of theirs.
 *
 * Each node keeps its own socket counts in memory (the truth about its own
 * sockets) and mirrors them into Redis as absolute values, so a lost answer
 * or a retry never skews a count. Transitions are decided inside Lua scripts
 * (atomic), so exactly one node announces each online/offline change.
 *
 * A node refreshes a heartbeat key (TTL `ttlMs`) every `heartbeatMs`. Every
 * `sweepMs` one node (holding a short lock) looks for nodes whose heartbeat
 * expired — they died without closing their sockets — removes their entries
 * and reports the users now offline everywhere through `onOffline`. A node
 * that was only paused that long finds itself removed at its next heartbeat:
 * it re-registers its counts and reports the users it announced offline
 * through `onOnline`.
 *
 * Redis down: counts keep working locally (transitions judged by this node's
 * own sockets), and the node re-registers its real counts when Redis returns.
 * Redis hung (links up, no answers: redisStall.ts, shared with the bus): the
 * same at once, without waiting a command timeout per socket, until Redis
 * answers a PING again.
 *
 * A user's socket cap is checked in the same script that counts the socket.
 * One user's opens and closes are mirrored one after another, so a socket the
 * script refuses was never in any count written meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TooManySockets, type PresenceTracker } from './bus.ts';
import { DEFAULT_REDIS_PREFIX } from './redisBus.ts';
import { closeRedisConnection, createRedisConnection, errorText, runScript } from './redisConnection.ts';
import { RedisStall } from './redisStall.ts';
import { OVER_SOCKET_CAP, REAP_NODE, SET_COUNT, SYNC_NODE, presenceKeys } from './redisPresenceScripts.ts';

export interface RedisPresenceOptions {
  url: string;
  prefix?: string;
  logger: Logger;
  /** The node's id; use the bus's `nodeId`. */
  nodeId?: string;
  /** Heartbeat refresh period (default 5 s). */
  heartbeatMs?: number;
  /** Heartbeat lifetime: a node silent this long is considered dead (default 15 s). */
  ttlMs?: number;
  /** Period of the dead-node sweep (default 5 s, jittered). */
  sweepMs?: number;
  commandTimeoutMs?: number;
  /** Whether Redis answers, shared with the bus (default: this tracker's own). */
  stall?: RedisStall;
}

type PresenceHandler = (userIds: number[]) => void;

export class RedisPresence implements PresenceTracker {
  readonly nodeId: string;
  private readonly prefix: string;
  private readonly keys: ReturnType<typeof presenceKeys>;
  private readonly logger: Logger;
  private readonly redis: Redis;
  private readonly stall: RedisStall;
  private readonly ownStall: boolean;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private readonly sweepMs: number;
  /** This node's sockets per user. */
  private readonly local = new Map<number, number>();
  private readonly offlineHandlers: PresenceHandler[] = [];
  private readonly onlineHandlers: PresenceHandler[] = [];
  private readonly spreadHandlers: ((userId: number) => void)[] = [];
  /**
   * Redis may not match `local` (a command failed or the link dropped) whenever
   * `dirtyVersion` is ahead of `syncedVersion`: the next tick re-registers.
   */
  private dirtyVersion = 1;
  private syncedVersion = 0;
  /** Re-registrations begun so far: one that ran while a socket was being refused wrote it as counted. */
  private syncsBegun = 0;
  /** The last re-registration found this node's entries still known to Redis. */
  private kept = false;
  /** Each user's latest count change in flight; the next one waits for it. */
  private readonly userQueues = new Map<number, Promise<unknown>>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private closed = false;
  /** Shutting down with the users moving elsewhere: Redis keeps this node's entries as they are. */
  private handingOver = false;

  constructor(options: RedisPresenceOptions) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    this.keys = presenceKeys(this.prefix);
    this.logger = options.logger.child({ component: 'redis-presence', nodeId: this.nodeId });
    this.heartbeatMs = options.heartbeatMs ?? 5000;
    this.ttlMs = options.ttlMs ?? 15_000;
    this.sweepMs = options.sweepMs ?? 5000;
    this.redis = createRedisConnection({
      url: options.url,
      name: `ecc-presence-${this.nodeId}`,
      logger: this.logger,
      commandTimeoutMs: options.commandTimeoutMs ?? 3000,
    });
    this.ownStall = options.stall === undefined;
    this.stall = options.stall ?? new RedisStall(this.redis, this.logger);
    this.stall.onAnswering(() => this.tick());
    this.redis.on('ready', () => {
      this.markDirty();
      this.tick();
    });
    this.redis.on('close', () => {
      this.markDirty();
    });
    this.heartbeatTimer = setInterval(() => this.tick(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    this.scheduleSweep();
  }

  socketOpened(userId: number, maxSockets = 0): Promise<boolean> {
    return this.inTurn(userId, async () => {
      const count = (this.local.get(userId) ?? 0) + 1;
      if (maxSockets > 0 && count > maxSockets) throw new TooManySockets();
      this.local.set(userId, count);
      const syncsBefore = this.syncsBegun;
      const answer = await this.mirror(userId, count, { maxSockets });
      if (answer?.transition === OVER_SOCKET_CAP) {
        this.setLocal(userId, count - 1);
        // A re-registration meanwhile wrote the refused socket too: write the real counts again.
        if (this.syncsBegun !== syncsBefore) this.markDirty();
        throw new TooManySockets();
      }
      if (answer && answer.elsewhere > 0) this.report(this.spreadHandlers, userId);
      return answer === undefined ? count === 1 : answer.transition === 1;
    });
  }

  socketClosed(userId: number): Promise<boolean> {
    return this.inTurn(userId, async () => {
      const current = this.local.get(userId) ?? 0;
      if (current <= 0) {
        this.logger.error({ userId }, 'socketClosed without a matching socketOpened');
        return false;
      }
      const count = current - 1;
      this.setLocal(userId, count);
      if (this.handingOver) return false;
      const answer = await this.mirror(userId, count);
      return answer === undefined ? count === 0 : answer.transition === -1;
    });
  }

  /** Runs one count change of a user after the previous one has its answer. */
  private inTurn<T>(userId: number, change: () => Promise<T>): Promise<T> {
    const previous = this.userQueues.get(userId);
    const result = previous ? previous.then(change, change) : change();
    const settled = result.catch(() => undefined);
    this.userQueues.set(userId, settled);
    void settled.then(() => {
      if (this.userQueues.get(userId) === settled) this.userQueues.delete(userId);
    });
    return result;
  }

  private setLocal(userId: number, count: number): void {
    if (count > 0) this.local.set(userId, count);
    else this.local.delete(userId);
  }

  async onlineAmong(userIds: number[]): Promise<Set<number>> {
    const online = new Set<number>();
    if (userIds.length === 0) return online;
    if (this.answering()) {
      try {
        const pipeline = this.redis.pipeline();
        for (const id of userIds) pipeline.exists(this.keys.user(id));
        const results = (await pipeline.exec()) ?? [];
        if (results.length === userIds.length && results.every(([err]) => err === null)) {
          userIds.forEach((id, i) => {
            if (results[i]?.[1] === 1) online.add(id);
          });
          return online;
        }
        this.logger.warn('presence lookup partly failed; answering from local sockets');
      } catch (err) {
        this.logger.warn({ err: errorText(err) }, 'presence lookup failed; answering from local sockets');
        this.noAnswer('presence lookup', err);
      }
    }
    for (const id of userIds) if (this.local.has(id)) online.add(id);
    return online;
  }

  handOver(): boolean {
    this.handingOver = true;
    // No more heartbeats or syncs: the entries must stay as they are until the heartbeat expires.
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.sweepTimer);
    // Meanwhile this node's sockets must not count against the same users reconnecting elsewhere.
    if (this.redis.status === 'ready') {
      this.redis.set(this.keys.leaving(this.nodeId), '1', 'PX', this.ttlMs).catch((err: unknown) => {
        this.logger.warn({ err: errorText(err) }, 'could not mark this node as leaving; its sockets count towards caps until its heartbeat expires');
      });
    }
    return true;
  }

  onOffline(handler: PresenceHandler): void {
    this.offlineHandlers.push(handler);
  }

  onOnline(handler: PresenceHandler): void {
    this.onlineHandlers.push(handler);
  }

  onSpread(handler: (userId: number) => void): void {
    this.spreadHandlers.push(handler);
  }

  /** Redis is reachable and holds this node's current counts. */
  healthy(): boolean {
    return !this.closed && this.syncedVersion === this.dirtyVersion && this.redis.status === 'ready';
  }

  entriesKept(): boolean {
    return this.kept;
  }

  /** This node's socket count for a user (tests and diagnostics). */
  localCount(userId: number): number {
    return this.local.get(userId) ?? 0;
  }

  /**
   * Stops the timers. With no sockets left, removes this node's entries;
   * otherwise only drops the heartbeat, so a peer's sweep announces the
   * users that went offline with this node. After `handOver` it leaves
   * everything to expire (the users are on their way to other nodes).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.sweepTimer);
    await this.ticking;
    if (this.redis.status === 'ready' && !this.handingOver) {
      try {
        await this.redis.del(this.keys.heartbeat(this.nodeId));
        if (this.local.size === 0) await runScript(this.redis, REAP_NODE, [this.keys.nodes], [this.prefix, this.nodeId]);
      } catch (err) {
        this.logger.warn({ err: errorText(err) }, 'could not unregister node; peers will sweep it after its heartbeat expires');
      }
    }
    if (this.ownStall) this.stall.close();
    await closeRedisConnection(this.redis);
  }

  /** The link is up and Redis is not known to hang: worth asking. */
  private answering(): boolean {
    return this.redis.status === 'ready' && !this.stall.stalled();
  }

  /** A command failed: on a link that is still up, Redis hangs (the link's own loss is seen by `close`). */
  private noAnswer(what: string, err: unknown): void {
    if (this.redis.status === 'ready') this.stall.noAnswer(what, err);
  }

  /** Writes a count to Redis; SET_COUNT's answer, or undefined when Redis could not be asked. */
  private async mirror(userId: number, count: number, opening?: { maxSockets: number }): Promise<{ transition: number; elsewhere: number } | undefined> {
    if (!this.answering() || this.closed) {
      this.markDirty();
      return undefined;
    }
    try {
      const result = await runScript(
        this.redis,
        SET_COUNT,
        [this.keys.user(userId), this.keys.nodeUsers(this.nodeId)],
        [this.nodeId, userId, count, this.prefix, opening?.maxSockets ?? 0, opening ? 1 : 0],
      );
      if (Array.isArray(result) && typeof result[0] === 'number' && typeof result[1] === 'number') {
        return { transition: result[0], elsewhere: result[1] };
      }
      this.logger.error({ result }, 'unexpected presence script result');
    } catch (err) {
      this.logger.warn({ err: errorText(err), userId }, 'presence update failed; judging by local sockets');
      this.noAnswer('presence update', err);
    }
    this.markDirty();
    return undefined;
  }

  /** Heartbeat, and re-registration when Redis may be out of date. Never runs twice at once. */
  private tick(): void {
    if (this.closed || this.handingOver || this.ticking || !this.answering()) return;
    this.ticking = this.heartbeat()
      .catch((err: unknown) => {
        this.markDirty();
        this.logger.warn({ err: errorText(err) }, 'presence heartbeat failed');
        this.noAnswer('presence heartbeat', err);
      })
      .finally(() => {
        this.ticking = undefined;
      });
  }

  private markDirty(): void {
    this.dirtyVersion++;
  }

  private async heartbeat(): Promise<void> {
    if (this.syncedVersion === this.dirtyVersion) {
      const replies = await this.redis
        .multi()
        .set(this.keys.heartbeat(this.nodeId), '1', 'PX', this.ttlMs)
        .sadd(this.keys.nodes, this.nodeId)
        .exec();
      // SADD added this node back: a peer's sweep took it for dead while it was silent
      // (a pause longer than ttlMs, its link still up) and removed its counts.
      if (replies?.[1]?.[1] !== 1) return;
      this.logger.warn('presence entries were swept while this node was silent; re-registering');
      this.markDirty();
    }
    await this.sync();
  }

  /** Replaces this node's entries in Redis with its real counts; reports users a sweep had announced offline. */
  private async sync(): Promise<void> {
    // Changes after this snapshot are absolute writes queued behind the script on the same link;
    // one that fails marks the tracker dirty again (a newer version than this sync covers).
    const version = this.dirtyVersion;
    this.syncsBegun++;
    const pairs: (string | number)[] = [];
    for (const [userId, count] of this.local) pairs.push(userId, count);
    const reply = await runScript(
      this.redis,
      SYNC_NODE,
      [this.keys.nodeUsers(this.nodeId), this.keys.heartbeat(this.nodeId), this.keys.nodes, this.keys.reaped(this.nodeId)],
      [this.nodeId, this.ttlMs, this.prefix, ...pairs],
    );
    this.syncedVersion = Math.max(this.syncedVersion, version);
    const [kept, back] = Array.isArray(reply) ? reply : [];
    this.kept = kept === 1;
    this.logger.debug({ users: this.local.size, kept: this.kept }, 'presence re-registered');
    const online = userIdsOf(back);
    if (online.length > 0) {
      this.logger.info({ online: online.length }, 'users announced offline by a sweep are back online');
      this.report(this.onlineHandlers, online);
    }
  }

  private scheduleSweep(): void {
    if (this.closed || this.handingOver) return;
    const delay = this.sweepMs * (0.75 + Math.random() * 0.5);
    this.sweepTimer = setTimeout(() => {
      this.sweep()
        .catch((err: unknown) => this.logger.warn({ err: errorText(err) }, 'dead-node sweep failed'))
        .finally(() => this.scheduleSweep());
    }, delay);
    this.sweepTimer.unref();
  }

  /** Removes nodes whose heartbeat expired and reports the users they leave offline. */
  async sweep(): Promise<number[]> {
    if (this.closed || !this.answering()) return [];
    const locked = await this.redis.set(this.keys.sweepLock, this.nodeId, 'PX', this.sweepMs, 'NX');
    if (locked !== 'OK') return [];
    const nodes = (await this.redis.smembers(this.keys.nodes)).filter((node) => node !== this.nodeId);
    if (nodes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const node of nodes) pipeline.exists(this.keys.heartbeat(node));
    const alive = (await pipeline.exec()) ?? [];
    const offline: number[] = [];
    for (const [i, node] of nodes.entries()) {
      const [err, exists] = alive[i] ?? [null, 1];
      if (err !== null || exists === 1) continue;
      const users = userIdsOf(await runScript(this.redis, REAP_NODE, [this.keys.nodes], [this.prefix, node]));
      this.logger.info({ deadNode: node, offline: users.length }, 'removed a dead node from presence');
      offline.push(...users);
    }
    if (offline.length > 0) this.report(this.offlineHandlers, offline);
    return offline;
  }

  private report<T>(handlers: ((arg: T) => void)[], arg: T): void {
    for (const handler of handlers) {
      try {
        handler(arg);
      } catch (err) {
        this.logger.error({ err }, 'presence handler failed');
      }
    }
  }
}

/** The user ids a script returned (as strings). */
function userIdsOf(reply: unknown): number[] {
  return Array.isArray(reply) ? reply.map(Number).filter(Number.isSafeInteger) : [];
}
