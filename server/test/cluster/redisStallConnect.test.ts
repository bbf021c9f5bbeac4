/**
 * Redis hangs (connections open, no answers) for longer than a client waits
 * for `ready` (10 s by default), and a user opens the app during the hang.
 * The node must not wait on Redis for every step of the socket's start (a
 * subscription, a presence count, a presence lookup: about 11 s together),
 * or the tab shows "Reconnecting…" until Redis answers. Once Redis answers
 * again, the messages both sides sent meanwhile reach the other side, once.
 */
import { describe, expect, it } from 'vitest';
import { privateRedisGate, waitUntil } from './support/redis.ts';
import { clusterOnPrivateRedis } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await privateRedisGate());

/** The client library's own wait for `ready` (ChatClient's default request timeout). */
const CLIENT_READY_TIMEOUT_MS = 10_000;

describe.skipIf(!servicesUp)('a tab opened while Redis does not answer', { timeout: 120_000 }, () => {
  const { cluster, redis } = clusterOnPrivateRedis();

  it('gets ready on its first socket, and exchanges what was sent meanwhile once Redis answers', async () => {
    const { a, b, tabs } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const bobOnB = await Tab.open('bob@B', b.url, bob);
    tabs.push(bobOnB);
    const roomId = bobOnB.rooms.find((r) => r.type === 'job')?.id;
    if (roomId === undefined) throw new Error('the demo job room is missing');

    redis().pause();
    const pausedAt = Date.now();
    let aliceOnA: Tab;
    let bobOnA: Tab;
    try {
      // Node A holds no socket yet: every topic of Alice's is new to it, and nothing told it Redis hangs.
      aliceOnA = await Tab.open('alice@A', a.url, alice, { requestTimeoutMs: CLIENT_READY_TIMEOUT_MS });
      tabs.push(aliceOnA);
      // Its first socket got `ready`: the client never gave up on it.
      expect(aliceOnA.closeCodes).toEqual([]);
      await aliceOnA.client.send({ roomId, content: 'from A during the stall' });
      await bobOnB.client.send({ roomId, content: 'from B during the stall' });
      // The hang outlasts a client's wait for `ready`: Alice's socket stays up through it.
      await waitUntil('a hang longer than a client waits for ready', () => Date.now() - pausedAt > CLIENT_READY_TIMEOUT_MS + 1000, 30_000);
      expect(aliceOnA.closeCodes).toEqual([]);
      // A tab opened once node A knows that Redis hangs.
      bobOnA = await Tab.open('bob@A', a.url, bob, { requestTimeoutMs: CLIENT_READY_TIMEOUT_MS });
      tabs.push(bobOnA);
      expect(bobOnA.closeCodes).toEqual([]);
    } finally {
      redis().resume();
    }

    await bobOnB.waitFor('the message sent on A during the stall', () => bobOnB.contents(roomId).includes('from A during the stall'), 30_000);
    await aliceOnA.waitFor('the message sent on B during the stall', () => aliceOnA.contents(roomId).includes('from B during the stall'), 30_000);
    await aliceOnA.client.send({ roomId, content: 'from A after the stall' });
    await bobOnB.client.send({ roomId, content: 'from B after the stall' });
    const during = ['from A during the stall', 'from B during the stall'];
    const after = ['from A after the stall', 'from B after the stall'];
    // Bob's tab on A started after the messages sent during the stall: its `ready` counted them.
    for (const [tab, expected] of [[aliceOnA, [...during, ...after]], [bobOnB, [...during, ...after]], [bobOnA, after]] as const) {
      await tab.waitFor('every message', () => expected.every((c) => tab.contents(roomId).includes(c)), 30_000);
      for (const content of expected) expect(tab.contents(roomId).filter((c) => c === content)).toHaveLength(1);
      const seqs = tab.seqs(roomId);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    }
  });
});
