/**
 * On one node, an unread count read before a later one can still arrive
 * after it: a send batch's counts (slow here on purpose) against the
 * reader's own `read`, and against a tab that connected in between. What a
 * tab shows last must be the later numbers (protocol §5; docs/protocol.md §5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { api, cid, connectAs, openTab } from './support/chat.ts';
import { createTestStore, DIALECTS, type TestStore } from './support/databases.ts';
import type { TestSocket } from './support/wsClient.ts';

for (const dialect of DIALECTS) {
  describe(`unread counts arriving out of order (${dialect})`, () => {
    let created: TestStore;
    let server: TestServer;
    /** While set, `unreadFor` answers only once it resolves (the counts themselves are read at once). */
    let hold: Promise<void> | null = null;
    /** The same for the rooms read for `room` frames; counts the reads it held. */
    let holdRooms: Promise<void> | null = null;
    let heldRoomReads = 0;

    beforeAll(async () => {
      created = await createTestStore(dialect);
      const unreadFor: Store['unreadFor'] = async (pairs) => {
        const waitFor = hold;
        const counts = await created.store.unreadFor(pairs);
        if (waitFor) await waitFor;
        return counts;
      };
      const getRoomViewFor: Store['getRoomViewFor'] = async (roomId, userId) => {
        const waitFor = holdRooms;
        const view = await created.store.getRoomViewFor(roomId, userId);
        if (waitFor) {
          heldRoomReads += 1;
          await waitFor;
        }
        return view;
      };
      const store = Object.assign(Object.create(created.store) as Store, { unreadFor, getRoomViewFor });
      server = await startTestServer({ dialect, store });
    });
    afterAll(async () => {
      await server.close();
      await created.cleanup();
    });

    it('keeps the later count when a message’s count arrives after the reader read it, and after a new tab’s ready', async () => {
      const roomId = server.demo!.roomId;
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const lastSeq = alice.ready.rooms.find((r) => r.id === roomId)?.lastSeq ?? -1;

      let release = () => {};
      hold = new Promise((resolve) => (release = resolve));
      bob.socket.send({ type: 'send', roomId, clientId: cid(), content: 'counted before the read' });
      await expect.poll(async () => (await created.store.getRoomViewFor(roomId, alice.user.id))?.room.lastSeq).toBe(lastSeq + 1);
      hold = null;

      // Alice reads the stored message before its count (1 unread) reaches her.
      const cleared = alice.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
      alice.socket.send({ type: 'read', roomId, seq: lastSeq + 1 });
      await cleared;
      const tab2 = await openTab(server, alice);
      expect(tab2.ready.rooms.find((r) => r.id === roomId)?.unread).toBe(0);
      const truth = tab2.ready.totalUnread;

      release();
      await alice.socket.next('message', (f) => f.message.seq === lastSeq + 1);
      await Promise.all([alice.socket.sync(), tab2.socket.sync()]);
      const lastCount = (socket: TestSocket) => socket.all('unread').filter((f) => f.roomId === roomId).at(-1);
      expect(lastCount(alice.socket)).toMatchObject({ unread: 0, totalUnread: truth });
      // The new tab's ready was read after the count: nothing older follows it.
      expect(lastCount(tab2.socket)).toBeUndefined();
      for (const s of [alice.socket, bob.socket, tab2.socket]) s.close();
    });

    it('keeps the later count when a `room` frame read before the reader’s read arrives after it', async () => {
      const roomId = server.demo!.roomId;
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const jobId = server.demo!.assignedJobId;

      let release = () => {};
      holdRooms = new Promise((resolve) => (release = resolve));
      // The job moves on: a system message (its count reaches Alice), then a `room` frame per participant, held here.
      const status = api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'in_progress' });
      const system = await alice.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'system');
      await alice.socket.next('unread', (f) => f.roomId === roomId && f.unread > 0);
      await expect.poll(() => heldRoomReads).toBe(2); // read for Alice and for Bob, both held
      holdRooms = null;

      // Alice reads everything before the room frame (counted with the system message unread) reaches her.
      const cleared = alice.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
      alice.socket.send({ type: 'read', roomId, seq: system.message.seq });
      await cleared;
      // A tab opened now is told the room as it is after the read.
      const tab2 = await openTab(server, alice);
      expect(tab2.ready.rooms.find((r) => r.id === roomId)).toMatchObject({ unread: 0, job: { status: 'in_progress' } });
      release();
      expect((await status).status).toBe(200);
      const frame = await alice.socket.next('room', (f) => f.room.id === roomId);
      expect(frame.room.job?.status).toBe('in_progress');
      expect(frame.room.unread).toBe(0);
      // The held frame is older than the new tab's ready: it would only take the count back.
      await tab2.socket.sync();
      expect(tab2.socket.all('room').filter((f) => f.room.id === roomId)).toEqual([]);
      for (const s of [alice.socket, bob.socket, tab2.socket]) s.close();
    });
  });
}
