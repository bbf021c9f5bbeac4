/**
 * Redis hangs, and each node already knows it (its bus or presence got no
 * answer) before a user on two nodes sends. The send rate limit shared over
 * the nodes is then not asked at all: the send is acked at its usual pace,
 * not after the shared count's own 500 ms timeout on each node.
 */
import { describe, expect, it } from 'vitest';
import { privateRedisGate, waitUntil } from './support/redis.ts';
import { aliceOnTwoNodesBobOnB, clusterOnPrivateRedis } from './support/fixture.ts';
import { postgresGate, type ChatNode } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await privateRedisGate());

/** How long a shared count waits for Redis (index.ts): what each node's first send waited before it knew to skip it. */
const LIMITS_TIMEOUT_MS = 500;

/** RedisStall's log line: the node has seen Redis not answer and goes on without it. */
const knowsRedisHangs = (node: ChatNode) => node.logs.includes('Redis is not answering; the node goes on alone until it does');

describe.skipIf(!servicesUp)('the shared send count while the node knows Redis hangs', { timeout: 120_000 }, () => {
  const { cluster, redis } = clusterOnPrivateRedis({ SEND_RATE_LIMIT: '100' });

  it('is skipped: the first send on each node is acked without waiting for it', async () => {
    const { a, b, tabs } = cluster;
    const { aliceOnA, aliceOnB, bobOnB, roomId } = await aliceOnTwoNodesBobOnB(cluster);
    // Both nodes count Alice's sends in Redis (the shared count's script is loaded on each).
    for (const tab of [aliceOnA, aliceOnB]) {
      const warmUp = await tab.client.send({ roomId, content: `before the stall from ${tab.name}` });
      await bobOnB.waitFor('live before the stall', () => bobOnB.contents(roomId).includes(warmUp.content));
    }
    // Users with a tab on one node only: their start touches the bus and presence, not the shared counts.
    const carol = await login(a.url, 'cleaner2');
    const dave = await login(b.url, 'support1');
    expect(knowsRedisHangs(a) || knowsRedisHangs(b)).toBe(false);

    redis().pause();
    try {
      // A new tab's subscriptions and presence get no answer: each node learns that Redis hangs.
      tabs.push(await Tab.open('carol@A', a.url, carol), await Tab.open('dave@B', b.url, dave));
      await waitUntil('both nodes know Redis hangs', () => knowsRedisHangs(a) && knowsRedisHangs(b), 30_000);

      const started = Date.now();
      await aliceOnA.client.send({ roomId, content: 'first on A during the stall' });
      await aliceOnB.client.send({ roomId, content: 'first on B during the stall' });
      // Before, each of the two waited the shared count's timeout: at least 2 × 500 ms together.
      expect(Date.now() - started).toBeLessThan(2 * LIMITS_TIMEOUT_MS);
    } finally {
      redis().resume();
    }
    for (const content of ['first on A during the stall', 'first on B during the stall']) {
      await bobOnB.waitFor(content, () => bobOnB.contents(roomId).includes(content), 30_000);
    }
  });
});
