/**
 * A support agent after months on the job: thousands of support rooms (they never close), each
 * with a client's question as its last message, a few of them unread. For the browser tests and
 * the benchmark of a long chat list.
 */
import type { User } from '@ecc/protocol';
import type { TestServer } from '@ecc/server/testing';

export interface ManyRooms {
  agent: User;
  /** Oldest activity first: the last one is at the top of the agent's list. */
  rooms: { id: number; client: User; question: string }[];
}

/** Rows per batch of messages and read marks: one transaction each. */
const BATCH = 500;

/**
 * Gives the demo agent (support1, Sam) `count` support rooms with clients `many-client-<i>`
 * (password `demo`), room i's question newer than room i-1's; every `unreadEvery`-th room is
 * left unread by the agent, the rest read.
 */
export async function seedSupportRooms(server: TestServer, count: number, unreadEvery = 10): Promise<ManyRooms> {
  const agent = server.demo?.users.support1;
  const stored = await server.store.findUserByUsername('support1');
  if (!agent || !stored) throw new Error('demo data missing');
  const rooms: ManyRooms['rooms'] = [];
  for (let i = 1; i <= count; i++) {
    // The demo's hash of "demo": hashing a password per client would take minutes.
    const client = await server.store.createUser({ username: `many-client-${i}`, displayName: `Client ${i}`, role: 'client', passwordHash: stored.passwordHash });
    const id = await server.store.createRoom({ type: 'support', name: `Support · ${client.displayName}`, jobId: null, participantIds: [client.id, agent.id] });
    rooms.push({ id, client, question: `Question ${i} about my booking` });
  }
  for (let from = 0; from < rooms.length; from += BATCH) {
    const part = rooms.slice(from, from + BATCH);
    const results = await server.store.appendMessages(
      part.map((r, j) => ({ roomId: r.id, senderId: r.client.id, type: 'text' as const, content: r.question, clientId: `many-${from + j}` })),
    );
    if (!results.every((r) => r.ok)) throw new Error('seeding the support rooms failed');
    const read = part.filter((_, j) => (from + j + 1) % unreadEvery !== 0);
    await server.store.markReads(read.map((r) => ({ roomId: r.id, userId: agent.id, seq: 1 })));
  }
  return { agent, rooms };
}
