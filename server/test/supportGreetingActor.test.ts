/**
 * Message.actorId on a support room's greeting (an addition, as on a job's notice): whose doing the room is,
 * by id. The user's own "Contact support" greeting is theirs; "<Agent> from support started this
 * conversation" (POST /api/support {userId}) is that staff member's. Names are not unique: two agents both
 * "Sam Support" could each read the other's greeting as their own by its words.
 */
import { describe, expect, it } from 'vitest';
import type { Message, Room } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs, openTab, serverForSuite } from './support/chat.ts';

const passwordHash = await hashPassword(DEMO_PASSWORD);

for (const dialect of DIALECTS) {
  describe(`whose doing a support room's greeting is (${dialect})`, () => {
    const server = serverForSuite({ dialect });
    let made = 0;

    async function newUser(role: 'client' | 'support', displayName: string) {
      made += 1;
      await server.store.createUser({ username: `greet${made}`, displayName, role, passwordHash });
      return connectAs(server, `greet${made}`);
    }

    /** The greeting as a reconnecting tab of `session` finds it: the room list's last message and history's first. */
    async function laterCopies(session: Parameters<typeof openTab>[1], roomId: number): Promise<Message[]> {
      const later = await openTab(server, session);
      const listed = later.ready.rooms.find((r) => r.id === roomId)?.lastMessage;
      const page = await later.socket.expect('history', { type: 'history', roomId });
      later.socket.close();
      return [listed!, page.messages[0]!];
    }

    it("the user's own Contact support greeting has the user as its actor, in every copy", async () => {
      const ivy = await newUser('client', 'Ivy Client');
      const opened = await api(server, ivy.token, 'POST', '/api/support');
      expect(opened.status).toBe(200);
      const room = opened.body.room as Room;
      expect(room.lastMessage).toMatchObject({ seq: 1, type: 'system', actorId: ivy.user.id });
      const live = (await ivy.socket.next('message', (f) => f.message.roomId === room.id)).message;
      expect(live).toMatchObject({ seq: 1, sender: null, actorId: ivy.user.id });
      expect(await laterCopies(ivy, room.id)).toEqual([live, live]);
      ivy.socket.close();
    });

    it("staff named like another agent start a user's conversation: the greeting's actor is the one who started it, in every copy", async () => {
      const sam = await connectAs(server, 'support1');
      const namesake = await newUser('support', sam.user.displayName);
      const jay = await newUser('client', 'Jay Client');
      const opened = await api(server, namesake.token, 'POST', '/api/support', { userId: jay.user.id });
      expect(opened.status).toBe(200);
      const room = opened.body.room as Room;
      expect(room.lastMessage).toMatchObject({ content: 'Sam Support from support started this conversation', actorId: namesake.user.id });
      const live = (await jay.socket.next('message', (f) => f.message.roomId === room.id)).message;
      expect(live).toMatchObject({ seq: 1, sender: null, actorId: namesake.user.id });
      expect(live.actorId).not.toBe(sam.user.id);
      expect(await laterCopies(jay, room.id)).toEqual([live, live]);
      expect(await laterCopies(namesake, room.id)).toEqual([live, live]);
      for (const s of [sam.socket, namesake.socket, jay.socket]) s.close();
    });
  });
}
