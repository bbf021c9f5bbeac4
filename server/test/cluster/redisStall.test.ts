/**
 * Redis stops answering without dropping its connections (a hung server, a
 * link that blackholes) while a user has tabs on two nodes, so each of their
 * sends is counted against the rate limit in Redis. /healthz must say so at
 * once, though no command failed yet. Messages are durable in PostgreSQL:
 * the send path must keep acking at its usual pace, not wait on Redis for
 * every send, and everything reaches the other tabs once Redis is back.
 */
import { describe, expect, it } from 'vitest';
import { privateRedisGate, waitUntil } from './support/redis.ts';
import { aliceOnTwoNodesBobOnB, clusterOnPrivateRedis } from './support/fixture.ts';
import { postgresGate } from './support/nodes.ts';

const servicesUp = (await postgresGate()) && (await privateRedisGate());

describe.skipIf(!servicesUp)('a Redis that stops answering', { timeout: 120_000 }, () => {
  // A limit above the 41 sends of this test: it is about the time each send waits, not about the limit.
  const { cluster, redis } = clusterOnPrivateRedis({ SEND_RATE_LIMIT: '100' });

  it('keeps acknowledging the sends of a user on two nodes, and delivers them once it answers again', async () => {
    const { a, b } = cluster;
    const { aliceOnA, aliceOnB, bobOnB, roomId } = await aliceOnTwoNodesBobOnB(cluster);
    const warmUp = await aliceOnA.client.send({ roomId, content: 'before the stall' });
    await bobOnB.waitFor('live before the stall', () => bobOnB.contents(roomId).includes(warmUp.content));

    redis().pause();
    try {
      // Nothing has been sent to Redis since it stopped: only asking it shows it does not answer.
      await waitUntil('both nodes report 503', async () => (await a.health()) === 503 && (await b.health()) === 503, 15_000);
      // Each waits in the client at most its request timeout (15 s): half a second per send on Redis would fail the last ones.
      const sends = Array.from({ length: 40 }, (_, i) => aliceOnA.client.send({ roomId, content: `during the stall ${i}` }));
      const outcomes = await Promise.allSettled(sends);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
      expect(refused).toEqual([]);
    } finally {
      redis().resume();
    }
    const sent = Array.from({ length: 40 }, (_, i) => `during the stall ${i}`);
    for (const tab of [aliceOnB, bobOnB]) {
      await tab.waitFor('every message sent during the stall', () => sent.every((c) => tab.contents(roomId).includes(c)), 30_000);
      for (const content of sent) expect(tab.contents(roomId).filter((c) => c === content)).toHaveLength(1);
      const seqs = tab.seqs(roomId);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
    }
    await waitUntil('both nodes healthy', async () => (await a.health()) === 200 && (await b.health()) === 200, 30_000);
  });
});
