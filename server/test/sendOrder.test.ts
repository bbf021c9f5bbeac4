/**
 * A socket's sends to a room are stored in the order sent, also when one of
 * them fails: the client retries the failed one (same clientId), and a send
 * it wrote after that one must not be stored before the retry. Sends reach
 * the group commit without waiting for their acks, so the next one may be
 * queued behind the failing batch, or on its way before the client heard
 * of the failure; both are refused the same way, and the client's retries,
 * in its own order, are stored in order.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../src/storage/store.ts';
import { startTestServer } from '../src/testing.ts';
import { DIALECTS, createTestStore } from './support/databases.ts';
import { cid } from './support/chat.ts';
import { TestSocket } from './support/wsClient.ts';

/** A store whose next batch of sends is held, then fails (a database that went away mid-commit). */
function failingOnce(store: Store) {
  let next: { entered: () => void; released: Promise<void> } | null = null;
  const appendMessages: Store['appendMessages'] = async (batch) => {
    const failing = next;
    if (!failing) return store.appendMessages(batch);
    next = null;
    failing.entered();
    await failing.released;
    throw new Error('Connection terminated unexpectedly');
  };
  return {
    store: Object.assign(Object.create(store) as Store, { appendMessages }),
    /** `entered` once the next batch is being stored; `fail` makes it fail. */
    failNext() {
      let entered!: () => void;
      let fail!: () => void;
      const wasEntered = new Promise<void>((resolve) => (entered = resolve));
      next = { entered, released: new Promise<void>((resolve) => (fail = resolve)) };
      return { entered: wasEntered, fail };
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`a failed send and the sends after it (${dialect})`, () => {
    async function setup() {
      const db = await createTestStore(dialect);
      const failing = failingOnce(db.store);
      const server = await startTestServer({ store: failing.store });
      const alice = await server.login('client1');
      const roomId = server.demo!.roomId;
      return { db, failing, server, alice, roomId, close: async () => (await server.close(), await db.cleanup()) };
    }

    const send = (socket: TestSocket, roomId: number, clientId: string, content: string) =>
      socket.request('ack', { type: 'send', roomId, clientId, content });

    it('a send queued behind the failed batch is refused too; both retried in order are stored in order', async () => {
      const { failing, server, alice, roomId, close } = await setup();
      try {
        const { socket } = await TestSocket.connect(server.wsUrlFor(alice.user.id), { token: alice.token });
        const [first, second] = [cid('first'), cid('second')];
        const batch = failing.failNext();
        const firstAnswer = send(socket, roomId, first, 'one');
        await batch.entered;
        const secondAnswer = send(socket, roomId, second, 'two');
        // The second send is handled (queued for the room) before the first batch fails.
        await socket.sync();
        batch.fail();
        expect(await firstAnswer).toMatchObject({ type: 'error', code: 'INTERNAL' });
        expect(await secondAnswer).toMatchObject({ type: 'error', code: 'INTERNAL' });

        // The client retries in the order written.
        const one = await send(socket, roomId, first, 'one');
        const two = await send(socket, roomId, second, 'two');
        if (one.type !== 'ack' || two.type !== 'ack') throw new Error(`retries not acked: ${JSON.stringify([one, two])}`);
        expect(two.message.seq).toBe(one.message.seq + 1);
        socket.close();
      } finally {
        await close();
      }
    });

    it('a send the client wrote before it heard of the failure is refused; from its pong on, sends pass', async () => {
      const { failing, server, alice, roomId, close } = await setup();
      try {
        // A client whose answer to the server's ping the test sends itself, when it has "heard" of the failure.
        const socket = await TestSocket.open(server.wsUrlFor(alice.user.id), { token: alice.token }, { autoPong: false });
        await socket.next('ready');
        const pings: Buffer[] = [];
        socket.ws.on('ping', (data) => pings.push(data));
        const [first, second, third] = [cid('first'), cid('second'), cid('third')];
        const batch = failing.failNext();
        const firstAnswer = send(socket, roomId, first, 'one');
        await batch.entered;
        batch.fail();
        expect(await firstAnswer).toMatchObject({ type: 'error', code: 'INTERNAL' });
        // Sent before the client could know (it has not answered the ping yet): refused, not stored before `one`.
        expect(await send(socket, roomId, second, 'two')).toMatchObject({ type: 'error', code: 'INTERNAL' });

        for (const ping of pings) socket.ws.pong(ping);
        const one = await send(socket, roomId, first, 'one');
        const two = await send(socket, roomId, second, 'two');
        const three = await send(socket, roomId, third, 'three');
        if (one.type !== 'ack' || two.type !== 'ack' || three.type !== 'ack') throw new Error(`not acked: ${JSON.stringify([one, two, three])}`);
        expect([two.message.seq, three.message.seq]).toEqual([one.message.seq + 1, one.message.seq + 2]);
        socket.close();
      } finally {
        await close();
      }
    });
  });
}
