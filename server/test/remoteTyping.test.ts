/**
 * A typing `true` relayed by a node that then died is ended by the nodes that got it
 * (remoteTyping.ts): but not while the typer, their tab moved here, goes on typing on this node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomTopic } from '../src/fanout/bus.ts';
import { MemoryBroker, MemoryBus } from '../src/fanout/memory.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { REMOTE_TYPING_GRACE_MS } from '../src/ws/remoteTyping.ts';
import { connectAs } from './support/chat.ts';

const EXPIRY_MS = 2000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('typing of a user whose node died and who types on here', () => {
  const broker = new MemoryBroker();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bus: new MemoryBus(broker), config: { limits: { typingExpiryMs: EXPIRY_MS } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps showing them typing past the dead node’s expiry, and ends it when they stop here', async () => {
    const roomId = server.demo!.roomId;
    const bob = await connectAs(server, 'cleaner1');
    const alice = await server.login('client1');
    // The node Alice typed on relays her `true`, then dies: its `false` never comes.
    const deadNode = new MemoryBus(broker);
    deadNode.publish(roomTopic(roomId), {
      kind: 'frame',
      frame: { type: 'typing', roomId, userId: alice.user.id, username: alice.user.username, isTyping: true },
      exceptUserId: alice.user.id,
    });
    await bob.socket.next('typing', (f) => f.userId === alice.user.id && f.isTyping);
    const typedAt = Date.now();

    // Her tab comes back on this node and she goes on typing, well past the dead node's `true` expiring here.
    const { socket: aliceHere } = await connectAs(server, 'client1');
    while (Date.now() - typedAt < EXPIRY_MS + REMOTE_TYPING_GRACE_MS + 1500) {
      aliceHere.send({ type: 'typing', roomId, isTyping: true });
      await pause(400);
    }
    await aliceHere.sync();
    await bob.socket.sync();
    const shown = () => bob.socket.all('typing').filter((f) => f.userId === alice.user.id).map((f) => f.isTyping);
    expect(shown(), 'told she stopped while she typed').not.toContain(false);

    aliceHere.send({ type: 'typing', roomId, isTyping: false });
    expect((await bob.socket.next('typing', (f) => f.userId === alice.user.id && !f.isTyping)).isTyping).toBe(false);
    await deadNode.close();
    aliceHere.close();
    bob.socket.close();
  });
});
