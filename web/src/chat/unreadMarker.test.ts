import { describe, expect, it } from 'vitest';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './store.ts';
import { firstNewSeq } from './unreadMarker.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

function run(...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, initialChatState);
}

// Alice read room 1 up to seq 4 of 9; room 2 has nothing unread.
const ready: ChatAction = {
  type: 'ready',
  user: alice,
  rooms: [room(1, { lastSeq: 9, unread: 4, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob)] }), room(2)],
  totalUnread: 4,
};

describe('the "New messages" line', () => {
  it('is taken from my read mark when a room with unread messages is shown, and dropped when it is left or hidden', () => {
    let s = run(ready, { type: 'panel', open: true }, { type: 'open_room', roomId: 1 });
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 4 });
    // Reading it (which opening does) does not move the line while the room stays shown.
    s = chatReducer(s, { type: 'read_locally', roomId: 1, seq: 9 });
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 4 });
    expect(chatReducer(s, { type: 'open_room', roomId: null }).unreadMarker).toBeNull();
    expect(chatReducer(s, { type: 'panel', open: false }).unreadMarker).toBeNull();
    expect(run(ready, { type: 'panel', open: true }, { type: 'open_room', roomId: 2 }).unreadMarker).toBeNull();
  });

  it('is taken when the panel opens on the room it last showed', () => {
    const s = run(ready, { type: 'open_room', roomId: 1 });
    expect(s.unreadMarker).toBeNull();
    expect(chatReducer(s, { type: 'panel', open: true }).unreadMarker).toEqual({ roomId: 1, afterSeq: 4 });
  });

  it("goes above the first message after the mark that is not my own", () => {
    const messages = [message(1, 4, bob), message(1, 5, alice), message(1, 6, bob), message(1, 7, bob)];
    expect(firstNewSeq(messages, { roomId: 1, afterSeq: 4 }, 1, alice.id)).toBe(6);
    expect(firstNewSeq(messages, { roomId: 2, afterSeq: 4 }, 1, alice.id)).toBeNull();
    expect(firstNewSeq(messages, null, 1, alice.id)).toBeNull();
    // The loaded page starts after the first new message: no line until older pages reach it.
    expect(firstNewSeq(messages.slice(2), { roomId: 1, afterSeq: 4 }, 1, alice.id)).toBeNull();
    expect(firstNewSeq(messages.slice(1), { roomId: 1, afterSeq: 4 }, 1, alice.id)).toBe(6);
  });
});
