import { describe, expect, it } from 'vitest';
import type { Room } from '@ecc/protocol';
import { messageFrame } from '../../test/support/messageFrame.ts';
import { OPEN_JOBS_TOPIC, roomTopic, userTopic } from './bus.ts';
import { DroppedEvents } from './droppedEvents.ts';

describe('DroppedEvents', () => {
  it('keeps the newest message per room, as a catch-up redelivery, and every session close; take empties it', () => {
    const dropped = new DroppedEvents();
    dropped.add(roomTopic(1), { kind: 'message', frame: messageFrame(1, 7), unread: [] });
    dropped.add(roomTopic(1), { kind: 'message', frame: messageFrame(1, 9), unread: [] });
    dropped.add(roomTopic(1), { kind: 'message', frame: messageFrame(1, 8), unread: [] });
    dropped.add(roomTopic(2), { kind: 'message', frame: messageFrame(2, 3), unread: [] });
    dropped.add(userTopic(5), { kind: 'close_session', sessionId: 4, code: 4401, reason: 'Signed out' });
    dropped.add(roomTopic(1), { kind: 'frame', frame: { type: 'typing', roomId: 1, userId: 5, username: 'u', isTyping: true } });

    const { events, overflow } = dropped.take();
    expect(overflow).toBe(0);
    expect(events.map(({ topic, event }) => [topic, event.kind === 'message' ? event.frame.message.seq : event.kind])).toEqual([
      ['room:1', 9],
      ['room:2', 3],
      ['user:5', 'close_session'],
    ]);
    expect(events[0]?.event).toMatchObject({ redelivery: true, catchUp: true });
    expect(dropped.size).toBe(0);
    expect(dropped.take().events).toEqual([]);
  });

  it('keeps the latest state of each message (a deletion is final), the highest receipt and the latest count; no typing', () => {
    const dropped = new DroppedEvents();
    const edit = (id: number, content: string, editedAt: string | null, deletedAt: string | null = null) => {
      const { message } = messageFrame(1, id);
      return { kind: 'frame' as const, frame: { type: 'message_updated' as const, message: { ...message, id, content, editedAt, deletedAt } } };
    };
    dropped.add(roomTopic(1), edit(1, 'second', '2026-11-27T00:00:02.000Z'));
    dropped.add(roomTopic(1), edit(1, 'first', '2026-11-27T00:00:01.000Z'));
    dropped.add(roomTopic(1), edit(2, '', '2026-11-27T00:00:01.000Z', '2026-11-27T00:00:03.000Z'));
    dropped.add(roomTopic(1), edit(2, 'later edit of a deleted copy', '2026-11-27T00:00:04.000Z'));
    const receipt = (lastReadSeq: number) => ({ kind: 'frame' as const, frame: { type: 'receipt' as const, roomId: 1, userId: 5, lastReadSeq } });
    dropped.add(roomTopic(1), receipt(8));
    dropped.add(roomTopic(1), receipt(6));
    const unread = (count: number, roomVersion: number) => ({
      kind: 'frame' as const,
      frame: { type: 'unread' as const, roomId: 1, unread: count, totalUnread: count },
      versions: { roomVersion, userVersion: roomVersion },
    });
    dropped.add(userTopic(5), unread(0, 12));
    dropped.add(userTopic(5), unread(3, 10));
    dropped.add(roomTopic(1), { kind: 'frame', frame: { type: 'typing', roomId: 1, userId: 5, username: 'u', isTyping: true } });

    const { events } = dropped.take();
    expect(events).toEqual([
      { topic: 'room:1', event: { ...edit(1, 'second', '2026-11-27T00:00:02.000Z'), catchUp: true } },
      { topic: 'room:1', event: { ...edit(2, '', '2026-11-27T00:00:01.000Z', '2026-11-27T00:00:03.000Z'), catchUp: true } },
      { topic: 'room:1', event: receipt(8) },
      { topic: 'user:5', event: unread(0, 12) },
    ]);
  });

  it('keeps the latest change of each room per topic, told first as a catch-up, a new room’s first message kept with it', () => {
    const dropped = new DroppedEvents();
    const room = (roomId: number, lastSeq: number, isActive = true) => ({
      type: 'room' as const,
      room: { id: roomId, name: 'r', type: 'job' as const, job: null, participants: [], unread: 0, lastSeq, lastMessage: null, updatedAt: '', isActive },
    });
    const firstMessage = messageFrame(1, 1);
    dropped.add(roomTopic(1), { kind: 'message', frame: messageFrame(1, 2), unread: [] });
    dropped.add(roomTopic(1), { kind: 'room_changed', roomId: 1 });
    dropped.add(userTopic(5), { kind: 'room_changed', roomId: 1, frame: room(1, 1), versions: { roomVersion: 1, userVersion: 1 }, firstMessage });
    dropped.add(userTopic(6), { kind: 'room_changed', roomId: 1, frame: room(1, 1), versions: { roomVersion: 1, userVersion: 1 }, firstMessage });
    dropped.add(roomTopic(1), { kind: 'room_changed', roomId: 1 });
    dropped.add(userTopic(5), { kind: 'room_changed', roomId: 1, frame: room(1, 2, false), versions: { roomVersion: 2, userVersion: 3 } });
    dropped.add(userTopic(5), { kind: 'room_changed', roomId: 2, frame: room(2, 4), versions: { roomVersion: 4, userVersion: 5 } });

    const { events, overflow } = dropped.take();
    expect(overflow).toBe(0);
    const lastSeq = (seq: number) => ({ type: 'room', room: { lastSeq: seq } });
    expect(events).toEqual([
      { topic: 'user:6', event: { kind: 'room_changed', roomId: 1, frame: lastSeq(1), firstMessage, catchUp: true } },
      { topic: 'room:1', event: { kind: 'room_changed', roomId: 1, catchUp: true } },
      { topic: 'user:5', event: { kind: 'room_changed', roomId: 1, frame: lastSeq(2), firstMessage, catchUp: true } },
      { topic: 'user:5', event: { kind: 'room_changed', roomId: 2, frame: lastSeq(4), catchUp: true } },
      { topic: 'room:1', event: { kind: 'message', frame: messageFrame(1, 2), unread: [], redelivery: true, catchUp: true } },
    ]);
    expect(dropped.size).toBe(0);
  });

  it('keeps of a room change only what the receiving node reads (the room, its last seq): under 100 bytes, not its frame', () => {
    const dropped = new DroppedEvents();
    const frame = { type: 'room' as const, room: jobRoom(7, 3) };
    expect(JSON.stringify(frame).length).toBeGreaterThan(1000);
    dropped.add(userTopic(5), { kind: 'room_changed', roomId: 7, frame, versions: { roomVersion: 3, userVersion: 9 } });

    const [kept] = dropped.take().events;
    expect(kept).toEqual({ topic: 'user:5', event: { kind: 'room_changed', roomId: 7, catchUp: true, frame: { type: 'room', room: { lastSeq: 3 } } } });
    expect(JSON.stringify(kept?.event).length).toBeLessThan(100);
  });

  it('holds 10,000 room changes of a long outage in about 1 MB as told (their frames: over 12 MB); past them the oldest goes', () => {
    const dropped = new DroppedEvents();
    let framesBytes = 0;
    for (let roomId = 1; roomId <= 10_001; roomId++) {
      const frame = { type: 'room' as const, room: jobRoom(roomId, 2) };
      framesBytes += JSON.stringify(frame).length;
      dropped.add(userTopic(100_000 + roomId), { kind: 'room_changed', roomId, frame, versions: { roomVersion: 2, userVersion: 2 } });
    }
    const { events, overflow } = dropped.take();
    expect(overflow).toBe(1);
    expect(events).toHaveLength(10_000);
    expect(events[0]?.event).toMatchObject({ roomId: 2 });
    expect(framesBytes).toBeGreaterThan(12_000_000);
    expect(events.reduce((bytes, { topic, event }) => bytes + topic.length + JSON.stringify(event).length, 0)).toBeLessThan(1_100_000);
  });

  it('keeps the latest board change of each job: one that left the board is not put back by its "posted"', () => {
    const dropped = new DroppedEvents();
    const board = (id: number, status: 'open' | 'assigned' | 'cancelled') => ({
      kind: 'frame' as const,
      frame: { type: 'open_job' as const, job: { id, title: `Job ${id}`, status } },
    });
    dropped.add(OPEN_JOBS_TOPIC, board(1, 'open'));
    dropped.add(OPEN_JOBS_TOPIC, board(1, 'assigned'));
    dropped.add(OPEN_JOBS_TOPIC, board(1, 'open'));
    dropped.add(OPEN_JOBS_TOPIC, board(2, 'open'));
    expect(dropped.take().events).toEqual([
      { topic: 'jobs:open', event: board(1, 'assigned') },
      { topic: 'jobs:open', event: board(2, 'open') },
    ]);
  });

  it('is bounded: past 10,000 rooms the oldest goes, and is counted', () => {
    const dropped = new DroppedEvents();
    for (let roomId = 1; roomId <= 10_001; roomId++) dropped.add(roomTopic(roomId), { kind: 'message', frame: messageFrame(roomId, 1), unread: [] });
    const { events, overflow } = dropped.take();
    expect(overflow).toBe(1);
    expect(events).toHaveLength(10_000);
    expect(events[0]?.topic).toBe('room:2');
  });
});

/** A job room as a participant is sent it: the size of the frames a room change carries (~1.3 KB). */
function jobRoom(id: number, lastSeq: number): Room {
  const person = (userId: number, role: 'client' | 'cleaner') => ({
    id: userId,
    username: `${role}${userId}`,
    displayName: role === 'client' ? 'Carol Client-Householder' : 'Dan the Cleaner',
    role,
    online: true,
    lastSeen: '2026-11-27T09:15:00.000Z',
    lastReadSeq: lastSeq,
  });
  const { message } = messageFrame(id, lastSeq);
  return {
    id,
    name: `Job #${id} · Deep clean of a three-room flat`,
    type: 'job',
    job: {
      id,
      title: 'Deep clean of a three-room flat',
      status: 'assigned',
      description: 'Kitchen, bathroom and three rooms; the oven needs special care, products are under the sink. Keys with the concierge.',
      address: '12 rue des Lilas, 75011 Paris, 3rd floor, door on the left',
      scheduledAt: '2026-11-28T09:00:00.000Z',
      clientId: 10,
      cleanerId: 20,
      roomId: id,
      createdAt: '2026-11-27T08:00:00.000Z',
    },
    participants: [person(10, 'client'), person(20, 'cleaner')],
    unread: 1,
    lastSeq,
    lastMessage: { ...message, content: 'Dan accepted the job. Say hello and agree on the details here.', type: 'system' },
    updatedAt: '2026-11-27T09:15:00.000Z',
    isActive: true,
    closesAt: null,
  };
}
