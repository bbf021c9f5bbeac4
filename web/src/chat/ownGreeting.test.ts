/**
 * The greeting of a support room staff started ("Message client": "<Agent> from support started this
 * conversation") as the agent who clicked reads it: their own doing, not news; to the room's user, and to
 * another agent who joined it, it is news. Its actorId (stored since the server records it) says who
 * started it; its words decide only for one without (stored before, or by an older node).
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

describe('a greeting with its actorId (whose doing it is, by id): the words no longer decide', () => {
  // Another agent of the same display name: the words of Sam's greeting are those of one they would start.
  const samToo: User = { id: 5, username: 'support3', displayName: 'Sam Support', role: 'support' };
  const startedById = { ...started, actorId: sam.id };
  const withNamesake = (unread: number, later: ReturnType<typeof message>[] = []): Room => {
    const r = startedBySam(unread, later);
    return { ...r, participants: [...r.participants, participant(samToo)], lastMessage: later.at(-1) ?? startedById };
  };

  it("a namesake among staff has the line above another agent's greeting, held or not as the room is shown; its agent has none", () => {
    expect(shownTo(sam, withNamesake(1))).toBeNull();
    expect(firstNewSeq([startedById], shownTo(samToo, withNamesake(1)), 7, samToo.id)).toBe(1);
    const reply = message(7, 2, alice, { content: 'Hi Sam' });
    expect(firstNewSeq([startedById, reply], shownTo(samToo, withNamesake(2, [reply])), 7, samToo.id)).toBe(1);
  });

  it("is not read for a namesake when its count comes, and notifies them; it is read for the agent who started it", () => {
    vi.useFakeTimers();
    for (const [user, reads] of [[samToo, []], [sam, [{ roomId: 7, seq: 1 }]]] as const) {
      const { transport, env } = fakeChat();
      env.visible = false;
      transport.emit('ready', { user, rooms: [], totalUnread: 0 });
      transport.emit('room', { room: withNamesake(0) });
      transport.emit('message', { message: startedById });
      transport.emit('unread', { roomId: 7, unread: 1, totalUnread: 1 });
      expect(transport.reads).toEqual(reads);
      vi.advanceTimersByTime(NOTIFY_DELAY_MS);
      expect(env.notifications.length).toBe(user === samToo ? 1 : 0);
    }
  });

  it("the user's own Contact support greeting (its actorId hers) is read for her; a staff-started one stays news to her", () => {
    const own = message(7, 1, null, { content: 'Sam Support from support will help you here', actorId: alice.id });
    for (const [greeting, reads] of [[own, [{ roomId: 7, seq: 1 }]], [startedById, []]] as const) {
      const { transport } = fakeChat();
      transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 });
      transport.emit('room', { room: { ...startedBySam(0), lastMessage: greeting } });
      transport.emit('message', { message: greeting });
      transport.emit('unread', { roomId: 7, unread: 1, totalUnread: 1 });
      expect(transport.reads).toEqual(reads);
    }
  });
});
