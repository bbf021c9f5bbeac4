/**
 * A socket whose `ready` never came (its room list read hung: a database
 * connection gone silent in a failover can take a quarter of an hour to fail)
 * and that the client gave up on holds nothing once it is closed. The node
 * keeps every new message while some socket loads its `ready`, to replay what
 * fell between the snapshot and the subscription; a load abandoned that way
 * kept every message of the node for as long as the read hung. And two
 * loads at once are two: the one done first does not end the other's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomList, Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { cid, connectAs } from './support/chat.ts';
import { createTestStore, type TestStore } from './support/databases.ts';
import { TestSocket } from './support/wsClient.ts';
import { waitUntil } from './cluster/support/redis.ts';

describe('sockets whose ready is slow', () => {
  let created: TestStore;
  let server: TestServer;
  /** While set, the next room list read answers only when released (and says it was asked). */
  let hang: { asked: () => void; released: Promise<void> } | null = null;

  beforeAll(async () => {
    created = await createTestStore('sqlite');
    const listRoomsFor = async (userId: number): Promise<RoomList> => {
      const held = hang;
      hang = null;
      const list = await created.store.listRoomsFor(userId);
      if (held) {
        held.asked();
        await held.released;
      }
      return list;
    };
    server = await startTestServer({ store: Object.assign(Object.create(created.store) as Store, { listRoomsFor }) });
  });
  afterAll(async () => {
    await server.close();
    await created.cleanup();
  });

  it('leaves no message held for it while the others chat on', async () => {
    const roomId = server.demo!.roomId;
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const { hub } = server.server.services;

    let asked!: () => void;
    const loading = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    hang = { asked, released: new Promise<void>((resolve) => (release = resolve)) };
    const stuck = await TestSocket.open(server.wsUrlFor(alice.user.id), { token: alice.token });
    await loading;
    // The client waits 10 s for `ready`, then gives up on the socket.
    stuck.close();
    await stuck.closed;
    await waitUntil('the node dropped the abandoned socket', () => server.server.socketCount() === 2);

    for (let i = 0; i < 20; i++) await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: `msg ${i}` });
    await alice.socket.sync();
    expect(alice.socket.all('message')).toHaveLength(20);
    expect(hub.heldForLoads).toBe(0);

    release();
    alice.socket.close();
    bob.socket.close();
  });

  it('a message stored after the slower one read its rooms still reaches it when the faster one is done first', async () => {
    const roomId = server.demo!.roomId;
    // Bob's only socket will be the slow one: one already in his rooms would be sent the message directly.
    await waitUntil('the previous sockets are gone', () => server.server.socketCount() === 0);
    const alice = await connectAs(server, 'client1');
    const bob = await server.login('cleaner1');

    let asked!: () => void;
    const loading = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    hang = { asked, released: new Promise<void>((resolve) => (release = resolve)) };
    const slow = await TestSocket.open(server.wsUrlFor(bob.user.id), { token: bob.token });
    await loading; // bob's rooms are read; his socket is not in them yet
    // Another user's socket loads and gets its ready meanwhile (a reconnect storm, two tabs opening).
    const other = await connectAs(server, 'support1');

    const sent = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Are you on your way?' });
    release();
    const ready = await slow.next('ready');
    expect(ready.rooms.find((r) => r.id === roomId)?.lastSeq).toBeLessThan(sent.message.seq);
    await slow.sync();
    expect(slow.all('message').map((f) => f.message.seq)).toContain(sent.message.seq);
    for (const s of [alice.socket, slow, other.socket]) s.close();
  });
});
