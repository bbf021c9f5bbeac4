import { describe, expect, it } from 'vitest';
import type { Room } from '@ecc/protocol';
import { UnreadGate } from './unreadGate.ts';

/** A gate whose socket was sent `ready` with a total of 3 read at version 100. */
function gateAfterReady(): UnreadGate {
  const gate = new UnreadGate();
  gate.ready(3, 100);
  return gate;
}

describe('UnreadGate', () => {
  it('passes counts through in the order they were read', () => {
    const gate = gateAfterReady();
    expect(gate.admit({ roomId: 1, unread: 1, totalUnread: 4, roomVersion: 10, userVersion: 101 })).toEqual({
      type: 'unread',
      roomId: 1,
      unread: 1,
      totalUnread: 4,
    });
    expect(gate.admit({ roomId: 2, unread: 4, totalUnread: 5, roomVersion: 20, userVersion: 102 })).toMatchObject({ unread: 4, totalUnread: 5 });
  });

  it('keeps the later total when an earlier read of another room arrives last', () => {
    const gate = gateAfterReady();
    // Room 2's message was counted after room 1's, but its count arrived first.
    gate.admit({ roomId: 2, unread: 1, totalUnread: 5, roomVersion: 21, userVersion: 102 });
    const late = gate.admit({ roomId: 1, unread: 2, totalUnread: 4, roomVersion: 11, userVersion: 101 });
    // Room 1's own count is news (nothing later about room 1 was sent); its total is not.
    expect(late).toEqual({ type: 'unread', roomId: 1, unread: 2, totalUnread: 5 });
  });

  it('keeps the later count of a room when an earlier one arrives last', () => {
    const gate = gateAfterReady();
    gate.admit({ roomId: 1, unread: 0, totalUnread: 0, roomVersion: 14, userVersion: 104 });
    expect(gate.admit({ roomId: 1, unread: 2, totalUnread: 2, roomVersion: 12, userVersion: 102 })).toMatchObject({ unread: 0, totalUnread: 0 });
  });

  it('sends a count read at the same version again (a read that moved nothing is still answered)', () => {
    const gate = gateAfterReady();
    const update = { roomId: 1, unread: 0, totalUnread: 3, roomVersion: 14, userVersion: 100 };
    expect(gate.admit(update)).toMatchObject({ unread: 0, totalUnread: 3 });
    expect(gate.admit(update)).toMatchObject({ unread: 0, totalUnread: 3 });
  });

  it('drops a count read before the ready snapshot, and starts over at the next ready', () => {
    const gate = gateAfterReady();
    expect(gate.admit({ roomId: 1, unread: 5, totalUnread: 8, roomVersion: 9, userVersion: 99 })).toBeNull();
    gate.admit({ roomId: 1, unread: 0, totalUnread: 0, roomVersion: 30, userVersion: 130 });
    gate.ready(2, 120); // a reconnect: the new snapshot is what counts
    expect(gate.admit({ roomId: 1, unread: 1, totalUnread: 3, roomVersion: 25, userVersion: 125 })).toMatchObject({ unread: 1, totalUnread: 3 });
  });

  it('passes counts without versions (from a node that predates them) as they are', () => {
    const gate = gateAfterReady();
    gate.admit({ roomId: 1, unread: 0, totalUnread: 0, roomVersion: 30, userVersion: 130 });
    expect(gate.admit({ roomId: 1, unread: 7, totalUnread: 9 })).toEqual({ type: 'unread', roomId: 1, unread: 7, totalUnread: 9 });
  });

  it('shows a later count than a `room` frame’s own when one was sent, and orders later counts after the frame’s', () => {
    const gate = gateAfterReady();
    const room = (id: number, unread: number) => ({ id, unread, name: `room ${id}` }) as Room;
    gate.admit({ roomId: 1, unread: 0, totalUnread: 0, roomVersion: 14, userVersion: 104 });
    // The room frame was read before the count of 0 (say, before a read on another tab): the rest of it is news.
    expect(gate.admitRoom({ room: room(1, 2), roomVersion: 12, userVersion: 102 })?.room).toEqual(room(1, 0));
    // A frame read later is shown as it is, and an older count no longer replaces it.
    expect(gate.admitRoom({ room: room(1, 3), roomVersion: 16, userVersion: 106 })?.room).toEqual(room(1, 3));
    expect(gate.admit({ roomId: 1, unread: 0, totalUnread: 0, roomVersion: 14, userVersion: 104 })).toMatchObject({ unread: 3 });
    expect(gate.admitRoom({ room: room(2, 5) })?.room).toEqual(room(2, 5));
  });

  it('drops a `room` frame read before one of the room already sent (a lower last seq: an accept read before the cancel that followed)', () => {
    const gate = gateAfterReady();
    const room = (lastSeq: number, status: 'assigned' | 'cancelled') => ({ id: 1, unread: lastSeq, lastSeq, job: { status } }) as unknown as Room;
    expect(gate.admitRoom({ room: room(2, 'cancelled'), roomVersion: 12, userVersion: 102 })?.room).toEqual(room(2, 'cancelled'));
    expect(gate.admitRoom({ room: room(1, 'assigned'), roomVersion: 11, userVersion: 101 })).toBeNull();
    expect(gate.admitRoom({ room: room(1, 'assigned') })).toBeNull();
    // The same seq read again (a room closed without a message) is news; so is any room frame after a new `ready`.
    expect(gate.admitRoom({ room: room(2, 'cancelled'), roomVersion: 12, userVersion: 103 })).not.toBeNull();
    gate.ready(0, 200);
    expect(gate.admitRoom({ room: room(1, 'assigned'), roomVersion: 11, userVersion: 201 })).not.toBeNull();
  });

  it('drops a `room` frame read before the ready snapshot (ready showed the room later)', () => {
    const gate = gateAfterReady();
    expect(gate.admitRoom({ room: { id: 1, unread: 4 } as Room, roomVersion: 9, userVersion: 99 })).toBeNull();
  });
});
