import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemoryBroker, MemoryBus } from '../fanout/memory.ts';
import { roomTopic, userTopic } from '../fanout/bus.ts';
import { messageFrame } from '../../test/support/messageFrame.ts';
import { Hub, type HubSocket } from './hub.ts';
import { SeenSeqs } from './seenSeqs.ts';

function socket(id: string, userId: number, sessionId = 1) {
  const sent: string[] = [];
  const closed: number[] = [];
  const seen = new SeenSeqs();
  const s: HubSocket & { sent: string[]; closed: number[]; seen: SeenSeqs } = {
    id,
    userId,
    sessionId,
    sent,
    closed,
    seen,
    sendText: (t) => sent.push(t),
    sendMessage: (roomId, seq, t, redelivery) => seen.admit(roomId, seq, redelivery) && sent.push(t) > 0,
    sendUnread: ({ roomId, unread, totalUnread }) => sent.push(JSON.stringify({ type: 'unread', roomId, unread, totalUnread })),
    sendRoom: ({ room }) => sent.push(JSON.stringify({ type: 'room', room })),
    close: (code) => closed.push(code),
  };
  return s;
}

const logger = pino({ level: 'silent' });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('Hub', () => {
  it('delivers room events to local participants only, skipping the excepted socket and user', async () => {
    const invalidated: number[] = [];
    const hub = new Hub({ bus: new MemoryBus(), logger, onRoomChanged: (id) => invalidated.push(id) });
    const alice1 = socket('a1', 1);
    const alice2 = socket('a2', 1);
    const bob = socket('b', 2);
    const carol = socket('c', 3);
    for (const s of [alice1, alice2, bob, carol]) await hub.addSocket(s);
    await hub.joinRooms(1, [10]);
    await hub.joinRooms(2, [10]);
    await hub.joinRooms(3, [11]);
    const message = messageFrame(10, 1);
    hub.emit(roomTopic(10), { kind: 'message', frame: message, unread: [{ userId: 2, unread: 4, totalUnread: 9 }] }, 'a1');
    expect(alice1.sent).toEqual([]);
    expect(alice2.sent).toEqual([JSON.stringify(message)]);
    expect(bob.sent).toEqual([JSON.stringify(message), JSON.stringify({ type: 'unread', roomId: 10, unread: 4, totalUnread: 9 })]);
    expect(carol.sent).toEqual([]);
    hub.emit(roomTopic(10), { kind: 'frame', frame: { type: 'pong' }, exceptUserId: 2 });
    expect(bob.sent).toHaveLength(2);
    expect(alice1.sent).toHaveLength(1);
    hub.emit(roomTopic(10), { kind: 'room_changed', roomId: 10 });
    expect(invalidated).toEqual([10]);
  });

  it('routes events between nodes only for subscribed topics, and closes a session’s sockets', async () => {
    const broker = new MemoryBroker();
    const a = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
    const b = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
    const onA = socket('x', 1, 7);
    const other = socket('y', 1, 8);
    const onB = socket('z', 2);
    await a.addSocket(onA);
    await a.addSocket(other);
    await b.addSocket(onB);
    await b.joinRooms(2, [5]);
    a.emit(roomTopic(5), { kind: 'frame', frame: { type: 'pong' } });
    a.emit(roomTopic(6), { kind: 'frame', frame: { type: 'pong', ref: 'no' } });
    await flush();
    expect(onB.sent).toEqual([JSON.stringify({ type: 'pong' })]);
    b.emit(userTopic(1), { kind: 'close_session', sessionId: 7, code: 4401, reason: 'bye' });
    await flush();
    expect(onA.closed).toEqual([4401]);
    expect(other.closed).toEqual([]);
  });

  it('reads rooms\' last seqs after a join only where another node could have published meanwhile', async () => {
    const reads: number[][] = [];
    const lastSeqs = async (roomIds: number[]) => {
      reads.push(roomIds);
      return new Map<number, number>();
    };
    const lone = new Hub({ bus: new MemoryBus(), logger, onRoomChanged: () => {}, lastSeqs });
    await lone.addSocket(socket('lone', 1));
    await lone.joinRooms(1, [10]);
    await flush();
    expect(reads).toEqual([]);
    const broker = new MemoryBroker();
    const a = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {}, lastSeqs });
    new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
    await a.addSocket(socket('a1', 1));
    await a.joinRooms(1, [10]);
    await flush();
    expect(reads).toEqual([[10]]);
  });

  it('a room_changed on a user topic subscribes the user to the new room', async () => {
    const broker = new MemoryBroker();
    const a = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
    const b = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
    const s = socket('s', 4);
    await b.addSocket(s);
    a.emit(userTopic(4), { kind: 'room_changed', roomId: 42, frame: { type: 'pong', ref: 'room' } });
    await flush();
    expect(b.roomsOf(4)).toEqual([42]);
    a.emit(roomTopic(42), { kind: 'frame', frame: { type: 'pong', ref: 'later' } });
    await flush();
    expect(s.sent.map((t) => JSON.parse(t).ref)).toEqual(['room', 'later']);
  });

  it('replays messages delivered while a socket was loading its snapshot', async () => {
    const hub = new Hub({ bus: new MemoryBus(), logger, onRoomChanged: () => {} });
    const s = socket('s', 1);
    await hub.addSocket(s);
    const mark = hub.beginLoad();
    hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 7), unread: [{ userId: 1, unread: 2, totalUnread: 2 }] });
    hub.emit(roomTopic(4), { kind: 'message', frame: messageFrame(4, 1), unread: [] });
    await hub.joinRooms(1, [3], { replay: { socket: s, since: mark } });
    hub.endLoad(mark);
    expect(s.sent.map((t) => JSON.parse(t))).toEqual([messageFrame(3, 7), { type: 'unread', roomId: 3, unread: 2, totalUnread: 2 }]);
  });

  it('a redelivery recorded while a socket loads is not replayed to it when its snapshot covers that seq', async () => {
    const hub = new Hub({ bus: new MemoryBus(), logger, onRoomChanged: () => {} });
    const s = socket('s', 1);
    await hub.addSocket(s);
    const mark = hub.beginLoad();
    hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 4), unread: [], redelivery: true });
    hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 6), unread: [], redelivery: true });
    s.seen.rememberRooms([{ id: 3, lastSeq: 5 }]); // the socket's `ready` snapshot, read before the replay
    await hub.joinRooms(1, [3], { replay: { socket: s, since: mark } });
    hub.endLoad(mark);
    expect(s.sent.map((t) => (JSON.parse(t) as { message: { seq: number } }).message.seq)).toEqual([6]);
  });

  it('a redelivered message reaches only sockets that were not sent its seq, with counts for their users only', async () => {
    const hub = new Hub({ bus: new MemoryBus(), logger, onRoomChanged: () => {} });
    const aliceHad = socket('a', 1);
    const bobHad = socket('b1', 2);
    const bobMissed = socket('b2', 2);
    const carolMissed = socket('c', 3);
    for (const s of [aliceHad, bobHad, bobMissed, carolMissed]) await hub.addSocket(s);
    for (const user of [1, 2, 3]) await hub.joinRooms(user, [8]);
    aliceHad.seen.admit(8, 5, false);
    bobHad.seen.rememberRooms([{ id: 8, lastSeq: 6 }]);
    bobMissed.seen.admit(8, 4, false);
    const unread = [1, 2, 3].map((userId) => ({ userId, unread: userId, totalUnread: userId }));
    hub.emit(roomTopic(8), { kind: 'message', frame: messageFrame(8, 5), unread, redelivery: true });
    const got = (s: { sent: string[] }) => s.sent.map((t) => (JSON.parse(t) as { type: string }).type);
    expect(got(aliceHad)).toEqual([]);
    expect(got(bobHad)).toEqual(['unread']); // Bob's other socket missed it: his count reaches all his sockets.
    expect(got(bobMissed)).toEqual(['message', 'unread']);
    expect(got(carolMissed)).toEqual(['message', 'unread']);
    // Sent once: the same redelivery again is dropped everywhere.
    hub.emit(roomTopic(8), { kind: 'message', frame: messageFrame(8, 5), unread, redelivery: true });
    expect(got(bobMissed)).toEqual(['message', 'unread']);
    expect(got(carolMissed)).toEqual(['message', 'unread']);
  });

  describe('room messages in seq order', () => {
    const seqsOf = (s: { sent: string[] }) =>
      s.sent.map((t) => JSON.parse(t) as { type: string; message?: { seq: number } }).flatMap((f) => (f.type === 'message' && f.message ? [f.message.seq] : []));

    it('a socket that joins while a message waits for a gap is not sent what its ready covered', async () => {
      const hub = new Hub({
        bus: new MemoryBus(),
        logger,
        onRoomChanged: () => {},
        gapWaitMs: 20,
        messagesAfter: async (roomId, afterSeq, limit) => Array.from({ length: limit }, (_, i) => messageFrame(roomId, afterSeq + 1 + i).message),
      });
      const a = socket('a', 1);
      await hub.addSocket(a);
      a.seen.rememberRooms([{ id: 3, lastSeq: 5 }]);
      await hub.joinRooms(1, [3], { lastSeqs: new Map([[3, 5]]) });
      hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 8), unread: [] });
      // Another user's first socket here: its `ready` already says 8.
      const b = socket('b', 2);
      await hub.addSocket(b);
      b.seen.rememberRooms([{ id: 3, lastSeq: 8 }]);
      await hub.joinRooms(2, [3], { lastSeqs: new Map([[3, 8]]) });
      await new Promise((r) => setTimeout(r, 60));
      expect(seqsOf(a)).toEqual([6, 7, 8]);
      expect(seqsOf(b)).toEqual([]);
      hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 9), unread: [] });
      expect(seqsOf(b)).toEqual([9]);
    });

    it('a room’s line starts past the messages replayed to the socket that joins it, without waiting for a gap', async () => {
      let fetched = 0;
      const hub = new Hub({
        bus: new MemoryBus(),
        logger,
        onRoomChanged: () => {},
        gapWaitMs: 20,
        messagesAfter: async () => {
          fetched++;
          return [];
        },
      });
      const s = socket('s', 1);
      await hub.addSocket(s);
      const mark = hub.beginLoad();
      s.seen.rememberRooms([{ id: 3, lastSeq: 5 }]);
      // Stored here while the socket loads (no local socket in the room yet): logged and replayed.
      hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 6), unread: [] });
      await hub.joinRooms(1, [3], { replay: { socket: s, since: mark }, lastSeqs: new Map([[3, 5]]) });
      hub.endLoad(mark);
      hub.emit(roomTopic(3), { kind: 'message', frame: messageFrame(3, 7), unread: [] });
      expect(seqsOf(s)).toEqual([6, 7]);
      await new Promise((r) => setTimeout(r, 60));
      expect(fetched).toBe(0);
      expect(seqsOf(s)).toEqual([6, 7]);
    });
  });
});

