/** The setup the cluster tests share: named nodes of one group, and the tabs to close after them. */
import { afterAll, beforeAll } from 'vitest';
import { PrivateRedis } from './redis.ts';
import { TcpProxy } from './tcpProxy.ts';
import { NodeGroup, type ChatNode, type NodeEnv } from './nodes.ts';
import { Tab, login } from './tabs.ts';

export type Cluster<Name extends string> = { tabs: Tab[] } & Record<Name, ChatNode>;

/**
 * Registers the hooks of the enclosing describe: before its tests a node
 * group on the Redis at `redisUrl` (a function when an earlier hook starts
 * that Redis) and a node for each of `nodes` (name → process name), in that
 * order, the first seeding the demo data, each with `env` over the shared
 * settings; after them every tab put in `tabs`
 * is closed, then the group (nodes killed, database dropped). Returns the
 * object the hooks fill in: read its fields inside tests and later hooks.
 */
export function nodeCluster<Name extends string>(redisUrl: string | (() => string), nodes: Record<Name, string>, env: Partial<NodeEnv> = {}): Cluster<Name> {
  const tabs: Tab[] = [];
  const cluster = { tabs } as Cluster<Name>;
  let group: NodeGroup | undefined;
  beforeAll(async () => {
    group = await NodeGroup.create(typeof redisUrl === 'string' ? redisUrl : redisUrl());
    for (const [name, processName] of Object.entries<string>(nodes)) {
      Object.assign(cluster, { [name]: await group.start(processName, env) });
    }
  }, 120_000);
  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await group?.close();
  });
  return cluster;
}

/**
 * Nodes `a` and `b` (see nodeCluster) on a redis-server of the enclosing describe's own, started before
 * them and killed after them (after-hooks run in reverse), so a test can stop, pause or restart it.
 */
export function clusterOnPrivateRedis(env: Partial<NodeEnv> = {}): { cluster: Cluster<'a' | 'b'>; redis: () => PrivateRedis } {
  let redis: PrivateRedis | undefined;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(async () => {
    await redis?.kill();
  });
  const own = () => {
    if (!redis) throw new Error('the private Redis is not started');
    return redis;
  };
  return { cluster: nodeCluster(() => own().url, { a: 'A', b: 'B' }, env), redis: own };
}

/**
 * Alice with a tab on node `a` and one on node `b` (so her sends are counted over the nodes), Bob with a
 * tab on `b`; the tabs are closed after the tests. `roomId` is their demo job room.
 */
export async function aliceOnTwoNodesBobOnB(cluster: Cluster<'a' | 'b'>) {
  const { a, b, tabs } = cluster;
  const alice = await login(a.url, 'client1');
  const bob = await login(b.url, 'cleaner1');
  const aliceOnA = await Tab.open('alice@A', a.url, alice);
  const aliceOnB = await Tab.open('alice@B', b.url, alice);
  const bobOnB = await Tab.open('bob@B', b.url, bob);
  tabs.push(aliceOnA, aliceOnB, bobOnB);
  const roomId = bobOnB.rooms.find((r) => r.type === 'job')?.id;
  if (roomId === undefined) throw new Error('the demo job room is missing');
  return { alice, bob, aliceOnA, aliceOnB, bobOnB, roomId };
}

/**
 * A round-robin TCP balancer in front of the nodes `nodes()` names, for the enclosing describe (registered
 * after nodeCluster, so the nodes are up when it starts); its URL, read inside tests.
 */
export function loadBalancer(nodes: () => ChatNode[]): () => string {
  let balancer: TcpProxy | undefined;
  beforeAll(async () => {
    balancer = await TcpProxy.start(nodes().map((node) => ({ host: '127.0.0.1', port: node.port })));
  });
  afterAll(async () => {
    await balancer?.close();
  });
  return () => {
    if (!balancer) throw new Error('the balancer is not started');
    return `http://127.0.0.1:${balancer.port}`;
  };
}
