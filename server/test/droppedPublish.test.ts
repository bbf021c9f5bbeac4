/**
 * A node that lost Redis while the others kept it: what it stored and could
 * not publish meanwhile must still reach the other nodes' sockets once its
 * link is back (its own sockets resync then by themselves): a message (the
 * other nodes read what they missed from the database) and a logout.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix); node A reaches Redis through a TCP proxy the test cuts.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';
import { TestSocket } from './support/wsClient.ts';

const redisAvailable = await sharedRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`what a node could not publish while its Redis link was cut (${dialect})`, () => {
    const nodes = twoNodes({ dialect, linkA: true });

    it('a message stored meanwhile reaches the sockets on the other node once the link is back', async () => {
      const { a, b } = nodes;
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const bob = await connectAs(b, 'cleaner1');
      const unreadBefore = bob.ready.rooms.find((r) => r.id === roomId)?.unread ?? -1;
      let first!: number;
      let second!: number;
      await nodes.whileCut(async () => {
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
      const { a, b } = nodes;
      const carol = await a.login('client2');
      const carolOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: carol.token });
      await nodes.whileCut(async () => {
        expect((await api(a, carol.token, 'POST', '/api/auth/logout')).status).toBe(200);
      });
      expect((await carolOnB.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    });
  });
}
