/**
 * The PresenceTracker contract over both versions (two in-process trackers
 * sharing counts; two RedisPresence nodes on the real Redis), and, for Redis,
 * what only a cluster has: a node that dies without closing its sockets is
 * swept and its users reported offline exactly once; a node swept while it
 * was only paused re-registers its users and reports them online again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TooManySockets, type PresenceTracker } from './bus.ts';
import { MemoryPresence } from './memory.ts';
import { RedisPresence } from './redisPresence.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';

const redisAvailable = await sharedRedisGate();
const here = path.dirname(fileURLToPath(import.meta.url));
const presenceNodeScript = path.resolve(here, '../../test/cluster/support/presenceNode.ts');

interface Flavour {
  name: string;
  enabled: boolean;
  create(count: number): Promise<PresenceTracker[]>;
  cleanup(): Promise<void>;
}

const memoryFlavour: Flavour = {
  name: 'MemoryPresence',
  enabled: true,
  async create(count) {
    const first = new MemoryPresence();
    return [first, ...Array.from({ length: count - 1 }, () => first.sibling())];
  },
  async cleanup() {},
};

let redisPrefix = randomPrefix();
const redisFlavour: Flavour = {
  name: 'RedisPresence',
  enabled: redisAvailable,
  async create(count) {
    redisPrefix = randomPrefix();
    const trackers = Array.from({ length: count }, () => new RedisPresence({ url: TEST_REDIS_URL, prefix: redisPrefix, logger: testLogger() }));
    await waitUntil('presence registered in Redis', () => trackers.every((t) => t.healthy()));
    return trackers;
  },
  async cleanup() {
    await deletePrefix(TEST_REDIS_URL, redisPrefix);
  },
};

for (const flavour of [memoryFlavour, redisFlavour]) {
  describe.skipIf(!flavour.enabled)(`${flavour.name} contract`, () => {
    let trackers: PresenceTracker[] = [];

    afterEach(async () => {
      await Promise.all(trackers.map((t) => t.close()));
      trackers = [];
      await flavour.cleanup();
    });

    async function two(): Promise<[PresenceTracker, PresenceTracker]> {
      trackers = await flavour.create(2);
      const [a, b] = trackers;
      if (!a || !b) throw new Error('two trackers expected');
      return [a, b];
    }

    it('reports online at the first socket anywhere and offline at the last', async () => {
      const [a, b] = await two();
      expect(await a.socketOpened(1)).toBe(true);
      expect(await b.socketOpened(1)).toBe(false);
      expect(await a.socketOpened(1)).toBe(false);
      expect(await a.onlineAmong([1, 2])).toEqual(new Set([1]));

      expect(await a.socketClosed(1)).toBe(false);
      expect(await a.socketClosed(1)).toBe(false);
      expect(await b.onlineAmong([1])).toEqual(new Set([1]));
      expect(await b.socketClosed(1)).toBe(true);
      expect(await a.onlineAmong([1])).toEqual(new Set());
    });

    it('announces each transition exactly once when nodes race', async () => {
      const [a, b] = await two();
      const opened = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).socketOpened(42)));
      expect(opened.filter(Boolean)).toHaveLength(1);
      const closed = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).socketClosed(42)));
      expect(closed.filter(Boolean)).toHaveLength(1);
      expect(await a.onlineAmong([42])).toEqual(new Set());
    });

    it('holds a user to maxSockets over every node, counting nothing for a refused socket', async () => {
      const [a, b] = await two();
      expect(await a.socketOpened(7, 3)).toBe(true);
      expect(await a.socketOpened(7, 3)).toBe(false);
      expect(await b.socketOpened(7, 3)).toBe(false);
      await expect(b.socketOpened(7, 3)).rejects.toBeInstanceOf(TooManySockets);
      await expect(a.socketOpened(7, 3)).rejects.toBeInstanceOf(TooManySockets);
      // Another user is not affected.
      expect(await b.socketOpened(8, 3)).toBe(true);
      // The refused ones were never counted: one close frees exactly one place.
      expect(await b.socketClosed(7)).toBe(false);
      expect(await b.socketOpened(7, 3)).toBe(false);
      await expect(a.socketOpened(7, 3)).rejects.toBeInstanceOf(TooManySockets);
      for (const tracker of [a, a]) expect(await tracker.socketClosed(7)).toBe(false);
      expect(await b.socketClosed(7)).toBe(true);
    });

    it('lets exactly maxSockets in when a user’s sockets open at once on several nodes', async () => {
      const [a, b] = await two();
      const opened = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).socketOpened(9, 4)));
      const accepted = opened.filter((o) => o.status === 'fulfilled');
      expect(accepted).toHaveLength(4);
      expect(accepted.filter((o) => o.value)).toHaveLength(1);
      for (const o of opened) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(TooManySockets);
      // Closing the four that counted takes the user offline exactly at the last.
      const byNode = opened.map((o, i) => (o.status === 'fulfilled' ? (i % 2 ? a : b) : null)).filter((t) => t !== null);
      const closed = [];
      for (const tracker of byNode) closed.push(await tracker.socketClosed(9));
      expect(closed).toEqual([false, false, false, true]);
    });

    it('keeps users apart', async () => {
      const [a, b] = await two();
      expect(await a.socketOpened(1)).toBe(true);
      expect(await b.socketOpened(2)).toBe(true);
      expect(await b.onlineAmong([1, 2, 3])).toEqual(new Set([1, 2]));
      expect(await a.socketClosed(1)).toBe(true);
      expect(await a.onlineAmong([1, 2, 3])).toEqual(new Set([2]));
    });
  });
}

describe.skipIf(!redisAvailable)('RedisPresence across processes', () => {
  const children: ChildProcess[] = [];
  let trackers: RedisPresence[] = [];
  const prefix = randomPrefix();

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(trackers.map((t) => t.close()));
    trackers = [];
    await deletePrefix(TEST_REDIS_URL, prefix);
  });

  /** Starts a node in its own process holding sockets of `users`. */
  async function remoteNode(users: number[]): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', presenceNodeScript], {
      env: { ...process.env, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, USERS: users.join(','), HEARTBEAT_MS: '250', TTL_MS: '2000', SWEEP_MS: '250' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await waitUntil('presence node ready', () => {
      if (child.exitCode !== null) throw new Error(`presence node exited with ${child.exitCode}`);
      return output.includes('ready');
    }, 30_000);
    return child;
  }

  async function localNode(): Promise<RedisPresence> {
    const tracker = new RedisPresence({ url: TEST_REDIS_URL, prefix, logger: testLogger(), heartbeatMs: 250, ttlMs: 2000, sweepMs: 250 });
    trackers.push(tracker);
    await waitUntil('presence registered in Redis', () => tracker.healthy());
    return tracker;
  }

  /** Two nodes: one that will leave, and one whose offline reports are recorded. */
  async function watcherAndLeaving() {
    const watcher = await localNode();
    const leaving = await localNode();
    const reports: number[][] = [];
    watcher.onOffline((ids) => reports.push(ids));
    return { watcher, leaving, reports };
  }

  it('reports the users of a killed node offline exactly once, keeping those still connected elsewhere', async () => {
    const survivor = await localNode();
    const other = await localNode();
    const reports: number[][] = [];
    survivor.onOffline((ids) => reports.push(ids));
    other.onOffline((ids) => reports.push(ids));
    expect(await survivor.socketOpened(3)).toBe(true);

    const doomed = await remoteNode([1, 2, 3]);
    expect(await survivor.onlineAmong([1, 2, 3])).toEqual(new Set([1, 2, 3]));

    const exited = once(doomed, 'exit');
    doomed.kill('SIGKILL');
    await exited;

    await waitUntil('the dead node swept', async () => (await survivor.onlineAmong([1, 2])).size === 0, 15_000);
    await waitUntil('offline reported', () => reports.length > 0);
    // Let several more sweeps run on both nodes: nothing may be announced twice.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reports.flat().sort()).toEqual([1, 2]);
    expect(await other.onlineAmong([3])).toEqual(new Set([3]));
  });

  it('has a peer announce the users of a node closed while it still held sockets', async () => {
    const { leaving, reports } = await watcherAndLeaving();
    expect(await leaving.socketOpened(8)).toBe(true);
    await leaving.close();
    await waitUntil('offline reported by the peer', () => reports.length > 0, 15_000);
    expect(reports).toEqual([[8]]);
  });

  it('hands a shutting-down node over: no offline for users who reconnect elsewhere, one for those who do not', async () => {
    const { watcher, leaving, reports } = await watcherAndLeaving();
    expect(await leaving.socketOpened(21)).toBe(true);
    expect(await leaving.socketOpened(22)).toBe(true);

    expect(leaving.handOver()).toBe(true);
    // Its sockets close: nothing changes for the cluster yet.
    expect(await leaving.socketClosed(21)).toBe(false);
    expect(await leaving.socketClosed(22)).toBe(false);
    expect(await watcher.onlineAmong([21, 22])).toEqual(new Set([21, 22]));
    // User 21 reconnects to another node: not a new "online" either.
    expect(await watcher.socketOpened(21)).toBe(false);
    await leaving.close();

    await waitUntil('the handed-over node swept', async () => (await watcher.onlineAmong([22])).size === 0, 15_000);
    await waitUntil('offline reported', () => reports.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reports).toEqual([[22]]);
    expect(await watcher.onlineAmong([21, 22])).toEqual(new Set([21]));
  });

  it('re-registers and announces online again the users of a node swept while it was paused', async () => {
    const watcher = await localNode();
    const reports: number[][] = [];
    watcher.onOffline((ids) => reports.push(ids));
    expect(await watcher.socketOpened(13)).toBe(true);
    const paused = await remoteNode([11, 12, 13]);
    let printed = '';
    paused.stdout?.on('data', (chunk: string) => (printed += chunk));

    // A long GC or VM pause: the process is frozen but its link to Redis stays up.
    paused.kill('SIGSTOP');
    await waitUntil('the silent node swept', async () => (await watcher.onlineAmong([11, 12])).size === 0, 15_000);
    await waitUntil('offline reported', () => reports.length > 0);
    paused.kill('SIGCONT');

    await waitUntil('its users online again', async () => (await watcher.onlineAmong([11, 12, 13])).size === 3, 15_000);
    // The node that holds them announces them (user 13 never went offline: it is not announced).
    await waitUntil('online reported by the resumed node', () => printed.includes('online 11,12\n'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(printed.match(/online /g)).toHaveLength(1);
    expect(reports.flat().sort()).toEqual([11, 12]);
  });

  it('does not count the sockets of a dead node or of one handing its users over against a user’s cap', async () => {
    const watcher = await localNode();
    const leaving = await localNode();
    await leaving.socketOpened(31);
    await leaving.socketOpened(31);
    await expect(watcher.socketOpened(31, 2)).rejects.toBeInstanceOf(TooManySockets);
    // A deploy: its users are reconnecting here, and must get back all their tabs.
    leaving.handOver();
    await waitUntil('a socket let in past the leaving node', async () => opens(watcher, 31, 2), 5000);
    expect(await watcher.socketOpened(31, 2)).toBe(false);
    await expect(watcher.socketOpened(31, 2)).rejects.toBeInstanceOf(TooManySockets);

    const crashed = await remoteNode([33, 33]);
    await expect(watcher.socketOpened(33, 2)).rejects.toBeInstanceOf(TooManySockets);
    crashed.kill('SIGKILL');
    // Once its heartbeat has expired (2 s here), before or after a sweep removes its entries.
    await waitUntil('a socket let in past the dead node', async () => opens(watcher, 33, 2), 15_000);
  });

  it('tells the node where a user’s socket opens whether another live node holds sockets of theirs', async () => {
    const a = await localNode();
    const b = await localNode();
    const spreadOnA: number[] = [];
    const spreadOnB: number[] = [];
    a.onSpread((id) => spreadOnA.push(id));
    b.onSpread((id) => spreadOnB.push(id));
    await a.socketOpened(41);
    await a.socketOpened(41);
    await b.socketOpened(42);
    expect([spreadOnA, spreadOnB]).toEqual([[], []]);
    await b.socketOpened(41);
    // Node A hears of it through the bus (the server publishes it on the user's topic).
    expect([spreadOnA, spreadOnB]).toEqual([[], [41]]);
    await a.socketClosed(41);
    await a.socketClosed(41);
    await b.socketOpened(41);
    expect(spreadOnB).toEqual([41]);
  });

  it('never sweeps a live node', async () => {
    const a = await localNode();
    const b = await localNode();
    const reports: number[][] = [];
    a.onOffline((ids) => reports.push(ids));
    b.onOffline((ids) => reports.push(ids));
    await a.socketOpened(5);
    await b.socketOpened(6);
    // Several heartbeat lifetimes.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await a.onlineAmong([5, 6])).toEqual(new Set([5, 6]));
    expect(reports).toEqual([]);
  });
});

/** Whether a socket of `userId` is let in under `maxSockets` (counted when it is). */
async function opens(tracker: PresenceTracker, userId: number, maxSockets: number): Promise<boolean> {
  try {
    await tracker.socketOpened(userId, maxSockets);
    return true;
  } catch (err) {
    if (err instanceof TooManySockets) return false;
    throw err;
  }
}
