/**
 * Unread counts settle on the truth on every tab of every node, even when
 * counts computed on different nodes (or different pool connections) race:
 * a count read before another room's newest message must never be the last
 * one a tab is shown (protocol §5: every socket sees the same numbers within
 * a second of any change).
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from '@ecc/client';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { nodeCluster } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

/** Rounds of two messages sent at once from two nodes into two rooms of one reader. */
const ROUNDS = 25;

describe.skipIf(!servicesUp)('unread counts under racing updates', { timeout: 120_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', b: 'B' });

  it('ends every burst with the true total on both of the reader’s tabs, one per node', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(a.url, 'cleaner1');
    const sam = await login(b.url, 'support1');
    const supportRoom = await new ApiClient({ baseUrl: a.url, token: alice.token }).openSupport();
    const open = async (name: string, url: string, session: typeof alice) => {
      const tab = await Tab.open(name, url, session);
      cluster.tabs.push(tab);
      return tab;
    };
    const aliceTabs = [await open('alice@A', a.url, alice), await open('alice@B', b.url, alice)];
    const bobOnA = await open('bob@A', a.url, bob);
    const samOnB = await open('sam@B', b.url, sam);
    const jobRoom = bobOnA.rooms.find((r) => r.type === 'job');
    if (!jobRoom) throw new Error('the demo job room is missing');
    const first = aliceTabs[0];
    if (!first) throw new Error('unreachable');
    let expected = first.totalUnread;
    const stale: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // Bob's count for Alice is read on node A, Sam's on node B, at about the same time.
      await Promise.all([
        bobOnA.client.send({ roomId: jobRoom.id, content: `job ${round}` }),
        samOnB.client.send({ roomId: supportRoom.id, content: `support ${round}` }),
      ]);
      expected += 2;
      for (const tab of aliceTabs) {
        await tab.waitFor(`both messages of round ${round}`, () =>
          tab.contents(jobRoom.id).includes(`job ${round}`) && tab.contents(supportRoom.id).includes(`support ${round}`),
        );
      }
      // The contract's second: after it, what each tab shows is what it keeps showing.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      for (const tab of aliceTabs) {
        if (tab.totalUnread !== expected) stale.push(`round ${round}: ${tab.name} shows ${tab.totalUnread}, truth ${expected}`);
      }
    }
    expect(stale).toEqual([]);
    const fresh = await open('alice@A again', a.url, alice);
    expect(fresh.totalUnread).toBe(expected);
  });
});
