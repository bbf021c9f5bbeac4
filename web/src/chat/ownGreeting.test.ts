/**
 * The greeting of a support room staff started ("Message client": "<Agent> from support started this
 * conversation") as the agent who clicked reads it: their own doing, not news; to the room's user, and to
 * another agent who joined it, it is news.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Room, User } from '@ecc/protocol';
import { NOTIFY_DELAY_MS } from './newMessageNotification.ts';
import { chatReducer, initialChatState, type ChatAction } from './store.ts';
import { firstNewSeq } from './unreadMarker.ts';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, message, participant, room } from '../test/fixtures.ts';

const sam: User = { id: 3, username: 'support1', displayName: 'Sam Support', role: 'support' };
const rita: User = { id: 4, username: 'support2', displayName: 'Rita Support', role: 'support' };
const started = message(7, 1, null, { content: 'Sam Support from support started this conversation' });

/** Alice's support room Sam started; `later` messages after the greeting, the last one the room's newest. */
function startedBySam(unread: number, later: ReturnType<typeof message>[] = []): Room {
  return room(7, {
    type: 'support',
    name: 'Support · Alice Client',
    job: null,
    participants: [participant(alice), participant(sam), participant(rita)],
    lastSeq: 1 + later.length,
    unread,
    lastMessage: later.at(-1) ?? started,
  });
}

const shownTo = (user: User, r: Room) => {
  const actions: ChatAction[] = [{ type: 'ready', user, rooms: [r], totalUnread: r.unread }, { type: 'panel', open: true }, { type: 'open_room', roomId: r.id }];
  return actions.reduce(chatReducer, initialChatState).unreadMarker;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('the greeting of a support room I started, as support staff', () => {
  it('has no "New messages" line above it for me; the user and another agent who joined have it', () => {
    // The server counts it unread for Sam too.
    expect(shownTo(sam, startedBySam(1))).toBeNull();
    expect(firstNewSeq([started], shownTo(alice, startedBySam(1)), 7, alice.id)).toBe(1);
    expect(firstNewSeq([started], shownTo(rita, startedBySam(1)), 7, rita.id)).toBe(1);
  });

  it('has none when it is not held as the room is shown (my own message after it): its words decide once it is', () => {
    const mine = message(7, 2, sam, { content: 'Hello Alice, about Friday' });
    const marker = shownTo(sam, startedBySam(1, [mine]));
    expect(firstNewSeq([started, mine], marker, 7, sam.id)).toBeNull();
    // Rita, who joined it, has the line above Sam's greeting.
    const ritas = shownTo(rita, startedBySam(2, [mine]));
    expect(firstNewSeq([started, mine], ritas, 7, rita.id)).toBe(1);
  });

  it('is read for me when its count comes (the server counts it unread for me), with no notification', () => {
    vi.useFakeTimers();
    const { chat, transport, env } = fakeChat();
    env.visible = false;
    transport.emit('ready', { user: sam, rooms: [], totalUnread: 0 });
    transport.emit('room', { room: startedBySam(0) });
    transport.emit('message', { message: started });
    transport.emit('unread', { roomId: 7, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 7, seq: 1 }]);
    expect(chat.state.totalUnread).toBe(0);
    vi.advanceTimersByTime(NOTIFY_DELAY_MS);
    expect(env.notifications).toEqual([]);
  });

  it("sends no read past someone else's message: the user's answer after it stays unread", () => {
    const { transport } = fakeChat();
    transport.emit('ready', { user: sam, rooms: [], totalUnread: 0 });
    transport.emit('room', { room: startedBySam(0) });
    transport.emit('message', { message: started });
    transport.emit('message', { message: message(7, 2, alice, { content: 'Hi Sam' }) });
    transport.emit('unread', { roomId: 7, unread: 2, totalUnread: 2 });
    expect(transport.reads).toEqual([]);
  });

  it('is not read for the user, nor for another agent: to them it is news', () => {
    for (const user of [alice, rita]) {
      const { transport } = fakeChat();
      transport.emit('ready', { user, rooms: [], totalUnread: 0 });
      transport.emit('room', { room: startedBySam(0) });
      transport.emit('message', { message: started });
      transport.emit('unread', { roomId: 7, unread: 1, totalUnread: 1 });
      expect(transport.reads).toEqual([]);
    }
  });
});
