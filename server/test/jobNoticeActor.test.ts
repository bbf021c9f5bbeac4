/**
 * Message.actorId (an addition): a job's notice says WHO moved the job by id, not only by a display name
 * in its words. Names are not unique: support staff named "Alice Client" cancelling client Alice Client's
 * job wrote "Status changed to Cancelled by Alice Client", and nothing told Alice it was not her own
 * move. The notice carries its mover's id in every copy (live `message`, history, `ready`'s last
 * message); an ordinary message carries no actorId at all (its frames do not grow).
 */
import { describe, expect, it } from 'vitest';
import type { Job, Room } from '@ecc/protocol';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, openTab, serverForSuite } from './support/chat.ts';

for (const dialect of DIALECTS) {
  describe(`who moved a job, in its notice (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { sendRateLimit: 1000 } } });

    it("support staff named like the client cancel her job: the notice's actor is the staff member, in every copy", async () => {
      await server.store.createUser({ username: 'support-alice', displayName: 'Alice Client', role: 'support', passwordHash: await hashPassword(DEMO_PASSWORD) });
      const alice = await connectAs(server, 'client1');
      const staff = await server.login('support-alice');
      const roomId = server.demo!.roomId;
      const moved = await api(server, staff.token, 'POST', `/api/jobs/${server.demo!.assignedJobId}/status`, { status: 'cancelled' });
      expect(moved.status).toBe(200);

      const live = (await alice.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'system')).message;
      expect(live).toMatchObject({ sender: null, content: 'Status changed to Cancelled by Alice Client', actorId: staff.user.id });
      expect(live.actorId).not.toBe(alice.user.id);

      // A reconnect: the room list's last message and the history page name the same mover.
      const later = await openTab(server, alice);
      expect(later.ready.rooms.find((r) => r.id === roomId)?.lastMessage).toEqual(live);
      const page = await later.socket.expect('history', { type: 'history', roomId });
      expect(page.messages.at(-1)).toEqual(live);
      // The seeded notice: Bob accepted the job.
      expect(page.messages[0]).toMatchObject({ type: 'system', actorId: server.demo!.users.cleaner1!.id });
      for (const s of [alice.socket, later.socket]) s.close();
    });

    it("the cleaner accepting and the client cancelling are each their notice's actor", async () => {
      const carol = await connectAs(server, 'client2');
      const dan = await server.login('cleaner2');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: `Oven ${cid()}` })).body.job as Job;
      expect((await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
      const room = (await carol.socket.next('room', (f) => f.room.job?.id === job.id)).room;
      expect(room.lastMessage).toMatchObject({ content: 'Dan Cleaner accepted the job', actorId: dan.user.id });

      expect((await api(server, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' })).status).toBe(200);
      const notice = (await carol.socket.next('message', (f) => f.message.roomId === room.id && f.message.seq === 2)).message;
      expect(notice).toMatchObject({ content: 'Status changed to Cancelled by Carol Client', actorId: carol.user.id });
      carol.socket.close();
    });

    it('an ordinary message carries no actorId: not in its ack, its message frame, history or the room list', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const roomId = ((await api(server, alice.token, 'POST', '/api/support')).body.room as Room).id;
      const jobRoom = server.demo!.roomId;
      const sent = await bob.socket.expect('ack', { type: 'send', roomId: jobRoom, clientId: cid(), content: 'On my way' });
      expect(sent.message).not.toHaveProperty('actorId');
      expect((await alice.socket.next('message', (f) => f.message.id === sent.message.id)).message).not.toHaveProperty('actorId');
      const later = await openTab(server, alice);
      expect(later.ready.rooms.find((r) => r.id === jobRoom)?.lastMessage).not.toHaveProperty('actorId');
      const page = await later.socket.expect('history', { type: 'history', roomId: jobRoom });
      expect(page.messages.filter((m) => m.sender !== null).every((m) => !('actorId' in m))).toBe(true);
      expect(page.messages.length).toBeGreaterThan(1);
      // A support room's greeting has its opener as actor (supportGreetingActor.test.ts), a user's message none.
      expect((await later.socket.expect('history', { type: 'history', roomId })).messages[0]).toMatchObject({ type: 'system', actorId: alice.user.id });
      for (const s of [alice.socket, bob.socket, later.socket]) s.close();
    });
  });
}
