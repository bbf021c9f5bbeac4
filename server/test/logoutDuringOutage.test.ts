/**
 * A logout while Redis is down: the node that signs the user out cannot
 * tell the others (its `close_session` event is dropped), yet the session's
 * sockets on another node must close, not go on receiving the user's
 * messages for as long as the outage lasts.
 *
 * Two nodes in this process on a redis-server of this file's own (killed
 * during the test), sharing one database.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { privateRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';
import { TestSocket } from './support/wsClient.ts';

const redisAvailable = await privateRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`logout while Redis is down (${dialect}, two nodes)`, () => {
    // Keep-alive rounds every 200 ms, so the test needs no long wait.
    const nodes = twoNodes({ dialect, redis: 'private', config: { limits: { serverPingMs: 200 } } });

    it('closes the session’s sockets on the other node with 4401; other sessions’ sockets stay', async () => {
      const { a, b, busB, redis } = nodes;
      const carol = await connectAs(a, 'client2');
      const carolOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: carol.token });
      // Carol signed in on another device too: that session is not ended.
      const otherDevice = await b.login('client2');
      const otherOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: otherDevice.token });

      await redis.kill();
      await waitUntil('node B sees Redis gone', () => !busB.healthy());
      expect((await api(a, carol.token, 'POST', '/api/auth/logout')).status).toBe(200);

      expect((await carol.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
      expect((await carolOnB.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
      // Looked up in the same round (one keep-alive slice here), the other device's socket was kept: it still answers.
      await otherOnB.socket.sync();
      otherOnB.socket.close();
    });
  });
}
