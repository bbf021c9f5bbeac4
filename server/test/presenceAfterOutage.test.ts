/**
 * Presence across a node's Redis outage: while node A is cut off, it judges
 * its users' presence by its own sockets and cannot tell the other nodes.
 * Once its link is back, the people on node B must be shown what they
 * missed (a user who left meanwhile is offline, with the time they left) —
 * and only that: no frame for a user whose state did not change, none to
 * people who share no room with the user. Node A then closes its sockets to
 * resync (1013): users whose tab comes straight back must not flicker offline.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix), each counting presence in Redis as in production; node A
 * reaches Redis through a TCP proxy the test cuts.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { RESYNC_GRACE_MS } from '../src/services/resyncGrace.ts';
import { TEST_REDIS_URL, privateRedisGate, sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { connectAs, openTab } from './support/chat.ts';
import { twoNodes, type TwoNodes } from './support/twoNodes.ts';
import type { TestSocket } from './support/wsClient.ts';

const redisAvailable = await sharedRedisGate();

/** Longer than the catch-up needs once Redis answers again (a few seconds at most). */
const SETTLE_MS = 4000;

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`presence after a node’s Redis outage (${dialect})`, { timeout: 60_000 }, () => {
    const nodes = twoNodes({ dialect, linkA: true, redisPresence: true });
    const redis = new Redis(TEST_REDIS_URL);
    afterAll(() => redis.disconnect());

    /** Node A's link is back and its counts are in Redis again. */
    async function cutWhile(meanwhile: () => Promise<void>): Promise<void> {
      await nodes.whileCut(meanwhile);
      await waitUntil('node A’s presence in Redis again', () => nodes.presenceA.healthy(), 20_000);
    }

    it('a user whose last socket closed on the cut-off node is shown offline on the other node, with the time they left, to their rooms only', async () => {
      const { a, b } = nodes;
      const bob = await connectAs(a, 'cleaner1');
      const alice = await connectAs(b, 'client1');
      const carol = await connectAs(b, 'client2'); // shares no room with Bob
      expect(alice.ready.rooms.find((r) => r.id === a.demo!.roomId)?.participants.find((p) => p.id === bob.user.id)?.online).toBe(true);

      let left!: string;
      await cutWhile(async () => {
        bob.socket.close();
        await waitUntil('node A recorded when Bob left', async () => {
          left = (await a.store.getLastSeen([bob.user.id])).get(bob.user.id) ?? '';
          return left !== '' && a.server.socketCount() === 0;
        });
      });

      const offline = await alice.socket.next('presence', (f) => f.userId === bob.user.id, SETTLE_MS);
      expect(offline).toEqual({ type: 'presence', userId: bob.user.id, online: false, lastSeen: left });
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect(alice.socket.all('presence')).toEqual([offline]);
      expect(carol.socket.all('presence')).toEqual([]);
      // Node A's record of Bob is gone from Redis: a fresh tab sees him offline too.
      expect(await redis.hgetall(await userKey(nodes, bob.user.id))).toEqual({});
      const fresh = await connectAs(b, 'client1');
      expect(fresh.ready.rooms.find((r) => r.id === a.demo!.roomId)?.participants.find((p) => p.id === bob.user.id)).toMatchObject({ online: false, lastSeen: left });
      for (const s of [alice.socket, carol.socket, fresh.socket]) s.close();
    });

    it('a user who still has a tab on the other node is not shown offline when their tab on the cut-off node closes', async () => {
      const { a, b } = nodes;
      const bobOnA = await connectAs(a, 'cleaner1');
      const bobOnB = await openTab(b, bobOnA);
      const alice = await connectAs(b, 'client1');

      await cutWhile(async () => {
        bobOnA.socket.close();
        await waitUntil('node A counted the close', () => nodes.presenceA.localCount(bobOnA.user.id) === 0);
      });

      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect(alice.socket.all('presence').filter((f) => f.userId === bobOnA.user.id)).toEqual([]);
      // Counted once, on node B only.
      expect(await redis.hgetall(await userKey(nodes, bobOnA.user.id))).toEqual({ [nodes.busB.nodeId]: '1' });
      bobOnB.socket.close();
      alice.socket.close();
      await waitUntil('Bob offline', async () => (await nodes.presenceB.onlineAmong([bobOnA.user.id])).size === 0);
    });

    it('a user who came online on the cut-off node is shown online on the other node once the link is back, their tab resynced', async () => {
      const { a, b } = nodes;
      const alice = await connectAs(b, 'client1');
      const bob = await a.login('cleaner1');
      let tab!: TestSocket;
      await cutWhile(async () => {
        tab = (await openTab(a, bob)).socket;
      });
      expect((await tab.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);
      // Back later than the web app's first back-off (a slow network), still within the grace.
      await new Promise((resolve) => setTimeout(resolve, RESYNC_GRACE_MS / 2));
      const back = await openTab(a, bob);

      await waitUntil('Alice shown Bob online', () => alice.socket.all('presence').some((f) => f.userId === bob.user.id), RESYNC_GRACE_MS + SETTLE_MS);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      // Told once: not offline as the tab resynced, and online once it was back.
      expect(alice.socket.all('presence').filter((f) => f.userId === bob.user.id)).toEqual([{ type: 'presence', userId: bob.user.id, online: true, lastSeen: null }]);
      back.socket.close();
      alice.socket.close();
      await waitUntil('Bob offline', async () => (await nodes.presenceB.onlineAmong([bob.user.id])).size === 0);
    });

    it('a user whose tab the recovered node closed to resync is not shown offline and online again when it comes back', async () => {
      const { a, b } = nodes;
      const bob = await connectAs(a, 'cleaner1');
      const alice = await connectAs(b, 'client1');
      await cutWhile(async () => {});
      expect((await bob.socket.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);
      // As the web app does: back after its first back-off (~0.5 s).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const back = await openTab(a, bob);

      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect(alice.socket.all('presence').filter((f) => f.userId === bob.user.id)).toEqual([]);
      back.socket.close();
      alice.socket.close();
      await waitUntil('Bob offline', async () => (await nodes.presenceB.onlineAmong([bob.user.id])).size === 0);
    });

    it('a user whose tab the recovered node closed to resync and who does not come back is shown offline, with the time it closed', async () => {
      const { a, b } = nodes;
      const bob = await connectAs(a, 'cleaner1');
      const alice = await connectAs(b, 'client1');
      await cutWhile(async () => {});
      await bob.socket.closed;
      let closedAt!: string;
      await waitUntil('node A recorded when Bob’s tab closed', async () => {
        closedAt = (await a.store.getLastSeen([bob.user.id])).get(bob.user.id) ?? '';
        return closedAt !== '' && a.server.socketCount() === 0;
      });

      const offline = await alice.socket.next('presence', (f) => f.userId === bob.user.id, RESYNC_GRACE_MS + SETTLE_MS);
      expect(offline).toEqual({ type: 'presence', userId: bob.user.id, online: false, lastSeen: closedAt });
      alice.socket.close();
    });
  });
}

describe.runIf(await privateRedisGate())('presence after Redis restarted empty', { timeout: 60_000 }, () => {
  const nodes = twoNodes({ redis: 'private', linkA: true, redisPresence: true });

  it('a user whose tab resynced is shown online to one who read presence before their node re-registered', async () => {
    const { a, b } = nodes;
    const bob = await connectAs(a, 'cleaner1');
    const alice = await connectAs(b, 'client1');

    await nodes.redis.kill();
    nodes.link.cut(); // node A comes back later than node B
    await nodes.redis.start();
    expect((await alice.socket.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);
    const aliceAgain = await openTab(b, alice);
    // Read while Redis held nothing of node A's.
    expect(aliceAgain.ready.rooms.find((r) => r.id === a.demo!.roomId)?.participants.find((p) => p.id === bob.user.id)?.online).toBe(false);

    nodes.link.restore();
    expect((await bob.socket.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bobAgain = await openTab(a, bob);

    const online = await aliceAgain.socket.next('presence', (f) => f.userId === bob.user.id, RESYNC_GRACE_MS + SETTLE_MS);
    expect(online).toEqual({ type: 'presence', userId: bob.user.id, online: true, lastSeen: null });
    bobAgain.socket.close();
    aliceAgain.socket.close();
  });
});

/** The Redis key of a user's presence under the nodes' prefix. */
async function userKey(nodes: TwoNodes, userId: number): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const [key] = await redis.keys(`*presence:node:${nodes.busB.nodeId}`);
    if (!key) throw new Error('node B has no presence heartbeat in Redis');
    return `${key.slice(0, key.indexOf('presence:node:'))}presence:user:${userId}`;
  } finally {
    redis.disconnect();
  }
}
