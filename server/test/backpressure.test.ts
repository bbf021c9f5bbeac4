/**
 * A socket that stops reading is closed with 1013 instead of growing server memory; one that asks
 * more than it reads is made to wait (its socket is not read) instead.
 */
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

describe('clients that ask faster than they read', () => {
  const server = serverForSuite({ config: { limits: { sendRateLimit: 100_000 } } });

  it('answers wait for the client to read them (its socket is not read meanwhile): not closed, nothing refused', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const content = 'x'.repeat(3900);
    await Promise.all(Array.from({ length: 100 }, () => alice.socket.expect('ack', { type: 'send', roomId, clientId: cid('big'), content })));
    const raw = (alice.socket.ws as unknown as { _socket: Socket })._socket;
    raw.pause();
    // Pages of about 400 KB each, some 24 MB in all, asked for while the client reads nothing.
    const pages = Promise.all(Array.from({ length: 60 }, () => alice.socket.request('history', { type: 'history', roomId, limit: 100 })));
    // Time for the server to run ahead, if it would, past the kernel's buffers and its 1 MiB bound.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    raw.resume();
    const outcome = await Promise.race([pages, alice.socket.closed.then(({ code }) => `closed with ${code}`)]);
    if (typeof outcome === 'string') throw new Error(`the socket was ${outcome}`);
    expect(outcome.map((a) => (a.type === 'history' ? a.messages.length : a.code))).toEqual(Array(60).fill(100));
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'still open' });
    expect(ack.message.content).toBe('still open');
    alice.socket.close();
  });
});
