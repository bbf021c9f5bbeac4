/** A socket that stops reading is closed with 1013 instead of growing server memory. */
import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { CloseCode } from '@ecc/protocol';
import { cid, connectAs, serverForSuite } from './support/chat.ts';

describe('slow consumers', () => {
  const server = serverForSuite({ config: { limits: { sendRateLimit: 100_000, maxBufferedBytes: 256 * 1024 } } });

  it('closes a socket whose send buffer passes the bound with 1013; others keep receiving', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    // Bob's tab stops reading: the kernel buffers fill, then the server's.
    const raw = (bob.socket.ws as unknown as { _socket: Socket })._socket;
    raw.pause();
    const content = 'x'.repeat(3900);
    let sent = 0;
    while (server.server.socketCount() > 1 && sent < 20_000) {
      const batch = Array.from({ length: 50 }, () => alice.socket.expect('ack', { type: 'send', roomId, clientId: cid('slow'), content }));
      await Promise.all(batch);
      sent += 50;
    }
    expect(server.server.socketCount()).toBe(1);
    raw.resume();
    expect((await bob.socket.closed).code).toBe(CloseCode.TRY_AGAIN_LATER);
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'still fine' });
    expect(ack.message.content).toBe('still fine');
    alice.socket.close();
  });
});
