/**
 * What only the Redis bus has: channels subscribed on Redis only while
 * wanted, invalid envelopes ignored, and an outage (a private redis-server
 * killed and restarted) that publish survives without throwing or queueing,
 * after which the bus re-subscribes and reports recovery by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { roomTopic, type ClusterEvent, type Topic } from './bus.ts';
import { BusEnvelopeSchema, RedisBus } from './redisBus.ts';
import { messageFrame } from '../../test/support/messageFrame.ts';
import {
  PrivateRedis,
  TEST_REDIS_URL,
  privateRedisGate,
  randomPrefix,
  sharedRedisGate,
  testLogger,
  waitUntil,
} from '../../test/cluster/support/redis.ts';

const sharedAvailable = await sharedRedisGate();
const privateAvailable = await privateRedisGate();

const ping = (n: number): ClusterEvent => ({ kind: 'frame', frame: { type: 'pong', ref: String(n) } });
const refsOf = (events: { topic: Topic; event: ClusterEvent }[]) =>
  events.map(({ event }) => (event.kind === 'frame' && event.frame.type === 'pong' ? event.frame.ref : undefined));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function bus(url: string, prefix: string): RedisBus {
  const b = new RedisBus({ url, prefix, logger: testLogger(), commandTimeoutMs: 1000 });
  cleanups.push(() => b.close());
  return b;
}

function rawClient(url: string): Redis {
  const redis = new Redis(url);
  cleanups.push(async () => void redis.disconnect());
  return redis;
}

describe.skipIf(!sharedAvailable)('RedisBus on the shared Redis', () => {
  it('holds a Redis subscription for a topic only while some local interest wants it', async () => {
    const prefix = randomPrefix();
    const node = bus(TEST_REDIS_URL, prefix);
    const raw = rawClient(TEST_REDIS_URL);
    const channel = `${prefix}room:1`;
    const subscribers = async () => Number((await raw.pubsub('NUMSUB', channel))[1]);
    await waitUntil('bus healthy', () => node.healthy());

    expect(await subscribers()).toBe(0);
    await node.subscribe(roomTopic(1));
    await node.subscribe(roomTopic(1));
    expect(await subscribers()).toBe(1);
    node.unsubscribe(roomTopic(1));
    expect(await subscribers()).toBe(1);
    node.unsubscribe(roomTopic(1));
    await waitUntil('channel released', async () => (await subscribers()) === 0);
  });

  it('ignores malformed envelopes and keeps delivering valid ones', async () => {
    const prefix = randomPrefix();
    const sender = bus(TEST_REDIS_URL, prefix);
    const receiver = bus(TEST_REDIS_URL, prefix);
    const raw = rawClient(TEST_REDIS_URL);
    const got: { topic: Topic; event: ClusterEvent }[] = [];
    receiver.onEvent((topic, event) => got.push({ topic, event }));
    await waitUntil('buses healthy', () => sender.healthy() && receiver.healthy());
    await receiver.subscribe(roomTopic(2));

    await raw.publish(`${prefix}room:2`, 'not json');
    await raw.publish(`${prefix}room:2`, JSON.stringify({ origin: 'x', topic: 'room:2', event: { kind: 'explode' } }));
    await raw.publish(`${prefix}room:2`, JSON.stringify({ origin: 'x', topic: 'room:2; DROP', event: ping(0) }));
    // A valid envelope naming another topic than its channel is not delivered either.
    await raw.publish(`${prefix}room:2`, JSON.stringify({ origin: 'x', topic: 'room:3', event: ping(0) }));
    sender.publish(roomTopic(2), ping(1));

    await waitUntil('the valid event', () => got.length === 1);
    expect(refsOf(got)).toEqual(['1']);
    expect(receiver.getStats().rejected).toBe(3);
  });
});

describe('what a node takes from another during a rolling deploy', () => {
  const envelope = (event: unknown) => BusEnvelopeSchema.safeParse({ origin: 'old', topic: 'user:4', event });
  const room = { id: 42, name: 'Job #1', type: 'job', job: null, participants: [], unread: 2, lastSeq: 3, lastMessage: null, updatedAt: '', isActive: true };

  it('a late room change as told now (the room’s last seq) and as a node before told it (the whole frame, its versions unread)', () => {
    const slim = { kind: 'room_changed', roomId: 42, catchUp: true, frame: { type: 'room', room: { lastSeq: 3 } }, firstMessage: messageFrame(42, 1) };
    expect(envelope(slim).data?.event).toEqual(slim);
    const whole = { kind: 'room_changed', roomId: 42, frame: { type: 'room', room }, versions: { roomVersion: 3, userVersion: 5 }, catchUp: true };
    expect(envelope(whole).data?.event).toEqual({ kind: 'room_changed', roomId: 42, frame: { type: 'room', room }, catchUp: true });
    const live = { kind: 'room_changed', roomId: 42, frame: { type: 'room', room }, versions: { roomVersion: 3, userVersion: 5 } };
    expect(envelope(live).data?.event).toEqual(live);
    // Late, its room's last seq is what is read of its frame: one without is refused.
    expect(envelope({ ...slim, frame: { type: 'room', room: {} } }).success).toBe(false);
  });
});

describe.skipIf(!privateAvailable)('RedisBus through a Redis outage', () => {
  it('drops while Redis is down without throwing, then re-subscribes and recovers by itself', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.kill());
    const prefix = randomPrefix();
    const a = bus(server.url, prefix);
    const b = bus(server.url, prefix);
    const got: { topic: Topic; event: ClusterEvent }[] = [];
    b.onEvent((topic, event) => got.push({ topic, event }));
    let recoveries = 0;
    b.onRecover(() => recoveries++);
    await waitUntil('buses healthy', () => a.healthy() && b.healthy());
    await b.subscribe(roomTopic(5));
    a.publish(roomTopic(5), ping(1));
    await waitUntil('delivery before the outage', () => got.length === 1);

    await server.kill();
    await waitUntil('both report unhealthy', () => !a.healthy() && !b.healthy());
    for (let i = 0; i < 1000; i++) expect(() => a.publish(roomTopic(5), ping(100 + i))).not.toThrow();
    // Dropped at once, or — when the subscriber noticed the outage before the publisher's link did —
    // when the dying link refuses them a moment later.
    await waitUntil('the outage publishes dropped', () => a.getStats().dropped >= 1000);
    // Subscribed while down: remembered and subscribed on reconnect.
    await b.subscribe(roomTopic(6));

    await server.start();
    await waitUntil('both healthy again', () => a.healthy() && b.healthy(), 20_000);
    await waitUntil('recovery reported', () => recoveries === 1);

    a.publish(roomTopic(5), ping(2));
    a.publish(roomTopic(6), ping(3));
    await waitUntil('delivery after the outage', () => got.length === 3);
    // Nothing dropped during the outage is replayed late (clients resync from storage instead).
    expect(refsOf(got)).toEqual(['1', '2', '3']);
  });

  it('treats a Redis that stops answering like an outage, and recovers without a reconnect', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.kill());
    const prefix = randomPrefix();
    const make = () => {
      const b = new RedisBus({ url: server.url, prefix, logger: testLogger(), commandTimeoutMs: 300, maxInFlight: 20 });
      cleanups.push(() => b.close());
      return b;
    };
    const a = make();
    const b = make();
    const got: { topic: Topic; event: ClusterEvent }[] = [];
    b.onEvent((topic, event) => got.push({ topic, event }));
    let recoveries = 0;
    a.onRecover(() => recoveries++);
    await waitUntil('buses healthy', () => a.healthy() && b.healthy());
    await b.subscribe(roomTopic(1));

    const admin = rawClient(server.url);
    await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
    for (let i = 0; i < 50; i++) a.publish(roomTopic(1), ping(i));
    expect(a.healthy()).toBe(false);
    expect(a.getStats().dropped).toBeGreaterThanOrEqual(30);
    // Subscribing while Redis stalls: the command times out and is retried.
    const subscribed = b.subscribe(roomTopic(2));

    await waitUntil('healthy after the pause', () => a.healthy() && b.healthy(), 20_000);
    await waitUntil('recovery reported', () => recoveries === 1);
    await subscribed;
    const before = got.length;
    a.publish(roomTopic(2), ping(1000));
    await waitUntil('delivery on the topic subscribed during the stall', () => got.length > before && refsOf(got).includes('1000'));
  });

  it('starts unhealthy when Redis is down at boot and becomes healthy when it appears', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.kill());
    await server.kill();
    const prefix = randomPrefix();
    const a = bus(server.url, prefix);
    const b = bus(server.url, prefix);
    await b.subscribe(roomTopic(1));
    expect(a.healthy()).toBe(false);
    a.publish(roomTopic(1), ping(0));

    await server.start();
    await waitUntil('healthy once Redis is up', () => a.healthy() && b.healthy(), 20_000);
    const got: string[] = [];
    b.onEvent((_topic, event) => got.push(event.kind));
    a.publish(roomTopic(1), ping(1));
    await waitUntil('delivered', () => got.length === 1);
  });
});
