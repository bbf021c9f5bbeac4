/**
 * A per-user pace shared by nodes through Redis (support staff's room opens): two nodes' limiters
 * (each its own window plus the shared count) hold a user to one limit whichever node the requests
 * reach, tell how long to wait, and decide alone, each node to the limit, while Redis cannot be asked.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedWindowLimiter, SlidingWindowLimiter } from '../ws/rateLimiter.ts';
import { closeRedisConnection, createRedisConnection } from './redisConnection.ts';
import { RedisPace } from './redisPace.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';

const redisAvailable = await sharedRedisGate();

describe.skipIf(!redisAvailable)('a pace counted over several nodes', () => {
  const prefix = randomPrefix();
  const links: Redis[] = [];

  afterEach(async () => {
    await Promise.all(links.splice(0).map((link) => closeRedisConnection(link)));
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  async function node(limit: number, windowMs: number, url = TEST_REDIS_URL): Promise<SharedWindowLimiter> {
    const redis = createRedisConnection({ url, name: `pace-${links.length}`, logger: testLogger(), commandTimeoutMs: 500 });
    links.push(redis);
    if (url === TEST_REDIS_URL) await waitUntil('connected', () => redis.status === 'ready');
    const pace = new RedisPace({ redis, prefix, name: 'staffrooms', logger: testLogger(), limit, windowMs });
    return new SharedWindowLimiter(new SlidingWindowLimiter(limit, windowMs), pace);
  }

  it('holds a user to one limit over the nodes, answers the wait, and frees the oldest after the window', async () => {
    const a = await node(4, 1500);
    const b = await node(4, 1500);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await (i % 2 ? a : b).take(1));
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    for (const wait of waits.slice(4)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1500);
    }
    // Another user has an allowance of their own.
    expect(await a.take(2)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await b.take(1)).toBe(0);
  });

  it('does not keep in a node’s own window what the other nodes’ count refused', async () => {
    const a = await node(2, 10_000);
    const b = await node(2, 10_000);
    expect([await a.take(3), await a.take(3)]).toEqual([0, 0]);
    expect(await b.take(3)).toBeGreaterThan(0);
    // The shared count starts over (as when A's requests leave the window): B has its whole allowance.
    const redis = new Redis(TEST_REDIS_URL);
    await redis.del(`${prefix}pace:staffrooms:3`);
    redis.disconnect();
    expect([await b.take(3), await b.take(3)]).toEqual([0, 0]);
  });

  it('counts on the node alone, to the limit, while Redis cannot be asked', async () => {
    // Nothing listens on port 1.
    const a = await node(2, 10_000, 'redis://127.0.0.1:1');
    expect([await a.take(4), await a.take(4)]).toEqual([0, 0]);
    expect(await a.take(4)).toBeGreaterThan(0);
  });
});
