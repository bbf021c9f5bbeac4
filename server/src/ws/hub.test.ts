import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { MemoryBroker, MemoryBus } from '../fanout/memory.ts';
import { roomTopic, userTopic } from '../fanout/bus.ts';
import { Hub, type HubSocket } from './hub.ts';

function socket(id: string, userId: number, sessionId = 1) {
  const sent: string[] = [];
  const closed: number[] = [];
  const s: HubSocket & { sent: string[]; closed: number[] } = {
    id,
    userId,
    sessionId,
    sent,
    closed,
    sendText: (t) => sent.push(t),
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
    const message = { type: 'pong' as const };
    hub.emit(roomTopic(10), { kind: 'message', frame: message, unread: [{ userId: 2, unread: 4, totalUnread: 9 }] }, 'a1');
    expect(alice1.sent).toEqual([]);
    expect(alice2.sent).toEqual([JSON.stringify(message)]);
    expect(bob.sent).toEqual([JSON.stringify(message), JSON.stringify({ type: 'unread', roomId: 10, unread: 4, totalUnread: 9 })]);
    expect(carol.sent).toEqual([]);
    hub.emit(roomTopic(10), { kind: 'frame', frame: message, exceptUserId: 2 });
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
    hub.emit(roomTopic(3), { kind: 'message', frame: { type: 'pong', ref: 'm' }, unread: [{ userId: 1, unread: 2, totalUnread: 2 }] });
    hub.emit(roomTopic(4), { kind: 'message', frame: { type: 'pong', ref: 'other' }, unread: [] });
    await hub.joinRooms(1, [3], { socket: s, since: mark });
    hub.endLoad(mark);
    expect(s.sent.map((t) => JSON.parse(t))).toEqual([{ type: 'pong', ref: 'm' }, { type: 'unread', roomId: 3, unread: 2, totalUnread: 2 }]);
  });
});
