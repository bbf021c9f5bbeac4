/**
 * A new room's system message is also sent as `message` (after its `room`),
 * but only to sockets that do not hold it yet: a tab whose `ready` already
 * listed the room with that message (it connected while the job was being
 * accepted) must not get it a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import type { RoomView, Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { api, connectAs } from './support/chat.ts';
import { createTestStore, type TestStore } from './support/databases.ts';
import { TestSocket } from './support/wsClient.ts';

describe("a new room's first message", () => {
  let created: TestStore;
  let server: TestServer;
  /** While set, room views (read to announce a room) wait until released, and say they were asked. */
  let hold: { asked: () => void; released: Promise<void> } | null = null;

  beforeAll(async () => {
    created = await createTestStore('sqlite');
    const getRoomViewFor = async (roomId: number, userId: number): Promise<RoomView | null> => {
      if (hold) {
        hold.asked();
        await hold.released;
      }
      return created.store.getRoomViewFor(roomId, userId);
    };
    server = await startTestServer({ store: Object.assign(Object.create(created.store) as Store, { getRoomViewFor }) });
  });
  afterAll(async () => {
    await server.close();
    await created.cleanup();
  });

  it('reaches a tab connected before the room, and not again a tab whose ready already had it', async () => {
    const carol = await connectAs(server, 'client2');
    const dan = await server.login('cleaner2');
    const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Oven clean' })).body.job as Job;

    let asked!: () => void;
    const announcing = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    hold = { asked, released: new Promise<void>((resolve) => (release = resolve)) };
    const accepting = api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
    await announcing; // the room and its system message are stored; the announcement is on its way
    const late = await TestSocket.connect(server.wsUrlFor(dan.user.id), { token: dan.token });
    const listed = late.ready.rooms.find((r) => r.job?.id === job.id);
    expect(listed?.lastMessage).toMatchObject({ seq: 1, type: 'system' });
    hold = null;
    release();
    expect((await accepting).status).toBe(200);

    const { message } = await carol.socket.next('message', (f) => f.message.roomId === listed?.id);
    expect(message).toMatchObject({ seq: 1, type: 'system' });
    await late.socket.sync();
    expect(late.socket.all('message').filter((f) => f.message.roomId === listed?.id)).toEqual([]);
    carol.socket.close();
    late.socket.close();
  });
});
