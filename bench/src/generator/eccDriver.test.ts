/**
 * The generator's raw-ws driver against a real server: what it sends is
 * the contract's (a `read` moves the reader's mark, seen by the sender as a
 * receipt), so `--reads` measures real read marks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ecc/server/testing';
import type { Connection, ConnectionEvents, Delivered } from './driver.ts';
import { connectEcc } from './eccDriver.ts';

describe('connectEcc', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('sends a message that the partner receives and marks read', async () => {
    const [client, cleaner] = [await server.login('client1'), await server.login('cleaner1')];
    const [room] = (await server.store.listRoomsFor(client.user.id)).rooms.filter((r) => r.participants.some((p) => p.id === cleaner.user.id));
    if (!room) throw new Error('the demo data has no room of client1 and cleaner1');
    const received: Delivered[] = [];
    const acked: string[] = [];
    const events = (): ConnectionEvents => ({
      message: (_recipientId, message) => received.push(message),
      ack: (_senderId, clientId) => acked.push(clientId),
      sendError: (_senderId, _ref, code) => {
        throw new Error(`error frame ${code}`);
      },
      closed: () => undefined,
    });
    const connect = (session: typeof client): Promise<Connection> =>
      connectEcc({ id: session.user.id, username: session.user.username, token: session.token }, server.url, events());
    const [sender, reader] = [await connect(client), await connect(cleaner)];
    try {
      sender.send(room.id, 'bench-read-1', `${Date.now()}|the keys are with the neighbour`);
      await expect.poll(() => received.length).toBe(1);
      const delivered = received[0]!;
      reader.read?.(delivered.roomId, delivered.seq);
      await expect
        .poll(async () => (await server.store.getRoomViewFor(room.id, client.user.id))?.room.participants.find((p) => p.id === cleaner.user.id)?.lastReadSeq)
        .toBe(delivered.seq);
      expect(acked).toEqual(['bench-read-1']);
    } finally {
      sender.close();
      reader.close();
    }
  });

  it('catches up after a reconnect: ready gives the room lastSeq, history {afterSeq} the messages missed', async () => {
    const [client, cleaner] = [await server.login('client1'), await server.login('cleaner1')];
    const [room] = (await server.store.listRoomsFor(client.user.id)).rooms.filter((r) => r.participants.some((p) => p.id === cleaner.user.id));
    if (!room) throw new Error('the demo data has no room of client1 and cleaner1');
    const quiet: ConnectionEvents = { message: () => undefined, ack: () => undefined, sendError: () => undefined, closed: () => undefined };
    const acked: string[] = [];
    const sender = await connectEcc({ id: client.user.id, username: client.user.username, token: client.token }, server.url, { ...quiet, ack: (_id, clientId) => acked.push(clientId) });
    const before = (await server.store.getRoomViewFor(room.id, cleaner.user.id))?.room.lastSeq ?? 0;
    // The cleaner is offline while two messages are sent.
    sender.send(room.id, 'bench-gap-1', '1|first');
    sender.send(room.id, 'bench-gap-2', '2|second');
    await expect.poll(() => acked.length).toBe(2);
    const reader = await connectEcc({ id: cleaner.user.id, username: cleaner.user.username, token: cleaner.token }, server.url, quiet);
    try {
      expect(reader.readyLastSeq?.get(room.id)).toBe(before + 2);
      const page = await reader.historyAfter?.(room.id, before, 100);
      expect(page?.messages.map((m) => [m.seq, m.clientId])).toEqual([
        [before + 1, 'bench-gap-1'],
        [before + 2, 'bench-gap-2'],
      ]);
      expect(page?.hasMore).toBe(false);
      // The history scenario's page (before a seq, messages unread) still answers.
      await expect(reader.history(room.id, before + 3, 10)).resolves.toBeUndefined();
    } finally {
      sender.close();
      reader.close();
    }
  });
});
