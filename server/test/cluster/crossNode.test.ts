/**
 * Several real node processes sharing one PostgreSQL database and one Redis:
 * users on different nodes chat with messages, unread counts, receipts,
 * typing, presence, room changes and logout right on every tab of every node.
 */
import { describe, expect, it } from 'vitest';
import { ApiClient } from '@ecc/client';
import { CloseCode } from '@ecc/protocol';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { nodeCluster } from './support/fixture.ts';
import { postgresGate, type ChatNode } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

/** Every seq at most once, ascending. */
function expectExactlyOnceInOrder(seqs: number[]): void {
  expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
}

describe.skipIf(!servicesUp)('chat across nodes', { timeout: 90_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', b: 'B' });

  async function open(name: string, node: ChatNode, session: Awaited<ReturnType<typeof login>>): Promise<Tab> {
    const tab = await Tab.open(name, node.url, session);
    cluster.tabs.push(tab);
    return tab;
  }

  it('delivers messages, unread, receipts, typing and presence between users on different nodes', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const aliceOnA = await open('alice@A', a, alice);
    const aliceOnB = await open('alice@B', b, alice);
    const room = aliceOnA.rooms.find((r) => r.type === 'job');
    if (!room) throw new Error('the demo job room is missing');
    const roomId = room.id;
    const aliceUnreadBefore = aliceOnA.readyUnread.get(roomId) ?? -1;

    const bobOnB = await open('bob@B', b, bob);
    // Bob's first socket anywhere: both of Alice's tabs are told, on both nodes.
    for (const tab of [aliceOnA, aliceOnB]) {
      await tab.waitFor('bob online', () => tab.presence.some((p) => p.userId === bob.user.id && p.online));
    }
    const aliceInBobsRoom = bobOnB.rooms.find((r) => r.id === roomId)?.participants.find((p) => p.id === alice.user.id);
    expect(aliceInBobsRoom?.online).toBe(true);

    const hello = await bobOnB.client.send({ roomId, content: 'hello from node B' });
    for (const tab of [aliceOnA, aliceOnB]) {
      await tab.waitFor('bob’s message', () => tab.contents(roomId).includes('hello from node B'));
      await tab.waitFor('unread +1', () => tab.unreadOf(roomId) === aliceUnreadBefore + 1);
      expect(tab.totalUnread).toBeGreaterThanOrEqual(aliceUnreadBefore + 1);
    }
    expect(aliceOnA.totalUnread).toBe(aliceOnB.totalUnread);

    // Reading on the tab on node A clears the count on the tab on node B and tells Bob.
    aliceOnA.client.read(roomId, hello.seq);
    await aliceOnB.waitFor('unread 0 after reading on the other tab', () => aliceOnB.unreadOf(roomId) === 0);
    await bobOnB.waitFor('receipt', () => bobOnB.receipts.some((r) => r.userId === alice.user.id && r.lastReadSeq === hello.seq));

    bobOnB.client.typing(roomId, true);
    await aliceOnA.waitFor('typing', () => aliceOnA.typing.some((t) => t.userId === bob.user.id && t.isTyping));

    const reply = await aliceOnA.client.send({ roomId, content: 'reply from node A' });
    await bobOnB.waitFor('alice’s reply', () => bobOnB.contents(roomId).includes('reply from node A'));
    await aliceOnB.waitFor('own reply on the other tab', () => aliceOnB.contents(roomId).includes('reply from node A'));
    // The live count reaches what a fresh tab on the other node is told (the reply's `unread` may still be on its way).
    const bobOnA = await open('bob@A', a, bob);
    await bobOnB.waitFor('the count a fresh tab is told', () => bobOnB.unreadOf(roomId) === bobOnA.readyUnread.get(roomId));
    expect(bobOnA.rooms.find((r) => r.id === roomId)?.lastSeq).toBe(reply.seq);

    for (const tab of [aliceOnA, aliceOnB, bobOnB]) {
      expectExactlyOnceInOrder(tab.seqs(roomId));
      expect(tab.seqs(roomId)).toContain(hello.seq);
      expect(tab.seqs(roomId)).toContain(reply.seq);
    }

    // Bob's last sockets close (one per node): Alice's tabs see him go offline once.
    bobOnB.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(aliceOnA.presence.filter((p) => p.userId === bob.user.id && !p.online)).toHaveLength(0);
    bobOnA.close();
    for (const tab of [aliceOnA, aliceOnB]) {
      await tab.waitFor('bob offline', () => tab.presence.some((p) => p.userId === bob.user.id && !p.online));
      expect(tab.presence.filter((p) => p.userId === bob.user.id && !p.online)).toHaveLength(1);
    }
  });

  it('announces a new room to its participants on every node', async () => {
    const { a, b } = cluster;
    const carol = await login(a.url, 'client2');
    const dan = await login(a.url, 'cleaner2');
    const carolOnB = await open('carol@B', b, carol);
    const jobs = await new ApiClient({ baseUrl: a.url, token: carol.token }).jobs();
    const open_ = jobs.find((job) => job.status === 'open');
    if (!open_) throw new Error('carol has no open job in the demo data');

    // Dan accepts through node A; Carol's tab is on node B.
    const accepted = await new ApiClient({ baseUrl: a.url, token: dan.token }).acceptJob(open_.id);
    expect(accepted.status).toBe('assigned');
    await carolOnB.waitFor('room event', () => roomsSeen(carolOnB).some((r) => r.job?.id === open_.id));
    const newRoom = roomsSeen(carolOnB).find((r) => r.job?.id === open_.id);
    if (!newRoom) throw new Error('unreachable');
    // The room arrives with its system message, readable from her node at once.
    expect(newRoom.lastMessage?.type).toBe('system');
    const page = await carolOnB.client.history({ roomId: newRoom.id });
    expect(page.messages.map((m) => m.type)).toEqual(['system']);

    // And she can chat in it with Dan on the other node at once.
    const danOnA = await open('dan@A', a, dan);
    await carolOnB.client.send({ roomId: newRoom.id, content: 'welcome Dan' });
    await danOnA.waitFor('carol’s message', () => danOnA.contents(newRoom.id).includes('welcome Dan'));
    expectExactlyOnceInOrder(danOnA.seqs(newRoom.id));
  });

  it('closes the sockets of a session on every node at logout', async () => {
    const { a, b } = cluster;
    const session = await login(a.url, 'support1');
    const onA = await open('support@A', a, session);
    const onB = await open('support@B', b, session);
    await new ApiClient({ baseUrl: a.url, token: session.token }).logout();
    for (const tab of [onA, onB]) {
      await tab.waitFor('closed with 4401', () => tab.closeCodes.includes(CloseCode.SESSION_ENDED));
    }
    expect(onB.client.state).toBe('closed');
  });
});

/** Rooms a tab knows: from `ready` and from `room` events. */
function roomsSeen(tab: Tab) {
  return [...tab.rooms, ...tab.roomEvents];
}
