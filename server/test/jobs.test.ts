/** Jobs and support rooms over HTTP, and the room events they produce on the sockets. */
import { describe, expect, it } from 'vitest';
import type { Job, Room } from '@ecc/protocol';
import { startTestServer } from '../src/testing.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, serverForSuite } from './support/chat.ts';

for (const dialect of DIALECTS) {
  describe(`jobs and support (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    it('clients post jobs, others may not; cleaners see open jobs', async () => {
      const carol = await server.login('client2');
      const bob = await server.login('cleaner1');
      const created = await api(server, carol.token, 'POST', '/api/jobs', { title: 'Spring clean', address: '1 High St' });
      expect(created.status).toBe(200);
      const job = created.body.job as Job;
      expect(job).toMatchObject({ title: 'Spring clean', status: 'open' });
      expect((await api(server, bob.token, 'POST', '/api/jobs', { title: 'Not allowed' })).status).toBe(403);
      expect((await api(server, carol.token, 'POST', '/api/jobs', { title: '' })).status).toBe(400);
      const seen = (await api(server, bob.token, 'GET', '/api/jobs')).body.jobs as Job[];
      expect(seen.some((j) => j.id === job.id)).toBe(true);
      const dan = await server.login('cleaner2');
      expect(((await api(server, dan.token, 'GET', '/api/jobs')).body.jobs as Job[]).some((j) => j.id === server.demo!.assignedJobId)).toBe(false);
    });

    it('a job posted with its optional fields as null (as a job comes back: address and scheduledAt null) is posted without them', async () => {
      const carol = await server.login('client2');
      const posted = await api(server, carol.token, 'POST', '/api/jobs', { title: 'Windows', description: null, address: null, scheduledAt: null });
      expect(posted.status).toBe(200);
      const job = posted.body.job as Job;
      expect(job).toMatchObject({ title: 'Windows', status: 'open', description: '', address: null, scheduledAt: null });
      const listed = ((await api(server, carol.token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === job.id);
      expect(listed).toMatchObject({ title: 'Windows', address: null });
      const untitled = await api(server, carol.token, 'POST', '/api/jobs', { title: null });
      expect(untitled.status).toBe(400);
      expect(untitled.body.error?.code).toBe('BAD_REQUEST');
    });

    it('a job\'s address is for its client, the cleaner who takes it and support: cleaners browsing open jobs do not see it', async () => {
      const carol = await server.login('client2');
      const bob = await server.login('cleaner1');
      const dan = await server.login('cleaner2');
      const sam = await server.login('support1');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Keys under the mat', address: '7 Secret Lane' })).body.job as Job;
      const seenBy = async (token: string) => ((await api(server, token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === job.id);
      expect((await seenBy(bob.token))?.title).toBe('Keys under the mat');
      expect(await seenBy(bob.token)).not.toHaveProperty('address');
      expect((await seenBy(bob.token))?.addressOnAccept).toBe(true);
      expect(await seenBy(dan.token)).not.toHaveProperty('address');
      expect((await seenBy(carol.token))?.address).toBe('7 Secret Lane');
      expect((await seenBy(sam.token))?.address).toBe('7 Secret Lane');
      const accepted = (await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).body.job as Job;
      expect(accepted.address).toBe('7 Secret Lane');
      expect((await seenBy(dan.token))?.address).toBe('7 Secret Lane');
      expect(await seenBy(bob.token)).toBeUndefined();
    });

    it('accept creates the room, both participants get a room event at once; a second accept is 409', async () => {
      const carol = await connectAs(server, 'client2');
      const dan = await connectAs(server, 'cleaner2');
      const bob = await server.login('cleaner1');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Carpet wash' })).body.job as Job;
      expect((await api(server, carol.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(403);
      const accepted = await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
      expect(accepted.status).toBe(200);
      expect((accepted.body.job as Job).status).toBe('assigned');
      const carolRoom = (await carol.socket.next('room', (f) => f.room.job?.id === job.id)).room;
      const danRoom = (await dan.socket.next('room', (f) => f.room.job?.id === job.id)).room;
      expect(carolRoom.id).toBe(danRoom.id);
      expect(carolRoom.participants.map((p) => p.username).sort()).toEqual(['cleaner2', 'client2']);
      expect(carolRoom.lastMessage?.type).toBe('system');
      expect(carolRoom.unread).toBe(1);
      expect(carolRoom.isActive).toBe(true);
      // The system message is a new message of the room (contract: `message` to every participant), after the `room`.
      for (const { socket } of [carol, dan]) {
        const { message } = await socket.next('message', (f) => f.message.roomId === carolRoom.id);
        expect(message).toMatchObject({ id: carolRoom.lastMessage?.id, seq: 1, type: 'system', content: 'Dan Cleaner accepted the job' });
        const roomAt = socket.frames.findIndex((f) => f.type === 'room' && f.room.id === carolRoom.id);
        expect(roomAt).toBeGreaterThanOrEqual(0);
        expect(roomAt).toBeLessThan(socket.frames.findIndex((f) => f.type === 'message' && f.message.roomId === carolRoom.id));
      }
      // The badge counts the new room's system message too.
      const carolTotal = carol.ready.totalUnread;
      expect(await carol.socket.next('unread', (f) => f.roomId === carolRoom.id)).toMatchObject({ unread: 1, totalUnread: carolTotal + 1 });
      expect((await api(server, bob.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(409);
      expect((await api(server, bob.token, 'POST', '/api/jobs/999999/accept')).status).toBe(404);
      // The new room works at once, both ways.
      const ack = await dan.socket.expect('ack', { type: 'send', roomId: danRoom.id, clientId: cid(), content: 'Hi Carol!' });
      await carol.socket.next('message', (f) => f.message.id === ack.message.id);
      carol.socket.close();
      dan.socket.close();
    });

    it('status changes: valid transitions only, by the job’s people, with a system message and room event', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const dan = await server.login('cleaner2');
      const jobId = server.demo!.assignedJobId;
      const roomId = server.demo!.roomId;
      expect((await api(server, dan.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'in_progress' })).status).toBe(403);
      expect((await api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'completed' })).status).toBe(409);
      expect((await api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'bogus' })).status).toBe(400);
      const moved = await api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'in_progress' });
      expect(moved.status).toBe(200);
      expect((moved.body.job as Job).status).toBe('in_progress');
      const sys = await alice.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'system');
      expect(sys.message.content).toBe('Status changed to In progress by Bob Cleaner');
      expect(sys.message.sender).toBeNull();
      const unread = await alice.socket.next('unread', (f) => f.roomId === roomId);
      expect(unread.unread).toBeGreaterThanOrEqual(1);
      // The actor gets the system message as unread too: system messages count.
      await bob.socket.next('message', (f) => f.message.id === sys.message.id);
      const room: Room = (await alice.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'in_progress')).room;
      expect(room.isActive).toBe(true);
      await bob.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'in_progress');
      alice.socket.close();
      bob.socket.close();
    });

    it('a status change sends each socket of each participant the room’s `unread` once, with its system message', async () => {
      const carol = await connectAs(server, 'client2');
      const dan = await connectAs(server, 'cleaner2');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Oven clean' })).body.job as Job;
      await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
      const roomId = (await carol.socket.next('room', (f) => f.room.job?.id === job.id)).room.id;
      await dan.socket.next('room', (f) => f.room.id === roomId);
      await Promise.all([carol.socket.sync(), dan.socket.sync()]);
      const countsOf = (tab: typeof carol) => tab.socket.all('unread').filter((f) => f.roomId === roomId);
      const before = { carol: countsOf(carol).length, dan: countsOf(dan).length };

      // The answer comes after the message and the room event went out; each socket's ping after them.
      expect((await api(server, dan.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'in_progress' })).status).toBe(200);
      await Promise.all([carol.socket.sync(), dan.socket.sync()]);
      for (const [tab, name] of [[carol, 'carol'], [dan, 'dan']] as const) {
        expect(tab.socket.all('room').at(-1)?.room.job?.status).toBe('in_progress');
        const counts = countsOf(tab).slice(before[name]);
        expect(counts).toHaveLength(1);
        // The actor too: system messages count.
        expect(counts[0]?.unread).toBe(2);
      }
      carol.socket.close();
      dan.socket.close();
    });

    it('a completed job’s room closes after the grace period (sweeper) with a room event', async () => {
      const graceful = await startTestServer({ dialect, config: { roomCloseGraceMs: 50 } });
      try {
        const alice = await connectAs(graceful, 'client1');
        const jobId = graceful.demo!.assignedJobId;
        const roomId = graceful.demo!.roomId;
        await api(graceful, alice.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'in_progress' });
        await api(graceful, alice.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'completed' });
        const done = await alice.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'completed');
        expect(done.room.isActive).toBe(true);
        expect(done.room.closesAt).toEqual(expect.any(String));
        await alice.socket.sync();
        const before = alice.socket.all('unread').at(-1);
        if (!before || before.unread === 0) throw new Error('the status changes should have left Alice unread system messages');
        const closed = alice.socket.next('room', (f) => f.room.id === roomId && !f.room.isActive);
        let isClosed = false;
        void closed.then(() => (isClosed = true));
        for (let i = 0; i < 100 && !isClosed; i++) {
          await graceful.server.sweepRooms();
          await new Promise((r) => setTimeout(r, 50));
        }
        expect((await closed).room.job?.status).toBe('completed');
        // Closed: no closing time left to announce.
        expect((await closed).room.closesAt).toBeNull();
        // The closed room leaves the total (its own count stays, for the room list).
        const after = await alice.socket.next('unread', (f) => f.roomId === roomId && f.totalUnread === before.totalUnread - before.unread);
        expect(after.unread).toBe(before.unread);
        expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'late' })).toBe('ROOM_CLOSED');
        alice.socket.close();
      } finally {
        await graceful.close();
      }
    });

    it('support: a user opens (then gets back) one support room with an agent; support staff cannot', async () => {
      const carol = await connectAs(server, 'client2');
      const sam = await connectAs(server, 'support1');
      const first = await api(server, carol.token, 'POST', '/api/support');
      expect(first.status).toBe(200);
      const room = first.body.room as Room;
      expect(room.type).toBe('support');
      expect(room.participants.map((p) => p.username).sort()).toEqual(['client2', 'support1']);
      expect((await sam.socket.next('room', (f) => f.room.id === room.id)).room.type).toBe('support');
      await carol.socket.next('room', (f) => f.room.id === room.id);
      // Its greeting arrives as a message to both, as any new message does.
      for (const { socket } of [carol, sam]) {
        const { message } = await socket.next('message', (f) => f.message.roomId === room.id);
        expect(message).toMatchObject({ seq: 1, type: 'system', id: room.lastMessage?.id });
      }
      const again = await api(server, carol.token, 'POST', '/api/support');
      expect((again.body.room as Room).id).toBe(room.id);
      expect((await api(server, sam.token, 'POST', '/api/support')).status).toBe(403);
      // Support may delete any message in its rooms.
      const ack = await carol.socket.expect('ack', { type: 'send', roomId: room.id, clientId: cid(), content: 'my card number is 1234' });
      const del = await sam.socket.expect('message_updated', { type: 'delete', messageId: ack.message.id });
      expect(del.message.deletedAt).not.toBeNull();
      carol.socket.close();
      sam.socket.close();
    });
  });

  describe(`open jobs per client (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { maxOpenJobsPerClient: 2 } } });

    it('a client has at most the limit of open jobs at once (409 past it), so one cannot bury the others\' jobs', async () => {
      const carol = await server.login('client2');
      const bob = await server.login('cleaner1');
      const post = (title: string) => api(server, carol.token, 'POST', '/api/jobs', { title });
      // Carol starts with no open job (the demo data gives her one).
      expect((await api(server, carol.token, 'POST', `/api/jobs/${server.demo!.openJobId}/status`, { status: 'cancelled' })).status).toBe(200);
      const first = (await post('Hall')).body.job as Job;
      const second = (await post('Stairs')).body.job as Job;
      const refused = await post('Attic');
      expect(refused.status).toBe(409);
      expect((refused.body.error as { code: string }).code).toBe('CONFLICT');
      // A job accepted or cancelled is no longer open.
      expect((await api(server, bob.token, 'POST', `/api/jobs/${first.id}/accept`)).status).toBe(200);
      expect((await post('Attic')).status).toBe(200);
      expect((await post('Cellar')).status).toBe(409);
      expect((await api(server, carol.token, 'POST', `/api/jobs/${second.id}/status`, { status: 'cancelled' })).status).toBe(200);
      expect((await post('Cellar')).status).toBe(200);
    });
  });
}
