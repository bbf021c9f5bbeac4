/**
 * The group-commit batcher over a real store: several batches commit at
 * once, yet each room's messages are numbered in arrival order, every send
 * gets one answer, and the last unread count a recipient hears is final.
 */
import { describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { ServerFrame } from '@ecc/protocol';
import { MemoryBus } from '../src/fanout/memory.ts';
import type { Store } from '../src/storage/store.ts';
import { Hub, type HubSocket } from '../src/ws/hub.ts';
import { SeenSeqs } from '../src/ws/seenSeqs.ts';
import { SendBatcher } from '../src/ws/sendBatcher.ts';
import { DIALECTS } from './support/databases.ts';
import { storeFixture } from './storage/fixture.ts';
import { makeUser, plainRoom } from './storage/people.ts';

function recordingSocket(id: string, userId: number): HubSocket & { frames: ServerFrame[]; seen: SeenSeqs } {
  const frames: ServerFrame[] = [];
  const seen = new SeenSeqs();
  return {
    id,
    userId,
    sessionId: 1,
    frames,
    seen,
    sendText: (t) => frames.push(JSON.parse(t) as ServerFrame),
    sendMessage: (roomId, seq, t, redelivery) => seen.admit(roomId, seq, redelivery) && frames.push(JSON.parse(t) as ServerFrame) > 0,
    sendUnread: ({ roomId, unread, totalUnread }) => frames.push({ type: 'unread', roomId, unread, totalUnread }),
    sendRoom: ({ room }) => frames.push({ type: 'room', room }),
    close: () => {},
  };
}

/** The store, counting how many appendMessages calls overlap. */
function countingOverlap(store: Store): { store: Store; maxOverlap: () => number } {
  let running = 0;
  let max = 0;
  const appendMessages: Store['appendMessages'] = async (batch) => {
    running += 1;
    max = Math.max(max, running);
    try {
      return await store.appendMessages(batch);
    } finally {
      running -= 1;
    }
  };
  return { store: Object.assign(Object.create(store) as Store, { appendMessages }), maxOverlap: () => max };
}

/** A hub with one recording socket of `userId`, in `roomIds`. */
async function hubWith(userId: number, roomIds: number[]) {
  const hub = new Hub({ bus: new MemoryBus(), logger: pino({ level: 'silent' }), onRoomChanged: () => {} });
  const socket = recordingSocket('recipient', userId);
  await hub.addSocket(socket);
  await hub.joinRooms(userId, roomIds);
  return { hub, socket };
}

for (const dialect of DIALECTS) {
  describe(`SendBatcher (${dialect})`, () => {
    const fixture = storeFixture(dialect, async (store) => {
      const alice = await makeUser(store, 'client', 'alice');
      const bob = await makeUser(store, 'cleaner', 'bob');
      const roomIds: number[] = [];
      for (let i = 0; i < 6; i++) roomIds.push(await plainRoom(store, [alice, bob], `Room ${i}`));
      return { alice, bob, roomIds };
    });

    it('commits batches side by side yet numbers each room in arrival order, answering every send once', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const { hub, socket: bobSocket } = await hubWith(bob.id, roomIds);
      const counted = countingOverlap(db.store);
      const batcher = new SendBatcher({ store: counted.store, hub, logger: pino({ level: 'silent' }), maxBatch: 4, windowMs: 0, maxInFlight: 4 });

      const answers = new Map<string, ServerFrame[]>();
      const sent: { roomId: number; clientId: string }[] = [];
      for (let n = 0; n < 150; n++) {
        // Uneven traffic: room 0 gets a third of everything, so its sends queue behind its own batches.
        const roomId = n % 3 === 0 ? (roomIds[0] as number) : (roomIds[n % roomIds.length] as number);
        const clientId = `c${n}`;
        sent.push({ roomId, clientId });
        answers.set(clientId, []);
        batcher.enqueue({
          socketId: 'alice',
          reply: (frame) => answers.get(clientId)?.push(frame),
          replyText: (text) => answers.get(clientId)?.push(JSON.parse(text) as ServerFrame),
          senderId: alice.id,
          frame: { type: 'send', roomId, clientId, content: `message ${n}` },
          recipients: [bob.id],
        });
      }
      await batcher.drain();

      expect(counted.maxOverlap()).toBeGreaterThan(1);
      const seqOf = new Map<string, number>();
      for (const { clientId } of sent) {
        const frames = answers.get(clientId) ?? [];
        expect(frames).toHaveLength(1);
        const ack = frames[0];
        if (ack?.type !== 'ack') throw new Error(`no ack for ${clientId}: ${JSON.stringify(ack)}`);
        seqOf.set(clientId, ack.message.seq);
      }
      for (const roomId of roomIds) {
        const inArrivalOrder = sent.filter((s) => s.roomId === roomId).map((s) => seqOf.get(s.clientId));
        expect(inArrivalOrder).toEqual(inArrivalOrder.map((_, i) => i + 1));
      }

      const delivered = bobSocket.frames.flatMap((f) => (f.type === 'message' ? [f.message.clientId] : []));
      expect(delivered.sort()).toEqual(sent.map((s) => s.clientId).sort());
      const lastUnread = bobSocket.frames.filter((f) => f.type === 'unread').at(-1);
      expect(lastUnread).toMatchObject({ totalUnread: 150 });
    });

    it('commits the next batch while the one before it is answered, yet answers in commit order', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const hub = new Hub({ bus: new MemoryBus(), logger: pino({ level: 'silent' }), onRoomChanged: () => {} });
      let appends = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let firstUnread = true;
      // The first batch's unread read waits for the test: the batch is committed but not yet answered.
      const store = Object.assign(Object.create(db.store) as Store, {
        appendMessages: (batch: Parameters<Store['appendMessages']>[0]) => {
          appends += 1;
          return db.store.appendMessages(batch);
        },
        unreadFor: async (pairs: Parameters<Store['unreadFor']>[0]) => {
          if (firstUnread) {
            firstUnread = false;
            await gate;
          }
          return db.store.unreadFor(pairs);
        },
      });
      const batcher = new SendBatcher({ store, hub, logger: pino({ level: 'silent' }), maxBatch: 2, windowMs: 0, maxInFlight: 1 });
      const acked: string[] = [];
      const send = (n: number) =>
        batcher.enqueue({
          socketId: 'alice',
          reply: () => acked.push(`error c${n}`),
          replyText: () => acked.push(`c${n}`),
          senderId: alice.id,
          frame: { type: 'send', roomId: roomIds[0] as number, clientId: `c${n}`, content: `message ${n}` },
          recipients: [bob.id],
        });
      for (let n = 0; n < 6; n++) send(n);
      // Batch 1 is committed and waits on its unread counts; batch 2 commits meanwhile; batch 3 waits for batch 1's answers.
      await vi.waitFor(() => expect(appends).toBe(2));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(appends).toBe(2);
      expect(acked).toEqual([]);
      release();
      await batcher.drain();
      expect(appends).toBe(3);
      expect(acked).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    });

    it('a send the database refuses fails alone: the others of its batch are stored and acked', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const { hub, socket: bobSocket } = await hubWith(bob.id, roomIds);
      // PostgreSQL refuses a whole statement for one bad value (U+0000 in text, once let through):
      // here the database refuses every write that holds the poisoned text, on both dialects.
      const refused = () => Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
      const store = Object.assign(Object.create(db.store) as Store, {
        appendMessages: (batch: Parameters<Store['appendMessages']>[0]) => {
          if (batch.some((m) => m.content === 'poison')) return Promise.reject(refused());
          return db.store.appendMessages(batch);
        },
      });
      const batcher = new SendBatcher({ store, hub, logger: pino({ level: 'silent' }), maxBatch: 8, windowMs: 20, maxInFlight: 1 });
      const answers = new Map<string, string>();
      const contents = ['hello', 'poison', 'are you there?', 'keys under the mat'];
      contents.forEach((content, n) =>
        batcher.enqueue({
          socketId: 'alice',
          reply: (frame) => answers.set(`c${n}`, frame.type === 'error' ? frame.code : frame.type),
          replyText: (text) => answers.set(`c${n}`, (JSON.parse(text) as ServerFrame).type),
          senderId: alice.id,
          frame: { type: 'send', roomId: roomIds[n % 2] as number, clientId: `c${n}`, content },
          recipients: [bob.id],
        }),
      );
      await batcher.drain();
      expect(Object.fromEntries(answers)).toEqual({ c0: 'ack', c1: 'INTERNAL', c2: 'ack', c3: 'ack' });
      const delivered = bobSocket.frames.flatMap((f) => (f.type === 'message' ? [f.message.content] : []));
      expect(delivered).toEqual(['hello', 'are you there?', 'keys under the mat']);
    });

    it('while the database itself fails, a batch fails at once: its sends are not tried one by one', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const hub = new Hub({ bus: new MemoryBus(), logger: pino({ level: 'silent' }), onRoomChanged: () => {} });
      let calls = 0;
      const store = Object.assign(Object.create(db.store) as Store, {
        appendMessages: () => {
          calls += 1;
          return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        },
      });
      const batcher = new SendBatcher({ store, hub, logger: pino({ level: 'silent' }), maxBatch: 8, windowMs: 20, maxInFlight: 1 });
      const answers: string[] = [];
      for (let n = 0; n < 5; n++) {
        batcher.enqueue({
          socketId: 'alice',
          reply: (frame) => answers.push(frame.type === 'error' ? frame.code : frame.type),
          replyText: () => answers.push('ack'),
          senderId: alice.id,
          frame: { type: 'send', roomId: roomIds[0] as number, clientId: `down${n}`, content: 'hello?' },
          recipients: [bob.id],
        });
      }
      await batcher.drain();
      expect(answers).toEqual(['INTERNAL', 'INTERNAL', 'INTERNAL', 'INTERNAL', 'INTERNAL']);
      expect(calls).toBe(1);
    });

    it('retries of stored sends in one batch: each redelivery reaches who missed it, with their count', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const roomId = roomIds[5] as number;
      const { hub, socket: bobSocket } = await hubWith(bob.id, [roomId]);
      // r1 was announced (its ack was lost); r2 was stored by a node that died before announcing it.
      const stored = await db.store.appendMessages(
        ['r1', 'r2'].map((clientId) => ({ roomId, senderId: alice.id, type: 'text' as const, content: clientId, clientId, replyToId: null, attachmentId: null })),
      );
      const [first, second] = stored.map((r) => (r.ok ? r.message.seq : 0));
      bobSocket.seen.admit(roomId, first as number, false);
      const batcher = new SendBatcher({ store: db.store, hub, logger: pino({ level: 'silent' }), maxBatch: 8, windowMs: 20, maxInFlight: 1 });
      for (const clientId of ['r1', 'r2']) {
        batcher.enqueue({
          socketId: 'alice',
          reply: () => {},
          replyText: () => {},
          senderId: alice.id,
          frame: { type: 'send', roomId, clientId, content: clientId },
          recipients: [bob.id],
        });
      }
      await batcher.drain();
      const got = bobSocket.frames.map((f) => (f.type === 'message' ? `message ${f.message.seq}` : f.type === 'unread' ? `unread ${f.unread}` : f.type));
      expect(got).toEqual([`message ${second}`, 'unread 2']);
    });
  });
}
