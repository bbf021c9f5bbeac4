/**
 * RedisPresence through a Redis outage (a private redis-server killed and
 * restarted empty, or one node's link to it cut): nodes keep judging presence
 * by their own sockets, then re-register their real counts by themselves, and
 * know whether the other nodes went on seeing their entries meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisPresence } from './redisPresence.ts';
import { PrivateRedis, privateRedisGate, randomPrefix, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';
import { TcpProxy } from '../../test/cluster/support/tcpProxy.ts';

const privateAvailable = await privateRedisGate();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!privateAvailable)('RedisPresence through a Redis outage', () => {
  it('works locally while Redis is down and re-registers the real counts when it returns', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.kill());
    const prefix = randomPrefix();
    const make = () => {
      const tracker = new RedisPresence({ url: server.url, prefix, logger: testLogger(), heartbeatMs: 200, ttlMs: 1000, sweepMs: 200, commandTimeoutMs: 500 });
      cleanups.push(() => tracker.close());
      return tracker;
    };
    const a = make();
    const b = make();
    const announcedOnline: number[][] = [];
    for (const tracker of [a, b]) tracker.onOnline((ids) => announcedOnline.push(ids));
    await waitUntil('registered', () => a.healthy() && b.healthy());
    expect(await a.socketOpened(1)).toBe(true);
    expect(await b.socketOpened(2)).toBe(true);

    await server.kill();
    await waitUntil('unhealthy', () => !a.healthy() && !b.healthy());
    // Judged by this node's own sockets meanwhile.
    expect(await a.socketOpened(3)).toBe(true);
    expect(await a.socketOpened(3)).toBe(false);
    expect(await a.socketClosed(1)).toBe(true);
    expect(await a.onlineAmong([1, 2, 3])).toEqual(new Set([3]));

    // Restarted empty (no persistence): everything must come back from the nodes.
    await server.start();
    await waitUntil('re-registered', () => a.healthy() && b.healthy(), 20_000);
    expect(await b.onlineAmong([1, 2, 3])).toEqual(new Set([2, 3]));
    expect(await a.socketClosed(3)).toBe(false);
    expect(await b.socketClosed(2)).toBe(true);
    expect(await b.socketOpened(3)).toBe(false);
    expect(await a.socketClosed(3)).toBe(false);
    expect(await b.socketClosed(3)).toBe(true);
    // No sweep told anyone these users went offline: re-registering announces nothing.
    expect(announcedOnline).toEqual([]);
    // But the other nodes may have read them offline while Redis held nothing of theirs.
    expect([a.entriesKept(), b.entriesKept()]).toEqual([false, false]);
  });

  it('knows its entries were kept when only its own link was cut', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.kill());
    const { link, url } = await TcpProxy.toRedis(server.url);
    cleanups.push(() => link.close());
    const tracker = new RedisPresence({ url, prefix: randomPrefix(), logger: testLogger(), commandTimeoutMs: 500 });
    cleanups.push(() => tracker.close());
    await waitUntil('registered', () => tracker.healthy());
    await tracker.socketOpened(1);

    link.cut();
    await waitUntil('unhealthy', () => !tracker.healthy());
    await tracker.socketOpened(2);
    link.restore();
    await waitUntil('re-registered', () => tracker.healthy(), 20_000);
    expect(tracker.entriesKept()).toBe(true);
  });
});
