/**
 * Redis stops mid-conversation (a private redis-server this test owns, killed
 * and restarted empty): nodes keep serving their own sockets and storing
 * messages, /healthz says 503, and when Redis returns the fan-out recovers by
 * itself and every tab ends with every message exactly once.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, type Message } from '@ecc/protocol';
import { privateRedisGate, waitUntil } from './support/redis.ts';
import { aliceOnTwoNodesBobOnB, clusterOnPrivateRedis } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';
import { Tab } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await privateRedisGate());

describe.skipIf(!servicesUp)('a Redis outage', { timeout: 120_000 }, () => {
  const { cluster, redis } = clusterOnPrivateRedis();

  it('keeps nodes serving and storing, reports unhealthy, and recovers by itself with nothing lost', async () => {
    const { a, b, tabs } = cluster;
    const { alice, aliceOnA, aliceOnB, bobOnB, roomId } = await aliceOnTwoNodesBobOnB(cluster);
    await waitUntil('both nodes healthy', async () => (await a.health()) === 200 && (await b.health()) === 200);

    const before = await bobOnB.client.send({ roomId, content: 'before the outage' });
    await aliceOnA.waitFor('message before the outage', () => aliceOnA.contents(roomId).includes(before.content));

    await redis().kill();
    await waitUntil('both nodes report 503', async () => (await a.health()) === 503 && (await b.health()) === 503);

    // Sends are still stored and acknowledged; sockets on the same node still get them live.
    const during: Message[] = [];
    for (let i = 0; i < 3; i++) during.push(await bobOnB.client.send({ roomId, content: `during the outage ${i}` }));
    expect(during.map((m) => m.seq)).toEqual([before.seq + 1, before.seq + 2, before.seq + 3]);
    await aliceOnB.waitFor('same-node delivery during the outage', () => during.every((m) => aliceOnB.contents(roomId).includes(m.content)));
    const fromA = await aliceOnA.client.send({ roomId, content: 'alice on A during the outage' });

    await redis().start();
    await waitUntil('both nodes healthy again', async () => (await a.health()) === 200 && (await b.health()) === 200, 30_000);

    // The tab on node A missed the fan-out meanwhile: it is made to resync and catches up.
    const all = [before, ...during, fromA].map((m) => m.content);
    for (const tab of [aliceOnA, aliceOnB, bobOnB]) {
      await tab.waitFor('every message after recovery', () => all.every((c) => tab.contents(roomId).includes(c)), 30_000);
      const seqs = tab.seqs(roomId);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
      for (const content of all) expect(tab.contents(roomId).filter((c) => c === content)).toHaveLength(1);
    }

    // Recovery made the sockets reconnect (1013) so they could fetch what the bus dropped.
    expect(aliceOnA.closeCodes).toContain(CloseCode.TRY_AGAIN_LATER);
    // Its reconnect may still be pending (back-off): wait for it, so the next message tests live fan-out.
    await aliceOnA.waitFor('ready again after the resync close', () => aliceOnA.readyCount >= 2);

    // Live fan-out between the nodes works again, unread included.
    const after = await bobOnB.client.send({ roomId, content: 'after the outage' });
    await aliceOnA.waitFor('live again', () => aliceOnA.contents(roomId).includes(after.content));
    const fresh = await Tab.open('alice fresh@B', b.url, alice);
    tabs.push(fresh);
    const expected = fresh.readyUnread.get(roomId);
    for (const tab of [aliceOnA, aliceOnB]) await tab.waitFor('unread as a fresh tab sees it', () => tab.unreadOf(roomId) === expected);
  });
});
