/**
 * A node's channel subscriptions on Redis follow its topics: a topic given up
 * while the subscriber link re-subscribes (after a reconnect, or a retry after
 * Redis hung) is not subscribed again by a later chunk of that round, and one
 * wanted again during a stall keeps the node unsynced until it is subscribed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { roomTopic } from './bus.ts';
import { closeRedisConnection, createRedisConnection } from './redisConnection.ts';
import { RedisStall } from './redisStall.ts';
import { RedisSubscriptions } from './redisSubscriptions.ts';
import { TEST_REDIS_URL, randomPrefix, sharedRedisGate, testLogger } from '../../test/cluster/support/redis.ts';

const available = await sharedRedisGate();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Subscriptions on a subscriber link being opened, its stall judge, and a plain client to ask Redis with. */
function freshSubscriber() {
  const prefix = randomPrefix();
  const logger = testLogger();
  const link = createRedisConnection({ url: TEST_REDIS_URL, name: 'ecc-test-sub', logger });
  const raw = new Redis(TEST_REDIS_URL);
  const stall = new RedisStall(link, logger);
  cleanups.push(async () => {
    stall.close();
    raw.disconnect();
    await closeRedisConnection(link);
  });
  const subscriptions = new RedisSubscriptions({ subscriber: link, prefix, stall, logger, onLoss: () => {}, onSynced: () => {} });
  return { link, raw, stall, subscriptions, prefix };
}

describe.skipIf(!available)('RedisSubscriptions', () => {
  it('leaves a topic given up during a re-subscription unsubscribed on Redis', async () => {
    const { link, raw, subscriptions, prefix } = freshSubscriber();
    // More topics than one SUBSCRIBE carries (a node with a few thousand sockets has that many), wanted before the link is up.
    const topics = Array.from({ length: 2500 }, (_, i) => roomTopic(i + 1));
    for (const topic of topics) await subscriptions.add(topic);
    const last = topics.at(-1) ?? roomTopic(0);

    // As the bus does on `ready`: re-subscribe everything; the last socket in the last room closes meanwhile.
    const synced = new Promise<void>((resolve) =>
      link.once('ready', () => {
        const round = subscriptions.resubscribeAll();
        subscriptions.remove(last);
        void round.then(resolve);
      }),
    );
    await synced;

    const numsub = async (topic: string) => Number((await raw.pubsub('NUMSUB', `${prefix}${topic}`))[1]);
    expect(await numsub(topics[0] ?? '')).toBe(1);
    expect(await numsub(topics[1500] ?? '')).toBe(1);
    expect(await numsub(last)).toBe(0);
    expect(subscriptions.wants(last)).toBe(false);
  });

  it('does not count as synced while a topic given up and wanted again during a stall is not subscribed', async () => {
    const { link, raw, stall, subscriptions, prefix } = freshSubscriber();
    const topics = Array.from({ length: 2500 }, (_, i) => roomTopic(i + 1));
    for (const topic of topics) await subscriptions.add(topic);
    const first = topics[0] ?? roomTopic(0);

    // A round re-subscribes in chunks. Right after the first chunk (the first room's topic in it): its last
    // socket closes (unsubscribed), Redis is taken as hung, and a socket joins the room again (only remembered).
    const subscribe = link.subscribe.bind(link) as (...channels: string[]) => Promise<unknown>;
    let chunks = 0;
    (link as unknown as { subscribe: (...channels: string[]) => Promise<unknown> }).subscribe = async (...channels) => {
      const answer = await subscribe(...channels);
      chunks += 1;
      if (chunks === 1) {
        subscriptions.remove(first);
        stall.noAnswer('test: Redis taken as hung');
        await subscriptions.add(first);
      }
      return answer;
    };
    await new Promise<void>((resolve) => link.once('ready', () => void subscriptions.resubscribeAll().then(resolve)));

    const numsub = async (topic: string) => Number((await raw.pubsub('NUMSUB', `${prefix}${topic}`))[1]);
    expect(chunks).toBe(3);
    expect(await numsub(first)).toBe(0);
    // Not synced: the bus would otherwise tell no socket to resync while the room's events pass this node by.
    expect(subscriptions.synced()).toBe(false);
    // Redis answers again: the bus's next round subscribes it.
    stall.answered();
    await subscriptions.resubscribeAll();
    expect(await numsub(first)).toBe(1);
    expect(subscriptions.synced()).toBe(true);
  });
});
