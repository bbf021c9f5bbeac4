/**
 * A node's Redis links that go silent — TCP connections alive, nothing
 * forwarded any more (a NAT that dropped the flow) — while Redis itself and
 * the other node are fine. Nothing fails on the quiet subscriber link, so
 * without a check of its own the node would never hear the room again. It
 * must find the silent links within seconds, connect afresh, and have its
 * sockets resync (1013); after that it delivers live again.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix); node A reaches Redis through a TCP proxy the test
 * freezes, and checks its links every 200 ms.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { cid, connectAs } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';
import { TestSocket } from './support/wsClient.ts';

const redisAvailable = await sharedRedisGate();

describe.runIf(redisAvailable)('a node whose Redis links went silent', () => {
  const nodes = twoNodes({ linkA: true, busA: { linkCheck: { everyMs: 200, timeoutMs: 500 } } });

  it('replaces them, has its sockets resync, and delivers the other node’s messages again', async () => {
    const { a, b, busA, link } = nodes;
    const roomId = a.demo!.roomId;
    const bob = await connectAs(a, 'cleaner1');
    const alice = await connectAs(b, 'client1');

    link.freeze();
    // Written while A hears nothing: Bob gets it by resyncing.
    const during = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'while silent' });
    expect((await bob.socket.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);

    await waitUntil('node A healthy again', () => busA.healthy());
    const { socket: bobAgain, ready } = await TestSocket.connect(a.wsUrlFor(bob.user.id), { token: bob.token });
    expect(ready.rooms.find((r) => r.id === roomId)?.lastSeq).toBeGreaterThanOrEqual(during.message.seq);
    const after = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'after' });
    expect((await bobAgain.next('message', (f) => f.message.seq === after.message.seq)).message.content).toBe('after');
    bobAgain.close();
    alice.socket.close();
  });
});
