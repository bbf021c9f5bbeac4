/**
 * A socket joining its rooms on a node that did not hear them yet: between
 * the node's read of the socket's `ready` snapshot and the moment its Redis
 * subscription of the room is live, a message stored and published by
 * another node never reaches this node. It must still reach the socket, at
 * once, not only when the room's next message shows the gap.
 *
 * Two nodes in this process, each with its own Redis bus (a random prefix),
 * sharing one database; node B's subscription of the room is held open
 * (HeldBus) while Alice writes on node A.
 */
import { describe, expect, it } from 'vitest';
import { roomTopic } from '../src/fanout/bus.ts';
import { sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { cid, connectAs } from './support/chat.ts';
import { HeldBus } from './support/heldBus.ts';
import { twoNodes } from './support/twoNodes.ts';
import { TestSocket } from './support/wsClient.ts';

const redisAvailable = await sharedRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`a message published while a socket's room subscription is not live yet (${dialect}, Redis, two nodes)`, () => {
    let heldB!: HeldBus;
    const nodes = twoNodes({ dialect, wrapB: (bus) => (heldB = new HeldBus(bus)) });

    it('reaches the socket after its ready, once the subscription is live', async () => {
      const { a, b, busA } = nodes;
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const bob = await b.login('cleaner1');

      const held = heldB.hold(roomTopic(roomId));
      const bobSocket = await TestSocket.open(b.wsUrlFor(bob.user.id), { token: bob.token });
      // Node B has read Bob's rooms and is about to subscribe the room: it hears nothing of it yet.
      await held.reached;
      const published = busA.getStats().published;
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'while B subscribes' });
      // Redis has taken Alice's message (and sent it to no one on B) before B subscribes.
      await waitUntil('node A published the message', () => busA.getStats().published > published);
      held.release();

      const ready = await bobSocket.next('ready');
      expect(ready.rooms.find((r) => r.id === roomId)?.lastSeq).toBe(ack.message.seq - 1);
      const message = await bobSocket.next('message', (f) => f.message.roomId === roomId);
      expect(message.message.id).toBe(ack.message.id);
      expect(message.message.content).toBe('while B subscribes');
      // Bob's count goes up with it.
      const unreadInReady = ready.rooms.find((r) => r.id === roomId)?.unread ?? -1;
      expect((await bobSocket.next('unread', (f) => f.roomId === roomId)).unread).toBe(unreadInReady + 1);

      // Later messages follow in order, and the caught-up one is not sent again.
      const next = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'after' });
      expect((await bobSocket.next('message', (f) => f.message.roomId === roomId)).message.seq).toBe(next.message.seq);
      await bobSocket.sync();
      expect(bobSocket.all('message').map((f) => f.message.seq)).toEqual([ack.message.seq, next.message.seq]);
      bobSocket.close();
      alice.socket.close();
    });
  });
}
