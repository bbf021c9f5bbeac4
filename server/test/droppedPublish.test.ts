/**
 * A node that lost Redis while the others kept it: what it stored and could
 * not publish meanwhile must still reach the other nodes' sockets once its
 * link is back (its own sockets resync then by themselves): a message (the
 * other nodes read what they missed from the database) and a logout.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix); node A reaches Redis through a TCP proxy the test cuts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { RedisBus } from '../src/fanout/redisBus.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from './cluster/support/redis.ts';
import { TcpProxy } from './cluster/support/tcpProxy.ts';
import { DIALECTS, createTestStore, type TestStore } from './support/databases.ts';
import { api, cid, connectAs } from './support/chat.ts';
import { TestSocket } from './support/wsClient.ts';

const redisAvailable = await sharedRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`what a node could not publish while its Redis link was cut (${dialect})`, () => {
    const prefix = randomPrefix();
    let db: TestStore;
    let link: TcpProxy;
    let busA: RedisBus;
    let busB: RedisBus;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      let viaLink: string;
      ({ link, url: viaLink } = await TcpProxy.toRedis(TEST_REDIS_URL));
      db = await createTestStore(dialect);
      busA = new RedisBus({ url: viaLink, prefix, logger: testLogger() });
      busB = new RedisBus({ url: TEST_REDIS_URL, prefix, logger: testLogger() });
      a = await startTestServer({ store: db.store, bus: busA });
      b = await startTestServer({ store: db.store, seed: false, bus: busB });
      await waitUntil('both buses healthy', () => busA.healthy() && busB.healthy());
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await busA?.close();
      await busB?.close();
      await link?.close();
      await db?.cleanup();
      await deletePrefix(TEST_REDIS_URL, prefix);
    });

    /** Cuts node A's link, runs `meanwhile`, restores the link and waits until A's bus is healthy again. */
    async function whileCut(meanwhile: () => Promise<void>): Promise<void> {
      link.cut();
      await waitUntil('node A sees its Redis link gone', () => !busA.healthy());
      await meanwhile();
      link.restore();
      await waitUntil('node A healthy again', () => busA.healthy(), 20_000);
    }

    it('a message stored meanwhile reaches the sockets on the other node once the link is back', async () => {
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const bob = await connectAs(b, 'cleaner1');
      const unreadBefore = bob.ready.rooms.find((r) => r.id === roomId)?.unread ?? -1;
      let first!: number;
      let second!: number;
      await whileCut(async () => {
        first = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'cut 1' })).message.seq;
        second = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'cut 2' })).message.seq;
      });
      expect((await bob.socket.next('message', (f) => f.message.seq === first)).message.content).toBe('cut 1');
      expect((await bob.socket.next('message', (f) => f.message.seq === second)).message.content).toBe('cut 2');
      await waitUntil('Bob counts both', () => bob.socket.all('unread').some((f) => f.roomId === roomId && f.unread === unreadBefore + 2));
      await bob.socket.sync();
      expect(bob.socket.all('message').map((f) => f.message.seq)).toEqual([first, second]);
      bob.socket.close();
      alice.socket.close();
    });

    it('a logout meanwhile closes the session’s sockets on the other node once the link is back', async () => {
      const carol = await a.login('client2');
      const carolOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: carol.token });
      await whileCut(async () => {
        expect((await api(a, carol.token, 'POST', '/api/auth/logout')).status).toBe(200);
      });
      expect((await carolOnB.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    });
  });
}
