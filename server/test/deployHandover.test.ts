/**
 * A node shut down for a deploy: its users reconnect to another node, and
 * the people they chat with must not see them flicker offline and online.
 * Those who do not come back are announced offline once, after the node's
 * presence heartbeat expires. Two in-process nodes share a database and an
 * in-memory broker; presence is the real Redis one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { MemoryBroker, MemoryBus } from '../src/fanout/memory.ts';
import { RedisPresence } from '../src/fanout/redisPresence.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from './cluster/support/redis.ts';
import { api, connectAs, openTab } from './support/chat.ts';

const redisAvailable = await sharedRedisGate();

describe.skipIf(!redisAvailable)('a node shut down for a deploy', { timeout: 60_000 }, () => {
  const prefix = randomPrefix();
  // Short heartbeats so the leaving node's entries expire within seconds.
  const tracker = () => new RedisPresence({ url: TEST_REDIS_URL, prefix, logger: testLogger(), heartbeatMs: 250, ttlMs: 2000, sweepMs: 250 });
  const trackers = [tracker(), tracker()];
  let staying: TestServer;
  let leaving: TestServer;

  beforeAll(async () => {
    const broker = new MemoryBroker();
    staying = await startTestServer({ bus: new MemoryBus(broker), presence: trackers[0] });
    leaving = await startTestServer({ store: staying.store, seed: false, bus: new MemoryBus(broker), presence: trackers[1] });
  });
  afterAll(async () => {
    await leaving?.close();
    await staying?.close();
    await Promise.all(trackers.map((t) => t.close()));
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('moves its users without an offline flicker and announces only those who do not return', async () => {
    const alice = await connectAs(staying, 'client1');
    // Alice shares the job room with Bob and a support room with Sam; both are on the leaving node.
    await api(staying, alice.token, 'POST', '/api/support');
    const bob = await connectAs(leaving, 'cleaner1');
    const sam = await connectAs(leaving, 'support1');
    const presenceOf = (userId: number) => alice.socket.all('presence').filter((p) => p.userId === userId);
    await waitUntil('Bob and Sam online for Alice', () => presenceOf(bob.user.id).length > 0 && presenceOf(sam.user.id).length > 0);
    expect(presenceOf(bob.user.id).map((p) => p.online)).toEqual([true]);

    await leaving.server.close();
    expect((await bob.socket.closed).code).toBe(CloseCode.GOING_AWAY);
    // Bob's app reconnects, to the node that stays; Sam's never does.
    const bobAgain = await openTab(staying, bob);
    expect(bobAgain.ready.user.id).toBe(bob.user.id);

    await waitUntil('Sam announced offline', () => presenceOf(sam.user.id).some((p) => !p.online), 15_000);
    // A few more sweeps: nothing else may arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(presenceOf(sam.user.id).map((p) => p.online)).toEqual([true, false]);
    expect(presenceOf(bob.user.id).map((p) => p.online)).toEqual([true]);
    expect(await trackers[0]!.onlineAmong([bob.user.id, sam.user.id])).toEqual(new Set([bob.user.id]));
    alice.socket.close();
    bobAgain.socket.close();
  });
});
