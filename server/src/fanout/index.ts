/**
 * Chooses the fan-out for a node: Redis pub/sub and Redis presence when a
 * Redis URL is configured (any number of nodes), in-process otherwise (one node).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AttemptCounts } from '../auth/loginThrottle.ts';
import type { Bus, PresenceTracker, SharedPace, SharedSendCounter } from './bus.ts';
import { MemoryBus, MemoryPresence } from './memory.ts';
import { DEFAULT_REDIS_PREFIX, RedisBus } from './redisBus.ts';
import { RedisPresence } from './redisPresence.ts';
import { closeRedisConnection, createRedisConnection } from './redisConnection.ts';
import { RedisLoginAttempts } from './redisLoginAttempts.ts';
import { RedisPace } from './redisPace.ts';
import { RedisSendCounter } from './redisSendCounter.ts';

export * from './bus.ts';
export { MemoryBroker, MemoryBus, MemoryPresence } from './memory.ts';
export { RedisBus, DEFAULT_REDIS_PREFIX } from './redisBus.ts';
export { RedisPresence } from './redisPresence.ts';
export { RedisSendCounter } from './redisSendCounter.ts';
export { RedisLoginAttempts } from './redisLoginAttempts.ts';
export { RedisPace } from './redisPace.ts';

/** The part of the server configuration the fan-out reads (`REDIS_URL`, `REDIS_PREFIX`, the limits counted over the nodes). */
export interface FanoutConfig {
  redisUrl?: string | null | undefined;
  redisPrefix?: string | null | undefined;
  limits: { sendRateLimit: number; sendRateWindowMs: number; staffRoomOpenLimit: number; staffRoomOpenWindowMs: number };
}

export interface Fanout {
  bus: Bus;
  presence: PresenceTracker;
  /** The send rate limit shared by the nodes (null for a single node: its own limiter counts everything). */
  sendCounter: SharedSendCounter | null;
  /** Sign-in attempts shared by the nodes (null for a single node: counted in memory). */
  loginAttempts: AttemptCounts | null;
  /** Support staff's room opens and joins counted over the nodes (null for a single node: counted in memory). */
  staffRoomOpens: SharedPace | null;
  /** `redis` when nodes share Redis, `memory` for a single node. */
  mode: 'redis' | 'memory';
  /** Closes presence (dropping this node's entries), the shared counters and then the bus. */
  close(): Promise<void>;
}

/** Builds the node's bus and presence tracker; both share one node id. */
export function createFanout(config: FanoutConfig, logger: Logger): Fanout {
  if (!config.redisUrl) {
    const bus = new MemoryBus();
    const presence = new MemoryPresence();
    return { bus, presence, sendCounter: null, loginAttempts: null, staffRoomOpens: null, mode: 'memory', close: () => closeAll(bus, presence, null) };
  }
  const nodeId = randomUUID();
  const prefix = config.redisPrefix || DEFAULT_REDIS_PREFIX;
  const bus = new RedisBus({ url: config.redisUrl, prefix, logger, nodeId });
  // One judgement of whether Redis answers: a socket's start then waits on no link of a hung Redis.
  const presence = new RedisPresence({ url: config.redisUrl, prefix, logger, nodeId, stall: bus.stall });
  // The limits' counters share one link; a send, sign-in or staff room open waits at most its command timeout for Redis,
  // and not at all while the bus or presence has seen Redis hang (the node's RedisStall; the counters'
  // own timeouts do not trip it: see OptionalRedis).
  const limits = createRedisConnection({ url: config.redisUrl, name: `ecc-limits-${nodeId}`, logger, commandTimeoutMs: LIMITS_TIMEOUT_MS });
  const { sendRateLimit: limit, sendRateWindowMs: windowMs } = config.limits;
  const sendCounter = new RedisSendCounter({ redis: limits, prefix, logger, limit, windowMs, stall: bus.stall });
  const loginAttempts = new RedisLoginAttempts(limits, prefix, logger, bus.stall);
  const { staffRoomOpenLimit, staffRoomOpenWindowMs } = config.limits;
  const staffRoomOpens = new RedisPace({ redis: limits, prefix, name: 'staffrooms', logger, limit: staffRoomOpenLimit, windowMs: staffRoomOpenWindowMs, stall: bus.stall });
  logger.info({ nodeId, prefix }, 'fan-out over Redis');
  return { bus, presence, sendCounter, loginAttempts, staffRoomOpens, mode: 'redis', close: () => closeAll(bus, presence, limits) };
}

/** Longest wait for a shared count before the node decides on its own. */
const LIMITS_TIMEOUT_MS = 500;

async function closeAll(bus: Bus, presence: PresenceTracker, limits: Redis | null): Promise<void> {
  await presence.close();
  if (limits) await closeRedisConnection(limits);
  await bus.close();
}
