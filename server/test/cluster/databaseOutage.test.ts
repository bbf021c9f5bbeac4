/**
 * PostgreSQL goes away under a node (its database link runs through a TCP
 * forwarder this test cuts and restores; the shared server is never stopped):
 * `send` answers an error and never a false ack, the node stays up and
 * reports 503, and once the database is back the same send is stored exactly
 * once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, sharedRedisGate, waitUntil } from './support/redis.ts';
import { NodeGroup, postgresGate, type ChatNode } from './support/nodes.ts';
import { TcpProxy } from './support/tcpProxy.ts';
import { login } from './support/tabs.ts';
import { TestSocket } from '../support/wsClient.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

describe.skipIf(!servicesUp)('a PostgreSQL outage', { timeout: 120_000 }, () => {
  let group: NodeGroup;
  let link: TcpProxy;
  let node: ChatNode;

  beforeAll(async () => {
    group = await NodeGroup.create(TEST_REDIS_URL);
    const database = new URL(group.databaseUrl);
    link = await TcpProxy.start([{ host: database.hostname, port: Number(database.port || 5432) }]);
    database.hostname = '127.0.0.1';
    database.port = String(link.port);
    node = await group.start('A', { DATABASE_URL: database.toString() });
  }, 120_000);

  afterAll(async () => {
    await group?.close();
    await link?.close();
  });

  it('answers sends with an error while the database is away, then stores them exactly once', async () => {
    const bob = await login(node.url, 'cleaner1');
    const { socket, ready } = await TestSocket.connect(`ws://127.0.0.1:${node.port}/ws/user/${bob.user.id}/`, { token: bob.token });
    const roomId = ready.rooms.find((r) => r.type === 'job')?.id;
    if (roomId === undefined) throw new Error('the demo job room is missing');
    socket.send({ type: 'send', ref: 'before', roomId, clientId: 'db-before', content: 'before the outage' });
    const first = await socket.next('ack', (f) => f.ref === 'before');

    link.cut();
    socket.send({ type: 'send', ref: 'during', roomId, clientId: 'db-during', content: 'sent while the database is away' });
    const failure = await socket.next('error', (f) => f.ref === 'during', 30_000);
    expect(['UNAVAILABLE', 'INTERNAL']).toContain(failure.code);
    await waitUntil('node reports 503', async () => (await node.health()) === 503);
    expect(node.alive).toBe(true);
    expect(socket.frames.some((f) => f.type === 'ack' && f.clientId === 'db-during')).toBe(false);

    link.restore();
    await waitUntil('node healthy again', async () => (await node.health()) === 200, 30_000);
    // The client retries with the same clientId: stored once, even when the retry is repeated.
    socket.send({ type: 'send', ref: 'retry1', roomId, clientId: 'db-during', content: 'sent while the database is away' });
    const stored = await socket.next('ack', (f) => f.ref === 'retry1', 30_000);
    socket.send({ type: 'send', ref: 'retry2', roomId, clientId: 'db-during', content: 'sent while the database is away' });
    const again = await socket.next('ack', (f) => f.ref === 'retry2');
    expect(again.message.id).toBe(stored.message.id);
    expect(stored.message.seq).toBe(first.message.seq + 1);

    socket.send({ type: 'history', ref: 'h', roomId, afterSeq: 0, limit: 100 });
    const history = await socket.next('history', (f) => f.ref === 'h');
    expect(history.messages.filter((m) => m.content === 'sent while the database is away')).toHaveLength(1);
    const seqs = history.messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    socket.ws.close();
  });
});
