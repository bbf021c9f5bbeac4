/**
 * PostgreSQL ends the node's connections under load (`pg_terminate_backend`,
 * as a failover, an operator or an idle-session killer does; the shared
 * server itself is never restarted): the node must live on, every send it
 * acked must be stored, and its pool must recover by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Message } from '@ecc/protocol';
import { TEST_REDIS_URL, sharedRedisGate, waitUntil } from './support/redis.ts';
import { NodeGroup, postgresGate, type ChatNode } from './support/nodes.ts';
import { Tab, login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

/** Ends every connection to `database` but the caller's; returns how many. */
async function terminateBackends(admin: pg.Client, database: string): Promise<number> {
  const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return rowCount ?? 0;
}

describe.skipIf(!servicesUp)('PostgreSQL connections terminated under load', { timeout: 120_000 }, () => {
  let group: NodeGroup;
  let node: ChatNode;
  let admin: pg.Client;
  const tabs: Tab[] = [];

  beforeAll(async () => {
    group = await NodeGroup.create(TEST_REDIS_URL);
    // The sends of this test are not what the rate limit is about.
    node = await group.start('A', { SEND_RATE_LIMIT: '100000' });
    admin = new pg.Client({ connectionString: group.databaseUrl });
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await admin?.end();
    await group?.close();
  });

  it('keeps the node up, stores every acked send, and recovers its pool', async () => {
    const database = new URL(group.databaseUrl).pathname.slice(1);
    const alice = await Tab.open('alice', node.url, await login(node.url, 'client1'));
    const bob = await Tab.open('bob', node.url, await login(node.url, 'cleaner1'));
    tabs.push(alice, bob);
    const roomId = alice.rooms.find((r) => r.type === 'job')?.id;
    if (roomId === undefined) throw new Error('the demo job room is missing');

    // Both users write without pause while the database drops the node's connections again and again.
    let writing = true;
    const acked: Message[] = [];
    const writer = async (tab: Tab, w: number) => {
      for (let i = 0; writing; i++) {
        const content = `${tab.name}/${w} ${i}`;
        await tab.client.send({ roomId, content }).then(
          (message) => acked.push(message),
          () => undefined, // refused while the database was away: never acked, so nothing is owed
        );
      }
    };
    const writers = [alice, alice, bob, bob].map((tab, w) => writer(tab, w));
    let terminated = 0;
    for (let round = 0; round < 20 && node.alive; round++) {
      await waitUntil('sends stored between the rounds', () => acked.length > round * 3 || !node.alive, 30_000);
      terminated += await terminateBackends(admin, database);
    }
    writing = false;
    await Promise.race([Promise.all(writers), waitUntil('the node to die', () => !node.alive, 60_000)]);

    expect(node.alive).toBe(true);
    expect(terminated).toBeGreaterThan(0);
    await waitUntil('node healthy', async () => (await node.health()) === 200, 30_000);
    // The pool works again: a new send is acked.
    const after = await alice.client.send({ roomId, content: 'after the terminations' });
    acked.push(after);
    // Every ack stands for a stored message, once, with the seq it was acked with.
    const stored: Message[] = [];
    for (let afterSeq = 0, more = true; more; afterSeq = stored.at(-1)?.seq ?? afterSeq) {
      const page = await bob.client.history({ roomId, afterSeq, limit: 100 });
      stored.push(...page.messages);
      more = page.hasMore;
    }
    const bySeq = new Map(stored.map((m) => [m.seq, m]));
    for (const message of acked) expect(bySeq.get(message.seq)).toMatchObject({ id: message.id, content: message.content });
    const contents = stored.map((m) => m.content);
    expect(new Set(contents).size).toBe(contents.length);
  });
});
