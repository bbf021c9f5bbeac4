/**
 * Support staff joining a room on one node while their socket is on another (an addition): the join
 * crosses Redis, so the joiner's open socket takes the room in and gets its live messages.
 */
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice, type Room } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs } from './support/chat.ts';
import type { BusHandler, ClusterEvent, Topic } from '../src/fanout/bus.ts';
import { HeldBus } from './support/heldBus.ts';
import { twoNodes } from './support/twoNodes.ts';

/** A node's bus whose incoming events can be held back (a node that has not heard of a change yet), then let through in order. */
class LateEvents extends HeldBus {
  private queue: (() => void)[] | null = null;

  override onEvent(handler: BusHandler): void {
    this.inner.onEvent((topic: Topic, event: ClusterEvent) => {
      if (this.queue) this.queue.push(() => handler(topic, event));
      else handler(topic, event);
    });
  }

  holdEvents(): void {
    this.queue = [];
  }

  releaseEvents(): void {
    const queued = this.queue ?? [];
    this.queue = null;
    for (const deliver of queued) deliver();
  }
}

for (const dialect of DIALECTS) {
  describe(`support staff join a room across nodes (${dialect})`, () => {
    let late!: LateEvents;
    const nodes = twoNodes({ dialect, wrapB: (bus) => (late = new LateEvents(bus)) });

    async function newJobRoom(title: string): Promise<number> {
      const store = nodes.a.store;
      const alice = (await store.findUserByUsername('client1'))!;
      const bob = (await store.findUserByUsername('cleaner1'))!;
      const job = await store.createJob({ clientId: alice.id, title });
      return (await store.assignJob(job.id, bob.id, jobAcceptedNotice('Bob Cleaner')))!.roomId;
    }

    it('joined through node A, the agent\'s socket on node B gets the room, then the client\'s message sent on A, and its answer reaches A', async () => {
      const { a, b } = nodes;
      const roomId = await newJobRoom('Across nodes');

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

    it('the join notice reaches every socket of everyone in the room as a message, exactly once — the joiner\'s on a node that did not hear the room before too', async () => {
      const { a, b } = nodes;
      const notice = 'Sam Support from support joined the conversation';
      // Node B first hears nobody of the room, then hears it through Bob's tab.
      for (const bobOn of [null, b]) {
        const roomId = await newJobRoom(bobOn ? 'Heard on both' : 'Heard on A only');
        const sockets = [await connectAs(a, 'client1'), await connectAs(a, 'support1'), await connectAs(b, 'support1')];
        if (bobOn) sockets.push(await connectAs(bobOn, 'cleaner1'));
        // Node B hears the join only once it is done (published before B could listen to the room).
        late.holdEvents();
        try {
          expect((await api(a, sockets[1]!.token, 'POST', `/api/rooms/${roomId}/join`)).status).toBe(200);
        } finally {
          late.releaseEvents();
        }
        // A message after the notice: once every socket has it, the notice had its chance to come twice.
        await sockets[0]!.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'after the notice' });
        for (const { socket } of sockets.slice(1)) await socket.next('message', (f) => f.message.roomId === roomId && f.message.content === 'after the notice');
        for (const { socket } of sockets) await socket.sync();
        for (const { socket } of sockets.slice(1)) {
          const notices = socket.all('message').filter((f) => f.message.roomId === roomId && f.message.content === notice);
          expect(notices.map((f) => f.message.seq)).toEqual([2]);
        }
        // Bob's count took the notice in (a copy of it sent first would have kept the count from him).
        if (bobOn) expect(sockets[3]!.socket.all('unread').filter((f) => f.roomId === roomId).map((f) => f.unread)).toEqual([2, 3]);
        // The sender's own message comes as its ack; the notice as a message, once.
        expect(sockets[0]!.socket.all('message').filter((f) => f.message.roomId === roomId).map((f) => f.message.seq)).toEqual([2]);
        for (const { socket } of sockets) socket.close();
      }
    });

    it('the agent\'s first frame on a node that has not heard of the join yet is served, not refused', async () => {
      const { a, b } = nodes;
      const roomId = await newJobRoom('Not heard yet');
      // Alice's tab on B: node B knows the room's people, as they were before the join.
      const aliceOnB = await connectAs(b, 'client1');
      const sam = await connectAs(b, 'support1');
      late.holdEvents();
      try {
        expect((await api(a, sam.token, 'POST', `/api/rooms/${roomId}/join`)).status).toBe(200);
        const history = await sam.socket.request('history', { type: 'history', roomId });
        expect(history).toMatchObject({ type: 'history', roomId });
      } finally {
        late.releaseEvents();
      }
      await sam.socket.next('room', (f) => f.room.id === roomId);
      for (const s of [aliceOnB, sam]) s.socket.close();
    });
  });
}
