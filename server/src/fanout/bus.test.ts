/**
 * The Bus contract, run over both versions: MemoryBus (several buses on one
 * MemoryBroker) and RedisBus (several instances on the real Redis, random
 * prefix). "Not delivered" is proven with a barrier: a later event on another
 * topic from the same publisher arrives after anything published before it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '@ecc/protocol';
import { roomTopic, userTopic, type Bus, type ClusterEvent, type Topic } from './bus.ts';
import { MemoryBroker, MemoryBus } from './memory.ts';
import { RedisBus } from './redisBus.ts';
import { messageFrame } from '../../test/support/messageFrame.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';

const redisAvailable = await sharedRedisGate();

interface Received {
  topic: Topic;
  event: ClusterEvent;
}

/** A bus plus everything it received. */
function record(bus: Bus): Received[] {
  const received: Received[] = [];
  bus.onEvent((topic, event) => received.push({ topic, event }));
  return received;
}

function typing(roomId: number, userId: number): ClusterEvent {
  const frame: ServerFrame = { type: 'typing', roomId, userId, username: `user${userId}`, isTyping: true };
  return { kind: 'frame', frame };
}

function userIdsOf(received: Received[]): number[] {
  return received.map(({ event }) => (event.kind === 'frame' && event.frame.type === 'typing' ? Number(event.frame.userId) : -1));
}

interface Flavour {
  name: string;
  enabled: boolean;
  /** Creates `count` buses that see each other, as separate nodes would. */
  create(count: number): Bus[];
  cleanup(): Promise<void>;
}

function memoryFlavour(): Flavour {
  return {
    name: 'MemoryBus',
    enabled: true,
    create(count) {
      const broker = new MemoryBroker();
      return Array.from({ length: count }, () => new MemoryBus(broker));
    },
    async cleanup() {},
  };
}

function redisFlavour(): Flavour {
  let prefix = randomPrefix();
  return {
    name: 'RedisBus',
    enabled: redisAvailable,
    create(count) {
      prefix = randomPrefix();
      return Array.from({ length: count }, () => new RedisBus({ url: TEST_REDIS_URL, prefix, logger: testLogger() }));
    },
    async cleanup() {
      await deletePrefix(TEST_REDIS_URL, prefix);
    },
  };
}

for (const flavour of [memoryFlavour(), redisFlavour()]) {
  describe.skipIf(!flavour.enabled)(`${flavour.name} contract`, () => {
    let buses: Bus[] = [];

    async function nodes(count: number): Promise<Bus[]> {
      buses = flavour.create(count);
      await waitUntil('buses healthy', () => buses.every((bus) => bus.healthy()));
      return buses;
    }

    afterEach(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      buses = [];
      await flavour.cleanup();
    });

    it('delivers a topic only to the nodes subscribed to it', async () => {
      const [a, b, c] = await nodes(3);
      if (!a || !b || !c) throw new Error('three buses expected');
      const gotB = record(b);
      const gotC = record(c);
      await b.subscribe(roomTopic(1));
      await c.subscribe(roomTopic(2));

      a.publish(roomTopic(1), typing(1, 10));
      a.publish(roomTopic(2), typing(2, 20));

      await waitUntil('B gets room 1', () => gotB.length === 1);
      await waitUntil('C gets room 2', () => gotC.length === 1);
      // The barrier for B: a room-1 event published after the room-2 one.
      a.publish(roomTopic(1), typing(1, 11));
      await waitUntil('B gets the second room-1 event', () => gotB.length === 2);
      expect(gotB.map((r) => r.topic)).toEqual([roomTopic(1), roomTopic(1)]);
      expect(userIdsOf(gotB)).toEqual([10, 11]);
      expect(gotC).toEqual([{ topic: roomTopic(2), event: typing(2, 20) }]);
    });

    it('keeps room and user topics with the same number apart', async () => {
      const [a, b] = await nodes(2);
      if (!a || !b) throw new Error('two buses expected');
      const gotB = record(b);
      await b.subscribe(userTopic(5));
      a.publish(roomTopic(5), typing(5, 1));
      a.publish(userTopic(5), typing(5, 2));
      await waitUntil('B gets the user-topic event', () => gotB.length >= 1);
      expect(gotB.map((r) => r.topic)).toEqual([userTopic(5)]);
      expect(userIdsOf(gotB)).toEqual([2]);
    });

    it('drops its own echoes but delivers to other subscribed nodes', async () => {
      const [a, b] = await nodes(2);
      if (!a || !b) throw new Error('two buses expected');
      const gotA = record(a);
      const gotB = record(b);
      await a.subscribe(roomTopic(7));
      await b.subscribe(roomTopic(7));

      a.publish(roomTopic(7), typing(7, 1));
      await waitUntil('B gets A’s event', () => gotB.length === 1);
      b.publish(roomTopic(7), typing(7, 2));
      await waitUntil('A gets B’s event', () => gotA.length === 1);
      // A's own event was published before B's reached A: had it echoed, it would be here.
      expect(userIdsOf(gotA)).toEqual([2]);
      expect(userIdsOf(gotB)).toEqual([1]);
    });

    it('keeps a topic until every subscribe has been matched by an unsubscribe', async () => {
      const [a, b] = await nodes(2);
      if (!a || !b) throw new Error('two buses expected');
      const gotB = record(b);
      await b.subscribe(roomTopic(3));
      await b.subscribe(roomTopic(3));
      await b.subscribe(roomTopic(4));

      b.unsubscribe(roomTopic(3));
      a.publish(roomTopic(3), typing(3, 1));
      await waitUntil('still subscribed after one of two unsubscribes', () => gotB.length === 1);

      b.unsubscribe(roomTopic(3));
      // Give the UNSUBSCRIBE its round trip: a subscribe on another topic is answered after it.
      await b.subscribe(roomTopic(99));
      a.publish(roomTopic(3), typing(3, 2));
      a.publish(roomTopic(4), typing(4, 3));
      await waitUntil('barrier event on room 4', () => gotB.length === 2);
      expect(userIdsOf(gotB)).toEqual([1, 3]);
    });

    it('delivers events published right after subscribe resolves', async () => {
      const [a, b] = await nodes(2);
      if (!a || !b) throw new Error('two buses expected');
      const gotB = record(b);
      for (let room = 100; room < 120; room++) {
        await b.subscribe(roomTopic(room));
        a.publish(roomTopic(room), typing(room, room));
      }
      await waitUntil('all 20 events', () => gotB.length === 20);
      expect(new Set(userIdsOf(gotB)).size).toBe(20);
    });

    it('carries every kind of cluster event intact', async () => {
      const [a, b] = await nodes(2);
      if (!a || !b) throw new Error('two buses expected');
      const gotB = record(b);
      await b.subscribe(userTopic(9));
      const events: ClusterEvent[] = [
        typing(1, 9),
        { kind: 'message', frame: messageFrame(3, 1), unread: [{ userId: 9, unread: 3, totalUnread: 4 }] },
        { kind: 'message', frame: messageFrame(3, 1), unread: [], redelivery: true },
        { kind: 'room_changed', roomId: 12 },
        { kind: 'room_changed', roomId: 12, frame: { type: 'pong', ref: 'x' } },
        // Told late after an outage: the room's last seq and a new room's first message.
        { kind: 'room_changed', roomId: 12, catchUp: true, frame: { type: 'room', room: { lastSeq: 4 } }, firstMessage: messageFrame(12, 1) },
        { kind: 'room_changed', roomId: 12, catchUp: true },
        { kind: 'close_session', sessionId: 44, code: 4401, reason: 'logged out' },
      ];
      for (const event of events) a.publish(userTopic(9), event);
      await waitUntil('all events', () => gotB.length === events.length);
      expect(gotB.map((r) => r.event)).toEqual(events);
    });
  });
}
