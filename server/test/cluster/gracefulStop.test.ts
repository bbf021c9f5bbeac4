/**
 * A node stopped for a deploy (SIGTERM) while its users are writing: every
 * send is acked (the ones in flight by the stopping node, the rest after the
 * client reconnects through the load balancer to the other node), each
 * message is stored once and in the order its sender wrote it, and the tabs
 * end with every message exactly once, in seq order.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, type Message } from '@ecc/protocol';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { loadBalancer, nodeCluster } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

describe.skipIf(!servicesUp)('a node stopped gracefully under load', { timeout: 120_000 }, () => {
  // The test writes more than the rate limit allows in 10 s: it is about the stop, not the limit.
  const cluster = nodeCluster(TEST_REDIS_URL, { leaving: 'leaving', staying: 'staying' }, { SEND_RATE_LIMIT: '1000' });
  const balancerUrl = loadBalancer(() => [cluster.leaving, cluster.staying]);

  it('acks every send, in flight or not, and moves the users to the other node with nothing lost or repeated', async () => {
    const { leaving, staying, tabs } = cluster;
    const lb = balancerUrl();
    // Round robin: Alice's socket lands on the leaving node, Bob's on the staying one.
    const alice = await Tab.open('alice', lb, await login(staying.url, 'client1'));
    const bob = await Tab.open('bob', lb, await login(staying.url, 'cleaner1'));
    tabs.push(alice, bob);
    const roomId = alice.rooms.find((r) => r.type === 'job')?.id;
    if (roomId === undefined) throw new Error('the demo job room is missing');

    // Each writes 40 messages, a few in flight at any time; the node stops once 15 have been acked.
    let acked = 0;
    let stopped: Promise<void> | undefined;
    const write = async (tab: Tab): Promise<(Message | string)[]> => {
      const results: (Message | string)[] = [];
      let next = 0;
      const lane = async () => {
        while (next < 40) {
          const i = next++;
          results[i] = await tab.client.send({ roomId, content: `${tab.name} ${i}` }).catch((err: unknown) => `failed: ${String(err)}`);
          if (++acked === 15) stopped = leaving.stop();
        }
      };
      await Promise.all([lane(), lane(), lane()]);
      return results;
    };
    const [fromAlice, fromBob] = await Promise.all([write(alice), write(bob)]);
    await stopped;

    for (const results of [fromAlice, fromBob]) {
      expect(results.filter((r) => typeof r === 'string')).toEqual([]);
      // Stored in the order written: a sender's seqs grow with the order of the sends.
      const seqs = results.map((r) => (typeof r === 'string' ? 0 : r.seq));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
    expect(alice.closeCodes).toContain(CloseCode.GOING_AWAY);
    const all = [...fromAlice, ...fromBob].map((m) => (typeof m === 'string' ? m : m.content));
    for (const tab of [alice, bob]) {
      await tab.waitFor('every message', () => all.every((c) => tab.contents(roomId).includes(c)), 30_000);
      const seqs = tab.seqs(roomId);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
      for (const content of all) expect(tab.contents(roomId).filter((c) => c === content)).toHaveLength(1);
    }
    expect(staying.alive).toBe(true);
  });
});
