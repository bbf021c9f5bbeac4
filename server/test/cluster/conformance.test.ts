/**
 * Conformance probes written from the wire contract alone, on two real nodes sharing PostgreSQL and
 * Redis, with raw sockets (no client library smoothing anything over): one user's tabs on both nodes
 * for message, unread, receipt, message_updated and presence; typing expiry across nodes; the
 * `room` frames of a job's life on every tab of both participants; and typing and presence when
 * one of the nodes dies.
 */
import { describe, expect, it } from 'vitest';
import type { Job, Room } from '@ecc/protocol';
import { TestSocket } from '../support/wsClient.ts';
import { TEST_REDIS_URL, sharedRedisGate } from './support/redis.ts';
import { nodeCluster } from './support/fixture.ts';
import { postgresGate, type ChatNode } from './support/nodes.ts';
import { login, rawSocket } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

type Session = Awaited<ReturnType<typeof login>>;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(node: ChatNode, token: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe.skipIf(!servicesUp)('wire contract probes across two nodes', { timeout: 90_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', b: 'B' }, { ROOM_CLOSE_GRACE_MS: '1500', ROOM_SWEEP_INTERVAL_MS: '300' });
  const sockets: TestSocket[] = [];

  async function connect(node: ChatNode, session: Session) {
    const opened = await rawSocket(node, session);
    sockets.push(opened.socket);
    return opened;
  }

  it('one user’s tabs on both nodes: message, unread, receipt, message_updated and presence each as the contract says', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const aliceA = await connect(a, alice);
    const aliceB = await connect(b, alice);
    const roomId = aliceA.ready.rooms.find((r) => r.type === 'job')!.id;

    // Bob's first tab anywhere is one `online`; his second, on the other node, is none.
    const bobB = await connect(b, bob);
    for (const tab of [aliceA, aliceB]) await tab.socket.next('presence', (f) => f.userId === bob.user.id && f.online);
    const bobA = await connect(a, bob);
    await settle(500);
    for (const tab of [aliceA, aliceB]) {
      await tab.socket.sync();
      expect(tab.socket.all('presence').filter((f) => f.userId === bob.user.id)).toHaveLength(1);
    }

    // Alice sends on A: her tab on B gets `message`, Bob's tabs on both nodes `message` + `unread`; Alice no `unread`.
    const ack = await aliceA.socket.expect('ack', { type: 'send', roomId, clientId: 'probe-1', content: 'Spare key is in the box' });
    await aliceB.socket.next('message', (f) => f.message.id === ack.message.id);
    const counts = [];
    for (const tab of [bobA, bobB]) {
      await tab.socket.next('message', (f) => f.message.id === ack.message.id);
      counts.push(await tab.socket.next('unread', (f) => f.roomId === roomId));
    }
    expect(counts[0]).toEqual(counts[1]);

    // Bob reads on B: both his tabs are told 0 (the reading one with its ref), Alice's tabs on both nodes a receipt.
    const read = await bobB.socket.expect('unread', { type: 'read', roomId, seq: ack.message.seq });
    expect(read).toMatchObject({ roomId, unread: 0 });
    expect(await bobA.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0)).toMatchObject({ totalUnread: read.totalUnread });
    for (const tab of [aliceA, aliceB]) {
      expect(await tab.socket.next('receipt', (f) => f.roomId === roomId)).toMatchObject({ userId: bob.user.id, lastReadSeq: ack.message.seq });
    }
    // Reading again (the mark does not move), on A: still answered on both of Bob's tabs, no receipt anywhere.
    await bobA.socket.expect('unread', { type: 'read', roomId, seq: ack.message.seq - 1 });
    await bobB.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
    await settle(500);
    for (const tab of [aliceA, aliceB, bobA, bobB]) await tab.socket.sync();
    for (const tab of [aliceA, aliceB]) expect(tab.socket.all('receipt').filter((f) => f.roomId === roomId)).toHaveLength(1);
    for (const tab of [bobA, bobB]) expect(tab.socket.all('receipt')).toEqual([]);
    for (const tab of [aliceA, aliceB]) expect(tab.socket.all('unread').filter((f) => f.roomId === roomId)).toEqual([]);

    // Alice edits on B: every socket of both, on both nodes, the editor's own included.
    const edited = await aliceB.socket.expect('message_updated', { type: 'edit', messageId: ack.message.id, content: 'Spare key is under the mat' });
    for (const tab of [aliceA, bobA, bobB]) {
      expect((await tab.socket.next('message_updated', (f) => f.message.id === ack.message.id)).message).toEqual(edited.message);
    }

    // Bob's tabs close one per node: one `offline` on each of Alice's tabs, after the last.
    bobB.socket.close();
    await settle(700);
    for (const tab of [aliceA, aliceB]) {
      await tab.socket.sync();
      expect(tab.socket.all('presence').filter((f) => f.userId === bob.user.id && !f.online)).toEqual([]);
    }
    bobA.socket.close();
    for (const tab of [aliceA, aliceB]) await tab.socket.next('presence', (f) => f.userId === bob.user.id && !f.online);
    await settle(500);
    for (const tab of [aliceA, aliceB]) expect(tab.socket.all('presence').filter((f) => f.userId === bob.user.id)).toHaveLength(2);
    // The time announced is the time a new tab on either node is shown.
    const offline = aliceA.socket.all('presence').filter((f) => f.userId === bob.user.id).at(-1);
    for (const node of [a, b]) {
      const fresh = await connect(node, alice);
      const shown = fresh.ready.rooms.find((r) => r.id === roomId)?.participants.find((p) => p.id === bob.user.id);
      expect(shown).toMatchObject({ online: false, lastSeen: offline?.lastSeen });
      fresh.socket.close();
    }
  });

  it('typing from the other node expires as false after about 6 s, and stops at once when the typing socket closes', async () => {
    const { a, b } = cluster;
    const carol = await login(a.url, 'client2');
    const agent = await login(b.url, 'support1');
    const opened = await post(a, carol.token, '/api/support');
    const roomId = (opened.room as Room).id;
    const carolA = await connect(a, carol);
    const carolB = await connect(b, carol);
    const agentB = await connect(b, agent);

    const started = Date.now();
    agentB.socket.send({ type: 'typing', roomId, isTyping: true });
    for (const tab of [carolA, carolB]) {
      expect(await tab.socket.next('typing', (f) => f.roomId === roomId)).toMatchObject({ userId: agent.user.id, username: 'support1', isTyping: true });
    }
    for (const tab of [carolA, carolB]) {
      expect((await tab.socket.next('typing', (f) => f.roomId === roomId, 12_000)).isTyping).toBe(false);
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(5500);
    expect(elapsed).toBeLessThan(9000);

    // Carol types on A and her tab's socket closes mid-typing: the agent on B is told false well before the expiry.
    carolA.socket.send({ type: 'typing', roomId, isTyping: true });
    await agentB.socket.next('typing', (f) => f.userId === carol.user.id && f.isTyping);
    const closedAt = Date.now();
    carolA.socket.close();
    expect((await agentB.socket.next('typing', (f) => f.userId === carol.user.id)).isTyping).toBe(false);
    expect(Date.now() - closedAt).toBeLessThan(3000);
    // Neither typer's own tabs heard their own typing.
    for (const tab of [carolB, agentB]) {
      await tab.socket.sync();
      expect(tab.socket.all('typing').filter((f) => f.userId === tab.ready.user.id)).toEqual([]);
    }

    // The support agent deletes Carol's message from node B: Carol's remaining tab (B) and the agent see it.
    const carolA2 = await connect(a, carol);
    const sent = await carolA2.socket.expect('ack', { type: 'send', roomId, clientId: 'probe-support-1', content: 'my password is hunter2' });
    const deleted = await agentB.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
    expect(deleted.message).toMatchObject({ content: '', attachment: null });
    for (const tab of [carolA2, carolB]) await tab.socket.next('message_updated', (f) => f.message.id === sent.message.id && f.message.deletedAt !== null);
  });

  it('presence over the cluster: tabs opened and closed on both nodes at the same instant are one online and one offline', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const aliceA = await connect(a, alice);
    const aliceB = await connect(b, alice);
    const fromBob = (tab: { socket: TestSocket }) => tab.socket.all('presence').filter((f) => f.userId === bob.user.id).map((f) => f.online);
    for (let round = 0; round < 4; round++) {
      const before = fromBob(aliceA).length;
      const [bobA, bobB] = await Promise.all([connect(a, bob), connect(b, bob)]);
      await settle(700);
      bobA.socket.close();
      bobB.socket.close();
      for (const tab of [aliceA, aliceB]) await tab.socket.next('presence', (f) => f.userId === bob.user.id && !f.online);
      await settle(700);
      for (const tab of [aliceA, aliceB]) expect(fromBob(tab).slice(before), `round ${round}`).toEqual([true, false]);
    }
    // A tab moving from node A to node B (the new one opens, then the old one closes): Bob stays online.
    const bobA = await connect(a, bob);
    await aliceA.socket.next('presence', (f) => f.userId === bob.user.id && f.online);
    const bobB = await connect(b, bob);
    bobA.socket.close();
    await settle(1000);
    for (const tab of [aliceA, aliceB]) expect(fromBob(tab).at(-1)).toBe(true);
    const fresh = await connect(a, alice);
    expect(fresh.ready.rooms.find((r) => r.type === 'job')?.participants.find((p) => p.id === bob.user.id)?.online).toBe(true);
    bobB.socket.close();
  });

  it('sockets refused past the per-user cap (4429) on either node make no presence change', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const aliceA = await connect(a, alice);
    const fromBob = () => aliceA.socket.all('presence').filter((f) => f.userId === bob.user.id).map((f) => f.online);
    const before = fromBob().length;
    const bobTabs = [];
    for (let i = 0; i < 10; i++) bobTabs.push((await connect(i % 2 ? a : b, bob)).socket);
    for (const node of [a, b, a]) {
      const extra = await TestSocket.open(`${node.url.replace(/^http/, 'ws')}/ws/user/${bob.user.id}/`, { token: bob.token });
      expect((await extra.closed).code).toBe(4429);
    }
    await settle(700);
    await aliceA.socket.sync();
    expect(fromBob().slice(before)).toEqual([true]);
    for (const tab of bobTabs) tab.close();
    await aliceA.socket.next('presence', (f) => f.userId === bob.user.id && !f.online);
    await settle(700);
    expect(fromBob().slice(before)).toEqual([true, false]);
  });

  it('typing stays on while the typer’s other, idle tab on the other node closes; presence follows a room made a moment ago', async () => {
    const { a, b } = cluster;
    const carol = await login(a.url, 'client2');
    const dan = await login(b.url, 'cleaner2');
    const carolA = await connect(a, carol);
    const carolB = await connect(b, carol);
    const danB = await connect(b, dan);
    const job = (await post(a, carol.token, '/api/jobs', { title: 'Fridge' })).job as Job;
    const roomId = ((await post(b, dan.token, `/api/jobs/${job.id}/accept`)).job as Job & { roomId: number }).roomId;
    await danB.socket.next('room', (f) => f.room.id === roomId);
    carolA.socket.send({ type: 'typing', roomId, isTyping: true });
    await danB.socket.next('typing', (f) => f.userId === carol.user.id && f.isTyping);
    carolB.socket.close();
    await settle(1500);
    await danB.socket.sync();
    expect(danB.socket.all('typing').filter((f) => f.userId === carol.user.id).map((f) => f.isTyping)).toEqual([true]);
    carolA.socket.send({ type: 'typing', roomId, isTyping: false });
    expect((await danB.socket.next('typing', (f) => f.userId === carol.user.id)).isTyping).toBe(false);
    // They share a room only since the accept a moment ago: Dan's going offline on B reaches Carol on A.
    danB.socket.close();
    expect(await carolA.socket.next('presence', (f) => f.userId === dan.user.id && !f.online)).toMatchObject({ online: false });
  });

  it('one clientId sent from tabs on both nodes at the same instant stores one message, acked to both, delivered once', async () => {
    const { a, b } = cluster;
    const alice = await login(a.url, 'client1');
    const bob = await login(b.url, 'cleaner1');
    const aliceA = await connect(a, alice);
    const aliceB = await connect(b, alice);
    const bobA = await connect(a, bob);
    const roomId = aliceA.ready.rooms.find((r) => r.type === 'job')!.id;
    for (let round = 0; round < 5; round++) {
      const clientId = `twin-${round}`;
      const frame = { type: 'send', roomId, clientId, content: `twin ${round}` };
      const [onA, onB] = await Promise.all([aliceA.socket.expect('ack', frame), aliceB.socket.expect('ack', frame)]);
      expect(onA.message).toEqual(onB.message);
      await bobA.socket.next('message', (f) => f.message.clientId === clientId);
    }
    await settle(700);
    await bobA.socket.sync();
    const seen = bobA.socket.all('message').map((f) => f.message.clientId);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `twin-${i}`));
    const page = await bobA.socket.expect('history', { type: 'history', roomId, limit: 5 });
    expect(page.messages.map((m) => m.clientId)).toEqual(seen);
  });

  it('room frames on accept, status change and close reach every tab of both participants on both nodes', async () => {
    const { a, b } = cluster;
    const carol = await login(a.url, 'client2');
    const dan = await login(b.url, 'cleaner2');
    const carolA = await connect(a, carol);
    const carolB = await connect(b, carol);
    const danA = await connect(a, dan);
    const danB = await connect(b, dan);
    const all = [carolA, carolB, danA, danB];
    const job = (await post(b, carol.token, '/api/jobs', { title: 'Oven' })).job as Job;

    await post(a, dan.token, `/api/jobs/${job.id}/accept`);
    const created = [];
    for (const tab of all) created.push((await tab.socket.next('room', (f) => f.room.job?.id === job.id)).room);
    const roomId = created[0]!.id;
    for (const room of created) expect(room).toMatchObject({ id: roomId, isActive: true, lastSeq: 1, unread: 1, job: { status: 'assigned' } });
    // Both are connected (each on both nodes): the room says so, with nothing read yet.
    for (const room of created) {
      expect(room.participants.map((p) => [p.id, p.online, p.lastReadSeq]).sort()).toEqual([[carol.user.id, true, 0], [dan.user.id, true, 0]].sort());
    }
    for (const tab of all) {
      const count = await tab.socket.next('unread', (f) => f.roomId === roomId);
      expect(count).toMatchObject({ unread: 1, totalUnread: tab.ready.totalUnread + 1 });
      // The room's system message is also a `message` on every tab, on both nodes.
      expect((await tab.socket.next('message', (f) => f.message.roomId === roomId)).message).toMatchObject({ seq: 1, type: 'system' });
    }

    // Carol (on A) changes the status through node B.
    await post(b, carol.token, `/api/jobs/${job.id}/status`, { status: 'cancelled' });
    for (const tab of all) {
      expect((await tab.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'cancelled')).room).toMatchObject({ lastSeq: 2, unread: 2 });
    }
    // After the grace, closed on every tab, and the total leaves the room out.
    for (const tab of all) {
      expect((await tab.socket.next('room', (f) => f.room.id === roomId && !f.room.isActive, 15_000)).room).toMatchObject({ lastSeq: 2, unread: 2 });
    }
    await settle(500);
    for (const tab of all) {
      await tab.socket.sync();
      const last = tab.socket.all('unread').at(-1);
      expect(last).toMatchObject({ roomId, unread: 2, totalUnread: tab.ready.totalUnread });
    }
  });
});

describe.skipIf(!servicesUp)('typing when the typer’s node goes away', { timeout: 90_000 }, () => {
  // Node `a` stays; `crashing` is killed and `stopping` stopped gracefully under a typing user.
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', crashing: 'C', stopping: 'S' });

  for (const [how, node] of [['killed', 'crashing'], ['stopped', 'stopping']] as const) {
    it(`a typing true from a node that is ${how} still ends as false within the expiry`, async () => {
      const carol = await login(cluster.a.url, 'client2');
      const dan = await login(cluster.a.url, 'cleaner2');
      const job = (await post(cluster.a, carol.token, '/api/jobs', { title: `Typing ${how}` })).job as Job;
      const roomId = ((await post(cluster.a, dan.token, `/api/jobs/${job.id}/accept`)).job as Job & { roomId: number }).roomId;
      const danA = await rawSocket(cluster.a, dan);
      const carolThere = await rawSocket(cluster[node], carol);
      carolThere.socket.send({ type: 'typing', roomId, isTyping: true });
      await danA.socket.next('typing', (f) => f.userId === carol.user.id && f.isTyping);
      const typedAt = Date.now();
      if (how === 'killed') await cluster[node].kill();
      else await cluster[node].stop();
      const off = await danA.socket.next('typing', (f) => f.userId === carol.user.id, 15_000);
      expect(off.isTyping).toBe(false);
      // The contract's 6 s, and some room for noticing it on another node.
      expect(Date.now() - typedAt).toBeLessThan(10_000);
      danA.socket.close();
    });
  }
});

describe.skipIf(!servicesUp)('presence when one of a user’s nodes dies', { timeout: 120_000 }, () => {
  const cluster = nodeCluster(TEST_REDIS_URL, { a: 'A', doomed: 'D' });

  it('a user still connected on another node is never announced offline; offline once when the last socket closes', async () => {
    const connect = async (node: ChatNode, session: Session) => (await rawSocket(node, session)).socket;
    // Sam (support) shares a support room with Bob, on both nodes, and one with Carol, on the doomed node only.
    const sam = await login(cluster.a.url, 'support1');
    const bob = await login(cluster.a.url, 'cleaner1');
    const carol = await login(cluster.a.url, 'client2');
    for (const user of [bob, carol]) await post(cluster.a, user.token, '/api/support');
    const samA = await connect(cluster.a, sam);
    const bobDoomed = await connect(cluster.doomed, bob);
    const bobA = await connect(cluster.a, bob);
    await connect(cluster.doomed, carol);
    for (const user of [bob, carol]) await samA.next('presence', (f) => f.userId === user.user.id && f.online);
    await cluster.doomed.kill();
    await bobDoomed.closed;
    // Carol is announced offline once the dead node's heartbeat expires: the sweep has run by then.
    await samA.next('presence', (f) => f.userId === carol.user.id && !f.online, 45_000);
    await samA.sync();
    const bobStates = () => samA.all('presence').filter((f) => f.userId === bob.user.id).map((f) => f.online);
    expect(bobStates()).toEqual([true]);
    bobA.close();
    await samA.next('presence', (f) => f.userId === bob.user.id && !f.online);
    await settle(500);
    expect(bobStates()).toEqual([true, false]);
    samA.close();
  });
});
