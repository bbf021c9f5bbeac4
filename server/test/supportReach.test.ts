/**
 * Support staff reaching a user first (an addition): `POST /api/support {userId}` opens (or returns) that user's
 * one support room, the same one the user's own "Contact support" opens, with the asking agent in it.
 */
import { describe, expect, it } from 'vitest';
import type { Role, Room } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';

const passwordHash = await hashPassword(DEMO_PASSWORD);

for (const dialect of DIALECTS) {
  describe(`support staff open a user's support room (${dialect})`, () => {
    const server = serverForSuite({ dialect });
    let made = 0;

    /** A fresh user (no support room yet), signed in. */
    async function newUser(role: Role, displayName: string) {
      made += 1;
      await server.store.createUser({ username: `reach${made}`, displayName, role, passwordHash });
      return server.login(`reach${made}`);
    }
    const openFor = (token: string, userId: number) => api(server, token, 'POST', '/api/support', { userId });
    const supportRoomsOf = async (userId: number) => (await server.store.listRoomsFor(userId)).rooms.filter((r) => r.type === 'support');

    it('staff open a client\'s room: the client gets it live with a greeting naming who started it, and both are its only people', async () => {
      const sam = await connectAs(server, 'support1');
      const erin = await newUser('client', 'Erin Client');
      const erinLive = await connectAs(server, erin.user.username);
      const opened = await openFor(sam.token, erin.user.id);
      expect(opened.status).toBe(200);
      const room = opened.body.room as Room;
      expect(room.type).toBe('support');
      expect(room.participants.map((p) => p.username).sort()).toEqual([erin.user.username, 'support1'].sort());
      expect(room.lastMessage).toMatchObject({ type: 'system', content: 'Sam Support from support started this conversation' });
      // The client did nothing and still sees the room arrive, then the greeting as a message, unread.
      const { room: seen } = await erinLive.socket.next('room', (f) => f.room.id === room.id);
      expect(seen.participants.map((p) => p.displayName)).toContain('Sam Support');
      const { message } = await erinLive.socket.next('message', (f) => f.message.roomId === room.id);
      expect(message).toMatchObject({ seq: 1, type: 'system', content: 'Sam Support from support started this conversation' });
      expect((await erinLive.socket.next('unread', (f) => f.roomId === room.id)).unread).toBe(1);
      await sam.socket.next('room', (f) => f.room.id === room.id);
      sam.socket.close();
      erinLive.socket.close();
    });

    it('asked again, staff get the same room back, with no second greeting', async () => {
      const sam = await server.login('support1');
      const finn = await newUser('cleaner', 'Finn Cleaner');
      const first = (await openFor(sam.token, finn.user.id)).body.room as Room;
      const again = await openFor(sam.token, finn.user.id);
      expect(again.status).toBe(200);
      expect((again.body.room as Room).id).toBe(first.id);
      expect((again.body.room as Room).lastSeq).toBe(1);
      expect(await supportRoomsOf(finn.user.id)).toHaveLength(1);
    });

    it('staff and the user asking at once (several times each) make one room, which every answer names', async () => {
      const sam = await server.login('support1');
      const gina = await newUser('client', 'Gina Client');
      const asks = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? openFor(sam.token, gina.user.id) : api(server, gina.token, 'POST', '/api/support')));
      const answers = await Promise.all(asks);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const rooms = await supportRoomsOf(gina.user.id);
      expect(rooms).toHaveLength(1);
      expect(answers.map((a) => (a.body.room as Room).id)).toEqual(answers.map(() => rooms[0]?.id));
      expect(rooms[0]?.lastSeq).toBe(1);
    });

    it('a room the user opened is the one staff get; one staff opened is the one the user\'s own button gets', async () => {
      const sam = await server.login('support1');
      const hugo = await newUser('client', 'Hugo Client');
      const own = (await api(server, hugo.token, 'POST', '/api/support')).body.room as Room;
      // The user's own room went to the least busy agent; that agent asking gets it back.
      const agent = own.participants.find((p) => p.role === 'support');
      const agentSession = await server.login(agent!.username);
      expect(((await openFor(agentSession.token, hugo.user.id)).body.room as Room).id).toBe(own.id);

      const ivy = await newUser('cleaner', 'Ivy Cleaner');
      const started = (await openFor(sam.token, ivy.user.id)).body.room as Room;
      const mine = await api(server, ivy.token, 'POST', '/api/support');
      expect(mine.status).toBe(200);
      expect((mine.body.room as Room).id).toBe(started.id);
      expect((mine.body.room as Room).participants.map((p) => p.username)).toContain('support1');
      expect(await supportRoomsOf(ivy.user.id)).toHaveLength(1);
    });

    it('a room another agent handles is not taken over: 409 naming that agent, and the room keeps its two people', async () => {
      const sam = await server.login('support1');
      const tess = await newUser('support', 'Tess Support');
      const jack = await newUser('client', 'Jack Client');
      const started = (await openFor(tess.token, jack.user.id)).body.room as Room;
      const refused = await openFor(sam.token, jack.user.id);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'CONFLICT' });
      expect(refused.body.error?.message).toContain('Tess Support');
      expect(refused.body.room).toBeUndefined();
      const [room] = await supportRoomsOf(jack.user.id);
      expect(room?.id).toBe(started.id);
      expect(room?.participants.map((p) => p.displayName).sort()).toEqual(['Jack Client', 'Tess Support']);
    });

    it('a room another agent stepped into is named by its own agent in the 409, not by the one who joined', async () => {
      // Ann has the lower id: a participant picked in user-id order would be her, though Zed is the room's agent.
      const ann = await newUser('support', 'Ann Helper');
      const zed = await newUser('support', 'Zed Agent');
      const kim = await newUser('client', 'Kim Client');
      const room = (await openFor(zed.token, kim.user.id)).body.room as Room;
      expect((await api(server, ann.token, 'POST', `/api/rooms/${room.id}/join`)).status).toBe(200);
      const sam = await server.login('support1');
      const refused = await openFor(sam.token, kim.user.id);
      expect(refused.status).toBe(409);
      expect(refused.body.error?.message).toBe('Zed Agent already handles Kim Client\'s support conversation');
    });

    it('a client or cleaner naming a user is refused (403), their own id included, and no room is opened for anyone', async () => {
      const carol = await server.login('client2');
      const bob = await server.login('cleaner1');
      const kim = await newUser('client', 'Kim Client');
      for (const asker of [carol, bob]) {
        const refused = await openFor(asker.token, kim.user.id);
        expect(refused.status).toBe(403);
        expect(refused.body.error?.code).toBe('FORBIDDEN');
      }
      expect((await openFor(kim.token, kim.user.id)).status).toBe(403);
      // Refused for who they are whatever they wrote: an ill-typed id is no way to a 400 instead.
      const illTyped = await api(server, carol.token, 'POST', '/api/support', { userId: '5' });
      expect(illTyped.status).toBe(403);
      expect(await supportRoomsOf(kim.user.id)).toHaveLength(0);
    });

    it('an unknown user is 404, a support user 400, an ill-typed userId 400', async () => {
      const sam = await server.login('support1');
      const unknown = await openFor(sam.token, 999_999);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error?.code).toBe('NOT_FOUND');
      const staff = await openFor(sam.token, sam.user.id);
      expect(staff.status).toBe(400);
      expect(staff.body.error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(staff.body.error?.message).toMatch(/support staff/i);
      // 2 ** 31: past every id column of both databases (PostgreSQL's integer would fail the query: a 500).
      for (const userId of ['5', 0, -1, 1.5, null, 2 ** 31]) {
        const bad = await api(server, sam.token, 'POST', '/api/support', { userId });
        expect(bad.status).toBe(400);
        expect(bad.body.error?.code).toBe('BAD_REQUEST');
      }
    });

    it('staff asking for no one (no body, or a body without userId) are still refused with 403, as before', async () => {
      const sam = await server.login('support1');
      for (const body of [undefined, {}]) {
        const refused = await api(server, sam.token, 'POST', '/api/support', body);
        expect(refused.status).toBe(403);
        expect(refused.body.error).toEqual({ code: 'FORBIDDEN', message: 'Support staff cannot open a support room' });
      }
    });

    it('a user\'s own request with a body that names no one (not JSON, as a form) still opens their room, as before', async () => {
      const lena = await newUser('client', 'Lena Client');
      const own = await fetch(`${server.url}/api/support`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${lena.token}`, 'Content-Type': 'text/plain' },
        body: 'please help',
      });
      expect(own.status).toBe(200);
      expect(await supportRoomsOf(lena.user.id)).toHaveLength(1);
    });

    it('staff naming a user in a body declared as another type than JSON get 415, as for every JSON body, and nothing opens', async () => {
      const sam = await server.login('support1');
      const mia = await newUser('cleaner', 'Mia Cleaner');
      const refused = await fetch(`${server.url}/api/support`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sam.token}`, 'Content-Type': 'text/plain' },
        body: JSON.stringify({ userId: mia.user.id }),
      });
      expect(refused.status).toBe(415);
      expect(await supportRoomsOf(mia.user.id)).toHaveLength(0);
    });
  });
}
