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
});
