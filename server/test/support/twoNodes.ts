/**
 * Two chat nodes in this process sharing one database and one Redis, each
 * with its own RedisBus, as two processes would in production: the set-up of
 * the tests of what one node does while its link to Redis (or Redis itself)
 * fails and the other's does not. Node A seeds the demo data.
 *
 * Redis is the shared instance under a random prefix, or a redis-server of
 * the describe's own that a test may kill. Node A can reach it through a
 * TcpProxy link the test cuts or freezes (cluster/support/tcpProxy.ts).
 */
import { afterAll, beforeAll } from 'vitest';
import type { Bus } from '../../src/fanout/bus.ts';
import { RedisBus, type RedisBusOptions } from '../../src/fanout/redisBus.ts';
import { RedisPresence } from '../../src/fanout/redisPresence.ts';
import type { Dialect } from '../../src/storage/store.ts';
import { startTestServer, type TestServer, type TestServerOptions } from '../../src/testing.ts';
import { PrivateRedis, TEST_REDIS_URL, deletePrefix, randomPrefix, testLogger, waitUntil } from '../cluster/support/redis.ts';
import { TcpProxy } from '../cluster/support/tcpProxy.ts';
import { createTestStore, type TestStore } from './databases.ts';

export interface TwoNodesOptions {
  /** The shared store's database (default sqlite). */
  dialect?: Dialect;
  /** `private`: a redis-server started before the nodes and killed after them (default: the shared one). */
  redis?: 'shared' | 'private';
  /** Node A reaches Redis through a link the test can cut or freeze (`link`, `whileCut`). */
  linkA?: boolean;
  /** More options of node A's bus (e.g. a shorter `linkCheck`). */
  busA?: Partial<RedisBusOptions>;
  /** The bus node B is given, made of its RedisBus (e.g. a HeldBus); closed in its place. */
  wrapB?: (bus: RedisBus) => Bus;
  /** Configuration of both nodes. */
  config?: TestServerOptions['config'];
  /** Each node counts presence in Redis (`presenceA`, `presenceB`, as in production) instead of in its own memory. */
  redisPresence?: boolean;
}

/** What the hooks fill in (read it inside tests). */
export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  busA: RedisBus;
  /** Node B's RedisBus (inside `wrapB`'s bus when given). */
  busB: RedisBus;
  /** The bus node B was given: `busB` or what `wrapB` made of it. */
  nodeBusB: Bus;
  db: TestStore;
  /** Node A's presence tracker (with `redisPresence`; through node A's link when it has one). */
  presenceA: RedisPresence;
  /** Node B's presence tracker (with `redisPresence`). */
  presenceB: RedisPresence;
  /** Node A's link to Redis (with `linkA`). */
  readonly link: TcpProxy;
  /** The private redis-server (with `redis: 'private'`). */
  readonly redis: PrivateRedis;
  /** Cuts node A's link, runs `meanwhile`, restores the link and waits until A's bus is healthy again. */
  whileCut(meanwhile: () => Promise<void>): Promise<void>;
}

/**
 * Registers the hooks of the enclosing describe: before its tests the
 * database, Redis (when private), node A's link, both buses and both nodes,
 * waiting until both buses are healthy; after them all of it closed again in
 * reverse (and the shared Redis's keys under the prefix deleted).
 */
export function twoNodes(options: TwoNodesOptions = {}): TwoNodes {
  const prefix = randomPrefix();
  let link: TcpProxy | undefined;
  let redis: PrivateRedis | undefined;
  const nodes = {
    get link(): TcpProxy {
      if (!link) throw new Error('node A has no link of its own: pass linkA');
      return link;
    },
    get redis(): PrivateRedis {
      if (!redis) throw new Error('no private Redis: pass redis: "private"');
      return redis;
    },
    async whileCut(meanwhile: () => Promise<void>): Promise<void> {
      nodes.link.cut();
      await waitUntil('node A sees its Redis link gone', () => !nodes.busA.healthy());
      await meanwhile();
      nodes.link.restore();
      await waitUntil('node A healthy again', () => nodes.busA.healthy(), 20_000);
    },
  } as TwoNodes;

  beforeAll(async () => {
    if (options.redis === 'private') redis = await PrivateRedis.start();
    const redisUrl = redis?.url ?? TEST_REDIS_URL;
    let urlA = redisUrl;
    if (options.linkA) ({ link, url: urlA } = await TcpProxy.toRedis(redisUrl));
    nodes.db = await createTestStore(options.dialect ?? 'sqlite');
    nodes.busA = new RedisBus({ url: urlA, prefix, logger: testLogger(), ...options.busA });
    nodes.busB = new RedisBus({ url: redisUrl, prefix, logger: testLogger() });
    nodes.nodeBusB = options.wrapB?.(nodes.busB) ?? nodes.busB;
    if (options.redisPresence) {
      // As createFanout makes them: the bus's node id and its judgement of whether Redis answers.
      nodes.presenceA = new RedisPresence({ url: urlA, prefix, logger: testLogger(), nodeId: nodes.busA.nodeId, stall: nodes.busA.stall });
      nodes.presenceB = new RedisPresence({ url: redisUrl, prefix, logger: testLogger(), nodeId: nodes.busB.nodeId, stall: nodes.busB.stall });
    }
    nodes.a = await startTestServer({ store: nodes.db.store, bus: nodes.busA, presence: nodes.presenceA, config: options.config });
    nodes.b = await startTestServer({ store: nodes.db.store, seed: false, bus: nodes.nodeBusB, presence: nodes.presenceB, config: options.config });
    await waitUntil('both buses healthy', () => nodes.busA.healthy() && nodes.nodeBusB.healthy());
    if (options.redisPresence) await waitUntil('both nodes’ presence in Redis', () => nodes.presenceA.healthy() && nodes.presenceB.healthy());
  });
  afterAll(async () => {
    await nodes.b?.close();
    await nodes.a?.close();
    await nodes.presenceB?.close();
    await nodes.presenceA?.close();
    await nodes.busA?.close();
    await nodes.nodeBusB?.close();
    await link?.close();
    await nodes.db?.cleanup();
    if (redis) await redis.kill();
    else await deletePrefix(TEST_REDIS_URL, prefix);
  });
  return nodes;
}
