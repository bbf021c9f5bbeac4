/**
 * Support staff stepping into a conversation (an addition): `POST /api/rooms/{id}/join` makes the staff
 * member a participant of a job room (a dispute between client and cleaner) or of another agent's
 * support room, with a notice everyone sees, live on every socket without reconnecting.
 */
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice, type Room } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, serverForSuite } from './support/chat.ts';

const passwordHash = await hashPassword(DEMO_PASSWORD);

for (const dialect of DIALECTS) {
  describe(`support staff join a room (${dialect})`, () => {
    const server = serverForSuite({ dialect });
    let made = 0;

    /** A new job of client1 accepted by cleaner1: its room (only the two of them in it, one system message). */
    async function jobRoom(): Promise<number> {
      made += 1;
      const { store } = server;
      const alice = await store.findUserByUsername('client1');
      const bob = await store.findUserByUsername('cleaner1');
      const job = await store.createJob({ clientId: alice!.id, title: `Dispute ${made}` });
      const assigned = await store.assignJob(job.id, bob!.id, jobAcceptedNotice('Bob Cleaner'));
      return assigned!.roomId;
    }
    const join = (token: string, roomId: number | string) => api(server, token, 'POST', `/api/rooms/${roomId}/join`);
    const notice = 'Sam Support from support joined the conversation';

    it('staff join a job room: client and cleaner see three people and the notice live; the joiner\'s socket gets the room and later messages without reconnecting', async () => {
      const roomId = await jobRoom();
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const sam = await connectAs(server, 'support1');
      expect(sam.ready.rooms.map((r) => r.id)).not.toContain(roomId);

      const joined = await join(sam.token, roomId);
      expect(joined.status).toBe(200);
      const room = joined.body.room as Room;
      expect(room.id).toBe(roomId);
      expect(room.participants.map((p) => p.username).sort()).toEqual(['cleaner1', 'client1', 'support1']);
      expect(room.lastMessage).toMatchObject({ type: 'system', content: notice, seq: 2 });
      // Read up to the notice: the agent came to read the whole room, not to face a badge of it.
      expect(room.unread).toBe(0);

      let seenByAlice!: Room;
      for (const peer of [alice, bob]) {
        const { room: seen } = await peer.socket.next('room', (f) => f.room.id === roomId);
        if (peer === alice) seenByAlice = seen;
        expect(seen.participants.map((p) => p.displayName).sort()).toEqual(['Alice Client', 'Bob Cleaner', 'Sam Support']);
        const { message } = await peer.socket.next('message', (f) => f.message.roomId === roomId);
        expect(message).toMatchObject({ seq: 2, type: 'system', content: notice, sender: null });
        const unread = await peer.socket.next('unread', (f) => f.roomId === roomId && f.unread > 0);
        expect(unread.unread).toBe(2);
      }
      const { room: mine } = await sam.socket.next('room', (f) => f.room.id === roomId);
      expect(mine.unread).toBe(0);

      // The client writes: the agent's socket, open since before the join, gets it live.
      await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'He left the windows dirty' });
      const { message: live } = await sam.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'text');
      expect(live).toMatchObject({ seq: 3, content: 'He left the windows dirty' });
      expect((await sam.socket.next('unread', (f) => f.roomId === roomId && f.unread === 1)).unread).toBe(1);

      // The whole room's history, and a message of the agent's own that both see.
      const history = await sam.socket.expect('history', { type: 'history', roomId });
      expect(history.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      await sam.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'I will look into it' });
      for (const peer of [alice, bob]) {
        const { message } = await peer.socket.next('message', (f) => f.message.roomId === roomId && f.message.content === 'I will look into it');
        expect(message.sender?.displayName).toBe('Sam Support');
      }
      // Typing reaches the others and the agent, and the agent may delete a message of the room (a support participant).
      sam.socket.send({ type: 'typing', roomId, isTyping: true });
      expect((await bob.socket.next('typing', (f) => f.roomId === roomId)).userId).toBe(sam.user.id);
      bob.socket.send({ type: 'typing', roomId, isTyping: true });
      expect((await sam.socket.next('typing', (f) => f.roomId === roomId)).userId).toBe(bob.user.id);
      const deleted = await sam.socket.expect('message_updated', { type: 'delete', messageId: live.id });
      expect(deleted.message.deletedAt).not.toBeNull();
      // Presence: the agent was shown online to the others, and leaving (this room is all they share) is told.
      expect(seenByAlice.participants.find((p) => p.id === sam.user.id)?.online).toBe(true);
      sam.socket.close();
      expect((await alice.socket.next('presence', (f) => f.userId === sam.user.id)).online).toBe(false);
      for (const s of [alice, bob]) s.socket.close();
    });

    it('joining again, or twice at once (while the client writes), makes one participant and one notice', async () => {
      const roomId = await jobRoom();
      const sam = await server.login('support1');
      const alice = await connectAs(server, 'client1');
      const sends = Array.from({ length: 4 }, (_, i) => alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: `line ${i}` }));
      const answers = await Promise.all([join(sam.token, roomId), join(sam.token, roomId), join(sam.token, roomId)]);
      await Promise.all(sends);
      alice.socket.close();
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const again = await join(sam.token, roomId);
      expect(again.status).toBe(200);
      const room = again.body.room as Room;
      expect(room.participants.filter((p) => p.username === 'support1')).toHaveLength(1);
      expect(room.lastSeq).toBe(6);
      const page = await server.store.history({ roomId, limit: 50 });
      expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(page.messages.filter((m) => m.content === notice)).toHaveLength(1);
      expect((await server.store.getRoomViewFor(roomId, alice.user.id))?.room.participants).toHaveLength(3);
    });

    it('different staff joining one room at once all get in, each with one notice (PostgreSQL once deadlocked two of them: a 500)', async () => {
      made += 1;
      const staff: { token: string; name: string }[] = [];
      for (let i = 0; i < 4; i += 1) {
        const name = `Agent ${made}-${i}`;
        await server.store.createUser({ username: `agent${made}x${i}`, displayName: name, role: 'support', passwordHash });
        staff.push({ token: (await server.login(`agent${made}x${i}`)).token, name });
      }
      for (const joiners of [staff.slice(0, 2), staff.slice(0, 2), staff.slice(0, 2), staff, staff, staff]) {
        const roomId = await jobRoom();
        const answers = await Promise.all(joiners.map((s) => join(s.token, roomId)));
        expect(answers.map((a) => a.status)).toEqual(joiners.map(() => 200));
        expect((await server.store.getRoomAccess(roomId))?.participants.size).toBe(2 + joiners.length);
        const page = await server.store.history({ roomId, limit: 50 });
        for (const s of joiners) expect(page.messages.filter((m) => m.content === `${s.name} from support joined the conversation`)).toHaveLength(1);
        expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 1 + joiners.length }, (_, i) => i + 1));
      }
    });

    it('a client or cleaner, even one in the room, is refused (403) and no one joins', async () => {
      const roomId = await jobRoom();
      for (const username of ['client1', 'cleaner1', 'client2', 'cleaner2']) {
        const session = await server.login(username);
        const refused = await join(session.token, roomId);
        expect(refused.status).toBe(403);
        expect(refused.body.error?.code).toBe('FORBIDDEN');
      }
      expect((await server.store.getRoomAccess(roomId))?.participants.size).toBe(2);
    });

    it('a client posting a body past the JSON limit is refused as anyone not staff (403), not told the body is too large (413)', async () => {
      const roomId = await jobRoom();
      const alice = await server.login('client1');
      const body = JSON.stringify({ note: 'x'.repeat(server.config.limits.maxJsonBodyBytes + 1024) });
      const res = await fetch(`${server.url}/api/rooms/${roomId}/join`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' }, body });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      // Staff sending the same are told of the size, and join nothing.
      const sam = await server.login('support1');
      const staff = await fetch(`${server.url}/api/rooms/${roomId}/join`, { method: 'POST', headers: { Authorization: `Bearer ${sam.token}`, 'Content-Type': 'application/json' }, body });
      expect(staff.status).toBe(413);
      expect((await server.store.getRoomAccess(roomId))?.participants.size).toBe(2);
    });

    it('an unknown room is 404, an id past 2^31-1 too (never a 500), a closed room ROOM_CLOSED', async () => {
      const sam = await server.login('support1');
      for (const id of [999_999, 2 ** 31 - 1, 2 ** 31, '99999999999999999999']) {
        const refused = await join(sam.token, id);
        expect(refused.status).toBe(404);
        expect(refused.body.error?.code).toBe('NOT_FOUND');
      }
      const roomId = await jobRoom();
      await server.store.setRoomActive(roomId, false);
      const closed = await join(sam.token, roomId);
      expect(closed.status).toBe(409);
      expect(closed.body.error?.code).toBe('ROOM_CLOSED');
      expect((await server.store.getRoomAccess(roomId))?.participants.size).toBe(2);
    });

    it('another agent\'s support room can be joined (the agent who is away is not the only help)', async () => {
      made += 1;
      await server.store.createUser({ username: `tess${made}`, displayName: 'Tess Support', role: 'support', passwordHash });
      await server.store.createUser({ username: `jack${made}`, displayName: 'Jack Client', role: 'client', passwordHash });
      const tess = await server.login(`tess${made}`);
      const jack = await connectAs(server, `jack${made}`);
      const started = (await api(server, tess.token, 'POST', '/api/support', { userId: jack.user.id })).body.room as Room;
      const sam = await server.login('support1');
      const refused = await api(server, sam.token, 'POST', '/api/support', { userId: jack.user.id });
      expect(refused.status).toBe(409);
      // The room to join is named with the refusal (an addition to the error body).
      expect((refused.body.error as { roomId?: number }).roomId).toBe(started.id);
      const joined = await join(sam.token, started.id);
      expect(joined.status).toBe(200);
      expect((joined.body.room as Room).participants.map((p) => p.displayName).sort()).toEqual(['Jack Client', 'Sam Support', 'Tess Support']);
      const { message } = await jack.socket.next('message', (f) => f.message.roomId === started.id && f.message.content === notice);
      expect(message.type).toBe('system');
      jack.socket.close();
    });
  });
}
