/**
 * Two real nodes, two people writing into one room at once, each with a
 * socket on each node: every socket is sent the room's messages in seq order,
 * each once, on the wire (no client library reordering them). A node
 * delivers what it stores at once and the other node's messages when Redis
 * brings them, so without the room sequencer the frames crossed.
 */
import { describe, expect, it } from 'vitest';
import { TestSocket } from '../support/wsClient.ts';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { nodeCluster } from './support/fixture.ts';
import { postgresGate, type ChatNode } from './support/nodes.ts';
import { login, rawSocket } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

describe.skipIf(!servicesUp)('message order across nodes', { timeout: 90_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', b: 'B' });
  const sockets: TestSocket[] = [];

  async function connect(node: ChatNode, session: { user: { id: number }; token: string }) {
    const opened = await rawSocket(node, session);
    sockets.push(opened.socket);
    return opened;
  }

  it('every socket gets a room’s messages in seq order, each once, while both nodes store at once', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(a.url, 'cleaner1');
    const aliceA = await connect(a, alice);
    const aliceB = await connect(b, alice);
    const bobA = await connect(a, bob);
    const bobB = await connect(b, bob);
    const room = aliceA.ready.rooms.find((r) => r.type === 'job');
    if (!room) throw new Error('the demo job room is missing');
    const roomId = room.id;
    const start = room.lastSeq;

    const rounds = 25; // under the send rate limit (30 per 10 s per user)
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alice writes through node A, Bob through node B, in the same instant.
      acks.push(aliceA.socket.expect('ack', { type: 'send', roomId, clientId: `order-a-${i}`, content: `a${i}` }));
      acks.push(bobB.socket.expect('ack', { type: 'send', roomId, clientId: `order-b-${i}`, content: `b${i}` }));
      if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(acks);
    const last = start + 2 * rounds;

    // What each socket was sent for the room: `message` frames (and the sender's own acks).
    const seqsOf = (socket: TestSocket, kinds: ('message' | 'ack')[]) =>
      socket.frames.flatMap((f) => ((f.type === 'message' || f.type === 'ack') && kinds.includes(f.type) && f.message.roomId === roomId ? [f.message.seq] : []));
    const allSeqs = Array.from({ length: 2 * rounds }, (_, i) => start + 1 + i);
    for (const [name, { socket }, sends] of [
      ['alice@A', aliceA, true],
      ['alice@B', aliceB, false],
      ['bob@A', bobA, false],
      ['bob@B', bobB, true],
    ] as const) {
      // The other sockets' messages arrive within a moment of the last ack.
      const deadline = Date.now() + 10_000;
      while (seqsOf(socket, ['message', 'ack']).length < 2 * rounds && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const messages = seqsOf(socket, ['message']);
      expect(messages, `${name}: message frames in seq order`).toEqual([...messages].sort((x, y) => x - y));
      expect(new Set(messages).size, `${name}: each message once`).toBe(messages.length);
      // Together with its own acks, every socket has every message exactly once.
      expect(seqsOf(socket, sends ? ['message', 'ack'] : ['message']).sort((x, y) => x - y), name).toEqual(allSeqs);
    }
    expect(Math.max(...seqsOf(aliceB.socket, ['message']))).toBe(last);
    for (const socket of sockets) socket.close();
  });
});
