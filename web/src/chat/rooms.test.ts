import { describe, expect, it } from 'vitest';
import type { Room } from '@ecc/protocol';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './store.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

/** The chat list's order from scratch: most recent activity (last message or room change) first, then the higher id. */
function expectedOrder(state: ChatState): number[] {
  const activity = (r: Room) => [r.updatedAt, r.lastMessage?.createdAt ?? ''].sort().at(-1) as string;
  return Object.values(state.rooms)
    .sort((a, b) => (activity(a) === activity(b) ? b.id - a.id : activity(a) < activity(b) ? 1 : -1))
    .map((r) => r.id);
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Few distinct minutes, so equal activity (ordered by id) comes up often. */
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString();

describe('the chat list order', () => {
  it('puts a room where its message places it and keeps the others in order, as sorting them all would', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(seed);
      const pick = (n: number) => Math.floor(rnd() * n);
      const rooms = Array.from({ length: 40 }, (_, i) => room(i + 1, { updatedAt: at(pick(30)) }));
      let s = chatReducer(initialChatState, { type: 'ready', user: alice, rooms, totalUnread: 0 });
      expect(s.roomOrder).toEqual(expectedOrder(s));
      const seqs = new Map<number, number>();
      for (let step = 0; step < 200; step++) {
        const roomId = 1 + pick(45);
        const kind = pick(3);
        let action: ChatAction;
        if (kind < 2 || !s.rooms[roomId]) {
          // A message (also in a room not held yet, which the store does not list), dated any time: clocks differ.
          const seq = (seqs.get(roomId) ?? 0) + 1;
          seqs.set(roomId, seq);
          action = { type: 'message', message: message(roomId, seq, pick(2) ? bob : alice, { createdAt: at(pick(40)) }) };
        } else {
          // A room frame: a room's change (job moved, new room) dates it.
          action = { type: 'room', room: room(roomId, { updatedAt: at(pick(40)) }) };
        }
        s = chatReducer(s, action);
        expect(s.roomOrder).toEqual(expectedOrder(s));
      }
    }
  });

  it('adds a room announced by a room frame in its place', () => {
    let s = chatReducer(initialChatState, { type: 'ready', user: alice, rooms: [room(1, { updatedAt: at(1) }), room(2, { updatedAt: at(3) })], totalUnread: 0 });
    s = chatReducer(s, { type: 'room', room: room(3, { updatedAt: at(2) }) });
    expect(s.roomOrder).toEqual([2, 3, 1]);
  });

  it('keeps the same order array when a message leaves the room where it was (the list is not redrawn)', () => {
    let s = chatReducer(initialChatState, { type: 'ready', user: alice, rooms: [room(1, { updatedAt: at(1) }), room(2, { updatedAt: at(3) })], totalUnread: 0 });
    const order = s.roomOrder;
    s = chatReducer(s, { type: 'message', message: message(2, 1, bob, { createdAt: at(5) }) });
    expect(s.roomOrder).toBe(order);
    s = chatReducer(s, { type: 'message', message: message(1, 1, bob, { createdAt: at(6) }) });
    expect(s.roomOrder).toEqual([1, 2]);
  });

  it('a reconnect with fewer rooms lists only those, and the same order keeps its array', () => {
    const rooms = [room(1, { updatedAt: at(1) }), room(2, { updatedAt: at(3) }), room(3, { updatedAt: at(2) })];
    const s = chatReducer(initialChatState, { type: 'ready', user: alice, rooms, totalUnread: 0 });
    expect(chatReducer(s, { type: 'ready', user: alice, rooms, totalUnread: 0 }).roomOrder).toBe(s.roomOrder);
    expect(chatReducer(s, { type: 'ready', user: alice, rooms: [rooms[0] as Room, rooms[2] as Room], totalUnread: 0 }).roomOrder).toEqual([3, 1]);
  });
});

describe("participants' changes", () => {
  const carol = { id: 3, username: 'client2', displayName: 'Carol Client', role: 'client' as const };
  const rooms = [room(1), room(2), room(3, { participants: [participant(alice), participant(carol)] })];
  const ready = chatReducer(initialChatState, { type: 'ready', user: alice, rooms, totalUnread: 0 });
  const markOf = (s: ChatState, roomId: number, userId: number) => s.rooms[roomId]?.participants.find((p) => p.id === userId)?.lastReadSeq;

  it("a receipt moves that reader's mark in that room only, never back", () => {
    let s = chatReducer(ready, { type: 'receipt', roomId: 2, userId: bob.id, lastReadSeq: 4 });
    expect(markOf(s, 2, bob.id)).toBe(4);
    expect(markOf(s, 1, bob.id)).toBe(0);
    expect(markOf(s, 2, alice.id)).toBe(0);
    expect(s.rooms[1]).toBe(ready.rooms[1]);
    expect(chatReducer(s, { type: 'receipt', roomId: 2, userId: bob.id, lastReadSeq: 3 })).toBe(s);
    expect(chatReducer(s, { type: 'receipt', roomId: 99, userId: bob.id, lastReadSeq: 9 })).toBe(s);
    s = chatReducer(s, { type: 'receipt', roomId: 2, userId: bob.id, lastReadSeq: 5 });
    expect(markOf(s, 2, bob.id)).toBe(5);
  });

  it('a presence frame changes that user in every room they share and leaves the other rooms as they were', () => {
    const s = chatReducer(ready, { type: 'presence', userId: bob.id, online: true, lastSeen: null });
    expect(s.rooms[1]?.participants.find((p) => p.id === bob.id)?.online).toBe(true);
    expect(s.rooms[2]?.participants.find((p) => p.id === bob.id)?.online).toBe(true);
    expect(s.rooms[1]?.participants.find((p) => p.id === alice.id)).toBe(ready.rooms[1]?.participants[0]);
    expect(s.rooms[3]).toBe(ready.rooms[3]);
    expect(chatReducer(s, { type: 'presence', userId: bob.id, online: true, lastSeen: null })).toBe(s);
  });

  it('a presence frame reaches rooms added or joined since the ready, and only the rooms held now', () => {
    const online = (s: ChatState, roomId: number, userId: number) => s.rooms[roomId]?.participants.find((p) => p.id === userId)?.online;
    let s = chatReducer(ready, { type: 'room', room: room(4, { participants: [participant(alice), participant(carol)] }) });
    s = chatReducer(s, { type: 'room', room: room(1, { participants: [participant(alice), participant(bob), participant(carol)] }) });
    s = chatReducer(s, { type: 'presence', userId: carol.id, online: true, lastSeen: null });
    expect([1, 2, 3, 4].map((id) => online(s, id, carol.id))).toEqual([true, undefined, true, true]);
    // A reconnect's ready without room 3: nothing of it comes back with a later presence frame.
    s = chatReducer(s, { type: 'ready', user: alice, rooms: [room(1), room(2)], totalUnread: 0 });
    s = chatReducer(s, { type: 'presence', userId: bob.id, online: true, lastSeen: null });
    expect(Object.keys(s.rooms)).toEqual(['1', '2']);
    expect([1, 2].map((id) => online(s, id, bob.id))).toEqual([true, true]);
    expect(chatReducer(s, { type: 'presence', userId: carol.id, online: false, lastSeen: null })).toBe(s);
  });
});

describe('the rooms of a job', () => {
  const support = (id: number) => room(id, { type: 'support', name: 'Support · Alice Client', job: null });

  it('are known from the ready and the room frames, and a reconnect leaves only those it lists', () => {
    let s = chatReducer(initialChatState, { type: 'ready', user: alice, rooms: [room(1), support(3)], totalUnread: 0 });
    expect(s.jobRooms).toEqual([1]);
    s = chatReducer(s, { type: 'room', room: room(4) });
    s = chatReducer(s, { type: 'room', room: support(5) });
    s = chatReducer(s, { type: 'room', room: room(1, { job: { id: 1, title: 'Deep clean', status: 'completed' }, isActive: false }) });
    expect([...s.jobRooms].sort()).toEqual([1, 4]);
    s = chatReducer(s, { type: 'ready', user: alice, rooms: [support(3)], totalUnread: 0 });
    expect(s.jobRooms).toEqual([]);
    s = chatReducer(s, { type: 'ready', user: alice, rooms: [], totalUnread: 0 });
    expect(s.jobRooms).toEqual([]);
    expect(s.memberRooms.size).toBe(0);
  });
});

