/**
 * A node killed with SIGKILL mid-conversation: its users reconnect through
 * the load balancer to another node and end with every message exactly once,
 * in order; users whose sockets never come back are announced offline by a
 * surviving node after the dead node's heartbeat expires.
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from '@ecc/client';
import type { Message } from '@ecc/protocol';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { loadBalancer, nodeCluster } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';
import { TestSocket } from '../support/wsClient.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

describe.skipIf(!servicesUp)('a node crash', { timeout: 120_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { doomed: 'doomed', survivor: 'survivor' });
  const balancerUrl = loadBalancer(() => [cluster.doomed, cluster.survivor]);

  it('moves its users to another node with nothing lost or duplicated, and announces the ones who do not return', async () => {
    const { doomed, survivor, tabs } = cluster;
    const lb = balancerUrl();
    const alice = await login(survivor.url, 'client1');
    const bob = await login(survivor.url, 'cleaner1');
    // Round robin: Alice's socket lands on the doomed node, Bob's on the survivor.
    const aliceTab = await Tab.open('alice', lb, alice);
    const bobTab = await Tab.open('bob', lb, bob);
    tabs.push(aliceTab, bobTab);
    const roomId = aliceTab.rooms.find((r) => r.type === 'job')?.id;
    if (roomId === undefined) throw new Error('the demo job room is missing');

    // Carol talks to support from a plain socket on the doomed node that will never reconnect.
    const carol = await login(survivor.url, 'client2');
    const supportRoom = await new ApiClient({ baseUrl: survivor.url, token: carol.token }).openSupport();
    const sam = await login(survivor.url, 'support1');
    const samTab = await Tab.open('sam', survivor.url, sam);
    tabs.push(samTab);
    const { socket: carolSocket } = await TestSocket.connect(`ws://127.0.0.1:${doomed.port}/ws/user/${carol.user.id}/`, { token: carol.token });
    await samTab.waitFor('carol online', () => samTab.presence.some((p) => p.userId === carol.user.id && p.online));
    expect(supportRoom.participants.some((p) => p.id === sam.user.id)).toBe(true);

    const sends: Promise<Message>[] = [];
    const say = (tab: Tab, content: string) => sends.push(tab.client.send({ roomId, content }));
    for (let i = 0; i < 5; i++) {
      say(aliceTab, `alice before ${i}`);
      say(bobTab, `bob before ${i}`);
    }
    await doomed.kill();
    for (let i = 0; i < 5; i++) {
      say(aliceTab, `alice after ${i}`);
      say(bobTab, `bob after ${i}`);
    }
    const stored = await Promise.all(sends);
    const sentContents = stored.map((m) => m.content);
    expect(new Set(stored.map((m) => m.id)).size).toBe(20);

    await aliceTab.waitFor('reconnected', () => aliceTab.readyCount >= 2);
    for (const tab of [aliceTab, bobTab]) {
      await tab.waitFor('all 20 messages', () => sentContents.every((c) => tab.contents(roomId).includes(c)));
      const seqs = tab.seqs(roomId);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
      for (const content of sentContents) expect(tab.contents(roomId).filter((c) => c === content)).toHaveLength(1);
    }
    // Storage agrees: each message stored once, seqs without gaps.
    const page = await bobTab.client.history({ roomId, limit: 100 });
    for (const content of sentContents) expect(page.messages.filter((m) => m.content === content)).toHaveLength(1);
    const seqs = page.messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] ?? 1) + i));

    // Carol's socket died with the node; after its heartbeat expires the survivor announces her offline.
    expect((await carolSocket.closed).code).not.toBe(1000);
    await samTab.waitFor('carol offline', () => samTab.presence.some((p) => p.userId === carol.user.id && !p.online), 45_000);
    // Alice came back on the survivor: she was never announced offline to Bob.
    expect(bobTab.presence.filter((p) => p.userId === alice.user.id && !p.online)).toHaveLength(0);
  });
});
