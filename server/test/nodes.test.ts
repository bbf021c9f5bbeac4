/**
 * Two server nodes in one process sharing a database and an in-memory
 * broker: every event crosses nodes through the bus (topics per room and per user).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { MemoryBroker, MemoryBus, MemoryPresence } from '../src/fanout/memory.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { api, cid, connectAs } from './support/chat.ts';
import { TestSocket } from './support/wsClient.ts';

describe('two nodes', () => {
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    const broker = new MemoryBroker();
    const presence = new MemoryPresence();
    // A finished job's room closes at once.
    const config = { roomCloseGraceMs: 0 };
    a = await startTestServer({ bus: new MemoryBus(broker), presence, config });
    b = await startTestServer({ store: a.store, seed: false, bus: new MemoryBus(broker), presence: presence.sibling(), config });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('users on different nodes chat with unread, receipts, typing and presence on every tab', async () => {
    const roomId = a.demo!.roomId;
    const alice = await connectAs(a, 'client1');
    const bob = await connectAs(b, 'cleaner1');
    const bobOnA = await TestSocket.connect(a.wsUrlFor(bob.user.id), { token: bob.token });
    expect((await alice.socket.next('presence', (f) => f.userId === bob.user.id)).online).toBe(true);

    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'across nodes' });
    for (const s of [bob.socket, bobOnA.socket]) {
      await s.next('message', (f) => f.message.id === ack.message.id);
      await s.next('unread', (f) => f.roomId === roomId);
    }
    bob.socket.send({ type: 'read', roomId, seq: ack.message.seq });
    await bobOnA.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
    expect((await alice.socket.next('receipt', (f) => f.userId === bob.user.id)).lastReadSeq).toBe(ack.message.seq);

    bob.socket.send({ type: 'typing', roomId, isTyping: true });
    expect((await alice.socket.next('typing', (f) => f.userId === bob.user.id)).isTyping).toBe(true);

    const edited = await alice.socket.expect('message_updated', { type: 'edit', messageId: ack.message.id, content: 'edited across' });
    await bob.socket.next('message_updated', (f) => f.message.id === edited.message.id && f.message.content === 'edited across');

    bob.socket.close();
    bobOnA.socket.close();
    expect((await alice.socket.next('presence', (f) => f.userId === bob.user.id && !f.online)).online).toBe(false);
    alice.socket.close();
  });

  it('a job accepted on one node shows its room on the other at once; logout closes sockets on every node', async () => {
    const carol = await connectAs(a, 'client2');
    const dan = await connectAs(b, 'cleaner2');
    const job = (await api(a, carol.token, 'POST', '/api/jobs', { title: 'Balcony' })).body.job as { id: number };
    await api(b, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
    const room = (await carol.socket.next('room', (f) => f.room.job?.id === job.id)).room;
    const ack = await dan.socket.expect('ack', { type: 'send', roomId: room.id, clientId: cid(), content: 'hello from b' });
    await carol.socket.next('message', (f) => f.message.id === ack.message.id);

    const carolOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: carol.token });
    await api(a, carol.token, 'POST', '/api/auth/logout');
    expect((await carol.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    expect((await carolOnB.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    dan.socket.close();
  });

  it('a room closed on one node is closed on the other for its participants, even if the other once looked it up unheard', async () => {
    const carol = await b.login('client2');
    const dan = await b.login('cleaner2');
    const job = (await api(a, carol.token, 'POST', '/api/jobs', { title: 'Garage' })).body.job as { id: number };
    const accepted = (await api(a, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).body.job as { roomId: number };
    const roomId = accepted.roomId;
    // Node B has no socket of Carol or Dan, so it does not hear the room; a stranger's frame makes it look the room up.
    const bob = await connectAs(b, 'cleaner1');
    expect(await bob.socket.expectError({ type: 'history', roomId })).toBe('FORBIDDEN');
    const carolOnA = await connectAs(a, 'client2');
    const mine = await carolOnA.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'see you' });
    carolOnA.socket.close();
    await api(a, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' });
    const carolOnB = await TestSocket.connect(b.wsUrlFor(carol.user.id), { token: carol.token });
    expect(carolOnB.ready.rooms.find((r) => r.id === roomId)?.isActive).toBe(false);
    expect(await carolOnB.socket.expectError({ type: 'typing', roomId, isTyping: true })).toBe('ROOM_CLOSED');
    expect(await carolOnB.socket.expectError({ type: 'edit', messageId: mine.message.id, content: 'edited' })).toBe('ROOM_CLOSED');
    bob.socket.close();
    carolOnB.socket.close();
  });
});
