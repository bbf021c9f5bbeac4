/**
 * Support staff joining a room on one node while their socket is on another (an addition): the join
 * crosses Redis, so the joiner's open socket takes the room in and gets its live messages.
 */
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice, type Room } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';

for (const dialect of DIALECTS) {
  describe(`support staff join a room across nodes (${dialect})`, () => {
    const nodes = twoNodes({ dialect });

    it('joined through node A, the agent\'s socket on node B gets the room, then the client\'s message sent on A, and its answer reaches A', async () => {
      const { a, b } = nodes;
      const store = a.store;
      const alice = (await store.findUserByUsername('client1'))!;
      const bob = (await store.findUserByUsername('cleaner1'))!;
      const job = await store.createJob({ clientId: alice.id, title: 'Across nodes' });
      const { roomId } = (await store.assignJob(job.id, bob.id, jobAcceptedNotice('Bob Cleaner')))!;

      const aliceOnA = await connectAs(a, 'client1');
      // Node B hears the room already (Alice has a tab there): what it knew of the room must not keep the agent out.
      const aliceOnB = await connectAs(b, 'client1');
      const sam = await connectAs(b, 'support1');

      const joined = await api(a, sam.token, 'POST', `/api/rooms/${roomId}/join`);
      expect(joined.status).toBe(200);
      expect((joined.body.room as Room).participants).toHaveLength(3);
      const { room } = await sam.socket.next('room', (f) => f.room.id === roomId);
      expect(room.participants.map((p) => p.username)).toContain('support1');
      for (const tab of [aliceOnA, aliceOnB]) {
        await tab.socket.next('message', (f) => f.message.roomId === roomId && f.message.content === 'Sam Support from support joined the conversation');
      }

      await aliceOnA.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'sent on node A' });
      const { message } = await sam.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'text');
      expect(message.content).toBe('sent on node A');

      await sam.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'answered on node B' });
      await aliceOnA.socket.next('message', (f) => f.message.roomId === roomId && f.message.content === 'answered on node B');
      for (const s of [aliceOnA, aliceOnB, sam]) s.socket.close();
    });
  });
}
