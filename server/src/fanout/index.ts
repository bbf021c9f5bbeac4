/**
 * Chooses the fan-out for a node: Redis pub/sub and Redis presence when a
 * Redis URL is configured (any number of nodes), in-process otherwise (one node).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Bus, PresenceTracker } from './bus.ts';
import { MemoryBus, MemoryPresence } from './memory.ts';
import { DEFAULT_REDIS_PREFIX, RedisBus } from './redisBus.ts';
import { RedisPresence } from './redisPresence.ts';

export * from './bus.ts';
export { MemoryBroker, MemoryBus, MemoryPresence } from './memory.ts';
export { RedisBus, DEFAULT_REDIS_PREFIX } from './redisBus.ts';
export { RedisPresence } from './redisPresence.ts';

/** The part of the server configuration the fan-out reads (`REDIS_URL`, `REDIS_PREFIX`). */
export interface FanoutConfig {
  redisUrl?: string | null | undefined;
  redisPrefix?: string | null | undefined;
}

export interface Fanout {
  bus: Bus;
  presence: PresenceTracker;
  /** `redis` when nodes share Redis, `memory` for a single node. */
  mode: 'redis' | 'memory';
  /** Closes presence (dropping this node's entries) and then the bus. */
  close(): Promise<void>;
}

/** Builds the node's bus and presence tracker; both share one node id. */
export function createFanout(config: FanoutConfig, logger: Logger): Fanout {
  if (!config.redisUrl) {
    const bus = new MemoryBus();
    const presence = new MemoryPresence();
    return { bus, presence, mode: 'memory', close: () => closeBoth(bus, presence) };
  }
  const nodeId = randomUUID();
  const prefix = config.redisPrefix || DEFAULT_REDIS_PREFIX;
  const bus = new RedisBus({ url: config.redisUrl, prefix, logger, nodeId });
  const presence = new RedisPresence({ url: config.redisUrl, prefix, logger, nodeId });
  logger.info({ nodeId, prefix }, 'fan-out over Redis');
  return { bus, presence, mode: 'redis', close: () => closeBoth(bus, presence) };
}

async function closeBoth(bus: Bus, presence: PresenceTracker): Promise<void> {
  await presence.close();
  await bus.close();
}
