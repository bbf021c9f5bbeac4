/**
 * The send rate limit shared by nodes through Redis: two nodes' limiters
 * (each its own window plus the shared count) hold a user whose sockets are
 * on both to the limit whichever node the sends go through, counting what
 * each node let through before; a user on one node costs Redis nothing; and
 * sends go through when Redis cannot be asked, without asking it while the
 * node knows it hangs.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { SendLimiter, SlidingWindowLimiter } from '../ws/rateLimiter.ts';
import { closeRedisConnection, createRedisConnection } from './redisConnection.ts';
import { RedisSendCounter } from './redisSendCounter.ts';
import { RedisStall } from './redisStall.ts';
import { PrivateRedis, TEST_REDIS_URL, deletePrefix, privateRedisGate, randomPrefix, sharedRedisGate, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';

const redisAvailable = await sharedRedisGate();
const privateRedisAvailable = redisAvailable && (await privateRedisGate());

describe.skipIf(!redisAvailable)('the send rate limit over several nodes', () => {
  const prefix = randomPrefix();
  const links: ReturnType<typeof createRedisConnection>[] = [];

  afterEach(async () => {
    await Promise.all(links.splice(0).map((link) => closeRedisConnection(link)));
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  /** A node's limiter; `spread` are the users it knows to have sockets on other nodes too. */
  async function node(
    limit: number,
    windowMs: number,
    spread: number[],
    url = TEST_REDIS_URL,
    stall?: RedisStall,
  ): Promise<{ limiter: SendLimiter; counter: RedisSendCounter }> {
    const redis = createRedisConnection({ url, name: `node-${links.length}`, logger: testLogger(), commandTimeoutMs: 500 });
    links.push(redis);
    const counter = new RedisSendCounter({ redis, prefix, logger: testLogger(), limit, windowMs, stall });
    if (url === TEST_REDIS_URL) await waitUntil('send counter connected', () => counter.healthy());
    const limiter = new SendLimiter(new SlidingWindowLimiter(limit, windowMs), counter);
    for (const userId of spread) limiter.markSpread(userId);
    return { limiter, counter };
  }

  const sharedCount = async (userId: number, url = TEST_REDIS_URL): Promise<number> => {
    const redis = new Redis(url);
    try {
      return await redis.llen(`${prefix}sends:${userId}`);
    } finally {
      redis.disconnect();
    }
  };

  it('counts a user’s sends through every node against one limit, and frees them after the window', async () => {
    const a = await node(5, 1500, [1, 2]);
    const b = await node(5, 1500, [1, 2]);
    const taken: boolean[] = [];
    for (let i = 0; i < 8; i++) taken.push(await (i % 2 ? a : b).limiter.tryTake(1));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    // Another user has an allowance of their own.
    expect(await a.limiter.tryTake(2)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await b.limiter.tryTake(1)).toBe(true);
  });

  it('answers many sends of one loop turn in one go, each exactly once', async () => {
    const a = await node(4, 10_000, [3]);
    const b = await node(4, 10_000, [3]);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).limiter.tryTake(3)));
    expect(answers.filter(Boolean)).toHaveLength(4);
  });

  it('does not keep a send the other nodes refused in this node’s own window', async () => {
    const a = await node(2, 10_000, [4]);
    const b = await node(2, 10_000, [4]);
    expect([await a.limiter.tryTake(4), await a.limiter.tryTake(4)]).toEqual([true, true]);
    expect(await b.limiter.tryTake(4)).toBe(false);
    // The shared count starts over (as when A's sends leave the window): B has its whole allowance,
    // which it would not if its own window still held the refused send.
    const redis = new Redis(TEST_REDIS_URL);
    await redis.del(`${prefix}sends:4`);
    redis.disconnect();
    expect([await b.limiter.tryTake(4), await b.limiter.tryTake(4)]).toEqual([true, true]);
  });

  it('lets sends through, each node still holding to the limit on its own, while Redis cannot be asked', async () => {
    // Nothing listens on port 1.
    const a = await node(2, 10_000, [5], 'redis://127.0.0.1:1');
    expect([await a.limiter.tryTake(5), await a.limiter.tryTake(5), await a.limiter.tryTake(5)]).toEqual([true, true, false]);
  });

  it('counts a user on one node only there, and adds what that node let through once they are on two', async () => {
    const a = await node(5, 10_000, []);
    const b = await node(5, 10_000, []);
    expect([await a.limiter.tryTake(6), await a.limiter.tryTake(6), await a.limiter.tryTake(6)]).toEqual([true, true, true]);
    expect(await sharedCount(6)).toBe(0);
    // A second tab on node B: both nodes learn it (presence and the bus do it in the server).
    a.limiter.markSpread(6);
    b.limiter.markSpread(6);
    await waitUntil('node A’s sends counted in Redis', async () => (await sharedCount(6)) === 3);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await (i % 2 ? a : b).limiter.tryTake(6));
    expect(answers).toEqual([true, true, false, false]);
  });

  it('does not count a node’s sends twice when the user’s tab there reconnects while another stays on the other node', async () => {
    const a = await node(5, 10_000, [7]);
    const b = await node(5, 10_000, [7]);
    for (let i = 0; i < 3; i++) expect(await a.limiter.tryTake(7)).toBe(true);
    // The tab on A reloads: its last socket there closes, the new one finds B's and marks the user spread again.
    a.limiter.forget(7);
    a.limiter.markSpread(7);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sharedCount(7)).toBe(3);
    expect([await b.limiter.tryTake(7), await b.limiter.tryTake(7), await b.limiter.tryTake(7)]).toEqual([true, true, false]);
  });

  it.skipIf(!privateRedisAvailable)('lets sends through while Redis does not answer, and counts over the nodes again once it answers', async () => {
    const redis = await PrivateRedis.start();
    try {
      const a = await node(100, 10_000, [8], redis.url);
      await waitUntil('send counter connected', () => a.counter.healthy());
      redis.pause();
      // The first send waits out the command timeout; the ones after it are decided by the node alone
      // (server/test/cluster/redisStall.test.ts shows they are not slowed down).
      for (let i = 0; i < 5; i++) expect(await a.limiter.tryTake(8)).toBe(true);
      redis.resume();
      await waitUntil('sends counted in Redis again', async () => (await a.limiter.tryTake(8)) && (await sharedCount(8, redis.url)) > 0);
    } finally {
      await redis.kill();
    }
  });

  /** The node's judgement of whether Redis answers (the bus's in the server), on a link of its own. */
  function nodeStall(url: string): { stall: RedisStall; link: Redis } {
    const link = createRedisConnection({ url, name: `stall-${links.length}`, logger: testLogger() });
    links.push(link);
    return { stall: new RedisStall(link, testLogger()), link };
  }

  it.skipIf(!privateRedisAvailable)('does not ask Redis while the node knows it hangs, and asks it again once it answers', async () => {
    const redis = await PrivateRedis.start();
    const { stall, link } = nodeStall(redis.url);
    try {
      const a = await node(100, 10_000, [9], redis.url, stall);
      await waitUntil('links connected', () => a.counter.healthy() && link.status === 'ready');
      // Counted in Redis (which now has the script).
      expect(await a.limiter.tryTake(9)).toBe(true);
      redis.pause();
      stall.noAnswer('a publish of the bus');
      expect(await a.limiter.tryTake(9)).toBe(true);
      redis.resume();
      await waitUntil('the node hears Redis again', () => !stall.stalled());
      // A count sent to the hung Redis would have been made once it went on.
      expect(await sharedCount(9, redis.url)).toBe(1);
      expect(await a.limiter.tryTake(9)).toBe(true);
      expect(await sharedCount(9, redis.url)).toBe(2);
    } finally {
      stall.close();
      await redis.kill();
    }
  });

  it.skipIf(!privateRedisAvailable)('does not make the node take Redis as hung when its own count times out', async () => {
    const redis = await PrivateRedis.start();
    const { stall, link } = nodeStall(redis.url);
    try {
      const a = await node(100, 10_000, [10], redis.url, stall);
      await waitUntil('links connected', () => a.counter.healthy() && link.status === 'ready');
      redis.pause();
      expect(await a.limiter.tryTake(10)).toBe(true);
      // The node-wide stall would drop cluster events and make every socket resync: a 500 ms timeout here is not enough.
      expect(stall.stalled()).toBe(false);
    } finally {
      stall.close();
      await redis.kill();
    }
  });
});
