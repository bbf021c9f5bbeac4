import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Room } from '@ecc/protocol';
import { MemoryBroker, MemoryBus } from '../fanout/memory.ts';
import { roomTopic, userTopic, type LateRoomChange } from '../fanout/bus.ts';
import type { RoomView } from '../storage/store.ts';
import { messageFrame } from '../../test/support/messageFrame.ts';
import { Hub, type HubSocket } from './hub.ts';
import { SeenSeqs } from './seenSeqs.ts';

const logger = pino({ level: 'silent' });
const flush = () => new Promise((r) => setTimeout(r, 10));

function socket(userId: number) {
  const sent: unknown[] = [];
  const seen = new SeenSeqs();
  const s: HubSocket & { sent: unknown[] } = {
    id: `s${userId}`,
    userId,
    sessionId: 1,
    sent,
    sendText: (t) => sent.push(JSON.parse(t)),
    sendMessage: (roomId, seq, t, redelivery) => seen.admit(roomId, seq, redelivery) && sent.push(JSON.parse(t)) > 0,
    sendUnread: () => {},
    sendRoom: ({ room }) => sent.push({ type: 'room', room }),
    close: () => {},
  };
  return s;
}

function room(status: 'assigned' | 'in_progress' | 'completed', lastSeq: number): Room {
  return {
    id: 42,
    name: 'Job #1 · Oven',
    type: 'job',
    job: { id: 1, title: 'Oven', status },
    participants: [],
    unread: 0,
    lastSeq,
    lastMessage: null,
    updatedAt: '2026-11-27T00:00:00.000Z',
    isActive: status !== 'completed',
  };
}

/** Node B's hub, reading rooms through `roomViewFor`, and node A's, which tells B the late change. */
async function nodes(roomViewFor: (roomId: number, userId: number) => Promise<RoomView | null>) {
  const broker = new MemoryBroker();
  const a = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {} });
  const b = new Hub({ bus: new MemoryBus(broker), logger, onRoomChanged: () => {}, roomViewFor });
  const s = socket(4);
  await b.addSocket(s);
  return { a, b, s };
}

/** A new room's change as it is kept and told late: the room's last seq, no room. */
const late: LateRoomChange = { kind: 'room_changed', roomId: 42, catchUp: true, frame: { type: 'room', room: { lastSeq: 1 } }, firstMessage: messageFrame(42, 1) };
/** The same as a node before the slim form told it: the whole frame it was announced with. */
const lateWhole: LateRoomChange = { ...late, frame: { type: 'room', room: room('assigned', 1) } };

describe('a room change told late (another node’s Redis outage)', () => {
  for (const [form, event] of [
    ['as told now (no room)', late],
    ['as a node before the slim form told it (the whole frame)', lateWhole],
  ] as const) {
    it(`is sent as the room stands now, then the new room’s first message; the user hears the room from then on: ${form}`, async () => {
      const { a, b, s } = await nodes(async () => ({ room: room('completed', 3), roomVersion: 3, userVersion: 3 }));
      a.emit(userTopic(4), event);
      await flush();
      expect(s.sent).toEqual([{ type: 'room', room: room('completed', 3) }, messageFrame(42, 1)]);
      expect(b.roomsOf(4)).toEqual([42]);
      a.emit(roomTopic(42), { kind: 'message', frame: messageFrame(42, 2), unread: [] });
      await flush();
      expect(s.sent.at(-1)).toEqual(messageFrame(42, 2));
    });
  }

  it('sends nothing and joins nothing when the room is not the user’s', async () => {
    const { a, b, s } = await nodes(async () => null);
    a.emit(userTopic(4), late);
    await flush();
    expect(s.sent).toEqual([]);
    expect(b.roomsOf(4)).toEqual([]);
  });

  it('still joins the room (its messages reach the user) when the room cannot be read, without the older frame', async () => {
    const { a, b, s } = await nodes(async () => {
      throw new Error('database down');
    });
    a.emit(userTopic(4), late);
    await flush();
    expect(s.sent).toEqual([messageFrame(42, 1)]);
    expect(b.roomsOf(4)).toEqual([42]);
  });
});
