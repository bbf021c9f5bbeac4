/**
 * Sockets a user may open per window on a node. Each first socket and each last one closed is a
 * `presence` to everyone sharing a room with the user, a last-seen write and a `ready` read: one
 * account opening and closing a socket in a loop sent each of its peers hundreds of presence frames
 * a second. Past the limit a new socket is closed with 4429, as for too many sockets at once, which
 * clients already answer by waiting longer each time.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';
import { TestSocket } from './support/wsClient.ts';

for (const dialect of DIALECTS) {
  describe(`socket opens per user (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { socketOpenLimit: 4, socketOpenWindowMs: 60_000 } } });

    it('a user opening and closing sockets in a loop is refused with 4429 past the limit; their peers stop hearing presence; others still connect', async () => {
      const bob = await connectAs(server, 'cleaner1');
      const alice = await server.login('client1');
      const url = server.wsUrlFor(alice.user.id);
      for (let i = 0; i < 4; i++) {
        const { socket } = await TestSocket.connect(url, { token: alice.token });
        await bob.socket.next('presence', (f) => f.userId === alice.user.id && f.online);
        socket.close();
        await bob.socket.next('presence', (f) => f.userId === alice.user.id && !f.online);
      }
      const refused = await TestSocket.open(url, { token: alice.token });
      const outcome = await Promise.race([refused.closed.then(({ code }) => code), refused.next('ready').then(() => 'ready')]);
      expect(outcome).toBe(CloseCode.TOO_MANY_SOCKETS);
      expect(refused.all('ready')).toEqual([]);
      await bob.socket.sync();
      expect(bob.socket.all('presence').filter((f) => f.userId === alice.user.id)).toHaveLength(8);

      // Counted per user: Carol is not held back by Alice's loop.
      const carol = await connectAs(server, 'client2');
      expect(carol.ready.user.username).toBe('client2');
      for (const s of [bob.socket, carol.socket]) s.close();
    });
  });
}

describe('socket opens per user at the default limit', () => {
  const server = serverForSuite({ dialect: 'sqlite' });

  it('a user signing in again and again, as a test suite or a flaky network does, is never refused', async () => {
    // The limit is for loops of hundreds a second: 150 sockets in a row, each to `ready` and closed, all get in.
    const alice = await server.login('client1');
    const url = server.wsUrlFor(alice.user.id);
    for (let i = 0; i < 150; i++) {
      const { socket, ready } = await TestSocket.connect(url, { token: alice.token });
      expect(ready.user.username).toBe('client1');
      socket.close();
      await socket.closed;
    }
  });
});
